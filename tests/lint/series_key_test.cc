// SeriesKeySet: the series keys of every family across the whole input, one hash set for the
// family being read and runs (sorted when a family comes back) for the families before it.
#include "lint/series_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace promtool::lint {
namespace {

struct Step {
  std::string family;
  uint64_t key;
  bool fresh;  // what Insert must return
};

TEST(SeriesKeySet, Table) {
  struct Case {
    std::string name;
    std::vector<Step> steps;
  };
  const std::vector<Case> cases = {
      {"repeat in one family", {{"a", 1, true}, {"a", 2, true}, {"a", 1, false}}},
      {"same key in two families", {{"a", 1, true}, {"b", 1, true}}},
      {"family comes back", {{"a", 1, true}, {"b", 9, true}, {"a", 1, false}, {"a", 2, true}}},
      {"second return sees both runs",
       {{"a", 1, true},
        {"b", 9, true},
        {"a", 2, true},
        {"b", 8, true},
        {"a", 1, false},
        {"a", 2, false},
        {"b", 9, false},
        {"b", 8, false},
        {"b", 7, true}}},
      {"family with no new series", {{"a", 1, true}, {"b", 1, true}, {"a", 1, false}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    SeriesKeySet set;
    for (size_t i = 0; i < c.steps.size(); ++i) {
      const Step& s = c.steps[i];
      EXPECT_EQ(set.Insert(s.family, s.key), s.fresh) << "step " << i;
    }
  }
}

// Two families taking turns, one new key a turn: the runs of each are merged as they come (a
// run per turn would make every lookup scan thousands of runs), and every key is still found.
TEST(SeriesKeySet, AlternatingFamiliesKeepEveryKey) {
  SeriesKeySet set;
  constexpr uint64_t kTurns = 5000;
  for (uint64_t i = 0; i < kTurns; ++i) {
    ASSERT_TRUE(set.Insert("a", i * 7919)) << i;
    ASSERT_TRUE(set.Insert("b", i)) << i;
  }
  for (uint64_t i = 0; i < kTurns; ++i) {
    ASSERT_FALSE(set.Insert("a", i * 7919)) << i;
    ASSERT_FALSE(set.Insert("b", i)) << i;
  }
  EXPECT_TRUE(set.Insert("a", 1));
}

TEST(SeriesKeySet, ClearForgetsEverything) {
  SeriesKeySet set;
  ASSERT_TRUE(set.Insert("a", 1));
  ASSERT_TRUE(set.Insert("b", 2));
  set.Clear();
  EXPECT_TRUE(set.Insert("a", 1));
  EXPECT_TRUE(set.Insert("b", 2));
}

}  // namespace
}  // namespace promtool::lint
