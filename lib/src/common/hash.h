// 64-bit hashing of bytes and of label sets (ordered and order-free): the one implementation the
// parsers, the family reader and the linter use for series identity.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace promtool::hash {

// A strong 64-bit finalizer (MurmurHash3's fmix64).
inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The last `n` (1..7) bytes at `p` as a little-endian word (zero-extended), read with whole-word
// loads: a byte-wise copy into a word on the stack stalls the load that follows it (store
// forwarding fails), which made hashing short names and values several times slower.
// `after_words`: at least 8 bytes precede p + n (the input had a full word), so one load
// ending at p + n is safe.
inline uint64_t Tail(const char* p, size_t n, bool after_words) {
  uint64_t w;
  if (after_words) {
    std::memcpy(&w, p + n - 8, 8);
    return w >> (8 * (8 - n));
  }
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return uint64_t{lo} | ((uint64_t{hi} >> (8 * (8 - n))) << 32);
  }
  const auto byte = [p](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
  w = byte(0);
  if (n > 1) w |= byte(1) << 8;
  if (n > 2) w |= byte(2) << 16;
  return w;
}

// A 64-bit hash of `s` eight bytes at a time (a multiply-rotate round per word, the tail packed
// into one word, the length mixed in).
inline uint64_t Bytes(std::string_view s, uint64_t seed = 0) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = seed ^ (static_cast<uint64_t>(n) * 0x9e3779b97f4a7c15ULL);
  auto round = [&h](uint64_t w) {
    w *= 0x87c37b91114253d5ULL;
    w = (w << 31) | (w >> 33);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
    h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
  };
  const bool long_input = n >= 8;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    round(w);
    p += 8;
    n -= 8;
  }
  if (n > 0) round(Tail(p, n, long_input) ^ (uint64_t{0xff} << 56));
  return Mix(h);
}

// The 128-bit product of a and b folded to 64 bits (high half xor low half), xored with both
// factors: a zero factor (an input word equal to a constant it is xored with) would make the
// product zero whatever the other factor, and every input differing only there would collide;
// the xor keeps the other factor in the result.
__extension__ using Uint128 = unsigned __int128;  // GCC and Clang on 64-bit targets
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64) ^ a ^ b;
}

// A 64-bit hash of `s` sixteen bytes per multiply, for hot paths that hash every byte of the input
// (a parser's series identity): one 64x64->128-bit product folds two words into the state, the
// last 1..16 bytes are read as two (possibly overlapping) words, and the length and seed enter
// the final products. About six times fewer multiplies than Bytes() on label-sized strings.
// Its values differ from Bytes(); the two are never mixed in one set.
inline uint64_t Wide(std::string_view s, uint64_t seed = 0) {
  constexpr uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                     k2 = 0x8ebc6af09c88c6e3ULL;
  const char* p = s.data();
  const size_t n = s.size();
  const auto word = [](const char* at) {
    uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  };
  const auto half = [](const char* at) {
    uint32_t w;
    std::memcpy(&w, at, 4);
    return uint64_t{w};
  };
  uint64_t h = seed ^ k0;
  uint64_t a = 0, b = 0;
  if (n <= 16) {
    if (n >= 8) {
      a = word(p);
      b = word(p + n - 8);
    } else if (n >= 4) {
      a = half(p);
      b = half(p + n - 4);
    } else if (n > 0) {
      const auto byte = [p](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
      a = (byte(0) << 16) | (byte(n >> 1) << 8) | byte(n - 1);
    }
  } else {
    size_t left = n;
    while (left > 16) {
      h = Fold(word(p) ^ k1, word(p + 8) ^ h);
      p += 16;
      left -= 16;
    }
    a = word(p + left - 16);
    b = word(p + left - 8);
  }
  return Fold(k1 ^ n, Fold(a ^ k1, b ^ h ^ k2));
}

// One label as the text `name="value`, hashed by Wide() seeded with the name's length (so where
// the name ends counts): with no copy when the two views sit where a sample line has them
// (`name="value"`, the parsers' views into the window), else over the same bytes put together in
// *scratch, so the hash depends on the label alone. A few times cheaper than Label().
inline uint64_t LabelText(std::string_view name, std::string_view value, std::string* scratch) {
  const char* n = name.data();
  if (!name.empty() && value.data() == n + name.size() + 2 && n[name.size()] == '=' &&
      n[name.size() + 1] == '"') {
    return Wide(std::string_view(n, name.size() + 2 + value.size()), name.size());
  }
  scratch->assign(name);
  scratch->append("=\"");
  scratch->append(value);
  return Wide(*scratch, name.size());
}

// One label: distinct seeds and constants keep ("ab","c") and ("a","bc") apart.
inline uint64_t Label(std::string_view name, std::string_view value) {
  return Mix(Bytes(name, 0x243f6a8885a308d3ULL) * 0x9e3779b97f4a7c15ULL +
             Bytes(value, 0x13198a2e03707344ULL) + 0x632be59bd9b4e019ULL);
}

// A label set whose order matters: Add() each label's hash in order.
class Ordered {
 public:
  explicit Ordered(uint64_t seed = 0) : h_(seed) {}
  void Add(uint64_t label) {
    h_ = Mix(h_ * 0x100000001b3ULL + label);
    ++count_;
  }
  uint64_t Finish() const { return Mix(h_ + count_); }

 private:
  uint64_t h_;
  uint64_t count_ = 0;
};

// A label set whose order does not matter: a sum and an xor of mixed label hashes.
class Unordered {
 public:
  explicit Unordered(uint64_t seed = 0) : seed_(seed) {}
  void Add(uint64_t label) {
    sum_ += label;
    x_ ^= Mix(label + 0x2545f4914f6cdd1dULL);
    ++count_;
  }
  uint64_t Finish() const { return Mix(seed_ ^ Mix(sum_) ^ (x_ * 0x9e3779b97f4a7c15ULL) ^ count_); }

 private:
  uint64_t seed_;
  uint64_t sum_ = 0, x_ = 0, count_ = 0;
};

// A set of 64-bit hashes with open addressing, at most half full (0 marks a free slot, so a
// zero hash is stored as 1). Clear() keeps a small table (reuse allocates nothing) and frees a
// large one: a set cleared once per family would otherwise zero the table of the largest family
// (tens of MiB) again for every family after it.
class Set {
 public:
  void Clear() {
    if (slots_.size() > kKeepSlots) {
      std::vector<uint64_t>().swap(slots_);
    } else if (size_ != 0) {
      std::fill(slots_.begin(), slots_.end(), 0);
    }
    size_ = 0;
  }
  bool Contains(uint64_t h) const {
    if (size_ == 0) return false;
    h = h == 0 ? 1 : h;
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void Insert(uint64_t h) {
    h = h == 0 ? 1 : h;
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return;
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t h : old) {
      if (h != 0) Insert(h);
    }
  }
  static constexpr size_t kKeepSlots = size_t{1} << 15;  // 256 KiB
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

}  // namespace promtool::hash
