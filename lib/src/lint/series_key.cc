// Label-set keys over common/hash.h's label hashing (ordered and order-free).
#include "lint/series_key.h"

#include <algorithm>
#include <cstddef>

#include "common/hash.h"

namespace promtool::lint {

namespace {
constexpr uint64_t kFamilySeed = 0x452821e638d01377ULL;
}  // namespace

// Each label's text hashed once (hash::LabelText: 16 bytes per multiply, no copy for a parser's
// views); the Bytes()-based hash::Label() was 14% of check metrics.
uint64_t OrderedKey(std::string_view family, const Series& series) {
  std::string scratch;
  hash::Ordered h(hash::Wide(family, kFamilySeed));
  for (const Label& l : series.labels) h.Add(hash::LabelText(l.name, l.value, &scratch));
  return h.Finish();
}

uint64_t UnorderedKey(std::string_view family, const Series& series) {
  std::string scratch;
  hash::Unordered h(hash::Wide(family, kFamilySeed));
  for (const Label& l : series.labels) h.Add(hash::LabelText(l.name, l.value, &scratch));
  return h.Finish();
}

bool SeriesKeySet::Insert(std::string_view family, uint64_t key) {
  if (family != current_) {
    Seal();
    current_.assign(family);
    auto it = sealed_.find(current_);
    runs_ = it == sealed_.end() ? nullptr : &it->second;
    if (runs_ != nullptr) Sort(runs_);  // the family came back: its keys are searched
  }
  if (runs_ != nullptr) {
    for (const std::vector<uint64_t>& run : runs_->runs) {
      if (std::binary_search(run.begin(), run.end(), key)) return false;
    }
  }
  return fresh_.insert(key).second;
}

void SeriesKeySet::Seal() {
  if (fresh_.empty()) return;
  Runs& runs = sealed_[current_];
  // (A family that came back had its earlier keys sorted then: `unsorted` is empty here.)
  runs.unsorted.insert(runs.unsorted.end(), fresh_.begin(), fresh_.end());
  fresh_ = {};  // frees the table: the next family may be much smaller
}

void SeriesKeySet::Sort(Runs* r) {
  if (r->unsorted.empty()) return;
  std::vector<uint64_t> run = std::move(r->unsorted);
  r->unsorted = {};
  std::sort(run.begin(), run.end());
  std::vector<std::vector<uint64_t>>& runs = r->runs;
  runs.push_back(std::move(run));
  // Runs shrink geometrically (each under half the one before it), so a family that keeps
  // coming back has O(log n) runs to search, at O(n log n) merging in all.
  while (runs.size() >= 2 && runs[runs.size() - 2].size() <= 2 * runs.back().size()) {
    std::vector<uint64_t>& a = runs[runs.size() - 2];
    const std::vector<uint64_t>& b = runs.back();
    const size_t mid = a.size();
    a.insert(a.end(), b.begin(), b.end());
    std::inplace_merge(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(mid), a.end());
    runs.pop_back();
  }
}

void SeriesKeySet::Clear() {
  current_.clear();
  fresh_ = {};
  runs_ = nullptr;
  sealed_.clear();
}

}  // namespace promtool::lint
