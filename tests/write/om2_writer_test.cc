// NewOpenMetrics2Writer: golden output for each family type (composite values, native
// histograms in text, st@, exemplars, quoted names), what is reported as lost, refused names,
// native histograms protobuf -> OpenMetrics 2.0 -> protobuf exactly, and --strict in Convert.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/openmetrics2_family_stream.h"
#include "model/owned_family.h"
#include "promtool/convert.h"
#include "promtool/openmetrics2_parser.h"
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
  auto writer = NewOpenMetrics2Writer(WriteOptions{.escaping = escaping}, &losses);
  Written w;
  w.status = writer->Write(f, &w.out);
  if (w.status.ok()) {
    EXPECT_TRUE(writer->Finish(&w.out).ok());
  }
  w.losses = losses.Lines();
  return w;
}

// "OK" or the 2.0 parser's error code (with any dropped exemplar's): output must be valid.
std::string Verdict(const std::string& text) {
  auto source = MemorySource(text);
  OpenMetrics2Parser parser(*source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kError) return std::string(ErrorCodeId(parser.Error().code));
    if (e == Entry::kEnd) {
      return parser.notes().empty() ? "OK" : std::string(ErrorCodeId(parser.notes()[0].code));
    }
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

class Om2GoldenTest : public testing::TestWithParam<GoldenCase> {};

TEST_P(Om2GoldenTest, WritesExactly) {
  const GoldenCase& c = GetParam();
  Written w = WriteOne(c.type, c.proto, c.escaping);
  ASSERT_TRUE(w.status.ok()) << w.status;
  EXPECT_EQ(w.out, c.expected);
  EXPECT_EQ(w.losses, c.losses);
  EXPECT_EQ(Verdict(w.out), "OK") << w.out;
}

const GoldenCase kGolden[] = {
    {"CounterKeepsItsNameWithStartTimestampAndExemplar",
     MetricType::kCounter,
     R"pb(name: "req_total"
          help: "Requests \"x\"\n"
          type: COUNTER
          metric {
            label { name: "code" value: "200" }
            timestamp_ms: 1500
            counter {
              value: 3
              created_timestamp { seconds: 1520430000 nanos: 123000000 }
              exemplar {
                label { name: "trace" value: "a" }
                value: 1
                timestamp { seconds: 2 nanos: 500000000 }
              }
            }
          })pb",
     "# TYPE req_total counter\n# HELP req_total Requests \\\"x\\\"\\n\n"
     "req_total{code=\"200\"} 3 1.5 st@1520430000.123 # {trace=\"a\"} 1 2.5\n# EOF\n",
     {}},
    {"CounterExemplarWithoutTimestampIsLost",
     MetricType::kCounter,
     R"pb(name: "c"
          type: COUNTER
          metric {
            counter {
              value: 1
              exemplar { value: 1 }
            }
          })pb",
     "# TYPE c counter\nc 1\n# EOF\n",
     {"family \"c\": 1 exemplar dropped (OpenMetrics 2.0 needs a timestamp on every exemplar)"}},
    {"IntegerNativeHistogramWithClassicBuckets",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          unit: "seconds"
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
              bucket { upper_bound: 1 cumulative_count: 3 }
              created_timestamp { seconds: 7 }
              exemplars {
                label { name: "a" value: "b" }
                value: 1
                timestamp { seconds: 1 }
              }
            }
          })pb",
     "# TYPE h histogram\n# UNIT h seconds\n"
     "h {count:11,sum:12.1,schema:3,zero_threshold:0.001,zero_count:2,negative_spans:[-2:1],"
     "negative_buckets:[1],positive_spans:[0:2,3:1],positive_buckets:[4,1,3],"
     "bucket:[1:3,+Inf:11]} st@7 # {a=\"b\"} 1 1\n# EOF\n",
     {}},
    {"FloatNativeHistogramWritesFloatSyntax",
     MetricType::kHistogram,
     R"pb(name: "f"
          type: HISTOGRAM
          metric {
            histogram {
              sample_count_float: 5
              sample_sum: 1
              schema: -1
              zero_threshold: 0
              zero_count_float: 2
              positive_span { offset: 0 length: 2 }
              positive_count: [ 2, 1 ]
            }
          })pb",
     "# TYPE f histogram\n"
     "f {count:5.0,sum:1,schema:-1,zero_threshold:0,zero_count:2.0,positive_spans:[0:2],"
     "positive_buckets:[2.0,1.0]}\n# EOF\n",
     {}},
    {"GaugeHistogramLosesItsCreatedTimestamp",
     MetricType::kGaugeHistogram,
     R"pb(name: "g"
          type: GAUGE_HISTOGRAM
          metric {
            histogram {
              sample_count_float: 2.5
              sample_sum: -1
              bucket { upper_bound: 0 cumulative_count_float: -1.5 }
              created_timestamp { seconds: 1 }
            }
          })pb",
     "# TYPE g gaugehistogram\ng {gcount:2.5,gsum:-1,bucket:[0:-1.5,+Inf:2.5]}\n# EOF\n",
     {"family \"g\": 1 created timestamp dropped (OpenMetrics 2.0 gauge histograms have no start "
      "timestamp)"}},
    {"SummaryCompositeValue",
     MetricType::kSummary,
     R"pb(name: "s"
          type: SUMMARY
          metric {
            timestamp_ms: 2001
            summary {
              sample_count: 3
              sample_sum: 1.5
              quantile { quantile: 0.5 value: 0.2 }
              quantile { quantile: 0.99 value: nan }
            }
          })pb",
     "# TYPE s summary\ns {count:3,sum:1.5,quantile:[0.5:0.2,0.99:NaN]} 2.001\n# EOF\n",
     {}},
    {"SummaryWithoutCountIsNotWritten",
     MetricType::kSummary,
     R"pb(name: "s"
          type: SUMMARY
          metric { summary { sample_sum: 1 } }
          metric {
            label { name: "a" value: "1" }
            summary { sample_count: 1 sample_sum: 1 }
          })pb",
     "# TYPE s summary\ns{a=\"1\"} {count:1,sum:1,quantile:[]}\n# EOF\n",
     {"family \"s\": 1 series not written (first: a summary without count or sum (an OpenMetrics "
      "2.0 summary has both); the output format's parser would reject the line)"}},
    {"HistogramCountFromItsInfBucketOrNotWritten",
     MetricType::kHistogram,
     R"pb(name: "h"
          type: HISTOGRAM
          metric {
            label { name: "a" value: "1" }
            histogram {
              sample_sum: 1
              bucket { upper_bound: 1 cumulative_count: 1 }
              bucket { upper_bound: inf cumulative_count: 2 }
            }
          }
          metric {
            label { name: "a" value: "2" }
            histogram {
              sample_sum: 1
              bucket { upper_bound: 1 cumulative_count: 1 }
            }
          })pb",
     "# TYPE h histogram\nh{a=\"1\"} {count:2,sum:1,bucket:[1:1,+Inf:2]}\n# EOF\n",
     {"family \"h\": 1 series not written (first: a histogram without count or sum (an "
      "OpenMetrics 2.0 histogram has both); the output format's parser would reject the line)"}},
    {"ReservedLabelNameIsNotWritten",
     MetricType::kGauge,
     R"pb(name: "g"
          type: GAUGE
          metric {
            label { name: "_x" value: "1" }
            gauge { value: 1 }
          })pb",
     "# TYPE g gauge\n# EOF\n",
     {"family \"g\": 1 series not written (first: label name \"_x\" starts with '_', which "
      "OpenMetrics 2.0 reserves; the output format's parser would reject the line)"}},
    {"QuotedUtf8Names",
     MetricType::kGauge,
     R"pb(name: "my.gauge"
          type: GAUGE
          help: "h"
          metric {
            label { name: "ü.x" value: "v" }
            gauge { value: 1 }
          })pb",
     "# TYPE \"my.gauge\" gauge\n# HELP \"my.gauge\" h\n{\"my.gauge\",\"ü.x\"=\"v\"} 1\n# EOF\n",
     {}},
    {"UnderscoreEscaping",
     MetricType::kGauge,
     R"pb(name: "my.gauge"
          type: GAUGE
          metric { gauge { value: 1 } })pb",
     "# TYPE my_gauge gauge\nmy_gauge 1\n# EOF\n",
     {"family \"my.gauge\": 1 name rewritten by the escaping scheme"},
     Escaping::kUnderscores},
    {"InfoUnitIsLost",
     MetricType::kInfo,
     R"pb(name: "build_info"
          type: GAUGE
          unit: "x"
          metric {
            label { name: "v" value: "1" }
            gauge { value: 1 }
          })pb",
     "# TYPE build_info info\nbuild_info{v=\"1\"} 1\n# EOF\n",
     {"family \"build_info\": unit dropped (OpenMetrics 2.0 allows no unit on info and stateset "
      "families, and only the characters [a-zA-Z0-9_:])"}},
    {"UntypedIsUnknown",
     MetricType::kUntyped,
     R"pb(name: "u"
          type: UNTYPED
          metric { untyped { value: -Inf } })pb",
     "# TYPE u unknown\nu -Inf\n# EOF\n",
     {}},
    {"InvalidCounterIsRejectedByTheReadBack",
     MetricType::kCounter,
     R"pb(name: "c"
          type: COUNTER
          metric { counter { value: -1 } })pb",
     "# EOF\n",
     {"family \"c\": not written (the OpenMetrics 2.0 parser rejects it: counter value -1 is "
      "negative; counters are non-NaN and start from 0)"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, Om2GoldenTest, testing::ValuesIn(kGolden),
                         [](const testing::TestParamInfo<GoldenCase>& p) { return p.param.name; });

