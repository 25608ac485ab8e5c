// Fmt(): merge, sort and re-write families as canonical text; UnifiedDiff() for fmt --diff
// (Myers' O(ND) difference algorithm over lines).
#include "promtool/fmt.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/strcat.h"
#include "common/varint.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "write/series_order.h"
#include "write/writer.h"

namespace promtool {
namespace {

bool LabelLess(const pb::LabelPair& a, const pb::LabelPair& b) { return a.name() < b.name(); }

// A stable sort of the short lists of one series (labels, buckets, quantiles), which are mostly
// in order already: insertion sort, without the buffer std::stable_sort allocates on each call
// (one per series, millions on a large payload).
template <typename It, typename Less>
void SmallStableSort(It first, It last, Less less) {
  if (last - first > 64) {
    std::stable_sort(first, last, less);
    return;
  }
  for (It i = first; i != last; ++i) {
    auto v = *i;
    It j = i;
    for (; j != first && less(v, *(j - 1)); --j) *j = *(j - 1);
    *j = v;
  }
}

void Canonicalize(pb::MetricFamily* mf) {
  for (pb::Metric& m : *mf->mutable_metric()) {
    SmallStableSort(
        m.mutable_label()->pointer_begin(), m.mutable_label()->pointer_end(),
        [](const pb::LabelPair* a, const pb::LabelPair* b) { return LabelLess(*a, *b); });
    if (m.has_histogram()) {
      auto* buckets = m.mutable_histogram()->mutable_bucket();
      SmallStableSort(buckets->pointer_begin(), buckets->pointer_end(),
                      [](const pb::Bucket* a, const pb::Bucket* b) {
                        return a->upper_bound() < b->upper_bound();
                      });
    }
    if (m.has_summary()) {
      auto* qs = m.mutable_summary()->mutable_quantile();
      SmallStableSort(qs->pointer_begin(), qs->pointer_end(),
                      [](const pb::Quantile* a, const pb::Quantile* b) {
                        return a->quantile() < b->quantile();
                      });
    }
  }
  SortSeries(mf->mutable_metric());
}

bool SameLabels(const pb::Metric& a, const pb::Metric& b) {
  if (a.label_size() != b.label_size()) return false;
  for (int i = 0; i < a.label_size(); ++i) {
    if (a.label(i).name() != b.label(i).name() || a.label(i).value() != b.label(i).value()) {
      return false;
    }
  }
  return true;
}

// Joins the parts of one histogram or summary series that arrived as separate metrics (the
// parts of a split family), as reading the text back would: buckets and quantiles together,
// _sum/_count and the timestamp from the later part that has them.
void CoalesceSeries(pb::MetricFamily* mf) {
  if (mf->type() != pb::SUMMARY && mf->type() != pb::HISTOGRAM) return;
  auto* metrics = mf->mutable_metric();
  for (pb::Metric& m : *metrics) {
    SmallStableSort(
        m.mutable_label()->pointer_begin(), m.mutable_label()->pointer_end(),
        [](const pb::LabelPair* a, const pb::LabelPair* b) { return LabelLess(*a, *b); });
  }
  std::stable_sort(metrics->pointer_begin(), metrics->pointer_end(),
                   [](const pb::Metric* a, const pb::Metric* b) {
                     const int n = std::min(a->label_size(), b->label_size());
                     for (int i = 0; i < n; ++i) {
                       if (a->label(i).name() != b->label(i).name()) {
                         return a->label(i).name() < b->label(i).name();
                       }
                       if (a->label(i).value() != b->label(i).value()) {
                         return a->label(i).value() < b->label(i).value();
                       }
                     }
                     return a->label_size() < b->label_size();
                   });
  int out = 0;
  for (int i = 0; i < metrics->size(); ++i) {
    if (out > 0 && SameLabels(metrics->Get(out - 1), metrics->Get(i))) {
      pb::Metric* into = metrics->Mutable(out - 1);
      const pb::Metric& from = metrics->Get(i);
      if (from.has_timestamp_ms()) into->set_timestamp_ms(from.timestamp_ms());
      if (from.has_summary()) {
        pb::Summary* s = into->mutable_summary();
        for (const pb::Quantile& q : from.summary().quantile()) *s->add_quantile() = q;
        if (from.summary().has_sample_sum()) s->set_sample_sum(from.summary().sample_sum());
        if (from.summary().has_sample_count()) s->set_sample_count(from.summary().sample_count());
      }
      if (from.has_histogram()) {
        pb::Histogram* h = into->mutable_histogram();
        const pb::Histogram& fh = from.histogram();
        for (const pb::Bucket& b : fh.bucket()) *h->add_bucket() = b;
        if (fh.has_sample_sum()) h->set_sample_sum(fh.sample_sum());
        if (fh.has_sample_count()) h->set_sample_count(fh.sample_count());
        if (fh.has_sample_count_float()) h->set_sample_count_float(fh.sample_count_float());
      }
      continue;
    }
    if (out != i) metrics->SwapElements(out, i);
    ++out;
  }
  while (metrics->size() > out) metrics->RemoveLast();
}

// A family held until every family is read: its MetricFamily in wire format (the first part's
// message, then the metrics of later parts, and their HELP when the first had none: parsing the
// bytes merges them): a fraction of the memory of a parsed message. Each is parsed again only
// to be written.
struct Held {
  std::string name;
  std::string bytes;  // from `skip` on: the message; before it, a length prefix
  size_t skip = 0;
  MetricType type = MetricType::kUntyped;
  uint64_t offset = 0;
  bool has_help = false;
  // Its reader validated label names and values as UTF-8 (OwnedFamily::utf8_checked): the same
  // strings are parsed back from the bytes, so the writer need not validate them again.
  bool utf8_checked = false;
};

// The suffixes a reader resolves to the family `type` names (after an exact name, which wins).
std::span<const std::string_view> GroupedSuffixes(MetricType type) {
  static constexpr std::string_view kHistogram[] = {"_bucket", "_sum", "_count"};
  static constexpr std::string_view kSummary[] = {"_sum", "_count"};
  switch (type) {
    case MetricType::kHistogram:
    case MetricType::kGaugeHistogram:  // written as a histogram
      return kHistogram;
    case MetricType::kSummary:
      return kSummary;
    default:
      return {};
  }
}

// Name order, except that a family named like a histogram's or summary's own lines (h_bucket
// beside a histogram h) comes before that family: after h's TYPE line, a reader would take
// `# TYPE h_bucket` for a second TYPE of h. Such a family only exists when it came first.
std::vector<Held> CollidingFirst(std::vector<Held> sorted) {
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < sorted.size(); ++i) index.emplace(sorted[i].name, i);
  std::vector<Held> out;
  out.reserve(sorted.size());
  std::vector<bool> placed(sorted.size(), false);
  std::string name;
  auto place = [&](auto& self, size_t i) -> void {
    if (placed[i]) return;
    placed[i] = true;
    for (std::string_view suffix : GroupedSuffixes(sorted[i].type)) {
      name.assign(sorted[i].name).append(suffix);
      if (auto it = index.find(name); it != index.end()) self(self, it->second);
    }
    out.push_back(std::move(sorted[i]));
  };
  for (size_t i = 0; i < sorted.size(); ++i) place(place, i);
  return out;
}

}  // namespace

