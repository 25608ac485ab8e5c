// Diff(): OLD read into a compact index of families and series keys, NEW streamed family by
// family against it, then OLD's unmatched entries reported as removed.
#include "promtool/diff.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "common/huge_pages.h"
#include "common/strcat.h"
#include "common/varint.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "promtool/input_format.h"
#include "re2/re2.h"

namespace promtool {

std::string_view DiffKindName(DiffKind kind) {
  switch (kind) {
    case DiffKind::kFamilyAdded:
      return "family-added";
    case DiffKind::kFamilyRemoved:
      return "family-removed";
    case DiffKind::kTypeChanged:
      return "type-changed";
    case DiffKind::kUnitChanged:
      return "unit-changed";
    case DiffKind::kHelpChanged:
      return "help-changed";
    case DiffKind::kLabelNamesChanged:
      return "label-names-changed";
    case DiffKind::kBucketLayoutChanged:
      return "bucket-layout-changed";
    case DiffKind::kSeriesAdded:
      return "series-added";
    case DiffKind::kSeriesRemoved:
      return "series-removed";
    case DiffKind::kValueChanged:
      return "value-changed";
    case DiffKind::kCounterReset:
      return "counter-reset";
    case DiffKind::kTimestampChanged:
      return "timestamp-changed";
  }
  return "unknown";
}

std::string_view DiffFieldName(DiffField field) {
  switch (field) {
    case DiffField::kValue:
      return "value";
    case DiffField::kCount:
      return "count";
    case DiffField::kSum:
      return "sum";
    case DiffField::kBucket:
      return "bucket";
    case DiffField::kQuantile:
      return "quantile";
  }
  return "value";
}

namespace {

constexpr uint32_t kNoSeries = UINT32_MAX;

// How a series' values are packed: kScalar [value]; kHistogram [count, sum, (le, count)...];
// kSummary [count, sum, (quantile, value)...]; pairs sorted by their bound.
enum class Shape : uint8_t { kNone, kScalar, kHistogram, kSummary };

// What one side knows about a family (merged over the parts of a split text family).
struct SideMeta {
  bool present = false;
  MetricType type = MetricType::kUntyped;
  std::string help;
  std::string unit;
  std::set<std::string> label_names;
  std::set<double> bounds;  // classic bucket bounds, +Inf excluded
  uint64_t series = 0;
  // The previous series' label names and bounds: a run of series with the same ones (the
  // common case) costs one comparison, not a set insertion per label.
  std::string last_names;
  std::vector<double> last_bounds;
};

struct FamilyState {
  std::string name;
  SideMeta indexed;      // the side read into the index (OLD, or NEW with index_new)
  SideMeta streamed;     // the side streamed against it
  bool changed = false;  // a series-level difference was found
};

// One series of OLD: its canonical key in the key arena, its packed values in the value pool.
// The indexed series with one family and canonical key (duplicates, e.g. series equal but for
// an ignored label), chained in input order. `head` is the first one not matched yet, so a match
// costs O(1) however many duplicates there are.
struct Group {
  uint32_t first = kNoSeries;       // the group's first series (its key and family)
  uint32_t head = kNoSeries;        // the first unmatched series, kNoSeries when all matched
  uint32_t tail = kNoSeries;        // the last series, where the next duplicate is appended
  uint32_t next_group = kNoSeries;  // another group whose key has the same hash
};

struct OldSeries {
  uint64_t key_offset = 0;
  uint64_t value_offset = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t family = 0;
  uint32_t next = kNoSeries;  // the next series of its group (same family and key)
  int64_t timestamp_ms = 0;
  Shape shape = Shape::kNone;
  bool has_timestamp = false;
  bool matched = false;
};

// The labels encoded in a canonical key (length-prefixed name, value, ...).
std::vector<std::pair<std::string, std::string>> DecodeKey(std::string_view key) {
  std::vector<std::pair<std::string, std::string>> labels;
  size_t p = 0;
  while (p < key.size()) {
    const varint::Read n = varint::Decode(key, p);
    if (!n.ok()) break;  // keys are built by Index below; never malformed
    p += n.bytes;
    std::string name(key.substr(p, n.value));
    p += n.value;
    const varint::Read v = varint::Decode(key, p);
    if (!v.ok()) break;
    p += v.bytes;
    labels.emplace_back(std::move(name), std::string(key.substr(p, v.value)));
    p += v.value;
  }
  return labels;
}

std::string FormatBound(double v) {
  std::string s;
  AppendGoFloat(v, &s);
  return s;
}

std::vector<std::string> NamesOf(const std::set<std::string>& names) {
  return {names.begin(), names.end()};
}

std::vector<std::string> BoundsOf(const std::set<double>& bounds) {
  std::vector<std::string> out;
  out.reserve(bounds.size());
  for (double b : bounds) out.push_back(FormatBound(b));
  return out;
}

// The type as compared: text's untyped and OpenMetrics' unknown (protobuf's UNTYPED) are one
// type under two names, so a payload and its OpenMetrics or protobuf conversion agree.
MetricType ComparedType(MetricType type) {
  return type == MetricType::kUnknown ? MetricType::kUntyped : type;
}

bool IsCounterLike(MetricType type) {
  return type == MetricType::kCounter || type == MetricType::kHistogram ||
         type == MetricType::kSummary;
}

std::unique_ptr<FamilyStream> NewStream(Source& source, InputFormat format, const TextOptions& text,
                                        LossReport* losses) {
  FamilyStreamOptions read;
  read.text = text;
  // A large text family comes in parts (merged per family below), so neither the owning model
  // nor the source window holds it whole.
  read.max_part_series = kFamilyPartSeries;
  return NewFamilyStream(source, format, read, losses);
}

class Differ {
 public:
  Differ(const DiffOptions& options, DiffResult* result)
      : options_(options), result_(result), swapped_(options.index_new) {}

