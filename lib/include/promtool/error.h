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
  kUnexpectedEof,   // input ends inside a line (no final newline)
  kMetricName,      // a sample line does not start with a metric name
  kCommentName,     // # HELP/# TYPE name followed by something other than a blank
  kValue,           // sample value is not a float
  kTimestamp,       // timestamp is not an int64
  kAfterTimestamp,  // text after the timestamp
  kLabelName,       // invalid label name
  kLabelReserved,   // label named __name__
  kLabelEquals,     // no '=' after a label name
  kLabelDuplicate,  // the same label name twice
  kLabelQuote,      // label value does not start with '"'
  kLabelUtf8,       // label value is not valid UTF-8
  kLabelEnd,        // label value not followed by ',' or '}'
  kLabelNewline,    // raw newline inside a label value
  kEscape,          // escape sequence other than \\ \" \n (\\ \n in HELP)
  kHelpDuplicate,   // second HELP for a family
  kTypeDuplicate,   // second TYPE for a family, or TYPE after its samples
  kTypeUnknown,     // unknown metric type
  kQuantileValue,   // quantile label is not a float
  kBucketValue,     // le label is not a float
  kQuotedName,      // quoted (UTF-8) name syntax used, or malformed, in the current name scheme
  // Known real-world mistakes, reported instead of the generic code at the same position.
  kByteOrderMark,
  kCrlf,
  kUtf16,
  kGzip,
  // Profile-specific (promtool 3.x, expfmt v0.67+).
  kHistogramNegative,  // negative histogram _count or bucket count
  // Limits and I/O.
  kLimit,
  kIo,
  kUnsupported,
  // OpenMetrics 1.0 (ids om-*).
  kOmEof,                // `# EOF` missing, or bytes after it
  kOmWhitespace,         // blank line, tab, leading/trailing or doubled space
  kOmComment,            // a `#` line other than HELP, TYPE, UNIT, EOF
  kOmMetadata,           // HELP/TYPE/UNIT line without name or value
  kOmMetadataDuplicate,  // second HELP, TYPE or UNIT for a family
  kOmMetadataOrder,      // metadata after the family's samples
  kOmUnit,               // unit not a suffix of the name, or UNIT on info/stateset
  kOmNameClash,          // a name that is also a sample name of another family
  kOmFamilyOrder,        // a family's lines are not contiguous
  kOmSampleName,         // sample suffix not allowed for the family's type
  kOmSeriesOrder,        // a series' samples are not contiguous
  kOmDuplicateSample,    // the same sample twice without increasing timestamps
  kOmTimestampOrder,     // timestamp smaller than the series' previous one
  kOmTimestampMixed,     // a series mixes samples with and without timestamps
  kOmExemplar,           // malformed exemplar
  kOmExemplarLength,     // exemplar labels longer than 128 code points
  kOmExemplarPlacement,  // exemplar on a sample that may not have one
  kOmNegativeValue,      // NaN or negative counter-like value
  kOmInfoValue,          // info sample value other than 1
  kOmStateSetValue,      // stateset sample value other than 0 or 1, or missing state label
  kOmQuantile,           // summary quantile label missing or not in [0, 1]
  kOmBucketLe,           // bucket without a valid le label
  kOmBucketOrder,        // buckets not in increasing le order
  kOmBucketCumulative,   // bucket count smaller than the previous bucket's
  kOmBucketInf,          // histogram without a +Inf bucket
  kOmCountMismatch,      // _count differs from the +Inf bucket
  kOmSumCount,           // _sum without _count or the reverse
  kOmSumNegative,        // _sum with negative buckets; negative _gsum without them
  kOmNotInteger,         // histogram/summary count or (gauge)histogram bucket not an integer
  // Delimited protobuf (ids pb-*).
  kPbTruncated,  // input ends inside a length prefix or inside a record
  kPbTooLarge,   // a record's declared length exceeds the limit
  kPbInvalid,    // a record is not a valid io.prometheus.client.MetricFamily
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
