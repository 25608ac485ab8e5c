// Quotes a piece of the input for an error message for people, clipped like the source-line
// snippet: a 1 MB number or a 10 MB label name is shown by its first bytes and its length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/strcat.h"
#include "promtool/escape.h"

namespace promtool::text_internal {

// How many bytes of a quoted token a message shows.
inline constexpr size_t kMessageQuoteBytes = 64;

// GoQuote(s) when s is short; else the quoted first kMessageQuoteBytes bytes (cut at a UTF-8
// boundary) with "..." inside the quotes, followed by " (N bytes)".
inline std::string QuoteClipped(std::string_view s) {
  if (s.size() <= kMessageQuoteBytes) return GoQuote(s);
  size_t cut = kMessageQuoteBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  std::string q = GoQuote(s.substr(0, cut));
  q.insert(q.size() - 1, "...");
  return StrCat(q, " (", s.size(), " bytes)");
}

// `s` itself when short; else its first kMessageTextBytes bytes (cut at a UTF-8 boundary)
// followed by "... (N bytes)". For unquoted pieces such as a series' name and labels.
inline constexpr size_t kMessageTextBytes = 200;
inline std::string ClipText(std::string_view s) {
  if (s.size() <= kMessageTextBytes) return std::string(s);
  size_t cut = kMessageTextBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return StrCat(s.substr(0, cut), "... (", s.size(), " bytes)");
}

}  // namespace promtool::text_internal
