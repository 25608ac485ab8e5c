// NewOpenMetricsFamilyStream: the model fields each kind of OpenMetrics family produces, family
// boundaries, losses, errors, and identical results through a streamed (chunked) source.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model/owned_family.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

struct ReadResult {
  std::vector<OwnedFamily> families;
  std::string error;  // "line:col code" or empty
  std::vector<std::string> losses;
};

ReadResult Read(std::string_view input, size_t chunk = 0) {
  std::unique_ptr<Source> source =
      chunk == 0 ? MemorySource(input)
                 : ChunkedMemorySource(input, "<chunked>", StreamOptions{.chunk_bytes = chunk});
  LossReport losses;
  auto stream = NewOpenMetricsFamilyStream(*source, &losses);
  ReadResult r;
  while (const OwnedFamily* f = stream->Next()) r.families.push_back(*f);
  if (const Error* e = stream->error()) {
    r.error = std::to_string(e->line) + ":" + std::to_string(e->column) + " " +
              std::string(ErrorCodeId(e->code));
  }
  r.losses = losses.Lines();
  return r;
}

// Compares with NaN equal to NaN (a NaN gauge is a valid value).
bool Same(const pb::MetricFamily& a, const pb::MetricFamily& b, std::string* diff) {
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  MessageDifferencer d;
  d.set_field_comparator(&cmp);
  d.ReportDifferencesToString(diff);
  return d.Compare(a, b);
}

struct ModelCase {
  const char* name;
  const char* input;
  MetricType type;
  const char* expected;  // the family's proto in text format
};

class ModelTest : public testing::TestWithParam<ModelCase> {};

TEST_P(ModelTest, ProducesTheDocumentedProto) {
  const ModelCase& c = GetParam();
  ReadResult r = Read(c.input);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.families.size(), 1u);
  pb::MetricFamily want;
  ASSERT_TRUE(TextFormat::ParseFromString(c.expected, &want)) << c.expected;
  std::string diff;
  EXPECT_TRUE(Same(r.families[0].proto, want, &diff)) << diff << "\ngot:\n"
                                                      << r.families[0].proto.DebugString();
  EXPECT_EQ(r.families[0].type, c.type);
  EXPECT_EQ(r.families[0].offset, 0u);
  EXPECT_FALSE(r.families[0].continued);
}

