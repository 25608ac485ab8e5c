// counter-total-suffix: counters must end in "_total" (case-sensitive).
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(CounterTotalSuffix, Table) {
  RunCases("counter-total-suffix",
           {
               {"counter with _total", "# TYPE a_total counter\na_total 1\n", {}},
               {"counter without",
                "# TYPE a counter\na 1\n",
                {"a counter metrics should have \"_total\" suffix"}},
               {"upper-case suffix",
                "# TYPE a_TOTAL counter\na_TOTAL 1\n",
                {"a_TOTAL counter metrics should have \"_total\" suffix"}},
               {"total without underscore",
                "# TYPE atotal counter\natotal 1\n",
                {"atotal counter metrics should have \"_total\" suffix"}},
               {"gauge without", "# TYPE a gauge\na 1\n", {}},
               {"untyped without", "a 1\n", {}},
               {"once when split",
                "# TYPE a counter\na 1\nb 1\na{x=\"1\"} 1\n",
                {"a counter metrics should have \"_total\" suffix"}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
