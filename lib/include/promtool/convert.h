// Conversion between the exposition formats, family by family: the library call behind
// `promtool-cpp convert` (and the output side of `fmt`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/output.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "promtool/validate.h"

namespace promtool {

enum class OutputFormat : uint8_t {
  kText,
  kOpenMetrics,
  kProtobuf,
  kProtobufText,
  kJson,
  kOpenMetrics2,  // OpenMetrics 2.0.0-rc0 (experimental)
};

// "text", "openmetrics", "protobuf", "protobuf-text", "json".
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
std::string_view OutputFormatName(OutputFormat format);

// How names that are not legacy names ([a-zA-Z_:][a-zA-Z0-9_:]*; label names without ':') are
// written: quoted as text format 1.0.0 does (allow-utf-8), rewritten by one of Prometheus'
// escaping schemes (underscores, dots, values; reported as losses), or refused (none).
// OpenMetrics 1.0 cannot quote names, so there allow-utf-8 refuses them as none does.
enum class Escaping : uint8_t { kAllowUtf8, kUnderscores, kDots, kValues, kNone };

// "allow-utf-8", "underscores", "dots", "values", "none".
std::optional<Escaping> ParseEscaping(std::string_view name);

struct ConvertOptions {
  InputFormat from = InputFormat::kAuto;
  OutputFormat to = OutputFormat::kText;
  TextOptions text;  // text input: name scheme and limits (max_name_table_bytes: OpenMetrics too)
  Escaping escaping = Escaping::kAllowUtf8;
  // Fail instead of warning when the output cannot carry something (exemplars in text 0.0.4,
  // native buckets, units, created timestamps, types, sub-millisecond timestamps, names).
  bool strict = false;
  uint64_t max_message_bytes = uint64_t{16} << 20;  // protobuf input: one record at most
};

struct ConvertResult {
  // The first failure: the input's first error (located), or, not located, the output refused a
  // family (kOutputFormat), --strict refused a loss (kStrict), a family check refused one
  // (kLimit, scrape limits) or the sink failed (kOutput). error.ok() when the input was read to
  // the end and written.
  Error error;
  InputFormat format = InputFormat::kText;  // the input format used (after detection)
  uint64_t families = 0;                    // families written
  // What the output could not carry, one line per family and kind (warnings; with strict, the
  // first one is also the error).
  std::vector<std::string> losses;

  bool ok() const { return error.ok(); }
};

// Reads `input` family by family and writes each to `output` in the requested format. Memory
// stays bounded by the largest family. On an input error the output holds the families before
// it; callers writing a file use AtomicFileSink and commit only when ok().
ConvertResult Convert(Source& input, Sink& output, const ConvertOptions& options);

}  // namespace promtool
