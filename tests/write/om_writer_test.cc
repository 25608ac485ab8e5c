// NewOpenMetricsWriter: golden output for every family type, numbers and timestamps, name
// escaping, and what is reported as lost.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/owned_family.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"
#include "write/writer.h"

namespace promtool {
namespace {

struct Written {
  absl::Status status;
  std::string out;
  std::vector<std::string> losses;
};

Written WriteOne(MetricType type, const char* proto_text, Escaping escaping) {
  OwnedFamily f;
  f.type = type;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(proto_text, &f.proto)) << proto_text;
  LossReport losses;
  auto writer = NewOpenMetricsWriter(WriteOptions{.escaping = escaping}, &losses);
  Written w;
  w.status = writer->Write(f, &w.out);
  w.losses = losses.Lines();
  return w;
}

// "OK" or the parser's error code: the writer's output must be valid OpenMetrics.
std::string Verdict(const std::string& text) {
  auto source = MemorySource(text);
  OpenMetricsParser parser(*source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return "OK";
    if (e == Entry::kError) return std::string(ErrorCodeId(parser.Error().code));
  }
}

struct GoldenCase {
  const char* name;
  MetricType type;
  const char* proto;
  const char* expected;
  std::vector<std::string> losses;
  Escaping escaping = Escaping::kAllowUtf8;
};

class GoldenTest : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, WritesExactly) {
  const GoldenCase& c = GetParam();
  Written w = WriteOne(c.type, c.proto, c.escaping);
  ASSERT_TRUE(w.status.ok()) << w.status;
  EXPECT_EQ(w.out, c.expected);
  EXPECT_EQ(w.losses, c.losses);
  EXPECT_EQ(Verdict(w.out + "# EOF\n"), "OK") << w.out;
}

