// Regression tests for hostile inputs to both text parsers (issue 20): time linear in the
// number of labels on a line, and error messages that stay bounded however long the input.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "promtool/error.h"
#include "promtool/openmetrics2_parser.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {
namespace {

constexpr int kManyLabels = 100000;
// The quadratic check took 24.6 s for 100k labels; a linear one takes milliseconds. The bound
// leaves room for slow shared machines and sanitizer builds.
constexpr auto kBound = std::chrono::seconds(2);

// Appends `l<i>="v"` (built with appends: GCC 12 warns falsely on chained operator+).
void AppendLabel(std::string* s, int i) {
  s->append("l");
  s->append(std::to_string(i));
  s->append("=\"v\"");
}

// `a{l0="v",l1="v",...}` with `count` labels; `duplicate` repeats l0 as the last label.
std::string ManyLabels(int count, bool duplicate) {
  std::string s = "a{";
  for (int i = 0; i < count; ++i) {
    if (i > 0) s += ',';
    AppendLabel(&s, i);
  }
  if (duplicate) s += ",l0=\"v\"";
  s += "} 1\n";
  return s;
}

template <typename Parser>
Entry ParseAll(Parser& parser) {
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd || e == Entry::kError) return e;
  }
}

struct Timed {
  Entry last;
  Error error;
  std::chrono::steady_clock::duration took;
};

Timed ParseText(const std::string& input) {
  auto source = StringSource(input, "many");
  TextParser parser(*source);
  auto start = std::chrono::steady_clock::now();
  Entry e = ParseAll(parser);
  return {e, parser.Error(), std::chrono::steady_clock::now() - start};
}

Timed ParseOm(const std::string& input) {
  auto source = StringSource(input, "many");
  OpenMetricsParser parser(*source);
  auto start = std::chrono::steady_clock::now();
  Entry e = ParseAll(parser);
  return {e, parser.Error(), std::chrono::steady_clock::now() - start};
}

TEST(TextLinearLabels, HundredThousandLabelsParseQuickly) {
  Timed t = ParseText(ManyLabels(kManyLabels, false));
  EXPECT_EQ(t.last, Entry::kEnd) << t.error.message;
  EXPECT_LT(t.took, kBound);
}

TEST(TextLinearLabels, DuplicateAtTheEndIsFoundQuickly) {
  std::string input = ManyLabels(kManyLabels, true);
  Timed t = ParseText(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kLabelDuplicate);
  EXPECT_EQ(t.error.line, 1u);
  EXPECT_EQ(t.error.column, input.rfind(",l0=") + 2);
  EXPECT_EQ(t.error.message, "duplicate label name \"l0\" for metric \"a\"");
  EXPECT_EQ(t.error.compat_message, "duplicate label names for metric \"a\"");
  EXPECT_LT(t.took, kBound);
}

TEST(TextLinearLabels, FirstDuplicateIsReportedAfterTheTableTakesOver) {
  // 40 distinct labels (past the plain scan), then l30 again, then l1 again: l30 is reported.
  std::string input = "a{";
  for (int i = 0; i < 40; ++i) {
    AppendLabel(&input, i);
    input += ',';
  }
  input += "l30=\"v\",l1=\"v\"} 1\n";
  Timed t = ParseText(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kLabelDuplicate);
  EXPECT_EQ(t.error.message, "duplicate label name \"l30\" for metric \"a\"");
}

TEST(TextLinearLabels, ManyLabelsOfAHistogramKeepLeExempt) {
  // le is special in a histogram: it is never a duplicate of itself in the reference parser.
  std::string input = "# TYPE h histogram\nh_bucket{";
  for (int i = 0; i < 100; ++i) {
    AppendLabel(&input, i);
    input += ',';
  }
  input += "le=\"1\",le=\"2\"} 1\n";
  Timed t = ParseText(input);
  EXPECT_EQ(t.last, Entry::kEnd) << t.error.message;
}

