// 64-bit keys of a series' label set, for the cross-view state of the linter and the counter.
#pragma once

#include <cstdint>
#include <string_view>

#include "promtool/family.h"

namespace promtool::lint {

// Key of the label list in the order written (promtool compares label lists in order when it
// looks for duplicate series), mixed with the family name.
uint64_t OrderedKey(std::string_view family, const Series& series);

// Key of the label set regardless of order (promtool's signature, under which it merges
// histogram and summary lines), mixed with the family name.
uint64_t UnorderedKey(std::string_view family, const Series& series);

}  // namespace promtool::lint
