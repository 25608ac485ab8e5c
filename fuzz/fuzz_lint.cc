// Fuzz target for the linter: FamilyReader + Linter over the text parser to the end, as
// `check metrics` drives them; the chunked (stdin-like) path must report exactly the problems
// of the in-memory path, sorted, and lint::Check() must agree with the hand-driven pipeline.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/oracle.h"
#include "promtool/family_reader.h"
#include "promtool/lint.h"
#include "promtool/text_parser.h"

namespace {

using promtool::fuzz::Check;
using promtool::lint::Problem;

struct Result {
  std::vector<Problem> problems;
  promtool::Error error;
  bool failed = false;
};

void AppendNumber(uint64_t n, char before, std::string* out) {
  out->push_back(before);
  out->append(std::to_string(n));
}

std::string Digest(const Result& r) {
  std::string d;
  if (r.failed) {
    d.append(promtool::ErrorCodeId(r.error.code));
    AppendNumber(r.error.offset, '@', &d);
    AppendNumber(r.error.line, ':', &d);
    AppendNumber(r.error.column, ':', &d);
    d.push_back(' ');
    d.append(r.error.compat_message);
    return d;
  }
  for (const Problem& p : r.problems) {
    d.append(p.rule);
    d.push_back(' ');
    d.append(promtool::lint::SeverityName(p.severity));
    d.push_back(' ');
    d.append(p.family);
    AppendNumber(p.offset, '@', &d);
    d.push_back(' ');
    d.append(p.message);
    d.push_back('\n');
  }
  return d;
}

Result Lint(promtool::Source& src, size_t input_size) {
  promtool::TextOptions opts;
  opts.names = promtool::NameScheme::kLegacy;  // linting always uses the legacy scheme
  promtool::TextParser parser(src, opts);
  promtool::FamilyReader reader(parser);
  promtool::lint::Linter linter;
  Result r;
  while (const promtool::FamilyView* f = reader.Next()) {
    Check(f->offset < input_size, "a family's offset is inside the input");
    linter.Add(*f);
  }
  if (const promtool::Error* err = reader.error()) {
    r.failed = true;
    r.error = *err;
    return r;
  }
  r.problems = linter.Finish();
  Check(std::is_sorted(r.problems.begin(), r.problems.end(), promtool::lint::ProblemLess),
        "problems come out sorted");
  const auto rules = promtool::lint::Rules();
  for (const Problem& p : r.problems) {
    Check(p.offset < input_size, "a problem's offset is inside the input");
    Check(!p.message.empty() && !p.family.empty(), "a problem names its family and says what");
    Check(std::any_of(rules.begin(), rules.end(),
                      [&](const promtool::lint::RuleInfo& rule) { return rule.id == p.rule; }),
          "a problem comes from a registered rule");
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto mem = promtool::MemorySource(bytes);
  const std::string expected = Digest(Lint(*mem, size));

  auto chunked = promtool::fuzz::Chunked(bytes);
  const std::string streamed = Digest(Lint(*chunked, size));
  Check(streamed == expected, "chunked lint equals memory lint",
        [&] { return streamed + "\n--\n" + expected; });

  // The library's one-call pipeline agrees with the hand-driven one.
  auto again = promtool::MemorySource(bytes);
  promtool::lint::CheckOptions opts;
  opts.text.names = promtool::NameScheme::kLegacy;
  promtool::lint::CheckResult check = promtool::lint::Check(*again, opts);
  Result via_check;
  via_check.failed = !check.error.ok();
  via_check.error = check.error;
  via_check.problems = std::move(check.problems);
  const std::string checked = Digest(via_check);
  Check(checked == expected, "lint::Check() equals FamilyReader + Linter",
        [&] { return checked + "\n--\n" + expected; });
  return 0;
}
