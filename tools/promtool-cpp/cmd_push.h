// `promtool-cpp push`: send a payload to a Pushgateway as delimited protobuf, or delete a group.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct PushCmd {
  std::string url;
  std::string job;
  std::vector<std::string> grouping;  // "label=value"
  std::string method = "put";
  std::string from = "auto";
  std::string names = "legacy";
  std::string input = "-";
  bool allow_empty = false;  // send a PUT/POST with no families (a PUT empties the group)
  HttpFlags client;
};

CLI::App* SetupPush(CLI::App& app, PushCmd& cmd);
// Exit code: 0 accepted, 1 rejected (the gateway's text is printed) or any other error.
int RunPush(const PushCmd& cmd);

}  // namespace promtool::cli