const ModelCase kModelCases[] = {
    {"CounterWithCreatedAndExemplar",
     "# TYPE a counter\n# HELP a help\n"
     "a_total{x=\"1\"} 3 # {t=\"u\"} 0.5 1.25\na_created{x=\"1\"} 123.456\n# EOF\n",
     MetricType::kCounter,
     R"pb(name: "a_total"
          help: "help"
          type: COUNTER
          metric {
            label { name: "x" value: "1" }
            counter {
              value: 3
              exemplar {
                label { name: "t" value: "u" }
                value: 0.5
                timestamp { seconds: 1 nanos: 250000000 }
              }
              created_timestamp { seconds: 123 nanos: 456000000 }
            }
          })pb"},
    {"CounterCreatedBeforeTotal", "# TYPE a counter\na_created 5\na_total 1\n# EOF\n",
     MetricType::kCounter,
     R"pb(name: "a_total"
          type: COUNTER
          metric {
            counter {
              value: 1
              created_timestamp { seconds: 5 }
            }
          })pb"},
    {"GaugeWithEscapedLabelValues",
     "# TYPE a gauge\na{x=\"q\\\"b\\\\s\\nn\",y=\"\"} -1.5\na{x=\"2\"} NaN\n# EOF\n",
     MetricType::kGauge,
     R"pb(name: "a"
          type: GAUGE
          metric {
            label { name: "x" value: "q\"b\\s\nn" }
            label { name: "y" value: "" }
            gauge { value: -1.5 }
          }
          metric {
            label { name: "x" value: "2" }
            gauge { value: nan }
          })pb"},
    {"HistogramWithExemplarsCountSumCreated",
     "# TYPE h histogram\n"
     "h_bucket{p=\"x\",le=\"0.5\"} 1 # {id=\"a\"} 0.25\n"
     "h_bucket{p=\"x\",le=\"+Inf\"} 4 # {id=\"b\"} 9 7\n"
     "h_count{p=\"x\"} 4\nh_sum{p=\"x\"} 12.5\nh_created{p=\"x\"} 1700000000\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            label { name: "p" value: "x" }
            histogram {
              sample_count: 4
              sample_sum: 12.5
              bucket {
                upper_bound: 0.5
                cumulative_count: 1
                exemplar {
                  label { name: "id" value: "a" }
                  value: 0.25
                }
              }
              bucket {
                upper_bound: inf
                cumulative_count: 4
                exemplar {
                  label { name: "id" value: "b" }
                  value: 9
                  timestamp { seconds: 7 }
                }
              }
              created_timestamp { seconds: 1700000000 }
            }
          })pb"},
    {"HistogramLabelOrderDiffersBetweenParts",
     "# TYPE h histogram\nh_bucket{a=\"1\",b=\"2\",le=\"+Inf\"} 1\nh_count{b=\"2\",a=\"1\"} 1\n"
     "h_sum{a=\"1\",b=\"2\"} 0\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            label { name: "a" value: "1" }
            label { name: "b" value: "2" }
            histogram {
              sample_count: 1
              sample_sum: 0
              bucket { upper_bound: inf cumulative_count: 1 }
            }
          })pb"},
    {"HistogramWithoutCountAndSum",
     "# TYPE h histogram\nh_bucket{le=\"-1\"} 0\nh_bucket{le=\"+Inf\"} 2\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            histogram {
              bucket { upper_bound: -1 cumulative_count: 0 }
              bucket { upper_bound: inf cumulative_count: 2 }
            }
          })pb"},
    // OpenMetrics 1.0 gauge histogram buckets are integers (fractions are om-not-integer).
    {"GaugeHistogramWithNegativeBucket",
     "# TYPE g gaugehistogram\ng_bucket{le=\"-1\"} 1\ng_bucket{le=\"+Inf\"} 2\n"
     "g_gcount 2\ng_gsum -3\n# EOF\n",
     MetricType::kGaugeHistogram,
     R"pb(name: "g"
          type: GAUGE_HISTOGRAM
          metric {
            histogram {
              sample_count: 2
              sample_sum: -3
              bucket { upper_bound: -1 cumulative_count: 1 }
              bucket { upper_bound: inf cumulative_count: 2 }
            }
          })pb"},
    {"SummaryWithQuantilesCountSumCreated",
     "# TYPE s summary\ns{quantile=\"0.5\",m=\"g\"} 0.7\ns{m=\"g\",quantile=\"1\"} NaN\n"
     "s_count{m=\"g\"} 10\ns_sum{m=\"g\"} 4.5\ns_created{m=\"g\"} 1.5\n# EOF\n",
     MetricType::kSummary,
     R"pb(name: "s"
          type: SUMMARY
          metric {
            label { name: "m" value: "g" }
            summary {
              sample_count: 10
              sample_sum: 4.5
              quantile { quantile: 0.5 value: 0.7 }
              quantile { quantile: 1 value: nan }
              created_timestamp { seconds: 1 nanos: 500000000 }
            }
          })pb"},
    {"StateSetKeepsTheStateLabel",
     "# TYPE s stateset\ns{s=\"a\",x=\"1\"} 1\ns{s=\"b\",x=\"1\"} 0\n# EOF\n",
     MetricType::kStateSet,
     R"pb(name: "s"
          type: GAUGE
          metric {
            label { name: "s" value: "a" }
            label { name: "x" value: "1" }
            gauge { value: 1 }
          }
          metric {
            label { name: "s" value: "b" }
            label { name: "x" value: "1" }
            gauge { value: 0 }
          })pb"},
    {"InfoBecomesNameInfoGauge",
     "# TYPE build info\n# HELP build Build data.\nbuild_info{version=\"1.2\"} 1\n# EOF\n",
     MetricType::kInfo,
     R"pb(name: "build_info"
          help: "Build data."
          type: GAUGE
          metric {
            label { name: "version" value: "1.2" }
            gauge { value: 1 }
          })pb"},
    {"UnknownDeclared", "# TYPE u unknown\nu{a=\"b\"} 10.0\n# EOF\n", MetricType::kUnknown,
     R"pb(name: "u"
          type: UNTYPED
          metric {
            label { name: "a" value: "b" }
            untyped { value: 10 }
          })pb"},
    {"NoMetadataIsUnknown", "u 1\n# EOF\n", MetricType::kUnknown,
     R"pb(name: "u"
          type: UNTYPED
          metric { untyped { value: 1 } })pb"},
    {"UnitOnGauge", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n",
     MetricType::kGauge, R"pb(name: "a_seconds"
                              unit: "seconds"
                              type: GAUGE
                              metric { gauge { value: 1 } })pb"},
    {"UnitOnCounter", "# TYPE c_bytes counter\n# UNIT c_bytes bytes\nc_bytes_total 1\n# EOF\n",
     MetricType::kCounter, R"pb(name: "c_bytes_total"
                                unit: "bytes"
                                type: COUNTER
                                metric { counter { value: 1 } })pb"},
    {"EmptyHelpIsNoHelp", "# HELP a \n# TYPE a gauge\na 1\n# EOF\n", MetricType::kGauge,
     R"pb(name: "a"
          type: GAUGE
          metric { gauge { value: 1 } })pb"},
    {"HelpIsUnescaped", "# HELP a x\\\\y\\nz\\\"\n# TYPE a gauge\na 1\n# EOF\n", MetricType::kGauge,
     R"pb(name: "a"
          help: "x\\y\nz\""
          type: GAUGE
          metric { gauge { value: 1 } })pb"},
    {"MetadataOnly", "# TYPE a counter\n# HELP a h\n# EOF\n", MetricType::kCounter,
     R"pb(name: "a_total" help: "h" type: COUNTER)pb"},
    {"TimestampsInMilliseconds",
     "# TYPE a gauge\na{s=\"1\"} 1 1.5\na{s=\"2\"} 2 1700000000.123\na{s=\"3\"} 3 -2\n"
     "a{s=\"4\"} 4 1.5e3\n# EOF\n",
     MetricType::kGauge,
     R"pb(name: "a"
          type: GAUGE
          metric {
            label { name: "s" value: "1" }
            gauge { value: 1 }
            timestamp_ms: 1500
          }
          metric {
            label { name: "s" value: "2" }
            gauge { value: 2 }
            timestamp_ms: 1700000000123
          }
          metric {
            label { name: "s" value: "3" }
            gauge { value: 3 }
            timestamp_ms: -2000
          }
          metric {
            label { name: "s" value: "4" }
            gauge { value: 4 }
            timestamp_ms: 1500000
          })pb"},
    {"RepeatedSamplesWithTimestampsArePoints",
     "# TYPE c counter\nc_total 1 1\nc_created 0 1\nc_total 2 2\nc_created 0 2\n# EOF\n",
     MetricType::kCounter,
     R"pb(name: "c_total"
          type: COUNTER
          metric {
            counter {
              value: 1
              created_timestamp {}
            }
            timestamp_ms: 1000
          }
          metric {
            counter {
              value: 2
              created_timestamp {}
            }
            timestamp_ms: 2000
          })pb"},
    {"HistogramPoints",
     "# TYPE h histogram\nh_bucket{le=\"1\"} 0 1\nh_bucket{le=\"+Inf\"} 1 1\n"
     "h_bucket{le=\"1\"} 1 2\nh_bucket{le=\"+Inf\"} 2 2\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            histogram {
              bucket { upper_bound: 1 cumulative_count: 0 }
              bucket { upper_bound: inf cumulative_count: 1 }
            }
            timestamp_ms: 1000
          }
          metric {
            histogram {
              bucket { upper_bound: 1 cumulative_count: 1 }
              bucket { upper_bound: inf cumulative_count: 2 }
            }
            timestamp_ms: 2000
          })pb"},
};

