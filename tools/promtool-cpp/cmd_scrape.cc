// `promtool-cpp scrape` maps options to promtool::OpenScrape() and converts the body to the output
// while it arrives (promtool::ConvertScrape()); --targets runs Fetch() (streamed, counting only)
// on a bounded pool of threads.
#include "cmd_scrape.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "diag.h"
#include "output_target.h"
#include "promtool/convert.h"
#include "promtool/output.h"
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
      ->check(CLI::IsMember({"text", "openmetrics", "protobuf", "protobuf-text", "json"}))
      ->capture_default_str();
  sub->add_option("--escaping", cmd.escaping,
                  "Names that are not legacy names: allow-utf-8, underscores, dots, values, none")
      ->check(CLI::IsMember({"allow-utf-8", "underscores", "dots", "values", "none"}))
      ->capture_default_str();
  sub->add_flag("--strict", cmd.strict,
                "Fail instead of warning when the output format cannot carry something");
  sub->add_option("-o,--output", cmd.output,
                  "Write to FILE (replaced atomically, untouched on error) instead of stdout")
      ->check(OutputFileValidator({"text", "openmetrics", "protobuf", "protobuf-text", "json"}));
  AddScrapeFlags(sub, cmd.client, "HTTP client");
  return sub;
}

int RunScrape(const ScrapeCmd& cmd) {
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
    ParseError error = result.error;
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
