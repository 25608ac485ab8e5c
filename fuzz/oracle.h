// Helpers shared by the fuzz targets: the invariant check that turns a broken oracle into a
// finding, and model comparison that treats NaN as equal to NaN.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "model/owned_family.h"
#include "promtool/source.h"

namespace promtool::fuzz {

// A broken invariant is a finding, like a crash: say which one, then trap (libFuzzer saves
// the input; the replay test aborts).
[[noreturn]] inline void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz oracle failed: %s\n", what);
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  __builtin_trap();
}

inline void Check(bool ok, const char* what) {
  if (!ok) Fail(what, {});
}

// `detail` is text, or a callable returning text: called only on failure, so that expensive
// details cost nothing on the hot path.
template <typename Detail>
void Check(bool ok, const char* what, const Detail& detail) {
  if (ok) return;
  if constexpr (std::is_invocable_v<const Detail&>) {
    const std::string text(detail());
    Fail(what, text);
  } else {
    Fail(what, std::string_view(detail));
  }
}

// The streaming source over `bytes`, split at a chunk size derived from the first byte.
inline std::unique_ptr<Source> Chunked(std::string_view bytes, size_t salt = 0) {
  StreamOptions opts;
  const size_t seed = bytes.empty() ? 0 : static_cast<unsigned char>(bytes[0]);
  opts.chunk_bytes = 1 + (seed + salt) % 17;
  return ChunkedMemorySource(bytes, "<fuzz>", opts);
}

// True when `s` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
inline bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// Appends a double so that digests tell NaN, -0 and every other value apart.
inline void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("nan");
  } else {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%a", v);
    out->append(buf);
  }
  out->push_back(';');
}

// Message equality with NaN == NaN; on a difference, *report says what differs.
inline bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b,
                        std::string* report) {
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  bool same = false;
  {
    // The report is flushed into *report when the differencer goes away.
    google::protobuf::util::MessageDifferencer diff;
    diff.set_field_comparator(&cmp);
    diff.ReportDifferencesToString(report);
    same = diff.Compare(a, b);
  }
  return same;
}

}  // namespace promtool::fuzz
