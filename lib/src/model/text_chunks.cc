// Cutting a text payload into parts at family starts, and the disjointness test of the parts.
#include "model/text_chunks.h"

#include <thread>

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

}  // namespace

std::vector<uint64_t> CutPoints(std::string_view text, unsigned parts, uint64_t min_bytes) {
  std::vector<uint64_t> cuts;
  uint64_t last = 0;
  for (unsigned i = 1; i < parts; ++i) {
    const uint64_t target = std::max<uint64_t>(text.size() / parts * i, last + min_bytes);
    if (target >= text.size()) break;
    // From the first line that starts after `target`: a metadata line after a non-comment line.
    size_t at = text.find('\n', target);
    bool previous_comment = true;  // the line before `at` is not looked at: never cut there
    while (at != std::string_view::npos && at + 1 < text.size()) {
      const size_t start = at + 1;
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(start, end - start);
      if (!previous_comment && IsMetadata(line)) break;
      previous_comment = line.starts_with('#');
      at = end;
    }
    if (at == std::string_view::npos || at + 1 >= text.size()) break;
    if (text.size() - (at + 1) < min_bytes) break;
    cuts.push_back(at + 1);
    last = at + 1;
  }
  return cuts;
}

bool Disjoint::AddKey(std::string_view key, uint32_t part) {
  auto [it, inserted] = parts_.try_emplace(key, part);
  return inserted || it->second == part;
}

bool Disjoint::Add(std::string_view name, uint32_t part) {
  if (!AddKey(name, part)) return false;
  for (std::string_view suffix : {"_bucket", "_count", "_sum"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      return AddKey(name.substr(0, name.size() - suffix.size()), part);
    }
  }
  return true;
}

}  // namespace promtool::text_chunks
