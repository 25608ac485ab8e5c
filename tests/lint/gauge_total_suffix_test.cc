// gauge-total-suffix: a gauge named with _total.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(GaugeTotalSuffix, Table) {
  const std::string text =
      "gauge has a \"_total\" suffix: if it only goes up, declare it a counter";
  RunCases("gauge-total-suffix",
           {
               {"gauge", "# TYPE jobs_total gauge\njobs_total 1\n", {"jobs_total " + text}},
               {"counter", "# TYPE jobs_total counter\njobs_total 1\n", {}},
               {"untyped", "jobs_total 1\n", {}},
               {"no suffix", "# TYPE jobs gauge\njobs 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
