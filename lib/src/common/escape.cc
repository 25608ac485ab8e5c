// Escaping rules of the exposition formats and Go's string quoting (for promtool's messages).
#include "promtool/escape.h"

#include <cstdint>

namespace promtool {

std::string_view Unescape(std::string_view raw, std::string* scratch) {
  size_t bs = raw.find('\\');
  if (bs == std::string_view::npos) return raw;
  scratch->assign(raw.data(), bs);
  for (size_t i = bs; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char n = raw[++i];
      switch (n) {
        case 'n':
          scratch->push_back('\n');
          break;
        case '\\':
        case '"':
          scratch->push_back(n);
          break;
        default:  // not translated (OpenMetrics tolerates \x for other x)
          scratch->push_back('\\');
          scratch->push_back(n);
      }
    } else {
      scratch->push_back(c);
    }
  }
  return *scratch;
}

void AppendEscaped(std::string_view text, EscapeSet set, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '"':
        if (set == EscapeSet::kLabelValue) {
          out->append("\\\"");
        } else {
          out->push_back(c);
        }
        break;
      default:
        out->push_back(c);
    }
  }
}

namespace {

// Decodes one UTF-8 sequence; returns its length, or 0 when invalid.
size_t DecodeRune(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    *cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    *cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    *cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)) ||
      (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

// An approximation of Go's unicode.IsPrint for code points >= 0x80: separators, controls,
// format characters, private use and non-characters are not printable.
bool IsPrintRune(uint32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0) return false;  // C1 controls
  if (r == 0xA0 || r == 0xAD) return false;
  if ((r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
      (r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF || r == 0x1680 ||
      (r >= 0xFFF9 && r <= 0xFFFB) || (r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000 ||
      (r & 0xFFFE) == 0xFFFE || (r >= 0xE0000 && r <= 0xE007F)) {
    return false;
  }
  return true;
}

void AppendGoRune(uint32_t r, char quote, std::string* out, std::string_view raw) {
  static const char kHex[] = "0123456789abcdef";
  if (r == static_cast<uint32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (IsPrintRune(r)) {
    out->append(raw);
    return;
  }
  switch (r) {
    case '\a':
      out->append("\\a");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\v':
      out->append("\\v");
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out->append("\\x");
    out->push_back(kHex[r >> 4]);
    out->push_back(kHex[r & 15]);
  } else if (r < 0x10000) {
    out->append("\\u");
    for (int s = 12; s >= 0; s -= 4) out->push_back(kHex[(r >> s) & 15]);
  } else {
    out->append("\\U");
    for (int s = 28; s >= 0; s -= 4) out->push_back(kHex[(r >> s) & 15]);
  }
}

}  // namespace

std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    size_t n = DecodeRune(s, i, &r);
    if (n == 0) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      out.append("\\x");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      ++i;
      continue;
    }
    AppendGoRune(r, '"', &out, s.substr(i, n));
    i += n;
  }
  out.push_back('"');
  return out;
}

std::string GoQuoteByte(unsigned char c) {
  // Go formats a byte with %q as the rune U+00XX.
  std::string raw;
  if (c < 0x80) {
    raw.push_back(static_cast<char>(c));
  } else {
    raw.push_back(static_cast<char>(0xC0 | (c >> 6)));
    raw.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  std::string out = "'";
  AppendGoRune(c, '\'', &out, raw);
  out.push_back('\'');
  return out;
}

}  // namespace promtool