  // Compiles the filters; false (with result->error set, kOption) when a pattern is invalid.
  bool Compile() {
    auto compile = [&](const std::vector<std::string>& patterns, std::string_view option,
                       std::vector<std::unique_ptr<RE2>>* out) {
      for (const std::string& p : patterns) {
        RE2::Options o;
        o.set_log_errors(false);
        auto re = std::make_unique<RE2>(p, o);
        if (!re->ok()) {
          result_->error = Error::Unlocated(
              ErrorCode::kOption,
              StrCat(option, ": invalid regular expression \"", p, "\": ", re->error()));
          return false;
        }
        out->push_back(std::move(re));
      }
      return true;
    };
    return compile(options_.ignore_metrics, "--ignore-metrics", &ignore_metrics_) &&
           compile(options_.only, "--only", &only_);
  }

  // Reads the indexed input (OLD, or NEW with index_new) into the index; false on an input
  // error.
  bool Index(Source& source) {
    InputFormat& format = swapped_ ? result_->new_format : result_->old_format;
    const InputFormat given = swapped_ ? options_.new_format : options_.old_format;
    format = given == InputFormat::kAuto ? DetectFormat(source) : given;
    std::unique_ptr<FamilyStream> stream = NewStream(source, format, options_.text, &losses_);
    while (const OwnedFamily* f = stream->Next()) {
      if (!Selected(f->proto.name())) continue;
      const uint32_t fi = FamilyIndex(f->proto.name());
      SideMeta& meta = families_[fi].indexed;
      MergeMeta(*f, &meta);
      uint32_t n = 0;
      for (const pb::Metric& m : f->proto.metric()) {
        Canonicalize(m, &meta);
        AddOldSeries(fi, m, Pack(m));
        if ((++n & 1023) == 0 && !WithinBudget(swapped_ ? 1 : 0)) return false;
      }
      if (!WithinBudget(swapped_ ? 1 : 0)) return false;
    }
    if (const Error* e = stream->error()) {
      result_->error = *e;
      result_->error_input = swapped_ ? 1 : 0;
      return false;
    }
    return true;
  }

