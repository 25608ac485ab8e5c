// Parse errors: a stable code, the position in the input, and messages for people and for
// promtool compatibility.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace promtool {

// Every way an input can be rejected. The ids returned by ErrorCodeId() are stable and are
// documented in docs/formats.md; never renumber or rename them.
enum class ErrorCode : uint16_t {
  kOk = 0,
  kUnexpectedEof,     // input ends inside a line (no final newline)
  kMetricName,        // a sample line does not start with a metric name
  kCommentName,       // # HELP/# TYPE name followed by something other than a blank
  kValue,             // sample value is not a float
  kTimestamp,         // timestamp is not an int64
  kAfterTimestamp,    // text after the timestamp
  kLabelName,         // invalid label name
  kLabelReserved,     // label named __name__
  kLabelEquals,       // no '=' after a label name
  kLabelDuplicate,    // the same label name twice
  kLabelQuote,        // label value does not start with '"'
  kLabelUtf8,         // label value is not valid UTF-8
  kLabelEnd,          // label value not followed by ',' or '}'
  kLabelNewline,      // raw newline inside a label value
  kEscape,            // escape sequence other than \\ \" \n (\\ \n in HELP)
  kHelpDuplicate,     // second HELP for a family
  kTypeDuplicate,     // second TYPE for a family, or TYPE after its samples
  kTypeUnknown,       // unknown metric type
  kQuantileValue,     // quantile label is not a float
  kBucketValue,       // le label is not a float
  kQuotedName,        // quoted (UTF-8) name syntax used, or malformed, in the current name scheme
  // Known real-world mistakes, reported instead of the generic code at the same position.
  kByteOrderMark,
  kCrlf,
  kUtf16,
  kGzip,
  // Limits and I/O.
  kLimit,
  kIo,
  kUnsupported,
};

// The stable id printed in brackets, e.g. "label-syntax" for kLabelEquals.
std::string_view ErrorCodeId(ErrorCode code);

// A rejected input. Line and column are 1-based; the column counts bytes.
struct ParseError {
  ErrorCode code = ErrorCode::kOk;
  uint64_t offset = 0;  // absolute byte offset in the input
  uint64_t line = 0;
  uint64_t column = 0;
  // What was expected and what was found, for people.
  std::string message;
  // The exact text promtool (prometheus/common's text parser) prints for the same input, for
  // the drop-in `check metrics` output.
  std::string compat_message;
  // Optional advice for known mistakes (BOM, CRLF, gzip, ...); empty otherwise.
  std::string hint;

  bool ok() const { return code == ErrorCode::kOk; }
};

}  // namespace promtool
