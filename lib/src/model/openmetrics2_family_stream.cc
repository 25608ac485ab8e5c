// Reads OpenMetrics 2.0.0-rc0 into the owning family model, one family at a time, through the
// strict OpenMetrics2Parser (composite values, native histograms, st@, several exemplars).
#include "model/openmetrics2_family_stream.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "model/owned_family.h"
#include "promtool/escape.h"
#include "promtool/openmetrics2_parser.h"

namespace promtool {
namespace {

constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo64 = 18446744073709551616.0;

// Float seconds to integer milliseconds, rounded to the nearest, saturating at the int64 range;
// *lost when the result does not read back as `seconds`.
int64_t SecondsToMillis(double seconds, bool* lost) {
  const double ms = std::round(seconds * 1000.0);
  if (ms >= kTwo63) {
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

// A plain decimal ([sign] digits [. digits]) of seconds as a google.protobuf.Timestamp, exactly
// (nanos rounded half up beyond nine fractional digits). False for any other form (exponent,
// NaN, Inf) or seconds beyond the int64 range.
bool DecimalTimestamp(std::string_view s, google::protobuf::Timestamp* ts) {
  size_t i = 0;
  const bool negative = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const size_t int_start = i;
  uint64_t secs = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (secs >= (uint64_t{1} << 59)) return false;  // the next digit would pass 2^63
    secs = secs * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (i == int_start) return false;
  int64_t nanos = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (digits < 9) {
        nanos = nanos * 10 + (s[i] - '0');
      } else if (digits == 9 && s[i] >= '5') {
        ++nanos;  // rounded half up by the tenth digit
      }
      ++digits;
    }
    for (int d = digits; d < 9; ++d) nanos *= 10;
  }
  if (i != s.size()) return false;
  auto whole = static_cast<int64_t>(secs);
  if (nanos >= 1000000000) {
    ++whole;
    nanos -= 1000000000;
  }
  if (negative && nanos > 0) {  // -1.25 s is -2 s + 750000000 ns
    whole = -whole - 1;
    nanos = 1000000000 - nanos;
  } else if (negative) {
    whole = -whole;
  }
  ts->set_seconds(whole);
  ts->set_nanos(static_cast<int32_t>(nanos));
  return true;
}

// A timestamp token as written: exact for plain decimals; otherwise (1.5e9) the shortest
// decimal that reads back as the parsed `seconds`, saturating at the int64 range.
void TextToTimestamp(std::string_view text, double seconds, google::protobuf::Timestamp* ts) {
  if (DecimalTimestamp(text, ts)) return;
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, seconds, std::chars_format::fixed);
  if (ec == std::errc() && DecimalTimestamp(std::string_view(buf, end - buf), ts)) return;
  ts->set_seconds(seconds > 0 ? std::numeric_limits<int64_t>::max()
                              : std::numeric_limits<int64_t>::min());
  ts->set_nanos(0);
}

// Absolute native bucket counts as protobuf's integer deltas (each count minus the previous).
void AppendDeltas(const std::vector<double>& counts,
                  google::protobuf::RepeatedField<int64_t>* out) {
  int64_t prev = 0;
  for (double c : counts) {
    const auto v = static_cast<int64_t>(c);
    out->Add(v - prev);
    prev = v;
  }
}

class OpenMetrics2FamilyStream final : public FamilyStream {
 public:
  OpenMetrics2FamilyStream(Source& source, LossReport* losses, uint64_t max_name_table_bytes,
                           uint64_t max_family_bytes)
      : parser_(source, max_name_table_bytes),
        losses_(losses),
        max_family_bytes_(max_family_bytes) {}

