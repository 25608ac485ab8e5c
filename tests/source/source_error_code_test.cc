// One code for one kind of failure: when the source fails (a line or family larger than the
// stream window, bytes that cannot be read), the text, OpenMetrics and protobuf readers report
// the same error code, the source's, with the source's message.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "promtool/convert.h"
#include "promtool/error.h"
#include "promtool/output.h"
#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

// One family whose HELP text is `help_bytes` long, in `format`.
std::string Payload(InputFormat format, size_t help_bytes) {
  const std::string text = "# HELP a " + std::string(help_bytes, 'x') + "\n# TYPE a gauge\na 1\n";
  if (format == InputFormat::kText) return text;
  ConvertOptions options;
  options.from = InputFormat::kText;
  options.to =
      format == InputFormat::kOpenMetrics ? OutputFormat::kOpenMetrics : OutputFormat::kProtobuf;
  auto source = MemorySource(text);
  StringSink out;
  ConvertResult r = Convert(*source, out, options);
  EXPECT_TRUE(r.ok()) << r.error.message;
  return out.data;
}

struct FormatCase {
  const char* name;
  InputFormat format;
};

class SourceFailure : public testing::TestWithParam<FormatCase> {};

TEST_P(SourceFailure, WindowOverflowIsALimitInEveryFormat) {
  const std::string payload = Payload(GetParam().format, 64 * 1024);
  StreamOptions stream;
  stream.chunk_bytes = 1024;
  stream.max_window_bytes = 4096;
  auto source = ChunkedMemorySource(payload, "<pipe>", stream);
  ValidateOptions options;
  options.format = GetParam().format;
  ValidateResult r = Validate(*source, options);
  EXPECT_EQ(r.error.code, ErrorCode::kLimit);
  EXPECT_EQ(source->error_code(), ErrorCode::kLimit);
  EXPECT_NE(r.error.message.find("more than 4096 bytes would have to be held at once"),
            std::string::npos)
      << r.error.message;
  EXPECT_TRUE(r.error.located());
}

TEST_P(SourceFailure, UnreadableBytesAreIoInEveryFormat) {
  // read() on a directory's descriptor fails (EISDIR): a source that cannot be read.
  const int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  auto source = FdSource(fd, "<dir>");
  ValidateOptions options;
  options.format = GetParam().format;
  ValidateResult r = Validate(*source, options);
  close(fd);
  EXPECT_EQ(r.error.code, ErrorCode::kIo);
  EXPECT_EQ(source->error_code(), ErrorCode::kIo);
  EXPECT_NE(r.error.message.find("read <dir>: Is a directory"), std::string::npos)
      << r.error.message;
  EXPECT_EQ(r.error.offset, 0u);
}

INSTANTIATE_TEST_SUITE_P(Formats, SourceFailure,
                         testing::Values(FormatCase{"text", InputFormat::kText},
                                         FormatCase{"openmetrics", InputFormat::kOpenMetrics},
                                         FormatCase{"protobuf", InputFormat::kProtobuf}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Error, NotLocatedErrorsHaveNoOffset) {
  Error e = Error::Unlocated(ErrorCode::kOutput, "write <stdout>: Broken pipe");
  EXPECT_FALSE(e.ok());
  EXPECT_FALSE(e.located());
  EXPECT_EQ(e.offset, Error::kNoOffset);
  EXPECT_EQ(e.message, "write <stdout>: Broken pipe");
  EXPECT_EQ(e.compat_message, e.message);
  Error located;
  located.code = ErrorCode::kValue;
  EXPECT_TRUE(located.located());
  EXPECT_FALSE(Error{}.located());
}

// The ids of the failures outside the input are stable (docs/formats.md).
TEST(Error, IdsOfFailuresOutsideTheInput) {
  EXPECT_EQ(ErrorCodeId(ErrorCode::kOutput), "output");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kOutputFormat), "output-format");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kStrict), "strict");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kRelabelSplit), "relabel-split");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kOption), "option");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kNetwork), "network");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kHttp), "http");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kTimeout), "timeout");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kLimit), "limit");
  EXPECT_EQ(ErrorCodeId(ErrorCode::kIo), "io");
}

}  // namespace
}  // namespace promtool
