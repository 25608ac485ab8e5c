// Text input written from the reader's views (FamilyWriter::WriteView) against the owning model
// (FillFromView + Write): the same bytes and the same losses, or left to Write() where the fill
// reports a loss or names are rewritten; and protobuf records of families read in parts.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "model/owned_family.h"
#include "promtool/convert.h"
#include "promtool/family_reader.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/output.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "write/writer.h"

namespace promtool {
namespace {

enum class To { kJson, kProtobuf, kOpenMetrics, kText };

std::unique_ptr<FamilyWriter> NewWriter(To to, const WriteOptions& options, LossReport* losses) {
  switch (to) {
    case To::kJson:
      return NewJsonWriter(options, losses);
    case To::kProtobuf:
      return NewProtobufWriter(options, losses);
    case To::kText:
      return NewTextWriter(options, losses);
    case To::kOpenMetrics:
      break;
  }
  return NewOpenMetricsWriter(options, losses);
}

struct Written {
  std::string bytes;
  std::vector<std::string> losses;
  std::vector<bool> from_view;  // per family: WriteView wrote it
};

// Writes every family of `text` with a writer of `to`: through WriteView when `views` (and
// Write(FillFromView) where WriteView leaves it), else always through the owning model. A
// writer's error (OpenMetrics 1.0 refuses names it cannot write) goes into the bytes as
// "error: <message>" and writing goes on with the next family.
Written WriteText(const std::string& text, To to, bool views, uint32_t part_series,
                  Escaping escaping = Escaping::kAllowUtf8) {
  Written w;
  LossReport losses;
  WriteOptions options;
  options.escaping = escaping;
  options.parts = part_series > 0;
  std::unique_ptr<FamilyWriter> writer = NewWriter(to, options, &losses);
  auto source = MemorySource(text);
  TextOptions text_options;
  text_options.names = NameScheme::kUtf8;
  TextParser parser(*source, text_options);
  FamilyReader reader(parser);
  reader.SetMaxPartSeries(part_series);
  OwnedFamily family;
  std::string scratch;
  while (const FamilyView* view = reader.Next()) {
    if (!view->part) writer->EndFamily(&w.bytes);
    bool written = false;
    absl::Status st;
    if (views) st = writer->WriteView(*view, &w.bytes, &written);
    w.from_view.push_back(written);
    if (st.ok() && !written) {
      FillFromView(*view, &family, &scratch, &losses);
      st = writer->Write(family, &w.bytes);
    }
    if (!st.ok()) w.bytes += "error: " + std::string(st.message()) + "\n";
    EXPECT_TRUE(st.ok() || to == To::kOpenMetrics) << st.message();
  }
  EXPECT_EQ(reader.error(), nullptr) << reader.error()->message;
  EXPECT_TRUE(writer->Finish(&w.bytes).ok());
  w.losses = losses.Lines();
  return w;
}

struct ViewCase {
  const char* name;
  const char* text;
  // Whether WriteView takes every family of it (else it leaves them all to Write): JSON,
  // protobuf (which leaves a family without samples to Write, to report it as dropped),
  // OpenMetrics 1.0 and text (counters, gauges and untyped with legacy names only).
  bool json_view;
  bool protobuf_view;
  bool openmetrics_view;
  // Text: as OpenMetrics, and a label set of more than 16 labels is left to Write() too.
  bool text_view;
};

const ViewCase kViewCases[] = {
    {"GaugeWithEscapedValuesAndTimestamps",
     "# HELP g help with \\\\ and \\n\n# TYPE g gauge\n"
     "g{a=\"x\\\"y\",b=\"back\\\\slash\",c=\"nl\\n\"} 1.5 -1000\ng 2 1234567890123\ng{} NaN\n",
     true, true, true, true},
    {"CounterAndUntyped", "# TYPE c_total counter\nc_total{x=\"1\"} 3\nu +Inf\nu{z=\"\"} -Inf\n",
     true, true, true, true},
    {"EmptyHelp", "# HELP e \ne 1\n", true, true, true, true},
    {"NonUtf8FreeHelpWithEscapes", "# HELP h a\\\\b\n# TYPE h gauge\nh 0\n", true, true, true,
     true},
    {"Summary",
     "# TYPE s summary\ns{quantile=\"0.9\",x=\"1\"} NaN\ns{quantile=\"0.5\",x=\"1\"} 1\n"
     "s_sum{x=\"1\"} 3\ns_count{x=\"1\"} 7\ns_sum{x=\"2\"} 3\ns{x=\"3\",quantile=\"1\"} 2 99\n",
     true, true, false, false},
    {"Histogram",
     "# TYPE h histogram\nh_bucket{le=\"1\"} 1.5\nh_bucket{le=\"+Inf\"} 3\nh_count 3\nh_sum -2\n"
     "h_count{k=\"v\"} 1e30\nh_bucket{le=\"2\",k=\"w\"} 4 55\nh_sum{k=\"z\"} 1\n",
     true, true, false, false},
    {"QuotedNames",
     "{\"my.metric\",\"a.b\"=\"1\"} 1\n# TYPE \"x.y\" counter\n{\"x.y\",q=\"\\\"z\"} 3\n", true,
     true, false, false},
    {"ManyLabelsUnsortedAndDuplicatesInJson", "m{z=\"1\",a=\"2\",m=\"3\"} 1\n", true, true, true,
     true},
    {"GaugeHistogramIsLeftToTheModel", "# TYPE gh gaugehistogram\ngh_bucket{le=\"1\"} 1\n", false,
     false, false, false},
    {"FractionalSummaryCountIsLeftToTheModel", "# TYPE s summary\ns_count 2.5\n", false, false,
     false, false},
    {"MetadataOnlyIsLeftToTheModelByProtobuf", "# HELP meta only\n# TYPE meta counter\n", true,
     false, true, true},
    // OpenMetrics: what the parser judges when the family is read back whole.
    {"NegativeCounterIsDroppedByTheReadBack",
     "# TYPE n_total counter\nn_total 1\nn_total{a=\"b\"} -1\n", true, true, true, true},
    {"DuplicateSeriesAreDroppedByTheReadBack",
     "d{a=\"x\\\\y\"} 1\nd{a=\"z\"} 2\nd{a=\"x\\\\y\"} 3\n", true, true, true, true},
    {"CounterWithoutTotalSuffix", "# TYPE req counter\nreq{code=\"200\"} 5\n", true, true, true,
     true},
    {"LabelNamesLeAndQuantileInAGauge", "g{le=\"1\",quantile=\"x\"} 1\n", true, true, true, true},
    {"MoreThanSixteenLabelsAreLeftToTheModelByOpenMetrics",
     "w{a=\"1\",b=\"1\",c=\"1\",d=\"1\",e=\"1\",f=\"1\",g=\"1\",h=\"1\",i=\"1\",j=\"1\",k=\"1\","
     "l=\"1\",m=\"1\",n=\"1\",o=\"1\",p=\"1\",q=\"1\"} 1\n",
     true, true, false, false},
};

class ViewWriterTest : public testing::TestWithParam<std::tuple<ViewCase, To>> {};

TEST_P(ViewWriterTest, WritesTheBytesAndLossesOfTheModel) {
  const auto& [c, to] = GetParam();
  const Written model = WriteText(c.text, to, /*views=*/false, 0);
  const Written view = WriteText(c.text, to, /*views=*/true, 0);
  EXPECT_EQ(view.bytes, model.bytes);
  EXPECT_EQ(view.losses, model.losses);
  ASSERT_FALSE(view.from_view.empty());
  const bool expected = to == To::kJson          ? c.json_view
                        : to == To::kProtobuf    ? c.protobuf_view
                        : to == To::kOpenMetrics ? c.openmetrics_view
                                                 : c.text_view;
  for (bool taken : view.from_view) EXPECT_EQ(taken, expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, ViewWriterTest,
                         testing::Combine(testing::ValuesIn(kViewCases),
                                          testing::Values(To::kJson, To::kProtobuf,
                                                          To::kOpenMetrics, To::kText)),
                         [](const auto& p) {
                           const To to = std::get<1>(p.param);
                           return std::string(std::get<0>(p.param).name) +
                                  (to == To::kJson          ? "_Json"
                                   : to == To::kProtobuf    ? "_Protobuf"
                                   : to == To::kOpenMetrics ? "_OpenMetrics"
                                                            : "_Text");
                         });

// OpenMetrics: a counter whose family name an earlier gauge took is written by Write() as an
// unknown family (a loss); WriteView leaves it.
TEST(ViewWriterTest, OpenMetricsLeavesAClashingCounterToTheModel) {
  const char* text = "x 1\n# TYPE x_total counter\nx_total 2\n";
  const Written model = WriteText(text, To::kOpenMetrics, /*views=*/false, 0);
  const Written view = WriteText(text, To::kOpenMetrics, /*views=*/true, 0);
  EXPECT_EQ(view.bytes, model.bytes);
  EXPECT_EQ(view.bytes, "# TYPE x unknown\nx 1\n# TYPE x_total unknown\nx_total 2\n# EOF\n");
  EXPECT_EQ(view.losses, model.losses);
  EXPECT_EQ(view.from_view, (std::vector<bool>{true, false}));
}

// OpenMetrics: a family the parser rejects when it is read back is not written, and that is
// a loss with the parser's reason.
TEST(ViewWriterTest, OpenMetricsReportsAFamilyTheReadBackRejects) {
  const Written view =
      WriteText("# TYPE n_total counter\nn_total -1\nok 1\n", To::kOpenMetrics, /*views=*/true, 0);
  EXPECT_EQ(view.from_view, (std::vector<bool>{true, true}));
  EXPECT_EQ(view.bytes, "# TYPE ok unknown\nok 1\n# EOF\n");
  ASSERT_EQ(view.losses.size(), 1u);
  EXPECT_EQ(view.losses[0],
            "family \"n_total\": not written (the OpenMetrics parser rejects it: counter sample "
            "\"n_total\" has a negative value; counters, bucket counts, counts, sums and quantile "
            "values must be non-negative numbers)");
}

// Text: HELP and TYPE once per name; a family that comes again after another family (a part
// marked continued) and HELP lines after a family's samples (written before the part they came
// with), from views as from the model.
TEST(ViewWriterTest, TextWritesSplitFamiliesAndLateHelpAsTheModel) {
  const char* text =
      "# TYPE a gauge\na{x=\"1\"} 1\nb 1\na{x=\"2\"} 2\n# HELP a late \\\\ help\n# HELP b bee\n";
  const Written model = WriteText(text, To::kText, /*views=*/false, 0);
  const Written view = WriteText(text, To::kText, /*views=*/true, 0);
  EXPECT_EQ(view.bytes, model.bytes);
  EXPECT_EQ(view.bytes,
            "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b untyped\nb 1\n# HELP a late \\\\ help\n"
            "a{x=\"2\"} 2\n# HELP b bee\n");
  EXPECT_EQ(view.losses, model.losses);
  for (bool taken : view.from_view) EXPECT_TRUE(taken);
}

// An escaping scheme rewrites names: the view is left to Write(), which counts them.
TEST(ViewWriterTest, EscapingSchemesAreLeftToTheModel) {
  const char* text = "{\"my.metric\",\"a.b\"=\"1\"} 1\n";
  for (To to : {To::kJson, To::kProtobuf}) {
    const Written view = WriteText(text, to, /*views=*/true, 0, Escaping::kUnderscores);
    ASSERT_EQ(view.from_view.size(), 1u);
    EXPECT_FALSE(view.from_view[0]);
    ASSERT_EQ(view.losses.size(), 1u);
    EXPECT_EQ(view.losses[0], "family \"my.metric\": 2 names rewritten by the escaping scheme");
  }
}

std::string GaugeFamily(int series) {
  std::string text = "# HELP big A large family.\n# TYPE big gauge\n";
  for (int i = 0; i < series; ++i) {
    text += "big{pod=\"pod-" + std::to_string(i) + "\",ns=\"a\\\\b\"} " + std::to_string(i) + "\n";
  }
  return text;
}

// OpenMetrics 1.0 in parts: a family whose every series the parser accepts is written as it is
// when whole, from views and from models alike (the model path also through a counter written
// as an unknown family).
TEST(OpenMetricsPartsTest, APlainFamilyInPartsIsWrittenAsWhole) {
  const std::string counters =
      "x 1\n# TYPE x_total counter\nx_total{a=\"1\"} 1\nx_total{a=\"2\"} 2\nx_total{a=\"3\"} 3\n";
  for (const std::string& text : {GaugeFamily(1000) + "after 1\n", counters}) {
    const Written whole = WriteText(text, To::kOpenMetrics, /*views=*/false, 0);
    const Written view_parts = WriteText(text, To::kOpenMetrics, /*views=*/true, 2);
    const Written model_parts = WriteText(text, To::kOpenMetrics, /*views=*/false, 2);
    EXPECT_EQ(view_parts.bytes, whole.bytes);
    EXPECT_EQ(model_parts.bytes, whole.bytes);
    EXPECT_EQ(view_parts.losses, whole.losses);
    EXPECT_EQ(model_parts.losses, whole.losses);
  }
  EXPECT_EQ(WriteText(GaugeFamily(1000), To::kOpenMetrics, true, 64).from_view,
            std::vector<bool>(16, true));
}

struct PartsCase {
  const char* name;
  const char* text;      // read in parts of two series
  const char* expected;  // the OpenMetrics output
  const char* loss;      // the one loss line, or "" for none
};

const PartsCase kPartsCases[] = {
    {"SeriesAgainApartFromItIsNotWritten",
     "g{a=\"1\"} 1\ng{a=\"2\"} 2\ng{a=\"1\"} 3\ng{a=\"3\"} 4\n",
     "# TYPE g unknown\ng{a=\"1\"} 1\ng{a=\"2\"} 2\ng{a=\"3\"} 4\n# EOF\n",
     "family \"g\": 1 series not written (first: its label set appeared earlier in the family, "
     "apart from it; OpenMetrics keeps a series' samples together; the output format's parser "
     "would reject the line)"},
    {"SeriesAgainWithALaterTimestampAcrossPartsIsAPoint",
     "g{a=\"1\"} 1\ng{a=\"2\"} 2 1000\ng{a=\"2\"} 3 2000\n",
     "# TYPE g unknown\ng{a=\"1\"} 1\ng{a=\"2\"} 2 1\ng{a=\"2\"} 3 2\n# EOF\n", ""},
    {"SeriesAgainWithAnEarlierTimestampIsNotWritten",
     "g{a=\"1\"} 1\ng{a=\"2\"} 2 2000\ng{a=\"2\"} 3 1000\n",
     "# TYPE g unknown\ng{a=\"1\"} 1\ng{a=\"2\"} 2 2\n# EOF\n",
     "family \"g\": 1 series not written (first: its label set repeats the series before it "
     "without a later timestamp; OpenMetrics repeats a series only as a new point with a "
     "timestamp; the output format's parser would reject the line)"},
    {"NegativeCounterInALaterPartIsNotWritten",
     "# TYPE c_total counter\nc_total{a=\"1\"} 1\nc_total{a=\"2\"} 2\nc_total{a=\"3\"} -3\n"
     "c_total{a=\"4\"} NaN\nc_total{a=\"5\"} 5\n",
     "# TYPE c counter\nc_total{a=\"1\"} 1\nc_total{a=\"2\"} 2\nc_total{a=\"5\"} 5\n# EOF\n",
     "family \"c_total\": 2 series not written (first: a counter value that is negative or NaN; "
     "the output format's parser would reject the line)"},
};

class OpenMetricsPartsCaseTest : public testing::TestWithParam<PartsCase> {};

// What the parser would reject across series of a family in parts is left out series by series
// (the family's first parts are written already), the same from views and models; the output
// is what the parser accepts.
TEST_P(OpenMetricsPartsCaseTest, LeavesOutTheSeriesTheParserWouldReject) {
  const PartsCase& c = GetParam();
  for (const bool views : {true, false}) {
    const Written w = WriteText(c.text, To::kOpenMetrics, views, 2);
    EXPECT_EQ(w.bytes, c.expected) << views;
    const std::vector<std::string> losses =
        *c.loss ? std::vector<std::string>{c.loss} : std::vector<std::string>{};
    EXPECT_EQ(w.losses, losses) << views;
    auto source = MemorySource(w.bytes);
    OpenMetricsParser parser(*source);
    Entry e;
    while ((e = parser.Next()) != Entry::kEnd && e != Entry::kError) {
    }
    EXPECT_EQ(e, Entry::kEnd) << parser.Error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, OpenMetricsPartsCaseTest, testing::ValuesIn(kPartsCases),
                         [](const auto& p) { return std::string(p.param.name); });

// A family read in parts (views and models alike) is one protobuf record, the bytes of the
// whole family's message.
TEST(ProtobufPartsTest, AFamilyInPartsIsOneRecord) {
  const std::string text = GaugeFamily(1000) + "after 1\n";
  const Written whole = WriteText(text, To::kProtobuf, /*views=*/false, 0);
  const Written view_parts = WriteText(text, To::kProtobuf, /*views=*/true, 64);
  const Written model_parts = WriteText(text, To::kProtobuf, /*views=*/false, 64);
  EXPECT_EQ(view_parts.from_view.size(), 17u);  // 16 parts of big, then after
  EXPECT_EQ(view_parts.bytes, whole.bytes);
  EXPECT_EQ(model_parts.bytes, whole.bytes);
  // Independently: the first record is the message of all 1000 series.
  auto source = MemorySource(whole.bytes);
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr);
  const OwnedFamily* big = stream->Next();
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->proto.name(), "big");
  ASSERT_EQ(big->proto.metric_size(), 1000);
  EXPECT_EQ(big->proto.metric(999).label(1).value(), "a\\b");
  EXPECT_EQ(big->proto.metric(999).gauge().value(), 999);
  const OwnedFamily* after = stream->Next();
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->proto.name(), "after");
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
}

// Convert() from a pipe: a family of more series than a part is one record; a parse error in a
// later part writes the families before it and not the cut record.
TEST(ProtobufPartsTest, ConvertWritesOneRecordAndDropsARecordCutByAnError) {
  const int kSeries = 10000;  // more than kFamilyPartSeries
  ConvertOptions options;
  options.from = InputFormat::kText;
  options.to = OutputFormat::kProtobuf;
  StreamOptions so;
  so.chunk_bytes = 4096;

  const std::string text = "first 1\n" + GaugeFamily(kSeries);
  StringSink whole;
  std::unique_ptr<Source> pipe = ChunkedMemorySource(text, "big.prom", so);
  ConvertResult ok = Convert(*pipe, whole, options);
  ASSERT_TRUE(ok.ok()) << ok.error.message;
  EXPECT_EQ(ok.families, 2u);
  auto source = MemorySource(whole.data);
  auto stream = NewProtobufFamilyStream(*source, {}, nullptr);
  ASSERT_NE(stream->Next(), nullptr);
  const OwnedFamily* big = stream->Next();
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->proto.metric_size(), kSeries);
  EXPECT_EQ(stream->Next(), nullptr);

