// Stable names of error codes and metric types.
#include "promtool/error.h"
#include "promtool/types.h"

namespace promtool {

std::string_view ErrorCodeId(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kUnexpectedEof: return "unexpected-eof";
    case ErrorCode::kMetricName: return "metric-name";
    case ErrorCode::kCommentName: return "comment-name";
    case ErrorCode::kValue: return "value";
    case ErrorCode::kTimestamp: return "timestamp";
    case ErrorCode::kAfterTimestamp: return "after-timestamp";
    case ErrorCode::kLabelName: return "label-name";
    case ErrorCode::kLabelReserved: return "label-reserved";
    case ErrorCode::kLabelEquals: return "label-equals";
    case ErrorCode::kLabelDuplicate: return "label-duplicate";
    case ErrorCode::kLabelQuote: return "label-quote";
    case ErrorCode::kLabelUtf8: return "label-utf8";
    case ErrorCode::kLabelEnd: return "label-end";
    case ErrorCode::kLabelNewline: return "label-newline";
    case ErrorCode::kEscape: return "escape";
    case ErrorCode::kHelpDuplicate: return "help-duplicate";
    case ErrorCode::kTypeDuplicate: return "type-duplicate";
    case ErrorCode::kTypeUnknown: return "type-unknown";
    case ErrorCode::kQuantileValue: return "quantile-value";
    case ErrorCode::kBucketValue: return "bucket-value";
    case ErrorCode::kQuotedName: return "quoted-name";
    case ErrorCode::kByteOrderMark: return "byte-order-mark";
    case ErrorCode::kCrlf: return "crlf";
    case ErrorCode::kUtf16: return "utf16";
    case ErrorCode::kGzip: return "gzip";
    case ErrorCode::kLimit: return "limit";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kUnsupported: return "unsupported";
  }
  return "unknown";
}

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kSummary: return "summary";
    case MetricType::kUntyped: return "untyped";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kGaugeHistogram: return "gauge_histogram";
    case MetricType::kStateSet: return "stateset";
    case MetricType::kInfo: return "info";
    case MetricType::kUnknown: return "unknown";
  }
  return "untyped";
}

}  // namespace promtool
