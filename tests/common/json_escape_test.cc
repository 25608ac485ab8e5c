// AppendJsonString (promtool/escape.h): the exact escapes of both styles, and that no input,
// however broken its UTF-8, ever yields a string that is not valid UTF-8.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "promtool/escape.h"

namespace promtool {
namespace {

using namespace std::string_view_literals;

struct JsonCase {
  const char* name;
  std::string_view input;
  std::string_view go;     // JsonStyle::kGo
  std::string_view plain;  // JsonStyle::kPlain
};

const JsonCase kJsonCases[] = {
    {"Empty", ""sv, R"("")"sv, R"("")"sv},
    {"Ascii", "abc_123"sv, R"("abc_123")"sv, R"("abc_123")"sv},
    {"QuoteAndBackslash", R"(a"b\c)"sv, R"("a\"b\\c")"sv, R"("a\"b\\c")"sv},
    {"NewlineTabReturn", "a\nb\tc\r"sv, R"("a\nb\tc\r")"sv, R"("a\nb\tc\r")"sv},
    {"BackspaceFormFeed", "\b\f"sv, R"("\b\f")"sv, R"("\u0008\u000c")"sv},
    {"NulAndControl", "\x00\x1f"sv, R"("\u0000\u001f")"sv, R"("\u0000\u001f")"sv},
    {"Delete", "\x7f"sv, "\"\x7f\""sv, R"("\u007f")"sv},
    {"HtmlCharacters", "<a&b>"sv, R"("\u003ca\u0026b\u003e")"sv, R"("<a&b>")"sv},
    {"ValidMultibyte", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"sv,
     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""sv, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""sv},
    {"LineSeparators", "\xe2\x80\xa8\xe2\x80\xa9"sv, R"("\u2028\u2029")"sv,
     "\"\xe2\x80\xa8\xe2\x80\xa9\""sv},
    {"LongPlainRunThenEscapes", "abcdefghijklmnopqrstuvwxyz\"0123456789<"sv,
     R"("abcdefghijklmnopqrstuvwxyz\"0123456789\u003c")"sv,
     R"("abcdefghijklmnopqrstuvwxyz\"0123456789<")"sv},
    {"LoneContinuationByte", "a\x80z"sv, R"("a\ufffdz")"sv, "\"a\xef\xbf\xbdz\""sv},
    {"InvalidLeadByte", "\xff"sv, R"("\ufffd")"sv, "\"\xef\xbf\xbd\""sv},
    {"TruncatedSequence", "\xe2\x82"sv, R"("\ufffd\ufffd")"sv, "\"\xef\xbf\xbd\xef\xbf\xbd\""sv},
    {"OverlongNul", "\xc0\x80"sv, R"("\ufffd\ufffd")"sv, "\"\xef\xbf\xbd\xef\xbf\xbd\""sv},
    {"Surrogate", "\xed\xa0\x80"sv, R"("\ufffd\ufffd\ufffd")"sv,
     "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""sv},
    {"BeyondU10FFFF", "\xf4\x90\x80\x80"sv, R"("\ufffd\ufffd\ufffd\ufffd")"sv,
     "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""sv},
};

class JsonEscapeTest : public testing::TestWithParam<JsonCase> {};

TEST_P(JsonEscapeTest, GoStyle) {
  std::string out;
  AppendJsonString(GetParam().input, &out, JsonStyle::kGo);
  EXPECT_EQ(out, GetParam().go);
}

TEST_P(JsonEscapeTest, PlainStyle) {
  std::string out;
  AppendJsonString(GetParam().input, &out, JsonStyle::kPlain);
  EXPECT_EQ(out, GetParam().plain);
}

INSTANTIATE_TEST_SUITE_P(Common, JsonEscapeTest, testing::ValuesIn(kJsonCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(JsonEscape, AppendsToWhatIsThere) {
  std::string out = "x=";
  AppendJsonString("y", &out);
  EXPECT_EQ(out, R"(x="y")");
}

// Every two-byte input (all 65536 of them, most of them broken UTF-8) gives valid UTF-8 in both
// styles, framed by quotes.
TEST(JsonEscape, NeverEmitsInvalidUtf8) {
  size_t checked = 0;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const char bytes[] = {static_cast<char>(a), static_cast<char>(b)};
      for (JsonStyle style : {JsonStyle::kGo, JsonStyle::kPlain}) {
        std::string out;
        AppendJsonString(std::string_view(bytes, 2), &out, style);
        ASSERT_TRUE(ValidUtf8(out)) << "bytes " << a << " " << b;
        ASSERT_GE(out.size(), 4u);
        ASSERT_EQ(out.front(), '"');
        ASSERT_EQ(out.back(), '"');
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 2u * 65536u);
}

}  // namespace
}  // namespace promtool