  std::string cut = text;
  const std::string bad_line = "big{pod=\"pod-6000\",ns=\"a\\\\b\"} 6000\n";
  const size_t at = cut.find(bad_line);
  ASSERT_NE(at, std::string::npos);
  cut.replace(at, bad_line.size(), "big{pod=\"pod-6000\" 6000\n");
  StringSink partial;
  pipe = ChunkedMemorySource(cut, "big.prom", so);
  ConvertResult failed = Convert(*pipe, partial, options);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error.code, ErrorCode::kLabelEnd);
  EXPECT_EQ(failed.error.line, 6004u);  // "first", HELP, TYPE, then series 0..6000
  EXPECT_EQ(failed.error.column, 20u);
  EXPECT_EQ(failed.error.message,
            "expected ',' or '}' after the value of label \"pod\", found '6'");
  // Only "first" was written: the record of big would have been cut.
  auto written = MemorySource(partial.data);
  stream = NewProtobufFamilyStream(*written, {}, nullptr);
  const OwnedFamily* first = stream->Next();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->proto.name(), "first");
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
}

// Convert() with a family bound (URL bodies): a family read in parts is bounded by its held
// protobuf record as a whole family is by its model. Each part passes the reader's bound; the
// record of all of them does not, and the error is the family bound's, at the family's first line.
TEST(ProtobufPartsTest, ConvertBoundsTheRecordOfAFamilyInParts) {
  ConvertOptions options;
  options.from = InputFormat::kText;
  options.to = OutputFormat::kProtobuf;
  options.text.max_family_bytes = 3 << 20;
  StreamOptions so;
  so.chunk_bytes = 4096;
  const std::string text = "first 1\n" + GaugeFamily(100000);
  StringSink out;
  std::unique_ptr<Source> pipe = ChunkedMemorySource(text, "big.prom", so);
  ConvertResult result = Convert(*pipe, out, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.code, ErrorCode::kLimit);
  EXPECT_EQ(result.error.line, 2u);  // the family's HELP line
  EXPECT_EQ(result.error.column, 1u);
  EXPECT_EQ(result.error.offset, 8u);
  // 19 parts of 4096 series: about 42 bytes of record per series pass 3 MiB at 74.9k series.
  EXPECT_EQ(
      result.error.message,
      "family \"big\" (77824 series so far; its protobuf record holds 3257522 bytes) would take "
      "more than 3145728 bytes in memory, the most that one family may take for a body "
      "(half of --body-size-limit); raise --body-size-limit");
  // Only "first" was written.
  auto written = MemorySource(out.data);
  auto stream = NewProtobufFamilyStream(*written, {}, nullptr);
  const OwnedFamily* first = stream->Next();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->proto.name(), "first");
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
}

