// Linting for CI: any input format, problems located by line and column, rule selection and
// severities from a config file, inline suppression comments, and a baseline of known problems.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "promtool/error.h"
#include "promtool/lint.h"
#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool::lint {

// "info", "warning", "error" (also "warn"); nullopt otherwise.
std::optional<Severity> ParseSeverity(std::string_view name);

// The rule id nearest to `text` by edit distance (for "did you mean" in messages).
std::string_view ClosestRule(std::string_view text);

// Checks a rule glob list (LintOptions::rules syntax): every item ("-" prefix allowed) must be
// `default` or match at least one rule id, and the list must not be empty. The error names
// `what` (e.g. "--enable"), the item, and the closest rule id.
absl::Status CheckRuleGlobs(std::string_view globs, std::string_view what);

// True when the glob list selects at least one rule.
bool SelectsAnyRule(std::string_view globs);

// A metric-name exclusion: problems of the families whose whole name matches `metric` (an RE2
// regular expression) and whose rule is selected by `rules` (id globs; empty: every rule) are
// dropped.
struct Exclusion {
  std::string metric;
  std::string rules;
};

// The settings of a `.promtool-cpp.yml` file (see docs/ci.md for the schema).
struct LintConfig {
  std::string path;                   // where it was read from (for messages)
  std::optional<std::string> enable;  // rule globs replacing the default selection
  std::vector<std::string> disable;   // rule globs removed from the selection
  std::map<std::string, Severity, std::less<>> severity;  // per rule id
  std::vector<Exclusion> exclusions;
  std::optional<uint64_t> max_label_values;
  std::optional<Severity> fail_on;
};

// Parses a config file's text. Unknown keys, unknown rule ids in `severity`, bad severities and
// regular expressions that do not compile are errors naming `name` and the key.
absl::StatusOr<LintConfig> ParseLintConfig(std::string_view yaml, std::string_view name);

// The nearest `.promtool-cpp.yml` in `dir` or one of its parents; nullopt when there is none.
std::optional<std::string> FindLintConfig(const std::string& dir);

struct SourceLintOptions;

// The lint settings a command line gives, before the config file is applied: what the CLI's
// flags map to, one field per flag.
struct LintRequest {
  std::vector<std::string> enable;   // --enable (each a rule glob list); repeatable
  std::vector<std::string> disable;  // --disable; repeatable
  std::optional<Severity> fail_on;   // --fail-on
  uint64_t max_label_values = 0;     // --max-label-values; 0: not given
  // The config file: `config_path` when not empty (--config), else the nearest
  // `.promtool-cpp.yml` from `config_dir` upwards (FindLintConfig), unless `no_config`.
  std::string config_path;
  bool no_config = false;
  std::string config_dir = ".";
  bool rules_off = false;  // --lint=none: no rule runs (the selection is not checked)
};

// The settings after resolution, and the config they came from.
struct LintSettings {
  std::optional<LintConfig> config;  // the config file read, if any
  std::string rules;                 // the selection (LintOptions::rules); "" with rules_off
  uint64_t max_label_values = 1000;
  Severity fail_on = Severity::kWarning;  // the lowest severity that fails a run

  // Options for LintSource() with these settings (`config` points into this object: keep it
  // alive and unmoved while the options are used).
  SourceLintOptions SourceOptions() const;
};

// Resolves the lint settings. Precedence, per setting:
//   rules:            --enable (all lists joined) > the config's `enable` > `default`; then the
//                     config's `disable` and then --disable are removed from it;
//   max_label_values: --max-label-values > the config's > 1000;
//   fail_on:          --fail-on > the config's `fail-on` > warning;
//   severities and exclusions come from the config alone.
// Errors (InvalidArgument, a setup error): a config file that cannot be read or parsed, an
// --enable/--disable glob that matches no rule (naming the flag, the glob and the closest rule),
// and a selection that enables no rule (a typo must not turn linting off).
absl::StatusOr<LintSettings> ResolveLintSettings(const LintRequest& request);

// Known problems, keyed by data that depends neither on the file, the position nor the sample
// values: rule id, family name and the message with its numbers replaced by `#` (so a counter
// that is still negative, with another value, stays known). Each key has a count, so that k
// known duplicates stay known and the (k+1)-th is new.
class Baseline {
 public:
  void Add(const Problem& problem);
  // True (and one occurrence is used up) when the problem is known.
  bool Consume(const Problem& problem);
  // Occurrences not used up by Consume(): stale entries once every input has been linted.
  size_t size() const { return count_; }
  // The file form: a header line, then one line per key, sorted:
  // `<count>\t<rule>\t<family>\t<message>` with \\, \t, \r and \n escaped as in C.
  std::string Serialize() const;
  // The file form of the occurrences Consume() used (the baseline without its stale entries).
  std::string SerializeUsed() const;
  // The stale entries, one `<count>\t<rule>\t<family>\t<message>` line each, no header.
  std::string SerializeUnused() const;
  // Accepts LF and CRLF line endings.
  static absl::StatusOr<Baseline> Parse(std::string_view text, std::string_view name);
  // The message as keyed: numbers (and NaN, Inf) replaced by `#`.
  static std::string KeyMessage(std::string_view message);

