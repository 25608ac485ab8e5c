// Tests of the text writer: byte-identical re-encoding of client_golang payloads, and golden
// output for each type, escaping, quoted names, escaping schemes and reported losses.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "google/protobuf/text_format.h"
#include "model/owned_family.h"
#include "promtool/output.h"
#include "write/writer.h"

namespace promtool {
namespace {

struct Written {
  std::string text;
  std::string error;
  std::vector<std::string> losses;
};

// Reads `input` as text and writes every family with the text writer.
Written TextToText(std::string_view input, WriteOptions wo = {}, TextOptions to = {}) {
  auto src = MemorySource(input);
  LossReport losses;
  auto reader = NewTextFamilyStream(*src, to, &losses);
  auto writer = NewTextWriter(wo, &losses);
  Written w;
  while (const OwnedFamily* f = reader->Next()) {
    absl::Status st = writer->Write(*f, &w.text);
    if (!st.ok()) {
      w.error = std::string(st.message());
      break;
    }
  }
  if (reader->error() != nullptr) w.error = reader->error()->message;
  w.losses = losses.Lines();
  return w;
}

// Payloads written by client_golang come back byte for byte.
class ClientGolangPayload : public ::testing::TestWithParam<const char*> {};

TEST_P(ClientGolangPayload, ReencodesByteForByte) {
  auto data = ReadFile(std::string(PROMTOOL_SOURCE_DIR "/corpus/text/valid/") + GetParam());
  ASSERT_TRUE(data.ok()) << data.status();
  Written w = TextToText(*data);
  EXPECT_EQ(w.error, "");
  EXPECT_TRUE(w.losses.empty());
  EXPECT_EQ(w.text, *data);
}

INSTANTIATE_TEST_SUITE_P(Corpus, ClientGolangPayload,
                         ::testing::Values("node.prom", "prometheus.prom", "pushgateway.prom",
                                           "native-histograms.prom"));

struct GoldenRow {
  const char* name;
  std::string_view input;
  std::string_view output;
};

void PrintTo(const GoldenRow& row, std::ostream* os) { *os << row.name; }

class TextGolden : public ::testing::TestWithParam<GoldenRow> {};

TEST_P(TextGolden, WritesCanonicalText) {
  const GoldenRow& row = GetParam();
  Written w = TextToText(row.input);
  EXPECT_EQ(w.error, "");
  EXPECT_EQ(w.text, row.output);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, TextGolden,
    ::testing::Values(
        GoldenRow{"counter_with_help",
                  "# HELP a_total Things.\n# TYPE a_total counter\na_total 3\n",
                  "# HELP a_total Things.\n# TYPE a_total counter\na_total 3\n"},
        GoldenRow{"untyped_gets_a_type_line", "x 1\n", "# TYPE x untyped\nx 1\n"},
        // As promtool reads it, "# HELP x " with nothing after the name is a plain comment.
        GoldenRow{"empty_help_is_a_comment", "# HELP x \nx 1\n", "# TYPE x untyped\nx 1\n"},
        GoldenRow{"blanks_and_order_normalised",
                  "# TYPE g gauge\n  g{b=\"2\",a=\"1\",}   1.50   17\n",
                  "# TYPE g gauge\ng{b=\"2\",a=\"1\"} 1.5 17\n"},
        GoldenRow{"go_float_forms",
                  "# TYPE g gauge\ng{k=\"a\"} 1000000\ng{k=\"b\"} 0.0001\ng{k=\"c\"} 0.00001\n"
                  "g{k=\"d\"} -0\ng{k=\"e\"} 123456789\ng{k=\"f\"} +Inf\ng{k=\"g\"} nan\n",
                  "# TYPE g gauge\ng{k=\"a\"} 1e+06\ng{k=\"b\"} 0.0001\ng{k=\"c\"} 1e-05\n"
                  "g{k=\"d\"} 0\ng{k=\"e\"} 1.23456789e+08\ng{k=\"f\"} +Inf\ng{k=\"g\"} NaN\n"},
        GoldenRow{"escapes_normalised",
                  "# HELP e A \\\\ b\\nc \"q\"\n# TYPE e gauge\ne{p=\"C:\\\\x\\n\\\"y\\\"\"} 1\n",
                  "# HELP e A \\\\ b\\nc \"q\"\n# TYPE e gauge\ne{p=\"C:\\\\x\\n\\\"y\\\"\"} 1\n"},
        GoldenRow{"summary",
                  "# TYPE s summary\ns{quantile=\"0.5\",m=\"x\"} 2\ns_sum{m=\"x\"} 10\n"
                  "s_count{m=\"x\"} 4\n",
                  "# TYPE s summary\ns{m=\"x\",quantile=\"0.5\"} 2\ns_sum{m=\"x\"} 10\n"
                  "s_count{m=\"x\"} 4\n"},
        GoldenRow{"histogram_gets_inf_bucket",
                  "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 2\nh_count 3\n",
                  "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 2\n"
                  "h_count 3\n"},
        // The input's second h_bucket line joins the family named h_bucket (the exact name
        // wins), so the histogram has a count and no buckets; an added +Inf line would join
        // h_bucket as well when read back.
        GoldenRow{"no_inf_bucket_when_bucket_name_is_a_family",
                  "h_bucket{le=\"1\"} 1\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n",
                  "# TYPE h_bucket untyped\nh_bucket{le=\"1\"} 1\n# TYPE h histogram\n"
                  "h_bucket{le=\"+Inf\"} 3\nh_count 3\n"},
        GoldenRow{"histogram_without_count_gets_no_inf_bucket",
                  "# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\n",
                  "# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\n"},
        GoldenRow{"fractional_bucket_counts",
                  "# TYPE h histogram\nh_bucket{le=\"1\"} 0.5\nh_bucket{le=\"+Inf\"} 1.5\n"
                  "h_count 1.5\n",
                  "# TYPE h histogram\nh_bucket{le=\"1\"} 0.5\nh_bucket{le=\"+Inf\"} 1.5\n"
                  "h_count 1.5\n"},
        GoldenRow{"timestamps_on_every_line", "# TYPE s summary\ns_sum 1 5\ns_count 2 5\n",
                  "# TYPE s summary\ns_sum 1 5\ns_count 2 5\n"},
        GoldenRow{"split_family_does_not_repeat_type",
                  "# TYPE a gauge\na{x=\"1\"} 1\nb 2\na{x=\"2\"} 3\n",
                  "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b untyped\nb 2\na{x=\"2\"} 3\n"},
        // A HELP after the family's first samples is written before the part it came with.
        GoldenRow{"help_after_samples_comes_with_its_part", "c 1\nd 2\n# HELP c x\nc 3\n",
                  "# TYPE c untyped\nc 1\n# TYPE d untyped\nd 2\n# HELP c x\nc 3\n"},
        GoldenRow{"metadata_only_family", "# HELP m Only help.\n# TYPE m counter\n",
                  "# HELP m Only help.\n# TYPE m counter\n"}));

TEST(TextWriter, QuotesUtf8NamesWhenAllowed) {
  TextOptions to;
  to.names = NameScheme::kUtf8;
  Written w = TextToText(
      "# TYPE \"my.metric\" gauge\n{\"my.metric\",\"label.x\"=\"v\",ok=\"1\"} 1\n", {}, to);
  EXPECT_EQ(w.error, "");
  EXPECT_EQ(w.text, "# TYPE \"my.metric\" gauge\n{\"my.metric\",\"label.x\"=\"v\",ok=\"1\"} 1\n");
}

TEST(TextWriter, EscapesUtf8NamesWithUnderscores) {
  TextOptions to;
  to.names = NameScheme::kUtf8;
  WriteOptions wo;
  wo.escaping = Escaping::kUnderscores;
  Written w = TextToText("{\"my.metric\",\"label.x\"=\"v\"} 1\n", wo, to);
  EXPECT_EQ(w.error, "");
  EXPECT_EQ(w.text, "# TYPE my_metric untyped\nmy_metric{label_x=\"v\"} 1\n");
  ASSERT_EQ(w.losses.size(), 1u);
  EXPECT_EQ(w.losses[0], "family \"my.metric\": 3 names rewritten by the escaping scheme");
}

TEST(TextWriter, EscapesWithValuesScheme) {
  TextOptions to;
  to.names = NameScheme::kUtf8;
  WriteOptions wo;
  wo.escaping = Escaping::kValues;
  Written w = TextToText("{\"my.metric\"} 1\n", wo, to);
  EXPECT_EQ(w.text, "# TYPE U__my_2e_metric untyped\nU__my_2e_metric 1\n");
}

TEST(TextWriter, EscapesWithDotsScheme) {
  TextOptions to;
  to.names = NameScheme::kUtf8;
  WriteOptions wo;
  wo.escaping = Escaping::kDots;
  Written w = TextToText("{\"my.metric_x\"} 1\n", wo, to);
  EXPECT_EQ(w.text, "# TYPE my_dot_metric__x untyped\nmy_dot_metric__x 1\n");
}

TEST(TextWriter, RefusesUtf8NamesWithoutEscaping) {
  TextOptions to;
  to.names = NameScheme::kUtf8;
  WriteOptions wo;
  wo.escaping = Escaping::kNone;
  Written w = TextToText("{\"my.metric\"} 1\n", wo, to);
  EXPECT_EQ(w.error,
            "family \"my.metric\": the name is not a legacy metric name and no escaping scheme "
            "was chosen (use --escaping=allow-utf-8|underscores|dots|values)");
  EXPECT_EQ(w.text, "");
}

// Families that only OpenMetrics or protobuf carry lose what text 0.0.4 has no syntax for.
TEST(TextWriter, ReportsLossesOfModelOnlyFields) {
  OwnedFamily f;
  f.type = MetricType::kCounter;
  f.proto.set_name("c_total");
  f.proto.set_type(pb::COUNTER);
  f.proto.set_unit("seconds");
  pb::Metric* m = f.proto.add_metric();
  m->mutable_counter()->set_value(2);
  m->mutable_counter()->mutable_exemplar()->set_value(1);
  m->mutable_counter()->mutable_created_timestamp()->set_seconds(5);
  LossReport losses;
  auto writer = NewTextWriter({}, &losses);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  EXPECT_EQ(out, "# TYPE c_total counter\nc_total 2\n");
  EXPECT_EQ(losses.Lines(),
            (std::vector<std::string>{
                "family \"c_total\": unit dropped (the output format has no units)",
                "family \"c_total\": 1 exemplar dropped (the output format has no exemplars)",
                "family \"c_total\": 1 created timestamp dropped (the output format has no "
                "created timestamps)"}));
}

TEST(TextWriter, DropsGaugeHistogramSeriesWithNegativeCounts) {
  OwnedFamily f;
  f.type = MetricType::kGaugeHistogram;
  f.proto.set_name("g");
  f.proto.set_type(pb::GAUGE_HISTOGRAM);
  pb::Metric* ok = f.proto.add_metric();
  ok->add_label()->set_name("k");
  ok->mutable_label(0)->set_value("ok");
  ok->mutable_histogram()->set_sample_count(2);
  pb::Metric* negative = f.proto.add_metric();
  negative->add_label()->set_name("k");
  negative->mutable_label(0)->set_value("neg");
  pb::Bucket* b = negative->mutable_histogram()->add_bucket();
  b->set_upper_bound(1);
  b->set_cumulative_count_float(-1);
  negative->mutable_histogram()->set_sample_count_float(2);
  LossReport losses;
  auto writer = NewTextWriter({}, &losses);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  EXPECT_EQ(out, "# TYPE g histogram\ng_bucket{k=\"ok\",le=\"+Inf\"} 2\ng_count{k=\"ok\"} 2\n");
  ASSERT_EQ(losses.Lines().size(), 2u);
  EXPECT_EQ(losses.Lines()[1],
            "family \"g\": 1 series not written (first: a negative bucket count or _count, which "
            "a text histogram cannot carry; the output format's parser would reject the line)");
}

TEST(TextWriter, WritesNativeHistogramAsCountAndSum) {
  OwnedFamily f;
  f.type = MetricType::kHistogram;
  f.proto.set_name("h");
  f.proto.set_type(pb::HISTOGRAM);
  pb::Histogram* h = f.proto.add_metric()->mutable_histogram();
  h->set_schema(3);
  h->set_sample_count(7);
  h->set_sample_sum(1.25);
  h->add_positive_span()->set_length(1);
  h->add_positive_delta(7);
  LossReport losses;
  auto writer = NewTextWriter({}, &losses);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  EXPECT_EQ(out, "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 7\nh_sum 1.25\nh_count 7\n");
  ASSERT_EQ(losses.Lines().size(), 1u);
  EXPECT_EQ(losses.Lines()[0],
            "family \"h\": 1 native histogram reduced to count and sum (the output format has no "
            "native buckets)");
}

}  // namespace
}  // namespace promtool

