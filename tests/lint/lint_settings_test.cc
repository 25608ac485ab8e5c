// ResolveLintSettings(): the precedence of --enable/--disable/--fail-on/--max-label-values over
// the config file over the defaults, and the errors of a selection that cannot be right.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "promtool/lint_run.h"

namespace promtool::lint {
namespace {

// A config file with `yaml` in a fresh directory; removed with the object.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& yaml) {
    char dir[] = "/tmp/lint_settings_XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/.promtool-cpp.yml";
    std::ofstream(path_) << yaml;
  }
  ~ConfigFile() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, path_;
};

struct PrecedenceCase {
  const char* name;
  const char* config;  // "" = no config file
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::optional<Severity> fail_on;
  uint64_t max_label_values;
  // Expected.
  const char* rules;
  Severity want_fail_on;
  uint64_t want_max_label_values;
};

class Precedence : public testing::TestWithParam<PrecedenceCase> {};

TEST_P(Precedence, FlagsOverConfigOverDefaults) {
  const PrecedenceCase& c = GetParam();
  std::optional<ConfigFile> file;
  LintRequest request;
  request.enable = c.enable;
  request.disable = c.disable;
  request.fail_on = c.fail_on;
  request.max_label_values = c.max_label_values;
  if (*c.config != '\0') {
    file.emplace(c.config);
    request.config_path = file->path();
  } else {
    request.no_config = true;
  }
  auto settings = ResolveLintSettings(request);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->rules, c.rules);
  EXPECT_EQ(settings->fail_on, c.want_fail_on);
  EXPECT_EQ(settings->max_label_values, c.want_max_label_values);
  EXPECT_EQ(settings->config.has_value(), *c.config != '\0');
  const SourceLintOptions options = settings->SourceOptions();
  EXPECT_EQ(options.lint.rules, c.rules);
  EXPECT_EQ(options.lint.max_label_values, c.want_max_label_values);
  EXPECT_EQ(options.config, settings->config ? &*settings->config : nullptr);
}

const PrecedenceCase kPrecedence[] = {
    {"defaults", "", {}, {}, std::nullopt, 0, "default", Severity::kWarning, 1000},
    {"config_enable_replaces_default",
     "enable: '*'\nfail-on: error\nmax-label-values: 5\n",
     {},
     {},
     std::nullopt,
     0,
     "*",
     Severity::kError,
     5},
    {"flag_enable_replaces_config_enable",
     "enable: '*'\n",
     {"no-help", "camel-case-*"},
     {},
     std::nullopt,
     0,
     "no-help,camel-case-*",
     Severity::kWarning,
     1000},
    {"config_disable_then_flag_disable_are_removed",
     "disable: [no-help]\n",
     {},
     {"camel-case-label,camel-case-metric"},
     std::nullopt,
     0,
     "default,-no-help,-camel-case-label,-camel-case-metric",
     Severity::kWarning,
     1000},
    {"flag_thresholds_over_config",
     "fail-on: error\nmax-label-values: 5\n",
     {},
     {},
     Severity::kInfo,
     7,
     "default",
     Severity::kInfo,
     7},
};

INSTANTIATE_TEST_SUITE_P(Table, Precedence, testing::ValuesIn(kPrecedence),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(ResolveLintSettings, FindsTheConfigUpwardsUnlessNoConfig) {
  ConfigFile file("fail-on: info\n");
  std::filesystem::create_directories(file.dir() + "/a/b");
  LintRequest request;
  request.config_dir = file.dir() + "/a/b";
  auto settings = ResolveLintSettings(request);
  ASSERT_TRUE(settings.ok()) << settings.status();
  ASSERT_TRUE(settings->config.has_value());
  EXPECT_EQ(settings->config->path, file.path());
  EXPECT_EQ(settings->fail_on, Severity::kInfo);
  request.no_config = true;
  settings = ResolveLintSettings(request);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_FALSE(settings->config.has_value());
  EXPECT_EQ(settings->fail_on, Severity::kWarning);
}

TEST(ResolveLintSettings, RulesOffSkipsTheSelectionCheck) {
  LintRequest request;
  request.no_config = true;
  request.disable = {"*"};
  request.rules_off = true;
  auto settings = ResolveLintSettings(request);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->rules, "");
}

struct ErrorCase {
  const char* name;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  const char* config_path;  // "" = none
  const char* message;
};

class Errors : public testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, AreInvalidArgumentNamingTheCause) {
  const ErrorCase& c = GetParam();
  LintRequest request;
  request.enable = c.enable;
  request.disable = c.disable;
  request.config_path = c.config_path;
  request.no_config = *c.config_path == '\0';
  auto settings = ResolveLintSettings(request);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(settings.status().message()), c.message);
}

const ErrorCase kErrors[] = {
    {"selection_enables_nothing",
     {},
     {"*"},
     "",
     "the rule selection \"default,-*\" (--enable, --disable and the config file) enables no "
     "rule"},
    {"missing_config_file",
     {},
     {},
     "/nonexistent/.promtool-cpp.yml",
     "/nonexistent/.promtool-cpp.yml: No such file or directory"},
};

INSTANTIATE_TEST_SUITE_P(Table, Errors, testing::ValuesIn(kErrors),
                         [](const auto& p) { return std::string(p.param.name); });

// An unknown rule glob is the error of CheckRuleGlobs, naming the flag.
TEST(ResolveLintSettings, UnknownRuleNamesTheFlag) {
  LintRequest request;
  request.no_config = true;
  request.enable = {"no-hlep"};
  auto settings = ResolveLintSettings(request);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(settings.status().message(), CheckRuleGlobs("no-hlep", "--enable").message());
  EXPECT_NE(settings.status().message().find("--enable"), std::string::npos);
  request.enable.clear();
  request.disable = {"no-hlep"};
  settings = ResolveLintSettings(request);
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.status().message().find("--disable"), std::string::npos);
}

}  // namespace
}  // namespace promtool::lint
