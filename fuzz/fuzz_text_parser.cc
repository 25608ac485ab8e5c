// Fuzz target for the text parser and family reader: drives both to the end, touches every
// accessor, and checks that the chunked (stdin-like) path agrees with the in-memory path.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "promtool/escape.h"
#include "promtool/family_reader.h"
#include "promtool/text_parser.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    __builtin_trap();  // a broken invariant is a finding, like a crash
  }
  (void)what;
}

// Pulls every entry, reading every accessor; returns a digest of what was seen.
std::string Pull(promtool::Source& src, promtool::NameScheme names) {
  promtool::TextOptions opts;
  opts.names = names;
  promtool::TextParser p(src, opts);
  std::string digest, scratch;
  for (;;) {
    promtool::Entry e = p.Next();
    digest.push_back(static_cast<char>('0' + static_cast<int>(e)));
    switch (e) {
      case promtool::Entry::kSample: {
        digest.append(p.MetricName());
        digest.append(p.Family().name);
        for (const promtool::Label& l : p.Labels()) {
          digest.append(l.name);
          digest.append(promtool::Unescape(l.value, &scratch));
        }
        double v = p.Value();
        digest.append(std::isnan(v) ? "nan" : std::to_string(v));
        digest.push_back(static_cast<char>('a' + static_cast<int>(p.Role())));
        if (p.HasTimestamp()) digest.append(std::to_string(p.TimestampMs()));
        break;
      }
      case promtool::Entry::kHelp:
        digest.append(p.HelpRaw());
        digest.append(p.Family().help);
        break;
      case promtool::Entry::kType:
        digest.append(promtool::MetricTypeName(p.Type()));
        break;
      case promtool::Entry::kComment:
        digest.append(p.Comment());
        break;
      case promtool::Entry::kError: {
        const promtool::Error& err = p.Error();
        Check(err.line >= 1 && err.column >= 1, "error position is 1-based");
        Check(!err.message.empty() && !err.compat_message.empty(), "error has messages");
        digest.append(promtool::ErrorCodeId(err.code));
        digest.push_back(':');
        for (uint64_t n : {err.offset, err.line, err.column}) {
          digest.append(std::to_string(n));
          digest.push_back(':');
        }
        digest.append(err.compat_message);
        Check(p.Next() == promtool::Entry::kError, "errors are sticky");
        return digest;
      }
      case promtool::Entry::kEnd:
        Check(p.Next() == promtool::Entry::kEnd, "end is sticky");
        return digest;
      default:
        break;
    }
  }
}

std::string Families(promtool::Source& src) {
  promtool::TextParser p(src);
  promtool::FamilyReader reader(p);
  std::string digest;
  while (const promtool::FamilyView* f = reader.Next()) {
    digest.append(f->name);
    digest.push_back(f->continued ? 'c' : '-');
    for (const promtool::Series& s : f->series) {
      for (const promtool::Label& l : s.labels) {
        digest.append(l.name);
        digest.append(l.value);
      }
      digest.append(std::to_string(s.buckets.size()));
      digest.push_back('/');
      digest.append(std::to_string(s.quantiles.size()));
    }
  }
  if (reader.error() != nullptr) {
    digest.push_back('E');
    digest.append(std::to_string(reader.error()->offset));
  }
  return digest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (promtool::NameScheme names : {promtool::NameScheme::kLegacy, promtool::NameScheme::kUtf8}) {
    auto mem = promtool::MemorySource(bytes);
    std::string expected = Pull(*mem, names);
    // The streaming path, split at an input-dependent chunk size, must see the same entries.
    promtool::StreamOptions opts;
    opts.chunk_bytes = 1 + (size > 0 ? data[0] % 13 : 0);
    auto chunked = promtool::ChunkedMemorySource(bytes, "<fuzz>", opts);
    Check(Pull(*chunked, names) == expected, "chunked parse equals memory parse");
  }
  auto mem = promtool::MemorySource(bytes);
  std::string families = Families(*mem);
  promtool::StreamOptions opts;
  opts.chunk_bytes = 3;
  auto chunked = promtool::ChunkedMemorySource(bytes, "<fuzz>", opts);
  Check(Families(*chunked) == families, "chunked family reader equals memory family reader");
  return 0;
}