TEST(Om2Writer, EscapingNoneRefusesAQuotedName) {
  Written w = WriteOne(MetricType::kGauge, R"pb(name: "my.gauge"
                                                type: GAUGE
                                                metric { gauge { value: 1 } })pb",
                       Escaping::kNone);
  EXPECT_EQ(w.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(w.status.message(),
            "family \"my.gauge\": the name is not a legacy metric name and --escaping=none "
            "forbids quoting or escaping it (use --escaping=allow-utf-8, underscores, dots or "
            "values)");
  EXPECT_EQ(w.out, "");
}

// Native histograms (and the other histogram shapes): protobuf -> OpenMetrics 2.0 -> protobuf
// gives the same message, field for field.
class Om2NativeExact : public testing::TestWithParam<const char*> {};

TEST_P(Om2NativeExact, ProtobufToOpenMetrics2AndBack) {
  OwnedFamily f;
  f.type = MetricType::kHistogram;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(GetParam(), &f.proto));
  if (f.proto.type() == pb::GAUGE_HISTOGRAM) f.type = MetricType::kGaugeHistogram;
  LossReport losses;
  auto writer = NewOpenMetrics2Writer(WriteOptions{}, &losses);
  std::string text;
  ASSERT_TRUE(writer->Write(f, &text).ok());
  ASSERT_TRUE(writer->Finish(&text).ok());
  EXPECT_TRUE(losses.empty()) << losses.Lines()[0];
  auto source = MemorySource(text);
  auto stream = NewOpenMetrics2FamilyStream(*source, nullptr);
  const OwnedFamily* back = stream->Next();
  ASSERT_NE(back, nullptr) << text << (stream->error() ? stream->error()->message : "");
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(f.proto, back->proto)) << diff << text;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Om2NativeExact,
    testing::Values(
        R"pb(name: "h"
             type: HISTOGRAM
             metric {
               histogram {
                 sample_count: 750
                 sample_sum: 123.5
                 schema: 8
                 zero_threshold: 2.938735877055719e-39
                 zero_count: 10
                 negative_span { offset: -100 length: 2 }
                 negative_span { offset: 5 length: 1 }
                 negative_delta: [ 100, -50, 340 ]
                 positive_span { offset: 3 length: 3 }
                 positive_delta: [ 100, 0, -100 ]
                 created_timestamp { seconds: 1700000000 nanos: 1 }
                 exemplars {
                   label { name: "trace_id" value: "x" }
                   value: 0.5
                   timestamp { seconds: 1 nanos: 999999999 }
                 }
               }
               timestamp_ms: -1500
             })pb",
        R"pb(name: "h"
             type: HISTOGRAM
             metric {
               label { name: "le" value: "not a bucket" }
               histogram {
                 sample_count_float: 7.5
                 sample_sum: -1
                 schema: -4
                 zero_threshold: 0
                 zero_count_float: 0.5
                 positive_span { offset: 0 length: 2 }
                 positive_count: [ 3, 4 ]
               }
             })pb",
        R"pb(name: "h"
             type: HISTOGRAM
             metric {
               histogram { sample_count: 0 sample_sum: 0 schema: 0 zero_threshold: 0 zero_count: 0 }
             })pb",
        R"pb(name: "h"
             type: HISTOGRAM
             metric {
               histogram {
                 sample_count: 3
                 sample_sum: 3
                 schema: 1
                 zero_threshold: 0.5
                 zero_count: 1
                 positive_span { offset: 1 length: 1 }
                 positive_delta: 2
                 bucket { upper_bound: 0.5 cumulative_count: 1 }
                 bucket { upper_bound: inf cumulative_count: 3 }
               }
             })pb",
        R"pb(name: "g"
             type: GAUGE_HISTOGRAM
             metric {
               histogram {
                 sample_count: 4
                 sample_sum: 2
                 schema: 2
                 zero_threshold: 0.1
                 zero_count: 1
                 negative_span { offset: 0 length: 1 }
                 negative_delta: 3
               }
             })pb"));

TEST(Om2Writer, StrictConvertFailsOnALoss) {
  auto in = MemorySource("# TYPE c counter\nc_total 1 # {a=\"b\"} 1\n# EOF\n");
  StringSink sink;
  ConvertOptions options;
  options.to = OutputFormat::kOpenMetrics2;
  options.strict = true;
  ConvertResult r = Convert(*in, sink, options);
  EXPECT_EQ(r.error.code, ErrorCode::kStrict);
  EXPECT_EQ(
      r.error.message,
      "--strict: family \"c_total\": 1 exemplar dropped (OpenMetrics 2.0 needs a timestamp on "
      "every exemplar)");
}

}  // namespace
}  // namespace promtool
