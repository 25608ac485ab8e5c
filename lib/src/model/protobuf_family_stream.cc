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

// The messages of metrics.proto, for estimating what a record takes once decoded.
enum class Msg : uint8_t {
  kFamily,
  kMetric,
  kLabelPair,
  kValue,
  kCounter,
  kSummary,
  kQuantile,
  kHistogram,
  kBucket,
  kSpan,
  kExemplar,
  kTimestamp,
};

uint64_t SizeOf(Msg m) {
  switch (m) {
    case Msg::kFamily:
      return sizeof(pb::MetricFamily);
    case Msg::kMetric:
      return sizeof(pb::Metric);
    case Msg::kLabelPair:
      return sizeof(pb::LabelPair);
    case Msg::kValue:
      return sizeof(pb::Gauge);
    case Msg::kCounter:
      return sizeof(pb::Counter);
    case Msg::kSummary:
      return sizeof(pb::Summary);
    case Msg::kQuantile:
      return sizeof(pb::Quantile);
    case Msg::kHistogram:
      return sizeof(pb::Histogram);
    case Msg::kBucket:
      return sizeof(pb::Bucket);
    case Msg::kSpan:
      return sizeof(pb::BucketSpan);
    case Msg::kExemplar:
      return sizeof(pb::Exemplar);
    case Msg::kTimestamp:
      return sizeof(google::protobuf::Timestamp);
  }
  return 64;
}

// What a length-delimited field of `m` holds: a message (its type), a string, packed numbers.
enum class Held : uint8_t { kMessage, kString, kPackedVarint, kPackedFixed64, kUnknown };
struct Field {
  Held held = Held::kUnknown;
  Msg msg = Msg::kFamily;
};

Field FieldOf(Msg m, uint64_t number) {
  auto msg = [](Msg t) { return Field{Held::kMessage, t}; };
  const Field str{Held::kString, Msg::kFamily};
  switch (m) {
    case Msg::kFamily:
      if (number == 1 || number == 2 || number == 5) return str;
      if (number == 4) return msg(Msg::kMetric);
      break;
    case Msg::kMetric:
      if (number == 1) return msg(Msg::kLabelPair);
      if (number == 2 || number == 5) return msg(Msg::kValue);
      if (number == 3) return msg(Msg::kCounter);
      if (number == 4) return msg(Msg::kSummary);
      if (number == 7) return msg(Msg::kHistogram);
      break;
    case Msg::kLabelPair:
      if (number == 1 || number == 2) return str;
      break;
    case Msg::kCounter:
      if (number == 2) return msg(Msg::kExemplar);
      if (number == 3) return msg(Msg::kTimestamp);
      break;
    case Msg::kSummary:
      if (number == 3) return msg(Msg::kQuantile);
      if (number == 4) return msg(Msg::kTimestamp);
      break;
    case Msg::kHistogram:
      if (number == 3) return msg(Msg::kBucket);
      if (number == 9 || number == 12) return msg(Msg::kSpan);
      if (number == 10 || number == 13) return Field{Held::kPackedVarint, Msg::kFamily};
      if (number == 11 || number == 14) return Field{Held::kPackedFixed64, Msg::kFamily};
      if (number == 15) return msg(Msg::kTimestamp);
      if (number == 16) return msg(Msg::kExemplar);
      break;
    case Msg::kBucket:
      if (number == 3) return msg(Msg::kExemplar);
      break;
    case Msg::kExemplar:
      if (number == 1) return msg(Msg::kLabelPair);
      if (number == 3) return msg(Msg::kTimestamp);
      break;
    case Msg::kValue:
    case Msg::kQuantile:
    case Msg::kSpan:
    case Msg::kTimestamp:
      break;
  }
  return Field{};
}

