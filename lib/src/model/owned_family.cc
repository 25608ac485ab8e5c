// The owning family model's helpers: wire types and the loss report.
#include "model/owned_family.h"

#include <cmath>

#include "common/strcat.h"

namespace promtool {

pb::MetricType WireType(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return pb::COUNTER;
    case MetricType::kGauge:
    case MetricType::kStateSet:
    case MetricType::kInfo:
      return pb::GAUGE;
    case MetricType::kSummary:
      return pb::SUMMARY;
    case MetricType::kHistogram:
      return pb::HISTOGRAM;
    case MetricType::kGaugeHistogram:
      return pb::GAUGE_HISTOGRAM;
    case MetricType::kUntyped:
    case MetricType::kUnknown:
      return pb::UNTYPED;
  }
  return pb::UNTYPED;
}

void LossReport::Add(std::string_view family, LossKind kind, uint64_t count) {
  Add(family, kind, count, {});
}

void LossReport::Add(std::string_view family, LossKind kind, uint64_t count,
                     std::string_view detail) {
  for (Entry& e : entries_) {
    if (e.kind == kind && e.family == family) {
      e.count += count;
      if (e.detail.empty()) e.detail.assign(detail);
      return;
    }
  }
  entries_.push_back(Entry{std::string(family), kind, count, std::string(detail)});
}

namespace {

// "<count> <what> <verb>" for one kind of loss.
std::string Describe(LossKind kind, uint64_t count, const std::string& detail) {
  const bool one = count == 1;
  std::string n = std::to_string(count);
  switch (kind) {
    case LossKind::kExemplar:
      return StrCat(n, one ? " exemplar dropped" : " exemplars dropped", " (",
                    detail.empty() ? std::string_view("the output format has no exemplars")
                                   : std::string_view(detail),
                    ")");
    case LossKind::kCreatedTimestamp:
      return StrCat(n, one ? " created timestamp dropped" : " created timestamps dropped", " (",
                    detail.empty() ? std::string_view("the output format has no created timestamps")
                                   : std::string_view(detail),
                    ")");
    case LossKind::kNativeHistogram:
      return StrCat(n, one ? " native histogram" : " native histograms",
                    " reduced to count and sum (the output format has no native buckets)");
    case LossKind::kUnit:
      return StrCat("unit dropped (", detail.empty() ? "the output format has no units" : detail,
                    ")");
    case LossKind::kType:
      return "type replaced by the nearest one the output format can carry";
    case LossKind::kTimestampPrecision:
      return StrCat(n, one ? " timestamp" : " timestamps",
                    " rounded to the millisecond (or clamped to the int64 millisecond range)");
    case LossKind::kNameEscaped:
      return StrCat(n, one ? " name" : " names", " rewritten by the escaping scheme");
    case LossKind::kSeriesDropped:
      return StrCat(n, " series not written (first: ", detail,
                    "; the output format's parser would reject the line)");
    case LossKind::kFamilyDropped:
      return StrCat("not written (", detail, ")");
    case LossKind::kHelpBlanks:
      return "leading blanks of the HELP text dropped (text 0.0.4 skips the blanks after the "
             "name)";
    case LossKind::kInvalidUtf8:
      return StrCat(n, one ? " string" : " strings",
                    " not valid UTF-8 (each invalid byte written as U+FFFD)");
  }
  return n;
}

}  // namespace

std::vector<std::string> LossReport::Lines() const {
  std::vector<std::string> lines;
  lines.reserve(entries_.size());
  for (const Entry& e : entries_) {
    lines.push_back(StrCat("family \"", e.family, "\": ", Describe(e.kind, e.count, e.detail)));
  }
  return lines;
}

uint64_t SeriesSamples(const pb::MetricFamily& family, const pb::Metric& m) {
  switch (family.type()) {
    case pb::SUMMARY:
      return static_cast<uint64_t>(m.summary().quantile_size()) + 2;
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM: {
      const pb::Histogram& h = m.histogram();
      if (h.bucket_size() > 0) {
        const bool has_inf = std::isinf(h.bucket(h.bucket_size() - 1).upper_bound());
        return static_cast<uint64_t>(h.bucket_size()) + (has_inf ? 0 : 1) + 2;
      }
      if (h.has_schema() || h.positive_span_size() > 0 || h.negative_span_size() > 0) return 1;
      return 2;
    }
    default:
      return 1;
  }
}

uint64_t PrometheusSamples(const OwnedFamily& family) {
  uint64_t n = 0;
  for (const pb::Metric& m : family.proto.metric()) n += SeriesSamples(family.proto, m);
  return n;
}

namespace model_cost {

Error TooLarge(std::string_view what, uint64_t offset, uint64_t limit) {
  Error e;
  e.code = ErrorCode::kLimit;
  e.offset = offset;
  e.message = StrCat(what, " would take more than ", limit,
                     " bytes in memory, the most that one family may take for a body (half of "
                     "--body-size-limit); raise --body-size-limit");
  e.compat_message = e.message;
  return e;
}

std::string BuiltTooLarge(std::string_view family, uint64_t built, int series, uint64_t limit) {
  return StrCat("family \"", family, "\" would take about ", built,
                " bytes in memory by this line (", series, " series), more than the ", limit,
                " that one family may take for a body (half of --body-size-limit); raise "
                "--body-size-limit");
}

}  // namespace model_cost

}  // namespace promtool
