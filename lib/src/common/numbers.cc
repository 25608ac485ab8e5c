// Go-compatible number parsing and formatting for the exposition formats.
#include "promtool/numbers.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace promtool {
namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != b[i]) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool ParseGoFloat(std::string_view s, double* out) {
  if (s.empty()) return false;
  // Go's special(): [+-]inf, [+-]infinity, nan (no sign), any case.
  {
    std::string_view t = s;
    bool neg = false, sign = false;
    if (t[0] == '+' || t[0] == '-') {
      neg = t[0] == '-';
      sign = true;
      t.remove_prefix(1);
    }
    if (EqualFold(t, "inf") || EqualFold(t, "infinity")) {
      *out =
          neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      return true;
    }
    if (!sign && EqualFold(t, "nan")) {
      *out = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
  }
  // Decimal syntax: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]. Hex needs a 'p'
  // exponent in Go, and the text parser refuses 'p', so hex never parses.
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  size_t mant_start = i;
  size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  // std::from_chars takes no leading '+'.
  size_t from = (s[0] == '+') ? 1 : 0;
  (void)mant_start;
  double v = 0;
  auto r = std::from_chars(s.data() + from, s.data() + s.size(), v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    // Go reports overflow as an error and rounds underflow to zero.
    std::string copy(s);
    errno = 0;
    double d = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(d)) return false;
    *out = d;
    return true;
  }
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
  *out = v;
  return true;
}

bool ParseGoInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return false;
  uint64_t v = 0;
  const uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

void AppendFloat(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out->append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  // Shortest round-trip digits via std::to_chars, laid out like Go's FormatFloat(v, 'g', -1):
  // exponent form when the decimal exponent is < -4 or >= 6, with at least two exponent digits.
  // Everything happens in stack buffers: no allocation per number.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const char* first = buf;
  const bool neg = *first == '-';
  if (neg) ++first;
  // "d[.ddd]e<sign><digits>": the exponent is read from the end (a memchr for the 'e' of a
  // number this short cost a tenth of writing protobuf input as text).
  const char* e = r.ptr - 1;
  int exp = 0, scale = 1;
  for (; *e >= '0' && *e <= '9'; --e, scale *= 10) exp += (*e - '0') * scale;
  if (*e == '-') exp = -exp;
  if (*e == '-' || *e == '+') --e;  // now at the 'e'
  char digits[32];
  size_t nd = 0;
  for (const char* c = first; c < e; ++c) {
    if (*c != '.') digits[nd++] = *c;
  }
  constexpr int eprec = 6;
  char tmp[64];
  size_t n = 0;
  if (neg) tmp[n++] = '-';
  if (exp < -4 || exp >= eprec) {
    tmp[n++] = digits[0];
    if (nd > 1) {
      tmp[n++] = '.';
      for (size_t i = 1; i < nd; ++i) tmp[n++] = digits[i];
    }
    tmp[n++] = 'e';
    tmp[n++] = exp < 0 ? '-' : '+';
    const int ae = exp < 0 ? -exp : exp;
    if (ae >= 100) tmp[n++] = static_cast<char>('0' + ae / 100);
    tmp[n++] = static_cast<char>('0' + ae / 10 % 10);
    tmp[n++] = static_cast<char>('0' + ae % 10);
    out->append(tmp, n);
    return;
  }
  if (exp < 0) {
    tmp[n++] = '0';
    tmp[n++] = '.';
    for (int i = 0; i < -exp - 1; ++i) tmp[n++] = '0';
    for (size_t i = 0; i < nd; ++i) tmp[n++] = digits[i];
    out->append(tmp, n);
    return;
  }
  const size_t int_digits = static_cast<size_t>(exp) + 1;
  if (nd <= int_digits) {
    for (size_t i = 0; i < nd; ++i) tmp[n++] = digits[i];
    for (size_t i = nd; i < int_digits; ++i) tmp[n++] = '0';
  } else {
    for (size_t i = 0; i < int_digits; ++i) tmp[n++] = digits[i];
    tmp[n++] = '.';
    for (size_t i = int_digits; i < nd; ++i) tmp[n++] = digits[i];
  }
  out->append(tmp, n);
}

}  // namespace promtool
