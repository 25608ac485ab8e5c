// `promtool-cpp push` converts the input to delimited protobuf with promtool::Convert() and
// sends it with promtool::Push(); the gateway's error text is printed on failure.
#include "cmd_push.h"

#include <cstdio>
#include <string_view>

#include "diag.h"
#include "promtool/convert.h"
#include "promtool/input.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "usage.h"

namespace promtool::cli {
namespace {

// The gateway's answer for the terminal: control characters (terminal escapes included) escaped
// as \xNN, line breaks and tabs kept, cut after `max` bytes. Secrets are already scrubbed by
// Push().
std::string Printable(std::string_view text, size_t max) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > max) out += "... (" + std::to_string(text.size() - max) + " more bytes)";
  return out;
}

}  // namespace

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
  sub->add_flag("--allow-empty", cmd.allow_empty,
                "Push even when the input has no metric families (a PUT then empties the group)");
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
    return ClientOptionsExitCode(st);
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
    ReadOptions read;
    read.format = *ParseInputFormat(cmd.from);
    Input in = OpenInput(cmd.input, read);
    if (!in.ok()) {
      std::fprintf(stderr, "%s: error: %s\n", in.name.c_str(), in.error.message.c_str());
      return 1;
    }
    Source& src = *in.source;
    ConvertOptions convert;
    convert.from = in.format;
    convert.to = OutputFormat::kProtobuf;
    convert.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
    ConvertResult result = Convert(src, body, convert);
    if (!result.ok()) {
      PrintError(stderr, src.name(), result.error, src.LineAt(result.error.offset),
                 UseColor(stderr));
      return 1;
    }
    for (const std::string& loss : result.losses) {
      std::fprintf(stderr, "%s: warning: %s\n", src.name().c_str(), loss.c_str());
    }
  }
  if (method != PushMethod::kDelete && body.data.empty() && !cmd.allow_empty) {
    // A PUT without families replaces the group with nothing: on a real Pushgateway the group's
    // metrics are gone. An empty stdin (</dev/null, ^D) is far more often a mistake.
    std::fprintf(stderr,
                 "%s: error: the input has no metric families; pushing it would empty the group "
                 "(with PUT). Use --method=delete to delete the group, or --allow-empty to push "
                 "nothing on purpose\n",
                 cmd.input == "-" ? "<stdin>" : cmd.input.c_str());
    return 1;
  }
  PushResult r = Push(cmd.url, cmd.job, grouping, method, body.data, options);
  if (r.ok()) return 0;
  if (r.status == 0) {
    std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(), r.error.message.c_str());
    return 1;
  }
  // The gateway explains a rejection in its body: print it (scrubbed of secrets by Push(), its
  // control characters escaped, at most 4 KiB).
  std::fprintf(stderr, "%s: error: the Pushgateway answered HTTP status %ld\n", r.url.c_str(),
               r.status);
  std::string_view text = r.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (!text.empty()) std::fprintf(stderr, "%s\n", Printable(text, 4096).c_str());
  return 1;
}

}  // namespace promtool::cli
