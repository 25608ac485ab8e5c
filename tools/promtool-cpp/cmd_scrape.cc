// `promtool-cpp scrape` maps options to promtool::OpenScrape() and converts the body to the output
// while it arrives (promtool::ConvertScrape()); --targets runs Fetch() (streamed, counting only)
// on a bounded pool of threads.
#include "cmd_scrape.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "cmd_targets.h"
#include "diag.h"
#include "output_target.h"
#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/prometheus_targets.h"
#include "promtool/scrape.h"
#include "promtool/scrape_convert.h"
#include "promtool/source.h"
#include "usage.h"

namespace promtool::cli {
namespace {

std::string TargetLine(const FetchResult& r) {
  std::string line = r.url + ": ";
  char buf[256];
  if (r.ok()) {
    std::snprintf(buf, sizeof buf, "ok (HTTP %ld, %s, %llu %s, %llu %s, %.3fs)", r.status,
                  std::string(InputFormatName(r.format.format)).c_str(),
                  static_cast<unsigned long long>(r.families),
                  r.families == 1 ? "family" : "families",
                  static_cast<unsigned long long>(r.samples), r.samples == 1 ? "sample" : "samples",
                  r.seconds);
    line += buf;
  } else {
    line += "error: ";
    if (r.status != 0 && r.error.message.rfind("HTTP status", 0) != 0) {
      std::snprintf(buf, sizeof buf, "HTTP %ld: ", r.status);
      line += buf;
    }
    line += r.error.message;
  }
  return line;
}

int ScrapeTargets(const ScrapeCmd& cmd, const ScrapeOptions& options) {
  auto data = ReadTargetsFile(cmd.targets);
  if (!data.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(data.status().message()).c_str());
    return 1;
  }
  std::vector<std::string> urls;
  size_t pos = 0;
  while (pos < data->size()) {
    size_t nl = data->find('\n', pos);
    if (nl == std::string::npos) nl = data->size();
    std::string line = data->substr(pos, nl - pos);
    pos = nl + 1;
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    urls.push_back(std::move(line));
  }
  if (!cmd.url.empty()) urls.insert(urls.begin(), cmd.url);
  std::vector<FetchResult> results(urls.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < urls.size();)
      results[i] = Fetch(urls[i], options, FetchBody::kStream);
  };
  const size_t threads = std::min<size_t>(std::max(1u, cmd.parallel), urls.size());
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  size_t failed = 0;
  for (const FetchResult& r : results) {
    failed += !r.ok();
    std::printf("%s\n", TargetLine(r).c_str());
  }
  std::printf("%zu %s: %zu ok, %zu failed\n", results.size(),
              results.size() == 1 ? "target" : "targets", results.size() - failed, failed);
  return failed == 0 ? 0 : 1;
}

std::string TargetName(const ScrapeTarget& t) {
  std::string instance;
  for (const auto& [n, v] : t.labels) {
    if (n == "instance") instance = v;
  }
  return "job=\"" + t.job + "\" instance=\"" + instance + "\"";
}

// --prometheus-config: every target of the config (or of --job), scraped as Prometheus ingests.
int ScrapeConfigTargets(const ScrapeCmd& cmd) {
  if (cmd.to != "text" || !cmd.url.empty() || !cmd.targets.empty()) {
    std::fprintf(stderr,
                 "scrape: --prometheus-config takes no URL or --targets and writes text only\n");
    return kUsageExitCode;
  }
  PrometheusConfig config;
  TargetsResult targets;
  if (!LoadPrometheusTargets(cmd.prometheus_config, cmd.job, &config, &targets)) return 1;
  size_t failed = 0;
  for (const ScrapeTarget& t : targets.targets) {
    if (!t.ok()) {
      ++failed;
      std::fprintf(stderr, "%s: error: invalid target: %s\n", t.job.c_str(),
                   t.error.message.c_str());
    }
  }
  JobScrapeOptions options;
  options.escaping = *ParseEscaping(cmd.escaping);
  std::vector<TargetScrape> scrapes = ScrapeTargets(config, targets.targets, cmd.parallel, options);
  std::unique_ptr<OutputTarget> out = OutputTarget::Open(cmd.output);
  if (out == nullptr) return 1;
  for (const TargetScrape& s : scrapes) {
    const TargetScrapeResult& r = s.result;
    char counts[160];
    std::snprintf(counts, sizeof counts, "%llu series, %llu samples ingested, %llu series dropped",
                  static_cast<unsigned long long>(r.series),
                  static_cast<unsigned long long>(r.samples_ingested),
                  static_cast<unsigned long long>(r.dropped));
    if (!r.ok()) {
      ++failed;
      if (!r.line.empty() || r.error.line > 0) {
        PrintDiagnostic(stderr, r.url, r.error, r.line, UseColor(stderr));
      } else {
        std::fprintf(stderr, "%s %s: error: %s\n", TargetName(s.target).c_str(), r.url.c_str(),
                     r.error.message.c_str());
      }
      continue;
    }
    for (const std::string& loss : r.losses) {
      std::fprintf(stderr, "%s: warning: %s\n", r.url.c_str(), loss.c_str());
    }
    const std::string header =
        "# " + TargetName(s.target) + " url=\"" + r.url + "\": " + counts + "\n";
    if (!out->sink().Write(header).ok() || !out->sink().Write(s.output).ok()) {
      out->Abandon();
      return 1;
    }
  }
  const size_t total = targets.targets.size();
  size_t dropped = 0;
  for (const ScrapeTarget& t : targets.targets) dropped += t.ok() && t.dropped;
  std::fprintf(stderr, "%zu %s: %zu ok, %zu failed, %zu dropped by relabeling\n", total,
               total == 1 ? "target" : "targets", total - failed - dropped, failed, dropped);
  if (!out->Commit()) return 1;
  return failed == 0 ? 0 : 1;
}

}  // namespace

