// OpenMetrics 2.0 negotiation: the OpenMetricsText2.0.0 scrape protocol (name, Accept header,
// Content-Type), a scrape of a loopback server started by the test that is read with the 2.0
// reader, and `check exporter` with OpenMetricsText2.0.0 in its matrix.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "model/owned_family.h"
#include "promtool/exporter_check.h"
#include "promtool/open.h"
#include "promtool/scrape.h"

namespace promtool {
namespace {

constexpr const char* kOm2Type = "application/openmetrics-text; version=2.0.0; charset=utf-8";
constexpr const char* kTextType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kOm2Body =
    "# TYPE h histogram\nh {count:3,sum:2.5,bucket:[1:2,+Inf:3]}\n# TYPE c_total counter\n"
    "c_total 5\n# EOF\n";
constexpr const char* kTextBody =
    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 2.5\nh_count 3\n"
    "# TYPE c_total counter\nc_total 5\n";

// A loopback HTTP server on 127.0.0.1 for one test: answers every connection (one request each)
// with OpenMetrics 2.0 when the Accept header's first media range is version=2.0.0, else with
// text 0.0.4, and records the Accept headers it saw. Stopped by its destructor.
class NegotiatingServer {
 public:
  explicit NegotiatingServer(std::string om2_body = kOm2Body) : om2_body_(std::move(om2_body)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~NegotiatingServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/metrics"; }
  std::vector<std::string> accepts() {
    std::lock_guard<std::mutex> lock(mu_);
    return accepts_;
  }

 private:
  void Serve() {
    for (;;) {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      std::string request;
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      std::string accept_header;
      if (size_t at = request.find("\r\nAccept: "); at != std::string::npos) {
        at += 10;
        accept_header = request.substr(at, request.find("\r\n", at) - at);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        accepts_.push_back(accept_header);
      }
      const bool om2 = accept_header.starts_with("application/openmetrics-text;version=2.0.0");
      const std::string full = om2 ? om2_body_ : std::string(kTextBody);
      const std::string body = request.starts_with("HEAD ") ? "" : full;
      const std::string length = std::to_string(full.size());
      const std::string response =
          std::string("HTTP/1.1 200 OK\r\nContent-Type: ") + (om2 ? kOm2Type : kTextType) +
          "\r\nVary: Accept\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n" + body;
      size_t off = 0;
      while (off < response.size()) {
        const ssize_t n = send(c, response.data() + off, response.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      close(c);
    }
  }

  std::string om2_body_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> accepts_;
};

TEST(Om2Protocol, NameParsesAndPrints) {
  auto p = ParseScrapeProtocols("OpenMetricsText2.0.0,PrometheusText0.0.4");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[0], ScrapeProtocol::kOpenMetricsText2_0_0);
  EXPECT_EQ(ScrapeProtocolName((*p)[0]), "OpenMetricsText2.0.0");
}

TEST(Om2Protocol, UnknownNameListsIt) {
  auto p = ParseScrapeProtocols("OpenMetricsText2.0");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "unknown scrape protocol \"OpenMetricsText2.0\" (want PrometheusProto, "
            "OpenMetricsText1.0.0, OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4 "
            "or OpenMetricsText2.0.0)");
}

TEST(Om2Protocol, AcceptHeaderAsksForVersion2) {
  EXPECT_EQ(
      AcceptHeader({ScrapeProtocol::kOpenMetricsText2_0_0, ScrapeProtocol::kOpenMetricsText1_0_0}),
      "application/openmetrics-text;version=2.0.0;q=0.3,"
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.2,*/*;q=0.1");
}

TEST(Om2Protocol, ContentTypeVersion2SelectsThe2Reader) {
  auto f = FormatFromContentType(kOm2Type);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->format, InputFormat::kOpenMetrics2);
  EXPECT_EQ(ProtocolFormat(ScrapeProtocol::kOpenMetricsText2_0_0).format,
            InputFormat::kOpenMetrics2);
  EXPECT_EQ(exporter::ProtocolOfContentType(exporter::ParseMediaType(kOm2Type)),
            ScrapeProtocol::kOpenMetricsText2_0_0);
}

TEST(Om2Protocol, ScrapeOffersVersion2AndReadsTheCompositeValues) {
  NegotiatingServer server;
  ScrapeOptions scrape;
  scrape.timeout_seconds = 5;
  scrape.protocols = {ScrapeProtocol::kOpenMetricsText2_0_0};
  Input in = OpenInput(server.url(), ReadOptions{}, scrape);
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.format, InputFormat::kOpenMetrics2);
  auto stream = NewFamilyStream(*in.source, in.format, FamilyStreamOptions{}, nullptr);
  const OwnedFamily* h = stream->Next();
  ASSERT_NE(h, nullptr) << (stream->error() ? stream->error()->message : "");
  EXPECT_EQ(h->type, MetricType::kHistogram);
  ASSERT_EQ(h->proto.metric_size(), 1);
  EXPECT_EQ(h->proto.metric(0).histogram().bucket_size(), 2);
  const OwnedFamily* c = stream->Next();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->proto.name(), "c_total");
  EXPECT_EQ(stream->Next(), nullptr);
  EXPECT_EQ(stream->error(), nullptr);
  EXPECT_EQ(server.accepts(),
            std::vector<std::string>{"application/openmetrics-text;version=2.0.0;q=0.2,*/*;q=0.1"});
}

// Runs check exporter against the server; the labels of the matrix's requests.
std::vector<std::string> MatrixLabels(const exporter::ExporterCheckResult& r) {
  std::vector<std::string> out;
  for (const exporter::Exchange& e : r.exchanges) {
    if (std::find(out.begin(), out.end(), e.label) == out.end()) out.push_back(e.label);
  }
  return out;
}

TEST(Om2Protocol, CheckExporterMatrixHasVersion2OnlyWhenAsked) {
  for (bool asked : {false, true}) {
    NegotiatingServer server;
    exporter::ExporterCheckOptions o;
    o.client.timeout_seconds = 5;
    o.lint = false;
    o.openmetrics2 = asked;
    const exporter::ExporterCheckResult r = exporter::CheckExporter({server.url()}, o);
    ASSERT_TRUE(r.ok()) << r.error.message;
    const std::vector<std::string> labels = MatrixLabels(r);
    const bool has =
        std::find(labels.begin(), labels.end(), "OpenMetricsText2.0.0") != labels.end();
    EXPECT_EQ(has, asked);
    if (!asked) continue;
    for (const exporter::Exchange& e : r.exchanges) {
      if (e.label == "OpenMetricsText2.0.0") {
        EXPECT_EQ(e.served, "OpenMetricsText2.0.0");
      }
    }
    // The 2.0 bodies are valid and say the same as the text bodies.
    for (const exporter::Finding& f : r.findings) {
      EXPECT_FALSE(f.check.starts_with("body-") || f.check.starts_with("formats-"))
          << f.check << ": " << f.message;
    }
  }
}

TEST(Om2Protocol, CheckExporterComparesVersion2BodiesWithText) {
  std::string body = kOm2Body;
  body.replace(body.find("c_total 5"), 9, "c_total 6");
  NegotiatingServer server(body);
  exporter::ExporterCheckOptions o;
  o.client.timeout_seconds = 5;
  o.lint = false;
  o.openmetrics2 = true;
  const exporter::ExporterCheckResult r = exporter::CheckExporter({server.url()}, o);
  ASSERT_TRUE(r.ok()) << r.error.message;
  std::vector<std::string> messages;
  for (const exporter::Finding& f : r.findings) {
    if (f.check == "formats-agree-values") messages.push_back(f.family + ": " + f.message);
  }
  EXPECT_EQ(messages, std::vector<std::string>{
                          "c_total: {} value 5 in PrometheusText0.0.4 but 6 in "
                          "OpenMetricsText2.0.0 (stable across two PrometheusText0.0.4 scrapes)"});
}

}  // namespace
}  // namespace promtool
