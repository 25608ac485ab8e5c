// Convert(): one reader (text, OpenMetrics or protobuf) feeding one writer, family by family,
// with the output flushed after each family so memory stays bounded by the largest family.
#include "promtool/convert.h"

#include <cstring>

#include "common/strcat.h"
#include "model/owned_family.h"
#include "write/convert_internal.h"
#include "write/writer.h"

namespace promtool {

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "openmetrics") return OutputFormat::kOpenMetrics;
  if (name == "protobuf") return OutputFormat::kProtobuf;
  if (name == "protobuf-text") return OutputFormat::kProtobufText;
  if (name == "json") return OutputFormat::kJson;
  return std::nullopt;
}

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText:
      return "text";
    case OutputFormat::kOpenMetrics:
      return "openmetrics";
    case OutputFormat::kProtobuf:
      return "protobuf";
    case OutputFormat::kProtobufText:
      return "protobuf-text";
    case OutputFormat::kJson:
      return "json";
  }
  return "text";
}

std::optional<Escaping> ParseEscaping(std::string_view name) {
  if (name == "allow-utf-8") return Escaping::kAllowUtf8;
  if (name == "underscores") return Escaping::kUnderscores;
  if (name == "dots") return Escaping::kDots;
  if (name == "values") return Escaping::kValues;
  if (name == "none") return Escaping::kNone;
  return std::nullopt;
}

ConvertResult Convert(Source& input, Sink& output, const ConvertOptions& options) {
  return ConvertChecked(input, output, options, {});
}

ConvertResult ConvertChecked(Source& input, Sink& output, const ConvertOptions& options,
                             const FamilyCheck& check) {
  ConvertResult result;
  result.format = options.from == InputFormat::kAuto ? DetectFormat(input) : options.from;
  LossReport losses;
  std::unique_ptr<FamilyStream> reader;
  switch (result.format) {
    case InputFormat::kOpenMetrics:
      reader = NewOpenMetricsFamilyStream(input, &losses);
      break;
    case InputFormat::kProtobuf: {
      ProtobufReadOptions po;
      po.max_message_bytes = options.max_message_bytes;
      reader = NewProtobufFamilyStream(input, po, &losses);
      break;
    }
    default:
      reader = NewTextFamilyStream(input, options.text, &losses);
      break;
  }
  WriteOptions wo;
  wo.escaping = options.escaping;
  std::unique_ptr<FamilyWriter> writer;
  switch (options.to) {
    case OutputFormat::kText:
      writer = NewTextWriter(wo, &losses);
      break;
    case OutputFormat::kOpenMetrics:
      writer = NewOpenMetricsWriter(wo, &losses);
      break;
    case OutputFormat::kProtobuf:
      writer = NewProtobufWriter(wo, &losses);
      break;
    case OutputFormat::kProtobufText:
      writer = NewProtobufTextWriter(wo, &losses);
      break;
    case OutputFormat::kJson:
      writer = NewJsonWriter(wo, &losses);
      break;
  }

  constexpr size_t kFlushBytes = 256 * 1024;
  std::string buffer;
  auto fail = [&](std::string message) {
    result.write_error = std::move(message);
    for (std::string& line : losses.Lines()) result.losses.push_back(std::move(line));
    return result;
  };
  while (const OwnedFamily* family = reader->Next()) {
    if (check) {
      if (std::string refused = check(*family); !refused.empty()) return fail(std::move(refused));
    }
    if (family->continued && options.to == OutputFormat::kOpenMetrics) {
      return fail(StrCat("family \"", family->proto.name(),
                         "\" is split: its samples reappear after other families, which "
                         "OpenMetrics forbids; run `promtool-cpp fmt` on the input first to merge "
                         "it"));
    }
    const size_t before = buffer.size();
    if (absl::Status st = writer->Write(*family, &buffer); !st.ok()) {
      buffer.resize(before);
      return fail(std::string(st.message()));
    }
    if (options.strict && !losses.empty()) {
      return fail(StrCat("--strict: ", losses.Lines().front()));
    }
    ++result.families;
    if (buffer.size() >= kFlushBytes) {
      if (absl::Status st = output.Write(buffer); !st.ok()) return fail(std::string(st.message()));
      buffer.clear();
    }
  }
  if (const ParseError* err = reader->error()) {
    result.error = *err;
  } else if (absl::Status st = writer->Finish(&buffer); !st.ok()) {
    return fail(std::string(st.message()));
  }
  if (!buffer.empty()) {
    if (absl::Status st = output.Write(buffer); !st.ok()) return fail(std::string(st.message()));
  }
  for (std::string& line : losses.Lines()) result.losses.push_back(std::move(line));
  return result;
}

}  // namespace promtool
