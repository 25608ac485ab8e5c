// The protobuf writers: delimited binary (varint length + MetricFamily per family) and the
// protobuf text format (one MetricFamily after another, as expfmt's encoding=text).
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/strcat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "write/writer.h"

namespace promtool {
namespace {

// Shared by both writers: picks the message to write (the family's own, or a reused copy with
// the wire type set and names escaped) and reports what the wire cannot carry.
class MessagePreparer {
 public:
  MessagePreparer(const WriteOptions& options, LossReport* losses)
      : options_(options), losses_(losses) {}

  // Sets *msg to the message to serialize, or to nullptr when the family is not written (it
  // has no metrics: Go's expfmt refuses such a record, "MetricFamily has no metrics"; that is
  // reported as a loss). On error nothing is reported.
  absl::Status Prepare(const OwnedFamily& family, const pb::MetricFamily** msg) {
    const pb::MetricFamily& in = family.proto;
    *msg = nullptr;
    if (in.metric_size() == 0) {
      if (losses_ != nullptr) {
        losses_->Add(in.name(), LossKind::kFamilyDropped, 1,
                     "it has no samples, and protobuf readers refuse a MetricFamily without "
                     "metrics");
      }
      return absl::OkStatus();
    }
    const pb::MetricType wire = WireType(family.type);
    bool copy = !in.has_type() || in.type() != wire;
    uint64_t escaped = 0;
    if (options_.escaping != Escaping::kAllowUtf8) {
      absl::Status status = CheckNames(in, &escaped);
      if (!status.ok()) return status;
      if (escaped > 0) copy = true;
    }
    if (family.type == MetricType::kStateSet || family.type == MetricType::kInfo ||
        family.type == MetricType::kUnknown) {
      if (losses_ != nullptr) losses_->Add(in.name(), LossKind::kType);
    }
    if (!copy) {
      *msg = &in;
      return absl::OkStatus();
    }
    scratch_.CopyFrom(in);
    scratch_.set_type(wire);
    if (escaped > 0) {
      if (losses_ != nullptr) losses_->Add(in.name(), LossKind::kNameEscaped, escaped);
      Escape(scratch_.mutable_name());
      for (pb::Metric& m : *scratch_.mutable_metric()) {
        for (pb::LabelPair& l : *m.mutable_label()) Escape(l.mutable_name());
      }
    }
    *msg = &scratch_;
    return absl::OkStatus();
  }

 private:
  // Counts the names the escaping scheme rewrites; with kNone, a name that is not a legacy
  // name is an error.
  absl::Status CheckNames(const pb::MetricFamily& in, uint64_t* escaped) {
    if (options_.escaping == Escaping::kNone) {
      if (!IsLegacyMetricName(in.name())) {
        return absl::InvalidArgumentError(
            StrCat("family \"", in.name(),
                   "\": the metric name is not a legacy name and no escaping scheme was chosen"));
      }
      for (const pb::Metric& m : in.metric()) {
        for (const pb::LabelPair& l : m.label()) {
          if (!IsLegacyLabelName(l.name())) {
            return absl::InvalidArgumentError(
                StrCat("family \"", in.name(), "\": label name \"", l.name(),
                       "\" is not a legacy name and no escaping scheme was chosen"));
          }
        }
      }
      return absl::OkStatus();
    }
    if (Changes(in.name())) ++*escaped;
    for (const pb::Metric& m : in.metric()) {
      for (const pb::LabelPair& l : m.label()) {
        if (Changes(l.name())) ++*escaped;
      }
    }
    return absl::OkStatus();
  }

  bool Changes(const std::string& name) {
    buffer_.clear();
    AppendEscapedName(name, options_.escaping, &buffer_);
    return buffer_ != name;
  }

  void Escape(std::string* name) {
    buffer_.clear();
    AppendEscapedName(*name, options_.escaping, &buffer_);
    name->swap(buffer_);
  }

  WriteOptions options_;
  LossReport* losses_;
  pb::MetricFamily scratch_;
  std::string buffer_;
};

class ProtobufWriter final : public FamilyWriter {
 public:
  ProtobufWriter(const WriteOptions& options, LossReport* losses) : preparer_(options, losses) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily* msg = nullptr;
    absl::Status status = preparer_.Prepare(family, &msg);
    if (!status.ok() || msg == nullptr) return status;
    const size_t size = msg->ByteSizeLong();
    if (size > static_cast<size_t>(INT32_MAX)) {
      return absl::InvalidArgumentError(StrCat("family \"", msg->name(), "\" needs ", size,
                                               " bytes, more than a protobuf message can have"));
    }
    const size_t prefix = google::protobuf::io::CodedOutputStream::VarintSize64(size);
    const size_t at = out->size();
    out->resize(at + prefix + size);
    auto* p = reinterpret_cast<uint8_t*>(out->data() + at);
    p = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(size, p);
    msg->SerializeWithCachedSizesToArray(p);
    return absl::OkStatus();
  }

  absl::Status Finish(std::string*) override { return absl::OkStatus(); }

 private:
  MessagePreparer preparer_;
};

class ProtobufTextWriter final : public FamilyWriter {
 public:
  ProtobufTextWriter(const WriteOptions& options, LossReport* losses) : preparer_(options, losses) {
    // UTF-8 strings as they are (like Go's prototext), not as octal escapes.
    printer_.SetUseUtf8StringEscaping(true);
  }

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily* msg = nullptr;
    absl::Status status = preparer_.Prepare(family, &msg);
    if (!status.ok() || msg == nullptr) return status;
    text_.clear();
    if (!printer_.PrintToString(*msg, &text_)) {
      return absl::InternalError(
          StrCat("family \"", msg->name(), "\": the protobuf text printer failed"));
    }
    // expfmt prints each message (which ends in a newline) with Println: a blank line follows.
    out->append(text_);
    out->push_back('\n');
    return absl::OkStatus();
  }

  absl::Status Finish(std::string*) override { return absl::OkStatus(); }

 private:
  MessagePreparer preparer_;
  google::protobuf::TextFormat::Printer printer_;
  std::string text_;
};

}  // namespace

std::unique_ptr<FamilyWriter> NewProtobufWriter(const WriteOptions& options, LossReport* losses) {
  return std::make_unique<ProtobufWriter>(options, losses);
}

std::unique_ptr<FamilyWriter> NewProtobufTextWriter(const WriteOptions& options,
                                                    LossReport* losses) {
  return std::make_unique<ProtobufTextWriter>(options, losses);
}

}  // namespace promtool
