// One text payload read by several threads (validate and check metrics with --jobs): where to
// cut it, and the test that the parts are independent, so that reading them apart gives what
// one reader would.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "promtool/source.h"

namespace promtool::text_chunks {

// The threads for `requested` (0: one per core), at least 1.
unsigned Jobs(unsigned requested);

// The smallest part worth a thread of its own.
inline constexpr uint64_t kMinPartBytes = uint64_t{4} << 20;

// The parts of the `size` bytes of `source` cut at `cuts`, as Slice()s (named as `source`); empty
// when the source cannot be sliced.
std::vector<std::unique_ptr<Source>> SliceAt(const Source& source, uint64_t size,
                                             const std::vector<uint64_t>& cuts);

// Calls read(i) for every part i < n, part 0 on this thread and each other on a thread of its
// own; returns when all are done.
void ReadEach(size_t n, const std::function<void(size_t)>& read);

// Up to `parts` - 1 offsets that cut the `size` bytes of `source` (one whose Slice() works) into
// parts of at least `min_bytes`, each at the start of a family's metadata: a `# HELP` or
// `# TYPE` line that follows a line that is not a comment (so a family's HELP and TYPE stay
// together). Empty when no such line is found (one part). The search reads slices, so a file is
// read with pread() (a cut may be tens of MB past its target, after a large family), not
// through its mapping, whose pages would stay resident.
std::vector<uint64_t> CutPoints(const Source& source, uint64_t size, unsigned parts,
                                uint64_t min_bytes);

// Whether the families of the parts are disjoint. A reader of one part does not know the
// families of the parts before it, so a part is read as one reader would read it only when no
// family of it, nor the family it could belong to in the text format's grouping (the name
// without _bucket, _count or _sum), occurs in another part. Otherwise the caller reads the
// payload with one reader instead.
class Disjoint {
 public:
  // Adds a family name of part `part`; false when it or its grouping name was in another part.
  bool Add(std::string_view name, uint32_t part);

 private:
  bool AddKey(std::string_view key, uint32_t part);
  absl::flat_hash_map<std::string_view, uint32_t> parts_;  // names stay valid while read
};

}  // namespace promtool::text_chunks
