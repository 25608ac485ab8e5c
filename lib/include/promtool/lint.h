// The promlint rule engine: checks metric families for naming and structure problems the way
// `promtool check metrics` does, streaming one family at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/family.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool::lint {

enum class Severity : uint8_t { kInfo, kWarning, kError };

// "info", "warning", "error".
std::string_view SeverityName(Severity severity);

// What a rule is: a stable kebab-case id, one line on what it checks, its default severity,
// and whether it is in the default selection (the promlint rules are; the semantic rules beyond
// promlint are not, so promtool-compatible output stays as promtool's).
struct RuleInfo {
  std::string_view id;
  std::string_view summary;
  Severity severity = Severity::kWarning;
  bool default_on = true;
};

// All rules, in the order they run (the order of promtool's promlint). Static storage.
std::span<const RuleInfo> Rules();

// One finding. `message` is exactly promtool's problem text (without the metric name).
struct Problem {
  std::string_view rule;  // RuleInfo::id, static storage
  Severity severity = Severity::kWarning;
  std::string family;  // the family name (base name for histograms and summaries)
  // Absolute byte offset of the family's first line (family-level problems) or of the
  // series' first line (series-level problems).
  uint64_t offset = 0;
  std::string message;
  // 1-based line and column of `offset`, filled by LintSource() (lint_run.h) when the offset
  // is in a line-oriented input; 0 when unknown (protobuf input, or Linter used directly).
  uint64_t line = 0;
  uint64_t column = 0;
};

// Byte order of (family, message), then offset: the order promtool prints problems in.
bool ProblemLess(const Problem& a, const Problem& b);

// Where rules put what they find.
class ProblemSink {
 public:
  virtual ~ProblemSink() = default;
  virtual void Report(const RuleInfo& rule, std::string_view family, uint64_t offset,
                      std::string_view message) = 0;
};

struct LintOptions {
  // Comma-separated rule id globs ('*' matches any run of characters); a leading '-'
  // removes the matching rules. Applied left to right: "*,-camel-case-*" enables every rule
  // but the two camel-case ones. The word `default` stands for the rules with
  // RuleInfo::default_on (promtool's promlint rules). An empty string selects nothing.
  std::string rules = "default";
  // label-cardinality: a label with more distinct values than this in one family is reported.
  uint64_t max_label_values = 1000;
  // timestamp-range: "now" in milliseconds since the epoch (0: the system clock), and how far
  // a sample timestamp may lie ahead of it or behind it.
  int64_t now_ms = 0;
  int64_t max_future_ms = int64_t{10} * 60 * 1000;     // 10 minutes
  int64_t max_past_ms = int64_t{24} * 60 * 60 * 1000;  // 24 hours
  // (Last, so that positional initializers of the fields above keep working.)
  // Which promtool's promlint the rules follow: k3 (client_golang >= 1.20: type-in-name checks
  // the family's own type only, `metric not unique` reported) or k2 (promtool 2.42's
  // client_golang 1.14: type-in-name checks every type word, also on untyped families, and
  // there is no duplicate-series check). Set it like TextOptions::profile.
  PromtoolProfile profile = PromtoolProfile::k3;
};

// True when the glob list selects the rule id (see LintOptions::rules).
bool RuleSelected(std::string_view globs, std::string_view id);

// Lints a stream of families. Feed every view the FamilyReader returns (views without series
// too: a HELP line may come after a family's samples), then call Finish().
//
// Series-level rules run on each view as it arrives. Family-level rules (names, HELP, type)
// run once per family name in Finish(), on the final HELP/TYPE state, so that a family whose
// samples are split across the input (FamilyView::continued) is reported once, as promtool
// merges the parts. State kept between views: per family name its flags and first offset,
// plus one 64-bit key per series for duplicate detection and histogram/summary merging.
// Families that never have a series are not linted.
class Linter {
 public:
  explicit Linter(const LintOptions& options = {});
  ~Linter();
  Linter(const Linter&) = delete;
  Linter& operator=(const Linter&) = delete;

  // Checks one view; it may be released right after the call.
  void Add(const FamilyView& family);
  // Runs the family-level rules and returns every problem sorted by ProblemLess (duplicates
  // kept). The linter is empty afterwards.
  [[nodiscard]] std::vector<Problem> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One row of the cardinality report of `promtool check metrics --extended`.
struct CardinalityRow {
  std::string family;
  uint64_t cardinality = 0;  // samples: series, or series * (2 + parts of the first series)
  double fraction = 0;       // cardinality / total
};

// Counts per-family cardinality as promtool's --extended table does: counter, gauge, untyped
// and gauge_histogram families count their series; histograms count series * (2 + buckets of
// the first series), summaries series * (2 + quantiles of the first series). Histogram and
// summary series split across the input are merged as promtool merges them.
class CardinalityCounter {
 public:
  CardinalityCounter();
  ~CardinalityCounter();
  CardinalityCounter(const CardinalityCounter&) = delete;
  CardinalityCounter& operator=(const CardinalityCounter&) = delete;

  void Add(const FamilyView& family);
  // Rows sorted by cardinality, largest first; equal cardinalities by family name (promtool
  // leaves those in random order). `*total` receives the sum.
  [[nodiscard]] std::vector<CardinalityRow> Finish(uint64_t* total);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct CheckOptions {
  bool lint = true;
  bool cardinality = false;
  LintOptions lint_options;
  // How the text is read. With `lint`, Check() gives the parser a quarter of
  // text.max_name_table_bytes: the rest is for the linter's per-family problems.
  TextOptions text;
  // Honour `# promtool-cpp: disable=...` comments (lint_run.h, Suppressions).
  bool suppression_comments = true;
  // Threads, as ValidateOptions::jobs: a file is read in parts at family starts, each linted
  // apart; when a part fails to parse, a family (or its grouping name) is in two parts, or the
  // input has suppression comments, it is read again by one reader, so the problems, the
  // cardinality rows and the first error are always the one-thread result.
  unsigned jobs = 1;
};

struct CheckResult {
  Error error;  // !error.ok(): parsing stopped; problems and rows are then empty
  std::vector<Problem> problems;
  std::vector<Problem> comment_errors;  // suppression comments naming no rule (lint_run.h)
  std::vector<CardinalityRow> rows;
  uint64_t total = 0;
  // How many parts were linted at once (CheckOptions::jobs): 1 when one reader read it all.
  uint32_t parts = 1;

  bool ok() const { return error.ok(); }
};

// Parses the text-format payload in `source` and lints it and/or counts its cardinality in one
// streaming pass. Never prints, never throws.
[[nodiscard]] CheckResult Check(Source& source, const CheckOptions& options);

}  // namespace promtool::lint
