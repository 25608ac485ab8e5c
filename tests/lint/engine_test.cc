// The lint engine: registry order, rule selection, sorting, offsets, deferral of family rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lint_test_util.h"
#include "promtool/family_reader.h"

namespace promtool::lint::testing {
namespace {

TEST(Registry, IdsInPromtoolOrder) {
  std::vector<std::string> ids;
  for (const RuleInfo& r : Rules()) ids.emplace_back(r.id);
  EXPECT_EQ(
      ids, (std::vector<std::string>{
               "no-help", "base-unit", "counter-total-suffix", "non-counter-total-suffix",
               "histogram-suffixes", "le-label", "quantile-label", "type-in-name", "reserved-chars",
               "camel-case-metric", "camel-case-label", "abbreviated-units", "metric-not-unique"}));
  for (const RuleInfo& r : Rules()) EXPECT_FALSE(r.summary.empty()) << r.id;
}

TEST(Registry, Selection) {
  struct Row {
    const char* globs;
    const char* id;
    bool want;
  };
  for (const Row& r : std::vector<Row>{
           {"*", "no-help", true},
           {"", "no-help", false},
           {"no-help", "no-help", true},
           {"no-help", "base-unit", false},
           {"*,-camel-case-*", "camel-case-label", false},
           {"*,-camel-case-*", "counter-total-suffix", true},
           {"-no-help,*", "no-help", true},
           {"*-suffix", "counter-total-suffix", true},
           {"*-suffix", "histogram-suffixes", false},
           {" no-help , base-unit ", "base-unit", true},
       }) {
    EXPECT_EQ(RuleSelected(r.globs, r.id), r.want) << r.globs << " " << r.id;
  }
}

TEST(Linter, AllRulesSortedWithDuplicates) {
  const std::string input =
      "# TYPE zeta counter\nzeta{fooBar=\"1\"} 1\nzeta{fooBar=\"1\"} 1\n"
      "# HELP Alpha_ms x\nAlpha_ms 1\n"
      "latency_s_ms 1\n";
  EXPECT_EQ(LintLines(input, "*"),
            (std::vector<std::string>{
                "Alpha_ms metric names should not contain abbreviated units",
                "latency_s_ms metric names should not contain abbreviated units",
                "latency_s_ms metric names should not contain abbreviated units",
                "latency_s_ms no help text",
                "zeta counter metrics should have \"_total\" suffix",
                "zeta label names should be written in 'snake_case' not 'camelCase'",
                "zeta label names should be written in 'snake_case' not 'camelCase'",
                "zeta metric not unique",
                "zeta no help text",
            }));
}

TEST(Linter, NothingSelected) { EXPECT_TRUE(LintLines("fooBar 1\n", "").empty()); }

TEST(Linter, ProblemFields) {
  const std::string input = "# HELP a x\na 1\n# TYPE b gauge\nb{fooBar=\"1\"} 1\n";
  auto source = MemorySource(input);
  CheckResult result = Check(*source, {});
  ASSERT_TRUE(result.error.ok());
  ASSERT_EQ(result.problems.size(), 2u);
  const Problem& label = result.problems[0];
  EXPECT_EQ(label.rule, "camel-case-label");
  EXPECT_EQ(label.family, "b");
  EXPECT_EQ(label.offset, input.find("b{"));  // the series
  EXPECT_EQ(label.severity, Severity::kWarning);
  const Problem& help = result.problems[1];
  EXPECT_EQ(help.rule, "no-help");
  EXPECT_EQ(help.offset, input.find("# TYPE b"));  // the family's first line
}

TEST(Linter, SeverityOfDuplicates) {
  auto source = MemorySource("# HELP a x\na 1\na 1\n");
  CheckResult result = Check(*source, {});
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].rule, "metric-not-unique");
  EXPECT_EQ(result.problems[0].severity, Severity::kError);
  EXPECT_EQ(result.problems[0].offset, 15u);  // the repeated series
}

TEST(Linter, ParseErrorDropsProblems) {
  auto source = MemorySource("fooBar 1\nbad{ 1\n");
  CheckResult result = Check(*source, {});
  EXPECT_FALSE(result.error.ok());
  EXPECT_EQ(result.error.line, 2u);
  EXPECT_TRUE(result.problems.empty());
}

TEST(Linter, FeedByHandAndReuse) {
  Linter linter;
  for (int round = 0; round < 2; ++round) {
    auto source = MemorySource("a 1\nb 1\na 1\n# HELP a x\n# HELP b y\n");
    TextParser parser(*source);
    FamilyReader reader(parser);
    while (const FamilyView* f = reader.Next()) linter.Add(*f);
    ASSERT_EQ(reader.error(), nullptr);
    std::vector<Problem> problems = linter.Finish();
    ASSERT_EQ(problems.size(), 1u) << "round " << round;
    EXPECT_EQ(problems[0].family + " " + problems[0].message, "a metric not unique");
  }
}

TEST(Linter, SeverityNames) {
  EXPECT_EQ(SeverityName(Severity::kInfo), "info");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kError), "error");
}

}  // namespace
}  // namespace promtool::lint::testing
