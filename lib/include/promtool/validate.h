// Validation of a whole payload: the library call behind `promtool-cpp validate`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {

struct ValidateOptions {
  InputFormat format = InputFormat::kAuto;
  TextOptions text;
};

struct ValidateResult {
  Error error;                              // error.ok() when the payload is valid
  InputFormat format = InputFormat::kText;  // the format used (after detection)
  uint64_t bytes = 0;
  uint64_t samples = 0;   // sample lines (text, OpenMetrics) or Metric messages (protobuf)
  uint64_t families = 0;  // families with at least one sample
  // Families with metadata (HELP, TYPE, UNIT) and no sample: not in `families`; protobuf
  // readers refuse such a record, and prom2json leaves them out.
  uint64_t metadata_only_families = 0;
  // Warnings that do not make the payload invalid (OpenMetrics 2.0: dropped exemplars), the
  // first few of `notes_total`, each located like an error.
  std::vector<Error> notes;
  uint64_t notes_total = 0;

  bool ok() const { return error.ok(); }
};

// Parses the whole source and reports the first error. Never prints, never throws.
ValidateResult Validate(Source& source, const ValidateOptions& options);

}  // namespace promtool
