// OpenInput() with URLs (promtool/open.h) against a one-shot server on 127.0.0.1 started by each
// test: the announced format, streamed or whole bodies (the one rule), text conversion, errors.
#include "promtool/open.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "one_shot_server.h"

namespace promtool {
namespace {

using testing_support::OneShotServer;

std::string Response(const std::string& status, const std::string& content_type,
                     const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

constexpr const char* kOpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

ScrapeOptions Quick() {
  ScrapeOptions scrape;
  scrape.timeout_seconds = 5;
  return scrape;
}

TEST(OpenUrl, FormatAndNamesComeFromTheContentType) {
  OneShotServer server(
      Response("200 OK", "text/plain; version=1.0.0; escaping=allow-utf-8", "a 1\n"));
  Input in = OpenInput(server.url(), ReadOptions{}, Quick());
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_TRUE(in.url);
  EXPECT_EQ(in.name, server.url());
  EXPECT_EQ(in.format, InputFormat::kText);
  EXPECT_EQ(in.announced_names, NameScheme::kUtf8);
  EXPECT_EQ(in.options.text.names, NameScheme::kUtf8);
  EXPECT_EQ(in.size, -1);
}

TEST(OpenUrl, GivenFormatWinsOverTheContentType) {
  OneShotServer server(Response("200 OK", kOpenMetrics, "a 1\n# EOF\n"));
  ReadOptions options;
  options.format = InputFormat::kText;
  Input in = OpenInput(server.url(), options, Quick());
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.format, InputFormat::kText);
}

TEST(OpenUrl, WholeDownloadsTheBody) {
  OneShotServer server(Response("200 OK", kOpenMetrics, "a 1\n# EOF\n"));
  ReadOptions options;
  options.whole = true;
  Input in = OpenInput(server.url(), options, Quick());
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.format, InputFormat::kOpenMetrics);
  EXPECT_TRUE(in.source->at_eof());
  EXPECT_EQ(in.source->window(), "a 1\n# EOF\n");
}

TEST(OpenUrl, AsTextConvertsAnotherFormat) {
  OneShotServer server(Response("200 OK", kOpenMetrics, "# TYPE a gauge\na 1\n# EOF\n"));
  ReadOptions options;
  options.as_text = true;
  Input in = OpenInput(server.url(), options, Quick());
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.format, InputFormat::kText);
  EXPECT_EQ(in.source->window(), "# TYPE a gauge\na 1\n");
}

TEST(OpenUrl, FamilyLimitsAreCheckedOnTheWholeBodyFirst) {
  OneShotServer server(Response("200 OK", "text/plain; version=0.0.4", "a 1\nb 1\nc 1\n"));
  ScrapeOptions scrape = Quick();
  scrape.sample_limit = 2;
  ReadOptions options;
  options.check_family_limits = true;
  Input in = OpenInput(server.url(), options, scrape);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error.code, ErrorCode::kLimit);
  EXPECT_FALSE(in.error.located());
  EXPECT_NE(in.error.message.find("sample_limit 2 exceeded"), std::string::npos)
      << in.error.message;
}

TEST(OpenUrl, ParseErrorOfAWholeBodyIsLeftToTheConsumer) {
  OneShotServer server(Response("200 OK", "text/plain; version=0.0.4", "a{ 1\n"));
  ReadOptions options;
  options.whole = true;
  Input in = OpenInput(server.url(), options, Quick());
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.source->window(), "a{ 1\n");
}

TEST(OpenUrl, HttpStatusIsAnHttpError) {
  OneShotServer server(Response("500 Internal Server Error", "text/plain", "broken"));
  Input in = OpenInput(server.url(), ReadOptions{}, Quick());
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error.code, ErrorCode::kHttp);
  EXPECT_FALSE(in.error.located());
  EXPECT_EQ(in.error.message.rfind("HTTP status 500 Internal Server Error", 0), 0u)
      << in.error.message;
  EXPECT_EQ(in.source, nullptr);
}

TEST(OpenUrl, FilesGoToTheCoreOpener) {
  Input in = OpenInput("/nonexistent/metrics.prom", ReadOptions{}, Quick());
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error.code, ErrorCode::kIo);
  EXPECT_EQ(in.error.message, "open /nonexistent/metrics.prom: No such file or directory");
  EXPECT_FALSE(in.url);
}

}  // namespace
}  // namespace promtool
