// `promtool-cpp scrape`: fetch a metrics endpoint as Prometheus would, validate it and write it
// in any format; with --targets, scrape many endpoints concurrently and report each.
#pragma once

#include <string>

#include "CLI/CLI.hpp"
#include "client_flags.h"

namespace promtool::cli {

struct ScrapeCmd {
  std::string url;
  std::string targets;  // FILE with one URL per line
  unsigned parallel = 4;
  std::string to = "text";
  std::string escaping = "allow-utf-8";
  bool strict = false;
  std::string output;             // -o FILE; empty = stdout
  std::string prometheus_config;  // scrape every target of this prometheus.yml
  std::string job;                // with prometheus_config: only this job
  ScrapeFlags client;
};

CLI::App* SetupScrape(CLI::App& app, ScrapeCmd& cmd);
// Exit code: 0 scraped (every target with --targets), 1 otherwise.
int RunScrape(const ScrapeCmd& cmd);

}  // namespace promtool::cli
