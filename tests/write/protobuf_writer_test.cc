// The protobuf writers: delimited round trips (message-equal and byte-identical on the corpus),
// wire types and type losses, name escaping, and the protobuf text format.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "model/owned_family.h"
#include "promtool/source.h"
#include "write/writer.h"

namespace promtool {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> CorpusPbFiles() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PROMTOOL_SOURCE_DIR) +
                                                           "/corpus/protobuf/valid")) {
    if (e.path().extension() == ".pb") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool SameMessage(const pb::MetricFamily& a, const pb::MetricFamily& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

struct Families {
  std::vector<OwnedFamily> families;
  std::string error;
};

Families ReadPb(const std::string& bytes) {
  Families out;
  auto source = MemorySource(bytes);
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr);
  while (const OwnedFamily* f = stream->Next()) out.families.push_back(*f);
  if (stream->error() != nullptr) out.error = stream->error()->message;
  return out;
}

// Writes every family with `writer`, then Finish; fails the test on an error status.
std::string WriteAll(FamilyWriter& writer, const std::vector<OwnedFamily>& families) {
  std::string out;
  for (const OwnedFamily& f : families) {
    absl::Status status = writer.Write(f, &out);
    EXPECT_TRUE(status.ok()) << status;
  }
  EXPECT_TRUE(writer.Finish(&out).ok());
  return out;
}

OwnedFamily Counter(const std::string& name) {
  OwnedFamily f;
  f.type = MetricType::kCounter;
  f.proto.set_name(name);
  f.proto.set_help("Requests.");
  f.proto.set_type(pb::COUNTER);
  pb::Metric* m = f.proto.add_metric();
  pb::LabelPair* l = m->add_label();
  l->set_name("code");
  l->set_value("200");
  m->mutable_counter()->set_value(5);
  return f;
}

TEST(ProtobufWriter, CorpusRoundTripsToEqualMessages) {
  for (const std::string& path : CorpusPbFiles()) {
    SCOPED_TRACE(path);
    Families first = ReadPb(ReadFile(path));
    ASSERT_EQ(first.error, "");
    auto writer = NewProtobufWriter({}, nullptr);
    Families second = ReadPb(WriteAll(*writer, first.families));
    ASSERT_EQ(second.error, "");
    ASSERT_EQ(first.families.size(), second.families.size());
    for (size_t i = 0; i < first.families.size(); ++i) {
      EXPECT_TRUE(SameMessage(first.families[i].proto, second.families[i].proto)) << i;
      EXPECT_EQ(first.families[i].type, second.families[i].type) << i;
    }
  }
}

// client_golang writes fields in number order and repeated numbers unpacked (proto2), as the
// generated C++ code does, so the corpus comes back byte for byte.
TEST(ProtobufWriter, CorpusRoundTripsByteForByte) {
  for (const std::string& path : CorpusPbFiles()) {
    SCOPED_TRACE(path);
    const std::string bytes = ReadFile(path);
    Families read = ReadPb(bytes);
    ASSERT_EQ(read.error, "");
    auto writer = NewProtobufWriter({}, nullptr);
    const std::string written = WriteAll(*writer, read.families);
    EXPECT_EQ(written.size(), bytes.size());
    EXPECT_TRUE(written == bytes);
  }
}

TEST(ProtobufWriter, WritesTheLengthPrefixAndTheMessage) {
  OwnedFamily f = Counter("requests_total");
  auto writer = NewProtobufWriter({}, nullptr);
  std::string out = "existing";
  ASSERT_TRUE(writer->Write(f, &out).ok());
  const std::string body = f.proto.SerializeAsString();
  ASSERT_LT(body.size(), 128u);
  EXPECT_EQ(out, "existing" + std::string(1, static_cast<char>(body.size())) + body);
}

TEST(ProtobufWriter, LongRecordGetsAMultiByteVarint) {
  OwnedFamily f = Counter("requests_total");
  f.proto.set_help(std::string(300, 'h'));
  auto writer = NewProtobufWriter({}, nullptr);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  Families back = ReadPb(out);
  ASSERT_EQ(back.error, "");
  ASSERT_EQ(back.families.size(), 1u);
  EXPECT_TRUE(SameMessage(back.families[0].proto, f.proto));
  EXPECT_EQ(static_cast<uint8_t>(out[0]) & 0x80, 0x80);
}

struct TypeCase {
  MetricType type;
  pb::MetricType wire;
  bool loss;
};

TEST(ProtobufWriter, WritesTheWireTypeAndReportsTypesTheWireLacks) {
  const std::vector<TypeCase> cases = {
      {MetricType::kCounter, pb::COUNTER, false},
      {MetricType::kGauge, pb::GAUGE, false},
      {MetricType::kSummary, pb::SUMMARY, false},
      {MetricType::kUntyped, pb::UNTYPED, false},
      {MetricType::kHistogram, pb::HISTOGRAM, false},
      {MetricType::kGaugeHistogram, pb::GAUGE_HISTOGRAM, false},
      {MetricType::kStateSet, pb::GAUGE, true},
      {MetricType::kInfo, pb::GAUGE, true},
      {MetricType::kUnknown, pb::UNTYPED, true},
  };
  for (const TypeCase& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.type));
    for (bool text : {false, true}) {
      OwnedFamily f;
      f.type = c.type;
      f.proto.set_name("x");
      f.proto.set_type(pb::COUNTER);  // deliberately stale: the writer uses `type`
      f.proto.add_metric();           // a family without metrics is not written
      LossReport losses;
      auto writer = text ? NewProtobufTextWriter({}, &losses) : NewProtobufWriter({}, &losses);
      std::string out;
      ASSERT_TRUE(writer->Write(f, &out).ok());
      pb::MetricFamily back;
      if (text) {
        ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(out, &back));
      } else {
        ASSERT_TRUE(back.ParseFromArray(out.data() + 1, static_cast<int>(out.size() - 1)));
      }
      EXPECT_EQ(back.type(), c.wire);
      if (c.loss) {
        LossReport expected;
        expected.Add("x", LossKind::kType);
        EXPECT_EQ(losses.Lines(), expected.Lines());
      } else {
        EXPECT_TRUE(losses.empty());
      }
    }
  }
}

