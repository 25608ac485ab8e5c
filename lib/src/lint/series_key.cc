// Label-set keys: a strong 64-bit mix of std::hash over names and values.
#include "lint/series_key.h"

#include <functional>

namespace promtool::lint {

namespace {

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t HashOf(std::string_view s) { return Mix(std::hash<std::string_view>{}(s)); }

uint64_t PairKey(const Label& l) {
  // Distinct constants keep ("ab","c") and ("a","bc") apart.
  return Mix(HashOf(l.name) * 0x9e3779b97f4a7c15ULL + HashOf(l.value) + 0x632be59bd9b4e019ULL);
}

}  // namespace

uint64_t OrderedKey(std::string_view family, const Series& series) {
  uint64_t h = HashOf(family);
  for (const Label& l : series.labels) h = Mix(h * 0x100000001b3ULL + PairKey(l));
  return Mix(h + series.labels.size());
}

uint64_t UnorderedKey(std::string_view family, const Series& series) {
  uint64_t sum = 0, x = 0;
  for (const Label& l : series.labels) {
    uint64_t k = PairKey(l);
    sum += k;
    x ^= Mix(k + 0x2545f4914f6cdd1dULL);
  }
  return Mix(HashOf(family) ^ Mix(sum) ^ (x * 0x9e3779b97f4a7c15ULL) ^ series.labels.size());
}

}  // namespace promtool::lint
