// Unit tests of LoadPrometheusConfig: defaults, fields, durations and every kind of error with
// its position and message.
#include "promtool/prometheus_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace promtool {
namespace {

TEST(PrometheusDurationTest, ParsesPrometheusSyntax) {
  const struct {
    const char* text;
    std::optional<int64_t> ms;
  } kCases[] = {
      {"0", 0},
      {"15s", 15000},
      {"1m", 60000},
      {"1h30m", 5400000},
      {"500ms", 500},
      {"1d", 86400000},
      {"1w", 604800000},
      {"1y", 31536000000},
      {"1m30s", 90000},
      {"", std::nullopt},
      {"1.5s", std::nullopt},
      {"30s1m", std::nullopt},
      {"1x", std::nullopt},
      {"-1s", std::nullopt},
      {"1s1s", std::nullopt},
      {"s", std::nullopt},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(ParsePrometheusDuration(c.text), c.ms) << c.text;
  }
}

TEST(PrometheusDurationTest, FormatsAsPrometheus) {
  const struct {
    int64_t ms;
    const char* text;
  } kCases[] = {{0, "0s"},         {15000, "15s"},     {60000, "1m"},    {5400000, "1h30m"},
                {500, "500ms"},    {1500, "1s500ms"},  {86400000, "1d"}, {604800000, "1w"},
                {691200000, "8d"}, {31536000000, "1y"}};
  for (const auto& c : kCases) EXPECT_EQ(FormatPrometheusDuration(c.ms), c.text) << c.ms;
}

TEST(PrometheusConfigTest, EmptyFileHasDefaultsAndNoJobs) {
  PrometheusConfigResult r = LoadPrometheusConfig("", "p.yml");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.config.global.scrape_interval_ms, 60000);
  EXPECT_EQ(r.config.global.scrape_timeout_ms, 10000);
  EXPECT_TRUE(r.config.scrape_configs.empty());
}

TEST(PrometheusConfigTest, JobDefaultsComeFromGlobal) {
  PrometheusConfigResult r = LoadPrometheusConfig(
      "global:\n  scrape_interval: 5s\n  sample_limit: 100\n  body_size_limit: 10MB\n"
      "scrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 1m\n"
      "    sample_limit: 7\n",
      "dir/p.yml");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.config.scrape_configs.size(), 2u);
  const ScrapeJobConfig& a = r.config.scrape_configs[0];
  EXPECT_EQ(a.scrape_interval_ms, 5000);
  EXPECT_EQ(a.scrape_timeout_ms, 5000);  // min(global timeout 10s, interval 5s)
  EXPECT_EQ(a.sample_limit, 100u);
  EXPECT_EQ(a.body_size_limit, uint64_t{10} << 20);
  EXPECT_EQ(a.scheme, "http");
  EXPECT_EQ(a.metrics_path, "/metrics");
  EXPECT_TRUE(a.honor_timestamps);
  EXPECT_FALSE(a.honor_labels);
  EXPECT_EQ(a.scrape_protocols,
            (std::vector<std::string>{"OpenMetricsText1.0.0", "OpenMetricsText0.0.1",
                                      "PrometheusText1.0.0", "PrometheusText0.0.4"}));
  const ScrapeJobConfig& b = r.config.scrape_configs[1];
  EXPECT_EQ(b.scrape_interval_ms, 60000);
  EXPECT_EQ(b.scrape_timeout_ms, 5000);  // min(global timeout 5s, interval 1m)
  EXPECT_EQ(b.sample_limit, 7u);
  EXPECT_EQ(r.config.directory, "dir");
}

