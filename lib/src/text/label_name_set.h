// Finds a repeated label name within one label set in time linear in the number of labels: a
// plain scan for the few labels most samples have, an open-addressing hash table beyond that.
// The storage is reused from one label set to the next, so the common case allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace promtool::text_internal {

class LabelNameSet {
 public:
  // Starts a new, empty label set.
  void Clear() {
    names_.clear();
    hashed_ = false;
  }

  // Adds `name` (a view that must stay valid until Clear()); returns false, adding nothing,
  // when an equal name was added since the last Clear().
  bool Insert(std::string_view name) {
    if (!hashed_) {
      for (std::string_view other : names_) {
        if (other == name) return false;
      }
      names_.push_back(name);
      if (names_.size() > kLinearLimit) Rehash(4 * kLinearLimit);
      return true;
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
      if (names_[slot - 1] == name) return false;
    }
  }

 private:
  static constexpr size_t kLinearLimit = 16;

  static size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // Rebuilds the table with `size` slots (a power of two) from names_.
  void Rehash(size_t size) {
    slots_.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t k = 0; k < names_.size(); ++k) {
      size_t i = Hash(names_[k]) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(k + 1);
    }
    hashed_ = true;
  }

  std::vector<std::string_view> names_;
  std::vector<uint32_t> slots_;  // 0: empty; k: names_[k - 1]
  bool hashed_ = false;
};

}  // namespace promtool::text_internal
