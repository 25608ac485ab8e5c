// scan::ScanDecimal: where the plain decimal at the start of a range ends, its exact value and
// whether it is written as an integer; nullptr whenever the slow path must decide.
#include <cstddef>
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
    {"FifteenDigits", "123456789012345", true, 15, 123456789012345.0, true},
    {"SixteenDigitsNeedTheSlowPath", "0.30000000000000004", false, 0, 0, false},
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

TEST(FastDecimalTest, EmptyRangeWithoutBufferIsNotANumber) {
  double value = -1;
  EXPECT_FALSE(scan::FastDecimal(nullptr, nullptr, &value));
  EXPECT_EQ(value, -1);
}

}  // namespace
}  // namespace promtool
