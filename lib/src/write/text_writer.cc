// The Prometheus text format 0.0.4 writer: byte for byte what client_golang's expfmt writes for
// the same families (HELP, TYPE, sample order, escaping, Go float formatting), with quoted
// UTF-8 names or an escaping scheme for names that are not legacy names.
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/strcat.h"
#include "model/model_access.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "write/writer.h"

namespace promtool {
namespace {

bool HasNegativeCount(const pb::Histogram& h) {
  if (HistogramCount(h) < 0) return true;
  for (const pb::Bucket& b : h.bucket()) {
    if (BucketCount(b) < 0) return true;
  }
  return false;
}

class TextWriter final : public FamilyWriter {
 public:
  TextWriter(const WriteOptions& options, LossReport* losses)
      : options_(options), losses_(losses) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily& mf = family.proto;
    const std::string& name = mf.name();
    if (name.empty()) return absl::InvalidArgumentError("a metric family has no name");
    // Check every name first, so that a refused family leaves nothing behind in *out. (promtool
    // reads HELP as bytes, so only names and label values must be UTF-8.)
    if (absl::Status st = CheckNames(family); !st.ok()) return st;
    if (absl::Status st = CheckUtf8(family, /*check_help=*/false); !st.ok()) return st;

    MetricType type = family.type;
    switch (type) {
      case MetricType::kStateSet:
      case MetricType::kInfo:
        losses_->Add(name, LossKind::kType);
        type = MetricType::kGauge;
        break;
      case MetricType::kUnknown:
        losses_->Add(name, LossKind::kType);
        type = MetricType::kUntyped;
        break;
      case MetricType::kGaugeHistogram:
        losses_->Add(name, LossKind::kType);
        type = MetricType::kHistogram;
        break;
      default:
        break;
    }
    if (mf.has_unit() && !mf.unit().empty()) losses_->Add(name, LossKind::kUnit);

    const std::string_view help = mf.help();
    Metadata(name, mf.has_help() ? &help : nullptr, family.continued, type, out);

    uint64_t exemplars = 0, created = 0, native = 0, dropped = 0;
    std::string first_problem;
    BeginFamily(name);
    for (const pb::Metric& m : mf.metric()) {
      // Label names the text parser would reject: the series is not written.
      if (std::string why = LabelSetProblem(m, type, &label_names_, family.utf8_checked);
          !why.empty()) {
        if (dropped++ == 0) first_problem = std::move(why);
        continue;
      }
      // A gauge histogram's counts may be negative; a text histogram's may not (the parser
      // refuses them, as expfmt does).
      if (type == MetricType::kHistogram && HasNegativeCount(m.histogram())) {
        if (dropped++ == 0) {
          first_problem = "a negative bucket count or _count, which a text histogram cannot carry";
        }
        continue;
      }
      switch (type) {
        case MetricType::kCounter:
          if (m.counter().has_exemplar()) ++exemplars;
          if (m.counter().has_created_timestamp()) ++created;
          Sample(name, "", m, nullptr, 0, CounterValue(m), out);
          break;
        case MetricType::kGauge:
          Sample(name, "", m, nullptr, 0, GaugeValue(m), out);
          break;
        case MetricType::kSummary: {
          const pb::Summary& s = m.summary();
          if (s.has_created_timestamp()) ++created;
          for (const pb::Quantile& q : s.quantile()) {
            Sample(name, "", m, "quantile", q.quantile(), q.value(), out);
          }
          if (s.has_sample_sum()) Sample(name, "_sum", m, nullptr, 0, s.sample_sum(), out);
          if (s.has_sample_count()) {
            Sample(name, "_count", m, nullptr, 0, static_cast<double>(s.sample_count()), out);
          }
          break;
        }
        case MetricType::kHistogram: {
          const pb::Histogram& h = m.histogram();
          if (h.has_created_timestamp()) ++created;
          if (IsNativeHistogram(h)) ++native;
          bool has_inf = false;
          for (const pb::Bucket& b : h.bucket()) {
            if (b.has_exemplar()) ++exemplars;
            if (std::isinf(b.upper_bound()) && b.upper_bound() > 0) has_inf = true;
            Sample(name, "_bucket", m, "le", b.upper_bound(), BucketCount(b), out);
          }
          exemplars += h.exemplars_size();
          const bool has_count = HasHistogramCount(h);
          // client_golang writes the +Inf bucket when the buckets lack it; not when a family
          // named <name>_bucket was already written, since a reader resolves the exact name
          // first and the added line would join that family (the count alone reads back the
          // same).
          if (!has_inf && has_count && !type_written_.contains(name + "_bucket")) {
            Sample(name, "_bucket", m, "le", INFINITY, HistogramCount(h), out);
          }
          if (h.has_sample_sum()) Sample(name, "_sum", m, nullptr, 0, h.sample_sum(), out);
          if (has_count) Sample(name, "_count", m, nullptr, 0, HistogramCount(h), out);
          break;
        }
        default:
          Sample(name, "", m, nullptr, 0, UntypedValue(m), out);
          break;
      }
    }
    if (exemplars > 0) losses_->Add(name, LossKind::kExemplar, exemplars);
    if (created > 0) losses_->Add(name, LossKind::kCreatedTimestamp, created);
    if (native > 0) losses_->Add(name, LossKind::kNativeHistogram, native);
    if (escaped_names_ > 0) losses_->Add(name, LossKind::kNameEscaped, escaped_names_);
    if (dropped > 0) losses_->Add(name, LossKind::kSeriesDropped, dropped, first_problem);
    escaped_names_ = 0;
    return absl::OkStatus();
  }

