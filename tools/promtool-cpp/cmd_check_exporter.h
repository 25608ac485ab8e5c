// `promtool-cpp check exporter URL...`: black-box conformance checks of a live exporter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct CheckExporterCmd {
  std::vector<std::string> urls;
  HttpFlags http;
  std::string body_size_limit;  // empty: 64MiB, not checked as scrape-limits
  uint64_t sample_limit = 0;
  uint32_t scrapes = 1;
  std::string interval = "1s";
  bool fuzz = false;
  uint32_t fuzz_count = 30;
  std::string fuzz_time = "10s";
  uint64_t seed = 1;
  std::string replay;
  std::string fail_on = "must";
  std::vector<std::string> reports;  // MODE or MODE:FILE
  double tolerance = 0;
  std::vector<std::string> ignore_values;
  bool no_lint = false;
  bool openmetrics2 = false;  // OpenMetricsText2.0.0 in the matrix
  // Instead of URLs: every target of this Prometheus configuration (or of `job`), each checked
  // with its job's client settings (promtool::CheckTargetExporters).
  std::string prometheus_config;
  std::string job;
};

// Adds `exporter` under `check` (the app SetupCheckMetrics created).
CLI::App* SetupCheckExporter(CLI::App& check, CheckExporterCmd& cmd);
// Exit code: 0 when no check at or above --fail-on failed, 3 when one did, 1 on a usage, input
// or output error.
int RunCheckExporter(const CheckExporterCmd& cmd);

}  // namespace promtool::cli
