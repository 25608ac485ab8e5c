// Fuzz target for fmt: Fmt() of an accepted input is idempotent and the same from a stream
// as from memory; UnifiedDiff() is empty exactly when the texts are equal, and applying its
// hunks to the first text gives the second (checked on input/output pairs and on two halves
// of the raw input).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/oracle.h"
#include "promtool/fmt.h"

namespace {

using promtool::fuzz::Check;

// Lines with their newline (the last one may lack it).
std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    size_t n = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
  return out;
}

size_t ParseNumber(std::string_view* s) {
  size_t n = 0;
  Check(!s->empty() && s->front() >= '0' && s->front() <= '9', "hunk header has a number", *s);
  while (!s->empty() && s->front() >= '0' && s->front() <= '9') {
    n = n * 10 + static_cast<size_t>(s->front() - '0');
    s->remove_prefix(1);
  }
  return n;
}

void Expect(std::string_view* s, std::string_view what) {
  Check(s->starts_with(what), "hunk header syntax", *s);
  s->remove_prefix(what.size());
}

// Applies a unified diff of `before` (as UnifiedDiff writes it) and returns the result;
// every context and removed line must match `before`.
std::string Apply(std::string_view before, std::string_view diff) {
  const std::vector<std::string_view> a = Lines(before);
  std::vector<std::string_view> d = Lines(diff);
  Check(d.size() >= 2 && d[0].starts_with("--- ") && d[1].starts_with("+++ "), "diff headers",
        diff);
  std::string out;
  size_t ai = 0;  // next line of `before` to copy
  size_t k = 2;
  // Appends a diff line's text; a following "\ No newline at end of file" drops its newline.
  auto text = [&](size_t at) {
    std::string line(d[at].substr(1));
    if (at + 1 < d.size() && d[at + 1].starts_with("\\ No newline at end of file")) {
      Check(!line.empty() && line.back() == '\n', "a diff line ends with a newline");
      line.pop_back();
    }
    return line;
  };
  while (k < d.size()) {
    std::string_view h = d[k++];
    Expect(&h, "@@ -");
    size_t a_start = ParseNumber(&h);
    Expect(&h, ",");
    const size_t a_count = ParseNumber(&h);
    Expect(&h, " +");
    ParseNumber(&h);
    Expect(&h, ",");
    const size_t b_count = ParseNumber(&h);
    Expect(&h, " @@\n");
    if (a_count > 0) --a_start;  // 1-based, except for an empty range
    Check(a_start >= ai && a_start <= a.size(), "hunks in order, inside the input");
    for (; ai < a_start; ++ai) out.append(a[ai]);
    size_t seen_a = 0, seen_b = 0;
    while (k < d.size() && !d[k].starts_with("@@")) {
      const char mark = d[k].front();
      if (mark == '\\') {
        ++k;
        continue;
      }
      std::string line = text(k);
      if (mark == ' ' || mark == '-') {
        Check(ai < a.size() && a[ai] == line, "context and removed lines match the input");
        ++ai;
        ++seen_a;
      }
      if (mark == ' ' || mark == '+') {
        out.append(line);
        ++seen_b;
      }
      Check(mark == ' ' || mark == '-' || mark == '+', "diff line mark", d[k]);
      ++k;
    }
    Check(seen_a == a_count && seen_b == b_count, "hunk header counts match its lines");
  }
  for (; ai < a.size(); ++ai) out.append(a[ai]);
  return out;
}

void CheckDiff(std::string_view before, std::string_view after) {
  const std::string diff = promtool::UnifiedDiff(before, after, "a", "b");
  Check(diff.empty() == (before == after), "the diff is empty exactly when the texts are equal",
        diff);
  if (!diff.empty()) {
    Check(Apply(before, diff) == after, "applying the diff gives the second text", diff);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The differ on arbitrary text: two parts of the input (kept small, Myers is quadratic in
  // the worst case).
  if (size <= 4096) {
    const size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    CheckDiff(bytes.substr(0, cut), bytes.substr(cut));
    CheckDiff(bytes.substr(cut), bytes.substr(0, cut));
  }

  promtool::FmtOptions opts;
  if (size > 0 && data[size - 1] % 2 == 0) opts.text.names = promtool::NameScheme::kUtf8;
  auto mem = promtool::MemorySource(bytes);
  const promtool::FmtResult once = promtool::Fmt(*mem, opts);

  auto chunked = promtool::fuzz::Chunked(bytes);
  const promtool::FmtResult streamed = promtool::Fmt(*chunked, opts);
  Check(streamed.ok() == once.ok() && streamed.output == once.output &&
            streamed.error.code == once.error.code && streamed.error.offset == once.error.offset,
        "streamed Fmt() equals in-memory Fmt()",
        [&] { return streamed.error.message + "\n--\n" + once.error.message; });
  if (!once.ok()) return 0;

  // Canonical text formats to itself.
  promtool::FmtOptions text_opts;
  text_opts.from = promtool::InputFormat::kText;
  // Names that are not legacy names come out quoted (escaping allow-utf-8), so the output is
  // read back with the UTF-8 name scheme.
  text_opts.text.names = promtool::NameScheme::kUtf8;
  // Known gap: protobuf strings need not be UTF-8, and a name or label value that is not comes
  // out as text the parser refuses (reported; the idempotence check is skipped for it).
  if (!promtool::fuzz::IsUtf8(once.output)) return 0;
  auto out_src = promtool::MemorySource(once.output);
  const promtool::FmtResult twice = promtool::Fmt(*out_src, text_opts);
  Check(twice.ok(), "Fmt() output parses as text",
        [&] { return twice.error.message + "\n" + once.output; });
  Check(twice.output == once.output, "Fmt() is idempotent",
        [&] { return once.output + "\n--\n" + twice.output; });
  Check(twice.losses.empty(), "canonical text reformats without losses");

  if (once.output.size() + size <= 16384) CheckDiff(bytes, once.output);
  return 0;
}