FmtResult Fmt(Source& input, Sink& out, const FmtOptions& options) {
  FmtResult result;
  const InputFormat format =
      options.from == InputFormat::kAuto ? DetectFormat(input) : options.from;
  LossReport losses;
  FamilyStreamOptions read;
  read.text = options.text;
  std::unique_ptr<FamilyStream> reader = NewFamilyStream(input, format, read, &losses);
  // A held message must parse again: at most 2 GiB (what a protobuf message can have).
  constexpr size_t kMaxMessage = static_cast<size_t>(INT32_MAX);
  auto too_large = [&](const std::string& name) {
    result.error =
        Error::Unlocated(ErrorCode::kOutputFormat,
                         StrCat("family \"", name, "\" takes more than ", kMaxMessage,
                                " bytes as a protobuf message, the most fmt holds for one family"));
    return result;
  };
  // Text input is held from the reader's views, encoded by the protobuf writer (the bytes of
  // their FillFromView() model, without building it); the rest from the owning model.
  auto encoder = NewProtobufWriter(WriteOptions{}, nullptr);
  const bool views = reader->has_views();
  std::vector<Held> families;
  absl::flat_hash_map<std::string, size_t> by_name;
  for (;;) {
    const FamilyView* view = nullptr;
    const OwnedFamily* family = nullptr;
    if (views) {
      view = reader->NextView();
      if (view == nullptr) break;
    } else {
      family = reader->Next();
      if (family == nullptr) break;
    }
    const std::string_view name = view != nullptr ? view->name : family->proto.name();
    if (auto it = by_name.find(absl::string_view(name.data(), name.size())); it != by_name.end()) {
      // A later part of a split family (or a repeated protobuf record): its metrics, field 4 of
      // MetricFamily, are appended to the held message, and its HELP when that has none.
      if (family == nullptr) family = reader->Owned();
      Held& into = families[it->second];
      // Tags: (field number << 3) | 2, a length-delimited field.
      constexpr char kMetricTag = pb::MetricFamily::kMetricFieldNumber << 3 | 2;
      constexpr char kHelpTag = pb::MetricFamily::kHelpFieldNumber << 3 | 2;
      for (const pb::Metric& m : family->proto.metric()) {
        into.bytes.push_back(kMetricTag);
        varint::Append(m.ByteSizeLong(), &into.bytes);
        m.AppendToString(&into.bytes);
      }
      if (!into.has_help && family->proto.has_help()) {
        into.bytes.push_back(kHelpTag);
        varint::Append(family->proto.help().size(), &into.bytes);
        into.bytes.append(family->proto.help());
        into.has_help = true;
      }
      if (into.bytes.size() - into.skip > kMaxMessage) return too_large(into.name);
      continue;
    }
    Held held;
    held.name.assign(name);
    bool written = false;
    if (view != nullptr) {
      if (absl::Status st = encoder->WriteView(*view, &held.bytes, &written); !st.ok()) {
        result.error = Error::Unlocated(ErrorCode::kOutputFormat, std::string(st.message()));
        return result;
      }
    }
    if (written) {
      held.skip = varint::Decode(held.bytes).bytes;
      held.type = view->type;
      held.offset = view->offset;
      held.has_help = view->has_help;
      held.utf8_checked = true;  // the text parser validated every label
    } else {
      if (family == nullptr) family = reader->Owned();
      held.bytes.clear();
      family->proto.AppendToString(&held.bytes);
      held.type = family->type;
      held.offset = family->offset;
      held.has_help = family->proto.has_help();
      held.utf8_checked = family->utf8_checked;
    }
    if (held.bytes.size() - held.skip > kMaxMessage) return too_large(held.name);
    by_name.emplace(held.name, families.size());
    families.push_back(std::move(held));
  }
  if (const Error* err = reader->error()) {
    result.error = *err;
    return result;
  }
  reader.reset();
  by_name = {};
  std::sort(families.begin(), families.end(),
            [](const Held& a, const Held& b) { return a.name < b.name; });
  families = CollidingFirst(std::move(families));
  WriteOptions wo;
  wo.escaping = options.escaping;
  auto writer = NewTextWriter(wo, &losses);
  // Each family is written into a small buffer flushed to `out` every 256 KiB, so the text is
  // never held beside the parsed payload.
  constexpr size_t kFlushBytes = 256 * 1024;
  std::string buffer;
  OwnedFamily f;
  for (Held& held : families) {
    f.Clear();
    if (!f.proto.ParseFromArray(held.bytes.data() + held.skip,
                                static_cast<int>(held.bytes.size() - held.skip))) {
      result.error = Error::Unlocated(
          ErrorCode::kOutputFormat,
          StrCat("family \"", held.name, "\" could not be read back from its held bytes"));
      return result;
    }
    std::string().swap(held.bytes);  // written below: its bytes are not needed again
    f.type = held.type;
    f.offset = held.offset;
    f.utf8_checked = held.utf8_checked;
    // Coalescing first: reading the text back would join same-label histogram/summary series
    // (the parts of a split family, duplicates from protobuf), so fmt joins them now and stays
    // idempotent. Canonicalize then sorts buckets and quantiles of the joined series.
    CoalesceSeries(&f.proto);
    Canonicalize(&f.proto);
    if (absl::Status st = writer->Write(f, &buffer); !st.ok()) {
      result.error = Error::Unlocated(ErrorCode::kOutputFormat, std::string(st.message()));
      return result;
    }
    if (buffer.size() >= kFlushBytes) {
      if (absl::Status st = out.Write(buffer); !st.ok()) {
        result.error = Error::Unlocated(ErrorCode::kOutput, std::string(st.message()));
        return result;
      }
      buffer.clear();
    }
  }
  if (absl::Status st = out.Write(buffer); !st.ok()) {
    result.error = Error::Unlocated(ErrorCode::kOutput, std::string(st.message()));
    return result;
  }
  result.losses = losses.Lines();
  return result;
}

