// NewOpenMetrics2FamilyStream: the model each kind of OpenMetrics 2.0 sample produces (composite
// values, native histograms, st@, exemplars, quoted names), the losses it reports, errors with
// their position and message, and the same result through a streamed (chunked) source.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/openmetrics2_family_stream.h"
#include "model/owned_family.h"
#include "promtool/input_format.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using google::protobuf::TextFormat;

struct ReadResult {
  std::vector<OwnedFamily> families;
  std::string error;  // "line:col code: message" or empty
  std::vector<std::string> losses;
};

ReadResult Read(std::string_view input, size_t chunk = 0) {
  std::unique_ptr<Source> source =
      chunk == 0 ? MemorySource(input)
                 : ChunkedMemorySource(input, "<chunked>", StreamOptions{.chunk_bytes = chunk});
  LossReport losses;
  auto stream = NewOpenMetrics2FamilyStream(*source, &losses);
  ReadResult r;
  while (const OwnedFamily* f = stream->Next()) r.families.push_back(*f);
  if (const Error* e = stream->error()) {
    r.error = std::to_string(e->line) + ":" + std::to_string(e->column) + " " +
              std::string(ErrorCodeId(e->code)) + ": " + e->message;
  }
  r.losses = losses.Lines();
  return r;
}

bool Same(const pb::MetricFamily& a, const pb::MetricFamily& b, std::string* diff) {
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer d;
  d.set_field_comparator(&cmp);
  d.ReportDifferencesToString(diff);
  return d.Compare(a, b);
}

struct ModelCase {
  const char* name;
  const char* input;
  MetricType type;
  const char* expected;  // the family's proto in text format
  std::vector<std::string> losses;
};

class Om2ModelTest : public testing::TestWithParam<ModelCase> {};

TEST_P(Om2ModelTest, ProducesTheDocumentedProto) {
  const ModelCase& c = GetParam();
  for (size_t chunk : {size_t{0}, size_t{7}}) {
    ReadResult r = Read(c.input, chunk);
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.families.size(), 1u);
    pb::MetricFamily want;
    ASSERT_TRUE(TextFormat::ParseFromString(c.expected, &want)) << c.expected;
    std::string diff;
    EXPECT_TRUE(Same(r.families[0].proto, want, &diff)) << diff << "\ngot:\n"
                                                        << r.families[0].proto.DebugString();
    EXPECT_EQ(r.families[0].type, c.type);
    EXPECT_EQ(r.losses, c.losses);
  }
}

