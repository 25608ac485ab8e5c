// Label-set keys over common/hash.h's label hashing (ordered and order-free).
#include "lint/series_key.h"

#include "common/hash.h"

namespace promtool::lint {

uint64_t OrderedKey(std::string_view family, const Series& series) {
  hash::Ordered h(hash::Bytes(family));
  for (const Label& l : series.labels) h.Add(hash::Label(l.name, l.value));
  return h.Finish();
}

uint64_t UnorderedKey(std::string_view family, const Series& series) {
  hash::Unordered h(hash::Bytes(family));
  for (const Label& l : series.labels) h.Add(hash::Label(l.name, l.value));
  return h.Finish();
}

}  // namespace promtool::lint
