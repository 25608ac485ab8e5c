// Unit tests of the config-driven operations: targets built as Prometheus builds them, their
// client options, and target labels, honor_labels and limits applied to a scraped payload.
#include "promtool/prometheus_targets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "promtool/relabel_stream.h"
#include "promtool/source.h"

namespace promtool {
namespace {

PrometheusConfig Load(const std::string& yaml, const std::string& name = "p.yml") {
  PrometheusConfigResult r = LoadPrometheusConfig(yaml, name);
  EXPECT_TRUE(r.ok()) << r.error.message;
  return r.config;
}

TEST(TargetsFromConfigTest, StaticTargetDefaults) {
  TargetsResult r = TargetsFromConfig(
      Load("global: {scrape_interval: 30s}\nscrape_configs:\n  - job_name: runner\n"
           "    static_configs: [{targets: ['runner:9252'], labels: {team: ci}}]\n"));
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.targets.size(), 1u);
  const ScrapeTarget& t = r.targets[0];
  EXPECT_EQ(t.url, "http://runner:9252/metrics");
  EXPECT_EQ(t.labels, (LabelSet{{"instance", "runner:9252"}, {"job", "runner"}, {"team", "ci"}}));
  EXPECT_EQ(t.discovered, (LabelSet{{"__address__", "runner:9252"},
                                    {"__metrics_path__", "/metrics"},
                                    {"__scheme__", "http"},
                                    {"__scrape_interval__", "30s"},
                                    {"__scrape_timeout__", "10s"},
                                    {"job", "runner"},
                                    {"team", "ci"}}));
  EXPECT_EQ(t.interval_ms, 30000);
  EXPECT_EQ(t.timeout_ms, 10000);
}

TEST(TargetsFromConfigTest, RelabelingSetsUrlParamsAndInternalLabels) {
  TargetsResult r = TargetsFromConfig(
      Load("scrape_configs:\n  - job_name: probe\n    metrics_path: /probe\n"
           "    params: {module: [http_2xx, x], b: ['1 2']}\n"
           "    static_configs: [{targets: ['https://site.example/a b']}]\n"
           "    relabel_configs:\n"
           "      - {source_labels: [__address__], target_label: __param_target}\n"
           "      - {source_labels: [__param_target], target_label: instance}\n"
           "      - {target_label: __address__, replacement: 'bb:9115'}\n"
           "      - {target_label: __scheme__, replacement: https}\n"
           "      - {target_label: __scrape_timeout__, replacement: 5s}\n"
           "      - {target_label: __tmp_x, replacement: gone}\n"));
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.targets.size(), 1u);
  const ScrapeTarget& t = r.targets[0];
  ASSERT_TRUE(t.ok()) << t.error.message;
  EXPECT_EQ(t.url,
            "https://bb:9115/probe?b=1+2&module=http_2xx&module=x&target=https%3A%2F%2Fsite."
            "example%2Fa+b");
  EXPECT_EQ(t.labels, (LabelSet{{"instance", "https://site.example/a b"}, {"job", "probe"}}));
  EXPECT_EQ(t.timeout_ms, 5000);
}

TEST(TargetsFromConfigTest, DroppedAndInvalidTargets) {
  const struct {
    const char* rules;
    bool dropped;
    const char* error;
  } kCases[] = {
      {"[{source_labels: [__address__], regex: 'a:1', action: drop}]", true, ""},
      {"[{target_label: __address__, replacement: ''}]", false, "no address"},
      {"[{target_label: __address__, replacement: 'http://x/y'}]", false,
       "\"http://x/y\" is not a valid hostname"},
      {"[{target_label: __scrape_interval__, replacement: '0'}]", false,
       "scrape interval cannot be 0"},
      {"[{target_label: __scrape_timeout__, replacement: 'ten'}]", false,
       "error parsing scrape timeout: not a valid duration string: \"ten\""},
      {"[{target_label: __scrape_timeout__, replacement: '2m'}]", false,
       "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"},
  };
  for (const auto& c : kCases) {
    TargetsResult r = TargetsFromConfig(
        Load(std::string("scrape_configs:\n  - job_name: j\n    static_configs: [{targets: "
                         "['a:1']}]\n    relabel_configs: ") +
             c.rules + "\n"));
    ASSERT_TRUE(r.ok()) << r.error.message;
    ASSERT_EQ(r.targets.size(), 1u) << c.rules;
    EXPECT_EQ(r.targets[0].dropped, c.dropped) << c.rules;
    EXPECT_EQ(r.targets[0].error.message, c.error) << c.rules;
    if (*c.error != '\0') {
      EXPECT_EQ(r.targets[0].error.kind, ConfigErrorKind::kInvalid);
      EXPECT_EQ(r.targets[0].error.file, "p.yml");
      EXPECT_EQ(r.targets[0].error.line, 3);
    }
  }
}

