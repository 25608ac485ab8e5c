// `promtool-cpp diff` maps options to promtool::Diff() and prints its result grouped by family
// (+ added, - removed, ~ changed), as JSON, or as summary counts.
#include "cmd_diff.h"

#include <cstdio>
#include <memory>

#include "diag.h"
#include "promtool/convert.h"
#include "promtool/diff.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "promtool/open.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool::cli {
namespace {

// How an input is named in the output: "-" is "<stdin>", a URL without its credentials.
std::string Shown(const std::string& path) {
  if (IsUrl(path)) return RedactUrl(path);
  return path == "-" ? "<stdin>" : path;
}

std::string Float(double v) {
  std::string s;
  AppendFloat(v, &s);
  return s;
}

struct Colors {
  const char* bold = "";
  const char* red = "";
  const char* green = "";
  const char* yellow = "";
  const char* reset = "";
};

// `name{a="1",le="0.5"}` for one series (and field) of a difference; no braces without labels.
std::string SeriesText(const Difference& d) {
  std::string out = Visible(d.family);
  const bool value_kind = d.kind == DiffKind::kValueChanged || d.kind == DiffKind::kCounterReset;
  if (value_kind && d.field == DiffField::kCount) out += "_count";
  if (value_kind && d.field == DiffField::kSum) out += "_sum";
  if (value_kind && d.field == DiffField::kBucket) out += "_bucket";
  std::string labels;
  for (const auto& [name, value] : d.labels) {
    if (!labels.empty()) labels += ',';
    labels += Visible(name);
    labels += "=\"";
    std::string escaped;
    AppendEscaped(value, EscapeSet::kLabelValue, &escaped);
    labels += Visible(escaped);
    labels += '"';
  }
  if (value_kind && (d.field == DiffField::kBucket || d.field == DiffField::kQuantile)) {
    if (!labels.empty()) labels += ',';
    labels += d.field == DiffField::kBucket ? "le=\"" : "quantile=\"";
    labels += Float(d.bound);
    labels += '"';
  }
  if (!labels.empty()) out += "{" + labels + "}";
  return out;
}

std::string Quoted(const std::string& s) {
  if (s.empty()) return "(none)";
  std::string out;
  AppendEscaped(s, EscapeSet::kLabelValue, &out);
  return "\"" + Visible(out) + "\"";
}

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += Visible(items[i]);
  }
  return out + "]";
}

std::string Timestamp(bool has, int64_t ms) { return has ? std::to_string(ms) : "(none)"; }

void PrintText(const DiffResult& r, const DiffCmd& cmd, const Colors& c) {
  std::printf("%s--- %s\n+++ %s%s\n", c.bold, Visible(Shown(cmd.old_input)).c_str(),
              Visible(Shown(cmd.new_input)).c_str(), c.reset);
  const std::string* family = nullptr;
  for (const Difference& d : r.differences) {
    if (d.kind == DiffKind::kFamilyAdded) {
      std::printf("%s+ %s (%llu series)%s\n", c.green, Visible(d.family).c_str(),
                  static_cast<unsigned long long>(d.series), c.reset);
      continue;
    }
    if (d.kind == DiffKind::kFamilyRemoved) {
      std::printf("%s- %s (%llu series)%s\n", c.red, Visible(d.family).c_str(),
                  static_cast<unsigned long long>(d.series), c.reset);
      continue;
    }
    if (family == nullptr || *family != d.family) {
      std::printf("%s~ %s%s\n", c.bold, Visible(d.family).c_str(), c.reset);
      family = &d.family;
    }
    switch (d.kind) {
      case DiffKind::kTypeChanged:
        std::printf("%s  ~ type: %s -> %s%s\n", c.yellow, d.old_text.c_str(), d.new_text.c_str(),
                    c.reset);
        break;
      case DiffKind::kUnitChanged:
        std::printf("%s  ~ unit: %s -> %s%s\n", c.yellow, Quoted(d.old_text).c_str(),
                    Quoted(d.new_text).c_str(), c.reset);
        break;
      case DiffKind::kHelpChanged:
        std::printf("%s  ~ help: %s -> %s%s\n", c.yellow, Quoted(d.old_text).c_str(),
                    Quoted(d.new_text).c_str(), c.reset);
        break;
      case DiffKind::kLabelNamesChanged:
        std::printf("%s  ~ label names: %s -> %s%s\n", c.yellow, List(d.old_items).c_str(),
                    List(d.new_items).c_str(), c.reset);
        break;
      case DiffKind::kBucketLayoutChanged:
        std::printf("%s  ~ buckets: %s -> %s%s\n", c.yellow, List(d.old_items).c_str(),
                    List(d.new_items).c_str(), c.reset);
        break;
      case DiffKind::kSeriesAdded:
        std::printf("%s  + %s%s\n", c.green, SeriesText(d).c_str(), c.reset);
        break;
      case DiffKind::kSeriesRemoved:
        std::printf("%s  - %s%s\n", c.red, SeriesText(d).c_str(), c.reset);
        break;
      case DiffKind::kValueChanged:
        std::printf("%s  ~ %s %s -> %s%s\n", c.yellow, SeriesText(d).c_str(),
                    Float(d.old_value).c_str(), Float(d.new_value).c_str(), c.reset);
        break;
      case DiffKind::kCounterReset:
        std::printf("%s  ~ %s %s -> %s (reset)%s\n", c.yellow, SeriesText(d).c_str(),
                    Float(d.old_value).c_str(), Float(d.new_value).c_str(), c.reset);
        break;
      case DiffKind::kTimestampChanged:
        std::printf("%s  ~ %s timestamp %s -> %s%s\n", c.yellow, SeriesText(d).c_str(),
                    Timestamp(d.has_old_timestamp, d.old_timestamp_ms).c_str(),
                    Timestamp(d.has_new_timestamp, d.new_timestamp_ms).c_str(), c.reset);
        break;
      default:
        break;
    }
  }
  const uint64_t kept = r.differences.size();
  if (kept < r.counts.total()) {
    std::printf("... %llu more differences not listed\n",
                static_cast<unsigned long long>(r.counts.total() - kept));
  }
}

