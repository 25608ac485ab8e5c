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
  // Threads for a text payload that Source::Slice() can cut (a file, memory): 1 (the default)
  // reads it in one pass; 0 is one per core. The payload is cut at family starts into parts of at
  // least 4 MiB, read at once; when a part has an error, or a family (or its grouping name) is in
  // two parts, it is read again by one reader, so the result (the first error, its line and
  // message, the counts) is always the one-thread result.
  unsigned jobs = 1;
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
  // How many parts were read at once (ValidateOptions::jobs): 1 when one reader read it all.
  uint32_t parts = 1;

  bool ok() const { return error.ok(); }
};

// Parses the whole source and reports the first error. Never prints, never throws.
ValidateResult Validate(Source& source, const ValidateOptions& options);

}  // namespace promtool
