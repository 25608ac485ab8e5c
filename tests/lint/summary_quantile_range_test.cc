// summary-quantile-range: quantiles lie in [0, 1].
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(SummaryQuantileRange, Table) {
  RunCases(
      "summary-quantile-range",
      {
          {"bounds included", "# TYPE s summary\ns{quantile=\"0\"} 1\ns{quantile=\"1\"} 1\n", {}},
          {"above",
           "# TYPE s summary\ns{quantile=\"99\"} 1\n",
           {"s quantile 99 is outside [0, 1]"}},
          {"negative",
           "# TYPE s summary\ns{a=\"b\",quantile=\"-0.5\"} 1\n",
           {"s quantile -0.5 is outside [0, 1] in {a=\"b\"}"}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
