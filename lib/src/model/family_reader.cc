// FamilyReader: groups text-parser entries into families the way promtool groups them, keeping
// positions relative to the family's first byte so the source window may move underneath.
#include "promtool/family_reader.h"

#include <functional>
#include <span>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "common/hash.h"
#include "common/huge_pages.h"
#include "common/strcat.h"

namespace promtool {

namespace {

struct Ref {
  uint64_t off = 0;  // relative to the family's first byte
  uint32_t len = 0;
};

struct LabelRec {
  Ref name, value;
  bool quoted = false;
};

struct SeriesRec {
  uint32_t label_begin = 0, label_count = 0;
  uint64_t signature = 0;
  double value = 0, sum = 0, count = 0;
  bool has_sum = false, has_count = false, has_timestamp = false;
  int64_t timestamp_ms = 0;
  uint64_t offset = 0;
  uint32_t lines = 0;
};

struct PartRec {  // a bucket or a quantile, tagged with its series
  uint32_t series;
  double bound, value;
};

}  // namespace

struct FamilyReader::Impl {
  // The family being built.
  bool open = false;
  const TextParser* parser = nullptr;
  uint32_t family = 0;  // its id
  uint64_t base = 0;    // absolute offset of its first line
  // The records and views below grow with the family (tens of MiB for a family of 100k+
  // series): huge-page backed, so filling them does not fault page by page.
  HugeVector<LabelRec> labels;
  HugeVector<SeriesRec> series;
  HugeVector<PartRec> buckets, quantiles;
  absl::flat_hash_map<uint64_t, uint32_t> by_signature;
  uint32_t last_grouped = UINT32_MAX;
  std::vector<bool> had_series;  // by family id
  bool done = false;
  uint32_t max_part = 0;   // SetMaxPartSeries
  uint64_t max_bytes = 0;  // SetMaxFamilyBytes
  bool is_part = false;    // the family being built continues the previous view

  // What the last returned view points into.
  HugeVector<Label> out_labels;
  HugeVector<Series> out_series;
  HugeVector<Bucket> out_buckets;
  HugeVector<Quantile> out_quantiles;
  std::vector<uint32_t> part_start;
  FamilyView family_view;

  // What the family's records take, and the view Emit() builds from them (about as much again).
  uint64_t HeldBytes() const {
    return 2 * (labels.size() * sizeof(LabelRec) + series.size() * sizeof(SeriesRec) +
                (buckets.size() + quantiles.size()) * sizeof(PartRec)) +
           series.size() * (sizeof(Series) - sizeof(SeriesRec)) + by_signature.size() * 16;
  }

  void Reset(uint32_t fam, uint64_t at, bool part = false) {
    open = true;
    is_part = part;
    family = fam;
    base = at;
    labels.clear();
    series.clear();
    buckets.clear();
    quantiles.clear();
    by_signature.clear();
    last_grouped = UINT32_MAX;
  }

  Ref RefOf(std::string_view v, const Source& src) const {
    uint64_t abs = src.window_offset() + static_cast<uint64_t>(v.data() - src.window().data());
    return Ref{static_cast<uint32_t>(abs - base), static_cast<uint32_t>(v.size())};
  }

