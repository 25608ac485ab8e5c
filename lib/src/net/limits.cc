// Parses a fetched body family by family to count families and samples and to enforce the
// scrape limits (sample, label count, label name and value length) as Prometheus counts them.
#include "net/limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/strcat.h"
#include "model/owned_family.h"

namespace promtool {
namespace {

struct SeriesShape {
  uint64_t samples = 0;      // sample lines this series stands for
  bool extra_label = false;  // le or quantile on some of its samples
  std::string_view suffix;   // the longest sample-name suffix (_bucket, _count, ...)
};

SeriesShape Shape(const pb::MetricFamily& family, const pb::Metric& m) {
  SeriesShape s;
  s.samples = SeriesSamples(family, m);
  switch (family.type()) {
    case pb::SUMMARY:
      s.extra_label = m.summary().quantile_size() > 0;
      s.suffix = "_count";
      break;
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM: {
      const pb::Histogram& h = m.histogram();
      if (h.bucket_size() > 0) {
        s.extra_label = true;
        s.suffix = family.type() == pb::HISTOGRAM ? "_bucket" : "_gcount";
      } else if (s.samples == 2) {
        s.suffix = family.type() == pb::HISTOGRAM ? "_count" : "_gcount";
      }
      break;
    }
    default:
      break;
  }
  return s;
}

}  // namespace

bool HasFamilyLimits(const ScrapeOptions& o) {
  return o.sample_limit > 0 || o.label_limit > 0 || o.label_name_length_limit > 0 ||
         o.label_value_length_limit > 0;
}

namespace net {

void LineLimitScanner::Fail(std::string message) {
  // Quoted names and values come from the body: control characters (terminal escapes) are
  // escaped; a tab is kept (a password may hold one, and the scrubber must still find it).
  for (unsigned char c : message) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      error_ += buf;
    } else {
      error_.push_back(static_cast<char>(c));
    }
  }
}

bool LineLimitScanner::CheckName() {
  const uint64_t limit = options_.label_value_length_limit;
  if (limit > 0 && name_len_ > limit) {
    Fail(StrCat("label_value_length_limit ", limit, " exceeded: line ", line_,
                " has metric name (label __name__) \"", name_, name_len_ > 64 ? "..." : "",
                "\" of ", name_len_, " bytes"));
    return false;
  }
  return true;
}

// A quoted string in the braces ended: a label name (followed by '='), a label value, or the
// metric name (text 1.0.0's {"name", ...}).
bool LineLimitScanner::EndQuoted(bool followed_by_equals) {
  if (quoted_is_value_) {
    const uint64_t limit = options_.label_value_length_limit;
    if (limit > 0 && quoted_len_ > limit) {
      Fail(StrCat("label_value_length_limit ", limit, " exceeded: line ", line_, " (\"", name_,
                  "\") has a label value of ", quoted_len_, " bytes (\"", quoted_start_,
                  quoted_len_ > 64 ? "..." : "", "\")"));
      return false;
    }
    return true;
  }
  if (followed_by_equals) {
    const uint64_t limit = options_.label_name_length_limit;
    if (limit > 0 && quoted_len_ > limit) {
      Fail(StrCat("label_name_length_limit ", limit, " exceeded: line ", line_, " (\"", name_,
                  "\") has label name \"", quoted_start_, quoted_len_ > 64 ? "..." : "", "\" of ",
                  quoted_len_, " bytes"));
      return false;
    }
    return true;
  }
  name_ = quoted_start_;
  name_len_ = quoted_len_;
  return CheckName();
}

