// `promtool-cpp convert` and `promtool-cpp fmt`: format conversion and canonical formatting.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace promtool::cli {

struct ConvertCmd {
  std::string from = "auto";
  std::string to = "text";
  std::string names = "legacy";
  std::string escaping = "allow-utf-8";
  std::string output;  // -o FILE; empty = stdout
  bool strict = false;
  uint64_t max_message_bytes = uint64_t{16} << 20;
  std::string input = "-";
};

CLI::App* SetupConvert(CLI::App& app, ConvertCmd& cmd);
// Exit code: 0 converted, 1 invalid input, refused output, loss under --strict or I/O error.
int RunConvert(const ConvertCmd& cmd);

struct FmtCmd {
  bool check = false;
  bool diff = false;
  bool write = false;
  bool force = false;  // -w: also replace read-only files
  std::string from = "auto";
  std::string names = "legacy";
  std::vector<std::string> inputs;
};

CLI::App* SetupFmt(CLI::App& app, FmtCmd& cmd);
// Exit code: 0 formatted (or, with --check/--diff, already canonical), 1 otherwise or on error.
int RunFmt(const FmtCmd& cmd);

}  // namespace promtool::cli
