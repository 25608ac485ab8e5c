// `promtool-cpp check exporter`: maps options to exporter::CheckExporter() and renders the
// result as text, JSON, SARIF, JUnit or GitHub annotations.
#include "cmd_check_exporter.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cmd_targets.h"
#include "lint_output.h"
#include "promtool/exporter_check.h"
#include "promtool/output.h"
#include "promtool/prometheus_checks.h"
#include "promtool/scrape.h"
#include "promtool/table.h"
#include "usage.h"

namespace promtool::cli {
namespace {

using exporter::CheckInfo;
using exporter::ExporterCheckResult;
using exporter::Finding;
using exporter::Level;
using exporter::Outcome;

constexpr Level kLevels[] = {Level::kMust, Level::kShould, Level::kMay};

std::string Json(std::string_view s) { return JsonString(s); }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string Summary(const ExporterCheckResult& r) {
  std::string out;
  for (Level l : kLevels) {
    out += std::string(exporter::LevelName(l)) + ": " + std::to_string(r.Passed(l)) + "/" +
           std::to_string(r.Evaluated(l)) + " checks passed\n";
  }
  return out;
}

std::string FindingLine(const Finding& f) {
  std::string out = f.message;
  if (!f.family.empty()) out = f.family + ": " + out;
  if (f.count > 1) out += " (" + std::to_string(f.count) + " times)";
  return out;
}

std::string Text(const ExporterCheckResult& r) {
  std::string out;
  for (const std::string& target : r.targets) {
    out += "target " + target + "\n";
    std::vector<std::vector<std::string>> rows;
    rows.push_back(
        {"  request", "encoding", "status", "served", "bytes", "seconds", "Content-Type"});
    for (const exporter::Exchange& x : r.exchanges) {
      if (x.target != target) continue;
      rows.push_back({"  " + x.label, x.accept_encoding, std::to_string(x.status),
                      x.served.empty() ? "-" : x.served, std::to_string(x.bytes), Num(x.seconds),
                      x.error.empty() ? EscapeControls(x.content_type)
                                      : "error: " + EscapeControls(x.error.substr(0, 80))});
    }
    if (rows.size() > 1) out += TabwriterTable(rows);
    for (const exporter::Note& n : r.notes) {
      if (n.target == target) out += "  note: " + EscapeControls(n.message) + "\n";
    }
    size_t failed = 0;
    for (const Outcome& o : r.outcomes) failed += o.target == target && !o.passed();
    if (failed == 0) {
      out += "  all checks passed\n";
      continue;
    }
    for (const Finding& f : r.findings) {
      if (f.target != target) continue;
      const CheckInfo* info = exporter::FindCheck(f.check);
      out += "  " + std::string(exporter::LevelName(f.level)) + " " + f.check + ": " +
             EscapeControls(FindingLine(f)) + "\n";
      if (!f.request.empty()) out += "      request: " + EscapeControls(f.request) + "\n";
      if (!f.replay.empty()) out += "      replay: " + EscapeControls(f.replay) + "\n";
      if (info != nullptr && !f.check.starts_with("lint/")) {
        out +=
            "      spec: \"" + std::string(info->spec) + "\" (" + std::string(info->source) + ")\n";
        out += "      fix: " + std::string(info->hint) + "\n";
      }
    }
  }
  out += Summary(r);
  return out;
}

std::string JsonReport(const ExporterCheckResult& r, Level fail_on) {
  std::string out = "{\n  \"version\": 1,\n  \"tool\": \"promtool-cpp\",\n";
  out += "  \"command\": \"check exporter\",\n  \"targets\": [";
  for (size_t i = 0; i < r.targets.size(); ++i) out += (i ? ", " : "") + Json(r.targets[i]);
  out += "],\n  \"exchanges\": [";
  for (size_t i = 0; i < r.exchanges.size(); ++i) {
    const exporter::Exchange& x = r.exchanges[i];
    out += i ? ",\n    {" : "\n    {";
    out += "\"target\": " + Json(x.target) + ", \"request\": " + Json(x.label) +
           ", \"accept_encoding\": " + Json(x.accept_encoding) +
           ", \"status\": " + std::to_string(x.status) +
           ", \"content_type\": " + Json(x.content_type) +
           ", \"content_encoding\": " + Json(x.content_encoding) + ", \"vary\": " + Json(x.vary) +
           ", \"served\": " + Json(x.served) + ", \"required\": " + Json(x.required) +
           ", \"bytes\": " + std::to_string(x.bytes) + ", \"seconds\": " + Num(x.seconds) +
           ", \"error\": " + Json(x.error) + "}";
  }
  out += r.exchanges.empty() ? "],\n" : "\n  ],\n";
  out += "  \"checks\": [";
  for (size_t i = 0; i < r.outcomes.size(); ++i) {
    const Outcome& o = r.outcomes[i];
    out += i ? ",\n    {" : "\n    {";
    out += "\"id\": " + Json(o.check) + ", \"level\": " + Json(exporter::LevelName(o.level)) +
           ", \"target\": " + Json(o.target) + ", \"evaluated\": " + std::to_string(o.evaluated) +
           ", \"failed\": " + std::to_string(o.failed) +
           ", \"passed\": " + (o.passed() ? "true" : "false") + "}";
  }
  out += r.outcomes.empty() ? "],\n" : "\n  ],\n";
  out += "  \"findings\": [";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    const CheckInfo* info = exporter::FindCheck(f.check);
    out += i ? ",\n    {" : "\n    {";
    out += "\"check\": " + Json(f.check) + ", \"level\": " + Json(exporter::LevelName(f.level)) +
           ", \"target\": " + Json(f.target) + ", \"request\": " + Json(f.request) +
           ", \"family\": " + Json(f.family) + ", \"message\": " + Json(f.message) +
           ", \"count\": " + std::to_string(f.count);
    if (!f.replay.empty()) out += ", \"replay\": " + Json(f.replay);
    if (info != nullptr) {
      out += ", \"spec\": " + Json(info->spec) + ", \"source\": " + Json(info->source) +
             ", \"hint\": " + Json(info->hint);
    }
    out += ", \"fails\": " + std::string(f.level >= fail_on ? "true" : "false") + "}";
  }
  out += r.findings.empty() ? "],\n" : "\n  ],\n";
  out += "  \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); ++i) {
    out += (i ? ",\n    {" : "\n    {") + std::string("\"target\": ") + Json(r.notes[i].target) +
           ", \"message\": " + Json(r.notes[i].message) + "}";
  }
  out += r.notes.empty() ? "],\n" : "\n  ],\n";
  out += "  \"summary\": {";
  bool first = true;
  for (Level l : kLevels) {
    out += (first ? "" : ", ") + Json(exporter::LevelName(l)) +
           ": {\"passed\": " + std::to_string(r.Passed(l)) +
           ", \"evaluated\": " + std::to_string(r.Evaluated(l)) + "}";
    first = false;
  }
  out += "},\n  \"seconds\": " + Num(r.seconds) + "\n}\n";
  return out;
}

