// The OpenMetrics rules about meaning rather than syntax, which the parser asks about each sample
// and each family end: per-type rules, exemplar placement, series identity and order,
// timestamps, MetricPoints, histogram buckets and a series' _sum and _count.
#include "text/openmetrics_checks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "common/hash.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/message_quote.h"
#include "text/openmetrics_util.h"

namespace promtool::text_internal {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

OmChecks::OmChecks(Source& source, LineReader& reader) : source_(source), reader_(reader) {
  state_.last_timestamp = -kInf;
  state_.last_le = -kInf;
}

void OmChecks::StartFamily(OmFamily* family) {
  state_.current = family;
  state_.series_seen.Clear();
  state_.in_series = false;
}

Entry OmChecks::Fail(ErrorCode code, const char* at, std::string message) {
  std::string compat = message;
  reader_.Fail(code, reader_.OffsetOf(at), std::move(message), std::move(compat));
  return Entry::kError;
}

// "name{a=\"1\",b=\"2\"}" without the `skip` label (nothing for an empty set), kept whole and
// clipped only for a message. An OpenMetrics label set has no blanks, so the labels as written are
// the text: at most two copies around the skipped label instead of one append per piece.
void OmChecks::SetSeriesText(std::string_view family, std::span<const Label> labels,
                             std::string_view skip) {
  std::string& out = state_.series_text;
  out.assign(family);
  size_t k = labels.size();
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].name == skip) {
      k = i;
      break;
    }
  }
  // Label i as written: name="value", from its name to its closing quote.
  auto append = [&](size_t from, size_t to) {  // labels [from, to), to > from
    const char* first = labels[from].name.data();
    const char* last = labels[to - 1].value.data() + labels[to - 1].value.size() + 1;
    out.append(first, static_cast<size_t>(last - first));
  };
  const bool before = k > 0, after = k + 1 < labels.size();
  if (!before && !after) return;
  out.push_back('{');
  if (before) append(0, k);
  if (before && after) out.push_back(',');
  if (after) append(k + 1, labels.size());
  out.push_back('}');
}

std::string OmChecks::SeriesText() const { return ClipText(state_.series_text); }

Entry OmChecks::FinishFamily(const char* at) {
  Entry e = FinishSeries(at);
  State& s = state_;
  s.current = nullptr;
  if (e != Entry::kError && s.pending) {
    s.pending = false;
    std::string compat = s.pending_message;
    Error& error = reader_.Fail(s.pending_code, s.pending_offset, std::move(s.pending_message),
                                std::move(compat));
    error.line = s.pending_position.line;
    error.column = s.pending_position.column;
    return Entry::kError;
  }
  s.pending = false;
  return e;
}

// Checks the current MetricPoint of a (gauge)histogram once it is complete.
Entry OmChecks::FinishSeries(const char* at, bool defer) {
  State& s = state_;
  if (!s.in_series || s.current == nullptr) return Entry::kSample;
  s.in_series = false;
  MetricType t = s.current->type;
  const bool hist = t == MetricType::kHistogram || t == MetricType::kGaugeHistogram;
  auto fail_or_defer = [&](ErrorCode code, std::string message) {
    if (defer && !s.pending) {
      s.pending = true;
      s.pending_code = code;
      s.pending_offset = reader_.OffsetOf(at);
      s.pending_position = source_.Locate(s.pending_offset);
      s.pending_message = std::move(message);
      return Entry::kSample;
    }
    return Fail(code, at, std::move(message));
  };
  if (hist && (s.has_buckets || s.has_count || s.has_sum) && !s.has_inf) {
    return fail_or_defer(ErrorCode::kOmBucketInf,
                         StrCat(OpenMetricsTypeName(t), " ", SeriesText(),
                                " has no bucket with le=\"+Inf\"; every histogram needs one"));
  }
  if (hist && s.has_count != s.has_sum) {
    std::string_view c = t == MetricType::kHistogram ? "_count" : "_gcount";
    std::string_view m = t == MetricType::kHistogram ? "_sum" : "_gsum";
    return fail_or_defer(
        ErrorCode::kOmSumCount,
        StrCat(OpenMetricsTypeName(t), " ", SeriesText(), " has ", s.has_sum ? m : c, " but no ",
               s.has_sum ? c : m, "; they must come together"));
  }
  if (t == MetricType::kGaugeHistogram && s.has_sum && s.sum_value < 0 && !s.has_negative_le) {
    return Fail(ErrorCode::kOmSumNegative, at,
                StrCat("gaugehistogram ", SeriesText(),
                       " has a negative _gsum but no negative bucket; _gsum may only be negative "
                       "when some le is negative"));
  }
  return Entry::kSample;
}

