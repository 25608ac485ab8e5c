// sum-count-pair: _sum and _count come together.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(SumCountPair, Table) {
  RunCases("sum-count-pair",
           {
               {"both", "# TYPE s summary\ns_sum 1\ns_count 1\n", {}},
               {"neither", "# TYPE s summary\ns{quantile=\"0.5\"} 1\n", {}},
               {"sum only", "# TYPE s summary\ns_sum 1\n", {"s _sum without _count"}},
               {"count only",
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count{a=\"1\"} 1\n",
                {"h _count without _sum in {a=\"1\"}"}},
               {"gauge ignored", "# TYPE g gauge\ng_sum 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
