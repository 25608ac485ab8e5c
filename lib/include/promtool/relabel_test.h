// Relabel test files (`promtool-cpp test relabel`): YAML files that name relabel rules and list
// input series with the series each should become (or `dropped`), loaded and run for CI.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "promtool/relabel.h"

namespace promtool {

// One input series and what the rules should make of it.
struct RelabelTestSeries {
  int line = 0;  // 1-based line of the entry in the test file
  LabelSet input;
  bool expect_dropped = false;
  LabelSet expected;  // when !expect_dropped
};

// One entry of `tests:`.
struct RelabelTestCase {
  std::string name;  // `name:`, or "test N" (1-based) when not given
  int line = 0;
  std::vector<RelabelTestSeries> series;
};

// The rules a `prometheus_config:` + `job:` pair stands for: the job's metric_relabel_configs
// and the target labels Prometheus attaches before metric relabeling (job, instance, ...).
struct RelabelTestJob {
  std::vector<RelabelConfig> configs;
  LabelSet target_labels;
};

struct RelabelTestOptions {
  // Resolves `prometheus_config: FILE` (the path as written, joined with the test file's
  // folder) and `job: NAME`: promtool::ResolveRelabelTestJob (prometheus_targets.h, ops layer).
  // A NotFound status is reported at `job`, any other error at `prometheus_config`. Not set:
  // that form is an error saying this build cannot resolve it.
  std::function<absl::StatusOr<RelabelTestJob>(const std::string& config_path,
                                               const std::string& job)>
      resolve_job;
};

// A loaded test file: its compiled rules and its tests.
struct RelabelTestFile {
  std::string path;
  std::shared_ptr<const RelabelRules> rules;
  // Attached to every input before the rules run, as Prometheus attaches target labels with
  // honor_labels false: an input label of the same name is renamed exported_NAME.
  LabelSet target_labels;
  std::vector<RelabelTestCase> tests;
};

struct RelabelTestLoadResult {
  RelabelTestFile file;
  std::optional<RelabelLoadError> error;  // with the test file's line and column
};

// Reads and checks a test file. The schema (docs/relabeling.md, "Relabel test files"):
//   rules: [relabel configs]            one of rules, rule_files, prometheus_config + job
//   rule_files: [paths]                 relative to the test file's folder; concatenated
//   prometheus_config: F   job: J       (needs options.resolve_job)
//   name_validation: utf8 | legacy      optional, default utf8
//   tests:
//     - name: text                      optional
//       series:
//         - input: 'name{l="v"}'        or a mapping {__name__: name, l: v}
//           output: 'name{l="v"}'       or a mapping; or `dropped: true` instead
// Unknown keys, wrong types, a missing or doubled rule source, and bad series are errors with
// the line and column; an unknown key suggests the closest valid one. An error in a rule file
// is reported at its entry in rule_files and names the rule file's line and column.
RelabelTestLoadResult LoadRelabelTestFile(const std::string& path,
                                          const RelabelTestOptions& options = {});
// The same from text; `path` names the file in messages and anchors relative paths.
RelabelTestLoadResult ParseRelabelTestFile(std::string_view yaml, const std::string& path,
                                           const RelabelTestOptions& options = {});

// What became of one input series.
struct RelabelSeriesOutcome {
  const RelabelTestSeries* series = nullptr;  // points into the RelabelTestFile run
  bool dropped = false;
  LabelSet got;  // when !dropped
  bool passed = false;
};

struct RelabelTestCaseResult {
  const RelabelTestCase* test = nullptr;
  std::vector<RelabelSeriesOutcome> series;
  size_t failures = 0;
  bool passed() const { return failures == 0; }
};

struct RelabelTestRunResult {
  std::vector<RelabelTestCaseResult> tests;
  size_t failures = 0;  // failed tests
  bool passed() const { return failures == 0; }
};

// Runs every test of a loaded file (the file must outlive the result).
RelabelTestRunResult RunRelabelTests(const RelabelTestFile& file);

}  // namespace promtool
