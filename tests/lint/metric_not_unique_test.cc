// metric-not-unique: k series with the same label list give k-1 problems (label order matters).
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(MetricNotUnique, Table) {
  const std::string a = "a metric not unique";
  RunCases("metric-not-unique",
           {
               {"two equal", "a{x=\"1\"} 1\na{x=\"1\"} 2\n", {a}},
               {"three equal", "a 1\na 2\na 3\n", {a, a}},
               {"two pairs", "a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\na{x=\"2\"} 1\n", {a, a}},
               {"different values", "a{x=\"1\"} 1\na{x=\"2\"} 1\n", {}},
               {"label order matters", "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 1\n", {}},
               {"subset", "a{x=\"1\"} 1\na{x=\"1\",y=\"2\"} 1\n", {}},
               {"escapes compared as values", "a{x=\"\\\\\"} 1\na{x=\"\\\\\"} 1\n", {a}},
               {"across a split family", "# TYPE a gauge\na 1\nb 1\na 2\n", {a}},
               {"histogram lines merge", "# TYPE h histogram\nh_sum 1\nh_sum 2\nh_count 1\n", {}},
               {"histogram split merges", "# TYPE h histogram\nh_sum 1\nb 1\nh_sum 2\n", {}},
               {"summary reordered labels merge",
                "# TYPE s summary\ns_sum{x=\"1\",y=\"2\"} 1\ns_count{y=\"2\",x=\"1\"} 1\n",
                {}},
               {"other families are separate", "a 1\nb 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
