// RelabelStream(): metric relabeling of a whole payload, family by family, sample line by
// sample line as Prometheus relabels them, written in any convert format or as a diff report.
#include "promtool/relabel_stream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>

#include "common/strcat.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "promtool/numbers.h"
#include "write/writer.h"

namespace promtool {
namespace {

constexpr std::string_view kName = "__name__";

// name{a="x",b="y"} with label values escaped as the text format does.
std::string SeriesText(std::string_view name, const LabelSet& labels) {
  std::string out(name);
  bool first = true;
  for (const auto& [n, v] : labels) {
    if (n == kName) continue;
    out += first ? "{" : ",";
    first = false;
    out += n;
    out += "=\"";
    for (char c : v) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\n') {
        out += "\\n";
      } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        // Terminal safety: other control characters are shown, not sent to the terminal.
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out += kHex[static_cast<unsigned char>(c) >> 4];
        out += kHex[static_cast<unsigned char>(c) & 0xF];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  if (!first) out += '}';
  return out;
}

// The metric's labels as Prometheus ingests them: sorted, empty values left out. Written into
// *out, whose strings keep their storage from one series to the next.
void BaseLabels(const pb::Metric& m, LabelSet* out) {
  size_t n = 0;
  for (const pb::LabelPair& l : m.label()) {
    if (l.value().empty()) continue;
    if (n == out->size()) out->emplace_back();
    (*out)[n].first.assign(l.name());
    (*out)[n].second.assign(l.value());
    ++n;
  }
  out->resize(n);
  std::sort(out->begin(), out->end());
}

LabelSet BaseLabels(const pb::Metric& m) {
  LabelSet out;
  BaseLabels(m, &out);
  return out;
}

void Put(LabelSet& labels, std::string_view name, std::string value) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  if (it != labels.end() && it->first == name) {
    it->second = std::move(value);
  } else {
    labels.emplace(it, std::string(name), std::move(value));
  }
}

std::string Take(LabelSet& labels, std::string_view name) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  if (it == labels.end() || it->first != name) return {};
  std::string v = std::move(it->second);
  labels.erase(it);
  return v;
}

// An `le` or `quantile` value as Prometheus 3 normalises it before relabeling (labels
// .FormatOpenMetricsFloat): Go's shortest form with ".0" added to whole numbers. Gauge
// histograms are not normalised (`plain`).
std::string FloatText(double v, bool plain = false) {
  std::string s;
  AppendFloat(v, &s);
  if (plain || std::isinf(v) || std::isnan(v)) return s;
  if (s.find_first_of("e.") == std::string::npos) s += ".0";
  return s;
}

// One sample line of a series: which part of the series it is, and its relabelled labels.
struct Line {
  enum Kind { kWhole, kBucket, kQuantile, kSum, kCount } kind = kWhole;
  int index = -1;  // bucket or quantile index
  std::string_view suffix;
  std::string_view extra_name;  // "le" or "quantile"
  std::string extra_value;
  bool kept = false;
  LabelSet labels;
};

struct SeriesOutcome {
  bool dropped = false;
  bool unchanged = false;
  std::string name;  // the family name the series goes to
  LabelSet labels;   // without __name__
  std::vector<int> kept_buckets, kept_quantiles;
};

class Relabeler {
 public:
  Relabeler(const RelabelRules& rules, const RelabelStreamOptions& options, Sink& output,
            RelabelStreamResult& result)
      : rules_(rules),
        options_(options),
        output_(output),
        result_(result),
        touches_{rules.MayTouch("le"), rules.MayTouch("quantile")} {}

