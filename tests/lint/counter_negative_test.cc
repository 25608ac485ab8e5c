// counter-negative: counter values are >= 0 and not NaN.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(CounterNegative, Table) {
  RunCases("counter-negative", {
                                   {"zero", "# TYPE c_total counter\nc_total 0\n", {}},
                                   {"negative",
                                    "# TYPE c_total counter\nc_total -1\n",
                                    {"c_total counter value -1 is negative"}},
                                   {"NaN",
                                    "# TYPE c_total counter\nc_total{a=\"1\"} NaN\n",
                                    {"c_total counter value is NaN in {a=\"1\"}"}},
                                   {"-Inf",
                                    "# TYPE c_total counter\nc_total -Inf\n",
                                    {"c_total counter value -Inf is negative"}},
                                   {"gauge ignored", "# TYPE g gauge\ng -1\n", {}},
                               });
}

}  // namespace
}  // namespace promtool::lint::testing
