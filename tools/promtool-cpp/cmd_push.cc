// `promtool-cpp push` converts the input to delimited protobuf with promtool::Convert() and
// sends it with promtool::Push(); the gateway's error text is printed on failure.
#include "cmd_push.h"

#include <cstdio>

#include "diag.h"
#include "promtool/convert.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "usage.h"

namespace promtool::cli {

CLI::App* SetupPush(CLI::App& app, PushCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "push", "Push a payload to a Pushgateway (as delimited protobuf), or delete a group.");
  sub->add_option("url", cmd.url, "The Pushgateway's base URL (http:// or https://)")->required();
  sub->add_option("--job", cmd.job, "The job of the grouping key")->required();
  sub->add_option("--grouping", cmd.grouping,
                  "Another label of the grouping key, label=value (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--method", cmd.method,
                  "put replaces the group, post replaces only the pushed families, delete "
                  "deletes the group")
      ->check(CLI::IsMember({"put", "post", "delete"}))
      ->capture_default_str();
  sub->add_option("--from", cmd.from, "Input format")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Text input name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("input", cmd.input, "Input file; '-' or none reads stdin (not with delete)")
      ->capture_default_str();
  AddHttpFlags(sub, cmd.client, "HTTP client");
  // A push is no scrape: no X-Prometheus-Scrape-Timeout-Seconds header is sent.
  sub->get_option("--timeout")
      ->description(
          "Timeout of the whole request: connecting, sending the payload and reading the answer "
          "(Go duration: 10s, 500ms, 1m)");
  return sub;
}

int RunPush(const PushCmd& cmd) {
  ClientOptions options;
  if (absl::Status st = FillClientOptions(cmd.client, &options); !st.ok()) {
    std::fprintf(stderr, "push: %s\n", std::string(st.message()).c_str());
    return kUsageExitCode;
  }
  std::vector<std::pair<std::string, std::string>> grouping;
  for (const std::string& g : cmd.grouping) {
    size_t eq = g.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "push: --grouping wants label=value, got \"%s\"\n", g.c_str());
      return kUsageExitCode;
    }
    grouping.emplace_back(g.substr(0, eq), g.substr(eq + 1));
  }
  PushMethod method = cmd.method == "post"     ? PushMethod::kPost
                      : cmd.method == "delete" ? PushMethod::kDelete
                                               : PushMethod::kPut;
  StringSink body;
  if (method != PushMethod::kDelete) {
    auto source = OpenSource(cmd.input);
    if (!source.ok()) {
      std::fprintf(stderr, "%s: error: %s\n", cmd.input == "-" ? "<stdin>" : cmd.input.c_str(),
                   std::string(source.status().message()).c_str());
      return 1;
    }
    Source& src = **source;
    ConvertOptions convert;
    convert.from = *ParseInputFormat(cmd.from);
    convert.to = OutputFormat::kProtobuf;
    convert.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
    ConvertResult result = Convert(src, body, convert);
    if (!result.error.ok()) {
      PrintDiagnostic(stderr, src.name(), result.error, src.LineAt(result.error.offset),
                      UseColor(stderr));
      return 1;
    }
    if (!result.write_error.empty()) {
      std::fprintf(stderr, "%s: error: %s\n", src.name().c_str(), result.write_error.c_str());
      return 1;
    }
    for (const std::string& loss : result.losses) {
      std::fprintf(stderr, "%s: warning: %s\n", src.name().c_str(), loss.c_str());
    }
  }
  PushResult r = Push(cmd.url, cmd.job, grouping, method, body.data, options);
  if (r.ok()) return 0;
  if (r.status == 0) {
    std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(), r.error.c_str());
    return 1;
  }
  // The gateway explains a rejection in its body: print it whole.
  std::fprintf(stderr, "%s: error: the Pushgateway answered HTTP status %ld\n", r.url.c_str(),
               r.status);
  std::string text = r.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty()) std::fprintf(stderr, "%s\n", text.c_str());
  return 1;
}

}  // namespace promtool::cli
