// `promtool-cpp validate`: maps options to promtool::Validate() and prints the outcome.
#include "cmd_validate.h"

#include <cstdio>

#include "diag.h"
#include "promtool/open.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "promtool/validate.h"
#include "usage.h"

namespace promtool::cli {

CLI::App* SetupValidate(CLI::App& app, ValidateCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "validate", "Check that metric payloads parse; report the first error of each input.");
  sub->add_option("--format", cmd.format,
                  "Input format; openmetrics2 is OpenMetrics 2.0.0-rc0 (experimental)")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Metric and label name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("--promtool", cmd.promtool,
                  "Text format parser to match: 3 (promtool 3.x, current expfmt) or 2 (promtool "
                  "2.42)")
      ->check(CLI::IsMember({"3", "2"}))
      ->capture_default_str();
  sub->add_flag("-q,--quiet", cmd.quiet, "Print nothing for valid inputs");
  sub->add_option("-j,--jobs", cmd.jobs,
                  "Threads for a text file (0: one per core); the result is the one-thread "
                  "result")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("inputs", cmd.inputs,
                  "Files or http(s):// URLs to validate; '-' or none reads stdin");
  AddScrapeFlags(sub, cmd.client, "HTTP client (URL inputs)");
  return sub;
}

int RunValidate(const ValidateCmd& cmd) {
  ValidateOptions options;
  options.format = *ParseInputFormat(cmd.format);
  options.jobs = cmd.jobs;
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  ParsePromtoolProfile(cmd.promtool, &options.text.profile);
  std::vector<std::string> inputs = cmd.inputs;
  if (inputs.empty()) inputs.push_back("-");
  const bool color = UseColor(stderr);
  int rc = 0;
  ScrapeOptions scrape;
  if (absl::Status st = FillScrapeOptions(cmd.client, &scrape); !st.ok()) {
    std::fprintf(stderr, "validate: %s\n", std::string(st.message()).c_str());
    return ClientOptionsExitCode(st);
  }
  for (const std::string& input : inputs) {
    // A URL body is validated while it arrives, in the format its Content-Type announced (unless
    // --format); with a sample or label limit it is downloaded whole and checked first (Validate
    // builds no families to count on): the rule of promtool/open.h.
    ReadOptions read;
    read.format = options.format;
    read.text = options.text;
    read.check_family_limits = true;
    Input in = OpenInput(input, read, scrape);
    if (!in.ok()) {
      std::fprintf(stderr, "%s: error: %s\n", in.name.c_str(), in.error.message.c_str());
      rc = 1;
      continue;
    }
    ValidateOptions one = options;
    one.format = in.format;
    one.text = in.options.text;
    Source& src = *in.source;
    ValidateResult result = Validate(src, one);
    // Warnings (OpenMetrics 2.0 exemplars dropped) come first, whatever the verdict.
    for (const Error& note : result.notes) {
      std::fprintf(stderr, "%s:%llu:%llu: warning: %s [%s]\n", src.name().c_str(),
                   static_cast<unsigned long long>(note.line),
                   static_cast<unsigned long long>(note.column), note.message.c_str(),
                   std::string(ErrorCodeId(note.code)).c_str());
    }
    if (result.notes_total > result.notes.size()) {
      std::fprintf(stderr, "%s: %llu more warnings not shown\n", src.name().c_str(),
                   static_cast<unsigned long long>(result.notes_total - result.notes.size()));
    }
    if (!result.error.ok() && in.url && !src.error().empty()) {
      // The transfer stopped (a limit, a timeout, the connection): not a problem of the payload.
      std::fprintf(stderr, "%s: error: %s\n", src.name().c_str(), src.error().c_str());
      rc = 1;
      continue;
    }
    if (!result.error.ok() && in.url) {
      // A fetched body may echo a credential: its line and the message are scrubbed.
      Error error = result.error;
      const std::string line =
          ScrubDiagnostic(src.LineAt(result.error.offset), RequestSecrets(scrape, input), &error);
      PrintDiagnostic(stderr, src.name(), error, line, color);
      rc = 1;
      continue;
    }
    if (!result.error.ok()) {
      PrintDiagnostic(stderr, src.name(), result.error, src.LineAt(result.error.offset), color);
      rc = 1;
      continue;
    }
    if (!cmd.quiet) {
      std::printf("%s: valid %s, %llu %s, %llu %s\n", src.name().c_str(),
                  std::string(InputFormatName(result.format)).c_str(),
                  static_cast<unsigned long long>(result.families),
                  result.families == 1 ? "family" : "families",
                  static_cast<unsigned long long>(result.samples),
                  result.samples == 1 ? "sample" : "samples");
      // Metadata without samples is counted apart: it is no family to promtool, expfmt or a
      // protobuf reader, but it is in the payload, so it is said rather than hidden.
      if (result.metadata_only_families > 0) {
        std::printf("%s: %llu %s with HELP/TYPE but no samples (not counted above)\n",
                    src.name().c_str(),
                    static_cast<unsigned long long>(result.metadata_only_families),
                    result.metadata_only_families == 1 ? "family" : "families");
      }
    }
  }
  return rc;
}

}  // namespace promtool::cli
