// `promtool-cpp convert` maps options to promtool::Convert(); `promtool-cpp fmt` to
// promtool::Fmt() plus the --check/--diff/-w handling of its result.
#include "cmd_convert.h"

#include <unistd.h>

#include <cstdio>

#include "diag.h"
#include "output_target.h"
#include "promtool/convert.h"
#include "promtool/fmt.h"
#include "promtool/input.h"
#include "promtool/output.h"
#include "usage.h"

namespace promtool::cli {
namespace {

void PrintLosses(const std::vector<std::string>& losses, std::string_view input) {
  for (const std::string& line : losses) {
    std::fprintf(stderr, "%.*s: warning: %s\n", static_cast<int>(input.size()), input.data(),
                 line.c_str());
  }
}

// Compares the bytes written with `original` and passes them on to `next` (when given).
class CompareSink final : public Sink {
 public:
  CompareSink(std::string_view original, Sink* next) : original_(original), next_(next) {}
  absl::Status Write(std::string_view bytes) override {
    if (same_) {
      same_ =
          bytes.size() <= original_.size() - pos_ && original_.substr(pos_, bytes.size()) == bytes;
    }
    pos_ += bytes.size();
    return next_ != nullptr ? next_->Write(bytes) : absl::OkStatus();
  }
  // True when everything written equals `original`, to its end.
  bool same() const { return same_ && pos_ == original_.size(); }

