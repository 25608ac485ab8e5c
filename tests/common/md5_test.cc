// Unit tests of Md5 (common/md5.h): RFC 1321's test suite (A.5), and lengths around the padding
// boundaries against digests computed with OpenSSL's md5.
#include "common/md5.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace promtool {
namespace {

std::string Hex(const std::array<uint8_t, 16>& d) {
  std::string out;
  char buf[3];
  for (uint8_t b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

TEST(Md5, Rfc1321TestSuite) {
  struct Case {
    std::string input;
    std::string digest;
  };
  const Case cases[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
       "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const Case& c : cases) EXPECT_EQ(Hex(Md5(c.input)), c.digest) << '"' << c.input << '"';
}

// Bytes (i * 7 + 3) mod 256 for i < n: every length around the 56- and 64-byte padding edges, all
// 256 byte values; digests computed with Python's hashlib (OpenSSL's MD5).
TEST(Md5, LengthsAroundThePaddingBoundaries) {
  struct Case {
    size_t n;
    std::string digest;
  };
  const Case cases[] = {
      {55, "52c0e574e1198de5fe3f8f11440dcb1b"},  {56, "46c9907fc908ee68b1e7b8e71286a518"},
      {57, "1c805dd236c35cab25fcb1bc73802c51"},  {63, "a62f6d59e837867693f042f5b8f5a236"},
      {64, "7160b8fb5e9e4023d549c3971fbaeead"},  {65, "70bd662e7aefbda85a0f7244167b7897"},
      {119, "e84905d4214f4d1ca56c2cdcc152b143"}, {120, "e3eb5a6c8669ea01a8c185b8abc8a5dc"},
      {128, "10b2da1a82f16d99a81a7203fe9f02cb"}, {1000, "10046f077f2082ac19676b8079f1cb1a"},
  };
  for (const Case& c : cases) {
    std::string input;
    for (size_t i = 0; i < c.n; ++i) input.push_back(static_cast<char>((i * 7 + 3) % 256));
    EXPECT_EQ(Hex(Md5(input)), c.digest) << c.n << " bytes";
  }
}

}  // namespace
}  // namespace promtool
