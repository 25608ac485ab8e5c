// Unit tests of the checks of a configuration's targets: result names, and the errors of
// linting and exporter-checking targets that cannot be contacted as their job says.
#include "promtool/prometheus_checks.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace promtool {
namespace {

PrometheusConfig Load(const std::string& yaml) {
  PrometheusConfigResult r = LoadPrometheusConfig(yaml, "/nonexistent-dir/p.yml");
  EXPECT_TRUE(r.ok()) << r.error.message;
  return r.config;
}

// A loopback port nothing listens on (bound, then closed).
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(TargetResultNameTest, NamesJobInstanceAndRedactedUrl) {
  ScrapeTarget t;
  t.job = "node";
  t.labels = {{"instance", "host:9100"}, {"job", "node"}};
  t.url = "http://user:secret@host:9100/metrics";
  EXPECT_EQ(TargetResultName(t),
            "job=\"node\" instance=\"host:9100\" url=\"http://user:xxxxx@host:9100/metrics\"");
}

TEST(LintTargetsTest, AnUnreachableTargetIsAScrapeErrorAndIsNotLinted) {
  const std::string address = "127.0.0.1:" + std::to_string(ClosedPort());
  const PrometheusConfig config =
      Load("scrape_configs:\n  - job_name: down\n    static_configs: [{targets: ['" + address +
           "']}]\n");
  TargetsResult targets = TargetsFromConfig(config);
  ASSERT_TRUE(targets.ok()) << targets.error.message;
  std::vector<TargetLint> r = LintTargets(config, targets.targets, 2, {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].name,
            "job=\"down\" instance=\"" + address + "\" url=\"http://" + address + "/metrics\"");
  EXPECT_EQ(r[0].scrape.error.code, ErrorCode::kNetwork);
  EXPECT_NE(r[0].scrape.error.message.find("Failed to connect"), std::string::npos)
      << r[0].scrape.error.message;
  EXPECT_TRUE(r[0].lint.problems.empty());
  EXPECT_TRUE(r[0].body.empty());
}

TEST(LintTargetsTest, DroppedAndInvalidTargetsAreLeftOut) {
  const PrometheusConfig config = Load(
      "scrape_configs:\n  - job_name: j\n    static_configs: [{targets: ['a:1', 'b:1']}]\n"
      "    relabel_configs: [{source_labels: [__address__], regex: 'a:1', action: drop}]\n");
  TargetsResult targets = TargetsFromConfig(config);
  ASSERT_TRUE(targets.ok()) << targets.error.message;
  ASSERT_EQ(targets.targets.size(), 2u);
  targets.targets[1].error.kind = ConfigErrorKind::kInvalid;  // as an invalid target would be
  EXPECT_TRUE(LintTargets(config, targets.targets, 1, {}).empty());
}

TEST(CheckTargetExportersTest, AnUnreadableCredentialsFileStopsBeforeAnyRequest) {
  const PrometheusConfig config = Load(
      "scrape_configs:\n  - job_name: drone\n"
      "    authorization: {credentials_file: token}\n"
      "    static_configs: [{targets: ['127.0.0.1:1']}]\n");
  TargetsResult targets = TargetsFromConfig(config);
  ASSERT_TRUE(targets.ok()) << targets.error.message;
  exporter::ExporterCheckResult r = CheckTargetExporters(config, targets.targets, {});
  EXPECT_EQ(r.error.code, ErrorCode::kIo);
  EXPECT_EQ(r.error.message,
            "job \"drone\": authorization credentials_file: cannot read "
            "\"/nonexistent-dir/token\": No such file or directory");
  EXPECT_TRUE(r.exchanges.empty());
}

TEST(CheckTargetExportersTest, NoTargetIsAnError) {
  const PrometheusConfig config = Load("scrape_configs:\n  - job_name: empty\n");
  exporter::ExporterCheckResult r = CheckTargetExporters(config, {}, {});
  EXPECT_EQ(r.error.code, ErrorCode::kOption);
  EXPECT_EQ(r.error.message, "the configuration yields no target to check");
}

}  // namespace
}  // namespace promtool