std::string_view SarifLevel(Level l) {
  return l == Level::kMust ? "error" : l == Level::kShould ? "warning" : "note";
}

std::string Sarif(const ExporterCheckResult& r) {
  std::vector<std::string> ids;
  std::map<std::string, size_t> index;
  for (const CheckInfo& c : exporter::Checks()) {
    index[std::string(c.id)] = ids.size();
    ids.push_back(std::string(c.id));
  }
  for (const Finding& f : r.findings) {
    if (!index.count(f.check)) {
      index[f.check] = ids.size();
      ids.push_back(f.check);
    }
  }
  std::string out =
      "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
      "          \"name\": \"promtool-cpp\",\n          \"version\": \"" PROMTOOL_VERSION
      "\",\n          \"rules\": [";
  for (size_t i = 0; i < ids.size(); ++i) {
    const CheckInfo* info = exporter::FindCheck(ids[i]);
    out += i ? ",\n            {" : "\n            {";
    out += "\"id\": " + Json(ids[i]) +
           ", \"shortDescription\": {\"text\": " + Json(info ? info->summary : "") +
           "}, \"help\": {\"text\": " + Json(info ? info->hint : "") +
           "}, \"defaultConfiguration\": {\"level\": " +
           Json(SarifLevel(info ? info->level : Level::kShould)) + "}}";
  }
  out += "\n          ]\n        }\n      },\n      \"results\": [";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    out += i ? ",\n        {" : "\n        {";
    out += "\"ruleId\": " + Json(f.check) + ", \"ruleIndex\": " + std::to_string(index[f.check]) +
           ", \"level\": " + Json(SarifLevel(f.level)) + ", \"message\": {\"text\": " +
           Json(FindingLine(f) + (f.request.empty() ? "" : " [" + f.request + "]")) +
           "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": " +
           Json(f.target) + "}}}]}";
  }
  out += r.findings.empty() ? "]\n" : "\n      ]\n";
  out += "    }\n  ]\n}\n";
  return out;
}

