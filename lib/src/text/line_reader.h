// The line reading both text parsers (text 0.0.4 and OpenMetrics) share over a Source: the next
// line found in place in the window (zero-copy), refills that keep the bytes from the pinned
// offset on (memory bounded by the largest unit a consumer pins, not by the payload), the input's
// first bytes kept for naming encoding mistakes, and the sticky end-or-error state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/scan.h"
#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/types.h"

namespace promtool::text_internal {

// One line in the source window, [begin, end): `end` is the line feed when has_newline, else the
// end of the input (the input's last line lacks its newline; empty, it is the end of the input).
struct Line {
  const char* begin = nullptr;
  const char* end = nullptr;
  bool has_newline = false;
};

class LineReader {
 public:
  // Errors are written to *error, which must outlive the reader. head() keeps the input's first
  // `head_bytes` bytes; with `wait_for_head` no line is returned before the window holds them
  // (or all of a shorter input), so that a stream classifies an error in them as memory does.
  LineReader(Source& source, Error* error, size_t head_bytes, bool wait_for_head);

  // The parser has ended (Finish) or failed (Fail): it returns sticky() from now on.
  bool done() const { return done_; }
  Entry sticky() const { return sticky_; }
  // Ends reading: the parser returns `entry` (kEnd) from now on.
  Entry Finish(Entry entry) {
    done_ = true;
    sticky_ = entry;
    return entry;
  }
  // Records the error `code` at absolute `offset` with its line and column and returns it, for
  // the caller to add a hint or name a known mistake; done() from now on, sticky() kError.
  Error& Fail(ErrorCode code, uint64_t offset, std::string message, std::string compat);

  // The line that starts at pos(), refilling the window as needed. False when the source failed:
  // its error is recorded (kLimit, at pos()).
  [[nodiscard]] bool NextLine(Line* line);
  // Refills until the window holds a byte at pos() or the input has ended; *more says which.
  // False when the source failed, recorded as by NextLine.
  [[nodiscard]] bool MoreInput(bool* more);

  // Absolute offset of the next unread byte: the start of the next line.
  uint64_t pos() const { return pos_; }
  // The next line starts after the line ending at `line_end`: past its line feed when
  // `has_newline`, else at the end of the input.
  void Consume(const char* line_end, bool has_newline) {
    pos_ = OffsetOf(line_end) + (has_newline ? 1 : 0);
  }
  // Keeps the input from absolute `offset` on when the window moves (UINT64_MAX: nothing
  // before pos()).
  void Pin(uint64_t offset) { pin_ = offset; }

  // Absolute offset of a byte in (or at the end of) the window.
  uint64_t OffsetOf(const char* p) const {
    return source_.window_offset() + static_cast<uint64_t>(p - source_.window().data());
  }
  // The end of the window: the scans' vector loads may read up to here, never past it.
  const char* window_end() const { return source_.window().data() + source_.window().size(); }
  // The input's first bytes (at most head_bytes), once the first line was returned.
  const std::string& head() const { return head_; }
  bool head_taken() const { return head_taken_; }

 private:
  // Refills keeping the pinned bytes; false (error recorded) when the source failed.
  bool Refill();

  Source& source_;
  Error* error_;
  size_t head_bytes_;
  size_t head_wait_;           // head_bytes_ with wait_for_head, else 0
  uint64_t pos_ = 0;           // absolute offset of the next unread byte
  uint64_t pin_ = UINT64_MAX;  // none: the window may drop everything before pos_
  // Absolute offset up to which the current line is known to have no '\n': after a refill the
  // search resumes there, so a line longer than a chunk is scanned once, not once per chunk.
  uint64_t no_newline_before_ = 0;
  std::string head_;
  bool head_taken_ = false;
  bool done_ = false;
  Entry sticky_ = Entry::kEnd;
};

inline bool LineReader::NextLine(Line* line) {
  for (;;) {
    const std::string_view w = source_.window();
    const char* const base = w.data();
    const uint64_t offset = source_.window_offset();
    const char* nl = scan::NextNewline(base, w.size(), offset, pos_, &no_newline_before_);
    if ((nl == nullptr || (!head_taken_ && w.size() < head_wait_)) && !source_.at_eof()) {
      if (!Refill()) return false;
      continue;
    }
    if (!head_taken_ && offset == 0) {
      head_.assign(w.substr(0, head_bytes_));
      head_taken_ = true;
    }
    line->begin = base + (pos_ - offset);
    line->end = nl != nullptr ? nl : base + w.size();
    line->has_newline = nl != nullptr;
    return true;
  }
}

}  // namespace promtool::text_internal