  // Relabels one family; returns false (with result_.error set) to stop.
  bool Family(const OwnedFamily& family) {
    if (options_.trace != nullptr) {
      TraceFamily(family);
      return true;
    }
    outputs_used_ = 0;  // the families of the last call are reused: Clear() keeps their storage
    outcomes_.resize(static_cast<size_t>(family.proto.metric_size()));
    uint64_t dropped = 0, relabelled = 0, unchanged = 0;
    std::string report;
    for (int i = 0; i < family.proto.metric_size(); ++i) {
      const pb::Metric& m = family.proto.metric(i);
      ++result_.series;
      BaseLabels(m, &before_);
      const LabelSet& before = before_;
      SeriesOutcome& out = outcomes_[static_cast<size_t>(i)];
      // Reset without freeing: the label strings keep their capacity for the next family.
      out.dropped = out.unchanged = false;
      out.name.clear();
      out.kept_buckets.clear();
      out.kept_quantiles.clear();
      if (!Series(family, m, before, &out)) return false;
      if (out.dropped) {
        ++dropped;
        if (options_.diff) report += StrCat("- ", SeriesText(family.proto.name(), before), "\n");
        continue;
      }
      out.unchanged =
          out.name == family.proto.name() && out.labels == before && KeptAll(m, family.type, out);
      if (out.unchanged) {
        ++unchanged;
        if (options_.diff) report += StrCat("= ", SeriesText(family.proto.name(), before), "\n");
        continue;
      }
      ++relabelled;
      if (options_.diff) {
        report += StrCat("~ ", SeriesText(family.proto.name(), before), " -> ",
                         SeriesText(out.name, out.labels), "\n");
      }
    }
    result_.dropped += dropped;
    result_.relabelled += relabelled;
    result_.unchanged += unchanged;
    if (options_.diff) {
      if (family.proto.metric_size() == 0) return true;
      buffer_ +=
          StrCat("# ", family.proto.name(), ": ", family.proto.metric_size(), " series: ", dropped,
                 " dropped, ", relabelled, " relabelled, ", unchanged, " unchanged\n", report);
      return Flush(false);
    }
    // A family that the rules leave alone (or one with only metadata) is written as it came.
    if (dropped == 0 && relabelled == 0 && options_.honor_timestamps) return Write(family);
    for (int i = 0; i < family.proto.metric_size(); ++i) {
      const pb::Metric& m = family.proto.metric(i);
      const SeriesOutcome& out = outcomes_[static_cast<size_t>(i)];
      if (out.dropped) continue;
      pb::Metric* copy = Emit(family, out.name)->proto.add_metric();
      copy->CopyFrom(m);
      if (!options_.honor_timestamps) copy->clear_timestamp_ms();
      if (out.unchanged) continue;
      copy->clear_label();
      for (const auto& [n, v] : out.labels) {
        pb::LabelPair* l = copy->add_label();
        l->set_name(n);
        l->set_value(v);
      }
      Filter(family.type, out, copy);
    }
    for (size_t k = 0; k < outputs_used_; ++k) {
      if (!Write(outputs_[k])) return false;
    }
    return Flush(false);
  }

  bool Write(const OwnedFamily& f) {
    const size_t size = buffer_.size();
    if (absl::Status st = writer_->Write(f, &buffer_); !st.ok()) {
      buffer_.resize(size);
      return Fail(ErrorCode::kOutputFormat, std::string(st.message()));
    }
    return Flush(false);
  }

  bool Start() {
    if (options_.diff || options_.trace != nullptr) return true;
    WriteOptions wo;
    wo.escaping = options_.escaping;
    switch (options_.to) {
      case OutputFormat::kText:
        writer_ = NewTextWriter(wo, &losses_);
        break;
      case OutputFormat::kOpenMetrics:
        writer_ = NewOpenMetricsWriter(wo, &losses_);
        break;
      case OutputFormat::kProtobuf:
        writer_ = NewProtobufWriter(wo, &losses_);
        break;
      case OutputFormat::kProtobufText:
        writer_ = NewProtobufTextWriter(wo, &losses_);
        break;
      case OutputFormat::kJson:
        writer_ = NewJsonWriter(wo, &losses_);
        break;
      case OutputFormat::kOpenMetrics2:
        writer_ = NewOpenMetrics2Writer(wo, &losses_);
        break;
    }
    return true;
  }