FmtResult Fmt(Source& input, const FmtOptions& options) {
  StringSink sink;
  FmtResult result = Fmt(input, sink, options);
  if (result.ok()) result.output = std::move(sink.data);
  return result;
}

namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return lines;
}

enum class Op : uint8_t { kKeep, kDelete, kInsert };

// Myers' greedy algorithm with the V array saved per step, then a backtrack to an edit script.
std::vector<Op> EditScript(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  const int offset = max + 1;
  std::vector<int> v(2 * max + 3, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  // The saved V arrays cost O(D * (N + M)); past ~64 MiB of them, give up on a minimal diff and
  // replace everything (still a correct diff, only not the shortest).
  constexpr size_t kMaxTraceInts = size_t{16} << 20;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    if (static_cast<size_t>(d + 1) * v.size() > kMaxTraceInts) {
      std::vector<Op> all(static_cast<size_t>(n), Op::kDelete);
      all.insert(all.end(), static_cast<size_t>(m), Op::kInsert);
      return all;
    }
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& pv = trace[d];
    const int k = x - y;
    const bool down = k == -d || (k != d && pv[offset + k - 1] < pv[offset + k + 1]);
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = pv[offset + prev_k];
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      ops.push_back(Op::kKeep);
      --x;
      --y;
    }
    ops.push_back(down ? Op::kInsert : Op::kDelete);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::kKeep);
    --x;
    --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void AppendLine(char mark, std::string_view line, std::string* out) {
  out->push_back(mark);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after,
                        std::string_view before_name, std::string_view after_name) {
  if (before == after) return "";
  const auto a = SplitLines(before);
  const auto b = SplitLines(after);
  const std::vector<Op> ops = EditScript(a, b);
  constexpr size_t kContext = 3;
  std::string out = StrCat("--- ", before_name, "\n+++ ", after_name, "\n");
  // Positions (in a and b) at each op, to cut hunks.
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::kKeep) {
      ++i;
      continue;
    }
    // A hunk: from kContext keeps before the change to kContext keeps after the last change
    // that is at most 2*kContext keeps away.
    size_t start = i >= kContext ? i - kContext : 0;
    while (start < i && ops[start] != Op::kKeep) ++start;
    size_t end = i;
    size_t keeps = 0;
    while (end < ops.size()) {
      if (ops[end] == Op::kKeep) {
        ++keeps;
        if (keeps > 2 * kContext) break;
      } else {
        keeps = 0;
      }
      ++end;
    }
    // Trim to kContext trailing keeps.
    size_t trailing = 0;
    while (end > i && ops[end - 1] == Op::kKeep && trailing < keeps) {
      --end;
      ++trailing;
    }
    end = std::min(ops.size(), end + std::min(trailing, kContext));
    // Line numbers at `start`.
    size_t ai = 0, bi = 0;
    for (size_t k = 0; k < start; ++k) {
      if (ops[k] != Op::kInsert) ++ai;
      if (ops[k] != Op::kDelete) ++bi;
    }
    size_t a_count = 0, b_count = 0;
    for (size_t k = start; k < end; ++k) {
      if (ops[k] != Op::kInsert) ++a_count;
      if (ops[k] != Op::kDelete) ++b_count;
    }
    StrAppend(&out, "@@ -", a_count == 0 ? ai : ai + 1, ",", a_count, " +",
              b_count == 0 ? bi : bi + 1, ",", b_count, " @@\n");
    for (size_t k = start; k < end; ++k) {
      switch (ops[k]) {
        case Op::kKeep:
          AppendLine(' ', a[ai++], &out);
          ++bi;
          break;
        case Op::kDelete:
          AppendLine('-', a[ai++], &out);
          break;
        case Op::kInsert:
          AppendLine('+', b[bi++], &out);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace promtool
