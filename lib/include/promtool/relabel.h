// Relabeling exactly as Prometheus' model/relabel does it: rule configs, their validation and
// compilation, their application to one label set, and loading a YAML list of rules.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "promtool/error.h"
#include "promtool/source.h"

namespace promtool {

// A label set: (name, value) pairs sorted by name, names unique, no empty values. The metric
// name is the label "__name__".
using LabelSet = std::vector<std::pair<std::string, std::string>>;

enum class RelabelAction : uint8_t {
  kReplace,
  kKeep,
  kDrop,
  kKeepEqual,
  kDropEqual,
  kHashMod,
  kLabelMap,
  kLabelDrop,
  kLabelKeep,
  kLowercase,
  kUppercase,
};

// The action's YAML spelling ("replace", "keepequal", ...); parsing ignores case, as Prometheus.
std::string_view RelabelActionName(RelabelAction action);
std::optional<RelabelAction> ParseRelabelAction(std::string_view name);

// How target label names are validated (Prometheus' metric_name_validation_scheme): utf8 is
// Prometheus 3's default (any non-empty valid UTF-8), legacy is [a-zA-Z_][a-zA-Z0-9_]*.
enum class LabelNameValidation : uint8_t { kUtf8, kLegacy };

// One relabel_config, with Prometheus' defaults. `regex` is RE2 syntax and is matched fully
// anchored, as ^(?s:REGEX)$ (dot matches newline, as in Prometheus 3).
struct RelabelConfig {
  std::vector<std::string> source_labels;
  bool source_labels_set = false;  // written in the config (labeldrop/labelkeep forbid it)
  std::string separator = ";";
  std::string regex = "(.*)";
  bool regex_set = false;  // written in the config (keepequal/dropequal forbid it)
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  RelabelAction action = RelabelAction::kReplace;
  int line = 0;  // 1-based line of the rule in its YAML file; 0 when not from a file
};

// Prometheus' validation of one config (Config.Validate), in its wording; the regex is
// checked by RelabelRules::Compile and LoadRelabelConfigs.
absl::Status ValidateRelabelConfig(const RelabelConfig& config,
                                   LabelNameValidation validation = LabelNameValidation::kUtf8);

// One rule's step in a trace: the rule (0-based index into the rules), whether its condition
// held, and the labels after it. "matched" means, per action: replace, keep, drop: the regex
// matched the joined source values (replace's shortcut for an empty value counts as a match);
// keepequal, dropequal: the joined value equals target_label's value; labelmap, labeldrop,
// labelkeep: the regex matched at least one label name; hashmod, lowercase, uppercase: always.
struct RelabelStep {
  size_t rule = 0;
  bool matched = false;
  bool dropped = false;  // this rule dropped the set (the trace ends here)
  LabelSet labels;       // after the rule (sorted); the set at the drop when dropped
};

// What the rules did to one label set, rule by rule, in order; it stops at a drop.
struct RelabelTrace {
  LabelSet input;
  std::vector<RelabelStep> steps;
  bool kept = true;
  LabelSet output;  // the final set when kept
};

// A label whose name and value are views, for RelabelRules::ApplyViews.
struct LabelRef {
  std::string_view name;
  std::string_view value;
  bool operator==(const LabelRef&) const = default;
};

// The working state of RelabelRules::ApplyViews: storage for the names and values the rules
// create, and bounded memos of each rule's result per input (regex matches, expansions, MD5
// hashes, case mappings; at most 4096 inputs of up to 256 bytes per rule). Not thread-safe:
// one per thread.
class RelabelScratch {
 public:
  RelabelScratch();
  ~RelabelScratch();
  RelabelScratch(const RelabelScratch&) = delete;
  RelabelScratch& operator=(const RelabelScratch&) = delete;

  // Releases the storage of every view that ApplyViews returned since the last Reset (the
  // memos stay).
  void Reset();

  class Store;  // relabel.cc

 private:
  friend class RelabelRules;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Compiled, validated rules: build once, apply to many label sets.
class RelabelRules {
 public:
  // Validates every config as Prometheus does when it loads them and compiles the regexes.
  // The error names the rule (its index, and its line when known) and the problem, in
  // Prometheus' wording.
  static absl::StatusOr<RelabelRules> Compile(
      std::vector<RelabelConfig> configs,
      LabelNameValidation validation = LabelNameValidation::kUtf8);

  RelabelRules(RelabelRules&&) noexcept;
  RelabelRules& operator=(RelabelRules&&) noexcept;
  ~RelabelRules();

  // Applies the rules in order to `labels` (sorted on entry, sorted on return). Returns false
  // when a rule dropped the set; `labels` is then unspecified.
  bool Apply(LabelSet& labels) const;
  // As Apply, and also records the label set after each rule that ran (trace[i] after rule i);
  // the last entry is the set at the drop when a rule dropped it.
  bool ApplyTraced(LabelSet& labels, std::vector<LabelSet>* trace) const;

