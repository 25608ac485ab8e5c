// Compiler-style diagnostics for parse errors.
#include "diag.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "promtool/escape.h"

namespace promtool::cli {

bool UseColor(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) == 1;
}

namespace {

void AppendHexByte(unsigned char c, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 15]);
}

}  // namespace

std::string Visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        AppendHexByte(c, &out);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(text, i);
    // Invalid bytes, and the C1 controls (U+0080..U+009F: C2 80..C2 9F), byte by byte.
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (n == 0 || c1) {
      const size_t m = n == 0 ? 1 : n;
      for (size_t k = 0; k < m; ++k) AppendHexByte(static_cast<unsigned char>(text[i + k]), &out);
      i += m;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string SourceSnippet(std::string_view source_line, uint64_t column, const char* caret_color,
                          const char* reset) {
  // The line as written, with control characters made visible, and a caret under the column.
  // A long line is clipped to a window around the column (cut at UTF-8 boundaries, marked
  // with "..."), so that a huge line (say, megabytes of NUL bytes) prints a few hundred bytes.
  constexpr size_t kBefore = 100, kAfter = 60;
  size_t col = column > 0 ? column - 1 : 0;
  size_t first = col > kBefore ? col - kBefore : 0;
  size_t last = std::min(source_line.size(), col + kAfter);
  auto continuation = [&](size_t i) {
    return i < source_line.size() && (static_cast<unsigned char>(source_line[i]) & 0xC0) == 0x80;
  };
  while (first > 0 && continuation(first)) --first;
  while (last < source_line.size() && continuation(last)) ++last;
  std::string shown, pad;
  if (first > 0) {
    shown = "...";
    pad = "   ";
  }
  // Bytes that are not part of a well-formed UTF-8 sequence (binary input: gzip, UTF-16) are
  // shown as \xNN too, never raw.
  auto utf8_length = [&](size_t i) -> size_t {
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0 || i + n > source_line.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(source_line[i + k]) & 0xC0) != 0x80) return 0;
    }
    return n;
  };
  size_t valid_until = first;  // bytes before this belong to a checked UTF-8 sequence
  for (size_t i = first; i < last; ++i) {
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    std::string piece;
    bool escaped = false;
    if (c >= 0x80 && i >= valid_until) {
      size_t n = utf8_length(i);
      if (n == 0) {
        escaped = true;
      } else {
        valid_until = i + n;
      }
    }
    if (c == '\t') {
      piece = "\t";
    } else if (c < 0x20 || c == 0x7F || escaped) {
      static const char kHex[] = "0123456789abcdef";
      piece = std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
      escaped = true;
    } else {
      piece = std::string(1, static_cast<char>(c));
    }
    if (i < col) {
      // UTF-8 continuation bytes take no column of their own on the terminal.
      if (c == '\t') {
        pad += '\t';
      } else if (escaped || (c & 0xC0) != 0x80) {
        pad.append(piece.size(), ' ');
      }
    }
    shown += piece;
  }
  if (last < source_line.size()) shown += "...";
  return "    " + shown + "\n    " + pad + caret_color + "^" + reset + "\n";
}

void PrintError(std::FILE* out, std::string_view name, const Error& error,
                std::string_view source_line, bool color) {
  if (error.located()) {
    PrintDiagnostic(out, name, error, source_line, color);
    return;
  }
  std::fprintf(out, "%.*s: error: %s\n", static_cast<int>(name.size()), name.data(),
               error.message.c_str());
}

void PrintDiagnostic(std::FILE* out, std::string_view file, const Error& error,
                     std::string_view source_line, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* red = color ? "\033[1;31m" : "";
  const char* green = color ? "\033[1;32m" : "";
  const char* cyan = color ? "\033[1;36m" : "";
  const char* reset = color ? "\033[0m" : "";
  std::string text;
  text += bold;
  text += file;
  if (error.line == 0) {
    // Binary input (protobuf) has no lines: the position is a byte offset.
    text += ": byte " + std::to_string(error.offset) + ":";
  } else {
    text += ":" + std::to_string(error.line) + ":" + std::to_string(error.column) + ":";
  }
  text += reset;
  text += std::string(" ") + red + "error:" + reset + " " + error.message + " [";
  text += ErrorCodeId(error.code);
  text += "]\n";
  if (error.line != 0 && (!source_line.empty() || error.column == 1)) {
    text += SourceSnippet(source_line, error.column, green, reset);
  }
  if (!error.hint.empty())
    text += std::string("    ") + cyan + "hint:" + reset + " " + error.hint + "\n";
  std::fputs(text.c_str(), out);
}

}  // namespace promtool::cli