  bool Finish() {
    if (options_.trace != nullptr) return Flush(true);
    if (options_.diff) {
      buffer_ += StrCat("# total: ", result_.series, " series: ", result_.dropped, " dropped, ",
                        result_.relabelled, " relabelled, ", result_.unchanged, " unchanged\n");
    } else if (absl::Status st = writer_->Finish(&buffer_); !st.ok()) {
      return Fail(ErrorCode::kOutputFormat, std::string(st.message()));
    }
    return Flush(true);
  }

  bool Flush(bool force) {
    constexpr size_t kFlushBytes = 256 * 1024;
    if (buffer_.empty() || (!force && buffer_.size() < kFlushBytes)) return true;
    if (absl::Status st = output_.Write(buffer_); !st.ok()) {
      return Fail(ErrorCode::kOutput, std::string(st.message()));
    }
    buffer_.clear();
    return true;
  }

  std::vector<std::string> Losses() const { return losses_.Lines(); }

 private:
  // Records the first failure (an input error already set is kept); returns false.
  bool Fail(ErrorCode code, std::string message) {
    if (result_.error.ok()) result_.error = Error::Unlocated(code, std::move(message));
    return false;
  }

  OwnedFamily* Emit(const OwnedFamily& family, const std::string& name) {
    for (size_t k = 0; k < outputs_used_; ++k) {
      if (outputs_[k].proto.name() == name) return &outputs_[k];
    }
    if (outputs_used_ == outputs_.size()) outputs_.emplace_back();
    OwnedFamily& f = outputs_[outputs_used_++];
    f.Clear();
    f.type = family.type;
    f.continued = family.continued;
    f.offset = family.offset;
    f.proto.set_name(name);
    if (family.proto.has_help()) f.proto.set_help(family.proto.help());
    if (family.proto.has_type()) f.proto.set_type(family.proto.type());
    if (family.proto.has_unit()) f.proto.set_unit(family.proto.unit());
    return &f;
  }

  static bool KeptAll(const pb::Metric& m, MetricType type, const SeriesOutcome& out) {
    if (type == MetricType::kSummary) {
      return static_cast<int>(out.kept_quantiles.size()) == m.summary().quantile_size();
    }
    if (type == MetricType::kHistogram || type == MetricType::kGaugeHistogram) {
      return static_cast<int>(out.kept_buckets.size()) == m.histogram().bucket_size();
    }
    return true;
  }

  static void Filter(MetricType type, const SeriesOutcome& out, pb::Metric* m) {
    if (type == MetricType::kSummary && m->has_summary()) {
      pb::Summary* s = m->mutable_summary();
      google::protobuf::RepeatedPtrField<pb::Quantile> kept;
      for (int i : out.kept_quantiles) *kept.Add() = s->quantile(i);
      s->mutable_quantile()->Swap(&kept);
    }
    if ((type == MetricType::kHistogram || type == MetricType::kGaugeHistogram) &&
        m->has_histogram()) {
      pb::Histogram* h = m->mutable_histogram();
      google::protobuf::RepeatedPtrField<pb::Bucket> kept;
      for (int i : out.kept_buckets) *kept.Add() = h->bucket(i);
      h->mutable_bucket()->Swap(&kept);
    }
  }

  // --trace: every sample line whose labels match the selector, traced rule by rule.
  void TraceFamily(const OwnedFamily& family) {
    for (const pb::Metric& m : family.proto.metric()) {
      const LabelSet base = BaseLabels(m);
      const size_t n = BuildLines(family, m);
      for (Line& line : std::span<Line>(lines_.data(), n)) {
        ++result_.series;
        line.labels = base;
        Put(line.labels, kName, StrCat(family.proto.name(), line.suffix));
        if (!line.extra_name.empty()) Put(line.labels, line.extra_name, line.extra_value);
        if (!options_.trace->Matches(line.labels)) continue;
        ++result_.traced;
        if (options_.on_trace) options_.on_trace(rules_.Trace(std::move(line.labels)));
      }
    }
  }

