// `promtool-cpp rules`: lists the lint rules with their default severity and summary.
#pragma once

#include "CLI/CLI.hpp"

namespace promtool::cli {

struct RulesCmd {
  bool json = false;
};

CLI::App* SetupRules(CLI::App& app, RulesCmd& cmd);
int RunRules(const RulesCmd& cmd);

}  // namespace promtool::cli