const ModelCase kModelCases[] = {
    {"CounterStartTimestampAndExemplar",
     "# TYPE a_total counter\n# HELP a_total help \\\"q\\\"\n"
     "a_total{x=\"1\"} 3 1.5 st@1520430000.123 # {t=\"u\"} 0.5 1.25\n# EOF\n",
     MetricType::kCounter,
     R"pb(name: "a_total"
          help: "help \"q\""
          type: COUNTER
          metric {
            label { name: "x" value: "1" }
            timestamp_ms: 1500
            counter {
              value: 3
              exemplar {
                label { name: "t" value: "u" }
                value: 0.5
                timestamp { seconds: 1 nanos: 250000000 }
              }
              created_timestamp { seconds: 1520430000 nanos: 123000000 }
            }
          })pb",
     {}},
    {"CounterKeepsTheFirstOfSeveralExemplars",
     "# TYPE c counter\nc 1 # {a=\"1\"} 1 1 # {a=\"2\"} 2 2\n# EOF\n",
     MetricType::kCounter,
     R"pb(name: "c"
          type: COUNTER
          metric {
            counter {
              value: 1
              exemplar {
                label { name: "a" value: "1" }
                value: 1
                timestamp { seconds: 1 }
              }
            }
          })pb",
     {"family \"c\": 1 exemplar dropped (the model's counter holds one exemplar)"}},
    {"ClassicHistogramExemplarsGoToTheirBuckets",
     "# TYPE h histogram\n# UNIT h seconds\n"
     "h{p=\"x\"} {count:4,sum:2.5,bucket:[0.5:1,1:3,+Inf:4]} st@-1.25 # {id=\"a\"} 0.75 3 "
     "# {id=\"b\"} 9 4\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          unit: "seconds"
          type: HISTOGRAM
          metric {
            label { name: "p" value: "x" }
            histogram {
              sample_count: 4
              sample_sum: 2.5
              bucket { upper_bound: 0.5 cumulative_count: 1 }
              bucket {
                upper_bound: 1
                cumulative_count: 3
                exemplar {
                  label { name: "id" value: "a" }
                  value: 0.75
                  timestamp { seconds: 3 }
                }
              }
              bucket {
                upper_bound: inf
                cumulative_count: 4
                exemplar {
                  label { name: "id" value: "b" }
                  value: 9
                  timestamp { seconds: 4 }
                }
              }
              created_timestamp { seconds: -2 nanos: 750000000 }
            }
          })pb",
     {}},
    {"NativeIntegerHistogramBecomesDeltas",
     "# TYPE n histogram\n"
     "n {count:11,sum:12.1,schema:3,zero_threshold:0.001,zero_count:2,negative_spans:[-2:1],"
     "negative_buckets:[1],positive_spans:[0:2,3:1],positive_buckets:[4,1,3]} "
     "# {a=\"b\"} 1 1 # {a=\"c\"} -2 2\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "n"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count: 11
              sample_sum: 12.1
              schema: 3
              zero_threshold: 0.001
              zero_count: 2
              negative_span { offset: -2 length: 1 }
              negative_delta: 1
              positive_span { offset: 0 length: 2 }
              positive_span { offset: 3 length: 1 }
              positive_delta: [ 4, -3, 2 ]
              exemplars {
                label { name: "a" value: "b" }
                value: 1
                timestamp { seconds: 1 }
              }
              exemplars {
                label { name: "a" value: "c" }
                value: -2
                timestamp { seconds: 2 }
              }
            }
          })pb",
     {}},
    {"NativeFloatHistogramKeepsCounts",
     "# TYPE n histogram\n"
     "n {count:5,sum:12.1,schema:0,zero_threshold:0,zero_count:2,positive_spans:[0:2],"
     "positive_buckets:[2.0,1.0]}\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "n"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count_float: 5
              sample_sum: 12.1
              schema: 0
              zero_threshold: 0
              zero_count_float: 2
              positive_span { offset: 0 length: 2 }
              positive_count: [ 2, 1 ]
            }
          })pb",
     {}},
    {"NativeAndClassicBucketsSideBySide",
     "# TYPE h histogram\n"
     "h {count:3,sum:3,schema:0,zero_threshold:0,zero_count:0,positive_spans:[1:1],"
     "positive_buckets:[3],bucket:[1:0,+Inf:3]} st@10 # {} 1.5 5\n# EOF\n",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count: 3
              sample_sum: 3
              schema: 0
              zero_threshold: 0
              zero_count: 0
              positive_span { offset: 1 length: 1 }
              positive_delta: 3
              bucket { upper_bound: 1 cumulative_count: 0 }
              bucket { upper_bound: inf cumulative_count: 3 }
              created_timestamp { seconds: 10 }
              exemplars {
                value: 1.5
                timestamp { seconds: 5 }
              }
            }
          })pb",
     {}},
    {"GaugeHistogramFloatAndNegativeBuckets",
     "# TYPE g gaugehistogram\ng {gcount:2.5,gsum:-1,bucket:[0:-1.5,+Inf:2.5]}\n# EOF\n",
     MetricType::kGaugeHistogram,
     R"pb(name: "g"
          type: GAUGE_HISTOGRAM
          metric {
            histogram {
              sample_count_float: 2.5
              sample_sum: -1
              bucket { upper_bound: 0 cumulative_count_float: -1.5 }
              bucket { upper_bound: inf cumulative_count_float: 2.5 }
            }
          })pb",
     {}},
    {"SummaryWithStartTimestamp",
     "# TYPE s summary\ns {count:3,sum:1.5,quantile:[0.5:0.2,0.9:0.7]} 2 st@1\n# EOF\n",
     MetricType::kSummary,
     R"pb(name: "s"
          type: SUMMARY
          metric {
            timestamp_ms: 2000
            summary {
              sample_count: 3
              sample_sum: 1.5
              quantile { quantile: 0.5 value: 0.2 }
              quantile { quantile: 0.9 value: 0.7 }
              created_timestamp { seconds: 1 }
            }
          })pb",
     {}},
    {"QuotedNamesAreUnescaped",
     "{\"my.metric\",a=\"b\",\"c\\\"d\"=\"e\"} 1\n# EOF\n",
     MetricType::kUnknown,
     R"pb(name: "my.metric"
          type: UNTYPED
          metric {
            label { name: "a" value: "b" }
            label { name: "c\"d" value: "e" }
            untyped { value: 1 }
          })pb",
     {}},
    {"InfoAndStateSetAreGauges",
     "# TYPE ss stateset\nss{ss=\"a\"} 1\nss{ss=\"b\"} 0\n# EOF\n",
     MetricType::kStateSet,
     R"pb(name: "ss"
          type: GAUGE
          metric {
            label { name: "ss" value: "a" }
            gauge { value: 1 }
          }
          metric {
            label { name: "ss" value: "b" }
            gauge { value: 0 }
          })pb",
     {}},
    {"RepeatedPointsAreMetrics",
     "# TYPE g gauge\ng 1 1\ng 2 2.0005\n# EOF\n",
     MetricType::kGauge,
     R"pb(name: "g"
          type: GAUGE
          metric {
            gauge { value: 1 }
            timestamp_ms: 1000
          }
          metric {
            gauge { value: 2 }
            timestamp_ms: 2001
          })pb",
     {"family \"g\": 1 timestamp rounded to the millisecond (or clamped to the int64 "
      "millisecond range)"}},
    {"UnknownWithStartTimestampAndExemplar",
     "u 1 st@1 # {} 1 1\n# EOF\n",
     MetricType::kUnknown,
     R"pb(name: "u"
          type: UNTYPED
          metric { untyped { value: 1 } })pb",
     {"family \"u\": 1 exemplar dropped (the model's untyped value has no exemplars)",
      "family \"u\": 1 created timestamp dropped (the model's untyped value has no start "
      "timestamp)"}},
    {"UnknownWithCompositeValueIsDropped",
     "u {count:1,sum:1,bucket:[+Inf:1]}\nu{a=\"1\"} 2\n# EOF\n",
     MetricType::kUnknown,
     R"pb(name: "u"
          type: UNTYPED
          metric {
            label { name: "a" value: "1" }
            untyped { value: 2 }
          })pb",
     {"family \"u\": 1 series not written (first: a sample of unknown type with a "
      "CompositeValue, which the model's untyped value cannot hold; the output format's parser "
      "would reject the line)"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, Om2ModelTest, testing::ValuesIn(kModelCases),
                         [](const testing::TestParamInfo<ModelCase>& p) { return p.param.name; });

