// `promtool-cpp check metrics`: a byte-compatible drop-in for `promtool check metrics`.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "check_lint.h"
#include "client_flags.h"

namespace promtool::cli {

struct CheckMetricsCmd {
  std::string extended;             // "" (off), "table" (bare --extended) or "json"
  std::string lint = "all";         // "none" disables linting; any other value means all rules
  std::string promtool = "3";       // compatibility profile: 3 or 2
  unsigned jobs = 1;                // threads for one text file (lint::CheckOptions::jobs)
  std::vector<std::string> inputs;  // files, '-', or http(s):// URLs (scraped first)
  ScrapeFlags client;               // for URL inputs
  LintFlags lint_flags;             // the CI options (check_lint.h)
  // Instead of inputs: lint what Prometheus would ingest from every target of this
  // configuration (or of `job`), `parallel` scrapes at a time.
  std::string prometheus_config;
  std::string job;
  unsigned parallel = 4;
};

// Adds `check` with its `metrics` subcommand; returns the `metrics` app. Usage errors of this
// command exit 1 (as promtool's), see CheckUsageExitCode().
CLI::App* SetupCheckMetrics(CLI::App& app, CheckMetricsCmd& cmd);
// Exit code: 0 clean, 3 lint problems, 1 parse, I/O or usage error.
int RunCheckMetrics(const CheckMetricsCmd& cmd);
// The exit code for a command-line error of `check`: 1.
constexpr int kCheckUsageExitCode = 1;

}  // namespace promtool::cli