TEST(PrometheusConfigTest, ReadsAuthTlsAndRelativeFiles) {
  PrometheusConfigResult r = LoadPrometheusConfig(
      "scrape_configs:\n"
      "  - job_name: drone\n    bearer_token_file: token\n"
      "    tls_config: {ca_file: /ca.pem, cert_file: c.pem, key_file: k.pem, server_name: s, "
      "insecure_skip_verify: true}\n"
      "  - job_name: basic\n    basic_auth: {username: u, password_file: ../pw}\n"
      "    follow_redirects: false\n"
      "  - job_name: authz\n    authorization: {credentials: c}\n",
      "/etc/prom/p.yml");
  ASSERT_TRUE(r.ok()) << r.error.message;
  const HttpClientConfig& d = r.config.scrape_configs[0].http;
  EXPECT_TRUE(d.has_authorization);
  EXPECT_EQ(d.authorization_type, "Bearer");
  EXPECT_EQ(d.credentials_file, "/etc/prom/token");
  EXPECT_EQ(d.ca_file, "/ca.pem");
  EXPECT_EQ(d.cert_file, "/etc/prom/c.pem");
  EXPECT_EQ(d.key_file, "/etc/prom/k.pem");
  EXPECT_EQ(d.server_name, "s");
  EXPECT_TRUE(d.insecure_skip_verify);
  const HttpClientConfig& b = r.config.scrape_configs[1].http;
  EXPECT_TRUE(b.has_basic_auth);
  EXPECT_EQ(b.username, "u");
  EXPECT_EQ(b.password_file, "/etc/pw");
  EXPECT_FALSE(b.follow_redirects);
  const HttpClientConfig& z = r.config.scrape_configs[2].http;
  EXPECT_EQ(z.authorization_type, "Bearer");
  EXPECT_EQ(z.credentials, "c");
}

