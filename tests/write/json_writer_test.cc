// The JSON writer: prom2json's shape as golden strings, Go's number and string formatting,
// sorted map keys, native-histogram buckets, and the losses it reports.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "model/owned_family.h"
#include "promtool/source.h"
#include "write/writer.h"

namespace promtool {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A family from its protobuf text format; `type` defaults to the wire type.
OwnedFamily Parse(const std::string& text) {
  OwnedFamily f;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &f.proto)) << text;
  f.type = static_cast<MetricType>(f.proto.type());
  return f;
}

std::string Json(const std::vector<OwnedFamily>& families, LossReport* losses = nullptr,
                 WriteOptions options = {}) {
  auto writer = NewJsonWriter(options, losses);
  std::string out;
  for (const OwnedFamily& f : families) {
    absl::Status status = writer->Write(f, &out);
    EXPECT_TRUE(status.ok()) << status;
  }
  EXPECT_TRUE(writer->Finish(&out).ok());
  return out;
}

struct GoldenCase {
  const char* name;
  std::string family;  // protobuf text format
  std::string json;    // without the surrounding "[" and "]\n"
};

std::vector<GoldenCase> GoldenCases() {
  return {
      {"Counter",
       R"pb(name: "requests_total"
            help: "Requests."
            type: COUNTER
            metric {
              label { name: "code" value: "200" }
              counter { value: 1027 }
            }
            metric {
              label { name: "code" value: "503" }
              counter { value: 3 }
              timestamp_ms: 1395066363000
            })pb",
       R"({"name":"requests_total","help":"Requests.","type":"COUNTER","metrics":[)"
       R"({"labels":{"code":"200"},"value":"1027"},)"
       R"({"labels":{"code":"503"},"timestamp_ms":"1395066363000","value":"3"}]})"},
      {"GaugeWithLabelsNeedingEscapes",
       "name: \"temp\" help: \"a <b> & \\\"c\\\"\\n\" type: GAUGE "
       "metric { label { name: \"z\" value: \"q\\\"b\\\\s\\nt\\tc\\001\\010\\014\" } "
       "label { name: \"a\" value: \"k\\303\\274che \\342\\200\\250 bad\\377\" } "
       "gauge { value: -0.5 } }",
       R"({"name":"temp","help":"a \u003cb\u003e \u0026 \"c\"\n","type":"GAUGE","metrics":[)"
       R"({"labels":{"a":"k)"
       "\xc3\xbc"
       R"(che \u2028 bad\ufffd","z":"q\"b\\s\nt\tc\u0001\b\f"},"value":"-0.5"}]})"},
      {"UntypedWithoutLabelsOrHelp", R"pb(name: "up"
                                          type: UNTYPED
                                          metric { untyped { value: 1 } })pb",
       R"({"name":"up","help":"","type":"UNTYPED","metrics":[{"value":"1"}]})"},
      {"FamilyWithoutMetrics", R"pb(name: "empty" help: "" type: GAUGE)pb",
       R"({"name":"empty","help":"","type":"GAUGE","metrics":[]})"},
      {"Summary",
       R"pb(name: "rpc_seconds"
            help: "RPC."
            type: SUMMARY
            metric {
              label { name: "service" value: "a" }
              summary {
                sample_count: 2693
                sample_sum: 17560473
                quantile { quantile: 0.01 value: 3102 }
                quantile { quantile: 0.5 value: 4773 }
                quantile { quantile: 0.99 value: nan }
                quantile { quantile: 1e-05 value: 1e+21 }
              }
            }
            metric { summary { sample_count: 0 sample_sum: 0 } })pb",
       R"({"name":"rpc_seconds","help":"RPC.","type":"SUMMARY","metrics":[)"
       R"({"labels":{"service":"a"},"quantiles":{"0.01":"3102","0.5":"4773","0.99":"NaN",)"
       R"("1e-05":"1e+21"},"count":"2693","sum":"1.7560473e+07"},)"
       R"({"count":"0","sum":"0"}]})"},
      {"ClassicHistogram",
       R"pb(name: "latency_seconds"
            help: "Latency."
            type: HISTOGRAM
            metric {
              label { name: "path" value: "/" }
              histogram {
                sample_count: 144320
                sample_sum: 53423
                bucket { cumulative_count: 24054 upper_bound: 0.05 }
                bucket { cumulative_count: 33444 upper_bound: 0.1 }
                bucket { cumulative_count: 100392 upper_bound: 1 }
                bucket { cumulative_count: 129389 upper_bound: 10 }
                bucket { cumulative_count: 144320 upper_bound: inf }
              }
              timestamp_ms: 12
            })pb",
       R"({"name":"latency_seconds","help":"Latency.","type":"HISTOGRAM","metrics":[)"
       R"({"labels":{"path":"/"},"timestamp_ms":"12","buckets":{"+Inf":"144320",)"
       R"("0.05":"24054","0.1":"33444","1":"100392","10":"129389"},)"
       R"("count":"144320","sum":"53423"}]})"},
      {"HistogramWithoutBuckets",
       R"pb(name: "h"
            type: HISTOGRAM
            metric { histogram { sample_count: 3 sample_sum: 1.5 } })pb",
       R"({"name":"h","help":"","type":"HISTOGRAM","metrics":[{"count":"3","sum":"1.5"}]})"},
      {"EmptyNativeHistogramWithNoOpSpan",
       R"pb(name: "n"
            type: HISTOGRAM
            metric {
              histogram {
                sample_count: 0
                sample_sum: 0
                schema: 3
                zero_threshold: 0
                positive_span { offset: 0 length: 0 }
              }
            })pb",
       R"({"name":"n","help":"","type":"HISTOGRAM","metrics":[{"count":"0","sum":"0"}]})"},
      {"FloatNativeGaugeHistogram",
       R"pb(name: "g"
            type: GAUGE_HISTOGRAM
            metric {
              histogram {
                sample_count_float: 4.5
                sample_sum: -2
                schema: -1
                zero_threshold: 0.001
                zero_count_float: 0.5
                negative_span { offset: 1 length: 2 }
                negative_count: 1
                negative_count: 3
                positive_span { offset: 0 length: 1 }
                positive_count: 2.5
              }
            })pb",
       R"({"name":"g","help":"","type":"GAUGE_HISTOGRAM","metrics":[{"buckets":[)"
       R"([1,"-16","-4","3"],[1,"-4","-1","1"],[3,"-0.001","0.001","0.5"],[0,"0.25","1","2.5"]],)"
       R"("count":"4.5","sum":"-2"}]})"},
      {"SpecialValues",
       R"pb(name: "special"
            type: GAUGE
            metric {
              label { name: "v" value: "nan" }
              gauge { value: nan }
            }
            metric {
              label { name: "v" value: "+inf" }
              gauge { value: inf }
            }
            metric {
              label { name: "v" value: "-inf" }
              gauge { value: -inf }
            }
            metric {
              label { name: "v" value: "-0" }
              gauge { value: -0 }
            }
            metric {
              label { name: "v" value: "tiny" }
              gauge { value: 5e-324 }
            }
            metric {
              label { name: "v" value: "big" }
              gauge { value: 123456789 }
            }
            metric {
              label { name: "v" value: "small" }
              gauge { value: 0.0001 }
            })pb",
       R"({"name":"special","help":"","type":"GAUGE","metrics":[)"
       R"({"labels":{"v":"nan"},"value":"NaN"},{"labels":{"v":"+inf"},"value":"+Inf"},)"
       R"({"labels":{"v":"-inf"},"value":"-Inf"},{"labels":{"v":"-0"},"value":"-0"},)"
       R"({"labels":{"v":"tiny"},"value":"5e-324"},{"labels":{"v":"big"},"value":"1.23456789e+08"},)"
       R"({"labels":{"v":"small"},"value":"0.0001"}]})"},
      {"DuplicateLabelNameLastWins",
       R"pb(name: "d"
            type: GAUGE
            metric {
              label { name: "b" value: "1" }
              label { name: "a" value: "2" }
              label { name: "b" value: "3" }
              gauge { value: 1 }
            })pb",
       R"({"name":"d","help":"","type":"GAUGE","metrics":[{"labels":{"a":"2","b":"3"},"value":"1"}]})"},
      {"NegativeTimestamp", R"pb(name: "t"
                                 type: GAUGE
                                 metric {
                                   gauge { value: 1 }
                                   timestamp_ms: -5
                                 })pb",
       R"({"name":"t","help":"","type":"GAUGE","metrics":[{"timestamp_ms":"-5","value":"1"}]})"},
  };
}

