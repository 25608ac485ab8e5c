// The one ordered list of lint rules, and rule selection by id globs.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lint/rule.h"
#include "promtool/lint_run.h"
#include "promtool/suggest.h"

namespace promtool::lint {

std::vector<std::unique_ptr<Rule>> MakeAllRules() {
  // promtool's order: help, units, counter, histogram/summary reserved names, type in name,
  // reserved chars, camel case, abbreviations, duplicates.
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(MakeNoHelp());
  rules.push_back(MakeBaseUnit());
  rules.push_back(MakeCounterTotalSuffix());
  rules.push_back(MakeNonCounterTotalSuffix());
  rules.push_back(MakeHistogramSuffixes());
  rules.push_back(MakeLeLabel());
  rules.push_back(MakeQuantileLabel());
  rules.push_back(MakeTypeInName());
  rules.push_back(MakeReservedChars());
  rules.push_back(MakeCamelCaseMetric());
  rules.push_back(MakeCamelCaseLabel());
  rules.push_back(MakeAbbreviatedUnits());
  rules.push_back(MakeMetricNotUnique());
  // Beyond promlint, off unless selected (`*`, their ids, or a config file).
  rules.push_back(MakeHistogramNoInfBucket());
  rules.push_back(MakeHistogramBucketsCumulative());
  rules.push_back(MakeHistogramCountMismatch());
  rules.push_back(MakeSumCountPair());
  rules.push_back(MakeSummaryQuantileRange());
  rules.push_back(MakeCounterNegative());
  rules.push_back(MakeDuplicateLabelName());
  rules.push_back(MakeGaugeTotalSuffix());
  rules.push_back(MakeLabelCardinality());
  rules.push_back(MakeTimestampRange());
  rules.push_back(MakeNativeHistogram());
  rules.push_back(MakeOpenMetricsLegacyLines());
  return rules;
}

std::span<const RuleInfo> Rules() {
  static const std::vector<RuleInfo>* const kRules = [] {
    auto* infos = new std::vector<RuleInfo>();
    for (const auto& rule : MakeAllRules()) infos->push_back(rule->info());
    return infos;
  }();
  return *kRules;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

namespace {

// Glob match with '*' only.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool RuleSelected(std::string_view globs, std::string_view id) {
  bool selected = false;
  while (!globs.empty()) {
    size_t comma = globs.find(',');
    std::string_view item = globs.substr(0, comma);
    globs = comma == std::string_view::npos ? std::string_view() : globs.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    bool exclude = item.front() == '-';
    if (exclude) item.remove_prefix(1);
    bool match = false;
    if (item == "default") {
      for (const RuleInfo& rule : Rules()) match = match || (rule.id == id && rule.default_on);
    } else {
      match = GlobMatch(item, id);
    }
    if (match) selected = !exclude;
  }
  return selected;
}

std::string_view ClosestRule(std::string_view text) {
  // A glob `stem*` (`*stem`) is compared with the ids' prefixes (suffixes) of the stem's length;
  // any other text with the whole id, without its '*'.
  const bool prefix = text.size() > 1 && text.back() == '*';
  const bool suffix = !prefix && text.size() > 1 && text.front() == '*';
  std::string stem(text);
  stem.erase(std::remove(stem.begin(), stem.end(), '*'), stem.end());
  std::string_view best;
  size_t best_distance = 0;
  for (const RuleInfo& rule : Rules()) {
    std::string_view id = rule.id;
    if (prefix) id = id.substr(0, std::min(id.size(), stem.size()));
    if (suffix && id.size() > stem.size()) id = id.substr(id.size() - stem.size());
    const size_t d = EditDistance(stem, id);
    if (best.empty() || d < best_distance) {
      best = rule.id;
      best_distance = d;
    }
  }
  return best;
}

absl::Status CheckRuleGlobs(std::string_view globs, std::string_view what) {
  bool any_item = false;
  while (true) {
    const size_t comma = globs.find(',');
    std::string_view item = globs.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() && item.front() == '-') item.remove_prefix(1);
    if (!item.empty()) {
      any_item = true;
      bool matches = item == "default";
      for (const RuleInfo& rule : Rules()) matches = matches || GlobMatch(item, rule.id);
      if (!matches) {
        const bool glob = item.find('*') != std::string_view::npos;
        return absl::InvalidArgumentError(
            std::string(what) + (glob ? ": the glob \"" : ": unknown rule \"") + std::string(item) +
            (glob ? "\" matches no rule" : "\"") + "; did you mean \"" +
            std::string(ClosestRule(item)) + "\"? (`promtool-cpp rules` lists them)");
      }
    }
    if (comma == std::string_view::npos) break;
    globs.remove_prefix(comma + 1);
  }
  if (!any_item) {
    return absl::InvalidArgumentError(std::string(what) + ": no rule id given");
  }
  return absl::OkStatus();
}

bool SelectsAnyRule(std::string_view globs) {
  for (const RuleInfo& rule : Rules()) {
    if (RuleSelected(globs, rule.id)) return true;
  }
  return false;
}

bool HasWordSegment(std::string_view name, std::string_view word) {
  if (name.size() > word.size() && name.substr(name.size() - word.size()) == word &&
      name[name.size() - word.size() - 1] == '_') {
    return true;
  }
  for (size_t at = name.find('_'); at != std::string_view::npos; at = name.find('_', at + 1)) {
    if (name.size() - at >= word.size() + 2 && name.substr(at + 1, word.size()) == word &&
        name[at + 1 + word.size()] == '_') {
      return true;
    }
  }
  return false;
}

}  // namespace promtool::lint
