// Escaping and unescaping of label values and HELP text, shared by parsers and writers.
#pragma once

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

// Appends `s` as a JSON string, as Go's encoding/json writes it: always valid JSON (control
// bytes escaped, < > & as \u00xx like encoding/json, each byte that is not valid UTF-8 as
// \ufffd). Defined with the JSON writer (write/json_writer.cc).
void AppendJsonString(std::string_view s, std::string* out);

// Go's strconv.Quote: "..." with Go escapes (\a \b \f \n \r \t \v \\ \" \xNN \uNNNN), used to
// reproduce promtool's messages byte for byte.
std::string GoQuote(std::string_view s);
// Go's %q of a single byte: '\n', 'x', '\''.
std::string GoQuoteByte(unsigned char c);

}  // namespace promtool
