// The family model: one metric family at a time, as views into the input.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "promtool/types.h"

namespace promtool {

struct OwnedFamily;  // the owning model of converters (private to the library)

struct Bucket {
  double upper_bound = 0;
  double cumulative_count = 0;
};

struct Quantile {
  double quantile = 0;
  double value = 0;
};

// One series (a label set) of a family. For histograms and summaries the _bucket, _sum, _count
// and quantile lines with the same labels (le and quantile aside) are merged into one series.
struct Series {
  // As written in the series' first line, without le (histograms) or quantile (summaries).
  std::span<const Label> labels;
  double value = 0;  // counter, gauge, untyped (and gauge_histogram lines in text 0.0.4)
  // Histograms and summaries.
  std::span<const Bucket> buckets;  // in input order
  std::span<const Quantile> quantiles;
  double sum = 0;
  double count = 0;
  bool has_sum = false;
  bool has_count = false;
  bool has_timestamp = false;
  int64_t timestamp_ms = 0;  // of the last line that carried one
  uint64_t offset = 0;       // absolute byte offset of the series' first line
  uint32_t lines = 0;        // sample lines merged into this series
};

// A metric family. Every view stays valid until the next FamilyReader::Next().
struct FamilyView {
  std::string_view name;
  std::string_view help;  // unescaped; empty when !has_help
  bool has_help = false;
  MetricType type = MetricType::kUntyped;
  bool type_declared = false;  // a TYPE line named the type (else untyped by default)
  std::string_view unit;
  std::span<const Series> series;
  uint64_t offset = 0;  // absolute offset of the family's first line (HELP, TYPE or sample)
  // True when this family already had series in an earlier view: the input interleaves
  // families, and promtool would have merged the two parts.
  bool continued = false;
  // Only from a FamilyReader with SetMaxPartSeries(n): this view carries the next series of the
  // family of the previous view, with nothing in between (a family of more than n series comes
  // as views of at most n series each, so it is never held whole).
  bool part = false;
  // Only with SetMaxPartSeries(n): more series of this family follow in the next view (this
  // view was delivered because it was full and the family goes on).
  bool more = false;
  // Set when the view was built from an OpenMetrics or protobuf family (the library's lint
  // bridge): series[i] is owned->proto.metric(i), for the rules that need fields a view does
  // not have (native histograms). nullptr for text input.
  const OwnedFamily* owned = nullptr;
};

}  // namespace promtool
