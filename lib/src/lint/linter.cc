// The lint engine: streams family views through the selected rules, defers family-level rules
// to the end of input, and sorts what they report.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "lint/rule.h"
#include "lint/series_key.h"
#include "model/text_chunks.h"
#include "promtool/family_reader.h"
#include "promtool/lint_run.h"
#include "text/name_table.h"

namespace promtool::lint {

bool ProblemLess(const Problem& a, const Problem& b) {
  return std::tie(a.family, a.message, a.offset) < std::tie(b.family, b.message, b.offset);
}

namespace {

class CollectingSink : public ProblemSink {
 public:
  void Report(const RuleInfo& rule, std::string_view family, uint64_t offset,
              std::string_view message) override {
    problems.push_back(
        Problem{rule.id, rule.severity, std::string(family), offset, std::string(message)});
  }
  std::vector<Problem> problems;
};

}  // namespace

struct Linter::Impl {
  // What a family needs for its family-level rules once the input has ended.
  struct FamilyState {
    uint64_t offset = 0;
    const char* name = nullptr;  // in `arena`
    uint32_t name_len = 0;
    MetricType type = MetricType::kUntyped;
    bool type_declared = false;
    bool has_help = false;
    bool has_series = false;
  };

  std::vector<std::unique_ptr<Rule>> family_rules, series_rules;
  // Families in order of first appearance (compact: the names in an arena, ids by name in an
  // open-addressing index).
  text_internal::NameArena arena;
  text_internal::NameIndex index;
  std::vector<FamilyState> states;
  std::string_view NameOf(uint32_t id) const { return {states[id].name, states[id].name_len}; }
  // Histogram/summary series seen so far (family name and label set), to merge split parts.
  SeriesKeySet grouped_seen;
  std::vector<Series> fresh;  // scratch: the new series of a continued view
  CollectingSink sink;
};

Linter::Linter(const LintOptions& options) : impl_(std::make_unique<Impl>()) {
  for (auto& rule : MakeAllRules()) {
    if (!RuleSelected(options.rules, rule->info().id)) continue;
    rule->Configure(options);
    (rule->scope() == Scope::kFamily ? impl_->family_rules : impl_->series_rules)
        .push_back(std::move(rule));
  }
}

Linter::~Linter() = default;

void Linter::Add(const FamilyView& family) {
  Impl& m = *impl_;
  const uint64_t hash = text_internal::NameIndex::Hash(family.name);
  uint32_t id = m.index.Find(family.name, hash, [&m](uint32_t i) { return m.NameOf(i); });
  if (id == text_internal::NameIndex::kNone) {
    id = static_cast<uint32_t>(m.states.size());
    std::string_view stored = m.arena.Store(family.name);
    Impl::FamilyState fresh;
    fresh.offset = family.offset;
    fresh.name = stored.data();
    fresh.name_len = static_cast<uint32_t>(stored.size());
    m.states.push_back(fresh);
    m.index.Insert(hash, id);
  }
  Impl::FamilyState& state = m.states[id];
  state.has_help = state.has_help || family.has_help;
  state.type = family.type;
  state.type_declared = family.type_declared;
  if (family.series.empty()) return;
  state.has_series = true;

  const FamilyView* view = &family;
  FamilyView filtered;
  if (IsGrouped(family.type)) {
    // promtool merges a histogram or summary series into the first one with the same label
    // set, even across other families; only the new ones are checked again.
    m.fresh.clear();
    for (const Series& s : family.series) {
      bool is_new = m.grouped_seen.Insert(family.name, UnorderedKey(family.name, s));
      if (family.continued && is_new) m.fresh.push_back(s);
    }
    if (family.continued) {
      filtered = family;
      filtered.series = m.fresh;
      view = &filtered;
    }
  }
  if (view->series.empty()) return;
  for (auto& rule : m.series_rules) rule->Check(*view, m.sink);
}

std::vector<Problem> Linter::Finish() {
  Impl& m = *impl_;
  for (size_t i = 0; i < m.states.size(); ++i) {
    const Impl::FamilyState& state = m.states[i];
    if (!state.has_series) continue;
    FamilyView view;
    view.name = m.NameOf(static_cast<uint32_t>(i));
    view.has_help = state.has_help;
    view.type = state.type;
    view.type_declared = state.type_declared;
    view.offset = state.offset;
    for (auto& rule : m.family_rules) rule->Check(view, m.sink);
  }
  std::vector<Problem> out = std::move(m.sink.problems);
  std::sort(out.begin(), out.end(), ProblemLess);
  m.sink.problems.clear();
  m.arena = {};
  m.index = {};
  m.states.clear();
  m.grouped_seen.Clear();
  for (auto& rule : m.series_rules) rule->Reset();
  for (auto& rule : m.family_rules) rule->Reset();
  return out;
}

namespace {

// Parts smaller than the converters' (kFamilyPartSeries): the rules cost the same per series
// whatever the part size, and the reader's records for 1024 series of a family with many labels
// are a few MiB less (measured: 58 against 66 MiB of peak RSS on a 1 GB payload).
constexpr uint32_t kLintPartSeries = 1024;

// Check() with one reader; `names` (if given) receives the name of every family the parser saw,
// and `name_bytes` the size of its family-name table.
CheckResult CheckOnce(Source& source, const CheckOptions& options,
                      std::vector<std::string>* names = nullptr, uint64_t* name_bytes = nullptr,
                      bool* suppresses = nullptr) {
  CheckResult result;
  Suppressions suppressions;
  const bool comments = options.lint && options.suppression_comments;
  if (comments) suppressions.ScanLeading(source);
  TextOptions text = options.text;
  // The linter keeps a problem per family (up to ~5x the family's name state while its list
  // grows), so when it runs the parser's per-name budget is a quarter of the one given.
  if (options.lint) text.max_name_table_bytes /= 4;
  TextParser parser(source, text);
  FamilyReader reader(parser);
  reader.SetMaxFamilyBytes(text.max_family_bytes);
  // Every rule keeps what it needs across the views of a family (series rules see each series
  // once, family rules run at the end), so gauges, counters and untyped families are read in
  // parts and never held whole.
  reader.SetMaxPartSeries(kLintPartSeries);
  std::unique_ptr<Linter> linter;
  std::unique_ptr<CardinalityCounter> counter;
  if (options.lint) linter = std::make_unique<Linter>(options.lint_options);
  if (options.cardinality) counter = std::make_unique<CardinalityCounter>();
  while (const FamilyView* family = reader.Next()) {
    if (linter) linter->Add(*family);
    if (counter) counter->Add(*family);
    if (comments) {
      suppressions.Scan(source);
      suppressions.FamilyStart(family->offset, family->name);
    }
  }
  if (comments) suppressions.Scan(source);
  result.comment_errors = suppressions.errors();
  if (const Error* error = reader.error()) {
    result.error = *error;
    return result;
  }
  if (names != nullptr) {
    for (const auto f : parser.families()) names->emplace_back(f->name);
  }
  if (name_bytes != nullptr) *name_bytes = parser.name_table_bytes();
  if (suppresses != nullptr) *suppresses = suppressions.any();
  if (linter) {
    result.problems = linter->Finish();
    suppressions.Filter(result.problems);
  }
  if (counter) result.rows = counter->Finish(&result.total);
  return result;
}

// Check() in parts, one thread each (CheckOptions::jobs): the result when every part parses,
// their families are disjoint and there is no suppression comment; nullopt otherwise.
std::optional<CheckResult> CheckInParts(Source& source, const CheckOptions& options) {
  const std::optional<std::string_view> whole = source.Whole();
  if (!whole) return std::nullopt;
  const std::vector<uint64_t> cuts = text_chunks::CutPoints(
      source, whole->size(), text_chunks::Jobs(options.jobs), text_chunks::kMinPartBytes);
  if (cuts.empty()) return std::nullopt;
  std::vector<std::unique_ptr<Source>> slices = text_chunks::SliceAt(source, whole->size(), cuts);
  if (slices.empty()) return std::nullopt;
  struct Part {
    CheckResult result;
    std::vector<std::string> names;
    uint64_t name_bytes = 0;
    bool suppresses = false;  // it has a suppression comment
  };
  std::vector<Part> parts(slices.size());
  CheckOptions one = options;
  one.jobs = 1;
  text_chunks::ReadEach(parts.size(), [&](size_t i) {
    Part& part = parts[i];
    part.result = CheckOnce(*slices[i], one, &part.names, &part.name_bytes, &part.suppresses);
  });

  CheckResult result;
  text_chunks::Disjoint disjoint;
  uint64_t name_bytes = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    Part& part = parts[i];
    // A comment may suppress problems of the whole file or of the next family, in another
    // part: the one reader matches comments to families.
    if (!part.result.ok() || !part.result.comment_errors.empty() || part.suppresses) {
      return std::nullopt;
    }
    for (const std::string& name : part.names) {
      if (!disjoint.Add(name, static_cast<uint32_t>(i))) return std::nullopt;
    }
    name_bytes += part.name_bytes;
  }
  // The one reader's budget for family names (see CheckOnce) covers every part's names at once.
  if (options.text.max_name_table_bytes > 0 &&
      name_bytes > (options.lint ? options.text.max_name_table_bytes / 4
                                 : options.text.max_name_table_bytes)) {
    return std::nullopt;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    Part& part = parts[i];
    const uint64_t begin = i == 0 ? 0 : cuts[i - 1];
    for (Problem& p : part.result.problems) {
      p.offset += begin;
      result.problems.push_back(std::move(p));
    }
    for (CardinalityRow& row : part.result.rows) result.rows.push_back(std::move(row));
    result.total += part.result.total;
  }
  std::sort(result.problems.begin(), result.problems.end(), ProblemLess);
  // The rows as CardinalityCounter::Finish() orders them, with fractions of the whole total.
  OrderCardinalityRows(&result.rows, result.total);
  result.parts = static_cast<uint32_t>(parts.size());
  source.Evict();
  return result;
}

}  // namespace

CheckResult Check(Source& source, const CheckOptions& options) {
  if (options.jobs != 1) {
    if (std::optional<CheckResult> parts = CheckInParts(source, options)) return *parts;
  }
  return CheckOnce(source, options);
}

}  // namespace promtool::lint
