// The OpenMetrics checks about meaning rather than syntax (per-type rules, exemplar placement,
// series identity and order, timestamps, MetricPoints, histograms), with the per-family and
// per-series state they keep across lines. Internal to the OpenMetrics parser.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "promtool/error.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"
#include "promtool/types.h"
#include "text/line_reader.h"

namespace promtool::text_internal {

// A sample the parser has read, as the checks see it. `role` and `bound` are the checks' to
// complete: a summary sample with a quantile becomes kQuantile, `bound` its le or quantile.
struct OmSample {
  OmFamily* family = nullptr;
  std::string_view name;
  std::span<const Label> labels;  // raw, as written, contiguous in the line
  OmRole role = OmRole::kValue;
  double bound = 0;
  double value = 0;
  bool has_timestamp = false;
  double timestamp = 0;
  bool has_exemplar = false;
};

class OmChecks {
 public:
  // Errors are recorded through `reader` (kError from every call that finds one).
  OmChecks(Source& source, LineReader& reader);

  // The family whose lines are being read, or nullptr.
  OmFamily* current() const { return state_.current; }
  // `family` starts (the previous one was finished with FinishFamily).
  void StartFamily(OmFamily* family);
  // The current family ends at `at` (the next family's first line, or '# EOF'): its last series
  // is checked and an incomplete series kept back (deferred) is reported.
  Entry FinishFamily(const char* at);
  // The rules for the sample `x` of the current family, read on the line at `line`; counts it
  // in its family. kSample when it passes, kError when not.
  Entry CheckSample(OmSample& x, const char* line);

 private:
  // Checks the series just ended. With `defer`, a missing +Inf bucket or a lone _sum/_count
  // is kept back (the series may continue after other series, which is then the error to
  // report) and reported when the family ends.
  Entry FinishSeries(const char* at, bool defer = false);
  Entry Fail(ErrorCode code, const char* at, std::string message);
  void SetSeriesText(std::string_view family, std::span<const Label> labels, std::string_view skip);
  // The current series for messages, clipped.
  std::string SeriesText() const;

  struct State {
    OmFamily* current = nullptr;  // the family whose lines are being read
    hash::Set series_seen;        // series of the current family
    // The current series.
    bool in_series = false;
    uint64_t series_hash = 0;
    std::string series_text;  // name and labels, unclipped (reused)
    bool uses_timestamps = false;
    double last_timestamp = 0;
    // The current MetricPoint of the current series.
    uint32_t roles_seen = 0;
    bool point_has_ts = false;
    double point_ts = 0;
    double last_le = 0;
    double last_bucket = 0;
    std::string last_le_text;
    bool has_buckets = false, has_inf = false, has_negative_le = false;
    double inf_value = 0;
    bool has_count = false, has_sum = false;
    double count_value = 0, sum_value = 0;
    std::vector<double> quantiles;
    // A series that ended incomplete (no +Inf bucket, _sum without _count): reported when its
    // family ends, unless the series turns out to continue later (interleaved series).
    bool pending = false;
    ErrorCode pending_code = ErrorCode::kOk;
    uint64_t pending_offset = 0;
    LineCol pending_position;  // located when deferred: a stream's window may move on
    std::string pending_message;
  };

  Source& source_;
  LineReader& reader_;
  State state_;
};

}  // namespace promtool::text_internal
