// The protobuf writers: delimited binary (varint length + MetricFamily per family) and the
// protobuf text format (one MetricFamily after another, as expfmt's encoding=text).
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/strcat.h"
#include "common/varint.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "promtool/escape.h"
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

// Appends protobuf wire bytes: varints, tags, fixed64 doubles, length-delimited strings.
namespace wire {
using varint::Append;
inline size_t VarintSize(uint64_t v) {
  return google::protobuf::io::CodedOutputStream::VarintSize64(v);
}
inline void Double(uint8_t tag, double v, std::string* out) {
  char bytes[9];
  bytes[0] = static_cast<char>(tag);
  std::memcpy(bytes + 1, &v, 8);  // little-endian on every platform we build for
  out->append(bytes, 9);
}
inline void Bytes(uint8_t tag, std::string_view s, std::string* out) {
  out->push_back(static_cast<char>(tag));
  Append(s.size(), out);
  out->append(s);
}
// A length-delimited field of `n` bytes, tag included.
inline size_t Field(size_t n) { return 1 + VarintSize(n) + n; }
}  // namespace wire

static_assert(sizeof(double) == 8);

class ProtobufWriter final : public FamilyWriter {
 public:
  ProtobufWriter(const WriteOptions& options, LossReport* losses)
      : preparer_(options, losses), options_(options) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily* msg = nullptr;
    if (family.part && open_) {
      absl::Status status = preparer_.Prepare(family, &msg);
      if (!status.ok() || msg == nullptr) return status;
      // The next metrics of the open record: field 4 of MetricFamily, one per series.
      for (const pb::Metric& m : msg->metric()) {
        const size_t size = m.ByteSizeLong();
        pending_.push_back(kMetricTag);
        wire::Append(size, &pending_);
        const size_t at = pending_.size();
        pending_.resize(at + size);
        m.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(pending_.data() + at));
        Seal();
      }
      return CheckPendingSize(msg->name());
    }
    EndFamily(out);
    DrainInto(out);
    absl::Status status = preparer_.Prepare(family, &msg);
    if (!status.ok() || msg == nullptr) return status;
    const size_t size = msg->ByteSizeLong();
    if (size > kMaxRecord) return TooLarge(msg->name(), size);
    if (options_.parts) {
      // Held until EndFamily(): parts of this family may follow.
      pending_.resize(size);
      msg->SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(pending_.data()));
      open_ = true;
      return CheckPendingSize(msg->name());
    }
    const size_t prefix = google::protobuf::io::CodedOutputStream::VarintSize64(size);
    const size_t at = out->size();
    out->resize(at + prefix + size);
    auto* p = reinterpret_cast<uint8_t*>(out->data() + at);
    p = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(size, p);
    msg->SerializeWithCachedSizesToArray(p);
    return absl::OkStatus();
  }

  // The wire bytes of the view's FillFromView() model, written from the view: the same bytes as
  // SerializeToString of that model (fields in field-number order, every field the fill sets),
  // without building it. Left to Write(): escaping schemes, gauge histograms and fractional
  // summary counts (both reported as losses by the fill), and a family without samples.
  absl::Status WriteView(const FamilyView& view, std::string* out, bool* written) override {
    *written = false;
    if (!FillsWithoutLoss(view, options_.escaping)) return absl::OkStatus();
    if (view.part ? !open_ : view.series.empty()) return absl::OkStatus();
    *written = true;
    if (!view.part) {
      EndFamily(out);
      pending_.clear();
      wire::Bytes(kNameTag, view.name, &pending_);
      if (view.has_help) wire::Bytes(kHelpTag, view.help, &pending_);
      pending_.push_back(kTypeTag);
      wire::Append(static_cast<uint64_t>(WireType(view.type)), &pending_);
      open_ = true;
    }
    for (const Series& s : view.series) {
      AppendSeries(view.type, s);
      Seal();
    }
    if (absl::Status st = CheckPendingSize(view.name); !st.ok()) return st;
    if (!options_.parts) EndFamily(out);
    return absl::OkStatus();
  }

  void EndFamily(std::string* out) override {
    if (!open_) return;
    open_ = false;
    DrainInto(out);  // what an earlier record left comes first
    wire::Append(Held(), out);
    if (blocks_.empty()) {
      out->append(pending_);
    } else if (!options_.parts) {
      for (const std::string& block : blocks_) out->append(block);
      out->append(pending_);
      blocks_.clear();
    } else {
      // A large record of a caller that sends parts (Convert()): its blocks are handed out by
      // MoreOutput(), not copied into `out`.
      for (std::string& block : blocks_) drain_.push_back(std::move(block));
      drain_.push_back(std::move(pending_));
      pending_ = SpareBlock();
      blocks_.clear();
    }
    pending_.clear();
  }

  bool MoreOutput(std::string* out) override {
    if (drain_.empty()) return false;
    out->append(drain_.front());
    // Kept for the next blocks (Seal): a fresh block's pages would be faulted in again, which
    // cost a quarter of converting large families.
    if (spare_.size() < kMaxSpareBlocks && drain_.front().capacity() >= kBlockBytes) {
      drain_.front().clear();
      spare_.push_back(std::move(drain_.front()));
    }
    drain_.pop_front();
    return true;
  }

  void DiscardFamily() override {
    open_ = false;
    pending_.clear();
    blocks_.clear();
  }

  absl::Status Finish(std::string* out) override {
    EndFamily(out);
    DrainInto(out);
    return absl::OkStatus();
  }

 private:
  static constexpr size_t kMaxRecord = static_cast<size_t>(INT32_MAX);
  // Field tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
  static constexpr char kNameTag = 0x0a, kHelpTag = 0x12, kTypeTag = 0x18, kMetricTag = 0x22;

  static absl::Status TooLarge(const std::string_view name, size_t size) {
    return absl::InvalidArgumentError(StrCat("family \"", name, "\" needs ", size,
                                             " bytes, more than a protobuf message can have"));
  }

  // The open record's bytes: its sealed blocks and pending_.
  size_t Held() const {
    size_t n = pending_.size();
    for (const std::string& block : blocks_) n += block.size();
    return n;
  }

  // Moves pending_ into blocks_ once it holds a block's worth, so the record of a large family
  // grows in blocks (no reallocation copying it, no doubled capacity) and is handed out block
  // by block (MoreOutput) instead of being copied into the output.
  void Seal() {
    if (pending_.size() < kBlockBytes) return;
    blocks_.push_back(std::move(pending_));
    pending_ = SpareBlock();
    if (pending_.capacity() < kBlockBytes) pending_.reserve(kBlockBytes + kBlockBytes / 8);
  }

  // A block handed out before (its pages are in memory already), or an empty string.
  std::string SpareBlock() {
    if (spare_.empty()) return std::string();
    std::string block = std::move(spare_.back());
    spare_.pop_back();
    return block;
  }

  // Appends what MoreOutput() has not handed out yet (when the caller did not ask for it).
  void DrainInto(std::string* out) {
    while (MoreOutput(out)) {
    }
  }

  absl::Status CheckPendingSize(std::string_view name) {
    const size_t size = Held();
    if (options_.max_held_bytes > 0 && size > options_.max_held_bytes) {
      DiscardFamily();
      return absl::ResourceExhaustedError(StrCat("its protobuf record holds ", size, " bytes"));
    }
    if (size <= kMaxRecord) return absl::OkStatus();
    DiscardFamily();
    return TooLarge(name, size);
  }

  // A label name or value as the model holds it (unescaped).
  std::string_view Plain(std::string_view raw, bool escaped) {
    return escaped ? Unescape(raw, &unescape_) : raw;
  }

  // One Metric (field 4 of MetricFamily) of series `s`.
  void AppendSeries(MetricType type, const Series& s) {
    // Sizes first (a length precedes each message); label pairs are measured once and kept.
    sizes_.clear();
    size_t metric = 0;
    for (const Label& l : s.labels) {
      const size_t pair = wire::Field(Plain(l.name, l.name_quoted).size()) +
                          wire::Field(Plain(l.value, true).size());
      sizes_.push_back(pair);
      metric += wire::Field(pair);
    }
    size_t value = 0;  // the Gauge, Counter, Untyped, Summary or Histogram message
    switch (type) {
      case MetricType::kSummary:
        value = (s.has_count ? 1 + wire::VarintSize(static_cast<uint64_t>(s.count)) : 0) +
                (s.has_sum ? 9 : 0) + s.quantiles.size() * wire::Field(18);
        break;
      case MetricType::kHistogram:
        value = HistogramSize(s);
        break;
      default:
        value = 9;
    }
    metric += wire::Field(value);
    if (s.has_timestamp) metric += 1 + wire::VarintSize(static_cast<uint64_t>(s.timestamp_ms));

    pending_.push_back(kMetricTag);
    wire::Append(metric, &pending_);
    for (size_t i = 0; i < s.labels.size(); ++i) {
      const Label& l = s.labels[i];
      pending_.push_back(0x0a);  // Metric.label
      wire::Append(sizes_[i], &pending_);
      wire::Bytes(0x0a, Plain(l.name, l.name_quoted), &pending_);
      wire::Bytes(0x12, Plain(l.value, true), &pending_);
    }
    // Metric fields in number order: label 1, gauge 2, counter 3, summary 4, untyped 5,
    // timestamp_ms 6, histogram 7.
    switch (type) {
      case MetricType::kGauge:
        pending_.append("\x12\x09", 2);
        wire::Double(0x09, s.value, &pending_);
        break;
      case MetricType::kCounter:
        pending_.append("\x1a\x09", 2);
        wire::Double(0x09, s.value, &pending_);
        break;
      case MetricType::kSummary:
        pending_.push_back(0x22);
        wire::Append(value, &pending_);
        if (s.has_count) {
          pending_.push_back(0x08);
          wire::Append(static_cast<uint64_t>(s.count), &pending_);
        }
        if (s.has_sum) wire::Double(0x11, s.sum, &pending_);
        for (const Quantile& q : s.quantiles) {
          pending_.append("\x1a\x12", 2);
          wire::Double(0x09, q.quantile, &pending_);
          wire::Double(0x11, q.value, &pending_);
        }
        break;
      case MetricType::kHistogram:
        break;  // after the timestamp
      default:
        pending_.append("\x2a\x09", 2);
        wire::Double(0x09, s.value, &pending_);
    }
    if (s.has_timestamp) {
      pending_.push_back(0x30);
      wire::Append(static_cast<uint64_t>(s.timestamp_ms), &pending_);
    }
    if (type == MetricType::kHistogram) {
      pending_.push_back(0x3a);
      wire::Append(value, &pending_);
      AppendHistogram(s);
    }
  }

  // Histogram fields in number order: sample_count 1, sample_sum 2, bucket 3,
  // sample_count_float 4; Bucket: cumulative_count 1, upper_bound 2, cumulative_count_float 4.
  static size_t BucketSize(const Bucket& b) {
    return IsWholeUint64(b.cumulative_count)
               ? 1 + wire::VarintSize(static_cast<uint64_t>(b.cumulative_count)) + 9
               : 18;
  }
  static size_t HistogramSize(const Series& s) {
    size_t n = 0;
    if (s.has_count) {
      n += IsWholeUint64(s.count) ? 1 + wire::VarintSize(static_cast<uint64_t>(s.count)) : 9;
    }
    if (s.has_sum) n += 9;
    for (const Bucket& b : s.buckets) n += wire::Field(BucketSize(b));
    return n;
  }
  void AppendHistogram(const Series& s) {
    const bool whole_count = s.has_count && IsWholeUint64(s.count);
    if (whole_count) {
      pending_.push_back(0x08);
      wire::Append(static_cast<uint64_t>(s.count), &pending_);
    }
    if (s.has_sum) wire::Double(0x11, s.sum, &pending_);
    for (const Bucket& b : s.buckets) {
      pending_.push_back(0x1a);
      wire::Append(BucketSize(b), &pending_);
      if (IsWholeUint64(b.cumulative_count)) {
        pending_.push_back(0x08);
        wire::Append(static_cast<uint64_t>(b.cumulative_count), &pending_);
        wire::Double(0x11, b.upper_bound, &pending_);
      } else {
        wire::Double(0x11, b.upper_bound, &pending_);
        wire::Double(0x21, b.cumulative_count, &pending_);
      }
    }
    if (s.has_count && !whole_count) wire::Double(0x21, s.count, &pending_);
  }

  MessagePreparer preparer_;
  WriteOptions options_;
  static constexpr size_t kBlockBytes = size_t{1} << 20;
  bool open_ = false;    // blocks_ and pending_ hold a record that parts may still extend
  std::string pending_;  // that record's last message bytes (its length prefix comes at the end)
  std::vector<std::string> blocks_;  // its earlier bytes, in blocks of about kBlockBytes
  std::deque<std::string> drain_;    // the blocks of a completed record not yet handed out
  // Blocks handed out, emptied, to be filled again (at most kMaxSpareBlocks: 32 MiB).
  static constexpr size_t kMaxSpareBlocks = 32;
  std::vector<std::string> spare_;
  std::vector<size_t> sizes_;
  std::string unescape_;
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