// Adds to *bytes what the message `m` in `data` takes decoded (beyond its own object): each
// sub-message's object and slot, each string (model_cost::String), 8 bytes per repeated number
// (a one-byte varint delta becomes an int64), and unknown fields. Stops at the first byte the
// parser would refuse (the parse then fails anyway). Linear in the record's bytes.
void AddDecodedBytes(std::string_view data, Msg m, int depth, uint64_t* bytes) {
  constexpr uint64_t kUnknownField = 32;  // an UnknownField and its slot
  while (!data.empty()) {
    const varint::Read key = varint::Decode(data);
    if (!key.ok()) return;
    data.remove_prefix(key.bytes);
    const uint64_t number = key.value >> 3;
    switch (key.value & 7) {
      case 0: {
        const varint::Read v = varint::Decode(data);
        if (!v.ok()) return;
        data.remove_prefix(v.bytes);
        const Field f = FieldOf(m, number);
        *bytes += f.held == Held::kPackedVarint ? 8 : f.held == Held::kUnknown ? kUnknownField : 0;
        break;
      }
      case 1:
      case 5: {
        const size_t n = (key.value & 7) == 1 ? 8 : 4;
        if (data.size() < n) return;
        data.remove_prefix(n);
        const Field f = FieldOf(m, number);
        *bytes += f.held == Held::kPackedFixed64 ? 8 : f.held == Held::kUnknown ? kUnknownField : 0;
        break;
      }
      case 2: {
        const varint::Read len = varint::Decode(data);
        if (!len.ok() || len.value > data.size() - len.bytes) return;
        const std::string_view sub = data.substr(len.bytes, static_cast<size_t>(len.value));
        data.remove_prefix(len.bytes + sub.size());
        const Field f = FieldOf(m, number);
        switch (f.held) {
          case Held::kMessage:
            *bytes += SizeOf(f.msg) + 32;
            if (depth < 8) AddDecodedBytes(sub, f.msg, depth + 1, bytes);
            break;
          case Held::kString:
            *bytes += model_cost::String(sub.size());
            break;
          case Held::kPackedVarint:
            for (char c : sub) *bytes += (static_cast<unsigned char>(c) & 0x80) ? 0 : 8;
            break;
          case Held::kPackedFixed64:
            *bytes += sub.size();
            break;
          case Held::kUnknown:
            *bytes += kUnknownField + model_cost::String(sub.size());
            break;
        }
        break;
      }
      default:
        return;  // groups (3, 4) and wire types 6, 7: refused by the parser
    }
  }
}

// A record's top-level fields: what a family read in parts needs before its first part.
struct RecordScan {
  bool plain = false;  // only fields of wire types 0, 1, 2 and 5, each whole
  uint64_t metrics = 0;
  std::string header;  // every field but the metrics (field 4), as written
};

// Scans a MetricFamily record's top-level fields. Anything unusual (a group, a cut field) leaves
// `plain` false: such a record is parsed whole, and refused or not as before.
RecordScan ScanRecord(std::string_view data) {
  RecordScan scan;
  while (!data.empty()) {
    const char* const field = data.data();
    const varint::Read key = varint::Decode(data);
    if (!key.ok() || (key.value >> 3) == 0) return scan;
    data.remove_prefix(key.bytes);
    switch (key.value & 7) {
      case 0: {
        const varint::Read v = varint::Decode(data);
        if (!v.ok()) return scan;
        data.remove_prefix(v.bytes);
        break;
      }
      case 1:
      case 5: {
        const size_t n = (key.value & 7) == 1 ? 8 : 4;
        if (data.size() < n) return scan;
        data.remove_prefix(n);
        break;
      }
      case 2: {
        const varint::Read len = varint::Decode(data);
        if (!len.ok() || len.value > data.size() - len.bytes) return scan;
        data.remove_prefix(len.bytes + static_cast<size_t>(len.value));
        if (key.value >> 3 == pb::MetricFamily::kMetricFieldNumber) {
          ++scan.metrics;
          continue;
        }
        break;
      }
      default:
        return scan;
    }
    scan.header.append(field, static_cast<size_t>(data.data() - field));
  }
  scan.plain = true;
  return scan;
}

class ProtobufFamilyStream final : public FamilyStream {
 public:
  ProtobufFamilyStream(Source& source, const ProtobufReadOptions& options, uint32_t max_part_series)
      : source_(source),
        options_(options),
        max_part_series_(max_part_series),
        pos_(source.window_offset()) {
    source.StopCountingLines();  // errors name byte offsets
  }

