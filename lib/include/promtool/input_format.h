// The input formats and their detection: the model layer's answer to "what is this input?",
// used by every operation that reads (validate, lint, convert, fmt, diff, scrape limits).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "promtool/source.h"

namespace promtool {

// kOpenMetrics2: OpenMetrics 2.0.0-rc0 (experimental); only validation reads it so far.
enum class InputFormat : uint8_t { kAuto, kText, kOpenMetrics, kProtobuf, kOpenMetrics2 };

// "auto", "text", "openmetrics", "protobuf", "openmetrics2".
std::optional<InputFormat> ParseInputFormat(std::string_view name);
std::string_view InputFormatName(InputFormat format);

// The format of `source` judged from its first bytes (and its last bytes when the whole input
// is in the window; a stream is read ahead up to 1 MiB for that): delimited protobuf when it
// starts with a structurally valid MetricFamily record (judged by its length prefix, tags and
// field lengths, never by the bytes of a name or HELP), OpenMetrics when it ends with "# EOF"
// (OpenMetrics 2.0 when, besides, a sample line has a CompositeValue "{count:" or "{gcount:" as
// its value), else text. Never consumes input.
InputFormat DetectFormat(Source& source);

}  // namespace promtool
