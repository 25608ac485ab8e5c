// hash::Bytes and hash::Wide read their input with whole-word loads; each must give exactly the
// value of its plain definition (bytes packed little-endian into zero-extended words). And
// hash::Set.
#include "common/hash.h"

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <vector>

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

// Calls check(s, where) for every slice of a fixed byte pattern that starts at 0..7 and is 0..80
// bytes long: every tail length at every alignment.
template <typename Check>
void ForEveryLengthAndAlignment(Check check) {
  std::string bytes;
  for (int i = 0; i < 96; ++i) bytes.push_back(static_cast<char>((i * 37 + 11) ^ (i << 3)));
  for (size_t start = 0; start < 8; ++start) {
    for (size_t len = 0; start + len <= 80; ++len) {
      check(std::string_view(bytes.data() + start, len),
            "start " + std::to_string(start) + " len " + std::to_string(len));
    }
  }
}

TEST(HashBytesTest, EveryLengthAndAlignmentMatchesTheDefinition) {
  ForEveryLengthAndAlignment([](std::string_view s, const std::string& where) {
    EXPECT_EQ(hash::Bytes(s, 7), ReferenceBytes(s, 7)) << where;
  });
}

TEST(HashBytesTest, HighBytesAreNotSignExtended) {
  const std::string s = "\xff\x80\xfe";
  EXPECT_EQ(hash::Bytes(s), ReferenceBytes(s, 0));
  EXPECT_NE(hash::Bytes("\xff"), hash::Bytes(std::string_view("\xff\x00", 2)));
}

// hash::Wide's definition with byte-wise loads: sixteen bytes per round while more than sixteen
// remain, then the last 1..16 bytes as two words (each assembled byte by byte).
uint64_t LoadBytes(std::string_view s, size_t at, size_t n) {
  uint64_t w = 0;
  for (size_t k = 0; k < n; ++k) w |= uint64_t{static_cast<unsigned char>(s[at + k])} << (8 * k);
  return w;
}

uint64_t ReferenceWide(std::string_view s, uint64_t seed) {
  const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
  const size_t n = s.size();
  uint64_t h = seed ^ k0, a = 0, b = 0;
  if (n > 16) {
    size_t at = 0;
    for (; n - at > 16; at += 16)
      h = hash::Fold(LoadBytes(s, at, 8) ^ k1, LoadBytes(s, at + 8, 8) ^ h);
    a = LoadBytes(s, n - 16, 8);
    b = LoadBytes(s, n - 8, 8);
  } else if (n >= 8) {
    a = LoadBytes(s, 0, 8);
    b = LoadBytes(s, n - 8, 8);
  } else if (n >= 4) {
    a = LoadBytes(s, 0, 4);
    b = LoadBytes(s, n - 4, 4);
  } else if (n > 0) {
    a = (LoadBytes(s, 0, 1) << 16) | (LoadBytes(s, n / 2, 1) << 8) | LoadBytes(s, n - 1, 1);
  }
  return hash::Fold(k1 ^ n, hash::Fold(a ^ k1, b ^ h ^ k2));
}

TEST(HashWideTest, EveryLengthAndAlignmentMatchesTheDefinition) {
  ForEveryLengthAndAlignment([](std::string_view s, const std::string& where) {
    EXPECT_EQ(hash::Wide(s, 7), ReferenceWide(s, 7)) << where;
  });
}

TEST(HashWideTest, FoldIsTheProductsHalvesXoredWithBothFactors) {
  EXPECT_EQ(hash::Fold(0, 12345), 12345u);  // a zero factor keeps the other
  EXPECT_EQ(hash::Fold(uint64_t{1} << 63, 4),
            2u ^ (uint64_t{1} << 63) ^ 4u);  // 2^65: high half 2, low half 0
  EXPECT_EQ(hash::Fold(3, 5), 15u ^ 3u ^ 5u);
}

