// Cutting a text payload into parts at family starts, and the disjointness test of the parts.
#include "model/text_chunks.h"

#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "common/grouping.h"

namespace promtool::text_chunks {

unsigned Jobs(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

namespace {

bool IsMetadata(std::string_view line) {
  return line.starts_with("# HELP ") || line.starts_with("# TYPE ");
}

// The offset (from `from`) of the first metadata line after a non-comment line in
// [from, size) of `source`, not counting the line `from` is in; npos when there is none.
uint64_t NextCut(const Source& source, uint64_t from, uint64_t size) {
  std::unique_ptr<Source> s = source.Slice(from, size, source.name());
  if (s == nullptr) return std::string_view::npos;
  bool first = true;             // the line `from` is in: where it starts is not known
  bool previous_comment = true;  // so it never counts as a non-comment line
  uint64_t at = 0;               // the next line start, from `from`
  for (;;) {
    const std::string_view w = s->window();
    const uint64_t base = s->window_offset();
    const size_t rel = static_cast<size_t>(at - base);
    const size_t nl = rel <= w.size() ? w.find('\n', rel) : std::string_view::npos;
    if (nl == std::string_view::npos) {
      if (s->Refill(at)) continue;
      return std::string_view::npos;  // the last line (or none): no cut after it
    }
    const std::string_view line = w.substr(rel, nl - rel);
    if (!first && !previous_comment && IsMetadata(line)) return at;
    previous_comment = first || line.starts_with('#');
    first = false;
    at = base + nl + 1;
    if (from + at >= size) return std::string_view::npos;
  }
}

}  // namespace

std::vector<uint64_t> CutPoints(const Source& source, uint64_t size, unsigned parts,
                                uint64_t min_bytes) {
  std::vector<uint64_t> cuts;
  uint64_t last = 0;
  for (unsigned i = 1; i < parts; ++i) {
    const uint64_t target = std::max<uint64_t>(size / parts * i, last + min_bytes);
    if (target >= size) break;
    const uint64_t found = NextCut(source, target, size);
    if (found == std::string_view::npos) break;
    const uint64_t cut = target + found;
    if (size - cut < min_bytes) break;
    cuts.push_back(cut);
    last = cut;
  }
  return cuts;
}

std::vector<std::unique_ptr<Source>> SliceAt(const Source& source, uint64_t size,
                                             const std::vector<uint64_t>& cuts) {
  std::vector<std::unique_ptr<Source>> parts;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    const uint64_t begin = i == 0 ? 0 : cuts[i - 1];
    const uint64_t end = i == cuts.size() ? size : cuts[i];
    parts.push_back(source.Slice(begin, end, source.name()));
    if (parts.back() == nullptr) return {};
  }
  return parts;
}

void ReadEach(size_t n, const std::function<void(size_t)>& read) {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(read, i);
  if (n > 0) read(0);
  for (std::thread& t : threads) t.join();
}

bool Disjoint::AddKey(std::string_view key, uint32_t part) {
  auto [it, inserted] = parts_.try_emplace(key, part);
  return inserted || it->second == part;
}

bool Disjoint::Add(std::string_view name, uint32_t part) {
  if (!AddKey(name, part)) return false;
  const std::string_view base = grouping::Base(name);
  return base.empty() || AddKey(base, part);
}

}  // namespace promtool::text_chunks