const GoldenCase kGoldenCases[] = {
    {"CounterWithUnitExemplarCreatedTimestamp",
     MetricType::kCounter,
     R"pb(name: "c_bytes_total"
          help: "Bytes."
          unit: "bytes"
          type: COUNTER
          metric {
            label { name: "a" value: "x\"y" }
            counter {
              value: 12.5
              exemplar {
                label { name: "trace" value: "abc" }
                value: 1
                timestamp { seconds: 1700000000 nanos: 123000000 }
              }
              created_timestamp { seconds: 1600000000 nanos: 500000000 }
            }
            timestamp_ms: 1700000000123
          })pb",
     "# TYPE c_bytes counter\n# UNIT c_bytes bytes\n# HELP c_bytes Bytes.\n"
     "c_bytes_total{a=\"x\\\"y\"} 12.5 1700000000.123 # {trace=\"abc\"} 1 1700000000.123\n"
     "c_bytes_created{a=\"x\\\"y\"} 1600000000.5 1700000000.123\n",
     {}},
    {"CounterWithoutTotalSuffixGetsTotalSamples",
     MetricType::kCounter,
     R"pb(name: "requests"
          type: COUNTER
          metric { counter { value: 3 } })pb",
     "# TYPE requests counter\nrequests_total 3\n",
     {}},
    {"CounterExemplarWithoutLabels",
     MetricType::kCounter,
     R"pb(name: "c_total"
          type: COUNTER
          metric {
            counter {
              value: 1
              exemplar { value: 0.5 }
            }
          })pb",
     "# TYPE c counter\nc_total 1 # {} 0.5\n",
     {}},
    {"GaugeValuesAndHelpEscapes",
     MetricType::kGauge,
     R"pb(name: "g"
          help: "a\\b\n\"q\""
          type: GAUGE
          metric {
            label { name: "k" value: "l1\nl2\\" }
            gauge { value: inf }
          }
          metric {
            label { name: "k" value: "2" }
            gauge { value: -inf }
          }
          metric {
            label { name: "k" value: "3" }
            gauge { value: nan }
          }
          metric {
            label { name: "k" value: "4" }
            gauge { value: 1e6 }
          }
          metric {
            label { name: "k" value: "5" }
            gauge { value: 0.1 }
          })pb",
     "# TYPE g gauge\n# HELP g a\\\\b\\n\\\"q\\\"\n"
     "g{k=\"l1\\nl2\\\\\"} +Inf\ng{k=\"2\"} -Inf\ng{k=\"3\"} NaN\ng{k=\"4\"} 1e+06\n"
     "g{k=\"5\"} 0.1\n",
     {}},
    {"TimestampsAsDecimalSeconds",
     MetricType::kGauge,
     R"pb(name: "t"
          type: GAUGE
          metric {
            label { name: "i" value: "1" }
            gauge { value: 1 }
            timestamp_ms: 5
          }
          metric {
            label { name: "i" value: "2" }
            gauge { value: 1 }
            timestamp_ms: -1500
          }
          metric {
            label { name: "i" value: "3" }
            gauge { value: 1 }
            timestamp_ms: 0
          }
          metric {
            label { name: "i" value: "4" }
            gauge { value: 1 }
            timestamp_ms: 9223372036854775807
          })pb",
     "# TYPE t gauge\nt{i=\"1\"} 1 0.005\nt{i=\"2\"} 1 -1.5\nt{i=\"3\"} 1 0\n"
     "t{i=\"4\"} 1 9223372036854775.807\n",
     {}},
    {"HistogramAddsInfBucketCountSumCreated",
     MetricType::kHistogram,
     R"pb(name: "h_seconds"
          unit: "seconds"
          type: HISTOGRAM
          metric {
            label { name: "p" value: "/" }
            histogram {
              sample_count: 3
              sample_sum: 4.5
              bucket {
                upper_bound: 0.5
                cumulative_count: 1
                exemplar {
                  label { name: "id" value: "q" }
                  value: 0.25
                  timestamp { seconds: -2 nanos: 500000000 }
                }
              }
              bucket { upper_bound: 1 cumulative_count: 2 }
              created_timestamp { seconds: 10 }
            }
          })pb",
     "# TYPE h_seconds histogram\n# UNIT h_seconds seconds\n"
     "h_seconds_bucket{p=\"/\",le=\"0.5\"} 1 # {id=\"q\"} 0.25 -1.5\n"
     "h_seconds_bucket{p=\"/\",le=\"1\"} 2\nh_seconds_bucket{p=\"/\",le=\"+Inf\"} 3\n"
     "h_seconds_count{p=\"/\"} 3\nh_seconds_sum{p=\"/\"} 4.5\nh_seconds_created{p=\"/\"} 10\n",
     {}},
    {"HistogramWithInfBucketAndNoCount",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            histogram {
              bucket { upper_bound: 1e-05 cumulative_count: 0 }
              bucket { upper_bound: inf cumulative_count: 7 }
            }
            timestamp_ms: 2000
          })pb",
     "# TYPE h histogram\nh_bucket{le=\"1e-05\"} 0 2\nh_bucket{le=\"+Inf\"} 7 2\n",
     {}},
    {"HistogramWithNegativeBucketHasNoSum",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count: 2
              sample_sum: -3
              bucket { upper_bound: -1 cumulative_count: 1 }
            }
          })pb",
     "# TYPE h histogram\nh_bucket{le=\"-1\"} 1\nh_bucket{le=\"+Inf\"} 2\n",
     {}},
    {"GaugeHistogramFloatCountsNoCreated",
     MetricType::kGaugeHistogram,
     R"pb(name: "gh"
          type: GAUGE_HISTOGRAM
          metric {
            histogram {
              sample_count_float: 2.5
              sample_sum: 3
              bucket { upper_bound: 1 cumulative_count_float: 0.5 }
              created_timestamp { seconds: 1 }
            }
          })pb",
     // OpenMetrics 1.0: "Bucket values MUST be integers": the family is not written, and the
     // loss names the rule (the writer reads each family back with the strict parser).
     "",
     {"family \"gh\": not written (the OpenMetrics parser rejects it: gaugehistogram sample "
      "\"gh_bucket\" has value 0.5; gaugehistogram bucket values must be integers (OpenMetrics "
      "1.0))"}},
    {"NativeHistogramKeepsCountAndSum",
     MetricType::kHistogram,
     R"pb(name: "n"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count: 5
              sample_sum: 2
              schema: 3
              zero_threshold: 1e-128
              positive_span { offset: 0 length: 1 }
              positive_delta: 5
              exemplars {
                value: 1
                timestamp { seconds: 1 }
              }
            }
          })pb",
     "# TYPE n histogram\nn_bucket{le=\"+Inf\"} 5\nn_count 5\nn_sum 2\n",
     {"family \"n\": 1 exemplar dropped (the output format has no exemplars)",
      "family \"n\": 1 native histogram reduced to count and sum (the output format has no "
      "native buckets)"}},
    {"SummaryQuantilesCountSumCreated",
     MetricType::kSummary,
     R"pb(name: "s"
          help: "S."
          type: SUMMARY
          metric {
            label { name: "m" value: "x" }
            summary {
              sample_count: 10
              sample_sum: 1.25
              quantile { quantile: 0.5 value: 0.1 }
              quantile { quantile: 0.99 value: nan }
              created_timestamp { seconds: 1 nanos: 1 }
            }
          })pb",
     "# TYPE s summary\n# HELP s S.\ns{m=\"x\",quantile=\"0.5\"} 0.1\n"
     "s{m=\"x\",quantile=\"0.99\"} NaN\ns_count{m=\"x\"} 10\ns_sum{m=\"x\"} 1.25\n"
     "s_created{m=\"x\"} 1.000000001\n",
     {}},
    {"SummarySumWithoutCountWritesOnlyTheSum",
     MetricType::kSummary,
     R"pb(name: "s"
          type: SUMMARY
          metric { summary { sample_sum: 3 } })pb",
     "# TYPE s summary\ns_sum 3\n",
     {}},
    {"StateSetWithoutUnit",
     MetricType::kStateSet,
     R"pb(name: "st_x"
          unit: "x"
          type: GAUGE
          metric {
            label { name: "st_x" value: "on" }
            gauge { value: 1 }
          }
          metric {
            label { name: "st_x" value: "off" }
            gauge { value: 0 }
          })pb",
     "# TYPE st_x stateset\nst_x{st_x=\"on\"} 1\nst_x{st_x=\"off\"} 0\n",
     {"family \"st_x\": unit dropped (the output format has no units)"}},
    {"InfoDropsInfoSuffixFromFamily",
     MetricType::kInfo,
     R"pb(name: "build_info"
          type: GAUGE
          metric {
            label { name: "v" value: "1" }
            gauge { value: 1 }
          })pb",
     "# TYPE build info\nbuild_info{v=\"1\"} 1\n",
     {}},
    {"UntypedIsUnknown",
     MetricType::kUntyped,
     R"pb(name: "u"
          type: UNTYPED
          metric { untyped { value: -2 } })pb",
     "# TYPE u unknown\nu -2\n",
     {}},
    {"UnitThatIsNotASuffixIsDropped",
     MetricType::kGauge,
     R"pb(name: "g"
          unit: "seconds"
          type: GAUGE
          metric { gauge { value: 1 } })pb",
     "# TYPE g gauge\ng 1\n",
     {"family \"g\": unit dropped (the output format has no units)"}},
    {"MetadataOnly",
     MetricType::kCounter,
     R"pb(name: "a_total" help: "" type: COUNTER)pb",
     "# TYPE a counter\n# HELP a \n",
     {}},
    {"UnderscoreEscaping",
     MetricType::kCounter,
     R"pb(name: "my.metric_total"
          type: COUNTER
          metric {
            label { name: "a.b" value: "1" }
            label { name: "ok" value: "2" }
            counter { value: 1 }
          }
          metric {
            label { name: "a.b" value: "3" }
            label { name: "ok" value: "4" }
            counter { value: 1 }
          })pb",
     "# TYPE my_metric counter\nmy_metric_total{a_b=\"1\",ok=\"2\"} 1\n"
     "my_metric_total{a_b=\"3\",ok=\"4\"} 1\n",
     {"family \"my.metric_total\": 2 names rewritten by the escaping scheme"},
     Escaping::kUnderscores},
    {"ValueEscaping",
     MetricType::kGauge,
     R"pb(name: "my.gauge"
          type: GAUGE
          metric { gauge { value: 1 } })pb",
     "# TYPE U__my_2e_gauge gauge\nU__my_2e_gauge 1\n",
     {"family \"my.gauge\": 1 name rewritten by the escaping scheme"},
     Escaping::kValues},
    {"DotsEscaping",
     MetricType::kGauge,
     R"pb(name: "my.gauge_x"
          type: GAUGE
          metric { gauge { value: 1 } })pb",
     "# TYPE my_dot_gauge__x gauge\nmy_dot_gauge__x 1\n",
     {"family \"my.gauge_x\": 1 name rewritten by the escaping scheme"},
     Escaping::kDots},
    {"LegacyNamesAreNotEscaped",
     MetricType::kGauge,
     R"pb(name: "g"
          type: GAUGE
          metric {
            label { name: "a" value: "b" }
            gauge { value: 1 }
          })pb",
     "# TYPE g gauge\ng{a=\"b\"} 1\n",
     {},
     Escaping::kUnderscores},
};