size_t LineLimitScanner::Scan(std::string_view bytes) {
  if (!error_.empty()) return std::string_view::npos;
  line_start_ = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    switch (state_) {
      case State::kLineStart:
        line_start_ = i;
        if (c == '\n') {
          ++line_;
        } else if (c == '#') {
          state_ = State::kComment;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          ++samples_;
          labels_ = 1;  // __name__
          quoted_is_value_ = false;
          if (c == '{') {
            name_.clear();
            name_len_ = 0;
            state_ = State::kLabels;
          } else {
            name_.assign(1, c);
            name_len_ = 1;
            state_ = State::kName;
          }
          if (options_.sample_limit > 0 && samples_ > options_.sample_limit) {
            Fail(StrCat("sample_limit ", options_.sample_limit, " exceeded: line ", line_,
                        " brings the scrape to ", samples_, " samples"));
            return line_start_;
          }
        }
        continue;
      case State::kComment:
      case State::kRest:
        if (c == '\n') {
          ++line_;
          state_ = State::kLineStart;
        }
        continue;
      case State::kName:
        if (c == '{' || c == ' ' || c == '\t' || c == '\n') {
          if (!CheckName()) return line_start_;
          if (c == '\n') {
            ++line_;
            state_ = State::kLineStart;
          } else {
            state_ = c == '{' ? State::kLabels : State::kRest;
          }
        } else {
          if (name_.size() < 64) name_.push_back(c);
          ++name_len_;
        }
        continue;
      case State::kLabels:
        if (c == '"') {
          state_ = State::kQuoted;
          quoted_len_ = 0;
          quoted_start_.clear();
        } else if (c == '}') {
          state_ = State::kRest;
        } else if (c == '\n') {
          ++line_;
          state_ = State::kLineStart;
        } else if (c == '=') {
          if (!quoted_is_value_) {
            ++labels_;
            if (options_.label_limit > 0 && labels_ > options_.label_limit) {
              Fail(StrCat("label_limit ", options_.label_limit, " exceeded: line ", line_, " (\"",
                          name_, "\") has a sample with more than ", options_.label_limit,
                          " labels (__name__ included)"));
              return line_start_;
            }
          }
          quoted_is_value_ = true;
        } else if (c == ',') {
          quoted_is_value_ = false;
        } else if (c != ' ' && c != '\t') {
          state_ = State::kBareLabelName;
          bare_len_ = 1;
          bare_start_.assign(1, c);
          quoted_is_value_ = false;
        }
        continue;
      case State::kBareLabelName:
        if (c == '=' || c == ' ' || c == '\t' || c == ',' || c == '}' || c == '\n') {
          const uint64_t limit = options_.label_name_length_limit;
          if (limit > 0 && bare_len_ > limit) {
            Fail(StrCat("label_name_length_limit ", limit, " exceeded: line ", line_, " (\"", name_,
                        "\") has label name \"", bare_start_, bare_len_ > 64 ? "..." : "", "\" of ",
                        bare_len_, " bytes"));
            return line_start_;
          }
          state_ = State::kLabels;
          --i;  // the terminator is read again in the braces
        } else {
          if (bare_start_.size() < 64) bare_start_.push_back(c);
          ++bare_len_;
        }
        continue;
      case State::kQuoted:
        if (c == '\\') {
          state_ = State::kQuotedEscape;
        } else if (c == '"') {
          state_ = State::kAfterQuoted;
        } else if (c == '\n') {  // invalid: the parser reports it
          ++line_;
          state_ = State::kLineStart;
        } else {
          if (quoted_start_.size() < 64) quoted_start_.push_back(c);
          ++quoted_len_;
        }
        continue;
      case State::kQuotedEscape:
        if (quoted_start_.size() < 64) quoted_start_.push_back(c == 'n' ? '\n' : c);
        ++quoted_len_;
        state_ = State::kQuoted;
        continue;
      case State::kAfterQuoted:
        if (c == ' ' || c == '\t') continue;
        if (!EndQuoted(!quoted_is_value_ && c == '=')) return line_start_;
        state_ = State::kLabels;
        --i;  // the terminator is read again in the braces
        continue;
    }
  }
  return std::string_view::npos;
}