TEST(TargetsFromConfigTest, FileSdAddsMetaFilepathAndDropsMetaLabels) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("promtgt_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "t");
  std::ofstream(dir / "t" / "a.json") << "[{\"targets\": [\"a:1\", \"a:1\"], \"labels\": "
                                         "{\"__meta_x\": \"m\", \"job\": \"override\"}}]";
  TargetsResult r = TargetsFromConfig(
      Load("scrape_configs:\n  - job_name: f\n    file_sd_configs: [{files: [t/*.json]}]\n"
           "    relabel_configs:\n      - {source_labels: [__meta_filepath], target_label: src}\n",
           (dir / "p.yml").string()));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.targets.size(), 1u);  // the duplicate is scraped once
  EXPECT_EQ(r.targets[0].labels, (LabelSet{{"instance", "a:1"},
                                           {"job", "override"},
                                           {"src", (dir / "t" / "a.json").string()}}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "job \"f\": target http://a:1/metrics is discovered more than once; "
            "scraped once");
}

TEST(TargetsFromConfigTest, UnknownJobSuggestsTheClosest) {
  TargetsResult r = TargetsFromConfig(Load("scrape_configs:\n  - job_name: node\n"), "nod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.kind, ConfigErrorKind::kInvalid);
  EXPECT_EQ(r.error.message, "no scrape config with job name \"nod\"; did you mean \"node\"?");
}

constexpr char kTwoTargets[] =
    "scrape_configs:\n  - job_name: node\n"
    "    static_configs: [{targets: ['a:9100', 'b:9100']}]\n"
    "    metric_relabel_configs: [{source_labels: [__name__], regex: go_.*, action: drop}]\n";

TEST(ResolveJobRelabelTest, CompilesTheJobsMetricRules) {
  const PrometheusConfig config = Load(kTwoTargets);
  JobRelabel r = ResolveJobRelabel(config, "node");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_NE(r.job, nullptr);
  EXPECT_EQ(r.job->job_name, "node");
  ASSERT_TRUE(r.metric_rules.has_value());
  EXPECT_EQ(r.metric_rules->size(), 1u);
  EXPECT_FALSE(r.target.has_value());
}

TEST(ResolveJobRelabelTest, FindsTheTargetOfAUrl) {
  const PrometheusConfig config = Load(kTwoTargets);
  JobRelabel r = ResolveJobRelabel(config, "node", "http://b:9100/metrics");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_TRUE(r.target.has_value());
  EXPECT_EQ(r.target->labels, (LabelSet{{"instance", "b:9100"}, {"job", "node"}}));
}

TEST(ResolveJobRelabelTest, UnknownJobSuggestsTheClosest) {
  const PrometheusConfig config = Load(kTwoTargets);
  JobRelabel r = ResolveJobRelabel(config, "nod");
  EXPECT_EQ(r.error.kind, ConfigErrorKind::kInvalid);
  EXPECT_EQ(r.error.file, "p.yml");
  EXPECT_EQ(r.error.line, 0);
  EXPECT_EQ(r.error.message, "no scrape config with job name \"nod\"; did you mean \"node\"?");
}

TEST(ResolveJobRelabelTest, AUrlNoTargetHasListsTheTargets) {
  const PrometheusConfig config = Load(kTwoTargets);
  JobRelabel r = ResolveJobRelabel(config, "node", "http://u:secret@c:9100/metrics");
  EXPECT_EQ(r.error.kind, ConfigErrorKind::kInvalid);
  EXPECT_EQ(r.error.line, 0);
  EXPECT_EQ(r.error.message,
            "no target of job \"node\" has the URL http://u:xxxxx@c:9100/metrics; its targets:"
            "\n  http://a:9100/metrics\n  http://b:9100/metrics");
}

// A prometheus.yml in a fresh temporary folder, removed by the destructor.
class ResolveRelabelTestJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("resolve_job_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "prometheus.yml")
        << "scrape_configs:\n"
           "  - job_name: one\n"
           "    static_configs: [{targets: ['h:9100'], labels: {team: a}}]\n"
           "    metric_relabel_configs: [{source_labels: [__name__], regex: go_.*, action: "
           "drop}]\n"
           "  - job_name: two\n"
           "    static_configs: [{targets: ['a:1', 'b:1'], labels: {team: b}}]\n"
           "  - job_name: none\n"
           "    static_configs: [{targets: ['a:1']}]\n"
           "    relabel_configs: [{action: drop, regex: .*, source_labels: [__address__]}]\n";
    std::ofstream(dir_ / "bad.yml") << "scrape_configs:\n  - job_name: x\n    scrap: 1\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(ResolveRelabelTestJobTest, OneTargetGivesItsLabelsAndTheJobsRules) {
  auto r = ResolveRelabelTestJob(Path("prometheus.yml"), "one");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->configs.size(), 1u);
  EXPECT_EQ(r->configs[0].action, RelabelAction::kDrop);
  EXPECT_EQ(r->target_labels, (LabelSet{{"instance", "h:9100"}, {"job", "one"}, {"team", "a"}}));
}

