// NewFamilyStream: the one place where an input format picks its family reader.
#include "model/openmetrics2_family_stream.h"
#include "model/owned_family.h"
#include "promtool/input_format.h"

namespace promtool {

std::unique_ptr<FamilyStream> NewFamilyStream(Source& source, InputFormat format,
                                              const FamilyStreamOptions& options,
                                              LossReport* losses) {
  if (format == InputFormat::kAuto) format = DetectFormat(source);
  switch (format) {
    case InputFormat::kOpenMetrics:
      return NewOpenMetricsFamilyStream(source, losses);
    case InputFormat::kOpenMetrics2:
      return NewOpenMetrics2FamilyStream(source, losses);
    case InputFormat::kProtobuf:
      return NewProtobufFamilyStream(source, options.protobuf, losses);
    case InputFormat::kAuto:
    case InputFormat::kText:
      break;
  }
  return NewTextFamilyStream(source, options.text, losses, options.max_part_series);
}

}  // namespace promtool