INSTANTIATE_TEST_SUITE_P(Types, GoldenTest, testing::ValuesIn(kGoldenCases),
                         [](const testing::TestParamInfo<GoldenCase>& p) { return p.param.name; });

TEST(OmWriter, FinishWritesEof) {
  auto writer = NewOpenMetricsWriter(WriteOptions{}, nullptr);
  std::string out;
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_EQ(out, "# EOF\n");
}

TEST(OmWriter, NullLossReportIsAllowed) {
  OwnedFamily f;
  f.type = MetricType::kStateSet;
  f.proto.set_name("s");
  f.proto.set_unit("x");
  auto writer = NewOpenMetricsWriter(WriteOptions{}, nullptr);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  EXPECT_EQ(out, "# TYPE s stateset\n");
}

// The writer never emits what the parser rejects: a family the parser refuses (here
// redis_exporter's quantile="50", a percentage) is not written, and that is a loss with the
// parser's reason; the next family is written as usual.
TEST(OmWriter, FamilyTheParserRejectsIsNotWrittenButReported) {
  Written w = WriteOne(MetricType::kSummary,
                       R"pb(name: "latency"
                            type: SUMMARY
                            metric {
                              summary {
                                sample_count: 2
                                sample_sum: 3
                                quantile { quantile: 50 value: 1 }
                                quantile { quantile: 99.9 value: 2 }
                              }
                            })pb",
                       Escaping::kAllowUtf8);
  ASSERT_TRUE(w.status.ok()) << w.status;
  EXPECT_EQ(w.out, "");
  EXPECT_EQ(w.losses, std::vector<std::string>{
                          "family \"latency\": not written (the OpenMetrics parser rejects it: "
                          "quantile=\"50\" is not a number in [0, 1])"});
}

