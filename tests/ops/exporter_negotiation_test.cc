// Unit tests of the Content-Type and Accept checking of `check exporter`
// (promtool/exporter_check.h): media-type parsing, Accept weights, the Content-Type checks, the
// negotiation checks, the fuzz replay format and the check registry.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "promtool/exporter_check.h"
#include "promtool/scrape.h"

namespace promtool::exporter {
namespace {

using P = ScrapeProtocol;

struct ProtocolCase {
  std::string content_type;
  std::optional<ScrapeProtocol> want;
};

class ProtocolOfContentTypeTest : public ::testing::TestWithParam<ProtocolCase> {};

TEST_P(ProtocolOfContentTypeTest, NamesTheProtocol) {
  EXPECT_EQ(ProtocolOfContentType(ParseMediaType(GetParam().content_type)), GetParam().want)
      << GetParam().content_type;
}

INSTANTIATE_TEST_SUITE_P(
    All, ProtocolOfContentTypeTest,
    ::testing::Values(
        ProtocolCase{"text/plain; version=0.0.4; charset=utf-8", P::kPrometheusText0_0_4},
        ProtocolCase{"text/plain", P::kPrometheusText0_0_4},
        ProtocolCase{"TEXT/Plain;Version=\"1.0.0\";escaping=underscores", P::kPrometheusText1_0_0},
        ProtocolCase{"text/plain; version=2.0.0", std::nullopt},
        ProtocolCase{"application/openmetrics-text; version=1.0.0; charset=utf-8",
                     P::kOpenMetricsText1_0_0},
        ProtocolCase{"application/openmetrics-text", P::kOpenMetricsText0_0_1},
        ProtocolCase{"application/vnd.google.protobuf; "
                     "proto=io.prometheus.client.MetricFamily; encoding=delimited",
                     P::kPrometheusProto},
        ProtocolCase{"application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
                     "encoding=text",
                     std::nullopt},
        ProtocolCase{"text/html; charset=utf-8", std::nullopt}, ProtocolCase{"text", std::nullopt},
        ProtocolCase{"", std::nullopt}));

struct WeightCase {
  std::string accept;
  ScrapeProtocol protocol;
  double want;
};

class AcceptWeightTest : public ::testing::TestWithParam<WeightCase> {};

TEST_P(AcceptWeightTest, MostSpecificRangeWins) {
  EXPECT_DOUBLE_EQ(AcceptWeight(ParseAccept(GetParam().accept), GetParam().protocol),
                   GetParam().want)
      << GetParam().accept;
}

constexpr char kPrometheus3[] =
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
    "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;"
    "escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

INSTANTIATE_TEST_SUITE_P(
    All, AcceptWeightTest,
    ::testing::Values(
        WeightCase{kPrometheus3, P::kOpenMetricsText1_0_0, 0.5},
        WeightCase{kPrometheus3, P::kOpenMetricsText0_0_1, 0.4},
        WeightCase{kPrometheus3, P::kPrometheusText1_0_0, 0.3},
        WeightCase{kPrometheus3, P::kPrometheusText0_0_4, 0.2},
        WeightCase{kPrometheus3, P::kPrometheusProto, 0.1},
        WeightCase{"text/plain;version=0.0.4", P::kPrometheusProto, -1},
        WeightCase{"text/plain", P::kPrometheusText1_0_0, 1},
        WeightCase{"text/*;q=0.7", P::kPrometheusText0_0_4, 0.7},
        WeightCase{"text/*;q=0.7", P::kOpenMetricsText1_0_0, -1},
        WeightCase{"*/*;q=0.2,text/plain;version=0.0.4;q=0", P::kPrometheusText0_0_4, 0},
        WeightCase{"application/vnd.google.protobuf;encoding=text", P::kPrometheusProto, -1},
        WeightCase{"text/plain;q=abc", P::kPrometheusText0_0_4, -1}));

TEST(ParseAcceptTest, InvalidWeightMarksTheRangeInvalid) {
  std::vector<AcceptRange> r = ParseAccept("text/plain;q=2, ,application/json;q=0.5");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].valid);
  EXPECT_EQ(r[0].q, 0);
  EXPECT_TRUE(r[1].valid);
  EXPECT_DOUBLE_EQ(r[1].q, 0.5);
  EXPECT_EQ(r[1].range.type, "application/json");
}

struct ContentTypeCase {
  std::string content_type;
  std::string requested_escaping;
  std::vector<std::string> want_checks;  // failed check ids, in order
  std::optional<ScrapeProtocol> served;
};

class CheckContentTypeTest : public ::testing::TestWithParam<ContentTypeCase> {};

