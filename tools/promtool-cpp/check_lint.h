// The CI side of `check metrics`: many inputs of any format, output modes, rule selection, a
// config file, suppression and baselines. Used when any of its options is given (or a config
// file is found); otherwise `check metrics` stays promtool's drop-in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace promtool::cli {

struct CheckMetricsCmd;

struct LintFlags {
  std::vector<std::string> outputs;  // MODE or MODE:FILE, repeatable
  std::string input_format;          // auto|text|openmetrics|protobuf; empty: auto
  std::vector<std::string> enable;   // rule globs replacing the default selection
  std::vector<std::string> disable;  // rule globs removed
  std::string fail_on;               // info|warning|error
  std::string config;                // a config file; empty: look for .promtool-cpp.yml
  bool no_config = false;
  std::string baseline, write_baseline;
  bool prune_baseline = false;       // rewrite --baseline without its stale entries
  std::vector<std::string> exclude;  // path globs skipped by directory walks and globs
  uint64_t max_label_values = 0;     // 0: config or 1000
  size_t top = 0;                    // --extended: top N values per label
};

// Adds the options above to `check metrics`.
void AddLintFlags(CLI::App* metrics, LintFlags& flags);

// True when `cmd` needs the CI path (an option above, --extended=json, a directory or glob
// input, or a config file found from the working directory).
bool WantsLintMode(const CheckMetricsCmd& cmd);

// Runs the CI path. Exit code: 0 clean (or only problems below --fail-on), 3 problems at or
// above --fail-on, 1 an input, config, baseline or output error.
int RunCheckLint(const CheckMetricsCmd& cmd, bool extended);

}  // namespace promtool::cli
