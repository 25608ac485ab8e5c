// Fuzz target for the OpenMetrics parser: drives it to the end touching every accessor, and
// checks that the chunked (stdin-like) path sees exactly what the in-memory path sees.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/oracle.h"
#include "promtool/escape.h"
#include "promtool/openmetrics_parser.h"

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

void AppendFamily(const promtool::OmFamily& f, std::string* digest) {
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

// Pulls every entry, reading every accessor; returns a digest of what was seen.
std::string Pull(promtool::Source& src, std::string_view bytes) {
  promtool::OpenMetricsParser p(src);
  std::string digest, scratch;
  bool saw_eof = false;
  for (;;) {
    const Entry e = p.Next();
    digest.push_back(static_cast<char>('0' + static_cast<int>(e)));
    digest.append(std::to_string(p.LineOffset()));
    digest.push_back(':');
    switch (e) {
      case Entry::kSample: {
        Check(!saw_eof, "no sample after # EOF");
        digest.append(p.MetricName());
        AppendFamily(p.Family(), &digest);
        AppendLabels(p.Labels(), &scratch, &digest);
        digest.push_back(static_cast<char>('a' + static_cast<int>(p.Role())));
        if (p.Role() == promtool::OmRole::kBucket || p.Role() == promtool::OmRole::kQuantile) {
          AppendDouble(p.Bound(), &digest);
        }
        AppendDouble(p.Value(), &digest);
        if (p.HasTimestamp()) AppendDouble(p.Timestamp(), &digest);
        if (p.HasExemplar()) {
          const promtool::OmExemplar ex = p.Exemplar();
          digest.push_back('#');
          AppendLabels(ex.labels, &scratch, &digest);
          AppendDouble(ex.value, &digest);
          if (ex.has_timestamp) AppendDouble(ex.timestamp, &digest);
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
        // Only "# EOF" and an optional newline may end an accepted input.
        std::string_view tail = bytes;
        if (tail.ends_with('\n')) tail.remove_suffix(1);
        Check(tail.ends_with("# EOF"), "an accepted input ends with # EOF");
        Check(p.Next() == Entry::kEnd, "end is sticky");
        for (const promtool::OmFamily* f : p.families()) AppendFamily(*f, &digest);
        return digest;
      }
      default:
        Check(false, "the OpenMetrics parser returns no comments");
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto mem = promtool::MemorySource(bytes);
  const std::string expected = Pull(*mem, bytes);
  // The streaming path, split at an input-dependent chunk size, must see the same entries.
  auto chunked = promtool::fuzz::Chunked(bytes);
  const std::string streamed = Pull(*chunked, bytes);
  Check(streamed == expected, "chunked parse equals memory parse",
        [&] { return streamed + "\n--\n" + expected; });
  return 0;
}
