// Counts heap allocations of the whole binary that links promtool_alloc_counter (tests, bench).
#pragma once

#include <cstdint>

namespace promtool_test {

// Number of global operator new calls (every form) since the program started. Read it before
// and after the code under test; the difference is what that code allocated.
uint64_t AllocationCount();

}  // namespace promtool_test
