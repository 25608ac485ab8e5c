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
