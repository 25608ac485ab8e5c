// Small value types shared by the parsers and the family model.
#pragma once

#include <cstdint>
#include <string_view>

namespace promtool {

// Metric types. The first six values equal io.prometheus.client.MetricType.
enum class MetricType : uint8_t {
  kCounter = 0,
  kGauge = 1,
  kSummary = 2,
  kUntyped = 3,
  kHistogram = 4,
  kGaugeHistogram = 5,
  // OpenMetrics only.
  kStateSet = 6,
  kInfo = 7,
  kUnknown = 8,
};

// Lower-case name as written in text format 0.0.4 ("gauge_histogram") or OpenMetrics.
std::string_view MetricTypeName(MetricType type);

// Kinds of entries a pull parser returns. kEnd and kError are sticky.
enum class Entry : uint8_t {
  kHelp,
  kType,
  kUnit,
  kComment,
  kSample,
  kEof,  // OpenMetrics "# EOF"
  kEnd,
  kError,
};

// How metric and label names may be written.
enum class NameScheme : uint8_t {
  kLegacy,  // [a-zA-Z_:][a-zA-Z0-9_:]* metric names, [a-zA-Z_][a-zA-Z0-9_]* label names
  kUtf8,    // also quoted names: {"my.metric","label.x"="v"} 1, # TYPE "my.metric" counter
};

// A label as written: both parts are raw views into the input. `value` is still escaped
// (use Unescape() from escape.h); `name` is escaped only when `name_quoted` is set.
struct Label {
  std::string_view name;
  std::string_view value;
  bool name_quoted = false;
};

}  // namespace promtool