  // Streams the other input against the index; false on an input error.
  bool Stream(Source& source) {
    InputFormat& format = swapped_ ? result_->old_format : result_->new_format;
    const InputFormat given = swapped_ ? options_.old_format : options_.new_format;
    format = given == InputFormat::kAuto ? DetectFormat(source) : given;
    std::unique_ptr<FamilyStream> stream = NewStream(source, format, options_.text, &losses_);
    while (const OwnedFamily* f = stream->Next()) {
      if (!Selected(f->proto.name())) continue;
      const uint32_t fi = FamilyIndex(f->proto.name());
      FamilyState& state = families_[fi];
      MergeMeta(*f, &state.streamed);
      const bool compare = state.indexed.present;
      for (const pb::Metric& m : f->proto.metric()) {
        Canonicalize(m, &state.streamed);
        if (!compare) continue;
        const uint32_t si = Take(fi);
        if (si == kNoSeries) {
          Difference* d = Add(swapped_ ? DiffKind::kSeriesRemoved : DiffKind::kSeriesAdded, fi);
          if (d != nullptr) d->labels = DecodeKey(key_);
          continue;
        }
        CompareSeries(fi, old_series_[si], m);
      }
      if (!WithinBudget(swapped_ ? 0 : 1)) return false;
    }
    if (const Error* e = stream->error()) {
      result_->error = *e;
      result_->error_input = swapped_ ? 0 : 1;
      return false;
    }
    return true;
  }

  // Family-level differences and OLD's unmatched series; sorts the differences.
  void Finish() {
    DiffCounts& c = result_->counts;
    for (uint32_t fi = 0; fi < families_.size(); ++fi) {
      FamilyState& f = families_[fi];
      const SideMeta& o = swapped_ ? f.streamed : f.indexed;
      const SideMeta& n = swapped_ ? f.indexed : f.streamed;
      if (o.present) {
        ++c.old_families;
        c.old_series += o.series;
      }
      if (n.present) {
        ++c.new_families;
        c.new_series += n.series;
      }
      if (!n.present) {
        ++c.families_removed;
        if (Difference* d = Add(DiffKind::kFamilyRemoved, fi)) d->series = o.series;
        continue;
      }
      if (!o.present) {
        ++c.families_added;
        if (Difference* d = Add(DiffKind::kFamilyAdded, fi)) d->series = n.series;
        continue;
      }
      if (ComparedType(o.type) != ComparedType(n.type)) {
        if (Difference* d = Add(DiffKind::kTypeChanged, fi)) {
          d->old_text = MetricTypeName(o.type);
          d->new_text = MetricTypeName(n.type);
        }
      }
      if (o.unit != n.unit) {
        if (Difference* d = Add(DiffKind::kUnitChanged, fi)) {
          d->old_text = o.unit;
          d->new_text = n.unit;
        }
      }
      if (o.help != n.help) {
        if (Difference* d = Add(DiffKind::kHelpChanged, fi)) {
          d->old_text = o.help;
          d->new_text = n.help;
        }
      }
      if (o.label_names != n.label_names) {
        if (Difference* d = Add(DiffKind::kLabelNamesChanged, fi)) {
          d->old_items = NamesOf(o.label_names);
          d->new_items = NamesOf(n.label_names);
        }
      }
      if (o.bounds != n.bounds) {
        if (Difference* d = Add(DiffKind::kBucketLayoutChanged, fi)) {
          d->old_items = BoundsOf(o.bounds);
          d->new_items = BoundsOf(n.bounds);
        }
      }
    }
    for (const OldSeries& s : old_series_) {
      if (s.matched || !families_[s.family].streamed.present) continue;
      if (Difference* d =
              Add(swapped_ ? DiffKind::kSeriesAdded : DiffKind::kSeriesRemoved, s.family)) {
        d->labels = DecodeKey(KeyAt(s));
      }
    }
    for (const FamilyState& f : families_) {
      if (f.changed) ++c.families_changed;
    }
    std::stable_sort(result_->differences.begin(), result_->differences.end(),
                     [](const Difference& a, const Difference& b) {
                       if (a.family != b.family) return a.family < b.family;
                       if (a.kind != b.kind) return a.kind < b.kind;
                       if (a.labels != b.labels) return a.labels < b.labels;
                       if (a.field != b.field) return a.field < b.field;
                       return a.bound < b.bound;
                     });
  }