// The summary counts, one per line.
void PrintStat(const DiffResult& r) {
  const DiffCounts& c = r.counts;
  auto line = [](const char* what, uint64_t n) {
    std::printf("%-24s %llu\n", what, static_cast<unsigned long long>(n));
  };
  std::printf("old: %llu families, %llu series\n", static_cast<unsigned long long>(c.old_families),
              static_cast<unsigned long long>(c.old_series));
  std::printf("new: %llu families, %llu series\n", static_cast<unsigned long long>(c.new_families),
              static_cast<unsigned long long>(c.new_series));
  line("families added", c.families_added);
  line("families removed", c.families_removed);
  line("families changed", c.families_changed);
  line("types changed", c.types_changed);
  line("units changed", c.units_changed);
  line("help texts changed", c.helps_changed);
  line("label names changed", c.label_names_changed);
  line("bucket layouts changed", c.bucket_layouts_changed);
  line("series added", c.series_added);
  line("series removed", c.series_removed);
  line("values changed", c.values_changed);
  line("counter resets", c.counter_resets);
  line("timestamps changed", c.timestamps_changed);
  line("differences", c.total());
}

// A JSON string (invalid UTF-8 bytes become U+FFFD, so the output is always valid JSON).
void JsonString(std::string_view s, std::string* out) {
  AppendJsonString(s, out, JsonStyle::kPlain);
}

void JsonList(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    JsonString(items[i], out);
  }
  out->push_back(']');
}

void JsonDifference(const Difference& d, std::string* out) {
  out->append("{\"family\":");
  JsonString(d.family, out);
  out->append(",\"kind\":");
  JsonString(DiffKindName(d.kind), out);
  switch (d.kind) {
    case DiffKind::kFamilyAdded:
    case DiffKind::kFamilyRemoved:
      out->append(",\"series\":" + std::to_string(d.series));
      break;
    case DiffKind::kTypeChanged:
    case DiffKind::kUnitChanged:
    case DiffKind::kHelpChanged:
      out->append(",\"old\":");
      JsonString(d.old_text, out);
      out->append(",\"new\":");
      JsonString(d.new_text, out);
      break;
    case DiffKind::kLabelNamesChanged:
    case DiffKind::kBucketLayoutChanged:
      out->append(",\"old\":");
      JsonList(d.old_items, out);
      out->append(",\"new\":");
      JsonList(d.new_items, out);
      break;
    default: {
      out->append(",\"labels\":{");
      bool first = true;
      for (const auto& [name, value] : d.labels) {
        if (!first) out->push_back(',');
        first = false;
        JsonString(name, out);
        out->push_back(':');
        JsonString(value, out);
      }
      out->push_back('}');
      if (d.kind == DiffKind::kValueChanged || d.kind == DiffKind::kCounterReset) {
        out->append(",\"field\":");
        JsonString(DiffFieldName(d.field), out);
        if (d.field == DiffField::kBucket) {
          out->append(",\"le\":");
          JsonString(Float(d.bound), out);
        } else if (d.field == DiffField::kQuantile) {
          out->append(",\"quantile\":");
          JsonString(Float(d.bound), out);
        }
        out->append(",\"old\":");
        JsonString(Float(d.old_value), out);
        out->append(",\"new\":");
        JsonString(Float(d.new_value), out);
      } else if (d.kind == DiffKind::kTimestampChanged) {
        out->append(",\"old\":");
        out->append(d.has_old_timestamp ? std::to_string(d.old_timestamp_ms) : "null");
        out->append(",\"new\":");
        out->append(d.has_new_timestamp ? std::to_string(d.new_timestamp_ms) : "null");
      }
      break;
    }
  }
  out->push_back('}');
}

