// AppendEscaped(): label values escape '\\', '"' and a newline; HELP texts escape '\\' and a
// newline only. Escapes at every position around the 16-byte blocks the scan reads.
#include "promtool/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace promtool {
namespace {

// The escaped form, built byte by byte: what AppendEscaped must give.
std::string Expected(const std::string& text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

struct EscapeRow {
  const char* name;
  std::string text;
};

TEST(AppendEscaped, TableRows) {
  const EscapeRow rows[] = {
      {"Empty", ""},
      {"Short", "abc"},
      {"LongPlain", std::string(100, 'x')},
      {"OnlySpecials", "\\\n\"\\\n\""},
      {"Utf8", "caf\xc3\xa9 \xe2\x82\xac \"q\""},
  };
  for (const EscapeRow& row : rows) {
    for (const bool quote : {true, false}) {
      std::string out = "prefix:";
      AppendEscaped(row.text, quote ? EscapeSet::kLabelValue : EscapeSet::kHelp, &out);
      EXPECT_EQ(out, "prefix:" + Expected(row.text, quote)) << row.name << " quote=" << quote;
    }
  }
}

TEST(AppendEscaped, EachSpecialByteAtEveryPositionOfTwoBlocks) {
  for (const char special : {'\\', '\n', '"'}) {
    for (size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = special;
      text[39 - at] = special;  // a second one, before or after
      for (const bool quote : {true, false}) {
        std::string out;
        AppendEscaped(text, quote ? EscapeSet::kLabelValue : EscapeSet::kHelp, &out);
        EXPECT_EQ(out, Expected(text, quote))
            << "byte " << static_cast<int>(special) << " at " << at << " quote=" << quote;
      }
    }
  }
}

}  // namespace
}  // namespace promtool