  // FloatText of bucket (kind 0) or quantile (kind 1) bound i, remembered from the previous
  // series: the series of a family nearly always share their bounds.
  std::string BoundText(int kind, int i, double v, bool plain) {
    std::vector<Bound>& cache = bounds_[kind];
    const size_t at = static_cast<size_t>(i);
    if (at >= cache.size()) cache.resize(at + 1);
    Bound& b = cache[at];
    if (!b.set || b.plain != plain || std::memcmp(&b.value, &v, sizeof v) != 0) {
      b = Bound{true, plain, v, FloatText(v, plain)};
    }
    return b.text;
  }

  // Fills lines_[0..n) with the sample lines of one series (labels not set); returns n.
  size_t BuildLines(const OwnedFamily& family, const pb::Metric& m) {
    size_t n = 0;  // lines_ is reused across series, so label strings keep their capacity
    auto add = [&](Line::Kind kind, int index, std::string_view suffix, std::string_view extra_name,
                   std::string extra_value) {
      if (n == lines_.size()) lines_.emplace_back();
      Line& l = lines_[n++];
      l.kind = kind;
      l.index = index;
      l.suffix = suffix;
      l.extra_name = extra_name;
      l.extra_value = std::move(extra_value);
      l.kept = false;
    };
    const bool hist =
        family.type == MetricType::kHistogram || family.type == MetricType::kGaugeHistogram;
    const bool gauge_hist = family.type == MetricType::kGaugeHistogram;
    if (family.type == MetricType::kSummary && m.has_summary()) {
      const pb::Summary& s = m.summary();
      for (int i = 0; i < s.quantile_size(); ++i) {
        add(Line::kQuantile, i, "", "quantile", BoundText(1, i, s.quantile(i).quantile(), false));
      }
      if (s.has_sample_sum()) add(Line::kSum, -1, "_sum", "", "");
      if (s.has_sample_count()) add(Line::kCount, -1, "_count", "", "");
    } else if (hist && m.has_histogram() && !IsNativeHistogram(m.histogram())) {
      const pb::Histogram& h = m.histogram();
      for (int i = 0; i < h.bucket_size(); ++i) {
        add(Line::kBucket, i, "_bucket", "le",
            BoundText(0, i, h.bucket(i).upper_bound(), gauge_hist));
      }
      if (h.has_sample_sum()) {
        add(Line::kSum, -1, gauge_hist ? "_gsum" : "_sum", "", "");
      }
      if (HasHistogramCount(h)) {
        add(Line::kCount, -1, gauge_hist ? "_gcount" : "_count", "", "");
      }
    }
    if (n == 0) add(Line::kWhole, -1, "", "", "");
    return n;
  }