TEST_F(ResolveRelabelTestJobTest, SeveralTargetsGiveTheLabelsTheyShare) {
  auto r = ResolveRelabelTestJob(Path("prometheus.yml"), "two");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->configs.empty());
  EXPECT_EQ(r->target_labels, (LabelSet{{"job", "two"}, {"team", "b"}}));
}

TEST_F(ResolveRelabelTestJobTest, NoKeptTargetGivesTheJobLabel) {
  auto r = ResolveRelabelTestJob(Path("prometheus.yml"), "none");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->target_labels, (LabelSet{{"job", "none"}}));
}

TEST_F(ResolveRelabelTestJobTest, UnknownJobIsNotFoundWithTheClosest) {
  auto r = ResolveRelabelTestJob(Path("prometheus.yml"), "tow");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no scrape config with job name \"tow\"; did you mean \"two\"?");
}

TEST_F(ResolveRelabelTestJobTest, AnInvalidConfigIsLocated) {
  auto r = ResolveRelabelTestJob(Path("bad.yml"), "x");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(r.status().message()).rfind(Path("bad.yml") + ":3:5: ", 0), 0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find("\"scrap\""), std::string_view::npos) << r.status();
}

TEST_F(ResolveRelabelTestJobTest, AMissingConfigIsInvalidArgument) {
  auto r = ResolveRelabelTestJob(Path("missing.yml"), "x");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("missing.yml"), std::string_view::npos) << r.status();
}

TEST_F(ResolveRelabelTestJobTest, RunsATestFileThroughTheLoader) {
  std::ofstream(dir_ / "t.yml") << "prometheus_config: prometheus.yml\njob: one\ntests:\n"
                                   "  - series:\n"
                                   "      - {input: 'up{job=\"x\"}', output: 'up{exported_job="
                                   "\"x\",instance=\"h:9100\",job=\"one\",team=\"a\"}'}\n"
                                   "      - {input: go_threads, dropped: true}\n";
  RelabelTestOptions options;
  options.resolve_job = ResolveRelabelTestJob;
  RelabelTestLoadResult loaded = LoadRelabelTestFile(Path("t.yml"), options);
  ASSERT_FALSE(loaded.error.has_value()) << loaded.error->message;
  RelabelTestRunResult run = RunRelabelTests(loaded.file);
  EXPECT_TRUE(run.passed());
  ASSERT_EQ(run.tests.size(), 1u);
  EXPECT_EQ(run.tests[0].series.size(), 2u);
}