INSTANTIATE_TEST_SUITE_P(Families, ModelTest, testing::ValuesIn(kModelCases),
                         [](const testing::TestParamInfo<ModelCase>& p) { return p.param.name; });

TEST(OmFamilyStream, SeveralFamiliesInOrderWithOffsets) {
  const std::string input =
      "# TYPE a counter\na_total 1\n# TYPE b gauge\nb 2\nc 3\n# HELP d x\n# EOF\n";
  ReadResult r = Read(input);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.families.size(), 4u);
  EXPECT_EQ(r.families[0].proto.name(), "a_total");
  EXPECT_EQ(r.families[0].offset, 0u);
  EXPECT_EQ(r.families[1].proto.name(), "b");
  EXPECT_EQ(r.families[1].offset, input.find("# TYPE b"));
  EXPECT_EQ(r.families[2].proto.name(), "c");
  EXPECT_EQ(r.families[2].offset, input.find("c 3"));
  EXPECT_EQ(r.families[3].proto.name(), "d");
  EXPECT_EQ(r.families[3].proto.help(), "x");
  EXPECT_EQ(r.families[3].proto.metric_size(), 0);
}

TEST(OmFamilyStream, SubMillisecondTimestampIsRoundedAndReported) {
  ReadResult r = Read("# TYPE a gauge\na{x=\"1\"} 1 1.0006\na{x=\"2\"} 1 2.0004\n# EOF\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_EQ(r.families[0].proto.metric(0).timestamp_ms(), 1001);
  EXPECT_EQ(r.families[0].proto.metric(1).timestamp_ms(), 2000);
  EXPECT_EQ(r.losses,
            std::vector<std::string>{"family \"a\": 2 timestamps rounded to the millisecond (or "
                                     "clamped to the int64 millisecond range)"});
}

TEST(OmFamilyStream, MillisecondTimestampIsNoLoss) {
  ReadResult r = Read("a 1 1700000000.001\n# EOF\n");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.families[0].proto.metric(0).timestamp_ms(), 1700000000001);
  EXPECT_TRUE(r.losses.empty());
}