namespace promtool {
namespace {

// Protobuf carries strings as bytes; the text formats need UTF-8, so a series with a label value
// that is not UTF-8 is not written (a loss naming the label; an error under --strict); the
// family's other series are.
OwnedFamily FamilyWithLatin1Value() {
  OwnedFamily f;
  f.type = MetricType::kGauge;
  f.proto.set_name("g");
  f.proto.set_type(pb::GAUGE);
  pb::Metric* m = f.proto.add_metric();
  pb::LabelPair* l = m->add_label();
  l->set_name("city");
  l->set_value("Z\xfcrich");
  m->mutable_gauge()->set_value(1);
  pb::Metric* ok = f.proto.add_metric();
  pb::LabelPair* l2 = ok->add_label();
  l2->set_name("city");
  l2->set_value("Bern");
  ok->mutable_gauge()->set_value(2);
  return f;
}

constexpr const char* kLatin1Loss =
    "family \"g\": 1 series not written (first: the value of label \"city\" is not valid UTF-8; "
    "the output format's parser would reject the line)";

TEST(Utf8, TextWriterDropsTheSeriesWithANonUtf8LabelValue) {
  LossReport losses;
  std::string out;
  ASSERT_TRUE(NewTextWriter({}, &losses)->Write(FamilyWithLatin1Value(), &out).ok());
  EXPECT_EQ(out, "# TYPE g gauge\ng{city=\"Bern\"} 2\n");
  EXPECT_EQ(losses.Lines(), std::vector<std::string>{kLatin1Loss});
}

TEST(Utf8, OpenMetricsWriterDropsTheSeriesWithANonUtf8LabelValue) {
  LossReport losses;
  std::string out;
  ASSERT_TRUE(NewOpenMetricsWriter({}, &losses)->Write(FamilyWithLatin1Value(), &out).ok());
  EXPECT_EQ(out, "# TYPE g gauge\ng{city=\"Bern\"} 2\n");
  EXPECT_EQ(losses.Lines(), std::vector<std::string>{kLatin1Loss});
}

// A family name that is not UTF-8 cannot be dropped series by series: the family is refused.
TEST(Utf8, TextWriterRefusesANonUtf8FamilyName) {
  OwnedFamily f = FamilyWithLatin1Value();
  f.proto.set_name("g\xfc");
  LossReport losses;
  std::string out = "before\n";
  absl::Status st = NewTextWriter({}, &losses)->Write(f, &out);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "family \"g\\xfc\": the name is not valid UTF-8; the text formats need UTF-8");
  EXPECT_EQ(out, "before\n");
}

TEST(Utf8, ProtobufWriterKeepsTheBytes) {
  LossReport losses;
  std::string out;
  EXPECT_TRUE(NewProtobufWriter({}, &losses)->Write(FamilyWithLatin1Value(), &out).ok());
  EXPECT_NE(out.find("Z\xfcrich"), std::string::npos);
}

// A family given in the protobuf text format (as protobuf input carries it), written as text
// and as OpenMetrics.
Written WriteProto(MetricType type, const char* proto_text, bool openmetrics = false) {
  OwnedFamily f;
  f.type = type;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(proto_text, &f.proto)) << proto_text;
  LossReport losses;
  auto writer = openmetrics ? NewOpenMetricsWriter({}, &losses) : NewTextWriter({}, &losses);
  Written w;
  absl::Status st = writer->Write(f, &w.text);
  if (!st.ok()) w.error = std::string(st.message());
  w.losses = losses.Lines();
  return w;
}

