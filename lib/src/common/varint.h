// Base-128 varints (protobuf's length prefixes and the diff's packed keys): the one reader and
// writer the library uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace promtool::varint {

inline constexpr size_t kMaxBytes = 10;

enum class Status : uint8_t {
  kOk,
  kTruncated,  // the bytes end before the varint does (a stream may have more)
  kTooLong,    // the tenth byte still has its continuation bit
  kOverflow,   // the tenth byte carries more than the 64th bit
};

struct Read {
  Status status = Status::kTruncated;
  uint64_t value = 0;
  size_t bytes = 0;  // bytes used when kOk

  bool ok() const { return status == Status::kOk; }
};

// Decodes the varint that starts at s[pos].
inline Read Decode(std::string_view s, size_t pos = 0) {
  Read r;
  for (size_t i = 0; i < kMaxBytes && pos + i < s.size(); ++i) {
    const auto b = static_cast<uint8_t>(s[pos + i]);
    if (i == kMaxBytes - 1) {
      if ((b & 0x80) != 0) {
        r.status = Status::kTooLong;
        return r;
      }
      if (b > 1) {
        r.status = Status::kOverflow;
        return r;
      }
    }
    r.value |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      r.status = Status::kOk;
      r.bytes = i + 1;
      return r;
    }
  }
  return r;
}

inline void Append(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace promtool::varint
