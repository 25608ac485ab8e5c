// CardinalityCounter: promtool's --extended counting rules, order, and split families.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "promtool/lint.h"
#include "promtool/source.h"

namespace promtool::lint {
namespace {

std::vector<std::string> Rows(const std::string& input, uint64_t* total) {
  auto source = MemorySource(input);
  CheckOptions options;
  options.lint = false;
  options.cardinality = true;
  CheckResult result = Check(*source, options);
  EXPECT_TRUE(result.error.ok()) << result.error.compat_message;
  std::vector<std::string> out;
  for (const CardinalityRow& r : result.rows) {
    out.push_back(r.family + " " + std::to_string(r.cardinality));
  }
  *total = result.total;
  return out;
}

TEST(Cardinality, Table) {
  struct Case {
    const char* name;
    std::string input;
    std::vector<std::string> want;
    uint64_t total;
  };
  for (const Case& c : std::vector<Case>{
           {"empty", "", {}, 0},
           {"no series", "# HELP a x\n", {}, 0},
           {"counter series", "a 1\na{x=\"1\"} 1\na 1\n", {"a 3"}, 3},
           {"histogram: series * (2 + buckets of the first)",
            "# TYPE h histogram\nh_bucket{x=\"1\",le=\"1\"} 1\nh_bucket{x=\"1\",le=\"+Inf\"} 1\n"
            "h_sum{x=\"1\"} 1\nh_count{x=\"1\"} 1\nh_sum{x=\"2\"} 1\n",
            {"h 8"},
            8},
           // The quantile-less line is ignored but still makes a series (as in promtool).
           {"summary",
            "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns{x=\"1\"} 1\n",
            {"s 6"},
            6},
           // promtool 3.x (expfmt v0.67+) groups a gauge histogram's lines like a histogram's.
           {"gauge_histogram groups like a histogram",
            "# TYPE g gauge_histogram\ng 1\ng{le=\"1\"} 1\n",
            {"g 1"},
            1},
           {"largest first, ties by name", "b 1\nc 1\nc 1\na 1\n", {"c 2", "a 1", "b 1"}, 4},
           {"split histogram merges",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nb 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n"
            "h_sum{x=\"1\"} 1\n",
            {"h 8", "b 1"},
            9},
           {"split counter adds", "a 1\nb 1\na 1\n", {"a 2", "b 1"}, 3},
       }) {
    SCOPED_TRACE(c.name);
    uint64_t total = 99;
    EXPECT_EQ(Rows(c.input, &total), c.want);
    EXPECT_EQ(total, c.total);
  }
}

TEST(Cardinality, Fractions) {
  auto source = MemorySource("a 1\na 1\nb 1\n");
  CheckOptions options;
  options.lint = false;
  options.cardinality = true;
  CheckResult result = Check(*source, options);
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(result.rows[0].fraction, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(result.rows[1].fraction, 1.0 / 3.0);
  EXPECT_TRUE(result.problems.empty());  // linting off
}

}  // namespace
}  // namespace promtool::lint
