// histogram-buckets-cumulative: bounds must increase, counts must not decrease.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(HistogramBucketsCumulative, Table) {
  RunCases(
      "histogram-buckets-cumulative",
      {
          {"ordered", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n", {}},
          {"bounds decrease",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"0.5\"} 1\n"
           "h_bucket{le=\"+Inf\"} 2\n",
           {"h bucket le=\"0.5\" follows le=\"1\": bucket bounds must increase"}},
          {"bound repeated",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n",
           {"h bucket le=\"1\" follows le=\"1\": bucket bounds must increase"}},
          {"counts decrease",
           "# TYPE h histogram\nh_bucket{a=\"b\",le=\"1\"} 5\nh_bucket{a=\"b\",le=\"+Inf\"} 4\n",
           {"h bucket le=\"+Inf\" counts 4, less than le=\"1\" (5) in {a=\"b\"}: bucket counts "
            "must be cumulative"}},
          {"one problem per series",
           "# TYPE h histogram\nh_bucket{le=\"2\"} 5\nh_bucket{le=\"1\"} 4\nh_bucket{le=\"0\"} 3\n",
           {"h bucket le=\"1\" follows le=\"2\": bucket bounds must increase"}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
