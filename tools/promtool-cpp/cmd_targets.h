// `promtool-cpp targets`: the targets of a Prometheus configuration as Prometheus builds them,
// and the loading of --prometheus-config shared by scrape, relabel and the check commands.
#pragma once

#include <string>

#include "CLI/CLI.hpp"
#include "promtool/prometheus_config.h"
#include "promtool/prometheus_targets.h"

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
// Loads the file as LoadPrometheusConfigFile does, then builds the targets of `job` (every job
// when empty), printing their notes and an error as PrintConfigError does. Returns false on an
// error (of the file or of the targets); *config and *targets hold the result otherwise.
bool LoadPrometheusTargets(const std::string& path, const std::string& job,
                           PrometheusConfig* config, TargetsResult* targets);
// Prints a configuration error as FILE:LINE:COL: error: MESSAGE.
void PrintConfigError(const ConfigError& error);

}  // namespace promtool::cli