 private:
  bool Selected(const std::string& name) const {
    for (const auto& re : ignore_metrics_) {
      if (RE2::PartialMatch(name, *re)) return false;
    }
    if (only_.empty()) return true;
    for (const auto& re : only_) {
      if (RE2::PartialMatch(name, *re)) return true;
    }
    return false;
  }

  uint32_t FamilyIndex(const std::string& name) {
    auto [it, inserted] = family_index_.try_emplace(name, static_cast<uint32_t>(families_.size()));
    if (inserted) {
      families_.emplace_back();
      families_.back().name = name;
      meta_bytes_ += 64 + 2 * name.size();  // the map's node and key, the state's name
    }
    return it->second;
  }

  // Type, HELP and unit from the first part of a family; HELP or unit from a later part when
  // the first had none.
  void MergeMeta(const OwnedFamily& f, SideMeta* meta) {
    if (!meta->present) {
      meta->present = true;
      meta->type = f.type;
    }
    if (meta->help.empty() && !f.proto.help().empty()) {
      meta->help = f.proto.help();
      meta_bytes_ += meta->help.size();
    }
    if (meta->unit.empty() && !f.proto.unit().empty()) {
      meta->unit = f.proto.unit();
      meta_bytes_ += meta->unit.size();
    }
  }

  // The bytes held for what was read so far: the families' state, OLD's index, the differences
  // kept. An estimate from sizes and capacities (allocator overhead aside).
  uint64_t HeldBytes() const {
    return meta_bytes_ + families_.capacity() * sizeof(FamilyState) + keys_.capacity() +
           pool_.capacity() * sizeof(double) + old_series_.capacity() * sizeof(OldSeries) +
           groups_.capacity() * sizeof(Group) +
           index_.capacity() * (sizeof(std::pair<uint64_t, uint32_t>) + 1) +
           result_->differences.capacity() * sizeof(Difference) + differences_bytes_;
  }

  // False, with result_->error set (kLimit), when the held state is past max_held_bytes.
  bool WithinBudget(int input) {
    if (options_.max_held_bytes == 0) return true;
    const uint64_t held = HeldBytes();
    if (held <= options_.max_held_bytes) return true;
    result_->error = Error::Unlocated(
        ErrorCode::kLimit,
        StrCat("diff holds ", held, " bytes for the families and series read so far, past ",
               options_.max_held_bytes,
               ", the most it holds when an input is a URL (--body-size-limit); raise "
               "--body-size-limit, or diff saved files"));
    result_->error_input = input;
    return false;
  }

  // Builds key_ (the series' labels without the ignored ones, sorted by name, length-prefixed)
  // and records the label names and bucket bounds in `meta`.
  void Canonicalize(const pb::Metric& m, SideMeta* meta) {
    ++meta->series;
    labels_.clear();
    for (const pb::LabelPair& l : m.label()) {
      if (std::find(options_.ignore_labels.begin(), options_.ignore_labels.end(), l.name()) !=
          options_.ignore_labels.end()) {
        continue;
      }
      labels_.push_back(&l);
    }
    std::sort(labels_.begin(), labels_.end(), [](const pb::LabelPair* a, const pb::LabelPair* b) {
      if (a->name() != b->name()) return a->name() < b->name();
      return a->value() < b->value();
    });
    key_.clear();
    names_.clear();
    for (const pb::LabelPair* l : labels_) {
      varint::Append(l->name().size(), &key_);
      key_.append(l->name());
      varint::Append(l->value().size(), &key_);
      key_.append(l->value());
      names_.append(l->name());
      names_.push_back('\0');
    }
    if (names_ != meta->last_names) {
      for (const pb::LabelPair* l : labels_) {
        if (meta->label_names.insert(l->name()).second) meta_bytes_ += 64 + l->name().size();
      }
      meta->last_names = names_;
    }
    if (m.has_histogram() && m.histogram().bucket_size() > 0) {
      bounds_.clear();
      for (const pb::Bucket& b : m.histogram().bucket()) {
        if (!std::isinf(b.upper_bound()) || b.upper_bound() < 0) bounds_.push_back(b.upper_bound());
      }
      if (bounds_ != meta->last_bounds) {
        for (double b : bounds_) {
          if (meta->bounds.insert(b).second) meta_bytes_ += 48;
        }
        meta->last_bounds = bounds_;
      }
    }
  }