// A word equal to the constant it is xored with zeroes one factor; the words after it must still
// tell inputs apart.
TEST(HashWideTest, AZeroFactorDoesNotMakeInputsCollide) {
  const uint64_t k1 = 0xe7037ed1a0b428dbULL;
  std::string base(32, 'x');
  std::memcpy(base.data(), &k1, 8);
  std::set<uint64_t> seen;
  for (char c = 'a'; c <= 'z'; ++c) {
    std::string s = base;
    s[8] = c;  // the second word of the first round
    EXPECT_TRUE(seen.insert(hash::Wide(s)).second) << c;
  }
}

// Every string of up to three bytes over a small alphabet, and each under two seeds, hashes to
// a distinct value: lengths, positions and seeds all count.
TEST(HashWideTest, ShortStringsAndSeedsDoNotCollide) {
  const std::string alphabet("\0a=\"\xff", 5);
  std::vector<std::string> strings{""};
  for (size_t len = 1; len <= 3; ++len) {
    const size_t before = strings.size();
    for (size_t i = 0; i < before; ++i) {
      if (strings[i].size() != len - 1) continue;
      for (char c : alphabet) strings.push_back(strings[i] + c);
    }
  }
  std::set<uint64_t> seen;
  for (const std::string& s : strings) {
    EXPECT_TRUE(seen.insert(hash::Wide(s, 0)).second) << "collision for a string of " << s.size();
    EXPECT_TRUE(seen.insert(hash::Wide(s, 1)).second) << "seed 1, string of " << s.size();
  }
  EXPECT_EQ(seen.size(), 2 * strings.size());
}

// hash::LabelText: the label's text in place (a sample line's views) and the same label from
// views elsewhere hash alike; where the name ends counts.
TEST(HashLabelTextTest, InPlaceAndCopiedViewsHashAlike) {
  const std::string line = "a{pod=\"x-1\",namespace=\"kube-system\"} 1";
  const std::string_view text(line);
  std::string scratch;
  struct Row {
    std::string_view name, value;  // views into `line`
    std::string name_copy, value_copy;
  };
  const Row rows[] = {
      {text.substr(2, 3), text.substr(7, 3), "pod", "x-1"},
      {text.substr(12, 9), text.substr(23, 11), "namespace", "kube-system"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name_copy);
    ASSERT_EQ(row.name, row.name_copy);
    ASSERT_EQ(row.value, row.value_copy);
    const uint64_t in_place = hash::LabelText(row.name, row.value, &scratch);
    EXPECT_EQ(in_place, hash::Wide(row.name_copy + "=\"" + row.value_copy, row.name.size()));
    EXPECT_EQ(hash::LabelText(row.name_copy, row.value_copy, &scratch), in_place);
  }
  // ("ab", "c") and ("a", "bc") are different labels; so are a name and value swapped.
  EXPECT_NE(hash::LabelText("ab", "c", &scratch), hash::LabelText("a", "bc", &scratch));
  EXPECT_NE(hash::LabelText("a", "b", &scratch), hash::LabelText("b", "a", &scratch));
  // Blanks around '=' (text format) leave the views apart: the label hashes as written tight.
  const std::string spaced = "a{pod = \"x-1\"} 1";
  EXPECT_EQ(hash::LabelText(std::string_view(spaced).substr(2, 3),
                            std::string_view(spaced).substr(9, 3), &scratch),
            hash::LabelText("pod", "x-1", &scratch));
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

// A large table is freed by Clear() (not zeroed for every family after a large one); the set
// works the same after it.
TEST(HashSetTest, ClearOfALargeSetForgetsEverythingAndStillWorks) {
  hash::Set set;
  for (uint64_t h = 1; h <= 100000; ++h) set.Insert(h * 0x9e3779b97f4a7c15ULL);
  set.Clear();
  EXPECT_FALSE(set.Contains(0x9e3779b97f4a7c15ULL));
  EXPECT_FALSE(set.Contains(100000 * 0x9e3779b97f4a7c15ULL));
  set.Insert(3);
  EXPECT_TRUE(set.Contains(3));
  EXPECT_FALSE(set.Contains(4));
}

}  // namespace
}  // namespace promtool