// Label sets protobuf can carry and the text parsers reject: the series is not written (both
// text writers), and that is a loss naming the first problem.
struct LabelSetCase {
  const char* name;
  MetricType type;
  const char* proto;
  const char* problem;
};

class LabelSetTextCannotCarry : public testing::TestWithParam<LabelSetCase> {};

TEST_P(LabelSetTextCannotCarry, SeriesIsDroppedAndReported) {
  const LabelSetCase& c = GetParam();
  const std::string loss = std::string("family \"a\": 1 series not written (first: ") + c.problem +
                           "; the output format's parser would reject the line)";
  Written text = WriteProto(c.type, c.proto);
  EXPECT_EQ(text.error, "");
  EXPECT_EQ(text.text.find("bad"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("ok=\"1\""), std::string::npos) << text.text;
  EXPECT_EQ(text.losses, std::vector<std::string>{loss});
  Written om = WriteProto(c.type, c.proto, /*openmetrics=*/true);
  EXPECT_EQ(om.error, "");
  EXPECT_EQ(om.text.find("bad"), std::string::npos) << om.text;
  EXPECT_EQ(om.losses, std::vector<std::string>{loss});
}

INSTANTIATE_TEST_SUITE_P(
    TextWriter, LabelSetTextCannotCarry,
    testing::Values(LabelSetCase{"duplicate_name", MetricType::kGauge,
                                 R"pb(name: "a"
                                      type: GAUGE
                                      metric {
                                        label { name: "ok" value: "1" }
                                        gauge { value: 1 }
                                      }
                                      metric {
                                        label { name: "x" value: "bad" }
                                        label { name: "x" value: "bad" }
                                        gauge { value: 2 }
                                      })pb",
                                 "label name \"x\" given twice"},
                    // In order up to the repeat: the in-order shortcut must not end the check.
                    LabelSetCase{"duplicate_after_ordered_names", MetricType::kGauge,
                                 R"pb(name: "a"
                                      type: GAUGE
                                      metric {
                                        label { name: "ok" value: "1" }
                                        gauge { value: 1 }
                                      }
                                      metric {
                                        label { name: "a" value: "bad" }
                                        label { name: "b" value: "bad" }
                                        label { name: "c" value: "bad" }
                                        label { name: "b" value: "bad" }
                                        gauge { value: 2 }
                                      })pb",
                                 "label name \"b\" given twice"},
                    LabelSetCase{"reserved_name", MetricType::kGauge,
                                 R"pb(name: "a"
                                      type: GAUGE
                                      metric {
                                        label { name: "ok" value: "1" }
                                        gauge { value: 1 }
                                      }
                                      metric {
                                        label { name: "__name__" value: "bad" }
                                        gauge { value: 2 }
                                      })pb",
                                 "a label named __name__"},
                    LabelSetCase{"empty_name", MetricType::kGauge,
                                 R"pb(name: "a"
                                      type: GAUGE
                                      metric {
                                        label { name: "ok" value: "1" }
                                        gauge { value: 1 }
                                      }
                                      metric {
                                        label { name: "" value: "bad" }
                                        gauge { value: 2 }
                                      })pb",
                                 "an empty label name"},
                    LabelSetCase{"le_in_a_histogram", MetricType::kHistogram,
                                 R"pb(name: "a"
                                      type: HISTOGRAM
                                      metric {
                                        label { name: "ok" value: "1" }
                                        histogram { sample_count: 1 sample_sum: 1 }
                                      }
                                      metric {
                                        label { name: "le" value: "bad" }
                                        histogram { sample_count: 1 sample_sum: 1 }
                                      })pb",
                                 "a label named le, which the writer adds itself"}),
    [](const testing::TestParamInfo<LabelSetCase>& i) { return std::string(i.param.name); });