CLI::App* SetupScrape(CLI::App& app, ScrapeCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "scrape",
      "Fetch a metrics endpoint as Prometheus does (content negotiation, compression, limits, "
      "auth, TLS), validate the payload and write it in any format.");
  sub->add_option("url", cmd.url, "The endpoint (http:// or https://)");
  sub->add_option("--targets", cmd.targets,
                  "Scrape every URL of FILE (one per line, # comments) and report each");
  sub->add_option("--parallel", cmd.parallel, "With --targets: scrapes at a time")
      ->capture_default_str();
  sub->add_option("--to", cmd.to, "Output format")
      ->check(CLI::IsMember(
          {"text", "openmetrics", "protobuf", "protobuf-text", "json", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--escaping", cmd.escaping,
                  "Names that are not legacy names: allow-utf-8, underscores, dots, values, none")
      ->check(CLI::IsMember({"allow-utf-8", "underscores", "dots", "values", "none"}))
      ->capture_default_str();
  sub->add_flag("--strict", cmd.strict,
                "Fail instead of warning when the output format cannot carry something");
  sub->add_option("-o,--output", cmd.output,
                  "Write to FILE (replaced atomically, untouched on error) instead of stdout")
      ->check(OutputFileValidator(
          {"text", "openmetrics", "protobuf", "protobuf-text", "json", "openmetrics2"}));
  CLI::Option* prometheus_config =
      sub->add_option("--prometheus-config", cmd.prometheus_config,
                      "Scrape every target of this Prometheus configuration as Prometheus would "
                      "(its auth, TLS, relabeling, honor_labels and limits); the HTTP client "
                      "options then come from the file")
          ->excludes("--targets");
  sub->add_option("--job", cmd.job, "With --prometheus-config: only this job");
  AddScrapeFlags(sub, cmd.client, "HTTP client");
  // The configuration sets the client (auth, TLS, limits): the flags would contradict it.
  for (CLI::Option* o : sub->get_options()) {
    if (o->get_group() == "HTTP client") o->excludes(prometheus_config);
  }
  return sub;
}

int RunScrape(const ScrapeCmd& cmd) {
  if (!cmd.prometheus_config.empty()) return ScrapeConfigTargets(cmd);
  if (!cmd.job.empty()) {
    std::fprintf(stderr, "scrape: --job needs --prometheus-config\n");
    return kUsageExitCode;
  }
  ScrapeOptions options;
  if (absl::Status st = FillScrapeOptions(cmd.client, &options); !st.ok()) {
    std::fprintf(stderr, "scrape: %s\n", std::string(st.message()).c_str());
    return ClientOptionsExitCode(st);
  }
  if (!cmd.targets.empty()) return ScrapeTargets(cmd, options);
  if (cmd.url.empty()) {
    std::fprintf(stderr, "scrape: a URL or --targets FILE is required\n");
    return kUsageExitCode;
  }
  // The body is converted while it arrives: memory stays bounded by the largest family.
  ScrapeResponse r = OpenScrape(cmd.url, options);
  if (!r.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(), r.error.message.c_str());
    return 1;
  }
  ConvertOptions convert;
  convert.from = r.format.format;
  convert.text.names = r.format.names;
  convert.to = *ParseOutputFormat(cmd.to);
  convert.escaping = *ParseEscaping(cmd.escaping);
  convert.strict = cmd.strict;
  Source& source = *r.body;
  std::unique_ptr<OutputTarget> out = OutputTarget::Open(cmd.output);
  if (out == nullptr) return 1;
  ConvertResult result = ConvertScrape(r, out->sink(), convert, options);
  if (!result.error.ok() && !source.error().empty()) {
    // The transfer stopped (a limit, a timeout, the connection): not a problem of the payload.
    std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(), source.error().c_str());
  } else if (result.error.located()) {
    // The body may echo a credential (a hostile or careless exporter): the line and message
    // are scrubbed before they are printed.
    Error error = result.error;
    const std::string line = ScrubDiagnostic(source.LineAt(result.error.offset),
                                             RequestSecrets(options, cmd.url), &error);
    PrintDiagnostic(stderr, r.url, error, line, UseColor(stderr));
  } else if (!result.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(),
                 ScrubSecrets(result.error.message, RequestSecrets(options, cmd.url)).c_str());
  }
  if (!result.ok()) {
    out->Abandon();
    return 1;
  }
  for (const std::string& loss : result.losses) {
    std::fprintf(stderr, "%s: warning: %s\n", r.url.c_str(),
                 ScrubSecrets(loss, RequestSecrets(options, cmd.url)).c_str());
  }
  return out->Commit() ? 0 : 1;
}

}  // namespace promtool::cli
