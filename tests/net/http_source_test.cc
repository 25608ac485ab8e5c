// Unit tests of the streamed HTTP body (OpenScrape) against a one-shot loopback server started
// in the test: the window stays small while a large body is read, the limits and statuses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "one_shot_server.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using testing_support::OneShotServer;

std::string Response(const std::string& status, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string LargeBody(size_t bytes) {
  std::string body;
  for (int i = 0; body.size() < bytes; ++i) {
    body += "metric_" + std::to_string(i) + "{a=\"b\"} " + std::to_string(i) + "\n";
  }
  return body;
}

TEST(OpenScrape, StreamsTheBodyInASmallWindow) {
  const std::string body = LargeBody(8 << 20);
  OneShotServer server(Response("200 OK", body));
  ScrapeOptions options;
  options.compression = false;
  ScrapeResponse r = OpenScrape(server.url(), options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.format.format, InputFormat::kText);
  Source& s = *r.body;
  std::string read;
  size_t largest = 0;
  for (;;) {
    largest = std::max(largest, s.window().size());
    read.append(s.window());
    if (!s.Refill(s.window_offset() + s.window().size())) break;
  }
  EXPECT_TRUE(s.error().empty()) << s.error();
  EXPECT_TRUE(s.at_eof());
  EXPECT_EQ(read, body);
  EXPECT_LE(largest, size_t{1} << 20);  // about one chunk, not the body
}

TEST(OpenScrape, KeptBytesStayAndLinesAreCounted) {
  const std::string body = LargeBody(2 << 20);
  OneShotServer server(Response("200 OK", body));
  ScrapeOptions options;
  options.compression = false;
  ScrapeResponse r = OpenScrape(server.url(), options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  Source& s = *r.body;
  // Keep everything from the start of the 1000th line on.
  size_t line_start = 0;
  for (int i = 0; i < 999; ++i) line_start = body.find('\n', line_start) + 1;
  while (s.window_offset() + s.window().size() < line_start + 10 && s.Refill(0)) {
  }
  while (s.Refill(line_start)) {
  }
  EXPECT_EQ(s.window_offset(), line_start);
  EXPECT_EQ(s.window(), std::string_view(body).substr(line_start));
  EXPECT_EQ(s.Locate(line_start).line, 1000u);
}

TEST(OpenScrape, BodySizeLimitStopsTheTransfer) {
  // Families of 1000 series: many more distinct names would meet the per-name budget, and one
  // family of every series the per-family bound (both half the limit, see TextOptions), before
  // the body-size limit.
  std::string body;
  for (int i = 0; body.size() < (4u << 20); ++i) {
    body += "metric_" + std::to_string(i / 1000) + "{a=\"" + std::to_string(i) + "\"} " +
            std::to_string(i) + "\n";
  }
  OneShotServer server(Response("200 OK", body));
  ScrapeOptions options;
  options.compression = false;
  options.body_size_limit = 1 << 20;
  FetchResult r = Fetch(server.url(), options, FetchBody::kStream);
  EXPECT_NE(r.error.message.find("exceeds the body size limit of 1 MiB"), std::string::npos)
      << r.error.message;
  EXPECT_EQ(r.error.code, ErrorCode::kLimit);
  EXPECT_FALSE(r.error.located());
}

TEST(OpenScrape, OneEndlessLineIsHeldUpToTheWindowOnly) {
  OneShotServer server(Response("200 OK", std::string(3 << 20, 'x')));
  ScrapeOptions options;
  options.compression = false;
  options.body_size_limit = 8 << 20;
  options.max_window_bytes = 1 << 20;
  FetchResult r = Fetch(server.url(), options, FetchBody::kStream);
  EXPECT_NE(r.error.message.find("one line or family of the response is larger than 1 MiB"),
            std::string::npos)
      << r.error.message;
}

TEST(OpenScrape, ErrorStatusQuotesTheStartOfTheBody) {
  OneShotServer server(Response("500 Internal Server Error", std::string(1 << 20, 'e')));
  ScrapeResponse r = OpenScrape(server.url(), ScrapeOptions());
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, nullptr);
  EXPECT_NE(r.error.message.find("HTTP status 500 Internal Server Error: \"eee"),
            std::string::npos);
  EXPECT_NE(r.error.message.find("(truncated)"), std::string::npos);
  EXPECT_LT(r.error.message.size(), 400u);
}

TEST(Fetch, KeepsTheWholeBody) {
  const std::string body = LargeBody(1 << 20);
  OneShotServer server(Response("200 OK", body));
  FetchResult r = Fetch(server.url(), ScrapeOptions());
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.body, body);
  EXPECT_GT(r.families, 1000u);
}

}  // namespace
}  // namespace promtool