// The same mechanism covers every rule the parser knows and the writer does not check itself.
struct ParserRejectsCase {
  const char* name;
  MetricType type;
  const char* proto;
};

class OmWriterParserRejects : public testing::TestWithParam<ParserRejectsCase> {};

TEST_P(OmWriterParserRejects, FamilyIsNotWrittenButReported) {
  Written w = WriteOne(GetParam().type, GetParam().proto, Escaping::kAllowUtf8);
  ASSERT_TRUE(w.status.ok()) << w.status;
  EXPECT_EQ(w.out, "");
  ASSERT_EQ(w.losses.size(), 1u);
  EXPECT_EQ(w.losses[0].rfind("family \"x\": not written (the OpenMetrics parser rejects it: ", 0),
            0u)
      << w.losses[0];
}

INSTANTIATE_TEST_SUITE_P(
    OmWriter, OmWriterParserRejects,
    testing::Values(ParserRejectsCase{"negative_counter", MetricType::kCounter,
                                      R"pb(name: "x"
                                           type: COUNTER
                                           metric { counter { value: -1 } })pb"},
                    ParserRejectsCase{"nan_bucket_bound", MetricType::kHistogram,
                                      R"pb(name: "x"
                                           type: HISTOGRAM
                                           metric {
                                             histogram {
                                               sample_count: 1
                                               sample_sum: 1
                                               bucket { upper_bound: nan cumulative_count: 1 }
                                             }
                                           })pb"},
                    ParserRejectsCase{"duplicate_series", MetricType::kGauge,
                                      R"pb(name: "x"
                                           type: GAUGE
                                           metric { gauge { value: 1 } }
                                           metric { gauge { value: 2 } })pb"},
                    ParserRejectsCase{
                        "negative_quantile", MetricType::kSummary,
                        R"pb(name: "x"
                             type: SUMMARY
                             metric { summary { quantile { quantile: -0.5 value: 1 } } })pb"}),
    [](const testing::TestParamInfo<ParserRejectsCase>& i) { return std::string(i.param.name); });

struct RefusedCase {
  const char* name;
  const char* proto;
  Escaping escaping;
  const char* message;
};

class RefusedTest : public testing::TestWithParam<RefusedCase> {};

TEST_P(RefusedTest, IsInvalidArgumentAndAppendsNothing) {
  const RefusedCase& c = GetParam();
  Written w = WriteOne(MetricType::kGauge, c.proto, c.escaping);
  EXPECT_EQ(w.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(w.status.message(), c.message);
  EXPECT_EQ(w.out, "");
}

const RefusedCase kRefusedCases[] = {
    {"Utf8FamilyNameWithAllowUtf8", R"pb(name: "my.gauge"
                                         type: GAUGE
                                         metric { gauge { value: 1 } })pb",
     Escaping::kAllowUtf8,
     "family \"my.gauge\": the name is not a legacy metric name and OpenMetrics 1.0 cannot quote "
     "names (use --escaping=underscores|dots|values)"},
    {"Utf8FamilyNameWithNone", R"pb(name: "my.gauge"
                                    type: GAUGE
                                    metric { gauge { value: 1 } })pb",
     Escaping::kNone,
     "family \"my.gauge\": the name is not a legacy metric name and OpenMetrics 1.0 cannot quote "
     "names (use --escaping=underscores|dots|values)"},
    {"Utf8LabelName",
     R"pb(name: "g"
          type: GAUGE
          metric {
            label { name: "ok" value: "1" }
            gauge { value: 1 }
          }
          metric {
            label { name: "a.b" value: "1" }
            gauge { value: 1 }
          })pb",
     Escaping::kAllowUtf8,
     "family \"g\": label name \"a.b\" is not a legacy label name and OpenMetrics 1.0 cannot "
     "quote names (use --escaping=underscores|dots|values)"},
    {"LabelNameWithColonStaysInvalidWhenEscaped",
     R"pb(name: "g"
          type: GAUGE
          metric {
            label { name: "a:b" value: "1" }
            gauge { value: 1 }
          })pb",
     Escaping::kUnderscores,
     "family \"g\": label name \"a:b\" escapes to \"a:b\", which is still not an OpenMetrics "
     "label name (':' is not allowed)"},
    {"EmptyName", R"pb(type: GAUGE)pb", Escaping::kAllowUtf8, "a metric family has no name"},
};

