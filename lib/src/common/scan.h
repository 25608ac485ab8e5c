// Vectorised scans for the parsers' hot loops (SSE2, with scalar fallbacks): the end of a name,
// the next quote or backslash in a quoted string, a pair of bytes (format detection), and a
// Clinger fast path for decimal numbers.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <system_error>

#include "common/chars.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace promtool::scan {

#if defined(__SSE2__)
// Lanes of `v` that lie in [lo, hi] (unsigned byte compare built from signed SSE2 compares).
inline __m128i InRange(__m128i v, unsigned char lo, unsigned char hi) {
  const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80));
  __m128i t = _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo))), bias);
  return _mm_cmplt_epi8(t, _mm_set1_epi8(static_cast<char>((hi - lo + 1) ^ 0x80)));
}

// Bit i set when byte i is a name character ([a-zA-Z0-9_], plus ':' when `colon`).
inline unsigned NameMask(__m128i v, bool colon) {
  __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i ok = _mm_or_si128(InRange(lower, 'a', 'z'), InRange(v, '0', '9'));
  ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  if (colon) ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
  return static_cast<unsigned>(_mm_movemask_epi8(ok));
}
#endif

// First byte in [p, end) that is not a name character. Loads may read up to `limit` (>= end),
// which must be readable memory; nothing at or beyond `end` is ever reported.
inline const char* NameEnd(const char* p, const char* end, const char* limit, bool colon) {
#if defined(__SSE2__)
  while (limit - p >= 16 && p < end) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    unsigned stop = ~NameMask(v, colon) & 0xFFFFu;
    if (stop != 0) {
      const char* hit = p + __builtin_ctz(stop);
      return hit < end ? hit : end;
    }
    p += 16;
  }
#endif
  const uint8_t cls = colon ? chars::kMetricChar : chars::kLabelChar;
  while (p < end && chars::Is(*p, cls)) ++p;
  return p;
}

// First i in [p, end - 1) with p[i] == a and p[i + 1] == b, or end. Reads nothing at or
// beyond `end`: for a rare pair (" {" in a metrics payload) a whole file is scanned at the speed
// of two compares per byte.
inline const char* FindPair(const char* p, const char* end, char a, char b) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  while (end - p >= 17) {
    const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const unsigned hits = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(first, va), _mm_cmpeq_epi8(second, vb))));
    if (hits != 0) return p + __builtin_ctz(hits);
    p += 16;
  }
#endif
  for (; end - p >= 2; ++p) {
    if (p[0] == a && p[1] == b) return p;
  }
  return end;
}

// First '"' or '\\' in [p, end), or end; ORs every byte passed over into *high, so that
// (*high & 0x80) tells whether any non-ASCII byte was seen. Loads may read up to `limit`.
inline const char* QuoteOrBackslash(const char* p, const char* end, const char* limit,
                                    unsigned* high) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  while (limit - p >= 16 && p < end) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    unsigned stop = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
    unsigned nonascii = static_cast<unsigned>(_mm_movemask_epi8(v));
    if (stop != 0) {
      unsigned i = static_cast<unsigned>(__builtin_ctz(stop));
      const char* hit = p + i;
      if (hit >= end) hit = end;
      unsigned before = static_cast<unsigned>(hit - p);
      if (nonascii & ((1u << before) - 1)) *high |= 0x80;
      return hit;
    }
    if (nonascii != 0) {
      unsigned before = static_cast<unsigned>(end - p < 16 ? end - p : 16);
      if (nonascii & ((before >= 16 ? 0xFFFFu : (1u << before) - 1))) *high |= 0x80;
    }
    p += 16;
  }
  if (p > end) p = end;
#endif
  while (p < end && !chars::Is(*p, chars::kQuotedStop)) {
    *high |= static_cast<unsigned char>(*p);
    ++p;
  }
  return p;
}

// Whether the n bytes at a and at b are equal, compared inline a word at a time (the last word
// overlapping): for the short names and numbers a parser compares on every line, where a call
// to memcmp costs more than the comparison.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    uint64_t x, y;
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The plain decimal at the start of [p, end) ("123", "-0.25", "1.5e+06"): Clinger's fast path,
// exact when the digits fit in 53 bits and the power of ten is at most 22; with more digits,
// std::from_chars on the text already scanned. Returns
// where the decimal ends (the caller judges the byte there), or nullptr when the slow path must
// decide. *integer: written as [sign] digits, with no fraction and no exponent.
inline const char* ScanDecimal(const char* p, const char* end, double* out, bool* integer) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+')) {
    neg = *p == '-';
    ++p;
  }
  uint64_t mantissa = 0;
  int64_t digits = 0, frac = 0;
  const char* start = p;
  while (p < end && static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    ++digits;
    ++p;
  }
  *integer = true;
  if (p < end && *p == '.') {
    *integer = false;
    ++p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      ++digits;
      ++frac;
      ++p;
    }
  }
  if (digits == 0 || p == start) return nullptr;
  int64_t exp10 = -frac;
  if (p < end && (*p == 'e' || *p == 'E')) {
    *integer = false;
    ++p;
    bool eneg = false;
    if (p < end && (*p == '-' || *p == '+')) {
      eneg = *p == '-';
      ++p;
    }
    int e = 0, edigits = 0;
    while (p < end && static_cast<unsigned>(*p - '0') < 10 && edigits < 4) {
      e = e * 10 + (*p - '0');
      ++edigits;
      ++p;
    }
    if (edigits == 0) return nullptr;
    exp10 += eneg ? -e : e;
  }
  if (digits > 15) {
    // Past the exact fast path (the 17 significant digits of a shortest round-trip double, say):
    // from_chars reads the same text, correctly rounded. Out of range: the caller's slow path.
    double v;
    const auto [stop, ec] = std::from_chars(start, p, v);
    if (ec != std::errc() || stop != p) return nullptr;
    *out = neg ? -v : v;
    return p;
  }
  if (exp10 < -22 || exp10 > 22) return nullptr;
  double v = static_cast<double>(mantissa);
  v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
  *out = neg ? -v : v;
  return p;
}

// ScanDecimal() over the whole of [p, end): false when anything follows the decimal or the slow
// path must decide. It never accepts a string the full parser would reject.
inline bool FastDecimal(const char* p, const char* end, double* out) {
  bool integer;
  const char* stop = ScanDecimal(p, end, out, &integer);
  return stop != nullptr && stop == end;
}

// The first '\n' of the line that starts at absolute offset `line_start` in a window of
// [window_offset, window_offset + size) at `base`, or nullptr. `*no_newline_before` (absolute)
// remembers how far a failed search got, so that after a refill the search resumes there and a
// line longer than a chunk is scanned once, not once per chunk. An empty window may have no
// buffer yet (base null): memchr never sees it.
inline const char* NextNewline(const char* base, size_t size, uint64_t window_offset,
                               uint64_t line_start, uint64_t* no_newline_before) {
  const char* end = base + size;
  const char* from = base + (line_start - window_offset);
  if (*no_newline_before > line_start) from = base + (*no_newline_before - window_offset);
  const char* nl =
      from == end
          ? nullptr
          : static_cast<const char*>(std::memchr(from, '\n', static_cast<size_t>(end - from)));
  if (nl == nullptr) *no_newline_before = window_offset + size;
  return nl;
}

}  // namespace promtool::scan
