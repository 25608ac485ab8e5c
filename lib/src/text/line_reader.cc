// The slow paths of the shared line reader: refilling the window and recording errors.
#include "text/line_reader.h"

#include <utility>

namespace promtool::text_internal {

LineReader::LineReader(Source& source, Error* error, size_t head_bytes, bool wait_for_head)
    : source_(source),
      error_(error),
      head_bytes_(head_bytes),
      head_wait_(wait_for_head ? head_bytes : 0),
      pos_(source.window_offset()) {}

Error& LineReader::Fail(ErrorCode code, uint64_t offset, std::string message, std::string compat) {
  Error& e = *error_;
  e.code = code;
  e.offset = offset;
  e.message = std::move(message);
  e.compat_message = std::move(compat);
  e.hint.clear();
  const LineCol lc = source_.Locate(offset);
  e.line = lc.line;
  e.column = lc.column;
  done_ = true;
  sticky_ = Entry::kError;
  return e;
}

bool LineReader::Refill() {
  const uint64_t keep = pin_ < pos_ ? pin_ : pos_;
  if (!source_.Refill(keep) && !source_.error().empty()) {
    Fail(source_.error_code(), pos_, source_.error(), source_.error());
    return false;
  }
  return true;
}

bool LineReader::MoreInput(bool* more) {
  for (;;) {
    if (pos_ < source_.window_offset() + source_.window().size()) {
      *more = true;
      return true;
    }
    if (source_.at_eof()) {
      *more = false;
      return true;
    }
    if (!Refill()) return false;
  }
}

}  // namespace promtool::text_internal