  // A counter, gauge or untyped text family written from the reader's view: the bytes of
  // Write() on its FillFromView() model (the same HELP and TYPE lines, through Metadata()).
  // Left to Write(): escaping schemes, names that are not legacy names, label sets
  // LabelSetProblem() might refuse (__name__, a name twice; more than 16 labels are not compared
  // pairwise here), histograms and summaries.
  absl::Status WriteView(const FamilyView& view, std::string* out, bool* written) override {
    *written = false;
    if (!ViewWritable(view, options_.escaping)) return absl::OkStatus();
    *written = true;
    name_.assign(view.name);
    Metadata(name_, view.has_help ? &view.help : nullptr, view.continued, view.type, out);
    for (const Series& s : view.series) {
      out->append(name_);
      AppendViewLabels(s.labels, &scratch_, out);
      out->push_back(' ');
      AppendGoFloat(s.value, out);
      if (s.has_timestamp) {
        out->push_back(' ');
        StrAppend(out, s.timestamp_ms);
      }
      out->push_back('\n');
    }
    return absl::OkStatus();
  }

  absl::Status Finish(std::string*) override { return absl::OkStatus(); }

 private:
  // The HELP and TYPE lines of family `name` (help: nullptr when it has none).
  // HELP and TYPE are written once per name (promtool rejects a second TYPE, and a second
  // HELP); a continued part's samples join the earlier part when read back. A HELP that first
  // comes with a continued part (the input's HELP line came after the family's first samples)
  // is written before that part, where a reader takes it as the family's first HELP. A family
  // may also come again without being `continued` (its first part had only HELP/TYPE lines),
  // so the names whose HELP and TYPE were written are remembered.
  void Metadata(const std::string& name, const std::string_view* help, bool continued,
                MetricType type, std::string* out) {
    if (help != nullptr && help_written_.insert(name).second) {
      out->append("# HELP ");
      AppendName(name, /*metric=*/true, out);
      out->push_back(' ');
      // The parsers skip every blank after the name, and HELP has no escape for a blank:
      // leading blanks cannot be carried (writing them would change the text read back).
      std::string_view text = *help;
      const size_t text_start = text.find_first_not_of(" \t");
      if (text_start != 0 && !text.empty()) {
        losses_->Add(name, LossKind::kHelpBlanks);
        text.remove_prefix(text_start == std::string_view::npos ? text.size() : text_start);
      }
      AppendEscaped(text, EscapeSet::kHelp, out);
      out->push_back('\n');
    }
    if (!continued && type_written_.insert(name).second) {
      out->append("# TYPE ");
      AppendName(name, /*metric=*/true, out);
      out->push_back(' ');
      out->append(MetricTypeName(type));
      out->push_back('\n');
    }
  }

  absl::Status CheckNames(const OwnedFamily& family) {
    const std::string& name = family.proto.name();
    if (options_.escaping == Escaping::kNone) {
      if (!IsLegacyMetricName(name)) {
        return absl::InvalidArgumentError(
            StrCat("family \"", name,
                   "\": the name is not a legacy metric name and no escaping scheme was chosen "
                   "(use --escaping=allow-utf-8|underscores|dots|values)"));
      }
      for (const pb::Metric& m : family.proto.metric()) {
        // A series whose label set cannot be written is skipped (and reported) by Write().
        if (!LabelSetProblem(m, family.type, &label_names_, family.utf8_checked).empty()) continue;
        for (const pb::LabelPair& l : m.label()) {
          if (!IsLegacyLabelName(l.name())) {
            return absl::InvalidArgumentError(
                StrCat("family \"", name, "\": label name \"", l.name(),
                       "\" is not a legacy label name and no escaping scheme was chosen "
                       "(use --escaping=allow-utf-8|underscores|dots|values)"));
          }
        }
      }
    }
    return absl::OkStatus();
  }

