// `promtool-cpp validate`: checks that payloads parse, with compiler-style errors.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct ValidateCmd {
  std::string format = "auto";
  std::string names = "legacy";
  std::string promtool = "3";  // compatibility profile: 3 or 2
  bool quiet = false;
  unsigned jobs = 1;                // threads for one text file (ValidateOptions::jobs)
  std::vector<std::string> inputs;  // files, '-', or http(s):// URLs (scraped first)
  ScrapeFlags client;               // for URL inputs
};

CLI::App* SetupValidate(CLI::App& app, ValidateCmd& cmd);
// Exit code: 0 all valid, 1 an input is invalid or unreadable, 2 a bad option (usage.h).
int RunValidate(const ValidateCmd& cmd);

}  // namespace promtool::cli
