// timestamp-range: explicit timestamps far from now (fixed "now" where it matters).
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

TEST(TimestampRange, Table) {
  RunCases("timestamp-range",
           {
               {"no timestamp", "a 1\n", {}},
               {"future",
                "a 1 7258118400000\n",
                {"a timestamp 7258118400000 (2200-01-01T00:00:00Z) is more than 10m in the "
                 "future"}},
               {"past",
                "a 1 86400000\n",
                {"a timestamp 86400000 (1970-01-02T00:00:00Z) is more than 24h in the past"}},
           });
}

TEST(TimestampRange, WithinWindowOfNow) {
  auto source = MemorySource("a 1 1000000000000\nb 1 1000000599000\nc 1 999913599000\n");
  CheckOptions options;
  options.lint_options.rules = "timestamp-range";
  options.lint_options.now_ms = 1000000000000;
  CheckResult result = Check(*source, options);
  ASSERT_TRUE(result.error.ok());
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].family, "c");
}

}  // namespace
}  // namespace promtool::lint::testing