TEST(Om2FamilyStream, FamiliesComeOneAtATimeWithTheirOffsets) {
  ReadResult r = Read("# TYPE a gauge\na 1\n# HELP b x\nb_total 2\n# EOF\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.families.size(), 3u);
  EXPECT_EQ(r.families[0].proto.name(), "a");
  EXPECT_EQ(r.families[0].offset, 0u);
  EXPECT_EQ(r.families[1].proto.name(), "b");  // metadata only: b_total is another family
  EXPECT_EQ(r.families[1].proto.metric_size(), 0);
  EXPECT_EQ(r.families[1].offset, 19u);
  EXPECT_EQ(r.families[1].proto.help(), "x");
  EXPECT_EQ(r.families[2].proto.name(), "b_total");
  EXPECT_EQ(r.families[2].type, MetricType::kUnknown);
  EXPECT_EQ(r.families[2].offset, 30u);
}

struct ErrorCase {
  const char* name;
  const char* input;
  const char* error;  // line:col code: message
  size_t families;    // complete families before the error
};

class Om2ErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(Om2ErrorTest, StopsAtTheParsersError) {
  const ErrorCase& c = GetParam();
  ReadResult r = Read(c.input);
  EXPECT_EQ(r.error, c.error);
  EXPECT_EQ(r.families.size(), c.families);
}

const ErrorCase kErrorCases[] = {
    {"CountMismatch",
     "# TYPE a gauge\na 1\n# TYPE h histogram\nh {count:4,sum:6,bucket:[1:2,+Inf:3]}\n# EOF\n",
     "4:10 om2-count-mismatch: count 4 differs from the +Inf bucket 3; they must be equal", 1},
    {"MissingEof", "a 1\n",
     "2:1 om2-eof: expected '# EOF' as the last line, found the end of the input", 0},
};

INSTANTIATE_TEST_SUITE_P(Cases, Om2ErrorTest, testing::ValuesIn(kErrorCases),
                         [](const testing::TestParamInfo<ErrorCase>& p) { return p.param.name; });

TEST(Om2FamilyStream, NewFamilyStreamReadsOpenMetrics2) {
  auto source = MemorySource("# TYPE h histogram\nh {count:0,sum:0,bucket:[+Inf:0]}\n# EOF\n");
  auto stream = NewFamilyStream(*source, InputFormat::kAuto, FamilyStreamOptions{}, nullptr);
  const OwnedFamily* f = stream->Next();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->type, MetricType::kHistogram);
  EXPECT_EQ(f->proto.metric(0).histogram().bucket_size(), 1);
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
}

}  // namespace
}  // namespace promtool
