// EditDistance (promtool/suggest.h), the one distance behind every "did you mean": optimal string
// alignment with insertions, deletions, substitutions and swaps of neighbours, each costing 1.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "promtool/suggest.h"

namespace promtool {
namespace {

struct DistanceCase {
  const char* name;
  std::string_view a;
  std::string_view b;
  size_t distance;
};

const DistanceCase kDistances[] = {
    {"Equal", "validate", "validate", 0},
    {"BothEmpty", "", "", 0},
    {"FromEmpty", "", "abc", 3},
    {"ToEmpty", "abc", "", 3},
    {"OneSwap", "valdiate", "validate", 1},
    {"OneInsertion", "chek", "check", 1},
    {"OneDeletion", "metricss", "metrics", 1},
    {"OneSubstitution", "fnt", "fmt", 1},
    {"KittenSitting", "kitten", "sitting", 3},
    // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3, not Damerau's 2.
    {"NoEditOfASwappedPair", "ca", "abc", 3},
    {"CaseMatters", "Fmt", "fmt", 1},
    {"BytesNotCodePoints", "\xc3\xa9", "e", 2},
};

class EditDistanceTest : public testing::TestWithParam<DistanceCase> {};

TEST_P(EditDistanceTest, Distance) {
  EXPECT_EQ(EditDistance(GetParam().a, GetParam().b), GetParam().distance);
}

TEST_P(EditDistanceTest, Symmetric) {
  EXPECT_EQ(EditDistance(GetParam().b, GetParam().a), GetParam().distance);
}

INSTANTIATE_TEST_SUITE_P(Common, EditDistanceTest, testing::ValuesIn(kDistances),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace promtool
