// One histogram count rule (client_golang's: a float count overrides the integer one when it is
// not a plain zero the integer contradicts): the linter's view of a protobuf family and the text
// writer read the same counts from buckets that carry both an integer and a float count.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "common/varint.h"
#include "lint/owned_view.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "promtool/convert.h"
#include "promtool/output.h"

namespace promtool {
namespace {

// le=1: integer 3 and float 0 (the integer wins); le=+Inf: integer 0 and float 5 (the float
// wins); the sample count: integer 5 and float 0 (the integer wins).
OwnedFamily BothCounts() {
  OwnedFamily f;
  f.type = MetricType::kHistogram;
  f.proto.set_name("h");
  f.proto.set_type(pb::HISTOGRAM);
  pb::Histogram* h = f.proto.add_metric()->mutable_histogram();
  h->set_sample_count(5);
  h->set_sample_count_float(0);
  h->set_sample_sum(2);
  pb::Bucket* b1 = h->add_bucket();
  b1->set_upper_bound(1);
  b1->set_cumulative_count(3);
  b1->set_cumulative_count_float(0);
  pb::Bucket* b2 = h->add_bucket();
  b2->set_upper_bound(std::numeric_limits<double>::infinity());
  b2->set_cumulative_count(0);
  b2->set_cumulative_count_float(5);
  return f;
}

TEST(HistogramCount, LintViewReadsTheWritersCounts) {
  const OwnedFamily family = BothCounts();
  lint::OwnedViewBuilder builder;
  const FamilyView& view = builder.Build(family);
  ASSERT_EQ(view.series.size(), 1u);
  const Series& s = view.series[0];
  const pb::Histogram& h = family.proto.metric(0).histogram();
  ASSERT_EQ(s.buckets.size(), 2u);
  EXPECT_EQ(s.buckets[0].cumulative_count, BucketCount(h.bucket(0)));
  EXPECT_EQ(s.buckets[1].cumulative_count, BucketCount(h.bucket(1)));
  EXPECT_EQ(s.count, HistogramCount(h));
  EXPECT_EQ(s.buckets[0].cumulative_count, 3);
  EXPECT_EQ(s.buckets[1].cumulative_count, 5);
  EXPECT_EQ(s.count, 5);
}

TEST(HistogramCount, TextWriterWritesTheSameCounts) {
  const std::string body = BothCounts().proto.SerializeAsString();
  std::string payload;
  varint::Append(body.size(), &payload);
  payload += body;
  auto src = MemorySource(payload);
  ConvertOptions options;
  options.from = InputFormat::kProtobuf;
  options.to = OutputFormat::kText;
  StringSink sink;
  const ConvertResult r = Convert(*src, sink, options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_NE(sink.data.find("h_bucket{le=\"1\"} 3\n"), std::string::npos) << sink.data;
  EXPECT_NE(sink.data.find("h_bucket{le=\"+Inf\"} 5\n"), std::string::npos) << sink.data;
  EXPECT_NE(sink.data.find("h_count 5\n"), std::string::npos) << sink.data;
}

}  // namespace
}  // namespace promtool
