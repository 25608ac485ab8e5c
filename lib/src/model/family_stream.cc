// NewFamilyStream: the one place where an input format picks its family reader.
#include "model/owned_family.h"
#include "promtool/input_format.h"

namespace promtool {
namespace {

// A stream that ends at once with an error.
class FailedFamilyStream final : public FamilyStream {
 public:
  explicit FailedFamilyStream(Error error) : error_(std::move(error)) {}
  const OwnedFamily* Next() override { return nullptr; }
  const Error* error() const override { return &error_; }

 private:
  Error error_;
};

}  // namespace

std::unique_ptr<FamilyStream> NewFamilyStream(Source& source, InputFormat format,
                                              const FamilyStreamOptions& options,
                                              LossReport* losses) {
  if (format == InputFormat::kAuto) format = DetectFormat(source);
  switch (format) {
    case InputFormat::kOpenMetrics:
      return NewOpenMetricsFamilyStream(source, losses, options.text.max_name_table_bytes,
                                        options.text.max_family_bytes);
    case InputFormat::kOpenMetrics2:
      return std::make_unique<FailedFamilyStream>(Error::Unlocated(
          ErrorCode::kUnsupported,
          "the input is OpenMetrics 2.0, which only validate reads so far (validate "
          "--format=openmetrics2); this command cannot read it yet"));
    case InputFormat::kProtobuf: {
      ProtobufReadOptions protobuf = options.protobuf;
      if (protobuf.max_decoded_bytes == 0)
        protobuf.max_decoded_bytes = options.text.max_family_bytes;
      return NewProtobufFamilyStream(source, protobuf, losses);
    }
    case InputFormat::kAuto:
    case InputFormat::kText:
      break;
  }
  return NewTextFamilyStream(source, options.text, losses, options.max_part_series);
}

}  // namespace promtool