class JsonGolden : public testing::TestWithParam<GoldenCase> {};

TEST_P(JsonGolden, MatchesProm2jsonShape) {
  const GoldenCase& c = GetParam();
  EXPECT_EQ(Json({Parse(c.family)}), "[" + c.json + "]\n");
}

INSTANTIATE_TEST_SUITE_P(Families, JsonGolden, testing::ValuesIn(GoldenCases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(JsonWriter, EmptyInputIsAnEmptyArray) { EXPECT_EQ(Json({}), "[]\n"); }

TEST(JsonWriter, FamiliesAreCommaSeparatedInOneArray) {
  OwnedFamily a = Parse(R"pb(name: "a"
                             type: GAUGE
                             metric { gauge { value: 1 } })pb");
  OwnedFamily b = Parse(R"pb(name: "b"
                             type: COUNTER
                             metric { counter { value: 2 } })pb");
  EXPECT_EQ(Json({a, b}), R"([{"name":"a","help":"","type":"GAUGE","metrics":[{"value":"1"}]},)"
                          R"({"name":"b","help":"","type":"COUNTER","metrics":[{"value":"2"}]}])"
                          "\n");
}

TEST(JsonWriter, NativeHistogramsCorpus) {
  std::ifstream in(std::string(PROMTOOL_SOURCE_DIR) + "/corpus/protobuf/valid/native-histograms.pb",
                   std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  auto source = MemorySource(bytes);
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr);
  LossReport losses;
  auto writer = NewJsonWriter({}, &losses);
  std::string out;
  while (const OwnedFamily* f = stream->Next()) ASSERT_TRUE(writer->Write(*f, &out).ok());
  ASSERT_EQ(stream->error(), nullptr);
  ASSERT_TRUE(writer->Finish(&out).ok());
  // Bounds cross-checked against 2**(i/8) computed independently; classic buckets of a
  // histogram that also has native spans are not shown (prom2json shows the native ones).
  EXPECT_EQ(
      out, R"([{"name":"queue_wait_seconds","help":"Native-only histogram.","type":"HISTOGRAM",)"
           R"("metrics":[{"buckets":[[0,"0.25","0.5","1"],[0,"0.5","1","1"],[0,"1","2","1"],)"
           R"([0,"2","4","1"],[0,"4","8","1"],[0,"512","1024","1"]],"count":"6","sum":"1015.5"}]},)"
           R"({"name":"rpc_latency_seconds","help":"RPC latency, native and classic buckets.",)"
           R"("type":"HISTOGRAM","metrics":[{"labels":{"service":"auth"},"buckets":[)"
           R"([1,"-0.5","-0.4585020216023356","1"],[3,"-1e-06","1e-06","1"],)"
           R"([0,"0.00390625","0.004259795830723663","1"],)"
           R"([0,"0.018581361171917516","0.020263118041422026","2"],)"
           R"([0,"0.29730177875068026","0.3242098886627524","1"],)"
           R"([0,"1.681792830507429","1.8340080864093424","1"],)"
           R"([0,"11.313708498984761","12.337686603263526","1"]],"count":"8","sum":"13.5440001"},)"
           R"({"labels":{"service":"billing"},"buckets":[)"
           R"([1,"-1.5422108254079407","-1.4142135623730951","1"],[3,"-1e-06","1e-06","1"],)"
           R"([0,"0.011048543456039806","0.012048522073499537","1"],)"
           R"([0,"0.05731275270029195","0.0625","2"],)"
           R"([0,"0.8408964152537145","0.9170040432046712","1"],)"
           R"([0,"4.756828460010884","5.187358218604039","1"],)"
           R"([0,"34.896247445288246","38.05462768008707","1"]],"count":"8","sum":"40.6320003"}]},)"
           R"({"name":"rpc_requests_total","help":"Requests.","type":"COUNTER","metrics":[)"
           R"({"labels":{"code":"200"},"value":"5"},{"labels":{"code":"503"},"value":"1"}]},)"
           R"({"name":"rpc_size_bytes","help":"Sizes.","type":"SUMMARY","metrics":[)"
           R"({"quantiles":{"0.5":"20","0.99":"4000"},"count":"4","sum":"4060"}]}])"
           "\n");
  LossReport expected;
  expected.Add("rpc_latency_seconds", LossKind::kExemplar, 4);
  expected.Add("rpc_requests_total", LossKind::kExemplar, 1);
  EXPECT_EQ(losses.Lines(), expected.Lines());
}

TEST(JsonWriter, ReportsCreatedTimestampsUnitsAndTypes) {
  OwnedFamily c = Parse(R"pb(name: "c_total"
                             type: COUNTER
                             unit: "seconds"
                             metric {
                               counter {
                                 value: 1
                                 created_timestamp { seconds: 1 }
                               }
                             }
                             metric {
                               counter {
                                 value: 2
                                 created_timestamp { seconds: 2 }
                               }
                             })pb");
  OwnedFamily s = Parse(R"pb(name: "s"
                             type: GAUGE
                             metric {
                               label { name: "s" value: "a" }
                               gauge { value: 1 }
                             })pb");
  s.type = MetricType::kStateSet;
  LossReport losses;
  EXPECT_EQ(Json({c, s}, &losses),
            R"([{"name":"c_total","help":"","type":"COUNTER","metrics":[{"value":"1"},)"
            R"({"value":"2"}]},{"name":"s","help":"","type":"GAUGE","metrics":[)"
            R"({"labels":{"s":"a"},"value":"1"}]}])"
            "\n");
  LossReport expected;
  expected.Add("c_total", LossKind::kUnit);
  expected.Add("c_total", LossKind::kCreatedTimestamp, 2);
  expected.Add("s", LossKind::kType);
  EXPECT_EQ(losses.Lines(), expected.Lines());
}

TEST(JsonWriter, UsesTheFullTypeNotAStaleWireType) {
  OwnedFamily f = Parse(R"pb(name: "i_info"
                             type: COUNTER
                             metric { gauge { value: 1 } })pb");
  f.type = MetricType::kInfo;
  EXPECT_EQ(Json({f}), R"([{"name":"i_info","help":"","type":"GAUGE","metrics":[{"value":"1"}]}])"
                       "\n");
}

TEST(JsonWriter, EscapesNamesWithAScheme) {
  OwnedFamily f = Parse(R"pb(name: "http.requests"
                             type: GAUGE
                             metric {
                               label { name: "a.b" value: "x.y" }
                               gauge { value: 1 }
                             })pb");
  LossReport losses;
  WriteOptions options;
  options.escaping = Escaping::kUnderscores;
  EXPECT_EQ(Json({f}, &losses, options),
            R"([{"name":"http_requests","help":"","type":"GAUGE","metrics":[)"
            R"({"labels":{"a_b":"x.y"},"value":"1"}]}])"
            "\n");
  LossReport expected;
  expected.Add("http.requests", LossKind::kNameEscaped, 2);
  EXPECT_EQ(losses.Lines(), expected.Lines());
}

TEST(JsonWriter, RefusesUtf8NamesWithoutASchemeAndWritesNothing) {
  OwnedFamily f = Parse(R"pb(name: "http.requests"
                             type: GAUGE
                             metric { gauge { value: 1 } })pb");
  WriteOptions options;
  options.escaping = Escaping::kNone;
  auto writer = NewJsonWriter(options, nullptr);
  std::string out;
  absl::Status status = writer->Write(f, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "family \"http.requests\": the metric name is not a legacy name and no escaping "
            "scheme was chosen");
  EXPECT_EQ(out, "");
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_EQ(out, "[]\n");
}

TEST(JsonWriter, Utf8NamesPassThroughByDefault) {
  OwnedFamily f = Parse(R"pb(name: "http.requests"
                             type: GAUGE
                             metric { gauge { value: 0 } })pb");
  f.proto.mutable_metric(0)->mutable_gauge()->set_value(kInf);
  EXPECT_EQ(Json({f}),
            R"([{"name":"http.requests","help":"","type":"GAUGE","metrics":[{"value":"+Inf"}]}])"
            "\n");
}

// Every object has "metrics", an empty array for a family without samples (prom2json never
// writes one without, so `jq '.[].metrics[]'` pipelines rely on the key).
TEST(JsonWriter, FamilyWithoutMetricsHasAnEmptyArray) {
  OwnedFamily f = Parse(R"pb(name: "a" help: "x" type: GAUGE)pb");
  EXPECT_EQ(Json({f}), R"([{"name":"a","help":"x","type":"GAUGE","metrics":[]}])"
                       "\n");
}

// Protobuf strings need not be UTF-8; JSON writes each invalid byte as U+FFFD (as Go's
// encoding/json does), which is a loss.
TEST(JsonWriter, InvalidUtf8IsReplacedAndReported) {
  OwnedFamily f = Parse(R"pb(name: "a"
                             type: GAUGE
                             metric {
                               label { name: "city" value: "Z\374rich" }
                               gauge { value: 1 }
                             })pb");
  LossReport losses;
  EXPECT_EQ(
      Json({f}, &losses),
      R"([{"name":"a","help":"","type":"GAUGE","metrics":[{"labels":{"city":"Z\ufffdrich"},"value":"1"}]}])"
      "\n");
  EXPECT_EQ(losses.Lines(),
            std::vector<std::string>{"family \"a\": 1 string not valid UTF-8 (each invalid byte "
                                     "written as U+FFFD)"});
}

}  // namespace
}  // namespace promtool