void PrintJson(const DiffResult& r, const DiffCmd& cmd) {
  const DiffCounts& c = r.counts;
  std::string out = "{\n\"equal\": ";
  out += r.equal() ? "true" : "false";
  auto side = [&](const char* key, const std::string& path, InputFormat format, uint64_t families,
                  uint64_t series) {
    out += ",\n\"";
    out += key;
    out += "\": {\"input\":";
    JsonString(Shown(path), &out);
    out += ",\"format\":";
    JsonString(InputFormatName(format), &out);
    out +=
        ",\"families\":" + std::to_string(families) + ",\"series\":" + std::to_string(series) + "}";
  };
  side("old", cmd.old_input, r.old_format, c.old_families, c.old_series);
  side("new", cmd.new_input, r.new_format, c.new_families, c.new_series);
  out += ",\n\"counts\": {";
  const std::pair<const char*, uint64_t> counts[] = {
      {"families_added", c.families_added},
      {"families_removed", c.families_removed},
      {"families_changed", c.families_changed},
      {"types_changed", c.types_changed},
      {"units_changed", c.units_changed},
      {"helps_changed", c.helps_changed},
      {"label_names_changed", c.label_names_changed},
      {"bucket_layouts_changed", c.bucket_layouts_changed},
      {"series_added", c.series_added},
      {"series_removed", c.series_removed},
      {"values_changed", c.values_changed},
      {"counter_resets", c.counter_resets},
      {"timestamps_changed", c.timestamps_changed},
      {"total", c.total()},
  };
  bool first = true;
  for (const auto& [key, n] : counts) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += key;
    out += "\":" + std::to_string(n);
  }
  out += '}';
  if (!cmd.stat) {
    out += ",\n\"differences\": [";
    for (size_t i = 0; i < r.differences.size(); ++i) {
      out += i == 0 ? "\n" : ",\n";
      JsonDifference(r.differences[i], &out);
    }
    out += r.differences.empty() ? "]" : "\n]";
  }
  out += "\n}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

CLI::App* SetupDiff(CLI::App& app, DiffCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "diff",
      "Compare two metric payloads by families and series (not lines); exit 0 equal, 1 "
      "different, 2 on error.");
  sub->add_option("old", cmd.old_input, "The old payload ('-' reads stdin)")->required();
  sub->add_option("new", cmd.new_input, "The new payload ('-' reads stdin)")->required();
  sub->add_option("--from", cmd.from, "Input format of both payloads")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf", "openmetrics2"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Text input name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("--abs-tolerance", cmd.abs_tolerance,
                  "Values within this absolute difference are equal")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--rel-tolerance", cmd.rel_tolerance,
                  "Values within this fraction of the larger magnitude are equal")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--ignore-values", cmd.ignore_values,
                "Compare only the metric surface: families, metadata, series, buckets");
  sub->add_flag("--ignore-timestamps", cmd.ignore_timestamps, "Do not compare timestamps");
  sub->add_option("--ignore-metrics", cmd.ignore_metrics,
                  "Skip families whose name matches REGEX (RE2, unanchored; repeatable)")
      ->type_name("REGEX")
      ->allow_extra_args(false)  // one value per occurrence: never the OLD and NEW arguments
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--only", cmd.only,
                  "Compare only families whose name matches REGEX (RE2, unanchored; repeatable)")
      ->type_name("REGEX")
      ->allow_extra_args(false)  // one value per occurrence: never the OLD and NEW arguments
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--ignore-labels", cmd.ignore_labels,
                  "Drop these labels (comma-separated) from every series before comparing")
      ->type_name("NAMES")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--report,--output", cmd.output,
                  "Report mode: text (grouped by family) or json (--output=MODE: the older "
                  "spelling)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_flag("--stat", cmd.stat, "Print only the summary counts");
  AddScrapeFlags(sub, cmd.client, "HTTP client (for http(s):// inputs)");
  return sub;
}

