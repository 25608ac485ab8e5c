// UTF-8 and Unicode case helpers for relabeling, with Go's semantics.
#include "config/utf8.h"

#include <locale.h>
#include <wctype.h>

namespace promtool::relabel_internal {
namespace {

locale_t Utf8Locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

void AppendRune(std::string& out, char32_t r) {
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

}  // namespace

char32_t DecodeRune(std::string_view s, size_t* size) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  *size = 1;
  if (b0 < 0x80) return b0;
  int n = 0;
  char32_t r = 0, min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, r = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, r = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    return 0xFFFD;
  }
  if (s.size() < static_cast<size_t>(n)) return 0xFFFD;
  for (int i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0xFFFD;
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return 0xFFFD;
  *size = static_cast<size_t>(n);
  return r;
}

bool IsLetterOrDigit(char32_t r) {
  if (r < 0x80) {
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  }
  if (r == 0xFFFD) return false;
  locale_t loc = Utf8Locale();
  return loc != static_cast<locale_t>(nullptr) && iswalnum_l(static_cast<wint_t>(r), loc) != 0;
}

std::string MapCase(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  locale_t loc = Utf8Locale();
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      char c = static_cast<char>(b);
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      out.push_back(c);
      ++i;
      continue;
    }
    size_t size = 0;
    const char32_t r = DecodeRune(s.substr(i), &size);
    if (r == 0xFFFD && size == 1) {
      out.push_back(s[i]);
      ++i;
      continue;
    }
    char32_t m = r;
    if (loc != static_cast<locale_t>(nullptr)) {
      m = static_cast<char32_t>(upper ? towupper_l(static_cast<wint_t>(r), loc)
                                      : towlower_l(static_cast<wint_t>(r), loc));
    }
    AppendRune(out, m);
    i += size;
  }
  return out;
}

}  // namespace promtool::relabel_internal
