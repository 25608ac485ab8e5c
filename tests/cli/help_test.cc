// Help texts that must say the right thing whatever else the help lists: each row runs the CLI
// and looks for one line (the full help texts are not pinned, so new options do not break it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace {

// The CLI's stdout for `args` (a shell-quoted string), and its exit code.
std::string RunCli(const std::string& args, int* rc) {
  const std::string command = std::string(PROMTOOL_CLI) + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// The help line of `option` (up to the next option line).
std::string OptionHelp(const std::string& help, const std::string& option) {
  const size_t at = help.find("  " + option + " ");
  if (at == std::string::npos) return "";
  const size_t end = help.find("\n  -", at + 1);
  return help.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

struct Case {
  std::string name;
  std::string args;
  std::string option;
  std::string must_contain;
  std::string must_not_contain;
};

class HelpText : public testing::TestWithParam<Case> {};

TEST_P(HelpText, OptionLine) {
  const Case& c = GetParam();
  int rc = -1;
  const std::string help = RunCli(c.args, &rc);
  EXPECT_EQ(rc, 0);
  const std::string line = OptionHelp(help, c.option);
  ASSERT_FALSE(line.empty()) << c.option << " not in:\n" << help;
  EXPECT_NE(line.find(c.must_contain), std::string::npos) << line;
  if (!c.must_not_contain.empty()) {
    EXPECT_EQ(line.find(c.must_not_contain), std::string::npos) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Commands, HelpText,
    testing::Values(
        // A push is no scrape: its --timeout sends no scrape-timeout header.
        Case{"push_timeout", "push --help", "--timeout", "sending the payload",
             "X-Prometheus-Scrape-Timeout-Seconds"},
        Case{"scrape_timeout", "scrape --help", "--timeout", "X-Prometheus-Scrape-Timeout-Seconds",
             ""},
        // Output modes are --report (with --output as the older spelling); files are -o.
        Case{"check_metrics_report", "help check metrics", "--report,--output", "MODE:FILE", ""},
        Case{"diff_report", "help diff", "--report,--output", "json", ""},
        Case{"convert_output_file", "convert --help", "-o,--output", "Write to FILE", ""},
        Case{"scrape_output_file", "scrape --help", "-o,--output", "Write to FILE", ""}),
    [](const testing::TestParamInfo<Case>& param) { return param.param.name; });

// `help COMMAND` prints what `COMMAND --help` prints.
TEST(HelpText, HelpCommandEqualsHelpFlag) {
  for (const std::string command :
       {"validate", "diff", "check metrics", "check exporter", "scrape", "rules"}) {
    SCOPED_TRACE(command);
    int rc_word = -1, rc_flag = -1;
    const std::string word = RunCli("help " + command, &rc_word);
    const std::string flag = RunCli(command + " --help", &rc_flag);
    EXPECT_EQ(rc_word, 0);
    EXPECT_EQ(rc_flag, 0);
    EXPECT_FALSE(word.empty());
    EXPECT_EQ(word, flag);
  }
}

// Needs and Excludes are listed by name, whatever was set up before the command (only the
// command that runs is set up; `help` sets up all).
TEST(HelpText, ExcludesAreListedByName) {
  for (const std::string args : {"check metrics --help", "help check metrics", "scrape --help"}) {
    SCOPED_TRACE(args);
    int rc = -1;
    const std::string help = RunCli(args, &rc);
    EXPECT_EQ(rc, 0);
    const size_t at = help.find("--prometheus-config TEXT Excludes:");
    ASSERT_NE(at, std::string::npos);
    const size_t eol = help.find('\n', at);
    std::vector<std::string> names;
    size_t from = help.find("Excludes:", at) + 9;
    while (from < eol) {
      const size_t begin = help.find_first_not_of(' ', from);
      const size_t end = std::min(help.find(' ', begin), eol);
      names.push_back(help.substr(begin, end - begin));
      from = end;
    }
    ASSERT_GE(names.size(), 10u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(names.front(), "--basic-auth-password-file");
  }
}

}  // namespace
