// Edit distance for "did you mean" suggestions (unknown commands, rule ids, config fields).
#pragma once

#include <cstddef>
#include <string_view>

namespace promtool {

// Optimal string alignment distance: insertions, deletions, substitutions, and a swap of two
// neighbouring characters, each costing 1 ("valdiate" is 1 from "validate").
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace promtool
