// Fuzz target for the writers: what the text parser accepts survives text -> model -> text ->
// model and text -> model -> protobuf -> model -> text; what the OpenMetrics parser accepts
// survives OpenMetrics -> model -> OpenMetrics -> model. Models are compared as messages, NaN
// equal to NaN, after normalising for the writers' documented differences.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/oracle.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "write/writer.h"

namespace {

using promtool::OwnedFamily;
using promtool::fuzz::Check;

struct Model {
  std::vector<OwnedFamily> families;
  promtool::Error error;
};

Model ReadAll(promtool::FamilyStream& stream) {
  Model m;
  while (const OwnedFamily* f = stream.Next()) m.families.push_back(*f);
  if (const promtool::Error* err = stream.error()) m.error = *err;
  return m;
}

Model ReadText(std::string_view bytes) {
  auto src = promtool::MemorySource(bytes);
  promtool::TextOptions opts;
  opts.names = promtool::NameScheme::kUtf8;
  promtool::LossReport losses;
  auto stream = promtool::NewTextFamilyStream(*src, opts, &losses);
  return ReadAll(*stream);
}

Model ReadOpenMetrics(std::string_view bytes) {
  auto src = promtool::MemorySource(bytes);
  promtool::LossReport losses;
  auto stream = promtool::NewOpenMetricsFamilyStream(*src, &losses);
  return ReadAll(*stream);
}

Model ReadProtobuf(std::string_view bytes) {
  auto src = promtool::MemorySource(bytes);
  promtool::LossReport losses;
  auto stream = promtool::NewProtobufFamilyStream(*src, {}, &losses);
  return ReadAll(*stream);
}

// Writes every family; false when the writer refuses one (*why says which and why).
bool WriteAll(promtool::FamilyWriter& writer, const std::vector<OwnedFamily>& families,
              std::string* out, std::string* why) {
  for (const OwnedFamily& f : families) {
    absl::Status st = writer.Write(f, out);
    if (!st.ok()) {
      *why = st.ToString();
      return false;
    }
  }
  absl::Status st = writer.Finish(out);
  *why = st.ToString();
  return st.ok();
}

// The text writer adds the +Inf bucket (with the _count value) to a histogram series that has a
// _count but no +Inf bucket, as client_golang does.
void AddInfBuckets(OwnedFamily* f) {
  if (f->type != promtool::MetricType::kHistogram) return;
  for (promtool::pb::Metric& m : *f->proto.mutable_metric()) {
    promtool::pb::Histogram* h = m.mutable_histogram();
    if (!promtool::HasHistogramCount(*h)) continue;
    bool has_inf = false;
    for (const promtool::pb::Bucket& b : h->bucket()) {
      if (std::isinf(b.upper_bound()) && b.upper_bound() > 0) has_inf = true;
    }
    if (has_inf) continue;
    promtool::pb::Bucket* b = h->add_bucket();
    b->set_upper_bound(INFINITY);
    if (h->has_sample_count_float()) {
      b->set_cumulative_count_float(h->sample_count_float());
    } else {
      b->set_cumulative_count(h->sample_count());
    }
  }
}

// A histogram or summary series with no bucket, quantile, _sum or _count (its only lines were
// ignored, as promtool ignores them: `x 1` or `x_bucket 1` without le in a histogram, a NaN
// quantile) has nothing to write: the text writer leaves it out (client_golang would write
// _sum 0 and _count 0).
void DropEmptySeries(OwnedFamily* f) {
  auto* metrics = f->proto.mutable_metric();
  for (int i = metrics->size() - 1; i >= 0; --i) {
    const promtool::pb::Metric& m = metrics->Get(i);
    bool empty = false;
    if (f->type == promtool::MetricType::kHistogram) {
      const promtool::pb::Histogram& h = m.histogram();
      empty = h.bucket_size() == 0 && !h.has_sample_sum() && !promtool::HasHistogramCount(h);
    } else if (f->type == promtool::MetricType::kSummary) {
      const promtool::pb::Summary& s = m.summary();
      empty = s.quantile_size() == 0 && !s.has_sample_sum() && !s.has_sample_count();
    }
    if (empty) metrics->DeleteSubrange(i, 1);
  }
}

void SameModels(const std::vector<OwnedFamily>& a, const std::vector<OwnedFamily>& b,
                const char* what, std::string_view written) {
  Check(a.size() == b.size(), what, [&] {
    return "family count " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + "\n" +
           std::string(written);
  });
  for (size_t i = 0; i < a.size(); ++i) {
    std::string report;
    const bool same = promtool::fuzz::SameMessage(a[i].proto, b[i].proto, &report);
    Check(same, what, [&] { return report + "\n" + std::string(written); });
    Check(a[i].type == b[i].type, what, "type differs");
  }
}

void TextRoundTrip(std::string_view bytes) {
  const Model a = ReadText(bytes);
  if (!a.error.ok()) return;

  // text -> model A -> text -> model B: B == A (with the added +Inf buckets).
  promtool::LossReport losses;
  auto writer = promtool::NewTextWriter({}, &losses);
  std::string text, why;
  Check(WriteAll(*writer, a.families, &text, &why),
        "the text writer takes what the text parser read", why);
  const Model b = ReadText(text);
  Check(b.error.ok(), "the text writer's output parses",
        [&] { return b.error.message + "\n" + text; });
  // Mirror what the writer emits: HELP and TYPE once per name, none for a continued part; a
  // part left with no series and no metadata line to write produces no lines at all.
  std::vector<OwnedFamily> expected;
  std::set<std::string> with_series, help_written;
  std::map<std::string, promtool::MetricType> type_written;
  for (const OwnedFamily& original : a.families) {
    OwnedFamily f = original;
    // The writer adds no +Inf line when a family named <name>_bucket came before (read back,
    // the line would join that family).
    if (!type_written.contains(original.proto.name() + "_bucket")) AddInfBuckets(&f);
    DropEmptySeries(&f);
    const std::string& name = f.proto.name();
    bool writes_line = f.proto.metric_size() > 0;
    // HELP once per name, also before a continued part (a HELP after the family's samples).
    if (f.proto.has_help() && help_written.insert(name).second) writes_line = true;
    if (!original.continued) {
      auto [it, first] = type_written.emplace(name, f.type);
      if (first) writes_line = true;
      // Known gap (reported): a first part with only HELP is written with TYPE untyped, so a
      // TYPE that comes later in the input cannot be carried over.
      if (it->second != f.type) return;
    }
    if (!writes_line) continue;
    // Continued: a part with series after an earlier part of the same name that had series
    // (dropped ones do not count); a part with only HELP/TYPE lines is never continued.
    f.continued = f.proto.metric_size() > 0 && with_series.count(name) > 0;
    if (f.proto.metric_size() > 0) with_series.insert(name);
    // A part right after another part of its family (the part between them wrote no line) is
    // read back as one part with it, with the HELP either had.
    if (!expected.empty() && expected.back().proto.name() == name) {
      OwnedFamily& into = expected.back();
      for (const promtool::pb::Metric& m : f.proto.metric()) *into.proto.add_metric() = m;
      if (!into.proto.has_help() && f.proto.has_help()) into.proto.set_help(f.proto.help());
      continue;
    }
    expected.push_back(std::move(f));
  }
  SameModels(expected, b.families, "text -> model -> text -> model", text);
  for (size_t i = 0; i < b.families.size(); ++i) {
    Check(b.families[i].continued == expected[i].continued, "continued parts stay continued");
  }
  // The writer is a fixed point on its own output.
  std::string again;
  auto writer2 = promtool::NewTextWriter({}, &losses);
  Check(WriteAll(*writer2, b.families, &again, &why), "the text writer takes its own output", why);
  Check(again == text, "text written twice is byte-identical",
        [&] { return text + "\n--\n" + again; });

  // text -> model A -> protobuf -> model C: C == A without its families that have no samples
  // (the protobuf writer writes no record for them, a reported loss); then C written as text
  // equals those families of A written.
  std::vector<OwnedFamily> with_samples;
  for (const OwnedFamily& f : a.families) {
    if (f.proto.metric_size() > 0) with_samples.push_back(f);
  }
  auto pb_writer = promtool::NewProtobufWriter({}, &losses);
  std::string wire;
  Check(WriteAll(*pb_writer, a.families, &wire, &why), "the protobuf writer takes text families",
        why);
  Model c = ReadProtobuf(wire);
  Check(c.error.ok(), "the protobuf writer's output reads back", c.error.message);
  SameModels(with_samples, c.families, "text -> model -> protobuf -> model", {});
  for (size_t i = 0; i < c.families.size(); ++i) {
    c.families[i].continued = with_samples[i].continued;
  }
  std::string direct, via_pb;
  auto writer3 = promtool::NewTextWriter({}, &losses);
  Check(WriteAll(*writer3, c.families, &via_pb, &why), "the text writer takes protobuf families",
        why);
  auto writer4 = promtool::NewTextWriter({}, &losses);
  Check(WriteAll(*writer4, with_samples, &direct, &why), "the text writer takes text families",
        why);
  Check(via_pb == direct, "text via protobuf equals text",
        [&] { return direct + "\n--\n" + via_pb; });
}

void OpenMetricsRoundTrip(std::string_view bytes) {
  const Model a = ReadOpenMetrics(bytes);
  if (!a.error.ok()) return;
  promtool::LossReport losses;
  auto writer = promtool::NewOpenMetricsWriter({}, &losses);
  std::string om, why;
  // The writer refuses what OpenMetrics 1.0 cannot express (e.g. names it would have to quote).
  if (!WriteAll(*writer, a.families, &om, &why)) return;
  // A series or family the writer dropped (e.g. a label named __name__, which the 1.0 parser
  // reads but no writer may emit) is a declared loss: the models are compared only when none.
  if (!losses.empty()) return;
  const Model b = ReadOpenMetrics(om);
  Check(b.error.ok(), "the OpenMetrics writer's output parses", [&] {
    return std::string(promtool::ErrorCodeId(b.error.code)) + " at " +
           std::to_string(b.error.offset) + ": " + b.error.message + "\n" + om;
  });
  SameModels(a.families, b.families, "OpenMetrics -> model -> OpenMetrics -> model", om);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  TextRoundTrip(bytes);
  OpenMetricsRoundTrip(bytes);
  return 0;
}
