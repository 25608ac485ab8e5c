// quantile-label: once per (grouped) series with a "quantile" label, for typed non-summaries.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = "non-summary metrics should not have \"quantile\" label";

TEST(QuantileLabel, Table) {
  const std::string g = std::string("g ") + kText;
  const std::string h = std::string("h ") + kText;
  RunCases("quantile-label",
           {
               {"gauge", "# TYPE g gauge\ng{quantile=\"1\"} 1\n", {g}},
               {"counter per line",
                "# TYPE g counter\ng{quantile=\"1\"} 1\ng{quantile=\"1\"} 2\n",
                {g, g}},
               {"histogram grouped series",
                "# TYPE h histogram\nh_bucket{quantile=\"1\",le=\"1\"} 1\n"
                "h_bucket{quantile=\"1\",le=\"+Inf\"} 1\nh_sum{quantile=\"1\"} 1\n"
                "h_count{quantile=\"2\"} 1\n",
                {h, h}},
               {"histogram split across the input: merged",
                "# TYPE h histogram\nh_bucket{quantile=\"1\",le=\"1\"} 1\nb 1\n"
                "h_sum{quantile=\"1\"} 1\nh_count{quantile=\"2\"} 1\n",
                {h, h}},
               {"summary drops quantile", "# TYPE s summary\ns{quantile=\"0.5\"} 1\n", {}},
               {"untyped", "g{quantile=\"1\"} 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