  bool SameLabels(const SeriesRec& s, uint32_t begin, uint32_t count, const char* b) const {
    if (s.label_count != count) return false;
    auto view = [&](Ref r) { return std::string_view(b + r.off, r.len); };
    for (uint32_t i = 0; i < count; ++i) {
      const LabelRec& a = labels[begin + i];
      bool found = false;
      for (uint32_t j = 0; j < s.label_count; ++j) {
        const LabelRec& o = labels[s.label_begin + j];
        if (view(o.name) == view(a.name)) {
          found = view(o.value) == view(a.value);
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  // True when the line's labels (le/quantile skipped) equal, in order, those of series `s`:
  // the common case of consecutive bucket lines, decided without hashing.
  bool SameInOrder(const SeriesRec& s, std::span<const Label> line, std::string_view skip,
                   const char* b) const {
    uint32_t j = 0;
    for (const Label& l : line) {
      if (l.name == skip) continue;
      if (j == s.label_count) return false;
      const LabelRec& o = labels[s.label_begin + j++];
      if (std::string_view(b + o.value.off, o.value.len) != l.value ||
          std::string_view(b + o.name.off, o.name.len) != l.name) {
        return false;
      }
    }
    return j == s.label_count;
  }

  void Record(const TextParser& p) {
    const Source& src = const_cast<TextParser&>(p).source();
    // Profile k3 (expfmt v0.67+) groups a gauge histogram's lines like a histogram's.
    const MetricType type = p.FamilyType();
    const bool histogram =
        type == MetricType::kHistogram ||
        (type == MetricType::kGaugeHistogram && p.options().profile == PromtoolProfile::k3);
    const bool grouped = type == MetricType::kSummary || histogram;
    std::string_view skip = type == MetricType::kSummary ? "quantile" : histogram ? "le" : "";
    const char* b = src.window().data() + (base - src.window_offset());
    uint32_t idx = UINT32_MAX;
    if (grouped && last_grouped != UINT32_MAX &&
        SameInOrder(series[last_grouped], p.Labels(), skip, b)) {
      idx = last_grouped;
    }
    if (idx == UINT32_MAX) {
      uint32_t begin = static_cast<uint32_t>(labels.size());
      hash::Unordered signature;
      for (const Label& l : p.Labels()) {
        if (grouped && l.name == skip) continue;
        labels.push_back(LabelRec{RefOf(l.name, src), RefOf(l.value, src), l.name_quoted});
        if (grouped) signature.Add(hash::Label(l.name, l.value));
      }
      const uint64_t sig = grouped ? signature.Finish() : 0;
      uint32_t count = static_cast<uint32_t>(labels.size()) - begin;
      if (grouped) {
        if (auto it = by_signature.find(sig);
            it != by_signature.end() && SameLabels(series[it->second], begin, count, b)) {
          idx = it->second;
          labels.resize(begin);  // the series keeps its first labels
        }
      }
      if (idx == UINT32_MAX) {
        idx = static_cast<uint32_t>(series.size());
        SeriesRec s;
        s.label_begin = begin;
        s.label_count = count;
        s.signature = sig;
        s.offset = p.LineOffset();
        series.push_back(s);
        if (grouped) by_signature.emplace(sig, idx);
      }
    }
    last_grouped = grouped ? idx : UINT32_MAX;
    SeriesRec& s = series[idx];
    ++s.lines;
    if (p.HasTimestamp()) {
      s.has_timestamp = true;
      s.timestamp_ms = p.TimestampMs();
    }
    switch (p.Role()) {
      case SampleRole::kValue:
        s.value = p.Value();
        break;
      case SampleRole::kQuantile:
        quantiles.push_back(PartRec{idx, p.Bound(), p.Value()});
        break;
      case SampleRole::kBucket:
        buckets.push_back(PartRec{idx, p.Bound(), p.Value()});
        break;
      case SampleRole::kSum:
        s.sum = p.Value();
        s.has_sum = true;
        break;
      case SampleRole::kCount:
        s.count = p.Value();
        s.has_count = true;
        break;
      case SampleRole::kIgnored:
        break;
    }
  }

  // Groups parts by series (stable), returning per-series [start, start+n) in `out`.
  template <typename Out, typename Make>
  void Gather(const HugeVector<PartRec>& parts, Out* out, Make make) {
    size_t n = series.size();
    part_start.assign(n + 1, 0);
    for (const PartRec& r : parts) ++part_start[r.series + 1];
    for (size_t i = 0; i < n; ++i) part_start[i + 1] += part_start[i];
    out->resize(parts.size());
    std::vector<uint32_t>& fill = fill_;
    fill.assign(part_start.begin(), part_start.end() - 1);
    for (const PartRec& r : parts) (*out)[fill[r.series]++] = make(r);
  }
  std::vector<uint32_t> fill_;
  std::vector<uint32_t> bucket_start, quantile_start;

  void Emit(const Source& src) {
    const char* b = src.window().data() + (base - src.window_offset());
    auto view = [&](Ref r) { return std::string_view(b + r.off, r.len); };
    out_labels.resize(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
      out_labels[i] = Label{view(labels[i].name), view(labels[i].value), labels[i].quoted};
    }
    out_series.resize(series.size());
    Gather(buckets, &out_buckets, [](const PartRec& r) { return Bucket{r.bound, r.value}; });
    bucket_start = part_start;
    Gather(quantiles, &out_quantiles, [](const PartRec& r) { return Quantile{r.bound, r.value}; });
    quantile_start = part_start;
    for (size_t i = 0; i < series.size(); ++i) {
      const SeriesRec& r = series[i];
      Series& s = out_series[i];
      s.labels = std::span<const Label>(out_labels.data() + r.label_begin, r.label_count);
      s.value = r.value;
      s.sum = r.sum;
      s.count = r.count;
      s.has_sum = r.has_sum;
      s.has_count = r.has_count;
      s.has_timestamp = r.has_timestamp;
      s.timestamp_ms = r.timestamp_ms;
      s.offset = r.offset;
      s.lines = r.lines;
      s.buckets = std::span<const Bucket>(out_buckets.data() + bucket_start[i],
                                          bucket_start[i + 1] - bucket_start[i]);
      s.quantiles = std::span<const Quantile>(out_quantiles.data() + quantile_start[i],
                                              quantile_start[i + 1] - quantile_start[i]);
    }
    const FamilyInfo info = parser->FamilyAt(family);
    family_view = FamilyView{};
    family_view.name = info.name;
    family_view.help = info.has_help ? std::string_view(info.help) : std::string_view();
    family_view.has_help = info.has_help;
    family_view.type = info.type;
    family_view.type_declared = info.declared_type;
    family_view.series = out_series;
    family_view.offset = base;
    if (had_series.size() <= family) had_series.resize(family + 1, false);
    family_view.continued = had_series[family] && !series.empty() && !is_part;
    family_view.part = is_part;
    if (!series.empty()) had_series[family] = true;
    open = false;
  }
};

FamilyReader::FamilyReader(TextParser& parser) : parser_(parser), impl_(std::make_unique<Impl>()) {
  impl_->parser = &parser;
}

FamilyReader::~FamilyReader() = default;

void FamilyReader::SetMaxPartSeries(uint32_t n) { impl_->max_part = n; }

void FamilyReader::SetMaxFamilyBytes(uint64_t bytes) { impl_->max_bytes = bytes; }

namespace {
// The types whose lines are one series each (never grouped by label set), so a family of them
// may be cut between any two lines.
bool Splittable(MetricType type) {
  return type == MetricType::kGauge || type == MetricType::kCounter || type == MetricType::kUntyped;
}
}  // namespace

const FamilyView* FamilyReader::Next() {
  Impl& m = *impl_;
  if (m.done) return nullptr;
  // The previous view is released: keep only the pending family's bytes from now on.
  if (m.open) parser_.Pin(m.base);
  for (;;) {
    Entry e = parser_.Next();
    switch (e) {
      case Entry::kEnd:
      case Entry::kEof:
        m.done = true;
        if (!m.open) return nullptr;
        m.Emit(parser_.source());
        return &m.family_view;
      case Entry::kError:
        m.done = true;
        failed_ = true;
        return nullptr;
      case Entry::kComment:
      case Entry::kUnit:
        continue;
      case Entry::kHelp:
      case Entry::kType:
      case Entry::kSample: {
        const uint32_t fam = parser_.FamilyId();
        if (m.open && fam != m.family) {
          m.Emit(parser_.source());
          // Start the next family with this entry; the window keeps the emitted family's bytes
          // until the caller asks for the next one.
          m.Reset(fam, parser_.LineOffset());
          if (e == Entry::kSample) m.Record(parser_);
          return &m.family_view;
        }
        if (!m.open) {
          m.Reset(fam, parser_.LineOffset());
          parser_.Pin(m.base);
        } else if (e == Entry::kSample && m.max_part > 0 && m.series.size() >= m.max_part &&
                   Splittable(parser_.FamilyType())) {
          // The part is full: deliver it and start the next part of the same family with this
          // line (the window is released up to it on the next call).
          m.Emit(parser_.source());
          m.family_view.more = true;
          m.Reset(fam, parser_.LineOffset(), /*part=*/true);
          m.Record(parser_);
          return &m.family_view;
        }
        if (e == Entry::kSample) {
          m.Record(parser_);
          if (m.max_bytes > 0 && m.HeldBytes() > m.max_bytes) {
            parser_.Stop(ErrorCode::kLimit,
                         StrCat("family \"", parser_.Family().name, "\" holds ", m.series.size(),
                                " series (about ", m.HeldBytes(),
                                " bytes of records) by this line, more than the ", m.max_bytes,
                                " that one family may take for a body (half of "
                                "--body-size-limit); raise --body-size-limit"));
            m.done = true;
            failed_ = true;
            return nullptr;
          }
        }
        continue;
      }
    }
  }
}

}  // namespace promtool