  const OwnedFamily* Next() override {
    if (done_) return nullptr;
    family_.Clear();
    family_.utf8_checked = true;  // the parser validated every name and value
    family_.openmetrics2 = true;
    built_bytes_ = 0;
    current_ = nullptr;
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
      const Om2Family* fam = &parser_.Family();
      if (current_ != nullptr && fam != current_) {
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
  // In 2.0 the family name is the sample name, so the model name is the family name as is.
  void FinishFamily() {
    const Om2Family& fam = *current_;
    pb::MetricFamily& p = family_.proto;
    family_.type = fam.type;
    p.set_type(WireType(fam.type));
    p.set_name(fam.name);
    if (fam.has_help && !fam.help.empty()) p.set_help(fam.help);
    if (fam.has_unit) p.set_unit(fam.unit);
  }

  void Loss(LossKind kind, uint64_t count, std::string_view detail) {
    if (losses_ != nullptr && count > 0) losses_->Add(current_->name, kind, count, detail);
  }

  void FillLabels(std::span<const Label> labels,
                  google::protobuf::RepeatedPtrField<pb::LabelPair>* out) {
    for (const Label& l : labels) {
      pb::LabelPair* lp = out->Add();
      if (l.name_quoted) {
        const std::string_view n = Unescape(l.name, &scratch_);
        lp->set_name(n.data(), n.size());
      } else {
        lp->set_name(l.name.data(), l.name.size());
      }
      const std::string_view v = Unescape(l.value, &scratch_);
      lp->set_value(v.data(), v.size());
    }
  }

  void FillExemplar(size_t i, pb::Exemplar* ex) {
    const Om2Exemplar e = parser_.Exemplar(i);
    FillLabels(e.labels, ex->mutable_label());
    ex->set_value(e.value);
    TextToTimestamp(e.timestamp_text, e.timestamp, ex->mutable_timestamp());
  }

  void AddSample() {
    const bool untyped =
        current_->type == MetricType::kUnknown || current_->type == MetricType::kUntyped;
    if (untyped && parser_.IsComposite()) {
      // The model's untyped value is one number: a CompositeValue has no place in it.
      if (losses_ != nullptr) {
        losses_->Add(current_->name, LossKind::kSeriesDropped, 1,
                     "a sample of unknown type with a CompositeValue, which the model's untyped "
                     "value cannot hold");
      }
      return;
    }
    pb::Metric* m = family_.proto.add_metric();
    FillLabels(parser_.Labels(), m->mutable_label());
    if (parser_.HasTimestamp()) {
      bool lost = false;
      m->set_timestamp_ms(SecondsToMillis(parser_.Timestamp(), &lost));
      if (lost) Loss(LossKind::kTimestampPrecision, 1, {});
    }
    google::protobuf::Timestamp* created = nullptr;
    const size_t exemplars = parser_.ExemplarCount();
    switch (current_->type) {
      case MetricType::kCounter: {
        pb::Counter* c = m->mutable_counter();
        c->set_value(parser_.Value());
        if (exemplars > 0) FillExemplar(0, c->mutable_exemplar());
        Loss(LossKind::kExemplar, exemplars > 1 ? exemplars - 1 : 0,
             "the model's counter holds one exemplar");
        if (parser_.HasStartTimestamp()) created = c->mutable_created_timestamp();
        break;
      }
      case MetricType::kGauge:
      case MetricType::kStateSet:
      case MetricType::kInfo:
        m->mutable_gauge()->set_value(parser_.Value());
        break;
      case MetricType::kSummary:
        created = FillSummary(m->mutable_summary());
        break;
      case MetricType::kHistogram:
      case MetricType::kGaugeHistogram:
        created = FillHistogram(m->mutable_histogram());
        break;
      case MetricType::kUntyped:
      case MetricType::kUnknown:
        m->mutable_untyped()->set_value(parser_.Value());
        Loss(LossKind::kExemplar, exemplars, "the model's untyped value has no exemplars");
        break;
    }
    if (parser_.HasStartTimestamp()) {
      if (created != nullptr) {
        TextToTimestamp(parser_.StartTimestampText(), parser_.StartTimestamp(), created);
      } else {
        Loss(LossKind::kCreatedTimestamp, 1, "the model's untyped value has no start timestamp");
      }
    }
    if (max_family_bytes_ > 0) Count(*m);
  }

  // Counts what the series takes in memory; past max_family_bytes_, the stream fails with the
  // family's kLimit error at the line being read.
  void Count(const pb::Metric& m) {
    built_bytes_ += m.SpaceUsedLong() + 16;
    if (built_bytes_ <= max_family_bytes_) return;
    (void)parser_.Stop(ErrorCode::kLimit,
                       model_cost::BuiltTooLarge(current_->name, built_bytes_,
                                                 family_.proto.metric_size(), max_family_bytes_));
    error_ = parser_.Error();
    failed_ = true;
  }

  google::protobuf::Timestamp* FillSummary(pb::Summary* s) {
    const Om2Composite& c = parser_.Composite();
    // The parser has checked that count is a non-negative integer.
    s->set_sample_count(c.count < kTwo64 ? static_cast<uint64_t>(c.count) : 0);
    s->set_sample_sum(c.sum);
    for (const Om2Pair& q : c.quantiles) {
      pb::Quantile* pq = s->add_quantile();
      pq->set_quantile(q.key);
      pq->set_value(q.value);
    }
    return parser_.HasStartTimestamp() ? s->mutable_created_timestamp() : nullptr;
  }

  // A histogram is an integer histogram when every count of it (count, zero_count, native and
  // classic bucket values) is written as an integer and fits; otherwise all its counts go to
  // the float fields (protobuf's float histogram).
  google::protobuf::Timestamp* FillHistogram(pb::Histogram* h) {
    const Om2Composite& c = parser_.Composite();
    bool integer = !c.float_counts && IsWholeUint64(c.count) && IsWholeUint64(c.zero_count);
    for (const std::vector<double>* v : {&c.negative_buckets, &c.positive_buckets}) {
      for (double x : *v) integer = integer && IsWholeUint64(x) && x < kTwo63;
    }
    for (const Om2Pair& b : c.buckets) integer = integer && IsWholeUint64(b.value);
    if (integer) {
      h->set_sample_count(static_cast<uint64_t>(c.count));
    } else {
      h->set_sample_count_float(c.count);
    }
    h->set_sample_sum(c.sum);
    if (c.native) {
      h->set_schema(c.schema);
      h->set_zero_threshold(c.zero_threshold);
      if (integer) {
        h->set_zero_count(static_cast<uint64_t>(c.zero_count));
      } else {
        h->set_zero_count_float(c.zero_count);
      }
      for (const Om2Span& sp : c.negative_spans) {
        pb::BucketSpan* s = h->add_negative_span();
        s->set_offset(static_cast<int32_t>(sp.offset));
        s->set_length(static_cast<uint32_t>(sp.length));
      }
      for (const Om2Span& sp : c.positive_spans) {
        pb::BucketSpan* s = h->add_positive_span();
        s->set_offset(static_cast<int32_t>(sp.offset));
        s->set_length(static_cast<uint32_t>(sp.length));
      }
      if (integer) {
        AppendDeltas(c.negative_buckets, h->mutable_negative_delta());
        AppendDeltas(c.positive_buckets, h->mutable_positive_delta());
      } else {
        for (double x : c.negative_buckets) h->add_negative_count(x);
        for (double x : c.positive_buckets) h->add_positive_count(x);
      }
    }
    for (const Om2Pair& b : c.buckets) {
      pb::Bucket* pbk = h->add_bucket();
      pbk->set_upper_bound(b.key);
      if (integer) {
        pbk->set_cumulative_count(static_cast<uint64_t>(b.value));
      } else {
        pbk->set_cumulative_count_float(b.value);
      }
    }
    // Exemplars: a native histogram keeps them all (Histogram.exemplars); a classic one puts
    // each in the bucket its value falls into, one per bucket.
    const size_t n = parser_.ExemplarCount();
    uint64_t lost = 0;
    for (size_t i = 0; i < n; ++i) {
      if (c.native) {
        FillExemplar(i, h->add_exemplars());
        continue;
      }
      const double v = parser_.Exemplar(i).value;
      pb::Bucket* target = nullptr;
      for (pb::Bucket& b : *h->mutable_bucket()) {
        if (v <= b.upper_bound()) {
          target = &b;
          break;
        }
      }
      if (target == nullptr || target->has_exemplar()) {
        ++lost;
        continue;
      }
      FillExemplar(i, target->mutable_exemplar());
    }
    Loss(LossKind::kExemplar, lost, "the model's classic bucket holds one exemplar");
    if (current_->type == MetricType::kGaugeHistogram) return nullptr;
    return parser_.HasStartTimestamp() ? h->mutable_created_timestamp() : nullptr;
  }

  OpenMetrics2Parser parser_;
  LossReport* losses_;
  OwnedFamily family_;
  Error error_;
  bool failed_ = false;
  bool done_ = false;
  const uint64_t max_family_bytes_;
  uint64_t built_bytes_ = 0;  // what the family being built takes in memory
  bool pending_ = false;
  Entry pending_entry_ = Entry::kEnd;
  const Om2Family* current_ = nullptr;  // the family being built (owned by the parser)
  std::string scratch_;
};

}  // namespace

std::unique_ptr<FamilyStream> NewOpenMetrics2FamilyStream(Source& source, LossReport* losses,
                                                          uint64_t max_name_table_bytes,
                                                          uint64_t max_family_bytes) {
  return std::make_unique<OpenMetrics2FamilyStream>(source, losses, max_name_table_bytes,
                                                    max_family_bytes);
}

}  // namespace promtool