TEST(PrometheusConfigTest, ReadsTargetsParamsAndRules) {
  PrometheusConfigResult r = LoadPrometheusConfig(
      "scrape_configs:\n  - job_name: j\n    params: {z: [1], a: [x, y]}\n"
      "    static_configs:\n      - targets: [h:1, h:2]\n        labels: {team: a, empty: ''}\n"
      "    file_sd_configs:\n      - files: [t/*.json]\n"
      "    relabel_configs:\n      - {target_label: x, replacement: y}\n"
      "    metric_relabel_configs:\n      - {action: labeldrop, regex: tmp}\n",
      "p.yml");
  ASSERT_TRUE(r.ok()) << r.error.message;
  const ScrapeJobConfig& j = r.config.scrape_configs[0];
  ASSERT_EQ(j.params.size(), 2u);
  EXPECT_EQ(j.params[0].first, "a");
  EXPECT_EQ(j.params[0].second, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(j.static_configs.size(), 1u);
  EXPECT_EQ(j.static_configs[0].targets, (std::vector<std::string>{"h:1", "h:2"}));
  EXPECT_EQ(j.static_configs[0].labels, (LabelSet{{"team", "a"}}));
  ASSERT_EQ(j.file_sd_configs.size(), 1u);
  EXPECT_EQ(j.file_sd_configs[0].files, (std::vector<std::string>{"t/*.json"}));
  ASSERT_EQ(j.relabel_configs.size(), 1u);
  EXPECT_EQ(j.relabel_configs[0].line, 10);
  ASSERT_EQ(j.metric_relabel_configs.size(), 1u);
  EXPECT_EQ(j.metric_relabel_configs[0].action, RelabelAction::kLabelDrop);
}

TEST(PrometheusConfigTest, NotesSectionsThatDoNotAffectScraping) {
  PrometheusConfigResult r =
      LoadPrometheusConfig("rule_files: [a.yml]\nremote_write:\n  - url: http://x\n", "p.yml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.notes,
            (std::vector<std::string>{
                "section \"rule_files\" (line 1) does not affect scraping; not read",
                "section \"remote_write\" (line 2) does not affect scraping; not "
                "read"}));
}

struct ErrorCase {
  const char* name;
  const char* yaml;
  ConfigErrorKind kind;
  int line, column;
  const char* message;
};

class PrometheusConfigErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(PrometheusConfigErrorTest, ReportsKindPositionAndMessage) {
  const ErrorCase& c = GetParam();
  PrometheusConfigResult r = LoadPrometheusConfig(c.yaml, "p.yml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.kind, c.kind) << ConfigErrorKindName(r.error.kind);
  EXPECT_EQ(r.error.file, "p.yml");
  EXPECT_EQ(r.error.line, c.line);
  EXPECT_EQ(r.error.column, c.column);
  EXPECT_EQ(r.error.message, c.message);
  EXPECT_EQ(r.error.message.find("s3cret"), std::string::npos);
  EXPECT_TRUE(r.config.scrape_configs.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, PrometheusConfigErrorTest,
    testing::Values(
        ErrorCase{"UnknownTopLevel", "scrape_config:\n  - job_name: a\n",
                  ConfigErrorKind::kUnknownField, 1, 1,
                  "unknown field \"scrape_config\" in the configuration; did you mean "
                  "\"scrape_configs\"?"},
        ErrorCase{"UnsupportedTopLevel", "scrape_config_files: [a.yml]\n",
                  ConfigErrorKind::kUnsupported, 1, 1,
                  "field \"scrape_config_files\" in the configuration is not supported by "
                  "promtool-cpp"},
        ErrorCase{"MisspelledJobField", "scrape_configs:\n  - job_name: a\n    metric_path: /m\n",
                  ConfigErrorKind::kUnknownField, 3, 5,
                  "unknown field \"metric_path\" in scrape config \"a\"; did you mean "
                  "\"metrics_path\"?"},
        ErrorCase{"MisspelledServiceDiscovery",
                  "scrape_configs:\n  - job_name: a\n    kubernets_sd_configs: []\n",
                  ConfigErrorKind::kUnknownField, 3, 5,
                  "unknown field \"kubernets_sd_configs\" in scrape config \"a\"; did you mean "
                  "\"kubernetes_sd_configs\"?"},
        ErrorCase{"UnsupportedServiceDiscovery",
                  "scrape_configs:\n  - job_name: a\n    consul_sd_configs: []\n",
                  ConfigErrorKind::kUnsupported, 3, 5,
                  "service discovery \"consul_sd_configs\" in scrape config \"a\" is not "
                  "supported: promtool-cpp reads static_configs and file_sd_configs (write the "
                  "targets to a file_sd file, e.g. from Prometheus' /api/v1/targets)"},
        ErrorCase{"UnsupportedTlsField",
                  "scrape_configs:\n  - job_name: a\n    tls_config:\n      min_version: TLS13\n",
                  ConfigErrorKind::kUnsupported, 4, 7,
                  "field \"min_version\" in tls_config is not supported by promtool-cpp"},
        ErrorCase{"BadDuration", "global:\n  scrape_interval: 1.5s\n", ConfigErrorKind::kInvalid, 2,
                  20,
                  "scrape_interval: not a valid duration string: \"1.5s\" (units ms, s, m, h, d, "
                  "w, y, largest first, e.g. 1m30s)"},
        ErrorCase{
            "GlobalTimeoutAboveInterval", "global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n",
            ConfigErrorKind::kInvalid, 3, 19, "global scrape timeout greater than scrape interval"},
        ErrorCase{"JobTimeoutAboveInterval",
                  "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n"
                  "    scrape_timeout: 6s\n",
                  ConfigErrorKind::kInvalid, 4, 21,
                  "scrape timeout greater than scrape interval for scrape config with job name "
                  "\"a\""},
        ErrorCase{"EmptyJobName", "scrape_configs:\n  - scheme: http\n", ConfigErrorKind::kInvalid,
                  2, 5, "job_name is empty"},
        ErrorCase{"DuplicateJob", "scrape_configs:\n  - job_name: a\n  - job_name: a\n",
                  ConfigErrorKind::kInvalid, 3, 15,
                  "found multiple scrape configs with job name \"a\""},
        ErrorCase{"DuplicateField",
                  "scrape_configs:\n  - job_name: a\n    scheme: http\n    scheme: https\n",
                  ConfigErrorKind::kInvalid, 4, 5,
                  "field \"scheme\" is given twice in scrape config \"a\""},
        ErrorCase{"BadBool", "scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n",
                  ConfigErrorKind::kInvalid, 3, 19,
                  "honor_labels: expected true or false, found \"maybe\""},
        ErrorCase{"BadLimit", "scrape_configs:\n  - job_name: a\n    sample_limit: -1\n",
                  ConfigErrorKind::kInvalid, 3, 19,
                  "sample_limit: expected an unsigned integer, found \"-1\""},
        ErrorCase{"BadProtocol",
                  "scrape_configs:\n  - job_name: a\n    scrape_protocols: [PrometheusText0.0.5]\n",
                  ConfigErrorKind::kInvalid, 3, 24,
                  "scrape_protocols: unknown scrape protocol PrometheusText0.0.5, supported: "
                  "[OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 "
                  "PrometheusText1.0.0]; did you mean \"PrometheusText0.0.4\"?"},
        ErrorCase{"BearerAndBasic",
                  "scrape_configs:\n  - job_name: a\n    bearer_token: s3cret\n"
                  "    basic_auth: {username: u, password: s3cret}\n",
                  ConfigErrorKind::kInvalid, 3, 19,
                  "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                  "configured"},
        ErrorCase{"AuthorizationBasic",
                  "scrape_configs:\n  - job_name: a\n    authorization: {type: basic, "
                  "credentials: s3cret}\n",
                  ConfigErrorKind::kInvalid, 3, 20,
                  "authorization type cannot be set to \"basic\", use \"basic_auth\" instead"},
        ErrorCase{"PasswordTwice",
                  "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: "
                  "s3cret, password_file: f}\n",
                  ConfigErrorKind::kInvalid, 3, 17,
                  "at most one of basic_auth password & password_file must be configured"},
        ErrorCase{"CertWithoutKey",
                  "scrape_configs:\n  - job_name: a\n    tls_config: {cert_file: c}\n",
                  ConfigErrorKind::kInvalid, 3, 17,
                  "exactly one of key or key_file must be configured when a client certificate "
                  "is configured"},
        ErrorCase{"UrlAsStaticTarget",
                  "scrape_configs:\n  - job_name: a\n    static_configs:\n"
                  "      - targets: [http://h/metrics]\n",
                  ConfigErrorKind::kInvalid, 4, 19,
                  "\"http://h/metrics\" is not a valid hostname (a target is host:port; the "
                  "scheme and path are set by scheme and metrics_path)"},
        ErrorCase{"BadFileSdName",
                  "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                  "      - files: [targets.txt]\n",
                  ConfigErrorKind::kInvalid, 4, 17,
                  "path name \"targets.txt\" is not valid for file discovery"},
        ErrorCase{"BadLabelName",
                  "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n"
                  "  - job_name: a\n    static_configs:\n      - labels: {a-b: x}\n",
                  ConfigErrorKind::kInvalid, 6, 18, "\"a-b\" is not a valid label name"},
        ErrorCase{"BadRelabelAction",
                  "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n"
                  "      - action: lowercas\n",
                  ConfigErrorKind::kInvalid, 4, 17,
                  "unknown relabel action \"lowercas\"; did you mean \"lowercase\"?"},
        ErrorCase{"YamlSyntax", "scrape_configs: [\n", ConfigErrorKind::kSyntax, 2, 1,
                  "end of sequence flow not found"}),
    [](const testing::TestParamInfo<ErrorCase>& p) { return std::string(p.param.name); });

TEST(TargetFileTest, ReadsJsonAndYamlGroups) {
  for (const char* text : {"[{\"targets\": [\"a:1\"], \"labels\": {\"env\": \"prod\"}}]",
                           "- targets: [a:1]\n  labels: {env: prod}\n"}) {
    TargetFileResult r = LoadTargetFile(text, "t/x.json");
    ASSERT_TRUE(r.ok()) << r.error.message;
    ASSERT_EQ(r.groups.size(), 1u);
    EXPECT_EQ(r.groups[0].targets, (std::vector<std::string>{"a:1"}));
    EXPECT_EQ(r.groups[0].labels, (LabelSet{{"env", "prod"}}));
    EXPECT_EQ(r.groups[0].source, "t/x.json");
  }
}

TEST(TargetFileTest, UnknownFieldIsAnErrorWithPosition) {
  TargetFileResult r = LoadTargetFile("- targets: [a:1]\n  label: {env: prod}\n", "t/x.yml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.kind, ConfigErrorKind::kUnknownField);
  EXPECT_EQ(r.error.file, "t/x.yml");
  EXPECT_EQ(r.error.line, 2);
  EXPECT_EQ(r.error.column, 3);
  EXPECT_EQ(r.error.message, "unknown field \"label\" in a target group; did you mean \"labels\"?");
}

TEST(JobTargetGroupsTest, ExpandsGlobsSortedAndNotesMissingFiles) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("promcfg_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.yml") << "- targets: [b:1]\n";
  std::ofstream(dir / "a.json") << "[{\"targets\": [\"a:1\"]}]";
  ScrapeJobConfig job;
  job.job_name = "j";
  job.static_configs.push_back({{"s:1"}, {}, "", 1});
  job.file_sd_configs.push_back(
      {{(dir / "*.json").string(), (dir / "*.yml").string(), (dir / "none*.yml").string()}, 0, 1});
  JobTargetGroupsResult r = JobTargetGroups(job);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].targets[0], "s:1");
  EXPECT_EQ(r.groups[1].targets[0], "a:1");
  EXPECT_EQ(r.groups[1].source, (dir / "a.json").string());
  EXPECT_EQ(r.groups[2].targets[0], "b:1");
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "file \"" + (dir / "none*.yml").string() +
                            "\" for file_sd in scrape job \"j\" does not exist");
}

}  // namespace
}  // namespace promtool
