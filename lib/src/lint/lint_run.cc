// LintSource(): lints one input of any format for CI output, with locations, suppression
// comments, config exclusions and severities, and the --extended label breakdown.
#include "promtool/lint_run.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "lint/owned_view.h"
#include "model/owned_family.h"
#include "promtool/convert.h"
#include "promtool/family_reader.h"
#include "promtool/text_parser.h"
#include "re2/re2.h"

namespace promtool::lint {
namespace {

// `# promtool-cpp: disable=a,b` (next family) and `# promtool-cpp: disable-file=a,b` comments.
struct Directives {
  std::string file_globs;
  std::vector<std::pair<uint64_t, std::string>> next_family;  // (offset of the comment, globs)
};

Directives ScanDirectives(std::string_view window, uint64_t base) {
  Directives out;
  size_t at = 0;
  while (at < window.size()) {
    size_t nl = window.find('\n', at);
    if (nl == std::string_view::npos) nl = window.size();
    std::string_view line = window.substr(at, nl - at);
    const uint64_t offset = base + at;
    at = nl + 1;
    if (line.empty() || line.front() != '#') continue;
    line.remove_prefix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    constexpr std::string_view kTag = "promtool-cpp:";
    if (!line.starts_with(kTag)) continue;
    line.remove_prefix(kTag.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    bool file = false;
    if (line.starts_with("disable-file=")) {
      file = true;
      line.remove_prefix(13);
    } else if (line.starts_with("disable=")) {
      line.remove_prefix(8);
    } else {
      continue;
    }
    size_t end = line.find_first_of(" \t\r");
    std::string globs(line.substr(0, end));
    if (globs.empty()) continue;
    if (file) {
      if (!out.file_globs.empty()) out.file_globs += ',';
      out.file_globs += globs;
    } else {
      out.next_family.emplace_back(offset, std::move(globs));
    }
  }
  return out;
}

// Per family and label name, the number of series per label value.
class LabelCounter {
 public:
  void Add(const FamilyView& family) {
    auto& labels = families_[std::string(family.name)];
    for (const Series& s : family.series) {
      for (const Label& l : s.labels) ++labels[std::string(l.name)][std::string(l.value)];
    }
  }
  std::vector<FamilyLabels> Finish(size_t top) {
    std::vector<FamilyLabels> out;
    for (auto& [family, labels] : families_) {
      FamilyLabels f{family, {}};
      for (auto& [name, values] : labels) {
        LabelBreakdown b{name, values.size(), {}};
        std::vector<std::pair<std::string, uint64_t>> all(values.begin(), values.end());
        const size_t n = std::min(top, all.size());
        std::partial_sort(all.begin(), all.begin() + static_cast<ptrdiff_t>(n), all.end(),
                          [](const auto& a, const auto& b2) {
                            if (a.second != b2.second) return a.second > b2.second;
                            return a.first < b2.first;
                          });
        all.resize(n);
        b.top = std::move(all);
        f.labels.push_back(std::move(b));
      }
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  std::map<std::string, std::map<std::string, absl::flat_hash_map<std::string, uint64_t>>>
      families_;
};

}  // namespace

SourceLintResult LintSource(Source& source, const SourceLintOptions& options) {
  SourceLintResult result;
  const InputFormat format =
      options.format == InputFormat::kAuto ? DetectFormat(source) : options.format;
  result.format = format;

  Directives directives;
  if (format == InputFormat::kText && options.suppression_comments) {
    directives = ScanDirectives(source.window(), source.window_offset());
  }

  Linter linter(options.lint);
  CardinalityCounter counter;
  LabelCounter labels;
  std::vector<std::pair<uint64_t, std::string>> starts;  // first offset of each family
  absl::flat_hash_set<std::string> seen;
  auto feed = [&](const FamilyView& view) {
    linter.Add(view);
    if (options.cardinality) counter.Add(view);
    if (options.top_values > 0) labels.Add(view);
    if (!directives.next_family.empty() && seen.insert(std::string(view.name)).second) {
      starts.emplace_back(view.offset, std::string(view.name));
    }
  };

  if (format == InputFormat::kText) {
    TextOptions text;  // promtool lints with legacy names
    text.profile = options.lint.profile;
    TextParser parser(source, text);
    FamilyReader reader(parser);
    while (const FamilyView* view = reader.Next()) feed(*view);
    if (const ParseError* error = reader.error()) result.error = *error;
  } else {
    LossReport losses;  // linting loses nothing: every rule reads the model
    std::unique_ptr<FamilyStream> stream;
    if (format == InputFormat::kOpenMetrics) {
      stream = NewOpenMetricsFamilyStream(source, &losses);
    } else {
      ProtobufReadOptions pb_options;
      pb_options.max_message_bytes = options.max_message_bytes;
      stream = NewProtobufFamilyStream(source, pb_options, &losses);
    }
    OwnedViewBuilder builder;
    while (const OwnedFamily* family = stream->Next()) feed(builder.Build(*family));
    if (const ParseError* error = stream->error()) result.error = *error;
  }

  std::vector<Problem> problems = linter.Finish();
  if (!result.error.ok()) return result;  // an incomplete input is not linted (as promtool)

  // Suppression: comments, then config exclusions.
  std::sort(starts.begin(), starts.end());
  std::map<std::string, std::string, std::less<>> family_globs;
  for (const auto& [offset, globs] : directives.next_family) {
    auto it = std::upper_bound(starts.begin(), starts.end(), offset,
                               [](uint64_t o, const auto& s) { return o < s.first; });
    if (it == starts.end()) continue;
    std::string& g = family_globs[it->second];
    if (!g.empty()) g += ',';
    g += globs;
  }
  std::vector<std::unique_ptr<RE2>> regexes;
  if (options.config != nullptr) {
    for (const Exclusion& e : options.config->exclusions) {
      regexes.push_back(std::make_unique<RE2>(e.metric, RE2::Quiet));
    }
  }
  std::vector<Problem> kept;
  kept.reserve(problems.size());
  for (Problem& p : problems) {
    bool drop = !directives.file_globs.empty() && RuleSelected(directives.file_globs, p.rule);
    if (!drop) {
      auto it = family_globs.find(p.family);
      drop = it != family_globs.end() && RuleSelected(it->second, p.rule);
    }
    for (size_t i = 0; !drop && i < regexes.size(); ++i) {
      const Exclusion& e = options.config->exclusions[i];
      drop = regexes[i]->ok() && RE2::FullMatch(p.family, *regexes[i]) &&
             (e.rules.empty() || RuleSelected(e.rules, p.rule));
    }
    if (drop) {
      ++result.suppressed;
      continue;
    }
    if (options.config != nullptr) {
      auto it = options.config->severity.find(p.rule);
      if (it != options.config->severity.end()) p.severity = it->second;
    }
    kept.push_back(std::move(p));
  }

  // Locations, asked for in increasing offset order (cheap for the source).
  if (format != InputFormat::kProtobuf) {
    std::vector<size_t> order(kept.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return kept[a].offset < kept[b].offset; });
    const uint64_t lo = source.window_offset();
    const uint64_t hi = lo + source.window().size();
    for (size_t i : order) {
      Problem& p = kept[i];
      if (p.offset < lo || p.offset > hi) continue;
      LineCol at = source.Locate(p.offset);
      p.line = at.line;
      p.column = at.column;
    }
  }
  result.problems = std::move(kept);
  if (options.cardinality) result.rows = counter.Finish(&result.total);
  if (options.top_values > 0) result.labels = labels.Finish(options.top_values);
  return result;
}

}  // namespace promtool::lint
