// Validate(): drives the parser for the chosen format to the end and reports the first error.
#include "promtool/validate.h"

#include <string>

#include "model/owned_family.h"
#include "promtool/input_format.h"
#include "promtool/openmetrics2_parser.h"
#include "promtool/openmetrics_parser.h"

namespace promtool {

ValidateResult Validate(Source& source, const ValidateOptions& options) {
  ValidateResult result;
  result.format = options.format == InputFormat::kAuto ? DetectFormat(source) : options.format;
  if (result.format == InputFormat::kProtobuf) {
    LossReport losses;
    ProtobufReadOptions read;
    read.max_decoded_bytes = options.text.max_family_bytes;
    auto reader = NewProtobufFamilyStream(source, read, &losses);
    while (const OwnedFamily* f = reader->Next()) {
      ++(f->proto.metric_size() > 0 ? result.families : result.metadata_only_families);
      // As Prometheus (and the text formats) count: a histogram series is several samples.
      result.samples += PrometheusSamples(*f);
    }
    if (const Error* err = reader->error()) result.error = *err;
    result.bytes = source.window_offset() + source.window().size();
    return result;
  }
  if (result.format == InputFormat::kOpenMetrics) {
    OpenMetricsParser parser(source, options.text.max_name_table_bytes);
    for (;;) {
      Entry e = parser.Next();
      if (e == Entry::kSample) {
        ++result.samples;
        continue;
      }
      if (e == Entry::kEnd) break;
      if (e == Entry::kError) {
        result.error = parser.Error();
        break;
      }
    }
    for (const OmFamily* f : parser.families()) {
      ++(f->samples > 0 ? result.families : result.metadata_only_families);
    }
    result.bytes = source.window_offset() + source.window().size();
    return result;
  }
  if (result.format == InputFormat::kOpenMetrics2) {
    OpenMetrics2Parser parser(source, options.text.max_name_table_bytes);
    Entry e;
    while ((e = parser.Next()) != Entry::kEnd && e != Entry::kError) {
      if (e == Entry::kSample) ++result.samples;
    }
    if (e == Entry::kError) result.error = parser.Error();
    for (const Om2Family* f : parser.families()) {
      ++(f->samples > 0 ? result.families : result.metadata_only_families);
    }
    result.notes = parser.notes();
    result.notes_total = parser.notes_total();
    result.bytes = source.window_offset() + source.window().size();
    return result;
  }
  TextParser parser(source, options.text);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kSample) {
      ++result.samples;
      continue;
    }
    if (e == Entry::kEnd) break;
    if (e == Entry::kError) {
      result.error = parser.Error();
      break;
    }
  }
  for (const auto f : parser.families()) {
    ++(f->samples > 0 ? result.families : result.metadata_only_families);
  }
  result.bytes = source.window_offset() + source.window().size();
  return result;
}

}  // namespace promtool
