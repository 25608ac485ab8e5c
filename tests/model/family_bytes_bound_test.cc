// TextOptions::max_family_bytes: every format's family stream stops a family whose owning model
// would pass the bound, with a kLimit error at a position in the input, and reads a family under
// the bound as before.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "common/varint.h"
#include "model/owned_family.h"
#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {
namespace {

// A text histogram of one series and `buckets` buckets, after one small gauge family.
std::string TextHistogram(int buckets) {
  std::string s = "# TYPE g gauge\ng 1\n# TYPE h histogram\n";
  for (int i = 0; i < buckets; ++i) {
    s += "h_bucket{le=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
  }
  return s + "h_count " + std::to_string(buckets) + "\n";
}

// A text gauge family of `series` series.
std::string TextGauges(int series) {
  std::string s = "# TYPE g gauge\n";
  for (int i = 0; i < series; ++i) s += "g{i=\"" + std::to_string(i) + "\"} 1\n";
  return s;
}

std::string OmHistogram(int buckets) {
  std::string s = "# TYPE h histogram\n";
  for (int i = 0; i < buckets; ++i) {
    s += "h_bucket{le=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
  }
  return s + "h_bucket{le=\"+Inf\"} " + std::to_string(buckets) + "\nh_sum 1\nh_count " +
         std::to_string(buckets) + "\n# EOF\n";
}

// An OpenMetrics 2.0 gauge family of `series` series.
std::string Om2Gauges(int series) {
  std::string s = "# TYPE g gauge\n";
  for (int i = 0; i < series; ++i) s += "g{i=\"" + std::to_string(i) + "\"} 1\n";
  return s + "# EOF\n";
}

// One small record, then a native histogram record whose packed deltas are one byte each.
std::string ProtobufNative(int deltas) {
  pb::MetricFamily small;
  small.set_name("g");
  small.set_type(pb::GAUGE);
  small.add_metric()->mutable_gauge()->set_value(1);
  pb::MetricFamily native;
  native.set_name("n");
  native.set_type(pb::HISTOGRAM);
  pb::Histogram* h = native.add_metric()->mutable_histogram();
  h->set_schema(0);
  h->set_sample_count(1);
  h->add_positive_span()->set_length(static_cast<uint32_t>(deltas));
  for (int i = 0; i < deltas; ++i) h->add_positive_delta(i % 2);
  std::string out;
  for (const pb::MetricFamily* f : {&small, &native}) {
    const std::string record = f->SerializeAsString();
    varint::Append(record.size(), &out);
    out += record;
  }
  return out;
}

struct Read {
  int families = 0;
  Error error;  // kOk: a clean end
};

Read ReadAll(const std::string& input, InputFormat format, uint64_t max_family_bytes) {
  auto source = StringSource(input, "body");
  FamilyStreamOptions options;
  options.text.max_family_bytes = max_family_bytes;
  auto stream = NewFamilyStream(*source, format, options, nullptr);
  Read r;
  while (stream->Next() != nullptr) ++r.families;
  if (stream->error() != nullptr) r.error = *stream->error();
  return r;
}

struct Row {
  const char* name;
  std::string input;
  InputFormat format;
  int families_before;  // the families read before the error
  uint64_t line, column, offset;
  std::string message;  // a regular expression for the whole message
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class FamilyBytesBound : public ::testing::TestWithParam<Row> {};

constexpr uint64_t kBound = 16384;

TEST_P(FamilyBytesBound, StopsTheFamilyPastTheBound) {
  const Row& row = GetParam();
  const Read r = ReadAll(row.input, row.format, kBound);
  EXPECT_EQ(r.families, row.families_before);
  EXPECT_EQ(r.error.code, ErrorCode::kLimit);
  EXPECT_EQ(r.error.line, row.line);
  EXPECT_EQ(r.error.column, row.column);
  EXPECT_EQ(r.error.offset, row.offset);
  EXPECT_TRUE(std::regex_match(r.error.message, std::regex(row.message))) << r.error.message;
}

TEST_P(FamilyBytesBound, ReadsTheSameInputWithoutTheBound) {
  const Row& row = GetParam();
  const Read r = ReadAll(row.input, row.format, 0);
  EXPECT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.families, row.families_before + 1);
}

constexpr const char* kTail =
    " that one family may take for a body \\(half of --body-size-limit\\); raise "
    "--body-size-limit";

INSTANTIATE_TEST_SUITE_P(
    Formats, FamilyBytesBound,
    ::testing::Values(
        // The histogram's records stay small, its model does not: refused when it is complete,
        // at its first line.
        Row{"text_histogram_model", TextHistogram(300), InputFormat::kText, 1, 3, 1, 19,
            std::string("family \"h\" \\(1 series\\) would take more than 16384 bytes in "
                        "memory, the most") +
                kTail},
        // The records themselves pass the bound first: refused at the line that takes them past.
        Row{"text_gauge_records", TextGauges(2000), InputFormat::kText, 0, 66, 1, 773,
            std::string("family \"g\" holds \\d+ series \\(about \\d+ bytes of records\\) by "
                        "this line, more than the 16384") +
                kTail},
        Row{"openmetrics_histogram", OmHistogram(2000), InputFormat::kOpenMetrics, 0, 186, 1, 4031,
            std::string("family \"h\" would take about \\d+ bytes in memory by this line "
                        "\\(1 series\\), more than the 16384") +
                kTail},
        Row{"openmetrics2_gauges", Om2Gauges(2000), InputFormat::kOpenMetrics2, 0, 64, 1, 749,
            std::string("family \"g\" would take about \\d+ bytes in memory by this line "
                        "\\(\\d+ series\\), more than the 16384") +
                kTail},
        Row{"protobuf_one_byte_deltas", ProtobufNative(4000), InputFormat::kProtobuf, 1, 0, 0, 19,
            std::string("record 2 at byte 19 \\(\\d+ bytes\\) would take more than 16384 "
                        "bytes in memory, the most") +
                kTail}));

}  // namespace
}  // namespace promtool
