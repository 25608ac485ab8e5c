// LintSource(): lints one input of any format for CI output, with locations, suppression
// comments, config exclusions and severities, and the --extended label breakdown.
#include "promtool/lint_run.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lint/owned_view.h"
#include "model/owned_family.h"
#include "promtool/family_reader.h"
#include "promtool/input_format.h"
#include "promtool/text_parser.h"
#include "re2/re2.h"

namespace promtool::lint {
namespace {

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

uint64_t CharColumn(std::string_view line, uint64_t byte_column) {
  const size_t n = std::min<uint64_t>(byte_column > 0 ? byte_column - 1 : 0, line.size());
  uint64_t column = 1;
  for (size_t i = 0; i < n; ++i) {
    column += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
  }
  return column;
}

void Suppressions::ScanLeading(Source& source) {
  while (true) {
    // Done once the window holds a complete line that is neither a comment nor blank.
    const std::string_view window = source.window();
    bool found = false;
    for (size_t at = 0; at < window.size() && !found;) {
      const size_t nl = window.find('\n', at);
      if (nl == std::string_view::npos) break;
      const char first = window[at];
      found = first != '#' && first != '\n' && first != '\r';
      at = nl + 1;
    }
    if (found || source.at_eof()) break;
    if (!source.Refill(source.window_offset())) break;
  }
  Scan(source);
}

namespace {

// The first occurrence of `tag` (which ends in ':') in [p, p + n), or nullptr. memchr for the
// ':' runs at memory speed and ':' is rare in payloads; glibc's generic memmem is several
// times slower per byte (it showed as 4% of check metrics' instructions).
const char* FindTag(const char* p, size_t n, std::string_view tag) {
  const char* const end = p + n;
  const size_t head = tag.size() - 1;
  for (const char* q = p + head; q < end;) {
    const char* colon = static_cast<const char*>(std::memchr(q, ':', static_cast<size_t>(end - q)));
    if (colon == nullptr) return nullptr;
    if (std::memcmp(colon - head, tag.data(), head) == 0) return colon - head;
    q = colon + 1;
  }
  return nullptr;
}

}  // namespace

void Suppressions::Scan(Source& source) {
  const std::string_view window = source.window();
  const uint64_t base = source.window_offset();
  // Bytes dropped before they were scanned can only be inside a family larger than the read
  // chunk (FamilyReader keeps the current family and its look-ahead in the window), where a
  // comment would apply to the next family: scanning resumes at the window.
  uint64_t at = std::max(scanned_, base);
  const uint64_t limit = base + window.size();
  constexpr std::string_view kTag = "promtool-cpp:";
  while (at < limit) {
    const size_t rel = static_cast<size_t>(at - base);
    // Only lines holding the tag can be suppression comments: jump from one occurrence of the
    // tag to the next instead of visiting every line.
    const char* hit = FindTag(window.data() + rel, window.size() - rel, kTag);
    if (hit == nullptr) {
      if (source.at_eof()) {
        at = limit;
        break;
      }
      // The last, incomplete line may hold the start of a tag: scanned with the next window.
      const size_t last_nl = window.rfind('\n');
      if (last_nl != std::string_view::npos && last_nl >= rel) at = base + last_nl + 1;
      break;
    }
    const size_t h = static_cast<size_t>(hit - window.data());
    const size_t prev_nl = window.rfind('\n', h);
    const size_t line_start =
        prev_nl == std::string_view::npos || prev_nl < rel ? rel : prev_nl + 1;
    size_t nl = window.find('\n', h);
    if (nl == std::string_view::npos) {
      if (!source.at_eof()) {  // an incomplete line: scanned with the next window
        at = base + line_start;
        break;
      }
      nl = window.size();
    }
    std::string_view line = window.substr(line_start, nl - line_start);
    const uint64_t line_offset = base + line_start;
    at = base + nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() != '#') continue;
    size_t pos = 1;
    auto skip_blanks = [&] {
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    };
    skip_blanks();
    if (line.substr(pos, kTag.size()) != kTag) continue;
    pos += kTag.size();
    skip_blanks();
    bool file = false;
    if (line.substr(pos).starts_with("disable-file=")) {
      file = true;
      pos += 13;
    } else if (line.substr(pos).starts_with("disable=")) {
      pos += 8;
    } else {
      continue;
    }
    const size_t end = std::min(line.find_first_of(" \t", pos), line.size());
    const std::string globs(line.substr(pos, end - pos));
    // Every id must select a rule: a misspelt one would silently suppress nothing.
    size_t item = pos;
    bool bad = false;
    while (item <= end && !bad) {
      size_t comma = line.find(',', item);
      if (comma == std::string_view::npos || comma > end) comma = end;
      std::string_view id = line.substr(item, comma - item);
      absl::Status st = CheckRuleGlobs(id, "promtool-cpp comment");
      if (!st.ok()) {
        Problem p;
        p.rule = kSuppressionCommentRule;
        p.severity = Severity::kError;
        p.offset = line_offset + item;
        p.message = std::string(st.message());
        LineCol lc = source.Locate(p.offset);
        p.line = lc.line;
        p.column = CharColumn(line, lc.column);
        errors_.push_back(std::move(p));
        bad = true;
      }
      item = comma + 1;
    }
    if (bad) continue;
    if (file) {
      if (!file_globs_.empty()) file_globs_ += ',';
      file_globs_ += globs;
    } else {
      next_family_.emplace_back(line_offset, globs);
    }
  }
  scanned_ = std::max(scanned_, at);
}

void Suppressions::FamilyStart(uint64_t offset, std::string_view name) {
  if (!names_seen_.emplace(name).second) return;  // a later part of a split family
  starts_.emplace_back(offset, std::string(name));
}

uint64_t Suppressions::Filter(std::vector<Problem>& problems) const {
  if (file_globs_.empty() && next_family_.empty()) return 0;
  std::vector<std::pair<uint64_t, std::string>> starts = starts_;
  std::sort(starts.begin(), starts.end());
  std::map<std::string, std::string, std::less<>> family_globs;
  for (const auto& [offset, globs] : next_family_) {
    auto it = std::upper_bound(starts.begin(), starts.end(), offset,
                               [](uint64_t o, const auto& s) { return o < s.first; });
    if (it == starts.end()) continue;
    std::string& g = family_globs[it->second];
    if (!g.empty()) g += ',';
    g += globs;
  }
  uint64_t dropped = 0;
  std::erase_if(problems, [&](const Problem& p) {
    bool drop = !file_globs_.empty() && RuleSelected(file_globs_, p.rule);
    if (!drop) {
      auto it = family_globs.find(p.family);
      drop = it != family_globs.end() && RuleSelected(it->second, p.rule);
    }
    dropped += drop;
    return drop;
  });
  return dropped;
}

SourceLintResult LintSource(Source& source, const SourceLintOptions& options) {
  SourceLintResult result;
  const InputFormat format =
      options.format == InputFormat::kAuto ? DetectFormat(source) : options.format;
  result.format = format;

  Suppressions suppressions;
  const bool comments = format == InputFormat::kText && options.suppression_comments;

  Linter linter(options.lint);
  CardinalityCounter counter;
  LabelCounter labels;
  auto feed = [&](const FamilyView& view) {
    linter.Add(view);
    if (options.cardinality) counter.Add(view);
    if (options.top_values > 0) labels.Add(view);
    if (comments) {
      suppressions.Scan(source);
      suppressions.FamilyStart(view.offset, view.name);
    }
  };

  if (format == InputFormat::kText) {
    if (comments) suppressions.ScanLeading(source);
    TextOptions text;  // promtool lints with legacy names
    text.profile = options.lint.profile;
    TextParser parser(source, text);
    FamilyReader reader(parser);
    while (const FamilyView* view = reader.Next()) feed(*view);
    if (const Error* error = reader.error()) result.error = *error;
    if (comments) suppressions.Scan(source);
  } else {
    LossReport losses;  // linting loses nothing: every rule reads the model
    FamilyStreamOptions read;
    read.protobuf.max_message_bytes = options.max_message_bytes;
    std::unique_ptr<FamilyStream> stream = NewFamilyStream(source, format, read, &losses);
    OwnedViewBuilder builder;
    while (const OwnedFamily* family = stream->Next()) feed(builder.Build(*family));
    if (const Error* error = stream->error()) result.error = *error;
  }

  std::vector<Problem> problems = linter.Finish();
  result.comment_errors = suppressions.errors();
  if (!result.error.ok()) return result;  // an incomplete input is not linted (as promtool)

  // Suppression: comments, then config exclusions.
  result.suppressed = suppressions.Filter(problems);
  std::vector<std::unique_ptr<RE2>> regexes;
  if (options.config != nullptr) {
    for (const Exclusion& e : options.config->exclusions) {
      regexes.push_back(std::make_unique<RE2>(e.metric, RE2::Quiet));
    }
  }
  std::vector<Problem> kept;
  kept.reserve(problems.size());
  for (Problem& p : problems) {
    bool drop = false;
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
      p.column = CharColumn(source.LineAt(p.offset), at.column);
    }
  }
  result.problems = std::move(kept);
  if (options.cardinality) result.rows = counter.Finish(&result.total);
  if (options.top_values > 0) result.labels = labels.Finish(options.top_values);
  return result;
}

}  // namespace promtool::lint