  // As Apply, on views: `labels` (sorted by name, names unique, no empty values) is replaced
  // by the relabelled set, whose views point into the input or into `scratch` (valid until
  // scratch.Reset()). The same result as Apply, faster: no label is copied unless a rule
  // writes it, and results are remembered per input in `scratch`. false: a rule dropped the
  // set (`labels` is then unspecified).
  bool ApplyViews(std::vector<LabelRef>& labels, RelabelScratch& scratch) const;

  // As Apply, step by step: what each rule did (see RelabelTrace). Slower than Apply.
  RelabelTrace Trace(LabelSet labels) const;

  // False when no rule can read, write, copy or remove the label `name` (conservative: any
  // labelmap, and any `$` template in a target, count as touching every label). The payload
  // relabeler uses it to relabel a histogram's bucket lines once when `le` is untouched.
  bool MayTouch(std::string_view name) const;

  size_t size() const;
  const RelabelConfig& config(size_t i) const;

 private:
  struct Impl;
  explicit RelabelRules(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Prometheus' mutateSampleLabels: attaches a target's labels to a scraped sample's sorted label
// set before metric relabeling. With honor_labels a label the sample already has wins;
// otherwise the target's value wins and the exposed value moves to exported_NAME
// (exported_exported_NAME when that is taken too), shorter names first. An empty target value
// removes the label, as Go's labels.Builder does.
void AttachTargetLabels(const LabelSet& target, bool honor_labels, LabelSet& labels);

// Convenience: compiles `configs` and applies them to `labels`. Returns whether the set is
// kept, or the validation error.
absl::StatusOr<bool> Relabel(const std::vector<RelabelConfig>& configs, LabelSet& labels);

// Go's regexp.Expand for `template` against a match of `input`: $1, ${1}, $name, ${name}; the
// longest run of letters, digits and '_' after '$' names the group, so $1x is the group named
// "1x" (empty when there is none); $$ is a literal '$'; a malformed reference stays as written.
// `groups` holds (begin, end) byte offsets of each group in `input`, -1 when it did not take
// part; `names[i]` is group i's name ("" when unnamed). Exposed for tests.
std::string ExpandTemplate(std::string_view tmpl, std::string_view input,
                           const std::vector<std::pair<int, int>>& groups,
                           const std::vector<std::string>& names);

// How a series selector compares a label's value (a missing label's value is "").
enum class LabelMatchOp : uint8_t { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

struct LabelMatcher {
  std::string name;
  LabelMatchOp op = LabelMatchOp::kEqual;
  std::string value;  // the value, or the regex (matched fully anchored, RE2 syntax)
};

// A PromQL series selector: `name{label="v", label!="v", label=~"re", label!~"re"}`, `name`
// or `{...}` (no matcher at all matches every series). Values are PromQL strings: double or
// single quotes with Go escapes, or backquotes (raw). Label names are identifiers or quoted
// strings. Regexes are matched fully anchored, as ^(?s:RE)$.
class SeriesSelector {
 public:
  // The error says where (1-based column) and what was expected and found.
  static absl::StatusOr<SeriesSelector> Parse(std::string_view text);

  SeriesSelector(SeriesSelector&&) noexcept;
  SeriesSelector& operator=(SeriesSelector&&) noexcept;
  ~SeriesSelector();

  // `labels` sorted, with the metric name as __name__.
  bool Matches(const LabelSet& labels) const;
  const std::vector<LabelMatcher>& matchers() const;

 private:
  struct Impl;
  explicit SeriesSelector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A series written as in the text format: `name{a="x",b="y"}`, `name`, or `{__name__="n",...}`
// (escapes \\, \" and \n in values; quoted names allowed), optionally followed by a value and a
// timestamp, which are ignored. Returns the sorted label set (the name as __name__; empty values
// left out, as Prometheus does) or an error with the 1-based column.
absl::StatusOr<LabelSet> ParseSeries(std::string_view text);

// A label set as a series: `name{a="x",b="y"}` (labels in order, __name__ as the name; a name
// or label name that is not a legacy name is quoted; values escaped as in the text format,
// other control characters as \xNN so that the text is safe on a terminal).
std::string FormatSeries(const LabelSet& labels);

// A YAML error: where (1-based line and column; 0 when unknown) and what.
struct RelabelLoadError {
  int line = 0;
  int column = 0;
  std::string message;
};

// Loads a YAML document holding a list of relabel configs (as under metric_relabel_configs),
// every field spelled as Prometheus spells it. Unknown fields, wrong types, unknown actions,
// bad regexes and Prometheus' validation failures are errors with their line; an unknown field
// suggests the closest valid one. `name` is used in messages only.
struct RelabelLoadResult {
  std::vector<RelabelConfig> configs;
  std::optional<RelabelLoadError> error;
};
RelabelLoadResult LoadRelabelConfigs(std::string_view yaml,
                                     LabelNameValidation validation = LabelNameValidation::kUtf8);

}  // namespace promtool
