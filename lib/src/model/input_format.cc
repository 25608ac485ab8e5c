// Input format names and DetectFormat(): structural protobuf detection, "# EOF" for OpenMetrics.
#include "promtool/input_format.h"

#include <algorithm>
#include <cstddef>

#include "common/scan.h"
#include "common/varint.h"

namespace promtool {

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "text") return InputFormat::kText;
  if (name == "openmetrics") return InputFormat::kOpenMetrics;
  if (name == "protobuf") return InputFormat::kProtobuf;
  if (name == "openmetrics2") return InputFormat::kOpenMetrics2;
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
    case InputFormat::kOpenMetrics2:
      return "openmetrics2";
  }
  return "auto";
}

namespace {

// MetricFamily's fields: name 1, help 2, type 3 (varint), metric 4, unit 5; the others are
// length-delimited. Unknown fields are allowed with any valid wire type.
bool KnownFieldHasWireType(uint64_t field, uint64_t wire_type) {
  switch (field) {
    case 1:
    case 2:
    case 4:
    case 5:
      return wire_type == 2;
    case 3:
      return wire_type == 0;
    default:
      return true;
  }
}

// A delimited MetricFamily record: its length, then the name field (tag 0x0A, not empty), then
// fields whose tags are valid and whose lengths end exactly at the record's end. The walk stops
// at the end of the window (a long first record is judged by what is there). Nothing depends on
// the bytes of a name or a HELP text.
bool LooksLikeProtobuf(std::string_view w) {
  const varint::Read length = varint::Decode(w);
  if (!length.ok() || length.value < 2) return false;
  const size_t start = length.bytes;
  if (start >= w.size() || static_cast<uint8_t>(w[start]) != 0x0A) return false;
  const uint64_t end = start + length.value;
  const std::string_view record =
      w.substr(0, static_cast<size_t>(std::min<uint64_t>(end, w.size())));
  const bool cut = end > w.size();  // the window ends inside the record
  uint64_t p = start;
  bool first = true;
  while (p < record.size()) {
    const varint::Read tag = varint::Decode(record, static_cast<size_t>(p));
    if (!tag.ok()) return cut && tag.status == varint::Status::kTruncated;
    const uint64_t field = tag.value >> 3, wire_type = tag.value & 7;
    if (field == 0 || !KnownFieldHasWireType(field, wire_type)) return false;
    if (first && field != 1) return false;
    p += tag.bytes;
    uint64_t size = 0;
    switch (wire_type) {
      case 0: {
        const varint::Read v =
            varint::Decode(record, static_cast<size_t>(std::min<uint64_t>(p, record.size())));
        if (!v.ok()) return cut && v.status == varint::Status::kTruncated;
        size = v.bytes;
        break;
      }
      case 1:
        size = 8;
        break;
      case 5:
        size = 4;
        break;
      case 2: {
        const varint::Read v =
            varint::Decode(record, static_cast<size_t>(std::min<uint64_t>(p, record.size())));
        if (!v.ok()) return !first && cut && v.status == varint::Status::kTruncated;
        p += v.bytes;
        size = v.value;
        // A family has a name, and it is in the window (a record cut by the window's end is a
        // truncated protobuf only when its short first field is whole).
        if (first && (size == 0 || size > record.size() - std::min<uint64_t>(p, record.size()))) {
          return false;
        }
        break;
      }
      default:
        return false;  // groups (3, 4) and the unused wire types 6, 7
    }
    if (size > end - p) return false;  // the field runs past the record
    p += size;
    first = false;
  }
  return !first && (p == end || cut);
}

bool EndsWithEof(std::string_view w) {
  if (!w.empty() && w.back() == '\n') w.remove_suffix(1);
  if (w.size() < 5 || w.substr(w.size() - 5) != "# EOF") return false;
  return w.size() == 5 || w[w.size() - 6] == '\n';
}

// Whether the " {" at w[hit] starts the value of a sample line that is a CompositeValue
// ("name{labels} {count:" or "{gcount:"), which OpenMetrics 1.0 and the text format cannot
// have. The line is read as a sample: a metric name or a braced quoted name, labels skipped with
// their quoted values (so "{count:" inside a label value or a HELP text does not count), then
// one space and the composite's first field.
bool CompositeAt(std::string_view w, size_t hit) {
  const std::string_view rest = w.substr(hit + 2);
  if (!rest.starts_with("count:") && !rest.starts_with("gcount:")) return false;
  const size_t nl = w.rfind('\n', hit);
  const size_t start = nl == std::string_view::npos ? 0 : nl + 1;
  const std::string_view line = w.substr(start, hit - start);
  if (line.empty() || line[0] == '#') return false;
  bool in_quotes = false, blank = false;
  int depth = 0;
  for (size_t i = 0; i < line.size() && !blank; ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
    } else if (c == ' ') {
      blank = true;
    }
  }
  return !blank && !in_quotes && depth == 0;
}