TEST(ProtobufWriter, EscapesNamesWithAScheme) {
  OwnedFamily f = Counter("http.requests_total");
  f.proto.mutable_metric(0)->mutable_label(0)->set_name("status.code");
  LossReport losses;
  WriteOptions options;
  options.escaping = Escaping::kUnderscores;
  auto writer = NewProtobufWriter(options, &losses);
  std::string out;
  ASSERT_TRUE(writer->Write(f, &out).ok());
  Families back = ReadPb(out);
  ASSERT_EQ(back.families.size(), 1u);
  EXPECT_EQ(back.families[0].proto.name(), "http_requests_total");
  EXPECT_EQ(back.families[0].proto.metric(0).label(0).name(), "status_code");
  EXPECT_EQ(back.families[0].proto.metric(0).label(0).value(), "200");
  LossReport expected;
  expected.Add("http.requests_total", LossKind::kNameEscaped, 2);
  EXPECT_EQ(losses.Lines(), expected.Lines());
}

TEST(ProtobufWriter, RefusesUtf8NamesWithoutAScheme) {
  OwnedFamily f = Counter("http.requests_total");
  WriteOptions options;
  options.escaping = Escaping::kNone;
  for (bool text : {false, true}) {
    auto writer =
        text ? NewProtobufTextWriter(options, nullptr) : NewProtobufWriter(options, nullptr);
    std::string out;
    absl::Status status = writer->Write(f, &out);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(status.message()).find("http.requests_total"), std::string::npos);
    EXPECT_EQ(out, "");
  }
}

TEST(ProtobufTextWriter, WritesTheTextFormatWithABlankLineAfterEachFamily) {
  OwnedFamily a = Counter("requests_total");
  OwnedFamily b;
  b.type = MetricType::kGauge;
  b.proto.set_name("temperature_celsius");
  b.proto.set_type(pb::GAUGE);
  pb::Metric* m = b.proto.add_metric();
  pb::LabelPair* l = m->add_label();
  l->set_name("room");
  l->set_value(
      "k\xc3\xbc"
      "che \"1\"");
  m->mutable_gauge()->set_value(21.5);
  m->set_timestamp_ms(1700000000000);
  auto writer = NewProtobufTextWriter({}, nullptr);
  EXPECT_EQ(WriteAll(*writer, {a, b}),
            "name: \"requests_total\"\n"
            "help: \"Requests.\"\n"
            "type: COUNTER\n"
            "metric {\n"
            "  label {\n"
            "    name: \"code\"\n"
            "    value: \"200\"\n"
            "  }\n"
            "  counter {\n"
            "    value: 5\n"
            "  }\n"
            "}\n"
            "\n"
            "name: \"temperature_celsius\"\n"
            "type: GAUGE\n"
            "metric {\n"
            "  label {\n"
            "    name: \"room\"\n"
            "    value: \"k\xc3\xbc"
            "che \\\"1\\\"\"\n"
            "  }\n"
            "  gauge {\n"
            "    value: 21.5\n"
            "  }\n"
            "  timestamp_ms: 1700000000000\n"
            "}\n"
            "\n");
}

TEST(ProtobufTextWriter, CorpusParsesBackFamilyByFamily) {
  for (const std::string& path : CorpusPbFiles()) {
    SCOPED_TRACE(path);
    Families read = ReadPb(ReadFile(path));
    ASSERT_EQ(read.error, "");
    auto writer = NewProtobufTextWriter({}, nullptr);
    for (const OwnedFamily& f : read.families) {
      std::string out;
      ASSERT_TRUE(writer->Write(f, &out).ok());
      pb::MetricFamily back;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(out, &back)) << f.proto.name();
      EXPECT_TRUE(SameMessage(back, f.proto)) << f.proto.name();
    }
  }
}

TEST(ProtobufWriter, EmptyInputWritesNothing) {
  for (bool text : {false, true}) {
    auto writer = text ? NewProtobufTextWriter({}, nullptr) : NewProtobufWriter({}, nullptr);
    EXPECT_EQ(WriteAll(*writer, {}), "");
  }
}

// A family with HELP/TYPE and no metrics is no record: Go's expfmt refuses one ("MetricFamily
// has no metrics"). Both protobuf writers leave it out and report it.
TEST(ProtobufWriter, FamilyWithoutMetricsIsNoRecordAndAReportedLoss) {
  OwnedFamily f;
  f.type = MetricType::kGauge;
  f.proto.set_name("a");
  f.proto.set_help("x");
  f.proto.set_type(pb::GAUGE);
  for (bool text : {false, true}) {
    SCOPED_TRACE(text ? "protobuf-text" : "protobuf");
    LossReport losses;
    auto writer = text ? NewProtobufTextWriter({}, &losses) : NewProtobufWriter({}, &losses);
    EXPECT_EQ(WriteAll(*writer, {f}), "");
    EXPECT_EQ(losses.Lines(),
              std::vector<std::string>{"family \"a\": not written (it has no samples, and protobuf "
                                       "readers refuse a MetricFamily without metrics)"});
  }
}

}  // namespace
}  // namespace promtool