TEST_P(CheckContentTypeTest, FailsExactlyTheseChecks) {
  std::vector<Violation> v;
  EXPECT_EQ(CheckContentType(GetParam().content_type, GetParam().requested_escaping, &v),
            GetParam().served);
  std::vector<std::string> ids;
  for (const Violation& x : v) {
    ids.push_back(x.check);
    EXPECT_FALSE(x.message.empty());
  }
  EXPECT_EQ(ids, GetParam().want_checks) << GetParam().content_type;
}

INSTANTIATE_TEST_SUITE_P(
    All, CheckContentTypeTest,
    ::testing::Values(
        ContentTypeCase{
            "text/plain; version=0.0.4; charset=utf-8", "", {}, P::kPrometheusText0_0_4},
        ContentTypeCase{"", "", {"content-type-present"}, std::nullopt},
        ContentTypeCase{"text/html", "", {"content-type-known"}, std::nullopt},
        ContentTypeCase{"text", "", {"content-type-known"}, std::nullopt},
        ContentTypeCase{
            "text/plain; charset=utf-8", "", {"content-type-version"}, P::kPrometheusText0_0_4},
        ContentTypeCase{
            "text/plain; version=0.0.4", "", {"content-type-charset"}, P::kPrometheusText0_0_4},
        ContentTypeCase{"application/openmetrics-text; version=0.0.1",
                        "",
                        {"content-type-om-charset"},
                        P::kOpenMetricsText0_0_1},
        ContentTypeCase{
            "text/plain; version=3.0.0; charset=utf-8", "", {"content-type-version"}, std::nullopt},
        ContentTypeCase{"text/plain; version=1.0.0; charset=utf-8",
                        "dots",
                        {"content-type-escaping"},
                        P::kPrometheusText1_0_0},
        ContentTypeCase{"text/plain; version=1.0.0; charset=utf-8; escaping=underscores",
                        "dots",
                        {"content-type-escaping"},
                        P::kPrometheusText1_0_0},
        ContentTypeCase{"text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf8",
                        "allow-utf-8",
                        {},
                        P::kPrometheusText1_0_0},
        ContentTypeCase{"text/plain; version=1.0.0; charset=utf-8; escaping=bogus",
                        "",
                        {"content-type-escaping"},
                        P::kPrometheusText1_0_0},
        ContentTypeCase{"application/openmetrics-text; version=1.0.0; charset=utf-8",
                        "allow-utf-8",
                        {"content-type-escaping-om"},
                        P::kOpenMetricsText1_0_0},
        ContentTypeCase{
            "application/vnd.google.protobuf", "", {"content-type-known"}, std::nullopt},
        ContentTypeCase{"application/vnd.google.protobuf; "
                        "proto=io.prometheus.client.MetricFamily; encoding=delimited",
                        "",
                        {},
                        P::kPrometheusProto}));

TEST(CheckContentTypeTest, MessageNamesTheValue) {
  std::vector<Violation> v;
  (void)CheckContentType("text/html; charset=utf-8", "", &v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message,
            "Content-Type \"text/html; charset=utf-8\" names no scrape protocol's MIME type "
            "(text/plain, application/openmetrics-text, application/vnd.google.protobuf)");
}

struct NegotiationCase {
  std::optional<std::string> accept;
  std::vector<ScrapeProtocol> supported;
  ScrapeProtocol served;
  std::string want_id;      // the check that applies
  std::string want_failed;  // "" when it passes
};

class CheckNegotiationTest : public ::testing::TestWithParam<NegotiationCase> {};

TEST_P(CheckNegotiationTest, AppliesTheRule) {
  std::vector<Violation> v;
  const NegotiationCase& c = GetParam();
  EXPECT_EQ(CheckNegotiation(c.accept, c.supported, c.served, &v), c.want_id);
  if (c.want_failed.empty()) {
    EXPECT_TRUE(v.empty()) << v[0].message;
  } else {
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].check, c.want_failed);
  }
}

const std::vector<ScrapeProtocol> kAll = {P::kPrometheusProto, P::kOpenMetricsText1_0_0,
                                          P::kPrometheusText0_0_4};