int RunDiff(const DiffCmd& cmd) {
  if (cmd.old_input == "-" && cmd.new_input == "-") {
    std::fprintf(stderr, "diff: only one of OLD and NEW can be '-' (stdin)\n");
    return 2;
  }
  DiffOptions options;
  options.old_format = options.new_format = *ParseInputFormat(cmd.from);
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  options.abs_tolerance = cmd.abs_tolerance;
  options.rel_tolerance = cmd.rel_tolerance;
  options.ignore_values = cmd.ignore_values;
  options.ignore_timestamps = cmd.ignore_timestamps;
  options.ignore_metrics = cmd.ignore_metrics;
  options.only = cmd.only;
  for (const std::string& name : cmd.ignore_labels) {
    if (!name.empty()) options.ignore_labels.push_back(name);
  }
  if (cmd.stat) options.max_differences = 0;

  ScrapeOptions scrape;
  if (IsUrl(cmd.old_input) || IsUrl(cmd.new_input)) {
    if (absl::Status st = FillScrapeOptions(cmd.client, &scrape); !st.ok()) {
      std::fprintf(stderr, "diff: %s\n", std::string(st.message()).c_str());
      return ClientOptionsExitCode(st);
    }
    // A URL body may be hostile: what diff holds, and each reader's per-name state, are bounded
    // by the body's own limit (files given beside a URL included).
    if (scrape.body_size_limit > 0) {
      options.max_held_bytes = scrape.body_size_limit;
      options.text.max_name_table_bytes = scrape.body_size_limit / 2;
      options.text.max_family_bytes = scrape.body_size_limit / 2;
    }
  }
  // Each input is read as a stream even when it is a regular file, so that memory holds only a
  // window of each payload (a mapped file would stay resident while the other one is read).
  ReadOptions read;
  read.format = options.old_format;
  read.text = options.text;
  read.map_files = false;
  Input old_in = OpenInput(cmd.old_input, read, scrape);
  if (!old_in.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", Shown(cmd.old_input).c_str(),
                 old_in.error.message.c_str());
    return 2;
  }
  Input new_in = OpenInput(cmd.new_input, read, scrape);
  if (!new_in.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", Shown(cmd.new_input).c_str(),
                 new_in.error.message.c_str());
    return 2;
  }
  // A URL's body is parsed as its Content-Type says (unless --from names a format); a file's
  // format was detected.
  options.old_format = old_in.format;
  options.new_format = new_in.format;
  for (const Input* in : {&old_in, &new_in}) {
    if (in->url && in->announced_names == NameScheme::kUtf8) options.text.names = NameScheme::kUtf8;
  }
  // Index the smaller payload (memory follows the indexed side), when both sizes are known.
  options.index_new = old_in.size >= 0 && new_in.size >= 0 && new_in.size < old_in.size;
  DiffResult result = Diff(*old_in.source, *new_in.source, options);
  if (!result.ok() && result.error.code == ErrorCode::kLimit && !result.error.located()) {
    // What diff holds passed the bound of a URL input (DiffOptions::max_held_bytes).
    const std::string& path = result.error_input == 0 ? cmd.old_input : cmd.new_input;
    std::fprintf(stderr, "%s: error: %s\n", Shown(path).c_str(), result.error.message.c_str());
    return 2;
  }
  if (!result.ok() && !result.error.located()) {  // an option (kOption): nothing was read
    std::fprintf(stderr, "diff: %s\n", result.error.message.c_str());
    return 2;
  }
  if (!result.error.ok()) {
    Source& src = result.error_input == 0 ? *old_in.source : *new_in.source;
    const std::string& path = result.error_input == 0 ? cmd.old_input : cmd.new_input;
    Error error = result.error;
    // A fetched body may echo a credential: its line and the message are scrubbed.
    const std::string line = IsUrl(path) ? ScrubDiagnostic(src.LineAt(error.offset),
                                                           RequestSecrets(scrape, path), &error)
                                         : std::string(src.LineAt(error.offset));
    PrintDiagnostic(stderr, src.name(), error, line, UseColor(stderr));
    return 2;
  }
  if (cmd.output == "json") {
    PrintJson(result, cmd);
  } else if (cmd.stat) {
    PrintStat(result);
  } else if (!result.equal()) {
    Colors colors;
    if (UseColor(stdout)) colors = {"\033[1m", "\033[31m", "\033[32m", "\033[33m", "\033[0m"};
    PrintText(result, cmd, colors);
  }
  std::fflush(stdout);
  return result.equal() ? 0 : 1;
}

}  // namespace promtool::cli