// A record larger than a block (1 MiB) in parts: EndFamily() appends its length prefix and
// MoreOutput() hands out its bytes block by block; a caller that does not ask gets them anyway
// (before what follows, and by Finish()). Convert() writes the same bytes as one model would.
// Convert() of `text` to protobuf, read like a pipe.
struct PipedProtobuf {
  ConvertResult result;
  std::string bytes;
};
PipedProtobuf ConvertPipedToProtobuf(const std::string& text) {
  ConvertOptions convert;
  convert.from = InputFormat::kText;
  convert.to = OutputFormat::kProtobuf;
  StringSink sink;
  std::unique_ptr<Source> pipe = ChunkedMemorySource(text, "big.prom", StreamOptions{});
  PipedProtobuf piped;
  piped.result = Convert(*pipe, sink, convert);
  piped.bytes = std::move(sink.data);
  return piped;
}

// Blocks handed out are filled again by the next large records (their pages stay in memory):
// each record, large or small, keeps exactly its own bytes.
TEST(ProtobufPartsTest, ReusedBlocksCarryEachRecordsOwnBytes) {
  std::string text;
  for (const int series : {60000, 45000, 100, 70000}) {
    std::string family = GaugeFamily(series);
    const std::string name = "big" + std::to_string(series);
    for (size_t at = family.find("big"); at != std::string::npos;
         at = family.find("big", at + name.size())) {
      family.replace(at, 3, name);
    }
    text += family;
  }
  const Written whole = WriteText(text, To::kProtobuf, /*views=*/false, 0);
  ASSERT_GT(whole.bytes.size(), size_t{6} << 20);
  const PipedProtobuf piped = ConvertPipedToProtobuf(text);
  ASSERT_TRUE(piped.result.ok()) << piped.result.error.message;
  EXPECT_EQ(piped.result.families, 4u);
  EXPECT_EQ(piped.bytes, whole.bytes);
}

