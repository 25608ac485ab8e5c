// Reads delimited protobuf (varint length, then one io.prometheus.client.MetricFamily,
// repeated) from a Source, one owned family at a time, holding only the current record.
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/strcat.h"
#include "common/varint.h"
#include "google/protobuf/unknown_field_set.h"
#include "model/owned_family.h"

namespace promtool {
namespace {

// The full type of a wire type (the six wire types map one to one).
MetricType FullType(pb::MetricType type) {
  switch (type) {
    case pb::COUNTER:
      return MetricType::kCounter;
    case pb::GAUGE:
      return MetricType::kGauge;
    case pb::SUMMARY:
      return MetricType::kSummary;
    case pb::UNTYPED:
      return MetricType::kUntyped;
    case pb::HISTOGRAM:
      return MetricType::kHistogram;
    case pb::GAUGE_HISTOGRAM:
      return MetricType::kGaugeHistogram;
  }
  return MetricType::kUntyped;
}

class ProtobufFamilyStream final : public FamilyStream {
 public:
  ProtobufFamilyStream(Source& source, const ProtobufReadOptions& options)
      : source_(source), options_(options), pos_(source.window_offset()) {}

  const OwnedFamily* Next() override {
    if (done_) return nullptr;
    const uint64_t start = pos_;
    const uint64_t record = ++records_;

    // The length prefix: at most 10 bytes, the last of which ends the varint.
    uint64_t length = 0;
    size_t prefix = 0;
    for (;;) {
      std::string_view w = Available(start);
      const varint::Read read = varint::Decode(w);
      if (read.status == varint::Status::kTooLong) {
        return Fail(ErrorCode::kPbInvalid, start,
                    StrCat("length prefix of record ", record, " at byte ", start,
                           " is longer than 10 bytes"));
      }
      if (read.status == varint::Status::kOverflow) {
        return Fail(
            ErrorCode::kPbInvalid, start,
            StrCat("length prefix of record ", record, " at byte ", start, " overflows 64 bits"));
      }
      if (read.ok()) {
        length = read.value;
        prefix = read.bytes;
        break;
      }
      if (!More(start)) {
        if (!source_.error().empty()) return FailSource(start);
        if (w.empty()) {  // a clean end: exactly at a record boundary
          done_ = true;
          return nullptr;
        }
        return Fail(ErrorCode::kPbTruncated, start,
                    StrCat("length prefix at byte ", start, " is cut off by the end of input (",
                           w.size(), w.size() == 1 ? " byte" : " bytes", " of it present)"));
      }
    }

    const uint64_t limit = options_.max_message_bytes < static_cast<uint64_t>(INT_MAX)
                               ? options_.max_message_bytes
                               : static_cast<uint64_t>(INT_MAX);
    if (length > limit) {
      return Fail(ErrorCode::kPbTooLarge, start,
                  StrCat("record ", record, " at byte ", start, " declares ", length,
                         " bytes, more than the ", limit, "-byte limit (--max-message-bytes)"));
    }

    // The record itself, kept in the window from its prefix on.
    const uint64_t body = start + prefix;
    std::string_view w = Available(start);
    while (w.size() < prefix + length) {
      if (!More(start)) {
        if (!source_.error().empty()) return FailSource(start);
        return Fail(ErrorCode::kPbTruncated, start,
                    StrCat("record ", record, " at byte ", start, " declares ", length,
                           " bytes but the input ends after ", w.size() - prefix, " of them"));
      }
      w = Available(start);
    }

    family_.continued = false;
    family_.offset = start;
    if (!family_.proto.ParseFromArray(w.data() + prefix, static_cast<int>(length))) {
      return Fail(ErrorCode::kPbInvalid, start,
                  StrCat("record ", record, " at byte ", start, " (", length, " bytes from byte ",
                         body, ") is not a valid io.prometheus.client.MetricFamily"));
    }
    if (!family_.proto.has_name()) {
      return Fail(ErrorCode::kPbInvalid, start,
                  StrCat("record ", record, " at byte ", start,
                         " is a MetricFamily without a name (field 1)"));
    }
    // proto2 keeps an enum value it does not know among the unknown fields and reports the
    // default (COUNTER); a type outside the six wire types is refused instead.
    if (!family_.proto.has_type()) {
      const auto& unknown = family_.proto.GetReflection()->GetUnknownFields(family_.proto);
      for (int i = 0; i < unknown.field_count(); ++i) {
        const google::protobuf::UnknownField& f = unknown.field(i);
        if (f.number() == pb::MetricFamily::kTypeFieldNumber &&
            f.type() == google::protobuf::UnknownField::TYPE_VARINT) {
          return Fail(
              ErrorCode::kPbInvalid, start,
              StrCat("record ", record, " at byte ", start, " (family \"", family_.proto.name(),
                     "\") has type ", static_cast<int64_t>(f.varint()),
                     ", which is not an io.prometheus.client.MetricType (0-5)"));
        }
      }
    }
    family_.type = FullType(family_.proto.type());
    pos_ = body + length;
    return &family_;
  }

  const Error* error() const override { return error_.ok() ? nullptr : &error_; }

 private:
  // The window's bytes from absolute offset `from` on (empty if the window starts later).
  std::string_view Available(uint64_t from) const {
    std::string_view w = source_.window();
    const uint64_t off = source_.window_offset();
    if (from < off || from - off > w.size()) return {};
    return w.substr(static_cast<size_t>(from - off));
  }

  // Asks for more bytes, keeping everything from `keep_from` on.
  bool More(uint64_t keep_from) {
    if (source_.at_eof() || !source_.error().empty()) return false;
    return source_.Refill(keep_from);
  }

  const OwnedFamily* Fail(ErrorCode code, uint64_t offset, std::string message) {
    done_ = true;
    error_.code = code;
    error_.offset = offset;
    error_.line = 0;
    error_.column = 0;
    error_.compat_message = message;
    error_.message = std::move(message);
    return nullptr;
  }

  const OwnedFamily* FailSource(uint64_t offset) {
    return Fail(source_.error_code(), offset,
                StrCat("reading ", source_.name(), " at byte ", offset, ": ", source_.error()));
  }

  Source& source_;
  ProtobufReadOptions options_;
  OwnedFamily family_;
  uint64_t pos_;
  uint64_t records_ = 0;
  bool done_ = false;
  Error error_;
};

}  // namespace

std::unique_ptr<FamilyStream> NewProtobufFamilyStream(Source& source,
                                                      const ProtobufReadOptions& options,
                                                      LossReport* /*losses*/) {
  return std::make_unique<ProtobufFamilyStream>(source, options);
}

}  // namespace promtool
