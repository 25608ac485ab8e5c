// varint (common/varint.h): exact encodings, round trips across the 64-bit range, and the three
// ways a decode fails (truncated, too long, overflow).
#include "common/varint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace promtool {
namespace {

using namespace std::string_view_literals;

struct EncodingCase {
  uint64_t value;
  std::string_view bytes;
};

const EncodingCase kEncodings[] = {
    {0, "\x00"sv},
    {1, "\x01"sv},
    {127, "\x7f"sv},
    {128, "\x80\x01"sv},
    {300, "\xac\x02"sv},
    {16383, "\xff\x7f"sv},
    {16384, "\x80\x80\x01"sv},
    {uint64_t{1} << 32, "\x80\x80\x80\x80\x10"sv},
    {UINT64_MAX, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"sv},
};

class VarintEncodingTest : public testing::TestWithParam<EncodingCase> {};

TEST_P(VarintEncodingTest, AppendWritesTheBytes) {
  std::string out;
  varint::Append(GetParam().value, &out);
  EXPECT_EQ(out, GetParam().bytes);
}

TEST_P(VarintEncodingTest, DecodeReadsTheValueAndLength) {
  varint::Read r = varint::Decode(GetParam().bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, GetParam().value);
  EXPECT_EQ(r.bytes, GetParam().bytes.size());
}

INSTANTIATE_TEST_SUITE_P(Common, VarintEncodingTest, testing::ValuesIn(kEncodings));

TEST(Varint, RoundTripsEveryBitLength) {
  for (int bits = 0; bits <= 64; ++bits) {
    for (uint64_t v : {bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1,
                       bits == 64 ? uint64_t{0} : uint64_t{1} << bits}) {
      std::string out = "pre";
      varint::Append(v, &out);
      varint::Read r = varint::Decode(out, 3);
      ASSERT_TRUE(r.ok()) << v;
      EXPECT_EQ(r.value, v);
      EXPECT_EQ(r.bytes, out.size() - 3);
    }
  }
}

TEST(Varint, DecodeAtAnOffsetIgnoresTrailingBytes) {
  varint::Read r = varint::Decode("\x05\xac\x02\x07"sv, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, 300u);
  EXPECT_EQ(r.bytes, 2u);
}

struct FailureCase {
  const char* name;
  std::string_view bytes;
  varint::Status status;
};

const FailureCase kFailures[] = {
    {"Empty", ""sv, varint::Status::kTruncated},
    {"ContinuationAtEnd", "\x80"sv, varint::Status::kTruncated},
    {"NineContinuations", "\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, varint::Status::kTruncated},
    {"TenthByteContinues", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x00"sv,
     varint::Status::kTooLong},
    {"TenthByteOverflows", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"sv, varint::Status::kOverflow},
};

class VarintFailureTest : public testing::TestWithParam<FailureCase> {};

TEST_P(VarintFailureTest, ReportsWhy) {
  varint::Read r = varint::Decode(GetParam().bytes);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, GetParam().status);
}

INSTANTIATE_TEST_SUITE_P(Common, VarintFailureTest, testing::ValuesIn(kFailures),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace promtool
