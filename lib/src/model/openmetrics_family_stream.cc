// Reads OpenMetrics 1.0 into the owning family model, one family at a time, through the strict
// OpenMetricsParser (which has already enforced every structural rule of the format).
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/owned_family.h"
#include "promtool/escape.h"
#include "promtool/openmetrics_parser.h"

namespace promtool {
namespace {

// 2^63 as a double: the first value that no longer fits an int64.
constexpr double kTwo63 = 9223372036854775808.0;
// 2^64 as a double: the first value that no longer fits a uint64.
constexpr double kTwo64 = 18446744073709551616.0;

// Float seconds to integer milliseconds, rounded to the nearest; saturates at the int64 range
// (and maps NaN to 0). *lost is set when the result does not read back as `seconds`.
int64_t SecondsToMillis(double seconds, bool* lost) {
  if (std::isnan(seconds)) {
    *lost = true;
    return 0;
  }
  const double ms = std::round(seconds * 1000.0);
  if (ms >= kTwo63) {
    // 2^63 itself is the double nearest to INT64_MAX (as a writer spells it,
    // 9223372036854775.807 s): not a loss. Anything larger is.
    *lost = ms > kTwo63;
    return std::numeric_limits<int64_t>::max();
  }
  if (ms < -kTwo63) {
    *lost = true;
    return std::numeric_limits<int64_t>::min();
  }
  const auto r = static_cast<int64_t>(ms);
  *lost = static_cast<double>(r) / 1000.0 != seconds;
  return r;
}

// Float seconds to a google.protobuf.Timestamp (seconds, nanos in [0, 1e9)), nanos rounded to
// the nearest; seconds saturate at the int64 range.
void SecondsToTimestamp(double seconds, google::protobuf::Timestamp* ts) {
  if (std::isnan(seconds)) {
    ts->set_seconds(0);
    ts->set_nanos(0);
    return;
  }
  double whole = std::floor(seconds);
  if (whole >= kTwo63) {
    ts->set_seconds(std::numeric_limits<int64_t>::max());
    ts->set_nanos(0);
    return;
  }
  if (whole < -kTwo63) {
    ts->set_seconds(std::numeric_limits<int64_t>::min());
    ts->set_nanos(0);
    return;
  }
  auto secs = static_cast<int64_t>(whole);
  auto nanos = static_cast<int64_t>(std::llround((seconds - whole) * 1e9));
  if (nanos >= 1000000000) {
    if (secs < std::numeric_limits<int64_t>::max()) {
      ++secs;
      nanos -= 1000000000;
    } else {
      nanos = 999999999;
    }
  }
  ts->set_seconds(secs);
  ts->set_nanos(static_cast<int32_t>(nanos));
}

// The label not part of a sample's series identity for its role.
std::string_view SkippedLabel(OmRole role) {
  if (role == OmRole::kBucket) return "le";
  if (role == OmRole::kQuantile) return "quantile";
  return {};
}

class OpenMetricsFamilyStream final : public FamilyStream {
 public:
  OpenMetricsFamilyStream(Source& source, LossReport* losses, uint64_t max_name_table_bytes,
                          uint64_t max_family_bytes)
      : parser_(source, max_name_table_bytes),
        losses_(losses),
        max_family_bytes_(max_family_bytes) {}

  const OwnedFamily* Next() override {
    if (done_) return nullptr;
    family_.Clear();
    built_bytes_ = 0;
    family_.utf8_checked = true;  // the parser validated every label name and value
    current_ = nullptr;
    metric_ = nullptr;
    Entry e = pending_ ? pending_entry_ : parser_.Next();
    pending_ = false;
    for (;; e = parser_.Next()) {
      switch (e) {
        case Entry::kError:
          error_ = parser_.Error();
          failed_ = true;
          done_ = true;
          return nullptr;
        case Entry::kEnd:
          done_ = true;
          if (current_ == nullptr) return nullptr;
          FinishFamily();
          return &family_;
        case Entry::kEof:
        case Entry::kComment:
          continue;
        case Entry::kHelp:
        case Entry::kType:
        case Entry::kUnit:
        case Entry::kSample:
          break;
      }
      const OmFamily* fam = &parser_.Family();
      if (current_ != nullptr && fam != current_) {
        // The first entry of the next family: keep it (its views stay valid until the parser
        // moves on, which happens only in the next call).
        pending_ = true;
        pending_entry_ = e;
        FinishFamily();
        return &family_;
      }
      if (current_ == nullptr) {
        current_ = fam;
        family_.offset = parser_.LineOffset();
      }
      if (e == Entry::kSample) {
        AddSample();
        if (failed_) {
          done_ = true;
          return nullptr;
        }
      }
    }
  }