// The per-type and cross-line rules for the sample just parsed (x.role and family_ are set).
Entry OmChecks::CheckSample(OmSample& x, const char* line) {
  State& s = state_;
  OmFamily& fam = *x.family;
  const MetricType type = fam.type;
  const std::span<const Label> labels = x.labels;
  auto find = [&](std::string_view n) -> const Label* {
    for (const Label& l : labels) {
      if (l.name == n) return &l;
    }
    return nullptr;
  };
  const bool hist = type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
  std::string_view skip;  // the label that is not part of the series identity
  x.bound = 0;
  if (hist && x.role == OmRole::kBucket) {
    const Label* le = find("le");
    if (le == nullptr) {
      return Fail(ErrorCode::kOmBucketLe, line,
                  StrCat("bucket ", QuoteClipped(x.name), " has no le label"));
    }
    if (le->value == "+Inf") {
      x.bound = kInf;
    } else if (!ParseOmNumber(le->value, false, &x.bound)) {
      return Fail(ErrorCode::kOmBucketLe, le->value.data(),
                  StrCat("le=", QuoteClipped(le->value),
                         " is not a number; le is a decimal number or exactly \"+Inf\""));
    }
    skip = "le";
  } else if (type == MetricType::kSummary && x.role == OmRole::kValue) {
    const Label* qu = find("quantile");
    if (qu == nullptr) {
      return Fail(ErrorCode::kOmQuantile, line,
                  StrCat("summary sample ", QuoteClipped(x.name), " has no quantile label"));
    }
    if (!ParseOmNumber(qu->value, false, &x.bound) || x.bound < 0 || x.bound > 1) {
      return Fail(ErrorCode::kOmQuantile, qu->value.data(),
                  StrCat("quantile=", QuoteClipped(qu->value), " is not a number in [0, 1]"));
    }
    x.role = OmRole::kQuantile;
    skip = "quantile";
  } else if (type == MetricType::kStateSet) {
    if (find(fam.name) == nullptr) {
      return Fail(ErrorCode::kOmStateSetValue, line,
                  StrCat("stateset sample has no label named ", QuoteClipped(fam.name),
                         "; each stateset sample names its state in that label"));
    }
  }
  // Values.
  const double v = x.value;
  const bool counter_like = x.role == OmRole::kTotal || x.role == OmRole::kBucket ||
                            x.role == OmRole::kCount || x.role == OmRole::kGCount ||
                            x.role == OmRole::kQuantile ||
                            (x.role == OmRole::kSum && type != MetricType::kGaugeHistogram);
  if (counter_like && (std::isnan(v) || v < 0)) {
    if (!(x.role == OmRole::kQuantile && std::isnan(v))) {
      return Fail(ErrorCode::kOmNegativeValue, line,
                  StrCat(OpenMetricsTypeName(type), " sample ", QuoteClipped(x.name), " has ",
                         std::isnan(v) ? "value NaN" : "a negative value",
                         "; counters, bucket counts, counts, sums and quantile values must be "
                         "non-negative numbers"));
    }
  }
  // OpenMetrics 1.0: histogram and summary count and bucket values, and gauge histogram bucket
  // values, MUST be integers.
  const bool integer_only = (hist && x.role == OmRole::kBucket) ||
                            (x.role == OmRole::kCount &&
                             (type == MetricType::kHistogram || type == MetricType::kSummary));
  if (integer_only && !(std::isfinite(v) && v == std::floor(v))) {
    std::string shown;
    AppendFloat(v, &shown);
    return Fail(ErrorCode::kOmNotInteger, line,
                StrCat(OpenMetricsTypeName(type), " sample ", QuoteClipped(x.name), " has value ",
                       shown, "; ", OpenMetricsTypeName(type),
                       x.role == OmRole::kBucket ? " bucket values" : " count values",
                       " must be integers (OpenMetrics 1.0)"));
  }
  if (x.role == OmRole::kInfo && v != 1) {
    return Fail(ErrorCode::kOmInfoValue, line,
                StrCat("info sample ", QuoteClipped(x.name), " has a value other than 1"));
  }
  if (type == MetricType::kStateSet && v != 0 && v != 1) {
    return Fail(ErrorCode::kOmStateSetValue, line,
                StrCat("stateset sample ", QuoteClipped(x.name), " has a value other than 0 or 1"));
  }
  if (x.has_exemplar && !(x.role == OmRole::kTotal || (hist && x.role == OmRole::kBucket))) {
    return Fail(ErrorCode::kOmExemplarPlacement, line,
                StrCat("sample ", QuoteClipped(x.name), " of ", OpenMetricsTypeName(type),
                       " family has an exemplar; only counter _total and histogram _bucket "
                       "samples may have one"));
  }

  // Series identity: the label set without le/quantile.
  hash::Unordered identity;
  for (const Label& l : labels) {
    if (l.name == skip) continue;
    // The label's bytes as written, name="value", are contiguous in the line: one hash per
    // label, combined independently of label order.
    const char* first = l.name.data();
    const char* last = l.value.data() + l.value.size();
    identity.Add(hash::Bytes(std::string_view(first, static_cast<size_t>(last - first))));
  }
  const uint64_t h = identity.Finish() | 1;
  if (!s.in_series || h != s.series_hash) {
    // A series seen before is the error, before whatever the series just ended lacks (it may
    // lack only the samples that come later, out of place).
    if (s.series_seen.Contains(h)) {
      SetSeriesText(fam.name, labels, skip);
      return Fail(ErrorCode::kOmSeriesOrder, line,
                  StrCat("series ", SeriesText(),
                         " appears again after other series of its family; a series' samples "
                         "must be contiguous"));
    }
    Entry e = FinishSeries(line, /*defer=*/true);
    if (e == Entry::kError) return e;
    SetSeriesText(fam.name, labels, skip);
    s.series_seen.Insert(h);
    s.in_series = true;
    s.series_hash = h;
    s.uses_timestamps = x.has_timestamp;
    s.last_timestamp = -kInf;
    s.roles_seen = 0;
    s.point_has_ts = x.has_timestamp;
    s.point_ts = x.timestamp;
    s.has_buckets = s.has_inf = s.has_negative_le = s.has_count = s.has_sum = false;
    s.last_le = -kInf;
    s.quantiles.clear();
  }
  // Timestamps: all or none, non-decreasing.
  if (x.has_timestamp != s.uses_timestamps) {
    return Fail(ErrorCode::kOmTimestampMixed, line,
                StrCat("series ", SeriesText(),
                       x.has_timestamp ? " has a timestamp here but not on its earlier samples"
                                       : " has no timestamp here but had one on earlier samples",
                       "; a series' samples all have timestamps or none do"));
  }
  if (x.has_timestamp) {
    if (x.timestamp < s.last_timestamp) {
      std::string now, before;
      AppendFloat(x.timestamp, &now);
      AppendFloat(s.last_timestamp, &before);
      return Fail(ErrorCode::kOmTimestampOrder, line,
                  StrCat("timestamp ", now, " of series ", SeriesText(),
                         " is smaller than its previous timestamp ", before,
                         "; timestamps must not decrease"));
    }
    s.last_timestamp = x.timestamp;
  }
  // A repeated part starts a new MetricPoint, which needs a timestamp.
  bool repeat;
  const uint32_t bit = 1u << static_cast<unsigned>(x.role);
  if (x.role == OmRole::kBucket) {
    repeat = x.bound <= s.last_le;
    if (repeat && (!x.has_timestamp || !s.has_inf)) {
      std::string le_now(Find(labels, "le"));
      if (x.bound == s.last_le) {
        return Fail(ErrorCode::kOmDuplicateSample, line,
                    StrCat("histogram bucket le=\"", ClipText(le_now), "\" of ", SeriesText(),
                           " appears twice; each bucket appears once per point"));
      }
      return Fail(ErrorCode::kOmBucketOrder, line,
                  StrCat("histogram bucket le=\"", ClipText(le_now), "\" follows le=\"",
                         ClipText(s.last_le_text), "\"; buckets must be in increasing order"));
    }
  } else if (x.role == OmRole::kQuantile) {
    repeat = std::find(s.quantiles.begin(), s.quantiles.end(), x.bound) != s.quantiles.end();
  } else {
    repeat = (s.roles_seen & bit) != 0;
  }
  if (repeat) {
    if (!x.has_timestamp) {
      return Fail(ErrorCode::kOmDuplicateSample, line,
                  StrCat("sample ", QuoteClipped(x.name), " of series ", SeriesText(),
                         " appears twice without timestamps; a series has one value per "
                         "timestamp"));
    }
    Entry e = FinishSeries(line);
    if (e == Entry::kError) return e;
    s.in_series = true;
    s.roles_seen = 0;
    s.has_buckets = s.has_inf = s.has_negative_le = s.has_count = s.has_sum = false;
    s.last_le = -kInf;
    s.quantiles.clear();
  }
  s.roles_seen |= bit;
  // Histogram parts.
  if (hist) {
    if (x.role == OmRole::kBucket) {
      if (s.has_buckets && v < s.last_bucket) {
        std::string a, b;
        AppendFloat(v, &a);
        AppendFloat(s.last_bucket, &b);
        return Fail(ErrorCode::kOmBucketCumulative, line,
                    StrCat("histogram bucket le=\"", ClipText(Find(labels, "le")), "\" of ",
                           SeriesText(), " has count ", a, ", less than ", b, " of bucket le=\"",
                           ClipText(s.last_le_text), "\"; buckets are cumulative"));
      }
      s.has_buckets = true;
      s.last_bucket = v;
      s.last_le = x.bound;
      s.last_le_text.assign(Find(labels, "le"));
      if (x.bound < 0) s.has_negative_le = true;
      if (std::isinf(x.bound)) {
        s.has_inf = true;
        s.inf_value = v;
      }
      if (type == MetricType::kHistogram && s.has_negative_le && s.has_sum) {
        return Fail(ErrorCode::kOmSumNegative, line,
                    StrCat("histogram ", SeriesText(),
                           " has a bucket with negative le and a _sum; _sum is only allowed "
                           "when no le is negative"));
      }
    } else if (x.role == OmRole::kCount || x.role == OmRole::kGCount) {
      s.has_count = true;
      s.count_value = v;
    } else if (x.role == OmRole::kSum || x.role == OmRole::kGSum) {
      s.has_sum = true;
      s.sum_value = v;
      if (type == MetricType::kHistogram && s.has_negative_le) {
        return Fail(ErrorCode::kOmSumNegative, line,
                    StrCat("histogram ", SeriesText(),
                           " has a bucket with negative le and a _sum; _sum is only allowed "
                           "when no le is negative"));
      }
    }
    if ((x.role == OmRole::kCount || x.role == OmRole::kGCount ||
         (x.role == OmRole::kBucket && std::isinf(x.bound))) &&
        s.has_count && s.has_inf && s.count_value != s.inf_value) {
      std::string a, b;
      AppendFloat(s.count_value, &a);
      AppendFloat(s.inf_value, &b);
      return Fail(ErrorCode::kOmCountMismatch, line,
                  StrCat(OpenMetricsTypeName(type), " ", SeriesText(), " has count ", a,
                         " but its +Inf bucket is ", b, "; they must be equal"));
    }
  } else if (x.role == OmRole::kQuantile) {
    s.quantiles.push_back(x.bound);
  }
  ++fam.samples;
  return Entry::kSample;
}

}  // namespace promtool::text_internal
