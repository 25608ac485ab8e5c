// Unit tests of the HTTP client's pure parts: Accept header, Content-Type parsing, Pushgateway
// paths, URL redaction, option syntax, and the limits checked on parsed families.
#include <gtest/gtest.h>

#include "net/limits.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool {
namespace {

TEST(AcceptHeader, DefaultIsPrometheus3) {
  EXPECT_EQ(AcceptHeader(DefaultScrapeProtocols()),
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
            "application/openmetrics-text;version=0.0.1;q=0.4,"
            "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
            "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
}

TEST(AcceptHeader, ProtobufFirstAndSingle) {
  auto all = ParseScrapeProtocols(
      "PrometheusProto,OpenMetricsText1.0.0,OpenMetricsText0.0.1,PrometheusText1.0.0,"
      "PrometheusText0.0.4");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(AcceptHeader(*all),
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            "encoding=delimited;q=0.6,"
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
            "application/openmetrics-text;version=0.0.1;q=0.4,"
            "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
            "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
  EXPECT_EQ(AcceptHeader({ScrapeProtocol::kPrometheusText0_0_4}),
            "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
}

TEST(ScrapeProtocols, ParseErrors) {
  EXPECT_FALSE(ParseScrapeProtocols("PrometheusText0.0.4,Bogus").ok());
  EXPECT_FALSE(ParseScrapeProtocols("PrometheusProto,PrometheusProto").ok());
  EXPECT_FALSE(ParseScrapeProtocols("").ok());
  auto two = ParseScrapeProtocols("PrometheusProto, PrometheusText0.0.4");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  for (ScrapeProtocol p : *two) EXPECT_EQ(ParseScrapeProtocol(ScrapeProtocolName(p)), p);
}

TEST(ContentType, Formats) {
  struct Case {
    std::string_view content_type;
    std::optional<InputFormat> format;
    NameScheme names = NameScheme::kLegacy;
  };
  const Case cases[] = {
      {"text/plain; version=0.0.4; charset=utf-8", InputFormat::kText},
      {"text/plain; version=0.0.4; charset=utf-8; escaping=underscores", InputFormat::kText},
      {"text/plain", InputFormat::kText},
      {"Text/Plain;Version=\"0.0.4\"", InputFormat::kText},
      {"text/plain; version=1.0.0; escaping=allow-utf-8", InputFormat::kText, NameScheme::kUtf8},
      {"text/plain; version=2.0.0", std::nullopt},
      {"application/openmetrics-text; version=1.0.0; charset=utf-8", InputFormat::kOpenMetrics},
      {"application/openmetrics-text; version=0.0.1", InputFormat::kOpenMetrics},
      {"application/openmetrics-text", InputFormat::kOpenMetrics},
      {"application/openmetrics-text; version=2.0.0", InputFormat::kOpenMetrics2},
      {"application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
       "encoding=delimited",
       InputFormat::kProtobuf},
      {"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
       InputFormat::kProtobuf},
      {"application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=text",
       std::nullopt},
      {"application/vnd.google.protobuf", std::nullopt},
      {"application/json", std::nullopt},
      {"text/html; charset=utf-8", std::nullopt},
      {"", std::nullopt},
      {" ; version=0.0.4", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.content_type);
    std::optional<PayloadFormat> got = FormatFromContentType(c.content_type);
    ASSERT_EQ(got.has_value(), c.format.has_value());
    if (got) {
      EXPECT_EQ(got->format, *c.format);
      EXPECT_EQ(got->names, c.names);
    }
  }
}

TEST(ContentType, FallbackProtocols) {
  EXPECT_EQ(ProtocolFormat(ScrapeProtocol::kPrometheusProto).format, InputFormat::kProtobuf);
  EXPECT_EQ(ProtocolFormat(ScrapeProtocol::kOpenMetricsText0_0_1).format,
            InputFormat::kOpenMetrics);
  EXPECT_EQ(ProtocolFormat(ScrapeProtocol::kPrometheusText1_0_0).names, NameScheme::kUtf8);
  EXPECT_EQ(ProtocolFormat(ScrapeProtocol::kPrometheusText0_0_4).format, InputFormat::kText);
}

TEST(PushPath, GroupingKeyEncoding) {
  using G = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(*PushPath("nightly", {}), "/metrics/job/nightly");
  EXPECT_EQ(*PushPath("nightly", G{{"instance", "db1"}, {"zone", "eu"}}),
            "/metrics/job/nightly/instance/db1/zone/eu");
  // A value with '/' is base64url without padding; the empty value is "=".
  EXPECT_EQ(*PushPath("j", G{{"path", "/var/tmp"}}), "/metrics/job/j/path@base64/L3Zhci90bXA");
  EXPECT_EQ(*PushPath("j", G{{"empty", ""}}), "/metrics/job/j/empty@base64/=");
  EXPECT_EQ(*PushPath("a/b", {}), "/metrics/job@base64/YS9i");
  // URL-safe alphabet: '?' '>' give '_' and '-' in base64url.
  EXPECT_EQ(*PushPath("j", G{{"x", "/?\?>"}}), "/metrics/job/j/x@base64/Lz8_Pg");
  // Other values are escaped as a path segment.
  EXPECT_EQ(*PushPath("j", G{{"x", "a b%c?"}}), "/metrics/job/j/x/a%20b%25c%3F");
  EXPECT_FALSE(PushPath("", {}).ok());
  EXPECT_FALSE(PushPath("j", G{{"bad-name", "v"}}).ok());
  EXPECT_FALSE(PushPath("j", G{{"job", "v"}}).ok());
  EXPECT_FALSE(PushPath("j", G{{"a", "1"}, {"a", "2"}}).ok());
}

TEST(RedactUrl, Userinfo) {
  EXPECT_EQ(RedactUrl("https://user:secret@example.com/metrics"),
            "https://user:xxxxx@example.com/metrics");
  EXPECT_EQ(RedactUrl("http://user:p@ss@127.0.0.1:9100/m?x=1"),
            "http://user:xxxxx@127.0.0.1:9100/m?x=1");
  EXPECT_EQ(RedactUrl("http://user@host/"), "http://user@host/");
  EXPECT_EQ(RedactUrl("http://host/a@b"), "http://host/a@b");
  EXPECT_EQ(RedactUrl("http://u:pw@host"), "http://u:xxxxx@host");
  EXPECT_EQ(RedactUrl("not a url"), "not a url");
}

TEST(OptionSyntax, SizesAndDurations) {
  EXPECT_EQ(ParseByteSize("64MiB"), uint64_t{64} << 20);
  EXPECT_EQ(ParseByteSize("16MB"), uint64_t{16} << 20);
  EXPECT_EQ(ParseByteSize("1KB"), 1024u);
  EXPECT_EQ(ParseByteSize("1024"), 1024u);
  EXPECT_EQ(ParseByteSize("0"), 0u);
  EXPECT_EQ(ParseByteSize("12XB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("MB"), std::nullopt);
  EXPECT_EQ(ParseDurationSeconds("10s"), 10.0);
  EXPECT_EQ(ParseDurationSeconds("500ms"), 0.5);
  EXPECT_EQ(ParseDurationSeconds("1m30s"), 90.0);
  EXPECT_EQ(ParseDurationSeconds("2"), 2.0);
  EXPECT_EQ(ParseDurationSeconds("1.5s"), 1.5);
  EXPECT_EQ(ParseDurationSeconds("-1s"), std::nullopt);
  EXPECT_EQ(ParseDurationSeconds("10x"), std::nullopt);
  EXPECT_EQ(ParseDurationSeconds("1 2"), std::nullopt);
  EXPECT_EQ(ParseDurationSeconds(""), std::nullopt);
}

FetchResult Check(std::string_view body, const ScrapeOptions& options, PayloadFormat format = {}) {
  FetchResult r;
  auto source = MemorySource(body);
  net::ParseAndCheck(*source, format, options, &r);
  return r;
}

constexpr std::string_view kPayload =
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",method=\"get\"} 3\n"
    "http_requests_total{code=\"500\",method=\"get\"} 1\n"
    "# TYPE latency_seconds histogram\n"
    "latency_seconds_bucket{le=\"0.1\"} 1\n"
    "latency_seconds_bucket{le=\"+Inf\"} 2\n"
    "latency_seconds_sum 0.3\n"
    "latency_seconds_count 2\n";

TEST(Limits, CountsAndNoLimits) {
  FetchResult r = Check(kPayload, {});
  EXPECT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.families, 2u);
  EXPECT_EQ(r.samples, 6u);
}

TEST(Limits, EachLimitNamesLimitFamilyAndValue) {
  ScrapeOptions o;
  o.sample_limit = 5;
  FetchResult r = Check(kPayload, o);
  EXPECT_EQ(r.error.message,
            "sample_limit 5 exceeded: family \"latency_seconds\" brings the scrape to 6 samples");
  o = {};
  o.label_limit = 2;
  r = Check(kPayload, o);
  EXPECT_EQ(r.error.message,
            "label_limit 2 exceeded: family \"http_requests_total\" has a sample with 3 labels "
            "(__name__ included)");
  o = {};
  o.label_name_length_limit = 5;
  r = Check(kPayload, o);
  EXPECT_EQ(r.error.message,
            "label_name_length_limit 5 exceeded: family \"http_requests_total\" has label name "
            "\"method\" of 6 bytes");
  o = {};
  o.label_value_length_limit = 18;
  r = Check(kPayload, o);
  EXPECT_EQ(r.error.message,
            "label_value_length_limit 18 exceeded: family \"http_requests_total\" has metric name "
            "(label __name__) \"http_requests_total\" of 19 bytes");
  o.label_value_length_limit = 22;
  r = Check("x{path=\"/a/very/long/path/value\"} 1\n", o);
  EXPECT_EQ(r.error.message,
            "label_value_length_limit 22 exceeded: family \"x\" has label \"path\" with a value of "
            "23 bytes (\"/a/very/long/path/value\")");
}

TEST(Limits, ParseErrorIsReported) {
  FetchResult r = Check("a{b=\"c\" 1\n", {});
  EXPECT_TRUE(r.error.located());
  EXPECT_EQ(r.error.code, ErrorCode::kLabelEnd);
  EXPECT_NE(r.error.message.find("invalid text payload at line 1"), std::string::npos)
      << r.error.message;
  r = Check("# TYPE a counter\na_total 1\n", {}, {InputFormat::kOpenMetrics});
  EXPECT_TRUE(r.error.located());  // no # EOF
  EXPECT_EQ(r.error.code, ErrorCode::kOmEof);
}

}  // namespace
}  // namespace promtool
