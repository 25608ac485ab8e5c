// scan::ScanDecimal: where the plain decimal at the start of a range ends, its exact value and
// whether it is written as an integer; nullptr whenever the slow path must decide (out of range,
// or not a plain decimal). And
// scan::SameBytes against memcmp.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/scan.h"
#include "gtest/gtest.h"

namespace promtool {
namespace {

struct DecimalRow {
  const char* name;
  std::string_view text;
  bool fast;     // read on the fast path
  size_t stop;   // where the decimal ends (fast only)
  double value;  // fast only
  bool integer;  // fast only
};

void PrintTo(const DecimalRow& row, std::ostream* os) { *os << row.name; }

const DecimalRow kRows[] = {
    {"Integer", "123", true, 3, 123, true},
    {"SignedInteger", "-42", true, 3, -42, true},
    {"PlusSign", "+7", true, 2, 7, true},
    {"Fraction", "0.25", true, 4, 0.25, false},
    {"TrailingPoint", "1.", true, 2, 1, false},
    {"Exponent", "1.5e+06", true, 7, 1.5e6, false},
    {"IntegerWithExponent", "2E3", true, 3, 2000, false},
    {"StopsAtComma", "12,5", true, 2, 12, true},
    {"StopsAtColon", "0.05:38227", true, 4, 0.05, false},
    {"StopsAtLetter", "12x", true, 2, 12, true},
    {"EightDigits", "12345678", true, 8, 12345678, true},
    {"NineDigitsThenComma", "123456789,", true, 9, 123456789, true},
    {"FourteenDigitsThenBracket", "98765432109876]", true, 14, 98765432109876.0, true},
    {"FractionAfterLongInteger", "1234567890.12345 ", true, 16, 1234567890.12345, false},
    {"ByteAboveNineStops",
     "1234\x80"
     "5678",
     true, 4, 1234, true},
    {"SlashBelowZeroStops", "123456/89", true, 6, 123456, true},
    {"FifteenDigits", "123456789012345", true, 15, 123456789012345.0, true},
    {"SeventeenDigitsRoundedByFromChars", "0.30000000000000004,", true, 19, 0.30000000000000004,
     false},
    {"LeadingZerosCountAsDigits", "0.0010504825804570057]", true, 21, 0.0010504825804570057, false},
    {"IntegerBeyond64Bits", "-123456789012345678901234567890", true, 31,
     -123456789012345678901234567890.0, true},
    {"LongMantissaWithExponent", "1234567890123456e-5 ", true, 19, 12345678901.23456, false},
    {"LongMantissaOverflowNeedsTheSlowPath", "12345678901234567e400", false, 0, 0, false},
    {"LongMantissaUnderflowNeedsTheSlowPath", "12345678901234567e-400", false, 0, 0, false},
    {"PowerBeyond22", "1e23", false, 0, 0, false},
    {"FiveExponentDigitsStopAtTheFifth", "1e00001", true, 6, 1, false},
    {"ExponentWithoutDigits", "1e", false, 0, 0, false},
    {"NoDigits", ".", false, 0, 0, false},
    {"SignOnly", "-", false, 0, 0, false},
    {"Empty", "", false, 0, 0, false},
    {"Infinity", "+Inf", false, 0, 0, false},
    {"NaN", "NaN", false, 0, 0, false},
};

class ScanDecimalTest : public testing::TestWithParam<DecimalRow> {};

TEST_P(ScanDecimalTest, StopValueAndIntegerness) {
  const DecimalRow& row = GetParam();
  const char* begin = row.text.data();
  const char* end = begin + row.text.size();
  double value = -1;
  bool integer = false;
  const char* stop = scan::ScanDecimal(begin, end, &value, &integer);
  if (!row.fast) {
    EXPECT_EQ(stop, nullptr);
    return;
  }
  ASSERT_NE(stop, nullptr);
  EXPECT_EQ(static_cast<size_t>(stop - begin), row.stop);
  EXPECT_EQ(value, row.value);
  EXPECT_EQ(integer, row.integer);
  // FastDecimal takes only what is a decimal to the end of its range.
  double whole = -1;
  EXPECT_EQ(scan::FastDecimal(begin, end, &whole), row.stop == row.text.size());
}

INSTANTIATE_TEST_SUITE_P(Rows, ScanDecimalTest, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<DecimalRow>& i) { return i.param.name; });

// Against the standard library on pseudo-random decimals of 1 to 24 digits, with and without a
// point, followed by a delimiter or not: exact on both paths (Clinger's up to 15 digits,
// from_chars beyond).
TEST(ScanDecimalTest, AgreesWithFromChars) {
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t digits = 1 + next() % 24;
    const size_t point = next() % (digits + 1);  // == digits: no point
    for (size_t i = 0; i < digits; ++i) {
      if (i == point && i != 0) text.push_back('.');
      text.push_back(static_cast<char>('0' + next() % 10));
    }
    const std::string number = text;
    if (next() % 2 == 0) text += ",1";
    double fast = 0, slow = 0;
    bool integer = false;
    const char* stop = scan::ScanDecimal(text.data(), text.data() + text.size(), &fast, &integer);
    ASSERT_NE(stop, nullptr) << text;
    ASSERT_EQ(static_cast<size_t>(stop - text.data()), number.size()) << text;
    std::from_chars(number.data(), number.data() + number.size(), slow);
    ASSERT_EQ(fast, slow) << text;
    EXPECT_EQ(integer, number.find('.') == std::string::npos) << text;
  }
}

// scan::SameBytes against memcmp: every length up to 40, equal, and differing at each position
// (the word loop, the overlapping last word, the 4-byte and byte paths).
TEST(SameBytesTest, AgreesWithMemcmpAtEveryLengthAndPosition) {
  std::string a, b;
  for (int i = 0; i < 40; ++i) a.push_back(static_cast<char>('a' + i % 26));
  for (size_t n = 0; n <= a.size(); ++n) {
    EXPECT_TRUE(scan::SameBytes(a.data(), a.data(), n)) << n;
    for (size_t at = 0; at < n; ++at) {
      b = a;
      b[at] = static_cast<char>(b[at] ^ 0x80);
      EXPECT_FALSE(scan::SameBytes(a.data(), b.data(), n)) << "length " << n << " at " << at;
    }
  }
}

TEST(FastDecimalTest, EmptyRangeWithoutBufferIsNotANumber) {
  double value = -1;
  EXPECT_FALSE(scan::FastDecimal(nullptr, nullptr, &value));
  EXPECT_EQ(value, -1);
}

}  // namespace
}  // namespace promtool
