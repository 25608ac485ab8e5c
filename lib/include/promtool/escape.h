// Escaping and unescaping of label values and HELP text, shared by parsers and writers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace promtool {

// Label values (and quoted names): \\ \" \n. HELP in text 0.0.4: \\ \n.
enum class EscapeSet : uint8_t { kLabelValue, kHelp };

// Returns the unescaped text. When `raw` holds no backslash it is returned as is and nothing
// is allocated; otherwise the result is built in `*scratch` and a view of it returned.
// Unknown escapes are kept verbatim (the parsers have rejected them already).
std::string_view Unescape(std::string_view raw, std::string* scratch);

// Appends `text` escaped for the given context.
void AppendEscaped(std::string_view text, EscapeSet set, std::string* out);

// Go's strconv.Quote: "..." with Go escapes (\a \b \f \n \r \t \v \\ \" \xNN \uNNNN), used to
// reproduce promtool's messages byte for byte.
std::string GoQuote(std::string_view s);
// Go's %q of a single byte: '\n', 'x', '\''.
std::string GoQuoteByte(unsigned char c);

// UTF-8 as Go's unicode/utf8 defines it (no overlongs, no surrogates, at most U+10FFFF): the one
// validator of the library and the CLI.
// The length of the valid UTF-8 sequence at s[i] (1 for ASCII), or 0 when the byte at s[i]
// does not start one (Go's utf8.DecodeRune: RuneError of width 1). Requires i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);
// True when all of `s` is valid UTF-8 (Go's utf8.ValidString).
bool ValidUtf8(std::string_view s);
// Appends `s` with every byte that does not start a valid sequence replaced by U+FFFD.
void AppendValidUtf8(std::string_view s, std::string* out);

// How AppendJsonString spells what it escapes. Both always produce valid UTF-8 and valid JSON.
enum class JsonStyle : uint8_t {
  // Go's encoding/json with HTML escaping on (its default; what prom2json writes): `"` and `\`,
  // \b \f \n \r \t, other control bytes and < > & as \u00xx, U+2028 and U+2029 as \u2028 and
  // \u2029, each invalid UTF-8 byte as \ufffd.
  kGo,
  // Minimal: `"` and `\`, \n \r \t, other control bytes and DEL as \u00xx, each invalid UTF-8
  // byte replaced by U+FFFD itself (the CLI's reports).
  kPlain,
};

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string_view s, std::string* out, JsonStyle style = JsonStyle::kGo);

}  // namespace promtool
