// Per-family cardinality as `promtool check metrics --extended` counts it.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lint/rule.h"
#include "lint/series_key.h"
#include "promtool/lint.h"

namespace promtool::lint {

struct CardinalityCounter::Impl {
  struct FamilyCount {
    std::string name;
    MetricType type = MetricType::kUntyped;
    uint64_t series = 0;
    uint64_t first_parts = 0;  // buckets or quantiles of the family's first series
    uint64_t first_key = 0;
  };
  std::vector<FamilyCount> families;
  absl::flat_hash_map<std::string, uint32_t> index;
  SeriesKeySet grouped_seen;
};

CardinalityCounter::CardinalityCounter() : impl_(std::make_unique<Impl>()) {}
CardinalityCounter::~CardinalityCounter() = default;

void CardinalityCounter::Add(const FamilyView& family) {
  if (family.series.empty()) return;
  Impl& m = *impl_;
  auto [it, inserted] =
      m.index.try_emplace(std::string(family.name), static_cast<uint32_t>(m.families.size()));
  if (inserted) m.families.push_back(Impl::FamilyCount{std::string(family.name), family.type});
  Impl::FamilyCount& count = m.families[it->second];
  count.type = family.type;
  if (!IsGrouped(family.type)) {
    count.series += family.series.size();
    return;
  }
  for (const Series& s : family.series) {
    const uint64_t key = UnorderedKey(family.name, s);
    const uint64_t parts =
        family.type == MetricType::kHistogram ? s.buckets.size() : s.quantiles.size();
    if (m.grouped_seen.Insert(family.name, key)) {
      if (count.series++ == 0) {
        count.first_key = key;
        count.first_parts = parts;
      }
    } else if (key == count.first_key) {
      count.first_parts += parts;  // a later part of the first series
    }
  }
}

std::vector<CardinalityRow> CardinalityCounter::Finish(uint64_t* total) {
  Impl& m = *impl_;
  std::vector<CardinalityRow> rows;
  rows.reserve(m.families.size());
  uint64_t sum = 0;
  for (const Impl::FamilyCount& f : m.families) {
    uint64_t n = IsGrouped(f.type) ? f.series * (2 + f.first_parts) : f.series;
    rows.push_back(CardinalityRow{f.name, n, 0});
    sum += n;
  }
  OrderCardinalityRows(&rows, sum);
  *total = sum;
  m.families.clear();
  m.index.clear();
  m.grouped_seen.Clear();
  return rows;
}

void OrderCardinalityRows(std::vector<CardinalityRow>* rows, uint64_t total) {
  for (CardinalityRow& row : *rows) {
    row.fraction = static_cast<double>(row.cardinality) / static_cast<double>(total);
  }
  std::sort(rows->begin(), rows->end(), [](const CardinalityRow& a, const CardinalityRow& b) {
    if (a.cardinality != b.cardinality) return a.cardinality > b.cardinality;
    return a.family < b.family;
  });
}

}  // namespace promtool::lint
