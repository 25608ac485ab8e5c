// Validate(): drives the parser for the chosen format to the end and reports the first error.
#include "promtool/validate.h"

#include <string>

#include "model/owned_family.h"
#include "net/limits.h"
#include "promtool/convert.h"
#include "promtool/openmetrics_parser.h"

namespace promtool {

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "text") return InputFormat::kText;
  if (name == "openmetrics") return InputFormat::kOpenMetrics;
  if (name == "protobuf") return InputFormat::kProtobuf;
  return std::nullopt;
}

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kText:
      return "text";
    case InputFormat::kOpenMetrics:
      return "openmetrics";
    case InputFormat::kProtobuf:
      return "protobuf";
  }
  return "auto";
}

ValidateResult Validate(Source& source, const ValidateOptions& options) {
  ValidateResult result;
  result.format = options.format == InputFormat::kAuto ? DetectFormat(source) : options.format;
  if (result.format == InputFormat::kProtobuf) {
    LossReport losses;
    auto reader = NewProtobufFamilyStream(source, ProtobufReadOptions{}, &losses);
    while (const OwnedFamily* f = reader->Next()) {
      ++(f->proto.metric_size() > 0 ? result.families : result.metadata_only_families);
      // As Prometheus (and the text formats) count: a histogram series is several samples.
      result.samples += net::PrometheusSamples(*f);
    }
    if (const ParseError* err = reader->error()) result.error = *err;
    result.bytes = source.window_offset() + source.window().size();
    return result;
  }
  if (result.format == InputFormat::kOpenMetrics) {
    OpenMetricsParser parser(source);
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
  for (const FamilyInfo* f : parser.families()) {
    ++(f->samples > 0 ? result.families : result.metadata_only_families);
  }
  result.bytes = source.window_offset() + source.window().size();
  return result;
}

}  // namespace promtool