INSTANTIATE_TEST_SUITE_P(
    All, CheckNegotiationTest,
    ::testing::Values(
        // No Accept header: anything goes.
        NegotiationCase{std::nullopt, kAll, P::kPrometheusProto, "", ""},
        NegotiationCase{std::string(kPrometheus3), kAll, P::kOpenMetricsText1_0_0,
                        "negotiation-highest-weight", ""},
        // KSM's bug: text served although OpenMetrics has the higher weight.
        NegotiationCase{std::string(kPrometheus3), kAll, P::kPrometheusText0_0_4,
                        "negotiation-highest-weight", "negotiation-highest-weight"},
        // A text-only target answers an OpenMetrics-first header with text: fine.
        NegotiationCase{std::string(kPrometheus3),
                        {P::kPrometheusText0_0_4},
                        P::kPrometheusText0_0_4,
                        "negotiation-highest-weight",
                        ""},
        // Hard-coded OpenMetrics for a text-only Accept: the last resort is text 0.0.4.
        NegotiationCase{std::string("text/plain;version=0.0.4"),
                        {P::kOpenMetricsText1_0_0},
                        P::kOpenMetricsText1_0_0,
                        "negotiation-last-resort",
                        "negotiation-last-resort"},
        NegotiationCase{std::string("application/vnd.google.protobuf;proto=io.prometheus.client."
                                    "MetricFamily;encoding=delimited"),
                        {P::kPrometheusText0_0_4},
                        P::kPrometheusText0_0_4,
                        "negotiation-last-resort",
                        ""}));

TEST(FuzzRequestTest, SerializeParseRoundTrip) {
  FuzzRequest r;
  r.kind = "accept";
  r.method = "HEAD";
  r.query = "?name[]=a b";
  r.accept = "text/plain;q=abc\t=%";
  r.accept_encoding = "";
  r.concurrency = 4;
  r.recv_bytes_per_second = 4096;
  const std::string line = r.Serialize();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  absl::StatusOr<FuzzRequest> back = FuzzRequest::Parse(line);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->kind, r.kind);
  EXPECT_EQ(back->method, r.method);
  EXPECT_EQ(back->query, r.query);
  EXPECT_EQ(back->accept, r.accept);
  EXPECT_EQ(back->accept_encoding, r.accept_encoding);
  EXPECT_EQ(back->concurrency, r.concurrency);
  EXPECT_EQ(back->recv_bytes_per_second, r.recv_bytes_per_second);
}

TEST(FuzzRequestTest, NoAcceptStaysAbsent) {
  FuzzRequest r;
  r.kind = "accept";
  absl::StatusOr<FuzzRequest> back = FuzzRequest::Parse(r.Serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->accept.has_value());
}

TEST(ParseReplayTest, ErrorNamesFileAndLine) {
  absl::StatusOr<std::vector<FuzzRequest>> r =
      ParseReplay("# comment\nreplay-v1\tkind=head\tmethod=HEAD\nreplay-v1\tcolour=red\n", "f.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "f.txt:3: unknown field \"colour\" (kind, method, query, accept, accept-encoding, "
            "concurrency, recv-rate)");
}

TEST(ParseReplayTest, RejectsAnEmptyFile) {
  absl::StatusOr<std::vector<FuzzRequest>> r = ParseReplay("\n# nothing\n", "f.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "f.txt: no request to replay (expected lines starting with \"replay-v1\")");
}

TEST(GenerateFuzzTest, SameSeedSameRequests) {
  const std::vector<std::string> families = {"a", "b"};
  std::vector<FuzzRequest> one = GenerateFuzz(7, 50, families);
  std::vector<FuzzRequest> two = GenerateFuzz(7, 50, families);
  ASSERT_EQ(one.size(), 50u);
  for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].Serialize(), two[i].Serialize());
  std::vector<FuzzRequest> other = GenerateFuzz(8, 50, families);
  size_t same = 0;
  for (size_t i = 0; i < one.size(); ++i) same += one[i].Serialize() == other[i].Serialize();
  EXPECT_LT(same, one.size());
}

TEST(ChecksTest, IdsUniqueWithSpecAndHint) {
  std::set<std::string_view> ids;
  for (const CheckInfo& c : Checks()) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    EXPECT_FALSE(c.spec.empty()) << c.id;
    EXPECT_FALSE(c.hint.empty()) << c.id;
    EXPECT_EQ(FindCheck(c.id), &c);
  }
  EXPECT_EQ(FindCheck("no-such-check"), nullptr);
  ASSERT_NE(FindCheck("lint/no-help"), nullptr);
  EXPECT_EQ(FindCheck("lint/no-help")->level, Level::kShould);
}

TEST(LevelTest, ParseAndName) {
  EXPECT_EQ(ParseLevel("MUST"), Level::kMust);
  EXPECT_EQ(ParseLevel("should"), Level::kShould);
  EXPECT_EQ(ParseLevel("may"), Level::kMay);
  EXPECT_EQ(ParseLevel("must-not"), std::nullopt);
  EXPECT_EQ(LevelName(Level::kShould), "SHOULD");
}

}  // namespace
}  // namespace promtool::exporter