 private:
  std::string_view original_;
  Sink* next_;
  size_t pos_ = 0;
  bool same_ = true;
};

}  // namespace

CLI::App* SetupConvert(CLI::App& app, ConvertCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "convert", "Convert a metric payload between text, OpenMetrics, protobuf and JSON.");
  sub->add_option("--from", cmd.from, "Input format")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--to", cmd.to, "Output format")
      ->check(CLI::IsMember(
          {"text", "openmetrics", "protobuf", "protobuf-text", "json", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Text input name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("--escaping", cmd.escaping,
                  "Names that are not legacy names: allow-utf-8 (quote them), underscores, dots, "
                  "values (rewrite them), none (refuse them)")
      ->check(CLI::IsMember({"allow-utf-8", "underscores", "dots", "values", "none"}))
      ->capture_default_str();
  sub->add_option("-o,--output", cmd.output,
                  "Write to FILE (replaced atomically, untouched on error) instead of stdout")
      ->check(OutputFileValidator(
          {"text", "openmetrics", "protobuf", "protobuf-text", "json", "openmetrics2"}));
  sub->add_flag("--strict", cmd.strict,
                "Fail instead of warning when the output format cannot carry something");
  sub->add_option("--max-message-bytes", cmd.max_message_bytes,
                  "Protobuf input: the largest MetricFamily record accepted")
      ->capture_default_str();
  sub->add_option("input", cmd.input, "Input file; '-' or none reads stdin")->capture_default_str();
  return sub;
}

int RunConvert(const ConvertCmd& cmd) {
  ConvertOptions options;
  options.from = *ParseInputFormat(cmd.from);
  options.to = *ParseOutputFormat(cmd.to);
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  options.escaping = *ParseEscaping(cmd.escaping);
  options.strict = cmd.strict;
  options.max_message_bytes = cmd.max_message_bytes;

  ReadOptions read;
  read.format = options.from;
  Input in = OpenInput(cmd.input, read);
  if (!in.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", in.name.c_str(), in.error.message.c_str());
    return 1;
  }
  options.from = in.format;
  Source& src = *in.source;
  std::unique_ptr<OutputTarget> out = OutputTarget::Open(cmd.output);
  if (out == nullptr) return 1;
  ConvertResult result = Convert(src, out->sink(), options);
  if (!result.ok()) {
    PrintError(stderr, src.name(), result.error, src.LineAt(result.error.offset), UseColor(stderr));
    out->Abandon();
    return 1;
  }
  PrintLosses(result.losses, src.name());
  return out->Commit() ? 0 : 1;
}

CLI::App* SetupFmt(CLI::App& app, FmtCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "fmt", "Rewrite metric payloads as canonical text (sorted, normalised), like gofmt.");
  sub->add_flag("--check", cmd.check, "List inputs that are not canonical; exit 1 if any");
  sub->add_flag("--diff", cmd.diff, "Print a unified diff to the canonical form; exit 1 if any");
  sub->add_flag("-w,--write", cmd.write,
                "Rewrite files in place (atomically; mode, owner and group kept; symlinks "
                "followed)");
  sub->add_flag("--force", cmd.force, "With -w: rewrite read-only files too");
  sub->add_option("--from", cmd.from, "Input format")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Text input name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("inputs", cmd.inputs, "Files to format; '-' or none reads stdin");
  return sub;
}

int RunFmt(const FmtCmd& cmd) {
  FmtOptions options;
  options.from = *ParseInputFormat(cmd.from);
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  std::vector<std::string> inputs = cmd.inputs;
  if (inputs.empty()) inputs.push_back("-");
  if (cmd.write && inputs.size() == 1 && inputs[0] == "-") {
    std::fprintf(stderr, "fmt: -w needs files to rewrite, not stdin\n");
    return 1;
  }
  FileOutputOptions file_options;
  file_options.replace_read_only = cmd.force;
  const bool compare = cmd.check || cmd.diff || cmd.write;
  int rc = 0;
  for (const std::string& input : inputs) {
    const std::string shown = input == "-" ? "<stdin>" : input;
    if (compare && input == "-") {
      std::fprintf(stderr, "fmt: --check, --diff and -w need files, not stdin\n");
      return 1;
    }
    ReadOptions read;
    read.format = options.from;
    Input in = OpenInput(input, read);
    if (!in.ok()) {
      std::fprintf(stderr, "%s: error: %s\n", in.name.c_str(), in.error.message.c_str());
      rc = 1;
      continue;
    }
    FmtOptions one = options;
    one.from = in.format;
    Source& src = *in.source;
    // A regular file is mapped: --check/--diff/-w compare the canonical text against the
    // mapping itself (Source::Whole(), no second copy). A stream (a FIFO) could not be read twice.
    const std::optional<std::string_view> whole = src.Whole();
    if (compare && !whole) {
      std::fprintf(stderr, "%s: error: --check, --diff and -w need a regular file\n",
                   shown.c_str());
      rc = 1;
      continue;
    }
    const std::string_view original = compare ? *whole : std::string_view();

    // Where the canonical text goes. Only --diff keeps it whole; otherwise it streams (to stdout,
    // to -w's temporary file, or only into the comparison), so fmt holds the parsed payload
    // and not its text as well.
    FmtResult result;
    bool changed = false;
    std::string text;                             // --diff only
    std::unique_ptr<AtomicFileSink> file;         // -w without --diff
    absl::Status file_status = absl::OkStatus();  // why -w cannot replace the file
    if (!compare) {
      std::fflush(stdout);
      std::unique_ptr<Sink> out = FdSink(STDOUT_FILENO, "<stdout>");
      result = Fmt(src, *out, one);
    } else if (cmd.diff) {
      result = Fmt(src, one);
      text = std::move(result.output);
      changed = text != original;
    } else {
      if (cmd.write) {
        auto created = AtomicFileSink::Create(input, file_options);
        if (created.ok()) {
          file = std::move(*created);
        } else {
          file_status = created.status();  // said below, and only if the file must change
        }
      }
      CompareSink cmp(original, file.get());
      result = Fmt(src, cmp, one);
      changed = !cmp.same();
    }
    if (!result.ok()) {
      PrintError(stderr, src.name(), result.error, src.LineAt(result.error.offset),
                 UseColor(stderr));
      rc = 1;
      continue;
    }
    PrintLosses(result.losses, shown);
    if (cmd.check && changed) {
      std::printf("%s\n", shown.c_str());
      if (!cmd.write) rc = 1;
    }
    if (cmd.diff && changed) {
      std::string d = UnifiedDiff(original, text, "a/" + input, "b/" + input);
      std::fwrite(d.data(), 1, d.size(), stdout);
      if (!cmd.write) rc = 1;
    }
    if (!cmd.write || !changed) continue;  // an unchanged file is not touched
    if (cmd.diff && file_status.ok()) {
      auto created = AtomicFileSink::Create(input, file_options);
      if (created.ok()) {
        file = std::move(*created);
        file_status = file->Write(text);
      } else {
        file_status = created.status();
      }
    }
    if (file_status.ok()) file_status = file->Commit();
    if (!file_status.ok()) {
      std::fprintf(stderr, "error: %s%s\n", std::string(file_status.message()).c_str(),
                   absl::IsPermissionDenied(file_status) ? " (fmt -w --force rewrites it)" : "");
      rc = 1;
    }
  }
  return rc;
}

}  // namespace promtool::cli
