// type-in-name: the name contains its own type as a word (client_golang >= 1.20 behaviour).
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

std::string Typed(const std::string& name, const std::string& type) {
  std::string sample = name + " 1\n";
  if (type == "summary" || type == "histogram") sample = name + "_sum 1\n";
  return "# TYPE " + name + " " + type + "\n" + sample;
}

TEST(TypeInName, Table) {
  RunCases(
      "type-in-name",
      {
          {"counter suffix",
           Typed("a_counter", "counter"),
           {"a_counter metric name should not include type 'counter'"}},
          {"gauge infix",
           Typed("a_gauge_x", "gauge"),
           {"a_gauge_x metric name should not include type 'gauge'"}},
          {"summary",
           Typed("a_summary", "summary"),
           {"a_summary metric name should not include type 'summary'"}},
          {"histogram upper case",
           Typed("a_HISTOGRAM", "histogram"),
           {"a_HISTOGRAM metric name should not include type 'histogram'"}},
          {"gauge_histogram: own type only",
           Typed("q_gauge_histogram", "gauge_histogram"),
           {"q_gauge_histogram metric name should not include type 'gauge_histogram'"}},
          {"other type is fine", Typed("a_gauge_total", "counter"), {}},
          {"limit_total counter", Typed("x_native_histogram_bucket_limit_total", "counter"), {}},
          {"untyped skipped", "a_counter 1\n", {}},
          {"prefix is not a word", Typed("counter_x", "counter"), {}},
          {"part of a word", Typed("a_gauges", "gauge"), {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