std::string Junit(const ExporterCheckResult& r) {
  std::string suites;
  size_t tests = 0, failures = 0;
  for (const std::string& target : r.targets) {
    std::string cases;
    size_t n = 0, failed = 0;
    for (const Outcome& o : r.outcomes) {
      if (o.target != target) continue;
      ++n;
      cases += "    <testcase classname=\"" + Xml(target) + "\" name=\"" + Xml(o.check) + " (" +
               std::string(exporter::LevelName(o.level)) + ")\"";
      if (o.passed()) {
        cases += "/>\n";
        continue;
      }
      ++failed;
      std::string detail;
      for (const Finding& f : r.findings) {
        if (f.target == target && f.check == o.check) {
          detail += FindingLine(f) + (f.request.empty() ? "" : " [" + f.request + "]") + "\n";
        }
      }
      cases += ">\n      <failure type=\"" + Xml(o.check) + "\" message=\"" +
               Xml(std::to_string(o.failed) + " of " + std::to_string(o.evaluated) +
                   " evaluations failed") +
               "\">" + Xml(detail) + "</failure>\n    </testcase>\n";
    }
    suites += "  <testsuite name=\"" + Xml(target) + "\" tests=\"" + std::to_string(n) +
              "\" failures=\"" + std::to_string(failed) + "\" errors=\"0\">\n" + cases +
              "  </testsuite>\n";
    tests += n;
    failures += failed;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"promtool-cpp check "
         "exporter\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\">\n" + suites + "</testsuites>\n";
}

std::string Github(const ExporterCheckResult& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += f.level == Level::kMust     ? "::error "
           : f.level == Level::kShould ? "::warning "
                                       : "::notice ";
    std::string title = GithubData(f.check);
    for (std::string_view bad : {",", ":"}) {
      for (size_t p = title.find(bad); p != std::string::npos; p = title.find(bad, p + 3)) {
        title.replace(p, 1, bad == "," ? "%2C" : "%3A");
      }
    }
    out += "title=" + title + "::" + GithubData(EscapeControls(f.target + ": " + FindingLine(f)));
    out += '\n';
  }
  return out;
}

}  // namespace

