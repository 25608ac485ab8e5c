// The heap a conversion holds while it writes: a Sink that discards what it is given and
// samples the allocator's bytes in use at every write (converters write at least every 256 KiB
// of output, while the family being written is alive).
#pragma once

#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "promtool/output.h"

namespace promtool_test {

// Bytes the allocator has handed out and not taken back (heap and mmap'd blocks).
inline uint64_t HeapInUse() {
  const struct mallinfo2 mi = mallinfo2();
  return static_cast<uint64_t>(mi.uordblks) + static_cast<uint64_t>(mi.hblkhd);
}

class PeakSink final : public promtool::Sink {
 public:
  absl::Status Write(std::string_view bytes) override {
    bytes_ += bytes.size();
    peak_ = std::max(peak_, HeapInUse());
    return absl::OkStatus();
  }
  uint64_t bytes() const { return bytes_; }
  uint64_t peak() const { return peak_; }

 private:
  uint64_t bytes_ = 0;
  uint64_t peak_ = 0;
};

}  // namespace promtool_test
