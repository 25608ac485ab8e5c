// native-histogram: spans vs bucket counts, schema range, zero bucket, count vs buckets.
#include <gtest/gtest.h>

#include <cmath>

#include "lint_run_util.h"

namespace promtool::lint::testing {
namespace {

// A valid native histogram: schema 3, 3 positive buckets (counts 1, 2, 1), zero bucket 1.
pb::MetricFamily Valid() {
  pb::MetricFamily f;
  f.set_name("rpc_seconds");
  f.set_help("x");
  f.set_type(pb::HISTOGRAM);
  pb::Histogram* h = f.add_metric()->mutable_histogram();
  h->set_sample_count(5);
  h->set_sample_sum(1.5);
  h->set_schema(3);
  h->set_zero_threshold(1e-128);
  h->set_zero_count(1);
  pb::BucketSpan* span = h->add_positive_span();
  span->set_offset(0);
  span->set_length(3);
  for (int d : {1, 1, -1}) h->add_positive_delta(d);
  return f;
}

TEST(NativeHistogram, Table) {
  struct Row {
    const char* name;
    void (*mutate)(pb::Histogram*);
    std::vector<std::string> want;
  };
  const std::string p = "rpc_seconds native histogram ";
  for (const Row& r : std::vector<Row>{
           {"valid", [](pb::Histogram*) {}, {}},
           {"schema too large",
            [](pb::Histogram* h) { h->set_schema(9); },
            {p + "schema 9 is outside -4..8"}},
           {"schema too small",
            [](pb::Histogram* h) { h->set_schema(-5); },
            {p + "schema -5 is outside -4..8"}},
           {"custom buckets schema", [](pb::Histogram* h) { h->set_schema(-53); }, {}},
           {"spans cover more",
            [](pb::Histogram* h) { h->mutable_positive_span(0)->set_length(4); },
            {p + "positive spans cover 4 buckets but 3 deltas are given"}},
           {"negative count",
            [](pb::Histogram* h) { h->set_positive_delta(2, -5); },
            {p + "positive bucket 2 has a negative count -3"}},
           {"negative zero threshold",
            [](pb::Histogram* h) { h->set_zero_threshold(-1); },
            {p + "zero threshold -1 is negative or NaN"}},
           {"count below buckets",
            [](pb::Histogram* h) { h->set_sample_count(4); },
            {p + "count 4 is less than its buckets' total 5"}},
           {"second span negative offset",
            [](pb::Histogram* h) {
              h->mutable_positive_span(0)->set_length(2);
              pb::BucketSpan* s = h->add_positive_span();
              s->set_offset(-1);
              s->set_length(1);
            },
            {p + "positive span 1 has a negative offset -1"}},
       }) {
    SCOPED_TRACE(r.name);
    pb::MetricFamily f = Valid();
    r.mutate(f.mutable_metric(0)->mutable_histogram());
    EXPECT_EQ(RunLines(Delimited({f}), InputFormat::kProtobuf, "native-histogram"), r.want);
  }
}

TEST(NativeHistogram, ClassicHistogramIgnored) {
  pb::MetricFamily f;
  f.set_name("h");
  f.set_type(pb::HISTOGRAM);
  pb::Histogram* h = f.add_metric()->mutable_histogram();
  h->set_sample_count(1);
  pb::Bucket* b = h->add_bucket();
  b->set_upper_bound(1);
  b->set_cumulative_count(1);
  EXPECT_TRUE(RunLines(Delimited({f}), InputFormat::kProtobuf, "native-histogram").empty());
}

}  // namespace
}  // namespace promtool::lint::testing