CLI::App* SetupCheckExporter(CLI::App& check, CheckExporterCmd& cmd) {
  CLI::App* app = check.add_subcommand(
      "exporter",
      "Check live exporters as Prometheus scrapes them: content negotiation for every scrape "
      "protocol, cross-format equivalence, repeated scrapes and request fuzzing (see "
      "docs/exporter-checks.md).");
  app->add_option("urls", cmd.urls, "http(s):// URLs of the exporters' metrics endpoints");
  AddHttpFlags(app, cmd.http, "HTTP client");
  CLI::Option* config =
      app->add_option("--prometheus-config", cmd.prometheus_config,
                      "Instead of URLs: check every target of this Prometheus configuration "
                      "with its job's auth, TLS, params and timeout; results named by job and "
                      "instance")
          ->group("Prometheus configuration");
  app->add_option("--job", cmd.job, "With --prometheus-config: only this job")
      ->needs(config)
      ->group("Prometheus configuration");
  // The configuration sets the client: the HTTP flags would contradict it.
  for (CLI::Option* o : app->get_options()) {
    if (o->get_group() == "HTTP client" && o->get_name() != "--body-size-limit" &&
        o->get_name() != "--sample-limit") {
      o->excludes(config);
    }
  }
  app->add_option("--body-size-limit", cmd.body_size_limit,
                  "Largest decompressed body (64MiB when unset); when set, checked as "
                  "scrape-limits")
      ->check(ByteSizeValidator())
      ->group("HTTP client");
  app->add_option("--sample-limit", cmd.sample_limit,
                  "Most samples a scrape may have (0: none); when set, checked as scrape-limits")
      ->group("HTTP client");
  const std::string group = "Checks";
  app->add_option("--scrapes", cmd.scrapes,
                  "Repeated scrapes for the over-time checks (2 or more enable them)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str()
      ->group(group);
  app->add_option("--interval", cmd.interval, "Time between the repeated scrapes")
      ->check(DurationValidator())
      ->capture_default_str()
      ->group(group);
  app->add_flag("--fuzz", cmd.fuzz, "Send odd requests (seeded, bounded by count and time)")
      ->group(group);
  app->add_option("--fuzz-count", cmd.fuzz_count, "Most fuzz requests")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str()
      ->group(group);
  app->add_option("--fuzz-time", cmd.fuzz_time, "Most time spent fuzzing")
      ->check(DurationValidator())
      ->capture_default_str()
      ->group(group);
  app->add_option("--seed", cmd.seed, "Seed of the fuzzer (the same seed sends the same requests)")
      ->capture_default_str()
      ->group(group);
  app->add_option("--replay", cmd.replay,
                  "Send the requests of this file (replay-v1 lines from a report) instead of "
                  "fuzzing")
      ->group(group);
  app->add_option("--tolerance", cmd.tolerance,
                  "Relative tolerance of cross-format value comparisons (default: exact)")
      ->check(CLI::Range(0.0, 1.0))
      ->group(group);
  app->add_option("--ignore-values", cmd.ignore_values,
                  "RE2 pattern of families whose values are not compared across formats; "
                  "repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  app->add_flag("--no-lint", cmd.no_lint, "Do not lint the served text body")->group(group);
  app->add_flag("--openmetrics2", cmd.openmetrics2,
                "Add OpenMetricsText2.0.0 (experimental) to the negotiation matrix")
      ->group(group);
  app->add_option("--fail-on", cmd.fail_on,
                  "Lowest level whose failure makes the exit code 3: must, should or may")
      ->check(CLI::IsMember({"must", "should", "may"}))
      ->capture_default_str()
      ->group("Report");
  app->add_option("--report", cmd.reports,
                  "Report mode: text (default), json, sarif, junit, github; MODE:FILE writes it "
                  "to FILE; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Report");
  return app;
}

int RunCheckExporter(const CheckExporterCmd& cmd) {
  auto usage = [](const std::string& message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    return 1;
  };
  struct Out {
    std::string mode, file;
  };
  std::vector<Out> outs;
  size_t on_stdout = 0;
  for (const std::string& spec : cmd.reports) {
    const size_t colon = spec.find(':');
    Out o{spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)};
    if (o.mode != "text" && o.mode != "json" && o.mode != "sarif" && o.mode != "junit" &&
        o.mode != "github") {
      return usage("--report: unknown mode \"" + o.mode + "\" (text, json, sarif, junit, github)");
    }
    if (colon != std::string::npos && o.file.empty())
      return usage("--report " + spec + ": no file");
    if (o.file == "-") o.file.clear();
    if (o.file.empty()) ++on_stdout;
    outs.push_back(o);
  }
  if (on_stdout > 1) {
    return usage(
        "two --report modes would write to stdout; send all but one to a file with "
        "--report=MODE:FILE");
  }
  if (outs.empty()) outs.push_back({"text", ""});

  exporter::ExporterCheckOptions o;
  if (absl::Status st = FillClientOptions(cmd.http, &o.client); !st.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  if (!cmd.body_size_limit.empty()) {
    o.client.body_size_limit = *ParseByteSize(cmd.body_size_limit);
    o.limits_given = true;
  }
  if (cmd.sample_limit > 0) {
    o.client.sample_limit = cmd.sample_limit;
    o.limits_given = true;
  }
  o.scrapes = cmd.scrapes;
  o.interval_seconds = *ParseDurationSeconds(cmd.interval);
  o.fuzz = cmd.fuzz;
  o.fuzz_count = cmd.fuzz_count;
  o.fuzz_seconds = *ParseDurationSeconds(cmd.fuzz_time);
  o.seed = cmd.seed;
  o.rel_tolerance = cmd.tolerance;
  o.ignore_values = cmd.ignore_values;
  o.lint = !cmd.no_lint;
  o.openmetrics2 = cmd.openmetrics2;
  if (!cmd.replay.empty()) {
    auto text = ReadFile(cmd.replay);
    if (!text.ok()) return usage(std::string(text.status().message()));
    auto requests = exporter::ParseReplay(*text, cmd.replay);
    if (!requests.ok()) return usage(std::string(requests.status().message()));
    o.replay = std::move(*requests);
  }
  const Level fail_on = *exporter::ParseLevel(cmd.fail_on);
  ExporterCheckResult r;
  if (!cmd.prometheus_config.empty()) {
    if (!cmd.urls.empty()) return usage("--prometheus-config checks its targets and takes no URLs");
    PrometheusConfig config;
    TargetsResult targets;
    if (!LoadPrometheusTargets(cmd.prometheus_config, cmd.job, &config, &targets)) return 1;
    bool invalid = false;
    for (const ScrapeTarget& t : targets.targets) {
      if (t.ok()) continue;
      std::fprintf(stderr, "%s: error: invalid target: %s\n", TargetResultName(t).c_str(),
                   t.error.message.c_str());
      invalid = true;
    }
    if (invalid) return 1;
    r = CheckTargetExporters(config, targets.targets, o);
  } else if (cmd.urls.empty()) {
    // As CLI11 words a missing required argument (URLs are required unless the targets come
    // from --prometheus-config).
    std::fprintf(stderr, "urls is required\nRun with --help for more information.\n");
    return 1;
  } else {
    r = exporter::CheckExporter(cmd.urls, o);
  }
  if (!r.ok()) return usage(r.error.message);

  bool failed_output = false;
  for (const Out& out : outs) {
    std::string text = out.mode == "json"     ? JsonReport(r, fail_on)
                       : out.mode == "sarif"  ? Sarif(r)
                       : out.mode == "junit"  ? Junit(r)
                       : out.mode == "github" ? Github(r)
                                              : Text(r);
    if (out.file.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      continue;
    }
    auto sink = AtomicFileSink::Create(out.file);
    absl::Status st = sink.ok() ? (*sink)->Write(text) : sink.status();
    if (st.ok()) st = (*sink)->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
      failed_output = true;
    }
  }
  if (failed_output) return 1;
  return r.FailsAt(fail_on) ? 3 : 0;
}

}  // namespace promtool::cli