TEST(TargetScrapeOptionsTest, ReadsSecretFilesAndJobSettings) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("promopt_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "token") << "  tok-en\n";
  PrometheusConfig config = Load(
      "scrape_configs:\n  - job_name: d\n    bearer_token_file: token\n"
      "    body_size_limit: 1KB\n    enable_compression: false\n    follow_redirects: false\n"
      "    scrape_protocols: [PrometheusText0.0.4]\n"
      "    fallback_scrape_protocol: PrometheusText0.0.4\n"
      "    static_configs: [{targets: ['d:1']}]\n"
      "  - job_name: b\n    basic_auth: {username: u, password_file: missing}\n"
      "    static_configs: [{targets: ['d:1']}]\n",
      (dir / "p.yml").string());
  TargetsResult targets = TargetsFromConfig(config);
  ASSERT_EQ(targets.targets.size(), 2u);
  auto o = TargetScrapeOptions(config.scrape_configs[0], targets.targets[0]);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->bearer_token, "tok-en");
  EXPECT_EQ(o->body_size_limit, 1024u);
  EXPECT_FALSE(o->compression);
  EXPECT_EQ(o->max_redirects, 0);
  EXPECT_EQ(o->timeout_seconds, 10);
  EXPECT_EQ(o->protocols, (std::vector<ScrapeProtocol>{ScrapeProtocol::kPrometheusText0_0_4}));
  EXPECT_EQ(o->fallback, ScrapeProtocol::kPrometheusText0_0_4);
  auto b = TargetScrapeOptions(config.scrape_configs[1], targets.targets[1]);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "basic_auth password_file: cannot read \"" +
                                      (dir / "missing").string() + "\": No such file or directory");
}

struct IngestCase {
  const char* name;
  const char* input;
  bool honor_labels;
  uint64_t sample_limit, label_limit, name_length_limit, value_length_limit;
  const char* output;
  const char* error;
};

class IngestTest : public testing::TestWithParam<IngestCase> {};

TEST_P(IngestTest, AttachesTargetLabelsAndAppliesLimits) {
  const IngestCase& c = GetParam();
  auto rules = RelabelRules::Compile({});
  ASSERT_TRUE(rules.ok());
  RelabelStreamOptions o;
  o.target_labels = {{"instance", "h:1"}, {"job", "j"}};
  o.honor_labels = c.honor_labels;
  o.sample_limit = c.sample_limit;
  o.label_limit = c.label_limit;
  o.label_name_length_limit = c.name_length_limit;
  o.label_value_length_limit = c.value_length_limit;
  auto source = StringSource(c.input);
  StringSink sink;
  RelabelStreamResult r = RelabelStream(*source, sink, *rules, o);
  EXPECT_EQ(r.error.message, c.error);
  EXPECT_EQ(r.error.code, *c.error != '\0' ? ErrorCode::kLimit : ErrorCode::kOk);
  if (*c.error == '\0') {
    EXPECT_EQ(sink.data, c.output);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IngestTest,
    testing::Values(
        IngestCase{"TargetLabelsAttached", "a 1\n", false, 0, 0, 0, 0,
                   "# TYPE a untyped\na{instance=\"h:1\",job=\"j\"} 1\n", ""},
        IngestCase{"ConflictsBecomeExported", "a{job=\"x\",exported_job=\"y\"} 1\n", false, 0, 0, 0,
                   0,
                   "# TYPE a untyped\na{exported_exported_job=\"x\",exported_job=\"y\","
                   "instance=\"h:1\",job=\"j\"} 1\n",
                   ""},
        IngestCase{"HonorLabelsKeepsExposed", "a{job=\"x\"} 1\n", true, 0, 0, 0, 0,
                   "# TYPE a untyped\na{instance=\"h:1\",job=\"x\"} 1\n", ""},
        IngestCase{"SampleLimitCountsHistogramLines",
                   "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", false, 2, 0,
                   0, 0, "",
                   "sample limit exceeded: more than 2 samples after metric relabeling "
                   "(sample_limit: 2); Prometheus fails the whole scrape"},
        IngestCase{"LabelLimitCountsNameAndTargetLabels", "a{b=\"1\"} 1\n", false, 0, 3, 0, 0, "",
                   "label_limit exceeded (metric: a, number of labels: 4, limit: 3)"},
        IngestCase{"LabelNameLength", "a{long_name=\"1\"} 1\n", false, 0, 0, 8, 0, "",
                   "label_name_length_limit exceeded (metric: a, label name: long_name, length: "
                   "9, limit: 8)"},
        IngestCase{"LabelValueLength", "a{b=\"12345\"} 1\n", false, 0, 0, 0, 4, "",
                   "label_value_length_limit exceeded (metric: a, label name: b, value: "
                   "\"12345\", length: 5, limit: 4)"}),
    [](const testing::TestParamInfo<IngestCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace promtool
