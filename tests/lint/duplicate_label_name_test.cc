// duplicate-label-name: only protobuf can carry a label twice; the text parser refuses it.
#include <gtest/gtest.h>

#include "lint_run_util.h"

namespace promtool::lint::testing {
namespace {

TEST(DuplicateLabelName, ProtobufSeriesWithALabelTwice) {
  pb::MetricFamily f;
  f.set_name("up");
  f.set_type(pb::GAUGE);
  pb::Metric* m = f.add_metric();
  for (const char* v : {"a", "b"}) {
    pb::LabelPair* l = m->add_label();
    l->set_name("job");
    l->set_value(v);
  }
  m->mutable_gauge()->set_value(1);
  EXPECT_EQ(RunLines(Delimited({f}), InputFormat::kProtobuf, "duplicate-label-name"),
            (std::vector<std::string>{"up label \"job\" appears more than once"}));
}

TEST(DuplicateLabelName, DistinctLabelsPass) {
  pb::MetricFamily f;
  f.set_name("up");
  f.set_type(pb::GAUGE);
  pb::Metric* m = f.add_metric();
  m->add_label()->set_name("a");
  m->add_label()->set_name("b");
  EXPECT_TRUE(RunLines(Delimited({f}), InputFormat::kProtobuf, "duplicate-label-name").empty());
}

TEST(DuplicateLabelName, TextParserRefusesItFirst) {
  SourceLintResult result;
  RunLines("up{job=\"a\",job=\"b\"} 1\n", InputFormat::kText, "*", &result);
  EXPECT_FALSE(result.error.ok());
}

}  // namespace
}  // namespace promtool::lint::testing
