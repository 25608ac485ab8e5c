// `promtool-cpp relabel`: apply a list of Prometheus relabel configs to a metric payload.
#pragma once

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"

namespace promtool::cli {

struct RelabelCmd {
  std::string rules;  // --rules FILE: a YAML list of relabel configs
  std::string from = "auto";
  std::string to = "text";
  std::string names = "legacy";
  std::string validation = "utf8";
  std::string escaping = "allow-utf-8";
  bool diff = false;
  std::string trace;  // --trace SELECTOR: trace the rules on the matching sample lines
  uint64_t max_message_bytes = uint64_t{16} << 20;
  std::string input = "-";
  std::string prometheus_config;  // instead of --rules: the metric_relabel_configs of --job
  std::string job;
};

CLI::App* SetupRelabel(CLI::App& app, RelabelCmd& cmd);
// Exit code: 0 relabelled, 1 invalid rules or input, a series the rules would split, or I/O.
int RunRelabel(const RelabelCmd& cmd);

}  // namespace promtool::cli
