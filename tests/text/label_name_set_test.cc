// LabelNameSet: a repeated name within one label set is found whatever the names share
// (length, first and last bytes), before and after the hashed path takes over, and Clear()
// starts a new set. LabelShape: a name matches at its index only when the bytes are exactly
// the name and its `="`.
#include "text/label_name_set.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace promtool {
namespace {

struct InsertRow {
  const char* name;
  std::vector<std::string_view> names;  // inserted in order
  std::vector<bool> added;              // what each Insert() returns
};

void PrintTo(const InsertRow& row, std::ostream* os) { *os << row.name; }

const InsertRow kRows[] = {
    {"Distinct", {"a", "b", "namespace", "pod"}, {true, true, true, true}},
    {"RepeatedAtOnce", {"pod", "pod"}, {true, false}},
    {"RepeatedLater", {"pod", "uid", "node", "pod"}, {true, true, true, false}},
    // Same length, first and last bytes: alike to the fingerprint, still different names.
    {"AlikeButDifferent", {"ab_c", "ax_c", "ab_c", "ax_c"}, {true, true, false, false}},
    {"EmptyName", {"", "a", ""}, {true, true, false}},
    {"PrefixIsNotTheName", {"host", "host_ip", "hos"}, {true, true, true}},
};

class LabelNameSetTest : public testing::TestWithParam<InsertRow> {};

TEST_P(LabelNameSetTest, InsertReportsRepeats) {
  const InsertRow& row = GetParam();
  text_internal::LabelNameSet set;
  for (size_t i = 0; i < row.names.size(); ++i) {
    EXPECT_EQ(set.Insert(row.names[i]), row.added[i]) << "name " << i << " " << row.names[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, LabelNameSetTest, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<InsertRow>& i) { return i.param.name; });

// Past 16 names the set is hashed; every earlier name is still found, and new ones are added.
TEST(LabelNameSetLarge, RepeatsFoundOnBothSidesOfTheHashedPath) {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back(std::string("label_").append(std::to_string(i)));
  text_internal::LabelNameSet set;
  for (const std::string& n : names) ASSERT_TRUE(set.Insert(n)) << n;
  for (const std::string& n : names) EXPECT_FALSE(set.Insert(n)) << n;
  EXPECT_TRUE(set.Insert("label_40"));
}

TEST(LabelNameSetLarge, ClearStartsANewSet) {
  text_internal::LabelNameSet set;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back(std::string("n").append(std::to_string(i)));
  for (const std::string& n : names) ASSERT_TRUE(set.Insert(n));
  set.Clear();
  EXPECT_TRUE(set.Insert("n3"));
  EXPECT_FALSE(set.Insert("n3"));
  EXPECT_TRUE(set.Insert("n19"));
}

struct ShapeRow {
  const char* name;
  std::string_view text;  // the bytes at the label's start
  size_t index;           // the remembered name compared
  size_t match;           // what Match() returns
};

void PrintTo(const ShapeRow& row, std::ostream* os) { *os << row.name; }

// Remembered: namespace, pod, x.
const ShapeRow kShapeRows[] = {
    {"SameName", "namespace=\"a\"", 0, 11},   {"SecondName", "pod=\"b\"", 1, 5},
    {"OneByteName", "x=\"c\"", 2, 3},         {"NameAtAnotherIndex", "pod=\"b\"", 0, 0},
    {"LongerName", "pods=\"b\"", 1, 0},       {"ShorterName", "po=\"b\"", 1, 0},
    {"QuotedName", "\"pod\"=\"b\"", 1, 0},    {"NoQuoteAfterEquals", "pod=b", 1, 0},
    {"NothingAfterTheQuote", "pod=\"", 1, 0},  // a value must follow
    {"PastTheLastName", "x=\"c\"", 3, 0},
};

class LabelShapeTest : public testing::TestWithParam<ShapeRow> {};

TEST_P(LabelShapeTest, MatchesOnlyTheNameAtItsIndex) {
  const ShapeRow& row = GetParam();
  text_internal::LabelShape shape;
  shape.Add("namespace");
  shape.Add("pod");
  shape.Add("x");
  ASSERT_EQ(shape.size(), 3u);
  const std::string text(row.text);  // its own storage: nothing past it is readable
  EXPECT_EQ(shape.Match(row.index, text.data(), text.size()), row.match);
}

INSTANTIATE_TEST_SUITE_P(Rows, LabelShapeTest, testing::ValuesIn(kShapeRows),
                         [](const testing::TestParamInfo<ShapeRow>& i) { return i.param.name; });

TEST(LabelShapeTest, ClearForgetsEveryName) {
  text_internal::LabelShape shape;
  shape.Add("pod");
  shape.Clear();
  EXPECT_EQ(shape.size(), 0u);
  EXPECT_EQ(shape.Match(0, "pod=\"b\"", 7), 0u);
  shape.Add("uid");
  EXPECT_EQ(shape.Match(0, "uid=\"b\"", 7), 5u);
}

}  // namespace
}  // namespace promtool