  // Relabels the lines of one series and decides what becomes of it.
  bool Series(const OwnedFamily& family, const pb::Metric& m, const LabelSet& base,
              SeriesOutcome* out) {
    const std::string& name = family.proto.name();
    const size_t n = BuildLines(family, m);
    bool any_kept = false;
    const Line* first_of_kind[2] = {nullptr, nullptr};  // the first bucket, the first quantile
    for (Line& line : std::span<Line>(lines_.data(), n)) {
      // Bucket (or quantile) lines differ only in `le` (`quantile`). When no rule can read or
      // write that label, they all relabel alike: reuse the first one's result.
      const int k = line.kind == Line::kBucket ? 0 : line.kind == Line::kQuantile ? 1 : -1;
      if (k >= 0 && first_of_kind[k] != nullptr && !touches_[k]) {
        line.kept = first_of_kind[k]->kept;
        if (line.kept) {
          line.labels = first_of_kind[k]->labels;
          Put(line.labels, line.extra_name, line.extra_value);
        }
        continue;
      }
      line.labels = base;
      Put(line.labels, kName, StrCat(name, line.suffix));
      if (!line.extra_name.empty()) Put(line.labels, line.extra_name, line.extra_value);
      if (!options_.target_labels.empty()) {
        AttachTargetLabels(options_.target_labels, options_.honor_labels, line.labels);
      }
      line.kept = rules_.Apply(line.labels);
      any_kept = any_kept || line.kept;
      if (k >= 0 && first_of_kind[k] == nullptr) first_of_kind[k] = &line;
    }
    if (!any_kept) {
      out->dropped = true;
      return true;
    }
    auto split = [&](const std::string& why) {
      return Fail(
          ErrorCode::kRelabelSplit,
          StrCat("family \"", name, "\": series ", SeriesText(name, base), ": ", why,
                 "; Prometheus would store the parts as unrelated series, which no exposition "
                 "family can hold: make the rules treat the series' samples alike (e.g. match "
                 "__name__ with ",
                 name, "(_bucket|_sum|_count)?)"));
    };
    bool first = true;
    for (Line& line : std::span<Line>(lines_.data(), n)) {
      if (!line.kept) {
        if (line.kind == Line::kSum || line.kind == Line::kCount || line.kind == Line::kWhole) {
          return split(
              StrCat("the rules drop its ", name, line.suffix, " sample but keep other samples"));
        }
        continue;
      }
      if (!CheckLimits(line.labels)) return false;
      std::string new_name = Take(line.labels, kName);
      if (new_name.empty()) {
        return split(StrCat("the rules remove __name__ from its ", name, line.suffix, " sample"));
      }
      if (!line.extra_name.empty()) {
        if (Take(line.labels, line.extra_name) != line.extra_value) {
          return split(StrCat("the rules change the ", line.extra_name, " label of its ", name,
                              line.suffix, " sample"));
        }
      }
      if (new_name.size() < line.suffix.size() ||
          std::string_view(new_name).substr(new_name.size() - line.suffix.size()) != line.suffix) {
        return split(StrCat("the rules rename its ", name, line.suffix, " sample to \"", new_name,
                            "\", which lacks the suffix \"", line.suffix, "\""));
      }
      new_name.resize(new_name.size() - line.suffix.size());
      if (first) {
        out->name = std::move(new_name);
        out->labels = line.labels;  // a copy: both buffers are reused
        first = false;
      } else if (new_name != out->name || line.labels != out->labels) {
        return split(StrCat("the rules give its samples different names or labels (",
                            SeriesText(StrCat(out->name, "..."), out->labels), " vs ",
                            SeriesText(StrCat(new_name, line.suffix), line.labels), ")"));
      }
      if (line.kind == Line::kBucket) out->kept_buckets.push_back(line.index);
      if (line.kind == Line::kQuantile) out->kept_quantiles.push_back(line.index);
    }
    return true;
  }

  static const std::string* Find(const LabelSet& labels, std::string_view name) {
    auto it = std::lower_bound(labels.begin(), labels.end(), name,
                               [](const auto& l, std::string_view k) { return l.first < k; });
    return it != labels.end() && it->first == name ? &it->second : nullptr;
  }

  // Go's %.50s / %.50q precision: at most 50 runes of `s`.
  static std::string_view Runes50(std::string_view s) {
    size_t runes = 0, i = 0;
    while (i < s.size() && runes < 50) {
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      ++runes;
    }
    return s.substr(0, i);
  }

