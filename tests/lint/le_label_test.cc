// le-label: once per series with an "le" label, for typed non-histograms.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = "non-histogram metrics should not have \"le\" label";

TEST(LeLabel, Table) {
  const std::string g = std::string("g ") + kText;
  RunCases(
      "le-label",
      {
          {"gauge", "# TYPE g gauge\ng{le=\"1\"} 1\n", {g}},
          {"per series", "# TYPE g gauge\ng{le=\"1\"} 1\ng{le=\"2\"} 1\ng{x=\"2\"} 1\n", {g, g}},
          {"summary", "# TYPE g summary\ng{le=\"1\",quantile=\"0.5\"} 1\ng_sum{le=\"1\"} 1\n", {g}},
          // expfmt v0.67+ (promtool 3.x) reads le of a gauge histogram as its bucket bound.
          {"gauge_histogram drops le", "# TYPE g gauge_histogram\ng{le=\"1\"} 1\n", {}},
          {"histogram drops le", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n", {}},
          {"untyped", "g{le=\"1\"} 1\n", {}},
          {"label named like it", "# TYPE g gauge\ng{lee=\"1\",LE=\"2\"} 1\n", {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
