// Stable names of error codes and metric types.
#include "promtool/error.h"
#include "promtool/types.h"

namespace promtool {

std::string_view ErrorCodeId(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kUnexpectedEof:
      return "unexpected-eof";
    case ErrorCode::kMetricName:
      return "metric-name";
    case ErrorCode::kCommentName:
      return "comment-name";
    case ErrorCode::kValue:
      return "value";
    case ErrorCode::kTimestamp:
      return "timestamp";
    case ErrorCode::kAfterTimestamp:
      return "after-timestamp";
    case ErrorCode::kLabelName:
      return "label-name";
    case ErrorCode::kLabelReserved:
      return "label-reserved";
    case ErrorCode::kLabelEquals:
      return "label-equals";
    case ErrorCode::kLabelDuplicate:
      return "label-duplicate";
    case ErrorCode::kLabelQuote:
      return "label-quote";
    case ErrorCode::kLabelUtf8:
      return "label-utf8";
    case ErrorCode::kLabelEnd:
      return "label-end";
    case ErrorCode::kLabelNewline:
      return "label-newline";
    case ErrorCode::kEscape:
      return "escape";
    case ErrorCode::kHelpDuplicate:
      return "help-duplicate";
    case ErrorCode::kTypeDuplicate:
      return "type-duplicate";
    case ErrorCode::kTypeUnknown:
      return "type-unknown";
    case ErrorCode::kQuantileValue:
      return "quantile-value";
    case ErrorCode::kBucketValue:
      return "bucket-value";
    case ErrorCode::kQuotedName:
      return "quoted-name";
    case ErrorCode::kByteOrderMark:
      return "byte-order-mark";
    case ErrorCode::kCrlf:
      return "crlf";
    case ErrorCode::kUtf16:
      return "utf16";
    case ErrorCode::kGzip:
      return "gzip";
    case ErrorCode::kLimit:
      return "limit";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kOmEof:
      return "om-eof";
    case ErrorCode::kOmWhitespace:
      return "om-whitespace";
    case ErrorCode::kOmComment:
      return "om-comment";
    case ErrorCode::kOmMetadata:
      return "om-metadata";
    case ErrorCode::kOmMetadataDuplicate:
      return "om-metadata-duplicate";
    case ErrorCode::kOmMetadataOrder:
      return "om-metadata-order";
    case ErrorCode::kOmUnit:
      return "om-unit";
    case ErrorCode::kOmNameClash:
      return "om-name-clash";
    case ErrorCode::kOmFamilyOrder:
      return "om-family-order";
    case ErrorCode::kOmSampleName:
      return "om-sample-name";
    case ErrorCode::kOmSeriesOrder:
      return "om-series-order";
    case ErrorCode::kOmDuplicateSample:
      return "om-duplicate-sample";
    case ErrorCode::kOmTimestampOrder:
      return "om-timestamp-order";
    case ErrorCode::kOmTimestampMixed:
      return "om-timestamp-mixed";
    case ErrorCode::kOmExemplar:
      return "om-exemplar";
    case ErrorCode::kOmExemplarLength:
      return "om-exemplar-length";
    case ErrorCode::kOmExemplarPlacement:
      return "om-exemplar-placement";
    case ErrorCode::kOmNegativeValue:
      return "om-counter-value";
    case ErrorCode::kOmInfoValue:
      return "om-info-value";
    case ErrorCode::kOmStateSetValue:
      return "om-stateset-value";
    case ErrorCode::kOmQuantile:
      return "om-quantile";
    case ErrorCode::kOmBucketLe:
      return "om-bucket-le";
    case ErrorCode::kOmBucketOrder:
      return "om-bucket-order";
    case ErrorCode::kOmBucketCumulative:
      return "om-bucket-cumulative";
    case ErrorCode::kOmBucketInf:
      return "om-bucket-inf";
    case ErrorCode::kOmCountMismatch:
      return "om-count-mismatch";
    case ErrorCode::kOmSumCount:
      return "om-sum-count";
    case ErrorCode::kOmSumNegative:
      return "om-sum-negative";
    case ErrorCode::kPbTruncated:
      return "pb-truncated";
    case ErrorCode::kPbTooLarge:
      return "pb-too-large";
    case ErrorCode::kPbInvalid:
      return "pb-invalid";
  }
  return "unknown";
}

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kUntyped:
      return "untyped";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kGaugeHistogram:
      return "gauge_histogram";
    case MetricType::kStateSet:
      return "stateset";
    case MetricType::kInfo:
      return "info";
    case MetricType::kUnknown:
      return "unknown";
  }
  return "untyped";
}

}  // namespace promtool