TEST(OmFamilyStream, TimestampBeyondInt64MillisecondsSaturates) {
  ReadResult r =
      Read("a{s=\"1\"} 1 12345678901234567890.1\na{s=\"2\"} 1 -12345678901234567890\n# EOF\n");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.families[0].proto.metric(0).timestamp_ms(), INT64_MAX);
  EXPECT_EQ(r.families[0].proto.metric(1).timestamp_ms(), INT64_MIN);
  EXPECT_EQ(r.losses,
            std::vector<std::string>{"family \"a\": 2 timestamps rounded to the millisecond (or "
                                     "clamped to the int64 millisecond range)"});
}

TEST(OmFamilyStream, Int64MaxMillisecondsAsWrittenIsNoLoss) {
  ReadResult r = Read("a 1 9223372036854775.807\n# EOF\n");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.families[0].proto.metric(0).timestamp_ms(), INT64_MAX);
  EXPECT_TRUE(r.losses.empty());
}

TEST(OmFamilyStream, NullLossReportIsAllowed) {
  auto source = MemorySource("a 1 1.0006\n# EOF\n");
  auto stream = NewOpenMetricsFamilyStream(*source, nullptr);
  const OwnedFamily* f = stream->Next();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->proto.metric(0).timestamp_ms(), 1001);
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
}

TEST(OmFamilyStream, ErrorEndsTheStreamWithThePosition) {
  ReadResult r = Read("# TYPE a gauge\na 1\n# TYPE b counter\nb_total -1\n# EOF\n");
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_EQ(r.families[0].proto.name(), "a");
  EXPECT_EQ(r.error, "4:1 om-counter-value");
}

TEST(OmFamilyStream, MissingEofIsAnError) {
  ReadResult r = Read("a 1\n");
  EXPECT_EQ(r.error.substr(r.error.find(' ') + 1), "om-eof");
}

TEST(OmFamilyStream, EmptyInputBeforeEofHasNoFamilies) {
  ReadResult r = Read("# EOF\n");
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.families.empty());
}

// Every family and its fields are the same whether the input is in memory or arrives in
// chunks of a few bytes.
TEST(OmFamilyStream, ChunkedSourceGivesIdenticalFamilies) {
  for (const ModelCase& c : kModelCases) {
    ReadResult whole = Read(c.input);
    for (size_t chunk : {1, 2, 3, 7, 64}) {
      ReadResult part = Read(c.input, chunk);
      ASSERT_EQ(part.error, whole.error) << c.name << " chunk " << chunk;
      ASSERT_EQ(part.families.size(), whole.families.size()) << c.name << " chunk " << chunk;
      for (size_t i = 0; i < whole.families.size(); ++i) {
        std::string diff;
        EXPECT_TRUE(Same(part.families[i].proto, whole.families[i].proto, &diff))
            << c.name << " chunk " << chunk << ": " << diff;
        EXPECT_EQ(part.families[i].type, whole.families[i].type);
        EXPECT_EQ(part.families[i].offset, whole.families[i].offset);
      }
      EXPECT_EQ(part.losses, whole.losses);
    }
  }
}

TEST(OmFamilyStream, ChunkedSourceKeepsFamilyBoundaries) {
  std::string input;
  auto add = [&input](std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) input.append(p);
  };
  for (int i = 0; i < 50; ++i) {
    std::string n = "f";
    n += std::to_string(i);
    add({"# TYPE ", n, " histogram\n# HELP ", n, " help ", n, "\n"});
    for (int s = 0; s < 3; ++s) {
      const std::string v = std::to_string(s), v1 = std::to_string(s + 1);
      add({n, "_bucket{s=\"", v, "\",le=\"1\"} ", v, " # {t=\"x\"} 0.5 1.25\n"});
      add({n, "_bucket{s=\"", v, "\",le=\"+Inf\"} ", v1, "\n"});
      add({n, "_count{s=\"", v, "\"} ", v1, "\n"});
      add({n, "_sum{s=\"", v, "\"} 1.5\n"});
    }
  }
  input += "# EOF\n";
  ReadResult whole = Read(input);
  ASSERT_EQ(whole.error, "");
  ASSERT_EQ(whole.families.size(), 50u);
  for (size_t chunk : {1, 5, 13, 100}) {
    ReadResult part = Read(input, chunk);
    ASSERT_EQ(part.error, "");
    ASSERT_EQ(part.families.size(), whole.families.size());
    for (size_t i = 0; i < whole.families.size(); ++i) {
      std::string diff;
      EXPECT_TRUE(Same(part.families[i].proto, whole.families[i].proto, &diff))
          << "chunk " << chunk << " family " << i << ": " << diff;
    }
  }
}

}  // namespace
}  // namespace promtool