INSTANTIATE_TEST_SUITE_P(Names, RefusedTest, testing::ValuesIn(kRefusedCases),
                         [](const testing::TestParamInfo<RefusedCase>& p) { return p.param.name; });

OwnedFamily Family(MetricType type, const char* proto_text) {
  OwnedFamily f;
  f.type = type;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(proto_text, &f.proto)) << proto_text;
  return f;
}

// client_golang's text has a gauge `x` and a counter `x_total`; OpenMetrics would call both
// family `x`, so the counter is written as an unknown family `x_total` (same sample name).
TEST(OmWriter, CounterClashingWithEarlierFamilyIsWrittenAsUnknown) {
  LossReport losses;
  auto writer = NewOpenMetricsWriter(WriteOptions{}, &losses);
  std::string out;
  ASSERT_TRUE(writer
                  ->Write(Family(MetricType::kGauge, R"pb(name: "m_bytes"
                                                          type: GAUGE
                                                          metric { gauge { value: 1 } })pb"),
                          &out)
                  .ok());
  ASSERT_TRUE(writer
                  ->Write(Family(MetricType::kCounter,
                                 R"pb(name: "m_bytes_total"
                                      help: "H."
                                      type: COUNTER
                                      metric {
                                        counter {
                                          value: 2
                                          exemplar { value: 1 }
                                          created_timestamp { seconds: 1 }
                                        }
                                      })pb"),
                          &out)
                  .ok());
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_EQ(out,
            "# TYPE m_bytes gauge\nm_bytes 1\n# TYPE m_bytes_total unknown\n# HELP m_bytes_total "
            "H.\nm_bytes_total 2\n# EOF\n");
  EXPECT_EQ(Verdict(out), "OK");
  const std::vector<std::string> lines = losses.Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(
      lines[0] ==
      "family \"m_bytes_total\": type replaced by the nearest one the output format can carry")
      << lines[0];
  EXPECT_TRUE(lines[1].starts_with("family \"m_bytes_total\": 1 exemplar dropped")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("family \"m_bytes_total\": 1 created timestamp dropped"))
      << lines[2];
}

