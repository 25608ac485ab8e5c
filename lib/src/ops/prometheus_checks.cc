// Linting and exporter checks of the targets of a Prometheus configuration: ScrapeTargets() and
// lint::LintSource() per target, exporter::CheckExporter() per target with its job's client.
#include "promtool/prometheus_checks.h"

#include <algorithm>
#include <utility>

#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool {

std::string TargetResultName(const ScrapeTarget& target) {
  std::string instance;
  for (const auto& [n, v] : target.labels) {
    if (n == "instance") instance = v;
  }
  std::string out = "job=";
  AppendJsonString(target.job, &out, JsonStyle::kPlain);
  out += " instance=";
  AppendJsonString(instance, &out, JsonStyle::kPlain);
  out += " url=";
  AppendJsonString(RedactUrl(target.url), &out, JsonStyle::kPlain);
  return out;
}

std::vector<TargetLint> LintTargets(const PrometheusConfig& config,
                                    const std::vector<ScrapeTarget>& targets, unsigned parallel,
                                    const lint::SourceLintOptions& options) {
  JobScrapeOptions scrape;
  scrape.to = OutputFormat::kText;
  std::vector<TargetScrape> scrapes = ScrapeTargets(config, targets, parallel, scrape);
  std::vector<TargetLint> out;
  out.reserve(scrapes.size());
  lint::SourceLintOptions lint_options = options;
  lint_options.format = InputFormat::kText;
  for (TargetScrape& s : scrapes) {
    TargetLint& t = out.emplace_back();
    t.name = TargetResultName(s.target);
    t.scrape = std::move(s.result);
    t.body = std::move(s.output);
    if (const ScrapeJobConfig* job = config.Job(s.target.job)) {
      auto client = TargetScrapeOptions(*job, s.target);
      if (client.ok()) t.secrets = RequestSecrets(*client, s.target.url);
    }
    t.target = std::move(s.target);
    if (!t.scrape.ok()) continue;
    // The source views `body` whole (a string source holds it): every problem is located.
    std::unique_ptr<Source> source = StringSource(t.body, t.name);
    t.lint = lint::LintSource(*source, lint_options);
    if (t.secrets.empty()) continue;
    for (lint::Problem& p : t.lint.problems) {
      p.family = ScrubSecrets(p.family, t.secrets);
      p.message = ScrubSecrets(p.message, t.secrets);
    }
    t.lint.error.message = ScrubSecrets(t.lint.error.message, t.secrets);
    t.lint.error.compat_message = ScrubSecrets(t.lint.error.compat_message, t.secrets);
  }
  return out;
}

exporter::ExporterCheckResult CheckTargetExporters(const PrometheusConfig& config,
                                                   const std::vector<ScrapeTarget>& targets,
                                                   const exporter::ExporterCheckOptions& options) {
  exporter::ExporterCheckResult merged;
  // Every client first: a target that cannot be contacted as its job says stops the run
  // before anything is sent.
  std::vector<std::pair<const ScrapeTarget*, exporter::ExporterCheckOptions>> runs;
  for (const ScrapeTarget& t : targets) {
    if (!t.ok() || t.dropped) continue;
    const ScrapeJobConfig* job = config.Job(t.job);
    if (job == nullptr) continue;  // not from this config: nothing to contact it with
    auto client = TargetScrapeOptions(*job, t);
    if (!client.ok()) {
      merged.error.code = ErrorCode::kIo;
      merged.error.message =
          StrCat("job \"", t.job, "\": ", std::string(client.status().message()));
      return merged;
    }
    exporter::ExporterCheckOptions o = options;
    const uint64_t body_size_limit = o.client.body_size_limit;
    const uint64_t sample_limit = o.client.sample_limit;
    o.client = *std::move(client);
    if (options.limits_given) {
      o.client.body_size_limit = body_size_limit;
      o.client.sample_limit = sample_limit;
    } else if (job->body_size_limit > 0) {
      o.limits_given = true;  // the job's limit is what Prometheus enforces: checked
    } else {
      o.client.body_size_limit = body_size_limit;  // the checker's own bound
    }
    runs.emplace_back(&t, std::move(o));
  }
  for (const auto& [target, o] : runs) {
    exporter::ExporterCheckResult r = exporter::CheckExporter({target->url}, o);
    if (!r.ok()) {
      merged.error = std::move(r.error);
      return merged;
    }
    const std::string name = TargetResultName(*target);
    merged.targets.push_back(name);
    for (exporter::Exchange& x : r.exchanges) {
      x.target = name;
      merged.exchanges.push_back(std::move(x));
    }
    for (exporter::Outcome& x : r.outcomes) {
      x.target = name;
      merged.outcomes.push_back(std::move(x));
    }
    for (exporter::Finding& x : r.findings) {
      x.target = name;
      merged.findings.push_back(std::move(x));
    }
    merged.seconds += r.seconds;
  }
  if (runs.empty()) {
    merged.error.code = ErrorCode::kOption;
    merged.error.message = "the configuration yields no target to check";
  }
  return merged;
}

}  // namespace promtool