  // A metric or label name: legacy names as they are; others quoted (allow-utf-8) or escaped.
  void AppendName(std::string_view n, bool metric, std::string* out) {
    const bool legacy = metric ? IsLegacyMetricName(n) : IsLegacyLabelName(n);
    if (legacy && options_.escaping != Escaping::kDots) {
      out->append(n);
      return;
    }
    if (options_.escaping == Escaping::kAllowUtf8 || options_.escaping == Escaping::kNone) {
      out->push_back('"');
      AppendEscaped(n, EscapeSet::kLabelValue, out);
      out->push_back('"');
      return;
    }
    const size_t before = out->size();
    AppendEscapedName(n, options_.escaping, out);
    if (std::string_view(*out).substr(before) != n) ++escaped_names_;
  }

  // Prepares the per-family name forms (called once per family, before its samples).
  void BeginFamily(const std::string& name) {
    quoted_name_ = !IsLegacyMetricName(name) && (options_.escaping == Escaping::kAllowUtf8 ||
                                                 options_.escaping == Escaping::kNone);
    plain_name_ = IsLegacyMetricName(name) && options_.escaping != Escaping::kDots;
    current_metric_ = nullptr;
  }

  // The labels of `m` as written between the braces ("a=\"x\",b=\"y\""), built once per series
  // and reused by all its lines (a histogram's buckets, _sum and _count).
  const std::string& LabelText(const pb::Metric& m) {
    if (current_metric_ == &m) return label_text_;
    current_metric_ = &m;
    label_text_.clear();
    for (const pb::LabelPair& l : m.label()) {
      if (!label_text_.empty()) label_text_.push_back(',');
      AppendName(l.name(), /*metric=*/false, &label_text_);
      label_text_.append("=\"");
      AppendEscaped(l.value(), EscapeSet::kLabelValue, &label_text_);
      label_text_.push_back('"');
    }
    return label_text_;
  }

  // One sample line: name+suffix, labels (plus le or quantile), value, timestamp.
  void Sample(const std::string& name, std::string_view suffix, const pb::Metric& m,
              const char* extra_name, double extra_value, double value, std::string* out) {
    const std::string& labels = LabelText(m);
    bool open = false;
    if (quoted_name_) {
      out->append("{\"");
      scratch_.assign(name);
      scratch_.append(suffix);
      AppendEscaped(scratch_, EscapeSet::kLabelValue, out);
      out->push_back('"');
      open = true;
    } else if (plain_name_) {
      out->append(name);
      out->append(suffix);
    } else {
      scratch_.assign(name);
      scratch_.append(suffix);
      AppendName(scratch_, /*metric=*/true, out);
    }
    if (!labels.empty()) {
      out->push_back(open ? ',' : '{');
      out->append(labels);
      open = true;
    }
    if (extra_name != nullptr) {
      out->push_back(open ? ',' : '{');
      out->append(extra_name);
      out->append("=\"");
      AppendGoFloat(extra_value, out);
      out->push_back('"');
      open = true;
    }
    if (open) out->push_back('}');
    out->push_back(' ');
    AppendGoFloat(value, out);
    if (m.has_timestamp_ms()) {
      out->push_back(' ');
      StrAppend(out, m.timestamp_ms());
    }
    out->push_back('\n');
  }

  WriteOptions options_;
  LossReport* losses_;
  std::string scratch_;
  std::string name_;  // WriteView(): the family's name, for the HELP/TYPE sets
  std::string label_text_;
  std::vector<std::string_view> label_names_;  // LabelSetProblem's scratch
  const pb::Metric* current_metric_ = nullptr;
  bool quoted_name_ = false;
  bool plain_name_ = true;
  uint64_t escaped_names_ = 0;
  // Families whose HELP / TYPE line was written (a name is never given two).
  std::unordered_set<std::string> help_written_, type_written_;
};

}  // namespace

std::unique_ptr<FamilyWriter> NewTextWriter(const WriteOptions& options, LossReport* losses) {
  return std::make_unique<TextWriter>(options, losses);
}

}  // namespace promtool
