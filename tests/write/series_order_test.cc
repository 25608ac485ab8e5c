// fmt's series order: SortSeries() by byte keys must give exactly client_golang's order (the
// comparison below, written the way the Go sorter states it), stably.
#include "write/series_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace promtool {
namespace {

namespace pb = io::prometheus::client;

// The order as stated: fewer labels first; then the values position by position; then the
// timestamp, none last.
bool Reference(const pb::Metric& a, const pb::Metric& b) {
  if (a.label_size() != b.label_size()) return a.label_size() < b.label_size();
  for (int i = 0; i < a.label_size(); ++i) {
    if (a.label(i).value() != b.label(i).value()) return a.label(i).value() < b.label(i).value();
  }
  if (!a.has_timestamp_ms()) return false;
  if (!b.has_timestamp_ms()) return true;
  return a.timestamp_ms() < b.timestamp_ms();
}

pb::Metric Make(std::vector<std::string> values, bool has_ts, int64_t ts, double tag) {
  pb::Metric m;
  for (size_t i = 0; i < values.size(); ++i) {
    pb::LabelPair* l = m.add_label();
    std::string name = std::to_string(i);
    name.insert(0, 1, 'l');  // not "l" + ...: GCC 12 warns wrongly (-Wrestrict) on that
    l->set_name(name);
    l->set_value(values[i]);
  }
  if (has_ts) m.set_timestamp_ms(ts);
  m.mutable_gauge()->set_value(tag);  // identifies the series after sorting
  return m;
}

std::vector<double> Tags(const google::protobuf::RepeatedPtrField<pb::Metric>& ms) {
  std::vector<double> out;
  for (const pb::Metric& m : ms) out.push_back(m.gauge().value());
  return out;
}

TEST(SeriesOrder, Table) {
  struct Case {
    std::string name;
    std::vector<pb::Metric> in;
    std::vector<double> want;  // tags in the sorted order
  };
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const std::vector<Case> cases = {
      {"fewer labels first", {Make({"a", "b"}, false, 0, 1), Make({"z"}, false, 0, 2)}, {2, 1}},
      {"value before its extension", {Make({"ab"}, false, 0, 1), Make({"a"}, false, 0, 2)}, {2, 1}},
      {"values one by one, not concatenated",
       {Make({"ab", "a"}, false, 0, 1), Make({"a", "ba"}, false, 0, 2)},
       {2, 1}},
      {"NUL inside a value",
       {Make({std::string("a\0b", 3)}, false, 0, 1), Make({"a"}, false, 0, 2)},
       {2, 1}},
      {"NUL against 0x01",
       {Make({std::string("a\x01", 2)}, false, 0, 1), Make({std::string("a\0", 2)}, false, 0, 2)},
       {2, 1}},
      {"bytes are unsigned", {Make({"\xc3\xa9"}, false, 0, 1), Make({"z"}, false, 0, 2)}, {2, 1}},
      {"timestamps, negative first, none last",
       {Make({}, false, 0, 1), Make({}, true, 5, 2), Make({}, true, -5, 3),
        Make({}, true, kMin, 4)},
       {4, 3, 2, 1}},
      {"equal series keep their order",
       {Make({"x"}, false, 0, 1), Make({"x"}, false, 0, 2), Make({"w"}, false, 0, 3)},
       {3, 1, 2}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    google::protobuf::RepeatedPtrField<pb::Metric> ms(c.in.begin(), c.in.end());
    SortSeries(&ms);
    EXPECT_EQ(Tags(ms), c.want);
  }
}

// Many random series over a small alphabet (so ties, prefixes and NUL bytes are common): the
// same permutation as a stable sort with the stated comparison.
TEST(SeriesOrder, MatchesTheStatedOrderOnRandomSeries) {
  std::mt19937 rng(17);
  const std::vector<std::string> alphabet = {
      "", "a", "ab", std::string("a\0", 2), std::string("a\0b", 3), "b", "\xff", "a\xff"};
  const std::vector<int64_t> stamps = {std::numeric_limits<int64_t>::min(), -1, 0, 1,
                                       std::numeric_limits<int64_t>::max()};
  for (int round = 0; round < 50; ++round) {
    std::vector<pb::Metric> in;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> values(rng() % 3);
      for (std::string& v : values) v = alphabet[rng() % alphabet.size()];
      in.push_back(Make(values, rng() % 3 != 0, stamps[rng() % stamps.size()], i));
    }
    std::vector<pb::Metric> want = in;
    std::stable_sort(want.begin(), want.end(), Reference);
    google::protobuf::RepeatedPtrField<pb::Metric> got(in.begin(), in.end());
    SortSeries(&got);
    google::protobuf::RepeatedPtrField<pb::Metric> expected(want.begin(), want.end());
    ASSERT_EQ(Tags(got), Tags(expected)) << "round " << round;
  }
}

}  // namespace
}  // namespace promtool
