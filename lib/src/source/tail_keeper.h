// A Source adaptor that remembers the last bytes of a stream however far its window has moved
// (an OpenMetrics body is known by its final "# EOF", which a format look-ahead never sees).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "promtool/source.h"

namespace promtool {

// A view of an HTTP body stream that also remembers the body's last bytes, however far the
// window has moved (a body is OpenMetrics when it ends with "# EOF"). The window is the inner
// source's; a refill drops exactly the bytes before keep_from, as HTTP bodies do, and those are
// counted here first so that line numbers stay right.
class TailKeeper final : public Source {
 public:
  explicit TailKeeper(Source& in) : Source(in.name()), in_(in) { Sync(); }

  bool Refill(uint64_t keep_from) override {
    if (eof_ || !error_.empty()) return false;
    const uint64_t keep = std::clamp<uint64_t>(keep_from, offset_, offset_ + size_);
    if (keep > offset_) AccountDropped(static_cast<size_t>(keep - offset_));
    const bool ok = in_.Refill(keep_from);
    Sync();
    return ok;
  }

  // Up to the last 16 bytes read so far.
  const std::string& tail() const { return tail_; }

 private:
  void Sync() {
    const std::string_view w = in_.window();
    data_ = w.data();
    size_ = w.size();
    offset_ = in_.window_offset();
    eof_ = in_.at_eof();
    if (!in_.error().empty()) SetError(in_.error_code(), in_.error());
    const uint64_t end = offset_ + size_;
    if (end > seen_end_) {
      const uint64_t from = std::max(seen_end_, offset_);
      tail_.append(w.substr(static_cast<size_t>(from - offset_))
                       .substr(static_cast<size_t>(end - from) > 16
                                   ? static_cast<size_t>(end - from) - 16
                                   : 0));
      if (tail_.size() > 16) tail_.erase(0, tail_.size() - 16);
      seen_end_ = end;
    }
  }

  Source& in_;
  uint64_t seen_end_ = 0;
  std::string tail_;
};

}  // namespace promtool
