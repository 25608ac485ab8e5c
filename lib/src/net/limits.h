// Family-level checks of a fetched body: counts and the scrape limits (see ScrapeOptions).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool {
struct OwnedFamily;
}

namespace promtool::net {

// Counts families and samples as Prometheus does and checks the family-level limits, one family
// at a time (so it runs on a stream).
class LimitCounter {
 public:
  explicit LimitCounter(const ScrapeOptions& options) : options_(options) {}
  // Empty when the family is within the limits; otherwise the error, naming the limit, the
  // family and the value.
  std::string Add(const OwnedFamily& family);
  uint64_t families() const { return families_; }
  uint64_t samples() const { return samples_; }

 private:
  const ScrapeOptions& options_;
  uint64_t families_ = 0;
  uint64_t samples_ = 0;
};

// Checks the sample and label limits on the lines of a text or OpenMetrics body as its bytes
// arrive, before any parser builds a family: each sample line is one sample, its labels are the
// `name=value` pairs between its braces plus __name__ (exemplars after the closing brace are not
// labels), a label value's length is counted unescaped, and the metric name (the value of
// __name__) is the name the line starts with (or the quoted name in its braces). So the first
// over-limit line stops the read, however large its family. Fed in pieces; state carries over.
class LineLimitScanner {
 public:
  explicit LineLimitScanner(const ScrapeOptions& options) : options_(options) {}
  // Scans `bytes`. Returns the offset within `bytes` of the start of the first line over a
  // limit (its error in error()), or npos. Once an error is set, Scan does nothing.
  size_t Scan(std::string_view bytes);
  const std::string& error() const { return error_; }

 private:
  enum class State : uint8_t {
    kLineStart,
    kComment,
    kName,

    kLabels,
    kQuoted,
    kQuotedEscape,
    kAfterQuoted,
    kBareLabelName,
    kRest
  };
  bool EndQuoted(bool followed_by_equals);
  bool CheckName();
  void Fail(std::string message);

  ScrapeOptions options_;
  State state_ = State::kLineStart;
  uint64_t line_ = 1;
  uint64_t samples_ = 0;
  uint64_t labels_ = 0;
  bool quoted_is_value_ = false;  // the quoted string being read follows '='
  uint64_t quoted_len_ = 0;       // its unescaped length
  uint64_t bare_len_ = 0;         // an unquoted label name's length
  std::string name_;              // the line's metric name (first 64 bytes)
  uint64_t name_len_ = 0;
  std::string quoted_start_;  // the quoted string's first 64 bytes
  std::string bare_start_;
  size_t line_start_ = 0;  // offset in the current piece; 0 if the line began before
  std::string error_;
};

// Reads `source` in `format` family by family, adding to result->families and ->samples. The
// first exceeded limit sets result->error (kLimit, naming the limit, the family and the value)
// and stops; a parse error sets result->error to it (located; the message says where). When
// the source itself failed (a stream's transfer stopped early), result->error is its error, not
// located.
// Past `deadline` (checked after each family) the read stops with a timeout error: --timeout
// covers parsing a downloaded body too.
void ParseAndCheck(
    Source& source, const PayloadFormat& format, const ScrapeOptions& options, FetchResult* result,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

}  // namespace promtool::net
