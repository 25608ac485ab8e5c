// 64-bit keys of a series' label set, for the cross-view state of the linter and the counter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "promtool/family.h"

namespace promtool::lint {

// Key of the label list in the order written (promtool compares label lists in order when it
// looks for duplicate series), mixed with the family name.
uint64_t OrderedKey(std::string_view family, const Series& series);

// Key of the label set regardless of order (promtool's signature, under which it merges
// histogram and summary lines), mixed with the family name.
uint64_t UnorderedKey(std::string_view family, const Series& series);

// The series keys every family has had so far, across the whole input (a family split by other
// families is one family to promtool). Only the family being read keeps a hash set; when the
// input moves on to another family, its keys are copied into a run of 8 bytes a key, sorted and
// searched only if the family comes back (most never do, and sorting every family's keys was 8%
// of check metrics). So memory is 8 bytes per series of the input plus the hash set of one
// family, not a hash set of every series.
class SeriesKeySet {
 public:
  // True when `family` had no series with `key` yet (the key is then remembered).
  bool Insert(std::string_view family, uint64_t key);
  void Clear();

 private:
  struct Runs {
    std::vector<std::vector<uint64_t>> runs;  // sorted, each under half the one before it
    std::vector<uint64_t> unsorted;           // the keys of the last time the family ended
  };
  void Seal();
  static void Sort(Runs* runs);
  std::string current_;                  // the family of `fresh_`
  absl::flat_hash_set<uint64_t> fresh_;  // its keys since it (re)started
  Runs* runs_ = nullptr;                 // its earlier keys, or nullptr
  // The keys of the families read before, by family name.
  absl::flat_hash_map<std::string, Runs> sealed_;
};

}  // namespace promtool::lint
