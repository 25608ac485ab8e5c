// Fuzz target for the OpenMetrics 2.0 parser (read from URL bodies whose Content-Type says
// version=2.0.0): drives it to the end reading every accessor, checks the invariants of what it
// accepts (composite shapes, spans against bucket counts, exemplar timestamps), that the
// chunked (stdin-like) path sees exactly what the in-memory path sees, and that the per-name
// budget is never passed.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/oracle.h"
#include "promtool/escape.h"
#include "promtool/openmetrics2_parser.h"

namespace {

using promtool::Entry;
using promtool::fuzz::AppendDouble;
using promtool::fuzz::Check;

void AppendLabels(std::span<const promtool::Label> labels, std::string* scratch,
                  std::string* digest) {
  for (const promtool::Label& l : labels) {
    digest->append(l.name);
    digest->push_back('=');
    digest->append(promtool::Unescape(l.value, scratch));
    digest->push_back(l.name_quoted ? 'q' : ',');
  }
}

void AppendFamily(const promtool::Om2Family& f, std::string* digest) {
  digest->append(f.name);
  digest->push_back('|');
  digest->append(promtool::MetricTypeName(f.type));
  digest->push_back(f.has_type ? 'T' : '-');
  digest->push_back(f.has_help ? 'H' : '-');
  digest->push_back(f.has_unit ? 'U' : '-');
  if (f.has_help) digest->append(f.help);
  digest->push_back('|');
  if (f.has_unit) digest->append(f.unit);
  digest->push_back('|');
  digest->append(std::to_string(f.id));
  digest->push_back('/');
  digest->append(std::to_string(f.samples));
}

uint64_t SpanLength(const std::vector<promtool::Om2Span>& spans) {
  uint64_t n = 0;
  for (const promtool::Om2Span& s : spans) n += s.length;
  return n;
}

void AppendComposite(const promtool::Om2Composite& c, std::string* digest) {
  digest->push_back(static_cast<char>('A' + static_cast<int>(c.kind)));
  AppendDouble(c.count, digest);
  AppendDouble(c.sum, digest);
  if (c.native) {
    // An accepted native histogram has exactly as many counts as its spans cover.
    Check(SpanLength(c.negative_spans) == c.negative_buckets.size(),
          "negative spans cover the negative buckets");
    Check(SpanLength(c.positive_spans) == c.positive_buckets.size(),
          "positive spans cover the positive buckets");
    digest->append(std::to_string(c.schema));
    AppendDouble(c.zero_threshold, digest);
    AppendDouble(c.zero_count, digest);
    for (const auto* spans : {&c.negative_spans, &c.positive_spans}) {
      for (const promtool::Om2Span& s : *spans) {
        digest->append(std::to_string(s.offset));
        digest->push_back(':');
        digest->append(std::to_string(s.length));
      }
      digest->push_back(';');
    }
    for (const auto* counts : {&c.negative_buckets, &c.positive_buckets}) {
      for (double x : *counts) AppendDouble(x, digest);
      digest->push_back(';');
    }
  }
  if (c.classic) {
    // Classic buckets end with +Inf.
    Check(!c.buckets.empty() && std::isinf(c.buckets.back().key) && c.buckets.back().key > 0,
          "classic buckets end with +Inf");
  }
  for (const auto* pairs : {&c.buckets, &c.quantiles}) {
    for (const promtool::Om2Pair& p : *pairs) {
      AppendDouble(p.key, digest);
      AppendDouble(p.value, digest);
    }
    digest->push_back(';');
  }
  digest->push_back(c.float_counts ? 'f' : 'i');
}

constexpr uint64_t kNameBudget = 4096;

// Pulls every entry, reading every accessor; returns a digest of what was seen. With `budget`,
// the parser's per-name state must stay within it.
std::string Pull(promtool::Source& src, std::string_view bytes, uint64_t budget) {
  promtool::OpenMetrics2Parser p(src, budget);
  std::string digest, scratch;
  bool saw_eof = false;
  for (;;) {
    const Entry e = p.Next();
    if (budget > 0) Check(p.name_table_bytes() <= budget, "per-name state within the budget");
    digest.push_back(static_cast<char>('0' + static_cast<int>(e)));
    digest.append(std::to_string(p.LineOffset()));
    digest.push_back(':');
    switch (e) {
      case Entry::kSample: {
        Check(!saw_eof, "no sample after # EOF");
        digest.append(p.MetricName());
        AppendFamily(p.Family(), &digest);
        AppendLabels(p.Labels(), &scratch, &digest);
        if (p.IsComposite()) {
          AppendComposite(p.Composite(), &digest);
        } else {
          AppendDouble(p.Value(), &digest);
        }
        if (p.HasTimestamp()) AppendDouble(p.Timestamp(), &digest);
        if (p.HasStartTimestamp()) {
          AppendDouble(p.StartTimestamp(), &digest);
          digest.append(p.StartTimestampText());
        }
        for (size_t i = 0; i < p.ExemplarCount(); ++i) {
          const promtool::Om2Exemplar ex = p.Exemplar(i);
          digest.push_back('#');
          AppendLabels(ex.labels, &scratch, &digest);
          AppendDouble(ex.value, &digest);
          AppendDouble(ex.timestamp, &digest);
          Check(!ex.timestamp_text.empty(), "a 2.0 exemplar has its timestamp");
          digest.append(ex.timestamp_text);
        }
        break;
      }
      case Entry::kHelp:
        digest.append(p.MetricName());
        digest.append(p.HelpRaw());
        AppendFamily(p.Family(), &digest);
        break;
      case Entry::kType:
        digest.append(p.MetricName());
        digest.append(promtool::MetricTypeName(p.Type()));
        AppendFamily(p.Family(), &digest);
        break;
      case Entry::kUnit:
        digest.append(p.MetricName());
        digest.append(p.Unit());
        AppendFamily(p.Family(), &digest);
        break;
      case Entry::kEof:
        Check(!saw_eof, "one # EOF");
        saw_eof = true;
        break;
      case Entry::kError: {
        const promtool::Error& err = p.Error();
        Check(!err.ok(), "an error has a code");
        Check(err.offset <= bytes.size(), "error offset inside the input");
        Check(err.line >= 1 && err.column >= 1, "error position is 1-based");
        Check(!err.message.empty(), "error has a message");
        digest.append(promtool::ErrorCodeId(err.code));
        for (uint64_t n : {err.offset, err.line, err.column}) {
          digest.push_back(':');
          digest.append(std::to_string(n));
        }
        digest.append(err.message);
        Check(p.Next() == Entry::kError, "errors are sticky");
        return digest;
      }
      case Entry::kEnd: {
        Check(saw_eof, "a clean end only after # EOF");
        Check(p.Next() == Entry::kEnd, "end is sticky");
        for (const promtool::Om2Family* f : p.families()) AppendFamily(*f, &digest);
        for (const promtool::Error& note : p.notes()) {
          Check(note.line >= 1 && note.column >= 1, "a note is located");
          digest.append(note.message);
        }
        return digest;
      }
      default:
        Check(false, "the OpenMetrics 2.0 parser returns no comments");
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto mem = promtool::MemorySource(bytes);
  const std::string expected = Pull(*mem, bytes, 0);
  // The streaming path, split at an input-dependent chunk size, must see the same entries.
  auto chunked = promtool::fuzz::Chunked(bytes);
  const std::string streamed = Pull(*chunked, bytes, 0);
  Check(streamed == expected, "chunked parse equals memory parse",
        [&] { return streamed + "\n--\n" + expected; });
  // Under a small per-name budget: the same entries up to the budget's error, never past it.
  auto budgeted = promtool::MemorySource(bytes);
  (void)Pull(*budgeted, bytes, kNameBudget);
  return 0;
}
