// Tests of RelabelStream(): whole payloads relabelled sample line by sample line, with the
// histogram and summary series kept whole or reported as split.
#include "promtool/relabel_stream.h"

#include <gtest/gtest.h>

#include <string>

#include "promtool/output.h"
#include "promtool/source.h"

namespace promtool {
namespace {

struct StreamCase {
  const char* name;
  const char* rules;
  const char* input;
  const char* output;      // expected output (text, or the --diff report)
  const char* error = "";  // expected error message (not in the input: kRelabelSplit)
  bool diff = false;
};

class RelabelStreamTest : public ::testing::TestWithParam<StreamCase> {};

TEST_P(RelabelStreamTest, Relabels) {
  const StreamCase& c = GetParam();
  RelabelLoadResult loaded = LoadRelabelConfigs(c.rules);
  ASSERT_FALSE(loaded.error) << loaded.error->message;
  auto rules = RelabelRules::Compile(loaded.configs);
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto source = StringSource(c.input);
  StringSink sink;
  RelabelStreamOptions options;
  options.diff = c.diff;
  RelabelStreamResult r = RelabelStream(*source, sink, *rules, options);
  EXPECT_EQ(r.error.message, c.error);
  if (std::string(c.error).empty()) {
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(sink.data, c.output);
  } else {
    EXPECT_EQ(r.error.code, ErrorCode::kRelabelSplit);
    EXPECT_FALSE(r.error.located());
  }
}

const StreamCase kStreamCases[] = {
    {"unchanged_series_keep_their_label_order", "[]", "a{z=\"1\",b=\"2\"} 1\n",
     "# TYPE a untyped\n"
     "a{z=\"1\",b=\"2\"} 1\n"},
    {"drop_by_name", "- {source_labels: [__name__], regex: a, action: drop}\n",
     "a 1\n# TYPE b gauge\nb 2\n", "# TYPE b gauge\nb 2\n"},
    {"counter_name_includes_total",
     "- {source_labels: [__name__], regex: x_total, target_label: seen, replacement: yes}\n",
     "# TYPE x_total counter\nx_total 1\n", "# TYPE x_total counter\nx_total{seen=\"yes\"} 1\n"},
    {"histogram_le_is_normalised_and_visible",
     "- {source_labels: [le], regex: \"1.0\", action: drop}\n",
     "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"},
    {"summary_quantile_visible", "- {source_labels: [quantile], regex: \"0.99\", action: drop}\n",
     "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.99\"} 2\ns_sum 3\ns_count 2\n",
     "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 3\ns_count 2\n"},
    {"histogram_whole_series_dropped",
     "- {source_labels: [__name__], regex: \"h(_bucket|_sum|_count)\", action: drop}\n",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n", ""},
    {"histogram_count_dropped_is_split",
     "- {source_labels: [__name__], regex: h_count, action: drop}\n",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n", "",
     "family \"h\": series h: the rules drop its h_count sample but keep other samples; "
     "Prometheus would store the parts as unrelated series, which no exposition family can "
     "hold: make the rules treat the series' samples alike (e.g. match __name__ with "
     "h(_bucket|_sum|_count)?)"},
    {"histogram_renamed_without_suffix_is_split",
     "- {source_labels: [__name__], regex: \"h_sum\", target_label: __name__, replacement: "
     "total}\n",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n", "",
     "family \"h\": series h: the rules rename its h_sum sample to \"total\", which lacks the "
     "suffix \"_sum\"; Prometheus would store the parts as unrelated series, which no "
     "exposition family can hold: make the rules treat the series' samples alike (e.g. match "
     "__name__ with h(_bucket|_sum|_count)?)"},
    {"histogram_le_changed_is_split",
     "- {source_labels: [le], regex: \"(.+)\", target_label: le, replacement: \"x\"}\n",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "",
     "family \"h\": series h: the rules change the le label of its h_bucket sample; Prometheus "
     "would store the parts as unrelated series, which no exposition family can hold: make the "
     "rules treat the series' samples alike (e.g. match __name__ with h(_bucket|_sum|_count)?)"},
    {"rename_splits_family_by_series",
     "- {source_labels: [__name__, k], regex: \"a;2\", target_label: __name__, replacement: b}\n",
     "# HELP a Help.\n# TYPE a gauge\na{k=\"1\"} 1\na{k=\"2\"} 2\n",
     "# HELP a Help.\n# TYPE a gauge\na{k=\"1\"} 1\n# HELP b Help.\n# TYPE b gauge\nb{k=\"2\"} "
     "2\n"},
    {"diff_report",
     "- {source_labels: [k], regex: \"1\", action: drop}\n- {target_label: e, "
     "replacement: v, source_labels: [k], regex: \"3\"}\n",
     "a{k=\"1\"} 1\na{k=\"2\"} 2\na{k=\"3\"} 3\n",
     "# a: 3 series: 1 dropped, 1 relabelled, 1 unchanged\n- a{k=\"1\"}\n= a{k=\"2\"}\n~ "
     "a{k=\"3\"} -> a{e=\"v\",k=\"3\"}\n# total: 3 series: 1 dropped, 1 relabelled, 1 "
     "unchanged\n",
     "", true},
    {"histogram_buckets_relabelled_alike_when_le_untouched",
     "- {source_labels: [p], target_label: q}\n- {regex: p, action: labeldrop}\n",
     "# TYPE h histogram\nh_bucket{p=\"x\",le=\"0.5\"} 1\nh_bucket{p=\"x\",le=\"1\"} "
     "2\nh_bucket{p=\"x\",le=\"+Inf\"} 3\nh_sum{p=\"x\"} 4\nh_count{p=\"x\"} 3\n",
     "# TYPE h histogram\nh_bucket{q=\"x\",le=\"0.5\"} 1\nh_bucket{q=\"x\",le=\"1\"} "
     "2\nh_bucket{q=\"x\",le=\"+Inf\"} 3\nh_sum{q=\"x\"} 4\nh_count{q=\"x\"} 3\n"},
    {"summary_quantile_lines_dropped_alike_when_untouched",
     "- {source_labels: [__name__], regex: s, action: drop}\n",
     "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.9\"} 2\ns_sum 3\ns_count 2\n",
     "# TYPE s summary\ns_sum 3\ns_count 2\n"},
    {"diff_shows_control_characters_escaped", "[]", "a{k=\"x\\ny\\\\z\\\"\x01\"} 1\n",
     "# a: 1 series: 0 dropped, 0 relabelled, 1 unchanged\n= a{k=\"x\\ny\\\\z\\\"\\x01\"}\n"
     "# total: 1 series: 0 dropped, 0 relabelled, 1 unchanged\n",
     "", true},
};

INSTANTIATE_TEST_SUITE_P(Relabel, RelabelStreamTest, ::testing::ValuesIn(kStreamCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(RelabelStream, InputErrorIsReported) {
  auto rules = RelabelRules::Compile({});
  ASSERT_TRUE(rules.ok());
  auto source = StringSource("a{b=\"x\" 1\n");
  StringSink sink;
  RelabelStreamResult r = RelabelStream(*source, sink, *rules, {});
  EXPECT_EQ(r.error.line, 1u);
  EXPECT_EQ(r.error.column, 9u);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace promtool
