// The delimited protobuf reader: the corpus, streamed equals mapped, framing errors with code,
// offset and message, packed and unpacked repeated fields, no allocation in the steady state.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "model/owned_family.h"
#include "promtool/error.h"
#include "promtool/escape.h"
#include "promtool/family_reader.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "support/alloc_counter.h"

namespace promtool {
namespace {

using google::protobuf::util::MessageDifferencer;

// MessageDifferencer::Equals with NaN equal to NaN (the corpus has NaN quantiles).
bool SameMessage(const pb::MetricFamily& a, const pb::MetricFamily& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string CorpusPath(const std::string& rel) {
  return std::string(PROMTOOL_SOURCE_DIR) + "/corpus/" + rel;
}

std::vector<std::string> CorpusPbFiles() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(CorpusPath("protobuf/valid"))) {
    if (e.path().extension() == ".pb") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

std::string Delimit(const std::string& record) { return Varint(record.size()) + record; }

std::string Record(const pb::MetricFamily& mf) { return Delimit(mf.SerializeAsString()); }

pb::MetricFamily Family(const std::string& name, pb::MetricType type, double value) {
  pb::MetricFamily mf;
  mf.set_name(name);
  mf.set_help("help of " + name);
  mf.set_type(type);
  pb::Metric* m = mf.add_metric();
  pb::LabelPair* l = m->add_label();
  l->set_name("code");
  l->set_value("200");
  if (type == pb::COUNTER) m->mutable_counter()->set_value(value);
  if (type == pb::GAUGE) m->mutable_gauge()->set_value(value);
  if (type == pb::UNTYPED) m->mutable_untyped()->set_value(value);
  return mf;
}

struct Read {
  std::vector<pb::MetricFamily> families;
  std::vector<MetricType> types;
  std::vector<uint64_t> offsets;
  std::vector<bool> part, more;  // read in parts (max_part_series)
  Error error;                   // code kOk for a clean end
};

Read ReadAll(Source& source, ProtobufReadOptions options = {}, uint32_t max_part_series = 0) {
  Read r;
  auto stream = NewProtobufFamilyStream(source, options, nullptr, max_part_series);
  while (const OwnedFamily* f = stream->Next()) {
    r.families.push_back(f->proto);
    r.types.push_back(f->type);
    r.offsets.push_back(f->offset);
    r.part.push_back(f->part);
    r.more.push_back(f->more);
  }
  if (stream->error() != nullptr) r.error = *stream->error();
  return r;
}

Read ReadBytes(const std::string& bytes, ProtobufReadOptions options = {}) {
  auto source = MemorySource(bytes);
  return ReadAll(*source, options);
}

Read ReadChunked(const std::string& bytes, size_t chunk, ProtobufReadOptions options = {}) {
  StreamOptions so;
  so.chunk_bytes = chunk;
  auto source = ChunkedMemorySource(bytes, "<chunked>", so);
  return ReadAll(*source, options);
}

void ExpectSameFamilies(const Read& a, const Read& b) {
  ASSERT_EQ(a.families.size(), b.families.size());
  for (size_t i = 0; i < a.families.size(); ++i) {
    EXPECT_TRUE(SameMessage(a.families[i], b.families[i])) << "family " << i;
    EXPECT_EQ(a.types[i], b.types[i]) << "family " << i;
    EXPECT_EQ(a.offsets[i], b.offsets[i]) << "family " << i;
  }
  EXPECT_EQ(a.error.code, b.error.code);
  EXPECT_EQ(a.error.offset, b.error.offset);
  EXPECT_EQ(a.error.message, b.error.message);
}

// family name -> the set of its series' label sets ("k=v,k=v," in input order).
using LabelSets = std::map<std::string, std::set<std::string>>;

LabelSets LabelSetsOfText(const std::string& path) {
  std::string text = ReadFile(path);
  auto source = MemorySource(text);
  TextParser parser(*source);
  FamilyReader reader(parser);
  LabelSets out;
  std::string scratch;
  while (const FamilyView* f = reader.Next()) {
    auto& sets = out[std::string(f->name)];
    for (const Series& s : f->series) {
      std::string key;
      for (const Label& l : s.labels) {
        key += std::string(l.name) + "=" + std::string(Unescape(l.value, &scratch)) + ",";
      }
      sets.insert(key);
    }
  }
  EXPECT_EQ(reader.error(), nullptr) << path;
  return out;
}

LabelSets LabelSetsOfProto(const Read& r) {
  LabelSets out;
  for (const pb::MetricFamily& f : r.families) {
    auto& sets = out[f.name()];
    for (const pb::Metric& m : f.metric()) {
      std::string key;
      for (const pb::LabelPair& l : m.label()) key += l.name() + "=" + l.value() + ",";
      sets.insert(key);
    }
  }
  return out;
}

TEST(ProtobufReader, ReadsEveryCorpusFileToTheEnd) {
  const auto files = CorpusPbFiles();
  ASSERT_GE(files.size(), 4u);
  for (const std::string& path : files) {
    Read r = ReadBytes(ReadFile(path));
    EXPECT_EQ(r.error.code, ErrorCode::kOk) << path << ": " << r.error.message;
    EXPECT_GT(r.families.size(), 0u) << path;
    for (size_t i = 0; i < r.families.size(); ++i) {
      EXPECT_EQ(static_cast<int>(r.types[i]), static_cast<int>(r.families[i].type())) << path;
    }
  }
}

TEST(ProtobufReader, CorpusMatchesTheTextCaptureOfTheSameSource) {
  for (const char* name : {"node", "prometheus", "pushgateway", "native-histograms"}) {
    SCOPED_TRACE(name);
    Read r = ReadBytes(ReadFile(CorpusPath(std::string("protobuf/valid/") + name + ".pb")));
    ASSERT_EQ(r.error.code, ErrorCode::kOk) << r.error.message;
    LabelSets text = LabelSetsOfText(CorpusPath(std::string("text/valid/") + name + ".prom"));
    LabelSets proto = LabelSetsOfProto(r);
    EXPECT_EQ(proto.size(), r.families.size()) << "a family name repeats";
    EXPECT_EQ(text, proto);
  }
}

TEST(ProtobufReader, FillsTheFullTypeFromTheWireType) {
  const std::vector<std::pair<pb::MetricType, MetricType>> cases = {
      {pb::COUNTER, MetricType::kCounter},     {pb::GAUGE, MetricType::kGauge},
      {pb::SUMMARY, MetricType::kSummary},     {pb::UNTYPED, MetricType::kUntyped},
      {pb::HISTOGRAM, MetricType::kHistogram}, {pb::GAUGE_HISTOGRAM, MetricType::kGaugeHistogram},
  };
  std::string bytes;
  for (const auto& c : cases) bytes += Record(Family("f", c.first, 1));
  Read r = ReadBytes(bytes);
  ASSERT_EQ(r.error.code, ErrorCode::kOk);
  ASSERT_EQ(r.types.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(r.types[i], cases[i].second) << i;
}

TEST(ProtobufReader, OffsetIsTheRecordStart) {
  const std::string a = Record(Family("a", pb::COUNTER, 1));
  const std::string b = Record(Family("bb", pb::GAUGE, 2));
  Read r = ReadBytes(a + b + a);
  ASSERT_EQ(r.error.code, ErrorCode::kOk);
  EXPECT_EQ(r.offsets, (std::vector<uint64_t>{0, a.size(), a.size() + b.size()}));
}

TEST(ProtobufReader, EmptyInputIsACleanEnd) {
  Read r = ReadBytes("");
  EXPECT_EQ(r.error.code, ErrorCode::kOk);
  EXPECT_TRUE(r.families.empty());
}

TEST(ProtobufReader, StreamedInTinyChunksEqualsMapped) {
  for (const std::string& path : CorpusPbFiles()) {
    const std::string bytes = ReadFile(path);
    Read mapped = ReadBytes(bytes);
    for (size_t chunk : {1, 7, 64, 4096}) {
      SCOPED_TRACE(path + " chunk " + std::to_string(chunk));
      ExpectSameFamilies(mapped, ReadChunked(bytes, chunk));
    }
  }
}

TEST(ProtobufReader, StreamKeepsOnlyTheCurrentRecord) {
  // 64-byte reads and a window limit a little above the largest record: reading succeeds
  // only if the reader drops every finished record.
  const std::string bytes = ReadFile(CorpusPath("protobuf/valid/node.pb"));
  Read mapped = ReadBytes(bytes);
  ASSERT_EQ(mapped.error.code, ErrorCode::kOk);
  size_t largest = 0;
  for (const auto& f : mapped.families) largest = std::max(largest, f.ByteSizeLong() + 10);
  ASSERT_LT(largest * 4, bytes.size());
  StreamOptions so;
  so.chunk_bytes = 64;
  so.max_window_bytes = largest + 2 * so.chunk_bytes;
  auto source = ChunkedMemorySource(bytes, "<chunked>", so);
  ExpectSameFamilies(mapped, ReadAll(*source));
}

struct ErrorCase {
  const char* name;
  std::string bytes;
  ErrorCode code;
  uint64_t offset;
  std::string message;
  uint64_t max_message_bytes = uint64_t{16} << 20;
};

std::vector<ErrorCase> ErrorCases() {
  const std::string a = Record(Family("a", pb::COUNTER, 1));  // a valid first record
  const std::string n = std::to_string(a.size());
  pb::MetricFamily unnamed;
  unnamed.set_type(pb::GAUGE);
  const std::string unnamed_body = unnamed.SerializeAsString();
  return {
      {"TruncatedPrefix", "\x80", ErrorCode::kPbTruncated, 0,
       "length prefix at byte 0 is cut off by the end of input (1 byte of it present)"},
      {"TruncatedPrefixAfterRecord", a + "\xe8\x87", ErrorCode::kPbTruncated, a.size(),
       "length prefix at byte " + n + " is cut off by the end of input (2 bytes of it present)"},
      {"TruncatedRecord", a + Varint(5000) + std::string(120, 'x'), ErrorCode::kPbTruncated,
       a.size(),
       "record 2 at byte " + n + " declares 5000 bytes but the input ends after 120 of them"},
      {"TruncatedRecordNoBody", Varint(3), ErrorCode::kPbTruncated, 0,
       "record 1 at byte 0 declares 3 bytes but the input ends after 0 of them"},
      {"TooLarge", Varint(20000000) + "abc", ErrorCode::kPbTooLarge, 0,
       "record 1 at byte 0 declares 20000000 bytes, more than the 16777216-byte limit "
       "(--max-message-bytes)"},
      {"TooLargeForTheOption", a + a, ErrorCode::kPbTooLarge, 0,
       "record 1 at byte 0 declares " + std::to_string(a.size() - 1) +
           " bytes, more than the 4-byte limit (--max-message-bytes)",
       4},
      {"PrefixLongerThanTenBytes", std::string(10, '\x80') + "\x01", ErrorCode::kPbInvalid, 0,
       "length prefix of record 1 at byte 0 is longer than 10 bytes"},
      {"PrefixOverflows", std::string(9, '\xff') + "\x02", ErrorCode::kPbInvalid, 0,
       "length prefix of record 1 at byte 0 overflows 64 bits"},
      {"GarbageRecord", a + "\x04\xff\xff\xff\xff", ErrorCode::kPbInvalid, a.size(),
       "record 2 at byte " + n + " (4 bytes from byte " + std::to_string(a.size() + 1) +
           ") is not a valid io.prometheus.client.MetricFamily"},
      {"ZeroLengthRecord", a + std::string("\x00", 1), ErrorCode::kPbInvalid, a.size(),
       "record 2 at byte " + n + " is a MetricFamily without a name (field 1)"},
      {"RecordWithoutName", Delimit(unnamed_body), ErrorCode::kPbInvalid, 0,
       "record 1 at byte 0 is a MetricFamily without a name (field 1)"},
      {"UnknownType", Delimit(std::string("\x0a\x01x\x18\x09", 5)), ErrorCode::kPbInvalid, 0,
       "record 1 at byte 0 (family \"x\") has type 9, which is not an "
       "io.prometheus.client.MetricType (0-5)"},
      {"TextInput", "# HELP x y\n", ErrorCode::kPbTruncated, 0,
       "record 1 at byte 0 declares 35 bytes but the input ends after 10 of them"},
  };
}

class ProtobufReaderError : public testing::TestWithParam<ErrorCase> {};

TEST_P(ProtobufReaderError, ReportsCodeOffsetAndMessage) {
  const ErrorCase& c = GetParam();
  ProtobufReadOptions options;
  options.max_message_bytes = c.max_message_bytes;
  Read r = ReadBytes(c.bytes, options);
  EXPECT_EQ(ErrorCodeId(r.error.code), ErrorCodeId(c.code));
  EXPECT_EQ(r.error.offset, c.offset);
  EXPECT_EQ(r.error.message, c.message);
  EXPECT_EQ(r.error.compat_message, c.message);
  EXPECT_EQ(r.error.line, 0u);
  EXPECT_EQ(r.error.column, 0u);
}

TEST_P(ProtobufReaderError, StreamedGivesTheSameError) {
  const ErrorCase& c = GetParam();
  ProtobufReadOptions options;
  options.max_message_bytes = c.max_message_bytes;
  Read mapped = ReadBytes(c.bytes, options);
  for (size_t chunk : {1, 3, 64}) {
    SCOPED_TRACE(chunk);
    ExpectSameFamilies(mapped, ReadChunked(c.bytes, chunk, options));
  }
}

INSTANTIATE_TEST_SUITE_P(Framing, ProtobufReaderError, testing::ValuesIn(ErrorCases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ProtobufReader, ErrorIsStickyAndNothingFollows) {
  auto source = StringSource(std::string("\x00", 1));
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr);
  EXPECT_EQ(stream->Next(), nullptr);
  ASSERT_NE(stream->error(), nullptr);
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error()->code, ErrorCode::kPbInvalid);
}

// A histogram family whose positive_delta (field 13, sint64) is encoded `packed` or one varint
// per element, by hand.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

std::string HandEncodedNativeHistogram(bool packed) {
  std::string histogram = Bytes({0x28, 0x00});         // schema (5) = 0
  histogram += Bytes({0x62, 4, 0x08, 0x00, 0x10, 3});  // positive_span (12) {offset 0, length 3}
  if (packed) {
    histogram += Bytes({0x6a, 3, 0x02, 0x01, 0x04});  // positive_delta (13) packed: 1, -1, 2
  } else {
    histogram += Bytes({0x68, 0x02, 0x68, 0x01, 0x68, 0x04});  // the same, one varint each
  }
  std::string metric = Bytes({0x3a});  // histogram (7)
  metric += Varint(histogram.size());
  metric += histogram;
  std::string family = Bytes({0x0a, 1, 'h'});  // name (1) "h"
  family += Bytes({0x18, 4});                  // type (3) HISTOGRAM
  family += Bytes({0x22});                     // metric (4)
  family += Varint(metric.size());
  family += metric;
  return Delimit(family);
}

TEST(ProtobufReader, AcceptsPackedAndUnpackedRepeatedFields) {
  Read packed = ReadBytes(HandEncodedNativeHistogram(true));
  Read unpacked = ReadBytes(HandEncodedNativeHistogram(false));
  ASSERT_EQ(packed.error.code, ErrorCode::kOk) << packed.error.message;
  ASSERT_EQ(unpacked.error.code, ErrorCode::kOk) << unpacked.error.message;
  ASSERT_EQ(packed.families.size(), 1u);
  ASSERT_EQ(unpacked.families.size(), 1u);
  const pb::Histogram& h = packed.families[0].metric(0).histogram();
  EXPECT_EQ(std::vector<int64_t>(h.positive_delta().begin(), h.positive_delta().end()),
            (std::vector<int64_t>{1, -1, 2}));
  EXPECT_TRUE(MessageDifferencer::Equals(packed.families[0], unpacked.families[0]));
  EXPECT_EQ(packed.types[0], MetricType::kHistogram);
}

// Reads `bytes` to the end after two families that warm up the messages: `families` more
// come, with no error and no allocation.
void ExpectNoAllocationAfterTwo(const std::string& bytes, uint32_t max_part_series, int families) {
  auto source = MemorySource(bytes);
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr, max_part_series);
  for (int i = 0; i < 2; ++i) ASSERT_NE(stream->Next(), nullptr);
  const uint64_t before = promtool_test::AllocationCount();
  int n = 0;
  while (stream->Next() != nullptr) ++n;
  const uint64_t allocations = promtool_test::AllocationCount() - before;
  EXPECT_EQ(n, families);
  EXPECT_EQ(stream->error(), nullptr);
  EXPECT_EQ(allocations, 0u);
}

TEST(ProtobufReader, NoAllocationPerRecordInTheSteadyState) {
  std::string bytes;
  for (int i = 0; i < 200; ++i) bytes += Record(Family("requests_total", pb::COUNTER, i));
  ExpectNoAllocationAfterTwo(bytes, 0, 198);
}

// Read in parts (max_part_series): a gauge, counter or untyped record of more metrics comes as
// consecutive families of at most that many, the first without `part`, all but the last with
// `more`; put together they are the record. Smaller records and other types come whole.
Read ReadParts(const std::string& bytes, uint32_t max_part_series) {
  auto source = MemorySource(bytes);
  return ReadAll(*source, {}, max_part_series);
}

pb::MetricFamily WithMetrics(const std::string& name, pb::MetricType type, int metrics) {
  pb::MetricFamily mf = Family(name, type, 0);
  for (int i = 1; i < metrics; ++i) *mf.add_metric() = Family(name, type, i).metric(0);
  return mf;
}

// The metrics of consecutive parts, put back into one family.
pb::MetricFamily Joined(const std::vector<pb::MetricFamily>& parts, size_t from, size_t n) {
  pb::MetricFamily whole = parts[from];
  for (size_t i = from + 1; i < from + n; ++i) {
    for (const pb::Metric& m : parts[i].metric()) *whole.add_metric() = m;
  }
  return whole;
}

TEST(ProtobufReaderParts, LargeRecordsComeInPartsThatMakeTheRecord) {
  struct Row {
    const char* name;
    pb::MetricType type;
    int metrics;
    size_t parts;  // families read for the record
  };
  const Row rows[] = {
      {"GaugeOverThreeParts", pb::GAUGE, 7, 3}, {"CounterExactlyTwoParts", pb::COUNTER, 6, 2},
      {"UntypedOneMore", pb::UNTYPED, 4, 2},    {"AtTheLimitIsWhole", pb::GAUGE, 3, 1},
      {"SummaryIsWhole", pb::SUMMARY, 7, 1},    {"HistogramIsWhole", pb::HISTOGRAM, 7, 1},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const pb::MetricFamily mf = WithMetrics("f", row.type, row.metrics);
    const pb::MetricFamily next = Family("g", pb::GAUGE, 1);
    const Read r = ReadParts(Record(mf) + Record(next), 3);
    ASSERT_EQ(r.error.code, ErrorCode::kOk) << r.error.message;
    ASSERT_EQ(r.families.size(), row.parts + 1);
    for (size_t i = 0; i < row.parts; ++i) {
      EXPECT_LE(r.families[i].metric_size(), 3 + (row.parts == 1 ? row.metrics : 0));
      EXPECT_EQ(r.part[i], i > 0) << i;
      EXPECT_EQ(r.more[i], i + 1 < row.parts) << i;
      EXPECT_EQ(r.families[i].name(), "f");
      EXPECT_EQ(r.families[i].help(), "help of f");
    }
    EXPECT_TRUE(SameMessage(Joined(r.families, 0, row.parts), mf));
    // The record after it comes whole, with no flag left over.
    EXPECT_TRUE(SameMessage(r.families.back(), next));
    EXPECT_FALSE(r.part.back());
    EXPECT_FALSE(r.more.back());
  }
}

// Fields after the metrics (name, help and an unknown field written last) are every part's.
TEST(ProtobufReaderParts, FieldsAfterTheMetricsAreInEveryPart) {
  pb::MetricFamily metrics_only = WithMetrics("f", pb::GAUGE, 5);
  metrics_only.clear_name();
  metrics_only.clear_help();
  metrics_only.clear_type();
  pb::MetricFamily tail;
  tail.set_name("late");
  tail.set_help("written last");
  tail.set_type(pb::GAUGE);
  const std::string unknown = "\xb8\x01\x2a";  // field 23, varint 42
  const std::string body = metrics_only.SerializeAsString() + tail.SerializeAsString() + unknown;
  const Read r = ReadParts(Delimit(body), 2);
  ASSERT_EQ(r.error.code, ErrorCode::kOk) << r.error.message;
  ASSERT_EQ(r.families.size(), 3u);
  pb::MetricFamily whole;
  ASSERT_TRUE(whole.ParseFromString(body));
  for (const pb::MetricFamily& part : r.families) {
    EXPECT_EQ(part.name(), "late");
    EXPECT_EQ(part.help(), "written last");
    EXPECT_EQ(part.GetReflection()->GetUnknownFields(part).field_count(), 1);
  }
  EXPECT_TRUE(SameMessage(Joined(r.families, 0, 3), whole));
}

// A metric the parser refuses, in a later part, ends the read with the record's error.
TEST(ProtobufReaderParts, InvalidMetricInALaterPartIsTheRecordsError) {
  const std::string good = WithMetrics("f", pb::GAUGE, 4).SerializeAsString();
  // Field 4, 3 bytes: a Metric whose label (field 1) declares 5 bytes of which 1 is there.
  const std::string bad = std::string("\x22\x03\x0a\x05\x0a", 5);
  const std::string body = good + bad;
  const std::string bytes = Delimit(body);
  const Read whole = ReadBytes(bytes);
  ASSERT_EQ(whole.error.code, ErrorCode::kPbInvalid);
  const Read r = ReadParts(bytes, 2);
  EXPECT_EQ(r.families.size(), 2u);  // the two good parts
  EXPECT_EQ(r.error.code, ErrorCode::kPbInvalid);
  EXPECT_EQ(r.error.offset, 0u);
  EXPECT_EQ(r.error.message, whole.error.message);
}

// Parts reuse the messages of the part before: no allocation per part in the steady state.
TEST(ProtobufReaderParts, NoAllocationPerPartInTheSteadyState) {
  ExpectNoAllocationAfterTwo(Record(WithMetrics("f", pb::GAUGE, 400)), 4, 98);
}

}  // namespace
}  // namespace promtool
