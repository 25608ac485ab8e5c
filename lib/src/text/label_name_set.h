// Finds a repeated label name within one label set in time linear in the number of labels: a
// plain scan over a fixed array for the few labels most samples have, an open-addressing hash
// table beyond that.
// The storage is reused from one label set to the next, so the common case allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scan.h"
#include "promtool/types.h"

namespace promtool::text_internal {

class LabelNameSet {
 public:
  // Starts a new, empty label set.
  void Clear() {
    count_ = 0;
    names_.clear();
  }

  // Adds `name` (a view that must stay valid until Clear()); returns false, adding nothing,
  // when an equal name was added since the last Clear(). The plain scan over a fixed array is
  // inlined into the parsers' label loop; only label sets past kLinearLimit names leave it.
  bool Insert(std::string_view name) {
    if (count_ < kLinearLimit) [[likely]] {
      for (size_t i = 0; i < count_; ++i) {
        if (Equal(small_[i], name)) return false;
      }
      small_[count_++] = name;
      return true;
    }
    return InsertHashed(name);
  }

 private:
  static constexpr size_t kLinearLimit = 16;

  static size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // Length and first byte first: names in one label set almost always differ in one of them.
  static bool Equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), a.size()) == 0));
  }

  // The hashed path for label sets past kLinearLimit names; the first call moves the scanned
  // names into the table.
  [[gnu::noinline]] bool InsertHashed(std::string_view name) {
    if (count_ == kLinearLimit && names_.empty()) {
      names_.assign(small_, small_ + kLinearLimit);
      Rehash(4 * kLinearLimit);
    }
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(name) & mask;; i = (i + 1) & mask) {
      uint32_t slot = slots_[i];
      if (slot == 0) {
        names_.push_back(name);
        slots_[i] = static_cast<uint32_t>(names_.size());
        if (2 * names_.size() > slots_.size()) Rehash(2 * slots_.size());
        return true;
      }
      if (Equal(names_[slot - 1], name)) return false;
    }
  }

  // Rebuilds the table with `size` slots (a power of two) from names_.
  void Rehash(size_t size) {
    slots_.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t k = 0; k < names_.size(); ++k) {
      size_t i = Hash(names_[k]) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(k + 1);
    }
  }

  std::string_view small_[kLinearLimit];
  size_t count_ = 0;                     // names in small_; stays kLinearLimit once hashed
  std::vector<std::string_view> names_;  // every name once past kLinearLimit; else empty
  std::vector<uint32_t> slots_;          // 0: empty; k: names_[k - 1]
};

// The label names of the last label set a parser accepted, in order, each followed by `="`, kept
// in storage of its own (the window may have moved on). A sample's names are compared with them
// byte for byte, index by index: a name equal to the one at its index, after names that all
// were, is a valid name distinct from the names before it (the last set's were checked), so the
// parser skips its scan, its checks and LabelNameSet::Insert(). A family's series nearly always
// repeat one set of names in one order.
class LabelShape {
 public:
  // The length of name `i` with its `="` when the bytes at p (`avail` of them readable) start
  // with exactly that; 0 otherwise.
  size_t Match(size_t i, const char* p, size_t avail) const {
    if (i >= ends_.size()) return 0;
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    const size_t n = ends_[i] - begin;
    return n < avail && scan::SameBytes(p, bytes_.data() + begin, n) ? n : 0;
  }
  size_t size() const { return ends_.size(); }
  void Clear() {
    bytes_.clear();
    ends_.clear();
  }
  // Remembers the names of an accepted label set, up to the first quoted one (a quoted name is
  // never written `name="`).
  void Assign(const Label* labels, size_t n) {
    Clear();
    for (size_t i = 0; i < n && !labels[i].name_quoted; ++i) Add(labels[i].name);
  }
  // Appends an accepted, unquoted label name.
  void Add(std::string_view name) {
    bytes_.append(name);
    bytes_.append("=\"");
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  }

 private:
  std::string bytes_;
  std::vector<uint32_t> ends_;  // where each name's `="` ends in bytes_
};

}  // namespace promtool::text_internal