std::string LimitCounter::Add(const OwnedFamily& family) {
  const ScrapeOptions& options = options_;
  const pb::MetricFamily& f = family.proto;
  // A family with HELP/TYPE and no sample is not counted, as validate does not count it.
  // A family read in parts (OwnedFamily::part) is one family.
  if (f.metric_size() > 0 && !family.part) ++families_;
  for (const pb::Metric& m : f.metric()) {
    const SeriesShape shape = Shape(f, m);
    samples_ += shape.samples;
    if (options.sample_limit > 0 && samples_ > options.sample_limit) {
      return StrCat("sample_limit ", options.sample_limit, " exceeded: family \"", f.name(),
                    "\" brings the scrape to ", samples_, " samples");
    }
    const uint64_t labels = static_cast<uint64_t>(m.label_size()) + 1 + shape.extra_label;
    if (options.label_limit > 0 && labels > options.label_limit) {
      return StrCat("label_limit ", options.label_limit, " exceeded: family \"", f.name(),
                    "\" has a sample with ", labels, " labels (__name__ included)");
    }
    if (options.label_name_length_limit > 0) {
      for (const pb::LabelPair& l : m.label()) {
        if (l.name().size() > options.label_name_length_limit) {
          return StrCat("label_name_length_limit ", options.label_name_length_limit,
                        " exceeded: family \"", f.name(), "\" has label name \"", l.name(),
                        "\" of ", l.name().size(), " bytes");
        }
      }
    }
    if (options.label_value_length_limit > 0) {
      const uint64_t name_len = f.name().size() + shape.suffix.size();
      if (name_len > options.label_value_length_limit) {
        return StrCat("label_value_length_limit ", options.label_value_length_limit,
                      " exceeded: family \"", f.name(), "\" has metric name (label __name__) \"",
                      f.name(), shape.suffix, "\" of ", name_len, " bytes");
      }
      for (const pb::LabelPair& l : m.label()) {
        if (l.value().size() > options.label_value_length_limit) {
          std::string shown = l.value().substr(0, 64);
          if (shown.size() < l.value().size()) shown += "...";
          return StrCat("label_value_length_limit ", options.label_value_length_limit,
                        " exceeded: family \"", f.name(), "\" has label \"", l.name(),
                        "\" with a value of ", l.value().size(), " bytes (\"", shown, "\")");
        }
      }
    }
  }
  return "";
}

void ParseAndCheck(Source& source, const PayloadFormat& format, const ScrapeOptions& options,
                   FetchResult* result, std::chrono::steady_clock::time_point deadline) {
  FamilyStreamOptions read;
  read.text.names = format.names;
  read.text.max_name_table_bytes = options.body_size_limit / 2;  // see TextOptions
  read.text.max_family_bytes = options.body_size_limit / 2;
  std::unique_ptr<FamilyStream> stream = NewFamilyStream(source, format.format, read, nullptr);
  LimitCounter counter(options);
  const uint64_t families = result->families, samples = result->samples;
  while (const OwnedFamily* family = stream->Next()) {
    std::string refused = counter.Add(*family);
    result->families = families + counter.families();
    result->samples = samples + counter.samples();
    if (!refused.empty()) {
      result->error = Error::Unlocated(ErrorCode::kLimit, std::move(refused));
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", options.timeout_seconds);
      result->error = Error::Unlocated(ErrorCode::kTimeout,
                                       StrCat("timed out after ", seconds,
                                              "s (--timeout covers the whole exchange: connecting, "
                                              "reading and parsing)"));
      return;
    }
  }
  if (!source.error().empty()) {
    result->error = Error::Unlocated(source.error_code(), source.error());
    return;
  }
  if (const Error* e = stream->error()) {
    // Located (the parse error's code and position), with a message that says where.
    result->error = *e;
    if (format.format == InputFormat::kProtobuf) {
      result->error.message =
          StrCat("invalid protobuf payload at byte ", e->offset, ": ", e->message);
    } else {
      result->error.message =
          StrCat("invalid ", InputFormatName(format.format), " payload at line ", e->line,
                 ", column ", e->column, ": ", e->message);
    }
  }
}

}  // namespace net
}  // namespace promtool
