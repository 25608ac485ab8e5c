// Small helpers of the OpenMetrics parser: ABNF numbers, UTF-8 checks and code point counts.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "promtool/types.h"

namespace promtool {

// Parses an OpenMetrics number: a decimal realnumber ([sign] digits [. digits] [e [sign]
// digits], with a digit on at least one side of the point), and, when `allow_special`,
// [sign] inf / infinity and nan in any case. No hex, no underscores. Overflow gives ±Inf.
[[nodiscard]] bool ParseOmNumber(std::string_view s, bool allow_special, double* out);

// The number of code points `s` stands for once unescaped: an escape pair (\\x) counts once.
size_t CodePoints(std::string_view s);

// The raw value of the first label named `name`, or empty.
std::string_view Find(std::span<const Label> labels, std::string_view name);

// The OpenMetrics spelling of a type ("gaugehistogram"; untyped is written "unknown"), from the
// parser's type table.
std::string_view OpenMetricsTypeName(MetricType type);
// The type a TYPE line's value names (exact, lower case), from the same table; nullopt when
// the value is no OpenMetrics type.
std::optional<MetricType> ParseOpenMetricsType(std::string_view value);

// A byte at `p` (before `end`) as messages show it: "a space", "a tab", "a carriage return",
// Go's %q of the byte otherwise, and "the end of the line" at `end`.
std::string ShownAt(const char* p, const char* end);

}  // namespace promtool