std::string ManyLabelsOm(int count, bool duplicate) {
  std::string s = ManyLabels(count, duplicate);
  s.append("# EOF\n");
  return s;
}

TEST(OmLinearLabels, HundredThousandLabelsParseQuickly) {
  Timed t = ParseOm(ManyLabelsOm(kManyLabels, false));
  EXPECT_EQ(t.last, Entry::kEnd) << t.error.message;
  EXPECT_LT(t.took, kBound);
}

TEST(OmLinearLabels, DuplicateAtTheEndIsFoundQuickly) {
  std::string input = ManyLabelsOm(kManyLabels, true);
  Timed t = ParseOm(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kLabelDuplicate);
  EXPECT_EQ(t.error.line, 1u);
  EXPECT_EQ(t.error.column, input.rfind(",l0=") + 2);
  EXPECT_EQ(t.error.message, "duplicate label name \"l0\" in one label set");
  EXPECT_LT(t.took, kBound);
}

TEST(OmLinearLabels, ExemplarLabelsAreASeparateSet) {
  // The same name in the sample's labels and in its exemplar's labels is no duplicate.
  Timed t = ParseOm("# TYPE a counter\na_total{x=\"1\"} 1 # {x=\"2\"} 1\n# EOF\n");
  EXPECT_EQ(t.last, Entry::kEnd) << t.error.message;
}

// Issue 20 item 9: a huge token is quoted clipped in the message for people.
constexpr size_t kMessageBound = 400;

TEST(TextClippedMessages, HugeNumberIsClipped) {
  std::string input = "a ";
  input.append(size_t{1} << 20, '1');
  input.append("x\n");
  Timed t = ParseText(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kValue);
  EXPECT_LT(t.error.message.size(), kMessageBound);
  EXPECT_TRUE(t.error.message.starts_with("expected a float as sample value, found \"111"));
  EXPECT_TRUE(t.error.message.ends_with("...\" (1048577 bytes)")) << t.error.message;
  // promtool's own text stays whole for the drop-in output.
  EXPECT_GT(t.error.compat_message.size(), size_t{1} << 20);
}

TEST(TextClippedMessages, HugeLabelNameIsClipped) {
  std::string input = "a{";
  input.append(size_t{10} << 20, 'l');
  input.append("} 1\n");
  Timed t = ParseText(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kLabelEquals);
  EXPECT_LT(t.error.message.size(), kMessageBound);
  EXPECT_TRUE(t.error.message.ends_with(" (10485760 bytes), found '}'")) << t.error.message;
}

TEST(OmClippedMessages, HugeNumberIsClipped) {
  std::string input = "a ";
  input.append(size_t{1} << 20, '1');
  input.append("x\n# EOF\n");
  Timed t = ParseOm(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kValue);
  EXPECT_LT(t.error.message.size(), kMessageBound);
  EXPECT_LT(t.error.compat_message.size(), kMessageBound);
}

TEST(OmClippedMessages, HugeLabelNameIsClipped) {
  std::string input = "a{";
  input.append(size_t{10} << 20, 'l');
  input.append("} 1\n# EOF\n");
  Timed t = ParseOm(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kLabelEquals);
  EXPECT_LT(t.error.message.size(), kMessageBound);
}

TEST(OmClippedMessages, HugeLabelValueInASeriesMessageIsClipped) {
  // The series is named in the message (its labels), clipped.
  std::string value(size_t{1} << 20, 'v');
  std::string input = "# TYPE a histogram\na_bucket{x=\"";
  input.append(value);
  input.append("\",le=\"1\"} 0\n# EOF\n");
  Timed t = ParseOm(input);
  ASSERT_EQ(t.last, Entry::kError);
  EXPECT_EQ(t.error.code, ErrorCode::kOmBucketInf);
  EXPECT_LT(t.error.message.size(), kMessageBound);
}

}  // namespace
// Per-name state bounded by max_name_table_bytes (issue 20 item 2): a body of many tiny
// families stops with kLimit at the first family past the bound, in both parsers.
std::string DistinctFamilies(int count, bool openmetrics) {
  std::string s;
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    s += "# TYPE m_" + n + " gauge\nm_" + n + " 1\n";  // NOLINT
  }
  if (openmetrics) s += "# EOF\n";
  return s;
}

