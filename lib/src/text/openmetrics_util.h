// Small helpers of the OpenMetrics parser: ABNF numbers, UTF-8 checks and code point counts.
#pragma once

#include <cstddef>
#include <span>
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

}  // namespace promtool