// Whether `bytes`, which are w[at, at + bytes.size()), hold the " {" of a CompositeValue sample
// (CompositeAt() judges each " {", which is rare elsewhere: a label set follows a name, not a
// blank).
bool HasCompositeSample(std::string_view w, std::string_view bytes, size_t at) {
  const char* const end = bytes.data() + bytes.size();
  for (const char* p = bytes.data(); p < end; ++p) {
    p = scan::FindPair(p, end, ' ', '{');
    if (p >= end) break;
    if (CompositeAt(w, at + static_cast<size_t>(p - bytes.data()))) return true;
  }
  return false;
}

bool HasCompositeSample(std::string_view w) { return HasCompositeSample(w, w, 0); }

// HasCompositeSample() over the whole file behind `source` (whose Whole() is `w`), copied out a
// MiB at a time (Source::CopyOut): copying through a small buffer costs less than faulting in
// every page of the mapping, and the memory it takes does not grow with the file. nullopt when
// the source cannot copy out.
std::optional<bool> FileHasCompositeSample(const Source& source, std::string_view w) {
  constexpr size_t kBlock = size_t{1} << 20;
  if (w.size() <= kBlock) return std::nullopt;  // read in place
  std::string buffer(kBlock, '\0');
  for (size_t at = 0; at < w.size();) {
    const std::optional<size_t> got = source.CopyOut(at, buffer.data(), kBlock);
    if (!got || *got == 0) return std::nullopt;
    if (HasCompositeSample(w, std::string_view(buffer.data(), *got), at)) return true;
    // The next block starts at this one's last byte: a pair across the boundary is seen there.
    at += *got > 1 ? *got - 1 : *got;
    if (at + 1 >= w.size()) break;
  }
  return false;
}

}  // namespace

InputFormat DetectFormat(Source& source) {
  // A memory source or a mapped file is judged whole (nothing is read or copied; a mapped
  // file's pages that the judging touched are handed back after it).
  if (const std::optional<std::string_view> whole = source.Whole()) {
    InputFormat format = InputFormat::kText;
    if (LooksLikeProtobuf(*whole)) {
      format = InputFormat::kProtobuf;
    } else if (EndsWithEof(*whole)) {
      // OpenMetrics 1.0 or 2.0: the whole input is searched for a CompositeValue sample, a
      // file through a small buffer.
      std::optional<bool> composite = FileHasCompositeSample(source, *whole);
      if (!composite) composite = HasCompositeSample(*whole);
      format = *composite ? InputFormat::kOpenMetrics2 : InputFormat::kOpenMetrics;
      source.Evict();
    }
    return format;
  }
  // A stream shows its first chunk; read ahead (keeping every byte) until the end or 1 MiB, so
  // that a small piped payload is judged by its end too.
  constexpr size_t kLookahead = size_t{1} << 20;
  while (!source.at_eof() && source.window().size() < kLookahead) {
    if (!source.Refill(source.window_offset())) break;
  }
  std::string_view w = source.window();
  if (LooksLikeProtobuf(w)) return InputFormat::kProtobuf;
  if (source.at_eof() && EndsWithEof(w)) {
    return HasCompositeSample(w) ? InputFormat::kOpenMetrics2 : InputFormat::kOpenMetrics;
  }
  // A longer stream whose end is not in view: a CompositeValue sample, which neither the text
  // format nor OpenMetrics 1.0 can have, makes it OpenMetrics 2.0 without seeing "# EOF".
  if (!source.at_eof() && HasCompositeSample(w)) return InputFormat::kOpenMetrics2;
  return InputFormat::kText;
}

}  // namespace promtool
