// label-cardinality: more distinct values of one label in one family than the threshold.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

std::vector<std::string> Lint(const std::string& text, uint64_t max) {
  auto source = MemorySource(text);
  CheckOptions options;
  options.lint_options.rules = "label-cardinality";
  options.lint_options.max_label_values = max;
  CheckResult result = Check(*source, options);
  EXPECT_TRUE(result.error.ok());
  std::vector<std::string> lines;
  for (const Problem& p : result.problems) lines.push_back(p.family + " " + p.message);
  return lines;
}

TEST(LabelCardinality, Table) {
  const std::string three = "a{u=\"1\"} 1\na{u=\"2\"} 1\na{u=\"3\"} 1\n";
  struct Row {
    const char* name;
    std::string input;
    uint64_t max;
    std::vector<std::string> want;
  };
  for (const Row& r : std::vector<Row>{
           {"at the limit", three, 3, {}},
           {"above, once",
            three + "a{u=\"4\"} 1\na{u=\"5\"} 1\n",
            3,
            {"a label \"u\" has more than 3 distinct values"}},
           {"repeats do not count",
            "a{u=\"1\",v=\"1\"} 1\na{u=\"1\",v=\"2\"} 1\n",
            1,
            {"a label \"v\" has more than 1 distinct values"}},
           {"per family", "a{u=\"1\"} 1\nb{u=\"2\"} 1\n", 1, {}},
       }) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(Lint(r.input, r.max), r.want);
  }
}

TEST(LabelCardinality, DefaultThresholdIsAThousand) {
  EXPECT_EQ(LintOptions{}.max_label_values, 1000u);
}

}  // namespace
}  // namespace promtool::lint::testing