enum class BudgetParser { kText, kOpenMetrics, kOpenMetrics2 };

struct NameBudgetCase {
  const char* name;
  BudgetParser parser;
  uint64_t budget;
  bool stops;  // 20000 families do not fit
};

class NameBudget : public testing::TestWithParam<NameBudgetCase> {};

TEST_P(NameBudget, StopsAtTheFirstFamilyPastTheBound) {
  const NameBudgetCase& c = GetParam();
  const std::string input = DistinctFamilies(20000, c.parser != BudgetParser::kText);
  auto source = StringSource(input, "many");
  Entry last;
  Error error;
  uint64_t held = 0;
  size_t families = 0;
  if (c.parser == BudgetParser::kOpenMetrics2) {
    OpenMetrics2Parser parser(*source, c.budget);
    last = ParseAll(parser);
    error = parser.Error();
    held = parser.name_table_bytes();
    families = parser.families().size();
  } else if (c.parser == BudgetParser::kOpenMetrics) {
    OpenMetricsParser parser(*source, c.budget);
    last = ParseAll(parser);
    error = parser.Error();
    held = parser.name_table_bytes();
    families = parser.families().size();
  } else {
    TextOptions options;
    options.max_name_table_bytes = c.budget;
    TextParser parser(*source, options);
    last = ParseAll(parser);
    error = parser.Error();
    held = parser.name_table_bytes();
    families = parser.families().size();
  }
  if (c.budget > 0) {
    EXPECT_LE(held, c.budget);
  }
  if (!c.stops) {
    EXPECT_EQ(last, Entry::kEnd) << error.message;
    EXPECT_EQ(families, 20000u);
    return;
  }
  ASSERT_EQ(last, Entry::kError);
  EXPECT_EQ(error.code, ErrorCode::kLimit);
  // The family past the bound is reported at its TYPE line (two lines per family), column of
  // its name.
  EXPECT_EQ(error.line, 2 * families + 1);
  EXPECT_EQ(error.column, 8u);
  const std::string expected =
      "too many distinct metric names: " + std::to_string(families) +
      (c.parser != BudgetParser::kText ? " families hold " : " family names hold ");
  EXPECT_EQ(error.message.substr(0, expected.size()), expected) << error.message;
  EXPECT_NE(error.message.find("raise --body-size-limit"), std::string::npos) << error.message;
}

INSTANTIATE_TEST_SUITE_P(
    Parsers, NameBudget,
    testing::Values(
        NameBudgetCase{"TextUnbounded", BudgetParser::kText, 0, false},
        NameBudgetCase{"TextAmple", BudgetParser::kText, uint64_t{64} << 20, false},
        NameBudgetCase{"TextHalfMiB", BudgetParser::kText, uint64_t{512} << 10, true},
        NameBudgetCase{"OpenMetricsUnbounded", BudgetParser::kOpenMetrics, 0, false},
        NameBudgetCase{"OpenMetricsAmple", BudgetParser::kOpenMetrics, uint64_t{64} << 20, false},
        NameBudgetCase{"OpenMetricsHalfMiB", BudgetParser::kOpenMetrics, uint64_t{512} << 10, true},
        NameBudgetCase{"OpenMetrics2Unbounded", BudgetParser::kOpenMetrics2, 0, false},
        NameBudgetCase{"OpenMetrics2Ample", BudgetParser::kOpenMetrics2, uint64_t{64} << 20, false},
        NameBudgetCase{"OpenMetrics2HalfMiB", BudgetParser::kOpenMetrics2, uint64_t{512} << 10,
                       true}),
    [](const testing::TestParamInfo<NameBudgetCase>& p) { return p.param.name; });

}  // namespace promtool
