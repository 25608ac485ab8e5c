// An allocator for the few large, reused buffers whose size follows a family's (the family
// reader's records and views): allocations of 2 MiB or more are 2 MiB-aligned and advised as
// transparent huge pages (MADV_HUGEPAGE), so filling them costs one page fault per 2 MiB instead
// of one per 4 KiB. With the kernel's THP mode "madvise" (Debian's default) nothing else gets
// huge pages; with "never" the advice is ignored and the allocation behaves as any other.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace promtool {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHuge = size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHuge) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHuge) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector whose large buffers are huge-page backed.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace promtool
