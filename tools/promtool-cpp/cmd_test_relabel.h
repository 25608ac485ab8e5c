// `promtool-cpp test relabel`: run relabel test files (rules, input series, expected series) for
// CI, with failures shown as expected-vs-got diffs and an optional JUnit report.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace promtool::cli {

struct TestRelabelCmd {
  std::vector<std::string> reports;  // --report MODE[:FILE]: promtool (default) or junit
  std::vector<std::string> files;
};

// Adds `test` with its `relabel` subcommand; returns the `relabel` app.
CLI::App* SetupTestRelabel(CLI::App& app, TestRelabelCmd& cmd);
// Exit code: 0 every test passed, 1 a test failed or a file is invalid, 2 usage error.
int RunTestRelabel(const TestRelabelCmd& cmd);

}  // namespace promtool::cli
