// LintSource(): every format through the same rules, locations, suppression comments, config
// exclusions and severities; the config file parser and the baseline.
#include <gtest/gtest.h>

#include "lint_run_util.h"

namespace promtool::lint::testing {
namespace {

TEST(LintSource, OpenMetricsCounterIsLintedAsItsTextName) {
  // OpenMetrics family `req` of type counter is `req_total` to promtool (in text).
  const std::string om = "# TYPE req counter\nreq_total 1\n# TYPE fooBar gauge\nfooBar 1\n# EOF\n";
  SourceLintResult result;
  EXPECT_EQ(RunLines(om, InputFormat::kAuto, "default", &result),
            (std::vector<std::string>{
                "fooBar metric names should be written in 'snake_case' not 'camelCase'",
                "fooBar no help text", "req_total no help text"}));
  EXPECT_EQ(result.format, InputFormat::kOpenMetrics);
}

TEST(LintSource, SameProblemsInEveryFormat) {
  const std::string text =
      "# TYPE http_requests counter\nhttp_requests{method=\"get\"} 3\n"
      "# HELP latency_ms x\n# TYPE latency_ms gauge\nlatency_ms 1\n";
  pb::MetricFamily a, b;
  a.set_name("http_requests");
  a.set_type(pb::COUNTER);
  pb::Metric* m = a.add_metric();
  pb::LabelPair* l = m->add_label();
  l->set_name("method");
  l->set_value("get");
  m->mutable_counter()->set_value(3);
  b.set_name("latency_ms");
  b.set_help("x");
  b.set_type(pb::GAUGE);
  b.add_metric()->mutable_gauge()->set_value(1);
  EXPECT_EQ(RunLines(text, InputFormat::kText, "default"),
            RunLines(Delimited({a, b}), InputFormat::kProtobuf, "default"));
}

TEST(LintSource, TextProblemsCarryLineAndColumn) {
  SourceLintResult result;
  RunLines("# HELP a x\na 1\n\nfooBar 1\n", InputFormat::kText, "camel-case-metric", &result);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].line, 4u);
  EXPECT_EQ(result.problems[0].column, 1u);
}

TEST(LintSource, ProtobufProblemsCarryTheRecordOffset) {
  pb::MetricFamily a, b;
  a.set_name("a");
  a.set_help("x");
  a.add_metric()->mutable_untyped()->set_value(1);
  b.set_name("b");
  b.add_metric()->mutable_untyped()->set_value(1);
  const std::string first = Delimited({a});
  SourceLintResult result;
  RunLines(first + Delimited({b}), InputFormat::kProtobuf, "no-help", &result);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].offset, first.size());
  EXPECT_EQ(result.problems[0].line, 0u);
}

TEST(LintSource, ParseErrorDropsProblems) {
  SourceLintResult result;
  RunLines("fooBar 1\nbad{ 1\n", InputFormat::kText, "*", &result);
  EXPECT_FALSE(result.error.ok());
  EXPECT_EQ(result.error.line, 2u);
  EXPECT_TRUE(result.problems.empty());
}

TEST(Suppression, Comments) {
  const std::string camel = "fooBar metric names should be written in 'snake_case' not 'camelCase'";
  struct Row {
    const char* name;
    std::string input;
    std::vector<std::string> want;
  };
  for (const Row& r : std::vector<Row>{
           {"next family only",
            "# promtool-cpp: disable=no-help\nfooBar 1\nbar_baz 1\n",
            {"bar_baz no help text", camel}},
           {"several ids", "# promtool-cpp: disable=no-help,camel-case-metric\nfooBar 1\n", {}},
           {"globs", "# promtool-cpp: disable=camel-*\nfooBar 1\n", {"fooBar no help text"}},
           {"before TYPE", "# promtool-cpp: disable=no-help\n# TYPE a gauge\na 1\n", {}},
           {"whole file", "a 1\n# promtool-cpp: disable-file=no-help\nb 1\n", {}},
           {"other comments ignored", "# promtool-cpp disable=no-help\na 1\n", {"a no help text"}},
       }) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(RunLines(r.input, InputFormat::kText, "no-help,camel-case-metric"), r.want);
  }
}

TEST(Config, ExclusionsAndSeverities) {
  auto config = ParseLintConfig(
      "exclude:\n  - metric: 'go_.*'\n  - metric: 'x'\n    rules: [camel-*]\n"
      "severity:\n  no-help: error\n",
      "test.yml");
  ASSERT_TRUE(config.ok()) << config.status();
  auto source = MemorySource("go_goroutines 1\nx 1\nfooBar 1\n");
  SourceLintOptions options;
  options.config = &*config;
  SourceLintResult result = LintSource(*source, options);
  std::vector<std::string> lines;
  for (const Problem& p : result.problems) {
    lines.push_back(p.family + " " + p.message + " " + std::string(SeverityName(p.severity)));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "fooBar metric names should be written in 'snake_case' not 'camelCase' "
                       "warning",
                       "fooBar no help text error", "x no help text error"}));
  EXPECT_EQ(result.suppressed, 1u);
}

TEST(Config, Parses) {
  auto config = ParseLintConfig(
      "enable: ['*']\ndisable: [camel-case-label, 'histogram-*']\nseverity:\n  base-unit: off\n"
      "max-label-values: 50\nfail-on: error\n",
      "c.yml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(*config->enable, "*");
  EXPECT_EQ(config->disable,
            (std::vector<std::string>{"camel-case-label,histogram-*", "base-unit"}));
  EXPECT_EQ(*config->max_label_values, 50u);
  EXPECT_EQ(*config->fail_on, Severity::kError);
}

TEST(Config, Errors) {
  for (const char* bad :
       {"nope: 1\n", "severity:\n  no-such-rule: error\n", "severity:\n  no-help: loud\n",
        "exclude:\n  - metric: '('\n", "exclude:\n  - rules: [x]\n", "max-label-values: many\n",
        "[1, 2\n", "- a\n"}) {
    SCOPED_TRACE(bad);
    auto config = ParseLintConfig(bad, "c.yml");
    ASSERT_FALSE(config.ok());
    EXPECT_TRUE(std::string(config.status().message()).starts_with("c.yml:"));
  }
}

TEST(Config, EmptyFileIsDefault) {
  auto config = ParseLintConfig("", "c.yml");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enable.has_value());
}

TEST(Baseline, RoundTripAndCounts) {
  Problem a{"no-help", Severity::kWarning, "foo", 10, "no help text"};
  Problem b{"metric-not-unique", Severity::kError, "bar\tx", 99, "metric not unique"};
  Baseline base;
  base.Add(a);
  base.Add(b);
  base.Add(b);
  auto parsed = Baseline::Parse(base.Serialize(), "b.txt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  Problem moved = a;
  moved.offset = 500;  // the key does not depend on the position
  EXPECT_TRUE(parsed->Consume(moved));
  EXPECT_FALSE(parsed->Consume(a));
  EXPECT_TRUE(parsed->Consume(b));
  EXPECT_TRUE(parsed->Consume(b));
  EXPECT_FALSE(parsed->Consume(b));
}

TEST(Baseline, RejectsOtherFiles) {
  EXPECT_FALSE(Baseline::Parse("hello\n", "b").ok());
  EXPECT_FALSE(Baseline::Parse("# promtool-cpp lint baseline v1\nx\ty\n", "b").ok());
}

}  // namespace
}  // namespace promtool::lint::testing
