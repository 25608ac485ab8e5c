// A command that reads stdin from a terminal says so on stderr (issue 13.18): each command runs
// on a pseudo-terminal, must print the hint before it reads, and finishes after Ctrl-D.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

namespace {

struct TerminalRun {
  std::string output;  // stdout and stderr, both on the terminal
  int status = -1;
};

// Reads from `fd` until `want` appears in *out, the fd closes, or `deadline` passes.
void ReadUntil(int fd, const std::string& want, std::chrono::steady_clock::time_point deadline,
               std::string* out) {
  while (want.empty() || out->find(want) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;  // EIO once the child has exited
    out->append(buf, static_cast<size_t>(n));
  }
}

// Runs the CLI with `args` on a new terminal; once `hint` shows, types `input` and Ctrl-D.
TerminalRun RunOnTerminal(const std::vector<std::string>& args, const std::string& hint,
                          const std::string& input) {
  TerminalRun run;
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(PROMTOOL_CLI));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    setenv("NO_COLOR", "1", 1);
    execv(PROMTOOL_CLI, argv.data());
    _exit(127);
  }
  if (pid < 0) return run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  ReadUntil(master, hint, deadline, &run.output);
  if (run.output.find(hint) != std::string::npos) {
    const std::string typed = input + "\x04";
    if (write(master, typed.data(), typed.size()) < 0) {
      // the child is gone: its output says why
    }
  }
  ReadUntil(master, "", deadline, &run.output);
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);  // bounded: a command still waiting fails the test
    waitpid(pid, &status, 0);
  }
  close(master);
  run.status = status;
  return run;
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  std::string command;  // as the hint names it
};

class StdinHint : public testing::TestWithParam<Case> {};

TEST_P(StdinHint, PrintedBeforeReadingATerminal) {
  const Case& c = GetParam();
  const std::string hint =
      "promtool-cpp " + c.command + ": reading metrics from stdin (a terminal); end with Ctrl-D";
  TerminalRun run = RunOnTerminal(c.args, hint, "# TYPE a gauge\r# HELP a Help.\ra 1\r");
  EXPECT_NE(run.output.find(hint), std::string::npos) << run.output;
  ASSERT_TRUE(WIFEXITED(run.status)) << "still waiting on stdin after Ctrl-D:\n" << run.output;
}

INSTANTIATE_TEST_SUITE_P(
    Commands, StdinHint,
    testing::Values(Case{"validate", {"validate"}, "validate"},
                    Case{"validate_dash", {"validate", "-"}, "validate"},
                    Case{"check_metrics", {"check", "metrics"}, "check metrics"},
                    Case{"convert", {"convert", "--to=json"}, "convert"},
                    Case{"fmt", {"fmt"}, "fmt"},
                    Case{"diff",
                         {"diff", "-", PROMTOOL_SOURCE_DIR "/tests/cli/cases/diff_text/old.prom"},
                         "diff"},
                    Case{
                        "push", {"push", "http://127.0.0.1:9", "--job=j", "--timeout=2s"}, "push"}),
    [](const testing::TestParamInfo<Case>& param) { return param.param.name; });

TEST(StdinHint, NotPrintedForAFileOnATerminal) {
  TerminalRun run = RunOnTerminal(
      {"validate", PROMTOOL_SOURCE_DIR "/tests/cli/cases/diff_text/old.prom"}, "valid", "");
  EXPECT_EQ(run.output.find("reading metrics from stdin"), std::string::npos) << run.output;
  ASSERT_TRUE(WIFEXITED(run.status));
  EXPECT_EQ(WEXITSTATUS(run.status), 0) << run.output;
}

}  // namespace
