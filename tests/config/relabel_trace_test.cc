// Tests of relabel tracing: the series selector, the series text parser and formatter, and the
// step-by-step trace of RelabelRules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "promtool/relabel.h"

namespace promtool {
namespace {

struct SelectorCase {
  const char* name;
  const char* selector;
  LabelSet labels;
  bool matches;
};

class SelectorMatchTest : public ::testing::TestWithParam<SelectorCase> {};

TEST_P(SelectorMatchTest, Matches) {
  const SelectorCase& c = GetParam();
  auto sel = SeriesSelector::Parse(c.selector);
  ASSERT_TRUE(sel.ok()) << sel.status();
  EXPECT_EQ(sel->Matches(c.labels), c.matches);
}

const LabelSet kHttp = {{"__name__", "http_requests_total"}, {"code", "200"}, {"pod", "api"}};

const SelectorCase kSelectorCases[] = {
    {"name_only", "http_requests_total", kHttp, true},
    {"name_differs", "http_requests", kHttp, false},
    {"equal", "http_requests_total{code=\"200\"}", kHttp, true},
    {"not_equal", "{code!=\"200\"}", kHttp, false},
    {"regex_is_anchored", "{code=~\"2\"}", kHttp, false},
    {"regex_whole_value", "{code=~\"2..\"}", kHttp, true},
    {"not_regex", "{code!~\"5..\"}", kHttp, true},
    {"missing_label_is_empty", "{zone=\"\"}", kHttp, true},
    {"missing_label_regex_empty", "{zone=~\".*\"}", kHttp, true},
    {"missing_label_not_equal", "{zone!=\"a\"}", kHttp, true},
    {"empty_braces_match_all", "{}", kHttp, true},
    {"single_quotes_and_spaces", " { code = '200' , pod =~ `a.i` , } ", kHttp, true},
    {"go_escapes", "{pod=\"\\x61pi\"}", kHttp, true},
    {"quoted_metric_name", "{\"http_requests_total\", code=\"200\"}", kHttp, true},
    {"all_must_hold", "http_requests_total{code=\"200\",pod=\"x\"}", kHttp, false},
};

INSTANTIATE_TEST_SUITE_P(Selectors, SelectorMatchTest, ::testing::ValuesIn(kSelectorCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

struct ErrorCase {
  const char* name;
  const char* text;
  const char* message;
};

class SelectorErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SelectorErrorTest, SaysWhereAndWhat) {
  const ErrorCase& c = GetParam();
  auto sel = SeriesSelector::Parse(c.text);
  ASSERT_FALSE(sel.ok());
  EXPECT_EQ(sel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(sel.status().message()), c.message);
}

const ErrorCase kSelectorErrors[] = {
    {"empty", "", "column 1: expected a metric name or \"{\", found end of input"},
    {"bad_operator", "x{a~\"1\"}",
     "column 4: expected \"=\", \"!=\", \"=~\" or \"!~\", found \"~\""},
    {"unclosed_brace", "x{a=\"1\"", "column 8: expected \",\" or \"}\", found end of input"},
    {"unquoted_value", "x{a=1}", "column 5: expected a quoted label value, found \"1\""},
    {"unterminated_string", "x{a=\"1}", "column 5: unterminated string"},
    {"trailing_text", "x{} y", "column 5: expected end of the selector, found \"y\""},
    {"bad_escape", "x{a=\"\\q\"}", "column 6: invalid escape \"\\q\""},
    {"bad_regex", "{a=~\"(\"}", "label \"a\": invalid regex \"(\": missing ): ("},
};

INSTANTIATE_TEST_SUITE_P(Selectors, SelectorErrorTest, ::testing::ValuesIn(kSelectorErrors),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ParseSeriesTest, ReadsTextFormatSeriesSortedWithName) {
  auto labels = ParseSeries("http_requests_total{pod=\"a\\\"b\",code=\"200\"} 1027 1700000000");
  ASSERT_TRUE(labels.ok()) << labels.status();
  const LabelSet want = {{"__name__", "http_requests_total"}, {"code", "200"}, {"pod", "a\"b"}};
  EXPECT_EQ(*labels, want);
}

TEST(ParseSeriesTest, LeavesOutEmptyValues) {
  auto labels = ParseSeries("up{job=\"\"}");
  ASSERT_TRUE(labels.ok()) << labels.status();
  const LabelSet want = {{"__name__", "up"}};
  EXPECT_EQ(*labels, want);
}

const ErrorCase kSeriesErrors[] = {
    {"regex_operator", "x{a=~\"1\"}", "column 4: a series has only \"=\" labels, found \"=~\""},
    {"duplicate_label", "x{a=\"1\",a=\"2\"}", "column 9: label \"a\" is given twice"},
    {"name_twice", "x{__name__=\"y\"}", "column 3: the metric name is given twice"},
    {"bad_value", "x{a=\"1\"} one", "column 10: expected a sample value, found \"one\""},
    {"bad_timestamp", "x 1 1.5", "column 5: expected a timestamp (an integer), found \"1.5\""},
    {"go_escape_refused", "x{a=\"\\t\"}",
     "column 6: invalid escape \"\\t\" (a series value allows \\\\, \\\" and \\n)"},
    {"single_quotes_refused", "x{a='1'}", "column 5: expected a quoted label value, found \"'\""},
};

class SeriesErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SeriesErrorTest, SaysWhereAndWhat) {
  const ErrorCase& c = GetParam();
  auto labels = ParseSeries(c.text);
  ASSERT_FALSE(labels.ok());
  EXPECT_EQ(std::string(labels.status().message()), c.message);
}

INSTANTIATE_TEST_SUITE_P(Series, SeriesErrorTest, ::testing::ValuesIn(kSeriesErrors),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(FormatSeriesTest, NameFirstQuotesWhatIsNotALegacyName) {
  EXPECT_EQ(FormatSeries({{"__name__", "up"}, {"a.b", "x\ny"}, {"job", "n\"1"}}),
            "up{\"a.b\"=\"x\\ny\",job=\"n\\\"1\"}");
  EXPECT_EQ(FormatSeries({{"__name__", "my.metric"}, {"a", "1"}}), "{\"my.metric\",a=\"1\"}");
  EXPECT_EQ(FormatSeries({{"a", "\x01"}}), "{a=\"\\x01\"}");
  EXPECT_EQ(FormatSeries({}), "{}");
}

TEST(FormatSeriesTest, RoundTripsThroughParseSeries) {
  const LabelSet in = {{"__name__", "x"}, {"a", "q\"\\\n"}, {"b", "2"}};
  auto back = ParseSeries(FormatSeries(in));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, in);
}

RelabelRules Compile(const char* yaml) {
  RelabelLoadResult loaded = LoadRelabelConfigs(yaml);
  EXPECT_FALSE(loaded.error) << loaded.error->message;
  auto rules = RelabelRules::Compile(loaded.configs);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return std::move(*rules);
}

struct TraceCase {
  const char* name;
  const char* rules;
  LabelSet input;
  std::vector<bool> matched;  // per step
  bool kept;
};

class TraceMatchedTest : public ::testing::TestWithParam<TraceCase> {};

TEST_P(TraceMatchedTest, SaysWhetherEachRuleMatched) {
  const TraceCase& c = GetParam();
  const RelabelRules rules = Compile(c.rules);
  const RelabelTrace trace = rules.Trace(c.input);
  ASSERT_EQ(trace.steps.size(), c.matched.size());
  for (size_t i = 0; i < c.matched.size(); ++i) {
    EXPECT_EQ(trace.steps[i].rule, i);
    EXPECT_EQ(trace.steps[i].matched, c.matched[i]) << "step " << i;
  }
  EXPECT_EQ(trace.kept, c.kept);
  // Trace and Apply agree.
  LabelSet applied = c.input;
  EXPECT_EQ(rules.Apply(applied), c.kept);
  if (c.kept) {
    EXPECT_EQ(trace.output, applied);
  }
}

const LabelSet kAB = {{"a", "foo"}, {"b", "bar"}};

const TraceCase kTraceCases[] = {
    {"replace_match_and_no_match",
     "- {source_labels: [a], regex: 'f(.*)', target_label: c}\n"
     "- {source_labels: [a], regex: 'x', target_label: d}\n",
     kAB,
     {true, false},
     true},
    {"replace_shortcut_counts_as_match",
     "- {target_label: env, replacement: prod}\n",
     kAB,
     {true},
     true},
    {"keep_then_drop_stops",
     "- {source_labels: [a], regex: foo, action: keep}\n"
     "- {source_labels: [b], regex: bar, action: drop}\n"
     "- {target_label: x, replacement: y}\n",
     kAB,
     {true, true},
     false},
    {"keep_no_match_drops",
     "- {source_labels: [a], regex: nope, action: keep}\n",
     kAB,
     {false},
     false},
    {"keepequal",
     "- {source_labels: [a], target_label: b, action: keepequal}\n",
     {{"a", "x"}, {"b", "x"}},
     {true},
     true},
    {"dropequal_unequal",
     "- {source_labels: [a], target_label: b, action: dropequal}\n",
     kAB,
     {false},
     true},
    {"labeldrop_none", "- {regex: zzz, action: labeldrop}\n", kAB, {false}, true},
    {"labelkeep_some", "- {regex: a, action: labelkeep}\n", kAB, {true}, true},
    {"labelmap_none", "- {regex: 'x_(.*)', action: labelmap}\n", kAB, {false}, true},
    {"hashmod_always",
     "- {source_labels: [a], modulus: 4, target_label: s, action: hashmod}\n",
     kAB,
     {true},
     true},
};

INSTANTIATE_TEST_SUITE_P(Trace, TraceMatchedTest, ::testing::ValuesIn(kTraceCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(TraceTest, RecordsLabelsAfterEachRuleAndTheSetAtTheDrop) {
  const RelabelRules rules = Compile(
      "- {source_labels: [a], target_label: c}\n"
      "- {regex: b, action: labeldrop}\n"
      "- {source_labels: [c], regex: foo, action: drop}\n");
  const RelabelTrace trace = rules.Trace(kAB);
  EXPECT_EQ(trace.input, kAB);
  ASSERT_EQ(trace.steps.size(), 3u);
  const LabelSet after1 = {{"a", "foo"}, {"b", "bar"}, {"c", "foo"}};
  const LabelSet after2 = {{"a", "foo"}, {"c", "foo"}};
  EXPECT_EQ(trace.steps[0].labels, after1);
  EXPECT_EQ(trace.steps[1].labels, after2);
  EXPECT_EQ(trace.steps[2].labels, after2);
  EXPECT_FALSE(trace.steps[1].dropped);
  EXPECT_TRUE(trace.steps[2].dropped);
  EXPECT_FALSE(trace.kept);
}

}  // namespace
}  // namespace promtool
