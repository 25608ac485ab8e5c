// Tests of relabel test files: the schema's errors (line, column, message), running the tests,
// rule_files, and the prometheus_config + job hook.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "promtool/relabel_test.h"

namespace promtool {
namespace {

struct LoadErrorCase {
  const char* name;
  const char* yaml;
  int line;
  int column;
  const char* message;
};

class RelabelTestFileErrorTest : public ::testing::TestWithParam<LoadErrorCase> {};

TEST_P(RelabelTestFileErrorTest, SaysWhereAndWhat) {
  const LoadErrorCase& c = GetParam();
  RelabelTestLoadResult r = ParseRelabelTestFile(c.yaml, "t.yml");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, c.line);
  EXPECT_EQ(r.error->column, c.column);
  EXPECT_EQ(r.error->message, c.message);
  EXPECT_EQ(r.file.rules, nullptr);
  EXPECT_TRUE(r.file.tests.empty());
}

const LoadErrorCase kLoadErrors[] = {
    {"unknown_top_key", "rules: []\ntest:\n  - series: []\n", 2, 1,
     "unknown key \"test\" in a relabel test file; did you mean \"tests\"?"},
    {"unknown_series_key",
     "rules: []\ntests:\n  - series:\n      - input: up\n        outptu: up\n", 5, 9,
     "unknown key \"outptu\" in a series entry; did you mean \"output\"?"},
    {"unknown_key_far_from_all", "rules: []\nzzzzzzzzzz: 1\n", 2, 1,
     "unknown key \"zzzzzzzzzz\" in a relabel test file; valid keys are: rules, rule_files, "
     "prometheus_config, job, name_validation, tests"},
    {"no_rules", "tests:\n  - series: [{input: up, output: up}]\n", 1, 1,
     "a relabel test file needs its rules: \"rules\" (a list of relabel configs), "
     "\"rule_files\" or \"prometheus_config\" with \"job\""},
    {"two_rule_sources", "rules: []\nrule_files: [a.yml]\ntests: []\n", 2, 13,
     "give one of \"rules\", \"rule_files\" and \"prometheus_config\", not several"},
    {"no_tests", "rules: []\n", 1, 1, "a relabel test file needs \"tests\": a list of tests"},
    {"inline_rule_error_keeps_file_lines",
     "rules:\n  - source_labels: [a]\n    regx: b\ntests: []\n", 3, 5,
     "unknown field \"regx\" in a relabel config; did you mean \"regex\"?"},
    {"bad_input_series", "rules: []\ntests:\n  - series:\n      - input: 'up{a=1}'\n", 4, 16,
     "input 'up{a=1}': column 6: expected a quoted label value, found \"1\""},
    {"output_and_dropped",
     "rules: []\ntests:\n  - series:\n      - {input: up, output: up, dropped: true}\n", 4, 29,
     "give either \"output\" or \"dropped: true\", not both"},
    {"no_expectation", "rules: []\ntests:\n  - series:\n      - input: up\n", 4, 9,
     "a series entry needs \"output\" (the expected series) or \"dropped: true\""},
    {"prometheus_config_without_loader",
     "prometheus_config: p.yml\njob: node\ntests:\n  - series: [{input: up, output: up}]\n", 1, 20,
     "prometheus_config: no resolver was given to the loader (RelabelTestOptions::resolve_job); "
     "use \"rules\" or \"rule_files\""},
    {"missing_rule_file", "rule_files: [nope.yml]\ntests: []\n", 1, 14,
     "rule_files: cannot read \"nope.yml\""},
    {"name_validation_value", "rules: []\nname_validation: strict\n", 2, 18,
     "name_validation: expected utf8 or legacy, found \"strict\""},
};

INSTANTIATE_TEST_SUITE_P(Load, RelabelTestFileErrorTest, ::testing::ValuesIn(kLoadErrors),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// missing_rule_file resolves against the test file's folder.
TEST(RelabelTestFileTest, RuleFilesResolveAgainstTheTestFilesFolder) {
  RelabelTestLoadResult r =
      ParseRelabelTestFile("rule_files: [nope.yml]\ntests: []\n", "/nonexistent-dir/t.yml");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->message, "rule_files: cannot read \"/nonexistent-dir/nope.yml\"");
}

TEST(RelabelTestFileTest, RunsEachSeriesAndCountsFailures) {
  RelabelTestLoadResult r = ParseRelabelTestFile(R"y(
rules:
  - {source_labels: [__name__], regex: "go_.*", action: drop}
  - {source_labels: [pod], target_label: pod_name}
tests:
  - name: right
    series:
      - {input: go_goroutines, dropped: true}
      - input: 'x{pod="a"} 1'
        output: {__name__: x, pod: a, pod_name: a}
  - series:
      - {input: 'x{pod="a"}', output: 'x{pod="a"}'}
      - {input: 'go_x', output: 'go_x'}
      - {input: 'y', dropped: true}
)y",
                                                 "t.yml");
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  ASSERT_EQ(r.file.tests.size(), 2u);
  EXPECT_EQ(r.file.tests[0].name, "right");
  EXPECT_EQ(r.file.tests[1].name, "test 2");
  EXPECT_EQ(r.file.tests[1].line, 11);
  RelabelTestRunResult run = RunRelabelTests(r.file);
  EXPECT_EQ(run.failures, 1u);
  ASSERT_EQ(run.tests.size(), 2u);
  EXPECT_TRUE(run.tests[0].passed());
  EXPECT_EQ(run.tests[1].failures, 3u);
  const RelabelSeriesOutcome& first = run.tests[1].series[0];
  EXPECT_FALSE(first.passed);
  EXPECT_EQ(first.series->line, 12);
  const LabelSet got = {{"__name__", "x"}, {"pod", "a"}, {"pod_name", "a"}};
  EXPECT_EQ(first.got, got);
  EXPECT_TRUE(run.tests[1].series[1].dropped);
}

