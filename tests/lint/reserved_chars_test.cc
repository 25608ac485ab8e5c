// reserved-chars: ':' in a metric name.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(ReservedChars, Table) {
  RunCases("reserved-chars",
           {
               {"colon", "a:b 1\n", {"a:b metric names should not contain ':'"}},
               {"leading colon", ":a 1\n", {":a metric names should not contain ':'"}},
               {"two colons once", "a:b:c 1\n", {"a:b:c metric names should not contain ':'"}},
               {"typed",
                "# TYPE job:x:rate5m gauge\njob:x:rate5m 1\n",
                {"job:x:rate5m metric names should not contain ':'"}},
               {"none", "a_b 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
