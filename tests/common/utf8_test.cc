// ValidUtf8 (promtool/escape.h): the verdict does not depend on where a sequence sits relative
// to the eight-byte ASCII fast path, and it matches a byte-by-byte reference decoder.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "promtool/escape.h"

namespace promtool {
namespace {

using namespace std::string_view_literals;

struct Utf8Case {
  const char* name;
  std::string_view bytes;
  bool valid;
};

const Utf8Case kUtf8Cases[] = {
    {"Empty", ""sv, true},
    {"ShortAscii", "abc"sv, true},
    {"ExactlyEightAscii", "abcdefgh"sv, true},
    {"LongAscii", "abcdefghijklmnopqrstuvwxyz0123456789"sv, true},
    {"TwoByteAfterEightAscii", "abcdefgh\xc3\xa9"sv, true},
    {"FourByteAcrossWordBoundary", "abcdef\xf0\x9f\x98\x80xyz"sv, true},
    {"InvalidAfterSevenAscii", "abcdefg\xff"sv, false},
    {"InvalidAfterEightAscii", "abcdefgh\xff"sv, false},
    {"InvalidAfterSixteenAscii", "abcdefghijklmnop\x80"sv, false},
    {"TruncatedAtEnd", "abcdefghijklmnop\xe2\x82"sv, false},
    {"AsciiAfterValidMultibyte",
     "\xc3\xa9"
     "abcdefghijklmnop"sv,
     true},
    {"InvalidAfterMultibyteAndLongAscii",
     "\xc3\xa9"
     "abcdefghijklmnop\xc0\x80"sv,
     false},
    {"SurrogateAfterWord", "12345678\xed\xa0\x80"sv, false},
    {"NulBytesAreAscii", "\x00\x00\x00\x00\x00\x00\x00\x00\x00"sv, true},
};

class Utf8Test : public testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Test, Verdict) { EXPECT_EQ(ValidUtf8(GetParam().bytes), GetParam().valid); }

INSTANTIATE_TEST_SUITE_P(Cases, Utf8Test, testing::ValuesIn(kUtf8Cases),
                         [](const auto& p) { return std::string(p.param.name); });

// A reference decoder for one sequence starting at s[i] (RFC 3629 table 3-7): its length, 0 if
// invalid.
size_t ReferenceLength(std::string_view s, size_t i) {
  const unsigned b = static_cast<unsigned char>(s[i]);
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    if (k >= s.size()) return false;
    const unsigned c = static_cast<unsigned char>(s[k]);
    return c >= lo && c <= hi;
  };
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return in(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (b == 0xE0) return in(i + 1, 0xA0, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    return in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (b == 0xED) return in(i + 1, 0x80, 0x9F) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  if (b == 0xF0) {
    return in(i + 1, 0x90, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  if (b >= 0xF1 && b <= 0xF3) {
    return in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  if (b == 0xF4) {
    return in(i + 1, 0x80, 0x8F) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

bool ReferenceValid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = ReferenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Every two-byte pair, placed at each offset 0..9 of an ASCII run and followed by ASCII, so
// the pair falls inside, across and after the eight-byte words.
TEST(Utf8Test, EveryBytePairAtEveryWordOffsetMatchesTheReference) {
  size_t checked = 0;
  for (size_t offset = 0; offset < 10; ++offset) {
    for (unsigned a = 0; a < 256; ++a) {
      for (unsigned b = 0; b < 256; ++b) {
        std::string s(offset, 'x');
        s.push_back(static_cast<char>(a));
        s.push_back(static_cast<char>(b));
        s.append("tail0123");
        ASSERT_EQ(ValidUtf8(s), ReferenceValid(s))
            << "offset " << offset << " bytes " << a << " " << b;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 10u * 65536u);
}

}  // namespace
}  // namespace promtool
