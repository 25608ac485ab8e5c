// fmt's series order: sort keys and the sort (see series_order.h).
#include "write/series_order.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace promtool {

namespace pb = io::prometheus::client;

void AppendSeriesSortKey(const pb::Metric& m, std::string* key) {
  const uint32_t n = static_cast<uint32_t>(m.label_size());
  for (int shift = 24; shift >= 0; shift -= 8) key->push_back(static_cast<char>(n >> shift));
  for (const pb::LabelPair& l : m.label()) {
    const std::string& v = l.value();
    size_t from = 0;
    for (size_t zero = v.find('\0'); zero != std::string::npos; zero = v.find('\0', from)) {
      key->append(v, from, zero - from);
      key->append("\0\xff", 2);
      from = zero + 1;
    }
    key->append(v, from);
    key->append("\0\0", 2);
  }
  if (m.has_timestamp_ms()) {
    key->push_back('\0');
    const uint64_t t = static_cast<uint64_t>(m.timestamp_ms()) ^ (uint64_t{1} << 63);
    for (int shift = 56; shift >= 0; shift -= 8) key->push_back(static_cast<char>(t >> shift));
  } else {
    key->push_back('\x01');
  }
}

void SortSeries(google::protobuf::RepeatedPtrField<pb::Metric>* metrics) {
  const int n = metrics->size();
  if (n < 2) return;
  struct Keyed {
    uint64_t prefix;  // the key's first 8 bytes, big-endian, zero-padded
    uint32_t begin, size, index;
  };
  std::string keys;
  std::vector<Keyed> order(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const size_t begin = keys.size();
    AppendSeriesSortKey(metrics->Get(i), &keys);
    order[i] = Keyed{0, static_cast<uint32_t>(begin), static_cast<uint32_t>(keys.size() - begin),
                     static_cast<uint32_t>(i)};
  }
  if (keys.size() > UINT32_MAX) {  // offsets would not fit: compare the messages instead
    std::stable_sort(metrics->pointer_begin(), metrics->pointer_end(),
                     [](const pb::Metric* a, const pb::Metric* b) {
                       std::string ka, kb;
                       AppendSeriesSortKey(*a, &ka);
                       AppendSeriesSortKey(*b, &kb);
                       return ka < kb;
                     });
    return;
  }
  const char* base = keys.data();
  for (Keyed& k : order) {
    uint64_t p = 0;
    for (uint32_t i = 0; i < 8; ++i) {
      p = p << 8 | (i < k.size ? static_cast<unsigned char>(base[k.begin + i]) : 0u);
    }
    k.prefix = p;
  }
  auto less = [base](const Keyed& a, const Keyed& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const int c = std::string_view(base + a.begin, a.size).compare({base + b.begin, b.size});
    return c != 0 ? c < 0 : a.index < b.index;
  };
  if (std::is_sorted(order.begin(), order.end(), less)) return;  // Go exporters' output
  std::sort(order.begin(), order.end(), less);
  std::vector<pb::Metric*> sorted(static_cast<size_t>(n));
  auto ptrs = metrics->pointer_begin();
  for (int i = 0; i < n; ++i) sorted[i] = ptrs[order[i].index];
  std::copy(sorted.begin(), sorted.end(), metrics->pointer_begin());
}

}  // namespace promtool
