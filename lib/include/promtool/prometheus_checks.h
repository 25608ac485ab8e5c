// Checks of every target of a Prometheus configuration: linting what Prometheus would ingest
// from each target (`check metrics --prometheus-config`) and the exporter checks run with each
// job's client settings (`check exporter --prometheus-config`), each result named by job and
// instance.
#pragma once

#include <string>
#include <vector>

#include "promtool/exporter_check.h"
#include "promtool/lint_run.h"
#include "promtool/prometheus_config.h"
#include "promtool/prometheus_targets.h"

namespace promtool {

// The name a target's results carry in every report: job="J" instance="I" url="U" (the URL
// redacted), as `scrape --prometheus-config` heads each target's series.
std::string TargetResultName(const ScrapeTarget& target);

// One target linted.
struct TargetLint {
  ScrapeTarget target;
  std::string name;           // TargetResultName(target)
  TargetScrapeResult scrape;  // !scrape.ok(): the target could not be scraped or ingested
  // What Prometheus would ingest from the target (text format, target labels attached,
  // metric_relabel_configs applied): the lint's offsets, lines and columns point into it.
  std::string body;
  // The target's request secrets (credentials, password, URL userinfo): what is shown of `body`
  // must be scrubbed of them (ScrubSecrets, ScrubDiagnostic). Problem families and messages are
  // already scrubbed.
  std::vector<std::string> secrets;
  lint::SourceLintResult lint;  // set when scrape.ok()
};

// Scrapes every valid, kept target of `targets` (from TargetsFromConfig on `config`) as
// Prometheus would ingest it (ScrapeTargets: at most `parallel` at a time, each job's client
// settings, target labels, honor_labels, metric_relabel_configs and limits), then lints each
// ingested payload, as text, with `options` (its format is set to text). The lint sees the series
// after metric relabeling, so a series the job drops is never reported. Results in the order of
// `targets`; invalid and dropped targets are left out.
std::vector<TargetLint> LintTargets(const PrometheusConfig& config,
                                    const std::vector<ScrapeTarget>& targets, unsigned parallel,
                                    const lint::SourceLintOptions& options);

// Runs exporter::CheckExporter against every valid, kept target of `targets`, one target after
// the other, each with `options` whose client is replaced by the target's job settings
// (TargetScrapeOptions: authorization, basic auth, TLS, proxy, the target's scrape timeout and,
// unless options.limits_given, the job's body_size_limit). The results are merged in target
// order, and every target, exchange, outcome and finding is named TargetResultName(target)
// instead of the bare URL. error: a target whose client settings cannot be made (e.g. an
// unreadable credentials_file), naming the job; nothing is checked then.
exporter::ExporterCheckResult CheckTargetExporters(const PrometheusConfig& config,
                                                   const std::vector<ScrapeTarget>& targets,
                                                   const exporter::ExporterCheckOptions& options);

}  // namespace promtool