TEST(ProtobufPartsTest, ALargeRecordIsHandedOutInBlocks) {
  const std::string text = GaugeFamily(60000) + "after 1\n";
  const Written whole = WriteText(text, To::kProtobuf, /*views=*/false, 0);
  ASSERT_GT(whole.bytes.size(), size_t{2} << 20);
  EXPECT_EQ(WriteText(text, To::kProtobuf, /*views=*/true, 4096).bytes, whole.bytes);

  WriteOptions options;
  options.parts = true;
  auto writer = NewProtobufWriter(options, nullptr);
  auto source = MemorySource(text);
  TextParser parser(*source, TextOptions{});
  FamilyReader reader(parser);
  reader.SetMaxPartSeries(4096);
  std::string out;
  int blocks = 0;
  while (const FamilyView* view = reader.Next()) {
    if (!view->part) {
      writer->EndFamily(&out);
      while (writer->MoreOutput(&out)) ++blocks;
    }
    bool written = false;
    ASSERT_TRUE(writer->WriteView(*view, &out, &written).ok());
    ASSERT_TRUE(written);
  }
  writer->EndFamily(&out);
  EXPECT_FALSE(writer->MoreOutput(&out));  // "after" is small: EndFamily() appended it whole
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_GE(blocks, 2);
  EXPECT_EQ(out, whole.bytes);

  const PipedProtobuf piped = ConvertPipedToProtobuf(text);
  ASSERT_TRUE(piped.result.ok()) << piped.result.error.message;
  EXPECT_EQ(piped.bytes, whole.bytes);
}

}  // namespace
}  // namespace promtool