  const Error* error() const override { return failed_ ? &error_ : nullptr; }

 private:
  // Name, type and metadata from the parser's record of the family (complete by now: all of a
  // family's metadata precedes its samples).
  void FinishFamily() {
    const OmFamily& fam = *current_;
    pb::MetricFamily& p = family_.proto;
    family_.type = fam.type;
    p.set_type(WireType(fam.type));
    if (fam.type == MetricType::kCounter) {
      p.set_name(fam.name + "_total");
    } else if (fam.type == MetricType::kInfo) {
      p.set_name(fam.name + "_info");
    } else {
      p.set_name(fam.name);
    }
    if (fam.has_help && !fam.help.empty()) p.set_help(fam.help);
    if (fam.has_unit) p.set_unit(fam.unit);
  }

  void Loss(LossKind kind) {
    if (losses_ != nullptr) losses_->Add(current_->name, kind);
  }

  // True when the sample's labels (without `skip`) are exactly the current metric's labels,
  // in any order.
  bool SameSeries(std::span<const Label> labels, std::string_view skip) {
    const auto& have = metric_->label();
    int n = 0;
    for (const Label& l : labels) {
      if (!skip.empty() && l.name == skip) continue;
      std::string_view value = Unescape(l.value, &scratch_);
      bool found = false;
      // In the usual case the order is the same, so the n-th label matches at once.
      if (n < have.size() && have[n].name() == l.name) {
        found = have[n].value() == value;
        if (!found) return false;
      } else {
        for (const pb::LabelPair& h : have) {
          if (h.name() == l.name) {
            if (h.value() != value) return false;
            found = true;
            break;
          }
        }
      }
      if (!found) return false;
      ++n;
    }
    return n == have.size();
  }

  // Starts a new metric (a new series, or a new point of the current series when `same_series`).
  void NewMetric(std::span<const Label> labels, std::string_view skip, bool same_series) {
    pb::Metric* m = family_.proto.add_metric();
    Spend(model_cost::Metric(family_.type));
    if (same_series) {
      *m->mutable_label() = metric_->label();
      for (const pb::LabelPair& l : m->label()) {
        Spend(model_cost::Label(l.name().size(), l.value().size()));
      }
    } else {
      for (const Label& l : labels) {
        if (!skip.empty() && l.name == skip) continue;
        Spend(model_cost::Label(l.name.size(), l.value.size()));
        pb::LabelPair* lp = m->add_label();
        lp->set_name(l.name.data(), l.name.size());
        std::string_view value = Unescape(l.value, &scratch_);
        lp->set_value(value.data(), value.size());
      }
    }
    switch (current_->type) {
      case MetricType::kCounter:
        m->mutable_counter();
        break;
      case MetricType::kGauge:
      case MetricType::kStateSet:
      case MetricType::kInfo:
        m->mutable_gauge();
        break;
      case MetricType::kSummary:
        m->mutable_summary();
        break;
      case MetricType::kHistogram:
      case MetricType::kGaugeHistogram:
        m->mutable_histogram();
        break;
      case MetricType::kUntyped:
      case MetricType::kUnknown:
        m->mutable_untyped();
        break;
    }
    if (parser_.HasTimestamp()) {
      bool lost = false;
      m->set_timestamp_ms(SecondsToMillis(parser_.Timestamp(), &lost));
      if (lost) Loss(LossKind::kTimestampPrecision);
    }
    metric_ = m;
    roles_seen_ = 0;
    last_le_ = -std::numeric_limits<double>::infinity();
    quantiles_.clear();
  }

  // Counts `bytes` more of the family being built (model_cost); past max_family_bytes_, the
  // stream fails with the family's kLimit error.
  void Spend(uint64_t bytes) {
    built_bytes_ += bytes;
    if (max_family_bytes_ == 0 || built_bytes_ <= max_family_bytes_ || failed_) return;
    // At the line being read (the family's first line may have left the window).
    (void)parser_.Stop(ErrorCode::kLimit,
                       model_cost::BuiltTooLarge(current_->name, built_bytes_,
                                                 family_.proto.metric_size(), max_family_bytes_));
    error_ = parser_.Error();
    failed_ = true;
  }

  void FillExemplar(pb::Exemplar* ex) {
    const OmExemplar e = parser_.Exemplar();
    Spend(sizeof(pb::Exemplar) + 32);
    for (const Label& l : e.labels) {
      Spend(model_cost::Label(l.name.size(), l.value.size()));
      pb::LabelPair* lp = ex->add_label();
      lp->set_name(l.name.data(), l.name.size());
      std::string_view value = Unescape(l.value, &scratch_);
      lp->set_value(value.data(), value.size());
    }
    ex->set_value(e.value);
    if (e.has_timestamp) SecondsToTimestamp(e.timestamp, ex->mutable_timestamp());
  }