 private:
  std::map<std::string, uint64_t> keys_;  // remaining occurrences
  std::map<std::string, uint64_t> used_;  // occurrences consumed
  size_t count_ = 0;
};

// The 1-based column, in Unicode code points (UTF-8 lead bytes; an invalid byte counts as one),
// of the byte column `byte_column` in `line`. Every lint output counts columns this way.
uint64_t CharColumn(std::string_view line, uint64_t byte_column);

// The rule id of problems about `# promtool-cpp:` comments themselves (an unknown rule id).
inline constexpr std::string_view kSuppressionCommentRule = "suppression-comment";

// The inline suppression comments of a text input (`# promtool-cpp: disable=GLOBS` for the next
// family, `# promtool-cpp: disable-file=GLOBS` for the whole input) and the filter they imply.
// One filter for every output: LintSource() and Check() both use it. Feed the input as it
// streams: ScanLeading() before parsing, Scan() after each family read (it reads the complete lines
// of the window it has not read yet), FamilyStart() for each family; then Filter() the problems.
class Suppressions {
 public:
  // Before parsing starts: reads the comment lines at the start of the input (the parser may
  // drop them from the window before the first family is returned).
  void ScanLeading(Source& source);
  void Scan(Source& source);
  void FamilyStart(uint64_t offset, std::string_view name);
  // Drops the suppressed problems; returns how many.
  uint64_t Filter(std::vector<Problem>& problems) const;
  // Comments naming a rule id (or glob) that matches no rule: rule kSuppressionCommentRule,
  // severity error, offset, line and column of the id, no family. Such a comment suppresses
  // nothing.
  const std::vector<Problem>& errors() const { return errors_; }
  // True when a comment suppresses something (a file-wide or a next-family directive).
  bool any() const { return !file_globs_.empty() || !next_family_.empty(); }

 private:
  std::string file_globs_;
  std::vector<std::pair<uint64_t, std::string>> next_family_;  // (offset of the comment, globs)
  std::vector<std::pair<uint64_t, std::string>> starts_;       // first offset of each family
  std::set<std::string, std::less<>> names_seen_;
  uint64_t scanned_ = 0;
  std::vector<Problem> errors_;
};

// Label values of one family, for `check metrics --extended --top=N`.
struct LabelBreakdown {
  std::string name;                                   // label name
  uint64_t distinct = 0;                              // distinct values
  std::vector<std::pair<std::string, uint64_t>> top;  // (value as written, series), most first
};
struct FamilyLabels {
  std::string family;
  std::vector<LabelBreakdown> labels;  // by label name
};

struct SourceLintOptions {
  InputFormat format = InputFormat::kAuto;
  LintOptions lint;                    // rule selection and thresholds
  const LintConfig* config = nullptr;  // severities and exclusions (selection is in `lint`)
  bool suppression_comments = true;    // honour `# promtool-cpp: disable=...` in text input
  bool cardinality = false;            // fill rows/total
  size_t top_values = 0;               // > 0: fill labels with that many values per label
  uint64_t max_message_bytes = uint64_t{16} << 20;  // protobuf: one record at most
};

struct SourceLintResult {
  InputFormat format = InputFormat::kText;  // after detection
  Error error;  // !error.ok(): the input's first error; problems found before it are kept
  std::vector<Problem> problems;        // sorted by ProblemLess, with line and (character) column
  uint64_t suppressed = 0;              // dropped by comments or exclusions
  std::vector<Problem> comment_errors;  // see Suppressions::errors()
  std::vector<CardinalityRow> rows;
  uint64_t total = 0;
  std::vector<FamilyLabels> labels;  // by family name

  bool ok() const { return error.ok(); }
};

// Lints one input of any format. Text is parsed with promtool's parser and legacy names, as
// `promtool check metrics` does; OpenMetrics and protobuf families are linted as their text form
// would be. Problems get line and column when their offset is still in the source's window, so
// pass a source that holds the whole input (open files with ReadOptions::whole; read a pipe into a
// StringSource). Protobuf problems carry the record's byte offset and no line.
[[nodiscard]] SourceLintResult LintSource(Source& source, const SourceLintOptions& options);

}  // namespace promtool::lint
