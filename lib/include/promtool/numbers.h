// Number syntax shared by parsers and writers: Go-compatible float and integer parsing, and
// shortest round-trip formatting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace promtool {

// Parses a sample value exactly as prometheus/common's text parser does (Go's
// strconv.ParseFloat, with 'p', 'P' and '_' refused): decimal with optional sign and exponent,
// "NaN"/"Inf"/"Infinity" in any case, a sign before Inf. Overflow is an error, underflow is 0.
[[nodiscard]] bool ParseGoFloat(std::string_view s, double* out);

// Go's strconv.ParseInt(s, 10, 64).
[[nodiscard]] bool ParseGoInt64(std::string_view s, int64_t* out);

// Appends the shortest text that reads back as `v`, in Go's strconv.FormatFloat(v, 'g', -1, 64)
// form, with "+Inf", "-Inf" and "NaN" as the text format writes them.
void AppendFloat(double v, std::string* out);

}  // namespace promtool
