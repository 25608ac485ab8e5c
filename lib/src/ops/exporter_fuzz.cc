// The request fuzzer of `check exporter --fuzz`: seeded generation of odd requests and their
// one-line replay form (`--replay FILE`).
#include <random>
#include <string>

#include "common/strcat.h"
#include "promtool/exporter_check.h"
#include "promtool/scrape.h"

namespace promtool::exporter {
namespace {

std::string Encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '=') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<uint64_t> Number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::string FuzzRequest::Serialize() const {
  std::string out = StrCat("replay-v1\tkind=", Encode(kind), "\tmethod=", Encode(method));
  if (!query.empty()) StrAppend(&out, "\tquery=", Encode(query));
  if (accept) StrAppend(&out, "\taccept=", Encode(*accept));
  if (accept_encoding) StrAppend(&out, "\taccept-encoding=", Encode(*accept_encoding));
  if (concurrency != 1) StrAppend(&out, "\tconcurrency=", concurrency);
  if (recv_bytes_per_second != 0) StrAppend(&out, "\trecv-rate=", recv_bytes_per_second);
  return out;
}

absl::StatusOr<FuzzRequest> FuzzRequest::Parse(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  FuzzRequest r;
  size_t pos = 0;
  bool first = true;
  while (pos <= line.size()) {
    size_t tab = line.find('\t', pos);
    if (tab == std::string_view::npos) tab = line.size();
    const std::string_view field = line.substr(pos, tab - pos);
    pos = tab + 1;
    if (first) {
      if (field != "replay-v1") {
        return absl::InvalidArgumentError(StrCat(
            "expected a line starting with \"replay-v1\", found \"", field.substr(0, 32), "\""));
      }
      first = false;
      continue;
    }
    const size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat("field \"", field.substr(0, 32), "\" is not key=value"));
    }
    const std::string_view key = field.substr(0, eq);
    std::optional<std::string> value = Decode(field.substr(eq + 1));
    if (!value) {
      return absl::InvalidArgumentError(StrCat("field ", key, ": invalid %-escape"));
    }
    if (key == "kind") {
      r.kind = *value;
    } else if (key == "method") {
      if (*value != "GET" && *value != "HEAD") {
        return absl::InvalidArgumentError(
            StrCat("field method: \"", *value, "\" is not GET or HEAD"));
      }
      r.method = *value;
    } else if (key == "query") {
      r.query = *value;
    } else if (key == "accept") {
      r.accept = *value;
    } else if (key == "accept-encoding") {
      r.accept_encoding = *value;
    } else if (key == "concurrency") {
      std::optional<uint64_t> n = Number(*value);
      if (!n || *n < 1 || *n > 64) {
        return absl::InvalidArgumentError("field concurrency: expected 1 to 64");
      }
      r.concurrency = static_cast<uint32_t>(*n);
    } else if (key == "recv-rate") {
      std::optional<uint64_t> n = Number(*value);
      if (!n) return absl::InvalidArgumentError("field recv-rate: expected bytes per second");
      r.recv_bytes_per_second = *n;
    } else {
      return absl::InvalidArgumentError(
          StrCat("unknown field \"", key,
                 "\" (kind, method, query, accept, accept-encoding, concurrency, recv-rate)"));
    }
  }
  if (r.kind.empty()) r.kind = "replay";
  return r;
}

absl::StatusOr<std::vector<FuzzRequest>> ParseReplay(std::string_view text, std::string_view name) {
  std::vector<FuzzRequest> out;
  size_t pos = 0;
  uint64_t line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    absl::StatusOr<FuzzRequest> r = FuzzRequest::Parse(line);
    if (!r.ok()) {
      return absl::InvalidArgumentError(
          StrCat(name, ":", line_no, ": ", std::string(r.status().message())));
    }
    out.push_back(*std::move(r));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(StrCat(name,
                                             ": no request to replay (expected lines "
                                             "starting with \"replay-v1\")"));
  }
  return out;
}

std::vector<FuzzRequest> GenerateFuzz(uint64_t seed, uint32_t count,
                                      const std::vector<std::string>& families) {
  static const char* const kAccepts[] = {
      "",
      "*/*;q=0",
      "text/plain;version=9.9.9",
      "application/openmetrics-text;version=2.0.0;escaping=allow-utf-8",
      "application/openmetrics-text;version=1.0.0;escaping=bogus",
      "text/plain;version=1.0.0;escaping=",
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      "application/json",
      "text/plain;q=abc",
      "text/plain;q=-1,application/openmetrics-text;q=2",
      "text/plain;;;version=0.0.4",
      "text/plain;version=\"0.0.4\";charset=\"utf-8\"",
      "TEXT/PLAIN;VERSION=0.0.4",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text",
      ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
       "encoding=compact-text"),
      "application/vnd.google.protobuf",
      "/",
      "text/",
      ",,,",
      "text/plain;version=0.0.4;q=0.000000000000001",
      "\xff\xfe",
      "text/plain; version=0.0.4; foo=\"unterminated",
  };
  static const char* const kEncodings[] = {
      "",           "br",     "zstd",     "deflate",    "gzip;q=0", "*", "identity;q=0",
      "gzip, gzip", "x-gzip", "compress", "gzip;q=abc", "GZIP",
  };
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<FuzzRequest> out;
  for (uint32_t i = 0; i < count; ++i) {
    FuzzRequest r;
    const size_t kind = pick(10);
    if (kind < 4) {
      r.kind = "accept";
      if (pick(4) == 0) {
        // Long or repetitive values.
        std::string v;
        const size_t n = 50 + pick(400);
        for (size_t k = 0; k < n; ++k) {
          StrAppend(&v, k ? "," : "", "text/plain;version=0.0.4;q=0.", 1 + pick(9));
        }
        r.accept = v;
      } else {
        r.accept = kAccepts[pick(std::size(kAccepts))];
      }
      r.accept_encoding = "gzip";
    } else if (kind < 6) {
      r.kind = "accept-encoding";
      r.accept = AcceptHeader(DefaultScrapeProtocols());
      r.accept_encoding = kEncodings[pick(std::size(kEncodings))];
    } else if (kind == 6) {
      r.kind = "query";
      r.accept = AcceptHeader(DefaultScrapeProtocols());
      r.accept_encoding = "gzip";
      const size_t q = pick(4);
      if (q == 0 && !families.empty()) {
        r.query = StrCat("?name[]=", families[pick(families.size())]);
      } else if (q == 1) {
        r.query = "?name[]=";
      } else if (q == 2) {
        r.query = "?name[]=%ff%fe&name[]=no_such_family";
      } else {
        r.query = "?debug=1&x=" + std::string(200 + pick(800), 'a');
      }
    } else if (kind == 7) {
      r.kind = "head";
      r.method = "HEAD";
      r.accept = AcceptHeader(DefaultScrapeProtocols());
      r.accept_encoding = "gzip";
    } else if (kind == 8) {
      r.kind = "concurrent";
      r.accept = AcceptHeader(DefaultScrapeProtocols());
      r.accept_encoding = pick(2) ? "gzip" : "identity";
      r.concurrency = static_cast<uint32_t>(4 + pick(5));
    } else {
      r.kind = "slow-read";
      r.accept = AcceptHeader(DefaultScrapeProtocols());
      r.accept_encoding = "identity";
      r.recv_bytes_per_second = 0;  // set by the checker from the body size (about 1.5 s)
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace promtool::exporter
