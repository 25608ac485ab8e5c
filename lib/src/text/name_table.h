// The parsers' compact per-name state: names copied once into chunks that never move, records in
// fixed-size chunks (stable addresses, no allocation per name) and an open-addressing index of
// record ids by name, with every byte they hold counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/hash/hash.h"

namespace promtool::text_internal {

// Append-only storage of names (and help texts): a stored view stays valid for the arena's
// lifetime. Small strings share chunks (1 KiB doubling to 64 KiB); a string over a quarter of
// the largest chunk gets its own.
class NameArena {
 public:
  std::string_view Store(std::string_view s) {
    const size_t n = s.size();
    if (n == 0) return {};
    if (n > kChunk / 4) {
      big_.push_back(std::make_unique_for_overwrite<char[]>(n));
      bytes_ += n;
      std::memcpy(big_.back().get(), s.data(), n);
      return {big_.back().get(), n};
    }
    if (left_ < n) {
      // Chunks grow from 1 KiB to 64 KiB: a parser that sees a few names (the OpenMetrics
      // writer reads every family back with a fresh one) allocates little.
      size_t size = chunks_.size() < 6 ? size_t{1024} << chunks_.size() : kChunk;
      while (size < n) size *= 2;
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
      bytes_ += size;
      next_ = chunks_.back().get();
      left_ = size;
    }
    std::memcpy(next_, s.data(), n);
    std::string_view stored(next_, n);
    next_ += n;
    left_ -= n;
    return stored;
  }
  // Bytes allocated (chunks whole).
  uint64_t bytes() const { return bytes_ + (chunks_.capacity() + big_.capacity()) * sizeof(void*); }

 private:
  static constexpr size_t kChunk = 64 << 10;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<std::unique_ptr<char[]>> big_;
  char* next_ = nullptr;
  size_t left_ = 0;
  uint64_t bytes_ = 0;
};

// Records numbered 0, 1, 2... in chunks of 2^Shift: a record's address never changes. A chunk is
// allocated uninitialised and each record constructed by Add(), so a parser that sees a few names
// touches a few pages of its first chunk, not all of them (32 page faults at every start).
template <typename Record, uint32_t Shift = 12>
class RecordStore {
 public:
  RecordStore() = default;
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;
  ~RecordStore() {
    for (uint32_t id = 0; id < size_; ++id) std::destroy_at(&(*this)[id]);
    for (Record* chunk : chunks_) std::allocator<Record>().deallocate(chunk, kMask + 1);
  }
  uint32_t size() const { return size_; }
  Record& operator[](uint32_t id) { return chunks_[id >> kShift][id & kMask]; }
  const Record& operator[](uint32_t id) const { return chunks_[id >> kShift][id & kMask]; }
  // Appends a value-initialised record; returns its id.
  uint32_t Add() {
    if ((size_ & kMask) == 0) {
      // Room first, so that a failing push_back cannot leak the chunk; doubling, so that
      // reserving stays amortised O(1).
      if (chunks_.size() == chunks_.capacity()) chunks_.reserve(2 * chunks_.size() + 1);
      chunks_.push_back(std::allocator<Record>().allocate(kMask + 1));
    }
    std::construct_at(&chunks_[size_ >> kShift][size_ & kMask]);
    return size_++;
  }
  uint64_t bytes() const {
    return chunks_.size() * (kMask + 1) * sizeof(Record) + chunks_.capacity() * sizeof(void*);
  }

 private:
  static constexpr uint32_t kShift = Shift, kMask = (1u << kShift) - 1;
  std::vector<Record*> chunks_;
  uint32_t size_ = 0;
};

// Ids by name: linear probing over 64-bit slots (the id + 1 in the low half, the high half of
// the name's hash in the other; 0 is empty), at most 3/4 full. The kept half of the hash places
// a slot, so growing needs no name. A name is found by comparing the name itself
// (`name_of(id)`), never by its hash alone.
class NameIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  static uint64_t Hash(std::string_view name) { return absl::HashOf(name); }

  template <typename NameOf>
  uint32_t Find(std::string_view name, uint64_t hash, const NameOf& name_of) const {
    if (slots_.empty()) return kNone;
    const uint64_t tag = hash >> 32;
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return kNone;
      if ((slot >> 32) == tag) {
        const uint32_t id = static_cast<uint32_t>(slot) - 1;
        if (name_of(id) == name) return id;
      }
    }
  }
  // Adds `id` for a name (with `hash`) not in the index.
  void Insert(uint64_t hash, uint32_t id) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    Place((hash >> 32) << 32 | (static_cast<uint64_t>(id) + 1));
    ++used_;
  }
  uint64_t bytes() const { return slots_.capacity() * sizeof(uint64_t); }
  // What the next Insert would hold, growth included (the old and the new slots both).
  uint64_t bytes_after_insert() const {
    return (used_ + 1) * 4 > slots_.size() * 3 ? bytes() * 3 + (slots_.empty() ? 512 : 0) : bytes();
  }

 private:
  void Place(uint64_t slot) {
    size_t i = (slot >> 32) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    const size_t n = old.empty() ? 64 : old.size() * 2;
    slots_.assign(n, 0);
    mask_ = n - 1;
    for (uint64_t slot : old) {
      if (slot != 0) Place(slot);
    }
  }

  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;
};

}  // namespace promtool::text_internal