// Text 0.0.4 skips every blank after the name in "# HELP name text", and HELP has no escape
// for a blank: leading blanks are dropped (reported), so the text reads back as written.
TEST(TextWriter, HelpLeadingBlanksAreDroppedAndReported) {
  Written w = WriteProto(MetricType::kGauge, R"pb(name: "a"
                                                  help: " \t x "
                                                  type: GAUGE
                                                  metric { gauge { value: 1 } })pb");
  EXPECT_EQ(w.error, "");
  EXPECT_EQ(w.text, "# HELP a x \n# TYPE a gauge\na 1\n");
  EXPECT_EQ(w.losses, std::vector<std::string>{
                          "family \"a\": leading blanks of the HELP text dropped (text 0.0.4 "
                          "skips the blanks after the name)"});
  Written back = TextToText(w.text);
  EXPECT_EQ(back.text, w.text);
  EXPECT_TRUE(back.losses.empty());
}

// OpenMetrics keeps them: exactly one space separates the name from the text.
TEST(OpenMetricsWriter, HelpLeadingBlanksAreKept) {
  Written w = WriteProto(MetricType::kGauge, R"pb(name: "a"
                                                  help: " x"
                                                  type: GAUGE
                                                  metric { gauge { value: 1 } })pb",
                         /*openmetrics=*/true);
  EXPECT_EQ(w.text, "# TYPE a gauge\n# HELP a  x\na 1\n");
  EXPECT_TRUE(w.losses.empty());
}

}  // namespace
}  // namespace promtool
