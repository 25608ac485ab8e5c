// Reading values out of the owning model the way client_golang does (float counts override
// integer ones, native-histogram detection), and Go's float formatting for writers.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "model/owned_family.h"
#include "promtool/numbers.h"

namespace promtool {

inline double CounterValue(const pb::Metric& m) { return m.counter().value(); }
inline double GaugeValue(const pb::Metric& m) { return m.gauge().value(); }
inline double UntypedValue(const pb::Metric& m) { return m.untyped().value(); }

// The one rule for a count that has an integer and a float field (buckets, sample counts): the
// float field when it is set and not a plain zero that the integer field contradicts
// (client_golang: the float overrides when it is > 0). Writers, lint and diff all read counts
// through it.
inline bool FloatCountWins(bool has_float, double f, uint64_t u) {
  return has_float && (f != 0 || u == 0);
}

// A bucket's cumulative count.
inline double BucketCount(const pb::Bucket& b) {
  if (FloatCountWins(b.has_cumulative_count_float(), b.cumulative_count_float(),
                     b.cumulative_count())) {
    return b.cumulative_count_float();
  }
  return static_cast<double>(b.cumulative_count());
}

inline bool HasHistogramCount(const pb::Histogram& h) {
  return h.has_sample_count() || h.has_sample_count_float();
}

inline double HistogramCount(const pb::Histogram& h) {
  if (FloatCountWins(h.has_sample_count_float(), h.sample_count_float(), h.sample_count())) {
    return h.sample_count_float();
  }
  return static_cast<double>(h.sample_count());
}

// A histogram with native-histogram data (schema, spans, zero bucket).
inline bool IsNativeHistogram(const pb::Histogram& h) {
  return h.has_schema() || h.has_zero_threshold() || h.has_zero_count() ||
         h.has_zero_count_float() || h.positive_span_size() > 0 || h.negative_span_size() > 0;
}

// Go's strconv.FormatFloat(v, 'g', -1, 64) as client_golang's writeFloat uses it, which writes
// negative zero as "0".
inline void AppendGoFloat(double v, std::string* out) {
  if (v == 0) {
    out->push_back('0');
    return;
  }
  // Small whole numbers (most counts and many values) print as integers in 'g' form.
  if (v > -1e6 && v < 1e6 && v == static_cast<double>(static_cast<int64_t>(v))) {
    char buf[24];
    char* p = buf + sizeof buf;
    int64_t i = static_cast<int64_t>(v);
    const bool neg = i < 0;
    uint64_t u = neg ? static_cast<uint64_t>(-i) : static_cast<uint64_t>(i);
    do {
      *--p = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (neg) *--p = '-';
    out->append(p, buf + sizeof buf - p);
    return;
  }
  AppendFloat(v, out);
}

}  // namespace promtool