struct ClashCase {
  const char* name;
  MetricType first_type;
  const char* first;
  MetricType second_type;
  const char* second;
  const char* message;
};

class ClashTest : public testing::TestWithParam<ClashCase> {};

TEST_P(ClashTest, SecondFamilyIsRefused) {
  const ClashCase& c = GetParam();
  auto writer = NewOpenMetricsWriter(WriteOptions{}, nullptr);
  std::string out;
  ASSERT_TRUE(writer->Write(Family(c.first_type, c.first), &out).ok());
  const std::string before = out;
  absl::Status s = writer->Write(Family(c.second_type, c.second), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), c.message);
  EXPECT_EQ(out, before);
}

const ClashCase kClashCases[] = {
    // client_python's text: counter `x_total` and a gauge `x_created` for its created time.
    {"GaugeNamedLikeACountersCreatedSample", MetricType::kCounter,
     R"pb(name: "r_total"
          type: COUNTER
          metric { counter { value: 1 } })pb",
     MetricType::kGauge, R"pb(name: "r_created"
                              type: GAUGE
                              metric { gauge { value: 1 } })pb",
     "family \"r_created\": its OpenMetrics family \"r_created\" would clash with the family "
     "\"r_total\" written before it (OpenMetrics reserves each family's name and sample names)"},
    {"SameFamilyTwice", MetricType::kGauge, R"pb(name: "g"
                                                 type: GAUGE
                                                 metric { gauge { value: 1 } })pb",
     MetricType::kGauge, R"pb(name: "g"
                              type: GAUGE
                              metric { gauge { value: 2 } })pb",
     "family \"g\": its OpenMetrics family \"g\" would clash with the family \"g\" written "
     "before it (OpenMetrics reserves each family's name and sample names)"},
    {"HistogramSamplesClashWithEarlierFamily", MetricType::kGauge,
     R"pb(name: "h_count"
          type: GAUGE
          metric { gauge { value: 1 } })pb",
     MetricType::kHistogram, R"pb(name: "h" type: HISTOGRAM)pb",
     "family \"h\": its OpenMetrics family \"h\" would clash with the family \"h_count\" "
     "written before it (OpenMetrics reserves each family's name and sample names)"},
};

INSTANTIATE_TEST_SUITE_P(Names, ClashTest, testing::ValuesIn(kClashCases),
                         [](const testing::TestParamInfo<ClashCase>& p) { return p.param.name; });

TEST(OmWriter, FamiliesFollowEachOtherThenEof) {
  auto writer = NewOpenMetricsWriter(WriteOptions{}, nullptr);
  std::string out;
  OwnedFamily a, b;
  a.type = MetricType::kCounter;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(R"pb(name: "a_total"
                                                         type: COUNTER
                                                         metric { counter { value: 1 } })pb",
                                                    &a.proto));
  b.type = MetricType::kGauge;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(name: "b"
                                                                 type: GAUGE
                                                                 metric { gauge { value: 2 } })pb",
                                                            &b.proto));
  ASSERT_TRUE(writer->Write(a, &out).ok());
  ASSERT_TRUE(writer->Write(b, &out).ok());
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_EQ(out, "# TYPE a counter\na_total 1\n# TYPE b gauge\nb 2\n# EOF\n");
  EXPECT_EQ(Verdict(out), "OK");
}

}  // namespace
}  // namespace promtool
