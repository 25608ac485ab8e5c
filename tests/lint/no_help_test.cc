// no-help: fires once per family without HELP, whatever the order of HELP and samples.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(NoHelp, Table) {
  RunCases(
      "no-help",
      {
          {"help before samples", "# HELP a x\na 1\n", {}},
          {"no help", "a 1\n", {"a no help text"}},
          {"help name only", "# HELP a\na 1\n", {"a no help text"}},
          {"help name and blank", "# HELP a \na 1\n", {"a no help text"}},
          {"help after samples", "a 1\n# HELP a x\n", {}},
          {"help after another family", "a 1\nb 1\n# HELP a x\n", {"b no help text"}},
          {"typed without help", "# TYPE a gauge\na 1\n", {"a no help text"}},
          {"once per split family",
           "a 1\nb 1\na{x=\"1\"} 2\n",
           {"a no help text", "b no help text"}},
          {"help in the second part", "a 1\nb 1\na{x=\"1\"} 2\n# HELP a x\n", {"b no help text"}},
          {"histogram once",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
           {"h no help text"}},
          {"no series, not linted", "# HELP a x\n# TYPE b gauge\n", {}},
          {"sorted by name", "b 1\na 1\n", {"a no help text", "b no help text"}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
