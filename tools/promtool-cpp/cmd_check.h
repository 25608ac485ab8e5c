// `promtool-cpp check metrics`: a byte-compatible drop-in for `promtool check metrics`.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct CheckMetricsCmd {
  bool extended = false;
  std::string lint = "all";         // "none" disables linting; any other value means all rules
  std::vector<std::string> inputs;  // files, '-', or http(s):// URLs (scraped first)
  ScrapeFlags client;               // for URL inputs
};

// Adds `check` with its `metrics` subcommand; returns the `metrics` app. Usage errors of this
// command exit 1 (as promtool's), see CheckUsageExitCode().
CLI::App* SetupCheckMetrics(CLI::App& app, CheckMetricsCmd& cmd);
// Exit code: 0 clean, 3 lint problems, 1 parse, I/O or usage error.
int RunCheckMetrics(const CheckMetricsCmd& cmd);
// The exit code for a command-line error of `check`: 1.
constexpr int kCheckUsageExitCode = 1;

}  // namespace promtool::cli
