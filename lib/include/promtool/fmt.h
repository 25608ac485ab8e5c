// Canonical text formatting (the library call behind `promtool-cpp fmt`) and the unified diff
// that `fmt --diff` prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "promtool/convert.h"
#include "promtool/error.h"
#include "promtool/output.h"
#include "promtool/source.h"

namespace promtool {

struct FmtOptions {
  InputFormat from = InputFormat::kAuto;
  TextOptions text;
  Escaping escaping = Escaping::kAllowUtf8;
};

struct FmtResult {
  // The input's first error (located), or, not located, a family the text format cannot express
  // (kOutputFormat, see Escaping) or the sink's write error (kOutput). error.ok() otherwise.
  Error error;
  std::string output;               // the canonical text, when ok()
  std::vector<std::string> losses;  // what text 0.0.4 could not carry (non-text input)
  bool ok() const { return error.ok(); }
};

// Reads the whole input and writes it as canonical text 0.0.4: the parts of a family split
// across the input merged, families sorted by name, labels of each series by name, series in
// client_golang's order (fewer labels first, then the label values position by position, then
// the timestamp, none last), buckets by le and quantiles by quantile; HELP before TYPE,
// escapes and numbers as client_golang writes them. Idempotent: formatting the output again
// gives the same bytes. Holds the whole payload (sorting needs it).
FmtResult Fmt(Source& input, const FmtOptions& options);

// The same, streaming the canonical text to `out` (in 256 KiB pieces, each family freed once
// written) instead of into FmtResult::output, which stays empty. On an input error nothing is
// written; on a write error (kOutput, kOutputFormat) part of the text may have been.
FmtResult Fmt(Source& input, Sink& out, const FmtOptions& options);

// A unified diff (3 lines of context) from `before` to `after`, with ---/+++ headers naming
// them; empty when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after,
                        std::string_view before_name, std::string_view after_name);

}  // namespace promtool
