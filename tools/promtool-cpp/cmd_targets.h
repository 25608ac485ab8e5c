// `promtool-cpp targets`: the targets of a Prometheus configuration as Prometheus builds them,
// and the loading of --prometheus-config shared by scrape and relabel.
#pragma once

#include <string>

#include "CLI/CLI.hpp"
#include "promtool/prometheus_config.h"

namespace promtool::cli {

struct TargetsCmd {
  std::string prometheus_config;
  std::string job;  // empty: every job
  std::string report = "text";
};

CLI::App* SetupTargets(CLI::App& app, TargetsCmd& cmd);
// Exit code: 0 every target valid, 1 an invalid config, file_sd file or target.
int RunTargets(const TargetsCmd& cmd);

// Reads and loads a --prometheus-config file into *config, printing its notes (as
// "FILE: note: ...") and any error ("FILE:LINE:COL: error: ..."). Returns false on an error.
bool LoadPrometheusConfigFile(const std::string& path, PrometheusConfig* config);
// Prints a configuration error as FILE:LINE:COL: error: MESSAGE.
void PrintConfigError(const ConfigError& error);

}  // namespace promtool::cli