  // Packs the series' values into values_ (see Shape); returns the shape.
  Shape Pack(const pb::Metric& m) {
    values_.clear();
    auto pairs = [&](size_t from) {
      // Sort the (bound, value) pairs after `from` by bound.
      const size_t n = (values_.size() - from) / 2;
      bool sorted = true;
      for (size_t i = 1; i < n; ++i) {
        if (values_[from + 2 * i] < values_[from + 2 * (i - 1)]) sorted = false;
      }
      if (sorted) return;
      std::vector<std::pair<double, double>> tmp(n);
      for (size_t i = 0; i < n; ++i) tmp[i] = {values_[from + 2 * i], values_[from + 2 * i + 1]};
      std::stable_sort(tmp.begin(), tmp.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t i = 0; i < n; ++i) {
        values_[from + 2 * i] = tmp[i].first;
        values_[from + 2 * i + 1] = tmp[i].second;
      }
    };
    if (m.has_histogram()) {
      const pb::Histogram& h = m.histogram();
      values_.push_back(HistogramCount(h));
      values_.push_back(h.sample_sum());
      for (const pb::Bucket& b : h.bucket()) {
        values_.push_back(b.upper_bound());
        values_.push_back(BucketCount(b));
      }
      pairs(2);
      return Shape::kHistogram;
    }
    if (m.has_summary()) {
      const pb::Summary& s = m.summary();
      values_.push_back(static_cast<double>(s.sample_count()));
      values_.push_back(s.sample_sum());
      for (const pb::Quantile& q : s.quantile()) {
        values_.push_back(q.quantile());
        values_.push_back(q.value());
      }
      pairs(2);
      return Shape::kSummary;
    }
    if (m.has_counter()) {
      values_.push_back(m.counter().value());
    } else if (m.has_gauge()) {
      values_.push_back(m.gauge().value());
    } else if (m.has_untyped()) {
      values_.push_back(m.untyped().value());
    } else {
      return Shape::kNone;
    }
    return Shape::kScalar;
  }

  uint64_t Hash(uint32_t family) const {
    return std::hash<std::string_view>{}(key_) ^ (uint64_t{family} * 0x9E3779B97F4A7C15ull);
  }

  void AddOldSeries(uint32_t family, const pb::Metric& m, Shape shape) {
    OldSeries s;
    s.family = family;
    s.key_offset = keys_.size();
    s.key_size = static_cast<uint32_t>(key_.size());
    keys_.insert(keys_.end(), key_.begin(), key_.end());
    s.shape = shape;
    s.value_offset = pool_.size();
    s.value_size = static_cast<uint32_t>(values_.size());
    pool_.insert(pool_.end(), values_.begin(), values_.end());
    s.has_timestamp = m.has_timestamp_ms();
    s.timestamp_ms = m.timestamp_ms();
    const auto index = static_cast<uint32_t>(old_series_.size());
    old_series_.push_back(s);
    const uint64_t hash = Hash(family);
    auto [it, inserted] = index_.try_emplace(hash, kNoSeries);
    uint32_t* link = &it->second;  // where a new group would be linked in
    for (uint32_t g = it->second; g != kNoSeries; g = groups_[g].next_group) {
      if (SameKey(groups_[g].first, family)) {
        // A duplicate: appended to its group, so that duplicates match in input order.
        old_series_[groups_[g].tail].next = index;
        groups_[g].tail = index;
        if (groups_[g].head == kNoSeries) groups_[g].head = index;
        return;
      }
      link = &groups_[g].next_group;
    }
    *link = static_cast<uint32_t>(groups_.size());
    groups_.push_back(Group{index, index, index, kNoSeries});
  }

  std::string_view KeyAt(const OldSeries& s) const {
    return std::string_view(keys_.data() + s.key_offset, s.key_size);
  }

