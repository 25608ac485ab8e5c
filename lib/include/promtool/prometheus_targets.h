// Targets and scrapes as a Prometheus configuration defines them: the targets of a job after
// target relabeling (URL, labels, HTTP client options), and scraping them with the job's
// honor_labels, metric_relabel_configs and limits, i.e. the series Prometheus would ingest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "promtool/convert.h"
#include "promtool/error.h"
#include "promtool/output.h"
#include "promtool/prometheus_config.h"
#include "promtool/relabel.h"
#include "promtool/relabel_test.h"
#include "promtool/scrape.h"

namespace promtool {

// One target of a job, built as Prometheus' scrape.PopulateLabels and Target.URL build it.
struct ScrapeTarget {
  std::string job;          // the job_name of its scrape config
  LabelSet discovered;      // before target relabeling: __address__, group labels, __meta_filepath,
                            // job, __scheme__, __metrics_path__, __scrape_interval__,
                            // __scrape_timeout__ and __param_<name> (defaults where unset)
  LabelSet labels;          // the target labels: after relabeling, without `__` labels; these
                            // are attached to every scraped series (instance defaults to
                            // __address__)
  std::string url;          // __scheme__://__address____metrics_path__?params and __param_*
  int64_t interval_ms = 0;  // from __scrape_interval__
  int64_t timeout_ms = 0;   // from __scrape_timeout__
  bool dropped = false;     // a target relabel rule dropped it (labels and url are empty)
  // Why the target is invalid (no address, a URL as address, a bad interval or timeout), in
  // Prometheus' wording; line is the line of its target group.
  ConfigError error;

  bool ok() const { return error.ok(); }
};

struct TargetsResult {
  std::vector<ScrapeTarget> targets;  // in config order: jobs, groups, targets
  std::vector<std::string> notes;     // e.g. a file_sd pattern that matched no file
  ConfigError error;                  // an unknown job, an unreadable or invalid file_sd file
  bool ok() const { return error.ok(); }
};

// The targets of every job of `config`, or of the job named `job` when it is not empty (an
// unknown job is an error that suggests the closest name).
TargetsResult TargetsFromConfig(const PrometheusConfig& config, std::string_view job = "");

// What relabeling as a job takes (`relabel --prometheus-config F --job J [URL]`): the job, its
// metric_relabel_configs compiled, and, when `url` is not empty, the job's target whose URL it
// is (so that a scrape of it is the scrape Prometheus makes of that target).
struct JobRelabel {
  const ScrapeJobConfig* job = nullptr;  // points into the config
  std::optional<RelabelRules> metric_rules;
  std::optional<ScrapeTarget> target;  // with a url
  // An unknown job (suggesting the closest name), a file_sd error, rules that do not compile,
  // or no valid target of the job having `url` (the message lists the job's target URLs,
  // redacted). Line 0 when the error is not in one place of the file.
  ConfigError error;
  bool ok() const { return error.ok(); }
};
JobRelabel ResolveJobRelabel(const PrometheusConfig& config, std::string_view job,
                             std::string_view url = "");

// The resolver of `prometheus_config: F` + `job: J` in relabel test files
// (RelabelTestOptions::resolve_job): reads the Prometheus configuration `config_path` and returns
// job J's metric_relabel_configs and the target labels attached before them: the labels every
// kept target of the job carries (with one target: all its labels, instance included; with
// several: those they share, such as job and common static labels; with none: job alone).
// Errors: InvalidArgument for a file that cannot be read or loaded ("FILE:LINE:COL: message")
// or whose targets cannot be built; NotFound for an unknown job (suggesting the closest name).
absl::StatusOr<RelabelTestJob> ResolveRelabelTestJob(const std::string& config_path,
                                                     const std::string& job);

// The scrape options of a target of `job`: its scrape protocols, fallback, compression, body
// size limit, timeout (the target's), authorization or basic auth (secret files are read now,
// relative to the config's directory), TLS, proxy and redirects. Errors name the field and the
// file, never a secret.
absl::StatusOr<ScrapeOptions> TargetScrapeOptions(const ScrapeJobConfig& job,
                                                  const ScrapeTarget& target);

struct JobScrapeOptions {
  OutputFormat to = OutputFormat::kText;
  Escaping escaping = Escaping::kAllowUtf8;
  bool diff = false;  // a before/after report instead of the series (see RelabelStream)
};

struct TargetScrapeResult {
  std::string url;  // redacted
  long status = 0;  // HTTP status; 0 when none was received
  InputFormat format = InputFormat::kText;
  uint64_t series = 0;            // series read
  uint64_t samples_ingested = 0;  // samples after metric relabeling
  uint64_t dropped = 0;           // series dropped by metric relabeling
  double seconds = 0;
  // Empty when the scrape succeeded. kIo: the request, the response or the transfer failed
  // (message as FetchResult::error); kLimit: a limit of the job was exceeded (sample_limit,
  // label_limit, ... after metric relabeling, or body_size_limit); otherwise the body's first
  // parse error (offsets into the body). Secrets are scrubbed from the message.
  Error error;                      // promtool::Error once error.h is renamed
  std::string line;                 // for a parse error: the body's line, scrubbed of secrets
  std::vector<std::string> losses;  // what the output format could not carry (warnings)

  bool ok() const { return error.ok(); }
};

// Scrapes one target of `job` as Prometheus would and writes the series it would ingest to
// `output`: the target's labels attached (honor_labels), the job's metric_relabel_configs
// (`metric_rules`, compiled from them) applied, honor_timestamps and the limits enforced.
TargetScrapeResult ScrapeJobTarget(const ScrapeJobConfig& job, const ScrapeTarget& target,
                                   const RelabelRules& metric_rules, Sink& output,
                                   const JobScrapeOptions& options);

// A target with its scrape's result and output (the series, or the diff report).
struct TargetScrape {
  ScrapeTarget target;
  TargetScrapeResult result;
  std::string output;
};

// Scrapes every valid, kept target of `targets` (from TargetsFromConfig on `config`), at most
// `parallel` at a time; results in the order of `targets` (invalid and dropped targets are left
// out). Each output is held in memory until its scrape is done (bounded by the job's
// body_size_limit and the output format).
std::vector<TargetScrape> ScrapeTargets(const PrometheusConfig& config,
                                        const std::vector<ScrapeTarget>& targets, unsigned parallel,
                                        const JobScrapeOptions& options);

}  // namespace promtool
