// `promtool-cpp diff OLD NEW`: semantic diff of two metric payloads.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct DiffCmd {
  std::string old_input;
  std::string new_input;
  std::string from = "auto";
  std::string names = "legacy";
  double abs_tolerance = 0;
  double rel_tolerance = 0;
  bool ignore_values = false;
  bool ignore_timestamps = false;
  std::vector<std::string> ignore_metrics;
  std::vector<std::string> only;
  std::vector<std::string> ignore_labels;  // each may hold several, comma-separated
  std::string output = "text";
  bool stat = false;
  ScrapeFlags client;  // for http(s):// inputs
};

CLI::App* SetupDiff(CLI::App& app, DiffCmd& cmd);
// Exit code (as diff(1)): 0 equal, 1 different, 2 on error (parse error, unreadable input,
// invalid regular expression).
int RunDiff(const DiffCmd& cmd);

}  // namespace promtool::cli
