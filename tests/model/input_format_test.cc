// DetectFormat(): protobuf is recognised by the structure of its first record, never by the
// bytes of the first family's name (issue 13 item 23), and text stays text.
#include "promtool/input_format.h"

#include <gtest/gtest.h>

#include <string>

#include "common/varint.h"
#include "model/owned_family.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

// One delimited MetricFamily record: a counter `name` with one sample, serialized by protobuf.
std::string DelimitedCounter(const std::string& name, const std::string& help = "h") {
  pb::MetricFamily family;
  family.set_name(name);
  family.set_help(help);
  family.set_type(pb::COUNTER);
  family.add_metric()->mutable_counter()->set_value(1);
  std::string body = family.SerializeAsString();
  std::string out;
  varint::Append(body.size(), &out);
  return out + body;
}

struct ProtobufRow {
  const char* name;
  std::string family_name;
};

class DetectProtobufName : public ::testing::TestWithParam<ProtobufRow> {};

TEST_P(DetectProtobufName, IsProtobufWhateverTheNameBytes) {
  const std::string payload =
      DelimitedCounter(GetParam().family_name) + DelimitedCounter("second_total");
  auto src = MemorySource(payload);
  EXPECT_EQ(DetectFormat(*src), InputFormat::kProtobuf);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DetectProtobufName,
    ::testing::Values(ProtobufRow{"plain", "requests_total"}, ProtobufRow{"space", "my requests"},
                      ProtobufRow{"leading_space", " requests"},
                      ProtobufRow{"control_char", std::string("req\x01uests", 9)},
                      ProtobufRow{"newline", "req\nuests"},
                      ProtobufRow{"non_ascii", "r\xc3\xa9quests"},
                      ProtobufRow{"invalid_utf8", "r\xff"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(DetectProtobufName, ValidateReadsASpacedNameAsProtobuf) {
  const std::string payload = DelimitedCounter("my requests");
  auto src = MemorySource(payload);
  const ValidateResult r = Validate(*src, {});
  EXPECT_EQ(r.format, InputFormat::kProtobuf);
}

TEST(DetectProtobufName, ATruncatedRecordWithAWholeNameIsProtobuf) {
  std::string payload = DelimitedCounter("a b", std::string(200, 'x'));
  payload.resize(payload.size() - 100);
  auto src = MemorySource(payload);
  EXPECT_EQ(DetectFormat(*src), InputFormat::kProtobuf);
}

struct TextRow {
  const char* name;
  std::string_view input;
};

class DetectText : public ::testing::TestWithParam<TextRow> {};

TEST_P(DetectText, StaysText) {
  auto src = MemorySource(GetParam().input);
  EXPECT_EQ(DetectFormat(*src), InputFormat::kText);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DetectText,
    ::testing::Values(TextRow{"sample", "a 1\n"},
                      TextRow{"help", "# HELP a b\n# TYPE a gauge\na 1\n"},
                      TextRow{"one_char_first_line", "z\n# HELP foo x\nfoo 1\n"},
                      TextRow{"bare_comment_first_line", "#\n# HELP foo x\nfoo 1\n"},
                      TextRow{"blank_lines", "\n\nfoo 1\n"},
                      TextRow{"bom", "\xef\xbb\xbf# HELP a b\na 1\n"},
                      TextRow{"utf8_quoted_name", "{\"r\xc3\xa9q\"} 1\n"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace promtool