  void AddSample() {
    const OmRole role = parser_.Role();
    const std::span<const Label> labels = parser_.Labels();
    const std::string_view skip = SkippedLabel(role);
    const double bound = parser_.Bound();
    if (metric_ == nullptr || !SameSeries(labels, skip)) {
      NewMetric(labels, skip, false);
    } else {
      // A part seen before in this point starts the next point (the parser has checked that it
      // has a timestamp).
      bool repeat;
      if (role == OmRole::kBucket) {
        repeat = bound <= last_le_;
      } else if (role == OmRole::kQuantile) {
        repeat = false;
        for (double q : quantiles_) repeat = repeat || q == bound;
      } else {
        repeat = (roles_seen_ & (1u << static_cast<unsigned>(role))) != 0;
      }
      if (repeat) NewMetric(labels, skip, true);
    }
    roles_seen_ |= 1u << static_cast<unsigned>(role);
    pb::Metric& m = *metric_;
    const double v = parser_.Value();
    switch (role) {
      case OmRole::kTotal:
        m.mutable_counter()->set_value(v);
        if (parser_.HasExemplar()) FillExemplar(m.mutable_counter()->mutable_exemplar());
        break;
      case OmRole::kCreated: {
        google::protobuf::Timestamp* ts;
        if (current_->type == MetricType::kCounter) {
          ts = m.mutable_counter()->mutable_created_timestamp();
        } else if (current_->type == MetricType::kSummary) {
          ts = m.mutable_summary()->mutable_created_timestamp();
        } else {
          ts = m.mutable_histogram()->mutable_created_timestamp();
        }
        SecondsToTimestamp(v, ts);
        break;
      }
      case OmRole::kBucket: {
        pb::Bucket* b = m.mutable_histogram()->add_bucket();
        Spend(model_cost::Bucket());
        b->set_upper_bound(bound);
        if (IsWholeUint64(v)) {
          b->set_cumulative_count(static_cast<uint64_t>(v));
        } else {
          b->set_cumulative_count_float(v);
        }
        if (parser_.HasExemplar()) FillExemplar(b->mutable_exemplar());
        last_le_ = bound;
        break;
      }
      case OmRole::kCount:
      case OmRole::kGCount:
        if (current_->type == MetricType::kSummary) {
          // Summary.sample_count has no float form: a fractional count is truncated.
          m.mutable_summary()->set_sample_count(v < kTwo64 ? static_cast<uint64_t>(v) : 0);
        } else if (IsWholeUint64(v)) {
          m.mutable_histogram()->set_sample_count(static_cast<uint64_t>(v));
        } else {
          m.mutable_histogram()->set_sample_count_float(v);
        }
        break;
      case OmRole::kSum:
      case OmRole::kGSum:
        if (current_->type == MetricType::kSummary) {
          m.mutable_summary()->set_sample_sum(v);
        } else {
          m.mutable_histogram()->set_sample_sum(v);
        }
        break;
      case OmRole::kQuantile: {
        pb::Quantile* q = m.mutable_summary()->add_quantile();
        Spend(model_cost::Quantile());
        q->set_quantile(bound);
        q->set_value(v);
        quantiles_.push_back(bound);
        break;
      }
      case OmRole::kInfo:
        m.mutable_gauge()->set_value(v);
        break;
      case OmRole::kValue:
        if (m.has_untyped()) {
          m.mutable_untyped()->set_value(v);
        } else {
          m.mutable_gauge()->set_value(v);
        }
        break;
    }
  }

  OpenMetricsParser parser_;
  LossReport* losses_;
  OwnedFamily family_;
  Error error_;
  bool failed_ = false;
  const uint64_t max_family_bytes_;
  uint64_t built_bytes_ = 0;  // what the family being built takes (model_cost)
  bool done_ = false;
  bool pending_ = false;
  Entry pending_entry_ = Entry::kEnd;
  const OmFamily* current_ = nullptr;  // the family being built (owned by the parser)
  pb::Metric* metric_ = nullptr;       // the current point of the current series
  uint32_t roles_seen_ = 0;            // OmRole bits seen in the current point
  double last_le_ = 0;
  std::vector<double> quantiles_;
  std::string scratch_;
};

}  // namespace

std::unique_ptr<FamilyStream> NewOpenMetricsFamilyStream(Source& source, LossReport* losses,
                                                         uint64_t max_name_table_bytes,
                                                         uint64_t max_family_bytes) {
  return std::make_unique<OpenMetricsFamilyStream>(source, losses, max_name_table_bytes,
                                                   max_family_bytes);
}

}  // namespace promtool