  // The limits Prometheus checks on every sample that survives metric relabeling, in its order
  // and wording (scrape/scrape.go: verifyLabelLimits, then the sample limit).
  bool CheckLimits(const LabelSet& labels) {
    const RelabelStreamOptions& o = options_;
    ++result_.samples_kept;
    if (o.label_limit == 0 && o.label_name_length_limit == 0 && o.label_value_length_limit == 0 &&
        o.sample_limit == 0) {
      return true;
    }
    const std::string* name = Find(labels, kName);
    const std::string_view metric =
        Runes50(name != nullptr ? std::string_view(*name) : std::string_view());
    auto fail = [&](std::string message) {
      result_.error = Error::Unlocated(ErrorCode::kLimit, std::move(message));
      return false;
    };
    if (o.label_limit > 0 && labels.size() > o.label_limit) {
      return fail(StrCat("label_limit exceeded (metric: ", metric,
                         ", number of labels: ", labels.size(), ", limit: ", o.label_limit, ")"));
    }
    for (const auto& [n, v] : labels) {
      if (o.label_name_length_limit > 0 && n.size() > o.label_name_length_limit) {
        return fail(StrCat("label_name_length_limit exceeded (metric: ", metric,
                           ", label name: ", Runes50(n), ", length: ", n.size(),
                           ", limit: ", o.label_name_length_limit, ")"));
      }
      if (o.label_value_length_limit > 0 && v.size() > o.label_value_length_limit) {
        return fail(StrCat("label_value_length_limit exceeded (metric: ", metric,
                           ", label name: ", Runes50(n), ", value: \"", Runes50(v),
                           "\", length: ", v.size(), ", limit: ", o.label_value_length_limit, ")"));
      }
    }
    if (o.sample_limit > 0 && result_.samples_kept > o.sample_limit) {
      return fail(StrCat("sample limit exceeded: more than ", o.sample_limit,
                         " samples after metric relabeling (sample_limit: ", o.sample_limit,
                         "); Prometheus fails the whole scrape"));
    }
    return true;
  }

  const RelabelRules& rules_;
  const RelabelStreamOptions& options_;
  Sink& output_;
  RelabelStreamResult& result_;
  // Whether a rule may touch `le` (bucket lines) and `quantile` (quantile lines): decided once,
  // not per line (MayTouch runs the labeldrop/labelkeep regexes).
  const bool touches_[2];
  struct Bound {
    bool set = false;
    bool plain = false;
    double value = 0;
    std::string text;
  };
  std::vector<Bound> bounds_[2];
  LossReport losses_;
  std::unique_ptr<FamilyWriter> writer_;
  std::vector<OwnedFamily> outputs_;  // [0, outputs_used_) hold this family's output
  size_t outputs_used_ = 0;
  LabelSet before_;  // the current series' labels (Family)
  std::vector<SeriesOutcome> outcomes_;
  std::vector<Line> lines_;
  std::string buffer_;
};

}  // namespace

RelabelStreamResult RelabelStream(Source& input, Sink& output, const RelabelRules& rules,
                                  const RelabelStreamOptions& options) {
  RelabelStreamResult result;
  result.format = options.from == InputFormat::kAuto ? DetectFormat(input) : options.from;
  LossReport read_losses;
  FamilyStreamOptions read;
  read.text = options.text;
  read.protobuf.max_message_bytes = options.max_message_bytes;
  std::unique_ptr<FamilyStream> reader = NewFamilyStream(input, result.format, read, &read_losses);
  Relabeler relabeler(rules, options, output, result);
  relabeler.Start();
  bool ok = true;
  while (const OwnedFamily* family = reader->Next()) {
    if (!relabeler.Family(*family)) {
      ok = false;
      break;
    }
  }
  if (ok) {
    if (const Error* err = reader->error()) {
      result.error = *err;
      relabeler.Flush(true);
    } else {
      relabeler.Finish();
    }
  }
  for (std::string& line : read_losses.Lines()) result.losses.push_back(std::move(line));
  for (std::string& line : relabeler.Losses()) result.losses.push_back(std::move(line));
  return result;
}

}  // namespace promtool
