// The one error value of every result: a stable code, the position in the input (when the error
// is in the input), and messages for people and for promtool compatibility.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace promtool {

// Every way an operation can fail: an input rejected (most codes), and the failures that are
// not in the input (the output, an option, the network). One kind of failure has one code
// everywhere: a configured or built-in size or count limit is kLimit, an input that cannot be
// read is kIo, whatever the format and whichever reader met it. The ids returned by
// ErrorCodeId() are stable and are documented in docs/formats.md; never renumber or rename
// them.
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
  // Failures outside the input (no position: Error::located() is false).
  kOutput,        // the output could not be written (a sink's write, a file's replacement)
  kOutputFormat,  // the output format cannot carry a family (an escaping that refuses a name,
                  // a family split across the input)
  kStrict,        // a loss the output format would have (a warning) refused under --strict
  kRelabelSplit,  // relabel rules that would split one series into unrelated ones
  kOption,        // an invalid option value (a regular expression, a URL, a combination)
  kNetwork,       // the HTTP transfer failed: connection, DNS, TLS, proxy, libcurl
  kHttp,          // the HTTP response is unusable: status, Content-Type, Content-Encoding,
                  // redirects
  kTimeout,       // the --timeout of an HTTP exchange passed
  // OpenMetrics 2.0.0-rc0 (ids om2-*; the om2-exemplar* codes are notes, never errors).
  kOm2Eof,                // `# EOF` missing, or bytes after it
  kOm2Whitespace,         // blank line, tab, leading, trailing or doubled space
  kOm2LineEnding,         // a line ends with CR LF
  kOm2Utf8,               // not UTF-8: invalid bytes, a byte-order mark, UTF-16, gzip
  kOm2Comment,            // a `#` line other than TYPE, HELP, UNIT, EOF
  kOm2Metadata,           // malformed TYPE/HELP/UNIT line
  kOm2MetadataDuplicate,  // second TYPE, HELP or UNIT for a family
  kOm2MetadataOrder,      // metadata after the family's samples
  kOm2Type,               // unknown metric type
  kOm2Unit,               // unit with bad characters, or a unit on info/stateset
  kOm2InfoName,           // info family name without the _info suffix
  kOm2Name,               // malformed, empty or misplaced metric name
  kOm2ReservedName,       // metric or label name starting with '_' (reserved)
  kOm2FamilyOrder,        // a family name used again after another family
  kOm2Label,              // malformed label
  kOm2LabelDuplicate,     // the same label name twice in a label set
  kOm2Escape,             // raw '"' or lone trailing backslash in an escaped string
  kOm2Number,             // malformed number, or one outside the float64 range
  kOm2Value,              // Number where a CompositeValue is required, or the reverse
  kOm2Timestamp,          // malformed sample timestamp
  kOm2StartTimestamp,     // malformed, repeated, misplaced or disallowed st@
  kOm2Sample,             // unexpected text after a sample's value or timestamps
  kOm2Composite,          // CompositeValue field missing, unknown, repeated or out of order
  kOm2CounterValue,       // counter value NaN or negative
  kOm2Count,        // histogram/summary count or sum negative, NaN or fractional where forbidden
  kOm2BucketValue,  // negative histogram bucket value
  kOm2BucketOrder,  // classic bucket thresholds not strictly increasing
  kOm2BucketCumulative,   // histogram classic bucket smaller than the previous one
  kOm2CountMismatch,      // count differs from the +Inf bucket or the native buckets' total
  kOm2Schema,             // native schema outside -4..8
  kOm2ZeroThreshold,      // negative zero_threshold
  kOm2Spans,              // spans not matching their bucket list, or past the overflow bucket
  kOm2Quantile,           // quantile outside [0, 1], not increasing, or a negative value
  kOm2TypeLabel,          // le label on a histogram with classic buckets; quantile on a summary
  kOm2StateSet,           // stateset value not 0/1 or state label missing
  kOm2InfoValue,          // info value other than 1
  kOm2SeriesOrder,        // a metric (or stateset group) not contiguous
  kOm2TimestampOrder,     // a metric's samples without increasing timestamps
  kOm2Exemplar,           // malformed exemplar (a note: the exemplar is dropped)
  kOm2ExemplarTimestamp,  // exemplar without its mandatory timestamp (note)
  kOm2ExemplarPlacement,  // exemplar on a type that has none (note)
};

// The stable id printed in brackets, e.g. "label-syntax" for kLabelEquals.
std::string_view ErrorCodeId(ErrorCode code);

// The error of a result (every result has exactly one, `error`, and `ok()` is `error.ok()`).
// For an input error, the position: line and column are 1-based, the column counts bytes, and
// binary input (protobuf) has line 0 and a byte offset. An error that is not in the input (the
// output, an option, the network: see ErrorCode) has offset kNoOffset.
struct Error {
  static constexpr uint64_t kNoOffset = UINT64_MAX;

  ErrorCode code = ErrorCode::kOk;
  uint64_t offset = 0;  // absolute byte offset in the input; kNoOffset: not in the input
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
  // True when the error has a position in the input (a diagnostic with file:line:col or byte).
  bool located() const { return !ok() && offset != kNoOffset; }

  // An error that is not in the input: offset kNoOffset, compat_message = message.
  static Error Unlocated(ErrorCode code, std::string message) {
    Error e;
    e.code = code;
    e.offset = kNoOffset;
    e.compat_message = message;
    e.message = std::move(message);
    return e;
  }
};

// The old name, kept while branches that use it are merged; use Error.

}  // namespace promtool