  // Whether the indexed series `i` has `family` and the key key_.
  bool SameKey(uint32_t i, uint32_t family) const {
    const OldSeries& s = old_series_[i];
    return s.family == family && s.key_size == key_.size() && KeyAt(s) == key_;
  }

  // Takes the first unmatched indexed series of `family` whose key equals key_ (marking it
  // matched), or returns kNoSeries.
  uint32_t Take(uint32_t family) {
    auto it = index_.find(Hash(family));
    if (it == index_.end()) return kNoSeries;
    for (uint32_t g = it->second; g != kNoSeries; g = groups_[g].next_group) {
      if (!SameKey(groups_[g].first, family)) continue;
      const uint32_t i = groups_[g].head;
      if (i != kNoSeries) {
        old_series_[i].matched = true;
        groups_[g].head = old_series_[i].next;
      }
      return i;
    }
    return kNoSeries;
  }

  // A new difference in `family` (nullptr when max_differences are kept already); counts it.
  Difference* Add(DiffKind kind, uint32_t family) {
    DiffCounts& c = result_->counts;
    switch (kind) {
      case DiffKind::kFamilyAdded:
      case DiffKind::kFamilyRemoved:
        break;  // counted by the caller
      case DiffKind::kTypeChanged:
        ++c.types_changed;
        break;
      case DiffKind::kUnitChanged:
        ++c.units_changed;
        break;
      case DiffKind::kHelpChanged:
        ++c.helps_changed;
        break;
      case DiffKind::kLabelNamesChanged:
        ++c.label_names_changed;
        break;
      case DiffKind::kBucketLayoutChanged:
        ++c.bucket_layouts_changed;
        break;
      case DiffKind::kSeriesAdded:
        ++c.series_added;
        break;
      case DiffKind::kSeriesRemoved:
        ++c.series_removed;
        break;
      case DiffKind::kValueChanged:
        ++c.values_changed;
        break;
      case DiffKind::kCounterReset:
        ++c.counter_resets;
        break;
      case DiffKind::kTimestampChanged:
        ++c.timestamps_changed;
        break;
    }
    if (kind != DiffKind::kFamilyAdded && kind != DiffKind::kFamilyRemoved) {
      families_[family].changed = true;
    }
    if (result_->differences.size() >= options_.max_differences) return nullptr;
    Difference& d = result_->differences.emplace_back();
    d.kind = kind;
    d.family = families_[family].name;
    differences_bytes_ += d.family.size() + 2 * key_.size() + 64;  // the name, labels, texts
    return &d;
  }

  bool Close(double a, double b) const {
    if (a == b) return true;
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return false;
    const double d = std::fabs(a - b);
    return d <= std::max(options_.abs_tolerance,
                         options_.rel_tolerance * std::max(std::fabs(a), std::fabs(b)));
  }

  void ValueDifference(DiffKind kind, uint32_t family, DiffField field, double bound, double a,
                       double b) {
    if (Difference* d = Add(kind, family)) {
      d->labels = DecodeKey(key_);
      d->field = field;
      d->bound = bound;
      d->old_value = a;
      d->new_value = b;
    }
  }

