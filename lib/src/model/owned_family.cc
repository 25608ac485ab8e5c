// The owning family model's helpers: wire types and the loss report.
#include "model/owned_family.h"

#include <cmath>

#include "common/strcat.h"
#include "promtool/escape.h"

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

void FillFromView(const FamilyView& view, OwnedFamily* family, std::string* scratch,
                  LossReport* losses) {
  family->Clear();
  pb::MetricFamily& mf = family->proto;
  family->offset = view.offset;
  family->continued = view.continued;
  family->part = view.part;
  family->more = view.more;
  family->utf8_checked = true;  // the text parser validated every label name and value
  mf.set_name(view.name.data(), view.name.size());
  if (view.has_help) mf.set_help(view.help.data(), view.help.size());
  MetricType type = view.type;
  if (type == MetricType::kGaugeHistogram) {
    // Text 0.0.4 has no gauge histogram layout: promtool reads its lines as plain samples.
    if (losses != nullptr) losses->Add(view.name, LossKind::kType);
    type = MetricType::kUntyped;
  }
  family->type = type;
  mf.set_type(WireType(type));
  for (const Series& s : view.series) {
    pb::Metric* m = mf.add_metric();
    for (const Label& l : s.labels) {
      pb::LabelPair* pair = m->add_label();
      if (l.name_quoted) {
        pair->set_name(std::string(Unescape(l.name, scratch)));
      } else {
        pair->set_name(l.name.data(), l.name.size());
      }
      const std::string_view value = Unescape(l.value, scratch);
      pair->set_value(value.data(), value.size());
    }
    if (s.has_timestamp) m->set_timestamp_ms(s.timestamp_ms);
    switch (type) {
      case MetricType::kCounter:
        m->mutable_counter()->set_value(s.value);
        break;
      case MetricType::kGauge:
        m->mutable_gauge()->set_value(s.value);
        break;
      case MetricType::kSummary: {
        pb::Summary* sum = m->mutable_summary();
        for (const Quantile& q : s.quantiles) {
          pb::Quantile* pq = sum->add_quantile();
          pq->set_quantile(q.quantile);
          pq->set_value(q.value);
        }
        if (s.has_sum) sum->set_sample_sum(s.sum);
        if (s.has_count) {
          // Summary.sample_count is an integer; a fractional count cannot be carried.
          const bool whole = IsWholeUint64(s.count);
          if (!whole && losses != nullptr) losses->Add(view.name, LossKind::kType);
          sum->set_sample_count(whole ? static_cast<uint64_t>(s.count) : 0);
        }
        break;
      }
      case MetricType::kHistogram: {
        pb::Histogram* h = m->mutable_histogram();
        for (const Bucket& b : s.buckets) {
          pb::Bucket* pbk = h->add_bucket();
          pbk->set_upper_bound(b.upper_bound);
          if (IsWholeUint64(b.cumulative_count)) {
            pbk->set_cumulative_count(static_cast<uint64_t>(b.cumulative_count));
          } else {
            pbk->set_cumulative_count_float(b.cumulative_count);
          }
        }
        if (s.has_sum) h->set_sample_sum(s.sum);
        if (s.has_count) {
          if (IsWholeUint64(s.count)) {
            h->set_sample_count(static_cast<uint64_t>(s.count));
          } else {
            h->set_sample_count_float(s.count);
          }
        }
        break;
      }
      default:
        m->mutable_untyped()->set_value(s.value);
        break;
    }
  }
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