TEST(RelabelTestFileTest, LoadsRuleFilesInOrder) {
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/r1.yml") << "- {source_labels: [a], target_label: b}\n";
  std::ofstream(dir + "/r2.yml") << "- {source_labels: [b], target_label: c}\n";
  std::ofstream(dir + "/t.yml")
      << "rule_files: [r1.yml, r2.yml]\ntests:\n"
         "  - series: [{input: 'x{a=\"1\"}', output: 'x{a=\"1\",b=\"1\",c=\"1\"}'}]\n";
  RelabelTestLoadResult r = LoadRelabelTestFile(dir + "/t.yml");
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_TRUE(RunRelabelTests(r.file).passed());
}

TEST(RelabelTestFileTest, RuleFileErrorNamesItsLineAtTheEntry) {
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/bad_rules.yml") << "- source_labels: [a]\n  action: dorp\n";
  std::ofstream(dir + "/t2.yml") << "rule_files:\n  - bad_rules.yml\ntests: []\n";
  RelabelTestLoadResult r = LoadRelabelTestFile(dir + "/t2.yml");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, 2);
  EXPECT_EQ(r.error->column, 5);
  EXPECT_EQ(r.error->message,
            "rule file \"bad_rules.yml\" line 2, column 11: unknown relabel action \"dorp\"; did "
            "you mean \"drop\"?");
}

TEST(RelabelTestFileTest, PrometheusConfigUsesTheResolverAndAttachesTargetLabels) {
  RelabelTestOptions options;
  std::string seen_path, seen_job;
  options.resolve_job = [&](const std::string& path,
                            const std::string& job) -> absl::StatusOr<RelabelTestJob> {
    seen_path = path;
    seen_job = job;
    RelabelTestJob j;
    RelabelConfig keep_job;
    keep_job.source_labels = {"job"};
    keep_job.regex = "node";
    keep_job.regex_set = true;
    keep_job.action = RelabelAction::kKeep;
    j.configs.push_back(keep_job);
    j.target_labels = {{"instance", "h:9100"}, {"job", "node"}};
    return j;
  };
  RelabelTestLoadResult r = ParseRelabelTestFile(R"y(
prometheus_config: prometheus.yml
job: node
tests:
  - series:
      - input: 'up{job="app"}'
        output: 'up{exported_job="app",instance="h:9100",job="node"}'
)y",
                                                 "dir/t.yml", options);
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_EQ(seen_path, "dir/prometheus.yml");
  EXPECT_EQ(seen_job, "node");
  RelabelTestRunResult run = RunRelabelTests(r.file);
  ASSERT_EQ(run.tests.size(), 1u);
  EXPECT_TRUE(run.passed()) << FormatSeries(run.tests[0].series[0].got);
}

struct ResolverErrorCase {
  const char* name;
  absl::Status status;  // what the resolver returns
  int line, column;
  const char* message;
};

class RelabelTestFileResolverErrorTest : public ::testing::TestWithParam<ResolverErrorCase> {};

TEST_P(RelabelTestFileResolverErrorTest, IsReportedWhereItBelongs) {
  const ResolverErrorCase& c = GetParam();
  RelabelTestOptions options;
  options.resolve_job = [&](const std::string&,
                            const std::string&) -> absl::StatusOr<RelabelTestJob> {
    return c.status;
  };
  RelabelTestLoadResult r = ParseRelabelTestFile(
      "prometheus_config: prometheus.yml\njob: nod\ntests:\n  - series: [{input: up, output: "
      "up}]\n",
      "t.yml", options);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, c.line);
  EXPECT_EQ(r.error->column, c.column);
  EXPECT_EQ(r.error->message, c.message);
}

const ResolverErrorCase kResolverErrors[] = {
    // An unknown job (NotFound) is reported at the job's name.
    {"unknown_job",
     absl::NotFoundError("no scrape config with job name \"nod\"; did you mean \"node\"?"), 2, 6,
     "job: no scrape config with job name \"nod\"; did you mean \"node\"?"},
    // Anything else about the configuration is reported at prometheus_config.
    {"bad_config", absl::InvalidArgumentError("prometheus.yml:3:5: unknown field \"scrap\""), 1, 20,
     "prometheus_config: prometheus.yml:3:5: unknown field \"scrap\""},
};

INSTANTIATE_TEST_SUITE_P(Resolver, RelabelTestFileResolverErrorTest,
                         ::testing::ValuesIn(kResolverErrors),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace promtool
