// Character classes of the exposition formats, as constexpr table lookups.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "promtool/escape.h"

namespace promtool::chars {

enum : uint8_t {
  kMetricStart = 1,
  kMetricChar = 2,
  kLabelStart = 4,
  kLabelChar = 8,
  kBlank = 16,
  kQuotedStop = 32,  // '"' and '\\' end a fast scan of a quoted string
};

constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    uint8_t v = 0;
    if (alpha || c == '_' || c == ':') v |= kMetricStart | kMetricChar;
    if (digit) v |= kMetricChar | kLabelChar;
    if (alpha || c == '_') v |= kLabelStart | kLabelChar;
    if (c == ' ' || c == '\t') v |= kBlank;
    if (c == '"' || c == '\\') v |= kQuotedStop;
    t[c] = v;
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kTable = MakeTable();

inline bool Is(char c, uint8_t cls) { return kTable[static_cast<unsigned char>(c)] & cls; }
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }
inline bool IsMetricNameStart(char c) { return Is(c, kMetricStart); }
inline bool IsMetricNameChar(char c) { return Is(c, kMetricChar); }
inline bool IsLabelNameStart(char c) { return Is(c, kLabelStart); }
inline bool IsLabelNameChar(char c) { return Is(c, kLabelChar); }
// A legacy (unquoted) metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
inline bool IsLegacyMetricName(std::string_view s) {
  if (s.empty() || !IsMetricNameStart(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsMetricNameChar(s[i])) return false;
  }
  return true;
}

// A legacy (unquoted) label name: [a-zA-Z_][a-zA-Z0-9_]*.
inline bool IsLegacyLabelName(std::string_view s) {
  if (s.empty() || !IsLabelNameStart(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsLabelNameChar(s[i])) return false;
  }
  return true;
}

inline char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// True when `s` is well-formed UTF-8 (promtool/escape.h has the one definition).
using ::promtool::ValidUtf8;

// Go's %c of a byte: the byte as a code point U+0000..U+00FF, UTF-8 encoded.
std::string GoChar(unsigned char c);

}  // namespace promtool::chars
