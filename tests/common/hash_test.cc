// hash::Bytes reads the tail of its input with whole-word loads; it must give exactly the value of
// the plain definition (the tail bytes packed little-endian into one zero-extended word).
#include "common/hash.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace promtool {
namespace {

// The definition: eight bytes at a time, the tail copied byte by byte into a zeroed word.
uint64_t ReferenceBytes(std::string_view s, uint64_t seed) {
  uint64_t h = seed ^ (static_cast<uint64_t>(s.size()) * 0x9e3779b97f4a7c15ULL);
  auto round = [&h](uint64_t w) {
    w *= 0x87c37b91114253d5ULL;
    w = (w << 31) | (w >> 33);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
    h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
  };
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    for (size_t k = 0; k < 8; ++k) w |= uint64_t{static_cast<unsigned char>(s[i + k])} << (8 * k);
    round(w);
  }
  if (i < s.size()) {
    uint64_t w = 0;
    for (size_t k = 0; i + k < s.size(); ++k) {
      w |= uint64_t{static_cast<unsigned char>(s[i + k])} << (8 * k);
    }
    round(w ^ (uint64_t{0xff} << 56));
  }
  return hash::Mix(h);
}

TEST(HashBytesTest, EveryLengthAndAlignmentMatchesTheDefinition) {
  std::string bytes;
  for (int i = 0; i < 96; ++i) bytes.push_back(static_cast<char>((i * 37 + 11) ^ (i << 3)));
  for (size_t start = 0; start < 8; ++start) {
    for (size_t len = 0; start + len <= 80; ++len) {
      const std::string_view s(bytes.data() + start, len);
      EXPECT_EQ(hash::Bytes(s, 7), ReferenceBytes(s, 7)) << "start " << start << " len " << len;
    }
  }
}

TEST(HashBytesTest, HighBytesAreNotSignExtended) {
  const std::string s = "\xff\x80\xfe";
  EXPECT_EQ(hash::Bytes(s), ReferenceBytes(s, 0));
  EXPECT_NE(hash::Bytes("\xff"), hash::Bytes(std::string_view("\xff\x00", 2)));
}

TEST(HashSetTest, ZeroIsAHashLikeAnyOther) {
  hash::Set set;
  EXPECT_FALSE(set.Contains(0));
  set.Insert(0);
  EXPECT_TRUE(set.Contains(0));
}

TEST(HashSetTest, KeepsEveryHashAcrossGrowth) {
  hash::Set set;
  for (uint64_t h = 1; h <= 10000; ++h) set.Insert(h * 0x9e3779b97f4a7c15ULL);
  for (uint64_t h = 1; h <= 10000; ++h) {
    ASSERT_TRUE(set.Contains(h * 0x9e3779b97f4a7c15ULL)) << h;
  }
  EXPECT_FALSE(set.Contains(10001 * 0x9e3779b97f4a7c15ULL));
}

TEST(HashSetTest, ClearForgetsEverything) {
  hash::Set set;
  set.Insert(42);
  set.Insert(7);
  set.Clear();
  EXPECT_FALSE(set.Contains(42));
  EXPECT_FALSE(set.Contains(7));
  set.Insert(7);
  EXPECT_TRUE(set.Contains(7));
}

}  // namespace
}  // namespace promtool
