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
      return NewOpenMetricsFamilyStream(source, losses, options.text.max_name_table_bytes,
                                        options.text.max_family_bytes);
    case InputFormat::kOpenMetrics2:
      return NewOpenMetrics2FamilyStream(source, losses, options.text.max_name_table_bytes,
                                         options.text.max_family_bytes);
    case InputFormat::kProtobuf: {
      ProtobufReadOptions protobuf = options.protobuf;
      if (protobuf.max_decoded_bytes == 0)
        protobuf.max_decoded_bytes = options.text.max_family_bytes;
      return NewProtobufFamilyStream(source, protobuf, losses, options.max_part_series);
    }
    case InputFormat::kAuto:
    case InputFormat::kText:
      break;
  }
  return NewTextFamilyStream(source, options.text, losses, options.max_part_series);
}

}  // namespace promtool
