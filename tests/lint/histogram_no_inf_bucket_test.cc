// histogram-no-inf-bucket: a classic histogram series without a +Inf bucket, text input only.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(HistogramNoInfBucket, Table) {
  RunCases(
      "histogram-no-inf-bucket",
      {
          {"missing",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",
           {"h histogram series has no \"+Inf\" bucket"}},
          {"labels named",
           "# TYPE h histogram\nh_bucket{a=\"x\",le=\"1\"} 1\n",
           {"h histogram series {a=\"x\"} has no \"+Inf\" bucket"}},
          {"count only",
           "# TYPE h histogram\nh_count 1\n",
           {"h histogram series has no \"+Inf\" bucket"}},
          {"present", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n", {}},
          {"summary ignored", "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 1\n", {}},
          {"untyped ignored", "h_bucket{le=\"1\"} 1\n", {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