  const OwnedFamily* Next() override {
    if (done_) return nullptr;
    if (part_pos_ < part_end_) return NextPart();
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
    family_.part = family_.more = false;
    family_.offset = start;
    if (options_.max_decoded_bytes > 0) {
      // A record of one-byte bucket deltas or empty messages decodes into many times its size:
      // estimated before the parse allocates it.
      uint64_t decoded = SizeOf(Msg::kFamily);
      const std::string_view bytes(w.data() + prefix, static_cast<size_t>(length));
      AddDecodedBytes(bytes, Msg::kFamily, 0, &decoded);
      if (decoded > options_.max_decoded_bytes) {
        error_ = model_cost::TooLarge(
            StrCat("record ", record, " at byte ", start, " (", length, " bytes)"), start,
            options_.max_decoded_bytes);
        done_ = true;
        return nullptr;
      }
    }
    // More metrics than a part take at least two bytes each (a tag and a length): a shorter
    // record is not scanned.
    if (max_part_series_ > 0 && length >= 2 * (uint64_t{max_part_series_} + 1)) {
      // A gauge, counter or untyped family of more series than a part comes in parts, each
      // parsed from its own metrics' bytes: the record's bytes stay in the window, and only
      // a part's model is built at a time (the messages are reused from part to part).
      RecordScan scan =
          ScanRecord(std::string_view(w.data() + prefix, static_cast<size_t>(length)));
      if (scan.plain && scan.metrics > max_part_series_ &&
          family_.proto.ParseFromString(scan.header) && family_.proto.has_name() &&
          family_.proto.has_type() &&
          (family_.proto.type() == pb::GAUGE || family_.proto.type() == pb::COUNTER ||
           family_.proto.type() == pb::UNTYPED)) {
        header_ = family_.proto;
        family_.type = FullType(header_.type());
        part_record_ = record;
        part_start_ = start;
        part_body_ = body;
        part_pos_ = body;
        part_end_ = body + length;
        part_metrics_left_ = scan.metrics;
        pos_ = part_end_;
        return NextPart();
      }
    }
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
  // The next part of the record being read in parts: up to max_part_series_ metrics from
  // part_pos_ on (the other fields were read into header_). A metric the parser refuses ends the
  // read with the error the whole record would have had.
  const OwnedFamily* NextPart() {
    const bool first = part_pos_ == part_body_;
    family_.proto.CopyFrom(header_);  // keeps the cleared metrics for reuse
    family_.continued = false;
    family_.offset = part_start_;
    family_.part = !first;
    const std::string_view w = Available(part_pos_);
    std::string_view data = w.substr(0, static_cast<size_t>(part_end_ - part_pos_));
    uint32_t taken = 0;
    while (!data.empty() && taken < max_part_series_) {
      // ScanRecord checked every field: the keys and lengths decode.
      const varint::Read key = varint::Decode(data);
      data.remove_prefix(key.bytes);
      size_t skip = 0;
      switch (key.value & 7) {
        case 0:
          skip = varint::Decode(data).bytes;
          break;
        case 1:
          skip = 8;
          break;
        case 5:
          skip = 4;
          break;
        default: {
          const varint::Read len = varint::Decode(data);
          data.remove_prefix(len.bytes);
          skip = static_cast<size_t>(len.value);
          if (key.value >> 3 == pb::MetricFamily::kMetricFieldNumber) {
            if (!family_.proto.add_metric()->ParseFromArray(data.data(), static_cast<int>(skip))) {
              part_pos_ = part_end_;
              return Fail(ErrorCode::kPbInvalid, part_start_,
                          StrCat("record ", part_record_, " at byte ", part_start_, " (",
                                 part_end_ - part_body_, " bytes from byte ", part_body_,
                                 ") is not a valid io.prometheus.client.MetricFamily"));
            }
            ++taken;
            --part_metrics_left_;
          }
        }
      }
      data.remove_prefix(skip);
    }
    part_pos_ = part_end_ - data.size();
    family_.more = part_metrics_left_ > 0;
    if (!family_.more) part_pos_ = part_end_;  // what follows the last metric is in header_
    return &family_;
  }

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
  uint32_t max_part_series_;  // 0: every record whole
  OwnedFamily family_;
  // The record read in parts: its fields but the metrics, where it starts, its body, and the
  // next field of the next part (part_pos_ == part_end_: no record in parts).
  pb::MetricFamily header_;
  uint64_t part_record_ = 0, part_start_ = 0, part_body_ = 0, part_pos_ = 0, part_end_ = 0;
  uint64_t part_metrics_left_ = 0;
  uint64_t pos_;
  uint64_t records_ = 0;
  bool done_ = false;
  Error error_;
};

}  // namespace

std::unique_ptr<FamilyStream> NewProtobufFamilyStream(Source& source,
                                                      const ProtobufReadOptions& options,
                                                      LossReport* /*losses*/,
                                                      uint32_t max_part_series) {
  return std::make_unique<ProtobufFamilyStream>(source, options, max_part_series);
}

}  // namespace promtool