  void CompareSeries(uint32_t family, const OldSeries& old, const pb::Metric& m) {
    if (!options_.ignore_timestamps &&
        (old.has_timestamp != m.has_timestamp_ms() || old.timestamp_ms != m.timestamp_ms())) {
      if (Difference* d = Add(DiffKind::kTimestampChanged, family)) {
        d->labels = DecodeKey(key_);
        d->has_old_timestamp = old.has_timestamp;
        d->old_timestamp_ms = old.timestamp_ms;
        d->has_new_timestamp = m.has_timestamp_ms();
        d->new_timestamp_ms = m.timestamp_ms();
        if (swapped_) {
          std::swap(d->has_old_timestamp, d->has_new_timestamp);
          std::swap(d->old_timestamp_ms, d->new_timestamp_ms);
        }
      }
    }
    if (options_.ignore_values) return;
    const Shape shape = Pack(m);
    if (shape != old.shape || shape == Shape::kNone) return;  // a type change, reported once
    // a: OLD's values, b: NEW's.
    const double* a = pool_.data() + old.value_offset;
    size_t an = old.value_size;
    const double* b = values_.data();
    size_t bn = values_.size();
    if (swapped_) {
      std::swap(a, b);
      std::swap(an, bn);
    }
    const FamilyState& f = families_[family];
    const bool resets = ComparedType(f.indexed.type) == ComparedType(f.streamed.type) &&
                        IsCounterLike(f.streamed.type);
    if (shape == Shape::kScalar) {
      if (Close(a[0], b[0])) return;
      const bool reset = resets && f.streamed.type == MetricType::kCounter && b[0] < a[0];
      ValueDifference(reset ? DiffKind::kCounterReset : DiffKind::kValueChanged, family,
                      DiffField::kValue, 0, a[0], b[0]);
      return;
    }
    // Histogram or summary: a count that went down is one reset; the rest then changed too.
    if (resets && b[0] < a[0]) {
      ValueDifference(DiffKind::kCounterReset, family, DiffField::kCount, 0, a[0], b[0]);
      return;
    }
    if (!Close(a[0], b[0])) {
      ValueDifference(DiffKind::kValueChanged, family, DiffField::kCount, 0, a[0], b[0]);
    }
    if (!Close(a[1], b[1])) {
      ValueDifference(DiffKind::kValueChanged, family, DiffField::kSum, 0, a[1], b[1]);
    }
    // Walk the (bound, value) pairs of both sides; bounds on one side only are a layout change.
    const DiffField field = shape == Shape::kHistogram ? DiffField::kBucket : DiffField::kQuantile;
    size_t i = 2, j = 2;
    while (i + 1 < an && j + 1 < bn) {
      if (a[i] < b[j]) {
        i += 2;
      } else if (b[j] < a[i]) {
        j += 2;
      } else {
        if (!Close(a[i + 1], b[j + 1])) {
          ValueDifference(DiffKind::kValueChanged, family, field, a[i], a[i + 1], b[j + 1]);
        }
        i += 2;
        j += 2;
      }
    }
  }

  const DiffOptions& options_;
  DiffResult* result_;
  const bool swapped_;  // NEW is indexed and OLD streamed
  LossReport losses_;   // what the readers drop (exemplars, ...): not differences
  std::vector<std::unique_ptr<RE2>> ignore_metrics_;
  std::vector<std::unique_ptr<RE2>> only_;

  std::unordered_map<std::string, uint32_t> family_index_;
  std::vector<FamilyState> families_;
  // OLD's index grows to about its text's size: huge-page backed, so that growing it faults
  // once per 2 MiB, not once per 4 KiB (with 4 KiB pages the faults of its regrowth were a
  // third of a diff of 100 MB of large families on this VM).
  HugeVector<char> keys_;                          // OLD's canonical keys, back to back
  HugeVector<double> pool_;                        // OLD's packed values, back to back
  HugeVector<OldSeries> old_series_;               // in input order
  HugeVector<Group> groups_;                       // OLD's series grouped by family and key
  absl::flat_hash_map<uint64_t, uint32_t> index_;  // key hash -> first group with that hash

  // Scratch for the series at hand.
  std::vector<const pb::LabelPair*> labels_;
  std::string key_;
  std::string names_;
  std::vector<double> bounds_;
  std::vector<double> values_;

  // What HeldBytes() cannot see from capacities: the families' names, help texts, units, label
  // names and bounds, and the strings of the differences kept.
  uint64_t meta_bytes_ = 0;
  uint64_t differences_bytes_ = 0;
};

}  // namespace

DiffResult Diff(Source& old_input, Source& new_input, const DiffOptions& options) {
  DiffResult result;
  Differ differ(options, &result);
  if (!differ.Compile()) return result;
  const bool ok = options.index_new ? differ.Index(new_input) && differ.Stream(old_input)
                                    : differ.Index(old_input) && differ.Stream(new_input);
  if (!ok) {
    result.differences.clear();
    result.counts = DiffCounts{};
    return result;
  }
  differ.Finish();
  return result;
}

}  // namespace promtool
