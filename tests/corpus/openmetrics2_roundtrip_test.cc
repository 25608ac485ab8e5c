// OpenMetrics 2.0 conversions over the corpus (corpus/openmetrics2/valid): every valid payload
// reads into the model (A), converts to protobuf and back to the same model, and is written as
// OpenMetrics 2.0 that the strict parser accepts and that reads back to A again.
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/openmetrics2_family_stream.h"
#include "model/owned_family.h"
#include "promtool/source.h"
#include "write/writer.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;
const fs::path kValid = fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "openmetrics2" / "valid";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Model {
  std::vector<OwnedFamily> families;
  std::string error;
};

Model Read(std::unique_ptr<FamilyStream> stream) {
  Model m;
  while (const OwnedFamily* f = stream->Next()) m.families.push_back(*f);
  if (const Error* e = stream->error()) {
    m.error = std::to_string(e->line) + ":" + std::to_string(e->column) + " " +
              std::string(ErrorCodeId(e->code)) + " " + e->message;
  }
  return m;
}

Model ReadOm2(const std::string& text) {
  auto source = MemorySource(text);
  return Read(NewOpenMetrics2FamilyStream(*source, nullptr));
}

// Writes every family of `m` with `writer`; the writer's losses go to *losses.
std::string Write(const Model& m, FamilyWriter& writer) {
  std::string out;
  for (const OwnedFamily& f : m.families) {
    const absl::Status st = writer.Write(f, &out);
    EXPECT_TRUE(st.ok()) << st.message();
  }
  EXPECT_TRUE(writer.Finish(&out).ok());
  return out;
}

bool Same(const pb::MetricFamily& a, const pb::MetricFamily& b, std::string* diff) {
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer d;
  d.set_field_comparator(&cmp);
  d.ReportDifferencesToString(diff);
  return d.Compare(a, b);
}

std::vector<std::string> ValidNames() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kValid)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".notes") && !name.ends_with(".md")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Om2RoundTrip : public testing::TestWithParam<std::string> {};

TEST_P(Om2RoundTrip, ProtobufAndBackGivesTheSameModel) {
  const Model a = ReadOm2(ReadFile(kValid / GetParam()));
  ASSERT_EQ(a.error, "");
  LossReport losses;
  auto writer = NewProtobufWriter(WriteOptions{}, &losses);
  const std::string bytes = Write(a, *writer);
  auto source = MemorySource(bytes);
  const Model b = Read(NewProtobufFamilyStream(*source, ProtobufReadOptions{}, nullptr));
  ASSERT_EQ(b.error, "");
  // Protobuf has no record for a family without samples (a reported loss) and names stateset,
  // info and unknown by their wire types: the rest is the same.
  std::vector<const OwnedFamily*> with_samples;
  for (const OwnedFamily& f : a.families) {
    if (f.proto.metric_size() > 0) with_samples.push_back(&f);
  }
  ASSERT_EQ(b.families.size(), with_samples.size());
  for (size_t i = 0; i < b.families.size(); ++i) {
    std::string diff;
    EXPECT_TRUE(Same(with_samples[i]->proto, b.families[i].proto, &diff))
        << "family " << i << ": " << diff;
    EXPECT_EQ(WireType(with_samples[i]->type), WireType(b.families[i].type));
  }
}

TEST_P(Om2RoundTrip, OpenMetrics2AndBackGivesTheSameModel) {
  const Model a = ReadOm2(ReadFile(kValid / GetParam()));
  ASSERT_EQ(a.error, "");
  LossReport losses;
  auto writer = NewOpenMetrics2Writer(WriteOptions{}, &losses);
  const std::string text = Write(a, *writer);
  EXPECT_EQ(losses.Lines(), std::vector<std::string>{}) << text;
  const Model b = ReadOm2(text);
  ASSERT_EQ(b.error, "") << text;
  ASSERT_EQ(b.families.size(), a.families.size()) << text;
  for (size_t i = 0; i < a.families.size(); ++i) {
    std::string diff;
    EXPECT_TRUE(Same(a.families[i].proto, b.families[i].proto, &diff))
        << "family " << i << ": " << diff << "\n"
        << text;
    EXPECT_EQ(a.families[i].type, b.families[i].type);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Om2RoundTrip, testing::ValuesIn(ValidNames()),
                         [](const testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace promtool
