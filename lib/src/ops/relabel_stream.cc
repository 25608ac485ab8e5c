// RelabelStream(): metric relabeling of a whole payload, family by family, sample line by
// sample line as Prometheus relabels them, written in any convert format or as a diff report.
#include "promtool/relabel_stream.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <span>

#include "common/chars.h"
#include "common/strcat.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "promtool/escape.h"
#include "promtool/family_reader.h"
#include "promtool/numbers.h"
#include "promtool/text_parser.h"
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

  // The fast path (text in, text out; see RelabelStream): relabels a family as the text
  // reader's views and writes its sample lines directly, with no owning family. What it does
  // not take on (a series the rules would split, a label set the writer would refuse, names or
  // values that are not UTF-8) goes to the owning path, family and all, so that the output,
  // the counts, the losses and the errors are those of the owning path byte for byte.
  // `window` is the source window the view's labels point into.
  bool FamilyFromView(const FamilyView& view, std::string_view window, LossReport* read_losses) {
    window_ = window;
    const MetricType type =
        view.type == MetricType::kGaugeHistogram ? MetricType::kUntyped : view.type;
    // The text reader's losses, in its order.
    if (view.type == MetricType::kGaugeHistogram) read_losses->Add(view.name, LossKind::kType);
    if (type == MetricType::kSummary) {
      for (const promtool::Series& s : view.series) {
        if (s.has_count && !IsWholeUint64(s.count)) read_losses->Add(view.name, LossKind::kType);
      }
    }
    switch (FastFamily(view, type)) {
      case Fast::kDone:
        if (!view.part) ++result_.fast_families;
        return true;
      case Fast::kStop:
        return false;
      case Fast::kFallback:
        break;
    }
    // The reader's losses were recorded above.
    FillFromView(view, &fallback_, &unescape_scratch_, nullptr);
    return Family(fallback_);
  }

 private:
  // One series' outcome on the fast path.
  struct FastOutcome {
    bool dropped = false;
    bool unchanged = false;
    uint32_t name_begin = 0, name_end = 0;      // the output name, in fast_text_
    uint32_t labels_begin = 0, labels_end = 0;  // the label text between braces, in fast_text_
    uint32_t kept_begin = 0, kept_end = 0;      // kept bucket or quantile indices, in fast_kept_
    bool all_parts = true;                      // every bucket or quantile kept
  };

  // Keeps `v` for the rest of the family (unescaped label names and values).
  std::string_view KeepForFamily(std::string_view v) {
    if (fast_strings_used_ == fast_strings_.size()) fast_strings_.emplace_back();
    std::string& s = fast_strings_[fast_strings_used_++];
    s.assign(v);
    return s;
  }

  // True when `v` views the input as written. Such a label value holds no backslash (values
  // with escapes are unescaped into fast_strings_), hence no quote or newline either: it is
  // its own escaped form, and the text parser checked that it is UTF-8.
  bool InInput(std::string_view v) const {
    const auto at = reinterpret_cast<uintptr_t>(v.data());
    const auto begin = reinterpret_cast<uintptr_t>(window_.data());
    return at >= begin && at + v.size() <= begin + window_.size();
  }

  // Appends `name="value"` pairs as the text writer writes a series' labels.
  void AppendLabel(std::string_view name, std::string_view value, bool first, std::string* out) {
    if (!first) out->push_back(',');
    if (chars::IsLegacyLabelName(name)) {
      out->append(name);
    } else {
      out->push_back('"');
      AppendEscaped(name, EscapeSet::kLabelValue, out);
      out->push_back('"');
    }
    out->append("=\"");
    if (InInput(value)) {
      out->append(value);
    } else {
      AppendEscaped(value, EscapeSet::kLabelValue, out);
    }
    out->push_back('"');
  }

  // The writer's AppendGoFloat, with the common case of a whole number below 1e6 (written by
  // Go's 'g' format as plain digits) done without the shortest-digits search.
  static void AppendValue(double v, std::string* out) {
    if (v != 0 && v > -1e6 && v < 1e6 && static_cast<double>(static_cast<int64_t>(v)) == v) {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
      out->append(buf, static_cast<size_t>(r.ptr - buf));
      return;
    }
    AppendGoFloat(v, out);
  }

  // AppendGoFloat of bucket (kind 0) or quantile (kind 1) bound i, remembered from the
  // previous series, which nearly always has the same bounds.
  void AppendBound(int kind, size_t i, double v, std::string* out) {
    std::vector<Bound>& cache = written_bounds_[kind];
    if (i >= cache.size()) cache.resize(i + 1);
    Bound& b = cache[i];
    if (!b.set || std::memcmp(&b.value, &v, sizeof v) != 0) {
      b.set = true;
      b.value = v;
      b.text.clear();
      AppendGoFloat(v, &b.text);
    }
    out->append(b.text);
  }

  // The writer's LabelSetProblem for labels known to be UTF-8: true when the writer would
  // refuse the series. `sorted`: the labels are sorted by name, so a doubled name would be
  // adjacent.
  static bool Refused(std::span<const LabelRef> labels, MetricType type, bool sorted) {
    const bool histogram = type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
    for (size_t i = 0; i < labels.size(); ++i) {
      const std::string_view n = labels[i].name;
      if (n.empty() || n == kName) return true;
      if ((histogram && n == "le") || (type == MetricType::kSummary && n == "quantile")) {
        return true;
      }
      if (sorted) {
        if (i > 0 && labels[i - 1].name == n) return true;
        continue;
      }
      for (size_t j = 0; j < i; ++j) {
        if (labels[j].name == n) return true;
      }
    }
    return false;
  }

  // Relabels one family of views and writes it; false hands it to the owning path (nothing
  // written, nothing counted).
  enum class Fast { kFallback, kDone, kStop };
  Fast FastFamily(const FamilyView& view, MetricType type) {
    fast_strings_used_ = 0;
    fast_text_.clear();
    fast_kept_.clear();
    const size_t n_series = view.series.size();
    fast_outcomes_.resize(n_series);
    for (const promtool::Series& s : view.series) {
      ReserveBounds(0, s.buckets.size());
      ReserveBounds(1, s.quantiles.size());
    }
    uint64_t dropped = 0, relabelled = 0, unchanged = 0, samples_kept = 0;
    const std::string_view family_name = view.name;
    const bool hist = type == MetricType::kHistogram;
    const bool summary = type == MetricType::kSummary;
    for (size_t i = 0; i < n_series; ++i) {
      const promtool::Series& s = view.series[i];
      FastOutcome& out = fast_outcomes_[i];
      out = FastOutcome{};
      // The labels as written (unescaped, in order), then the base set: sorted, no empty value.
      written_.clear();
      base_views_.clear();
      for (const Label& l : s.labels) {
        std::string_view n = l.name;
        if (l.name_quoted) n = KeepForFamily(Unescape(l.name, &unescape_scratch_));
        std::string_view v = l.value;
        if (v.find('\\') != std::string_view::npos) {
          v = KeepForFamily(Unescape(l.value, &unescape_scratch_));
        }
        written_.push_back(LabelRef{n, v});
        if (!v.empty()) base_views_.push_back(LabelRef{n, v});
      }
      // By name, as std::string_view orders them (bytes unsigned); the first bytes, which
      // nearly always differ, are compared in place.
      std::sort(base_views_.begin(), base_views_.end(), [](const LabelRef& a, const LabelRef& b) {
        if (!a.name.empty() && !b.name.empty() && a.name[0] != b.name[0]) {
          return static_cast<unsigned char>(a.name[0]) < static_cast<unsigned char>(b.name[0]);
        }
        return a.name < b.name;
      });
      // The sample lines, as BuildLines makes them.
      size_t n_lines = 0;
      auto add = [&](Line::Kind kind, int index, std::string_view suffix,
                     std::string_view extra_name, std::string_view extra_value) {
        if (n_lines == fast_lines_.size()) fast_lines_.emplace_back();
        FastLine& l = fast_lines_[n_lines++];
        l.kind = kind;
        l.index = index;
        l.suffix = suffix;
        l.extra_name = extra_name;
        l.extra_value = extra_value;
        l.kept = false;
        l.reused = false;
      };
      if (summary) {
        for (size_t q = 0; q < s.quantiles.size(); ++q) {
          add(Line::kQuantile, static_cast<int>(q), "", "quantile",
              BoundRef(1, static_cast<int>(q), s.quantiles[q].quantile));
        }
        if (s.has_sum) add(Line::kSum, -1, "_sum", "", "");
        if (s.has_count) add(Line::kCount, -1, "_count", "", "");
      } else if (hist) {
        for (size_t b = 0; b < s.buckets.size(); ++b) {
          add(Line::kBucket, static_cast<int>(b), "_bucket", "le",
              BoundRef(0, static_cast<int>(b), s.buckets[b].upper_bound));
        }
        if (s.has_sum) add(Line::kSum, -1, "_sum", "", "");
        if (s.has_count) add(Line::kCount, -1, "_count", "", "");
      }
      if (n_lines == 0) add(Line::kWhole, -1, "", "", "");
      // Relabel each line; `le` (`quantile`) lines reuse the first one's result when no rule
      // can touch that label.
      scratch_.Reset();
      bool any_kept = false;
      int first_of_kind[2] = {-1, -1};
      for (size_t k = 0; k < n_lines; ++k) {
        FastLine& line = fast_lines_[k];
        const int kind = line.kind == Line::kBucket ? 0 : line.kind == Line::kQuantile ? 1 : -1;
        if (kind >= 0 && first_of_kind[kind] >= 0 && !touches_[kind]) {
          line.kept = fast_lines_[static_cast<size_t>(first_of_kind[kind])].kept;
          line.reused = true;
          continue;
        }
        if (kind >= 0 && first_of_kind[kind] < 0) first_of_kind[kind] = static_cast<int>(k);
        name_text_.assign(family_name);
        name_text_.append(line.suffix);
        std::vector<LabelRef>& labels = line.labels;
        labels.assign(base_views_.begin(), base_views_.end());
        auto put = [&labels](std::string_view n, std::string_view v) {
          auto it = std::lower_bound(
              labels.begin(), labels.end(), n,
              [](const LabelRef& l, std::string_view key) { return l.name < key; });
          if (it != labels.end() && it->name == n) {
            it->value = v;
          } else {
            labels.insert(it, LabelRef{n, v});
          }
        };
        put(kName, name_text_);
        if (!line.extra_name.empty()) put(line.extra_name, line.extra_value);
        line.kept = rules_.ApplyViews(labels, scratch_);
        any_kept = any_kept || line.kept;
        if (!line.kept) continue;
        // __name__ and the extra label out of the result; both views may point into
        // name_text_ (reused by the next line), so the name is kept.
        std::string_view new_name, extra;
        bool extra_found = false;
        size_t w = 0;
        for (size_t r = 0; r < labels.size(); ++r) {
          if (labels[r].name == kName) {
            new_name = labels[r].value;
            continue;
          }
          if (!line.extra_name.empty() && labels[r].name == line.extra_name) {
            extra = labels[r].value;
            extra_found = true;
            continue;
          }
          labels[w++] = labels[r];
        }
        labels.resize(w);
        if (new_name.empty()) return Fast::kFallback;  // split: the owning path reports it
        if (!line.extra_name.empty() && (!extra_found || extra != line.extra_value)) {
          return Fast::kFallback;
        }
        if (new_name.size() < line.suffix.size() ||
            new_name.substr(new_name.size() - line.suffix.size()) != line.suffix) {
          return Fast::kFallback;
        }
        new_name.remove_suffix(line.suffix.size());
        line.new_name.assign(new_name);
      }
      if (!any_kept) {
        out.dropped = true;
        ++dropped;
        continue;
      }
      // Every kept line must agree with the first kept one; the dropped ones must be parts.
      const FastLine* first = nullptr;
      out.kept_begin = static_cast<uint32_t>(fast_kept_.size());
      size_t parts = 0;
      for (size_t k = 0; k < n_lines; ++k) {
        const FastLine& line = fast_lines_[k];
        if (line.kind == Line::kBucket || line.kind == Line::kQuantile) ++parts;
        if (!line.kept) {
          if (line.kind == Line::kSum || line.kind == Line::kCount || line.kind == Line::kWhole) {
            return Fast::kFallback;
          }
          continue;
        }
        ++samples_kept;
        if (!line.reused) {
          if (first == nullptr) {
            first = &line;
          } else if (line.new_name != first->new_name || line.labels != first->labels) {
            return Fast::kFallback;
          }
        }
        if (line.kind == Line::kBucket || line.kind == Line::kQuantile) {
          fast_kept_.push_back(line.index);
        }
      }
      out.kept_end = static_cast<uint32_t>(fast_kept_.size());
      out.all_parts = out.kept_end - out.kept_begin == parts;
      // Relabelled labels must be UTF-8 and acceptable to the writer, or the owning path
      // decides.
      const std::span<const LabelRef> result(first->labels);
      out.unchanged =
          first->new_name == family_name && out.all_parts &&
          std::equal(result.begin(), result.end(), base_views_.begin(), base_views_.end());
      if (out.unchanged) {
        ++unchanged;
        if (Refused(written_, type, /*sorted=*/false)) return Fast::kFallback;
      } else {
        ++relabelled;
        if (first->new_name.empty() ||
            (first->new_name != family_name && !chars::ValidUtf8(first->new_name))) {
          return Fast::kFallback;
        }
        for (const LabelRef& l : result) {
          if (InInput(l.value) && InInput(l.name)) continue;
          if (!chars::ValidUtf8(l.name) || !chars::ValidUtf8(l.value)) return Fast::kFallback;
        }
        if (Refused(result, type, /*sorted=*/true)) return Fast::kFallback;
      }
      out.name_begin = static_cast<uint32_t>(fast_text_.size());
      fast_text_.append(first->new_name);
      out.name_end = static_cast<uint32_t>(fast_text_.size());
      out.labels_begin = out.name_end;
      const std::span<const LabelRef> shown =
          out.unchanged ? std::span<const LabelRef>(written_) : result;
      for (size_t k = 0; k < shown.size(); ++k) {
        AppendLabel(shown[k].name, shown[k].value, k == 0, &fast_text_);
      }
      out.labels_end = static_cast<uint32_t>(fast_text_.size());
    }
    // Decided: count, and write as the owning path would.
    result_.series += n_series;
    result_.dropped += dropped;
    result_.relabelled += relabelled;
    result_.unchanged += unchanged;
    result_.samples_kept += samples_kept;
    if (dropped == 0 && relabelled == 0 && options_.honor_timestamps) {
      // Written as it came: one family of the input's name, with every series (even none).
      if (!FastWrite(view, type, family_name, /*all=*/true)) return Fast::kStop;
      return Flush(false) ? Fast::kDone : Fast::kStop;
    }
    // The output families, in order of first appearance of their names.
    fast_names_.clear();
    for (size_t i = 0; i < n_series; ++i) {
      const FastOutcome& o = fast_outcomes_[i];
      if (o.dropped) continue;
      const std::string_view n = OutcomeName(o);
      if (std::find(fast_names_.begin(), fast_names_.end(), n) == fast_names_.end()) {
        fast_names_.push_back(n);
      }
    }
    for (std::string_view n : fast_names_) {
      if (!FastWrite(view, type, n, /*all=*/false)) return Fast::kStop;
      if (!Flush(false)) return Fast::kStop;
    }
    return Flush(false) ? Fast::kDone : Fast::kStop;
  }

  std::string_view OutcomeName(const FastOutcome& o) const {
    return std::string_view(fast_text_).substr(o.name_begin, o.name_end - o.name_begin);
  }

  // Writes the output family `name` of `view`: its HELP and TYPE through the text writer (which
  // remembers what it wrote), then the sample lines of its series (every series when `all`).
  bool FastWrite(const FamilyView& view, MetricType type, std::string_view name, bool all) {
    meta_.Clear();
    meta_.type = type;
    meta_.continued = view.continued;
    meta_.offset = view.offset;
    meta_.utf8_checked = all;
    meta_.proto.set_name(name.data(), name.size());
    if (view.has_help) meta_.proto.set_help(view.help.data(), view.help.size());
    meta_.proto.set_type(WireType(type));
    // As Write(), without its flush: the owning path flushes after the whole family.
    if (absl::Status st = writer_->Write(meta_, &buffer_); !st.ok()) {
      return Fail(ErrorCode::kOutputFormat, std::string(st.message()));
    }
    const bool plain = chars::IsLegacyMetricName(name);
    std::string& out = buffer_;
    for (size_t i = 0; i < view.series.size(); ++i) {
      const FastOutcome& o = fast_outcomes_[i];
      if (o.dropped || (!all && OutcomeName(o) != name)) continue;
      const promtool::Series& s = view.series[i];
      const std::string_view labels =
          std::string_view(fast_text_).substr(o.labels_begin, o.labels_end - o.labels_begin);
      const bool ts = s.has_timestamp && options_.honor_timestamps;
      // One line: the name and suffix, the labels, `le` (kind 0) or `quantile` (kind 1) of
      // bound `index` (SIZE_MAX: +Inf, written once), the value and the timestamp.
      constexpr size_t kAdded = SIZE_MAX;
      auto line = [&](std::string_view suffix, int kind, size_t index, double bound, double value) {
        bool open = false;
        if (plain) {
          out.append(name);
          out.append(suffix);
        } else {
          out.append("{\"");
          name_text_.assign(name);
          name_text_.append(suffix);
          AppendEscaped(name_text_, EscapeSet::kLabelValue, &out);
          out.push_back('"');
          open = true;
        }
        if (!labels.empty()) {
          out.push_back(open ? ',' : '{');
          out.append(labels);
          open = true;
        }
        if (kind >= 0) {
          out.push_back(open ? ',' : '{');
          out.append(kind == 0 ? "le=\"" : "quantile=\"");
          if (index == kAdded) {
            AppendGoFloat(bound, &out);
          } else {
            AppendBound(kind, index, bound, &out);
          }
          out.push_back('"');
          open = true;
        }
        if (open) out.push_back('}');
        out.push_back(' ');
        AppendValue(value, &out);
        if (ts) {
          out.push_back(' ');
          StrAppend(&out, s.timestamp_ms);
        }
        out.push_back('\n');
      };
      const std::span<const int> kept(fast_kept_.data() + o.kept_begin, o.kept_end - o.kept_begin);
      switch (type) {
        case MetricType::kSummary:
          for (int q : kept) {
            const Quantile& qq = s.quantiles[static_cast<size_t>(q)];
            line("", 1, static_cast<size_t>(q), qq.quantile, qq.value);
          }
          if (s.has_sum) line("_sum", -1, 0, 0, s.sum);
          if (s.has_count) line("_count", -1, 0, 0, IsWholeUint64(s.count) ? s.count : 0);
          break;
        case MetricType::kHistogram: {
          bool has_inf = false;
          for (int b : kept) {
            const Bucket& bb = s.buckets[static_cast<size_t>(b)];
            if (std::isinf(bb.upper_bound) && bb.upper_bound > 0) has_inf = true;
            line("_bucket", 0, static_cast<size_t>(b), bb.upper_bound, bb.cumulative_count);
          }
          if (!has_inf && s.has_count) line("_bucket", 0, kAdded, INFINITY, s.count);
          if (s.has_sum) line("_sum", -1, 0, 0, s.sum);
          if (s.has_count) line("_count", -1, 0, 0, s.count);
          break;
        }
        default:
          line("", -1, 0, 0, s.value);
          break;
      }
    }
    return true;
  }

  // BoundText's view: the text stays in bounds_ until the bound at that index changes (at the
  // next series at the earliest), provided bounds_ was sized first (ReserveBounds).
  std::string_view BoundRef(int kind, int i, double v) { return BoundText(kind, i, v, false); }
  void ReserveBounds(int kind, size_t n) {
    if (bounds_[kind].size() < n) bounds_[kind].resize(n);
  }

  struct FastLine {
    Line::Kind kind = Line::kWhole;
    int index = -1;
    std::string_view suffix, extra_name, extra_value;
    bool kept = false;
    bool reused = false;  // took the first bucket's (quantile's) result
    std::string new_name;
    std::vector<LabelRef> labels;  // the result without __name__ and the extra label
  };
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
  const std::string& BoundText(int kind, int i, double v, bool plain) {
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
  std::vector<Bound> written_bounds_[2];  // the fast path's `le` and `quantile` texts
  std::string_view window_;               // the source window of the fast path's view
  LossReport losses_;
  std::unique_ptr<FamilyWriter> writer_;
  std::vector<OwnedFamily> outputs_;  // [0, outputs_used_) hold this family's output
  size_t outputs_used_ = 0;
  LabelSet before_;  // the current series' labels (Family)
  std::vector<SeriesOutcome> outcomes_;
  std::vector<Line> lines_;
  std::string buffer_;
  // The fast path's state, reused from one family to the next.
  RelabelScratch scratch_;
  std::deque<std::string> fast_strings_;  // unescaped names and values of the family
  size_t fast_strings_used_ = 0;
  std::string unescape_scratch_;
  std::string fast_text_;  // output names and label texts of the family
  std::vector<int> fast_kept_;
  std::vector<FastOutcome> fast_outcomes_;
  std::vector<FastLine> fast_lines_;
  std::vector<LabelRef> written_, base_views_;
  std::vector<std::string_view> fast_names_;
  std::string name_text_;
  OwnedFamily meta_, fallback_;
};

