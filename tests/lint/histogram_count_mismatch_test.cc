// histogram-count-mismatch: _count must equal the +Inf bucket.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(HistogramCountMismatch, Table) {
  RunCases("histogram-count-mismatch",
           {
               {"equal", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n", {}},
               {"differs",
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_count 4\n",
                {"h _count 4 differs from the \"+Inf\" bucket 3"}},
               {"labels",
                "# TYPE h histogram\nh_bucket{x=\"1\",le=\"+Inf\"} 3\nh_count{x=\"1\"} 2\n",
                {"h _count 2 differs from the \"+Inf\" bucket 3 in {x=\"1\"}"}},
               {"no count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\n", {}},
               {"no inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_count 4\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