// Whether RelabelStream takes the fast path: text input, text output with UTF-8 names quoted,
// the payload (not a report or a trace), no target labels and no limits.
bool UsesFastPath(InputFormat format, const RelabelStreamOptions& o) {
  return (format == InputFormat::kText) && o.to == OutputFormat::kText &&
         o.escaping == Escaping::kAllowUtf8 && !o.diff && o.trace == nullptr &&
         o.target_labels.empty() && o.sample_limit == 0 && o.label_limit == 0 &&
         o.label_name_length_limit == 0 && o.label_value_length_limit == 0;
}

}  // namespace

RelabelStreamResult RelabelStream(Source& input, Sink& output, const RelabelRules& rules,
                                  const RelabelStreamOptions& options) {
  RelabelStreamResult result;
  result.format = options.from == InputFormat::kAuto ? DetectFormat(input) : options.from;
  LossReport read_losses;
  FamilyStreamOptions read;
  read.text = options.text;
  read.protobuf.max_message_bytes = options.max_message_bytes;
  Relabeler relabeler(rules, options, output, result);
  relabeler.Start();
  bool ok = true;
  if (options.fast_path && UsesFastPath(result.format, options)) {
    // Text to text: the text reader's views are relabelled and written directly. A large
    // gauge, counter or untyped family comes in parts (memory stays a constant whatever its
    // size): each part's series are relabelled and written as the whole family's would be, and
    // the text writer writes each name's HELP and TYPE once, so a family that rules rename
    // into several names has its output families come part by part (readers merge them).
    TextParser parser(input, options.text);
    FamilyReader views(parser);
    views.SetMaxPartSeries(kFamilyPartSeries);
    while (const FamilyView* view = views.Next()) {
      if (!relabeler.FamilyFromView(*view, parser.source().window(), &read_losses)) {
        ok = false;
        break;
      }
    }
    if (ok) {
      if (const Error* err = views.error()) {
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
  std::unique_ptr<FamilyStream> reader = NewFamilyStream(input, result.format, read, &read_losses);
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
