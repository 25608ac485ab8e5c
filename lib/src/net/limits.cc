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
  switch (family.type()) {
    case pb::SUMMARY:
      s.samples = static_cast<uint64_t>(m.summary().quantile_size()) + 2;
      s.extra_label = m.summary().quantile_size() > 0;
      s.suffix = "_count";
      break;
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM: {
      const pb::Histogram& h = m.histogram();
      if (h.bucket_size() > 0) {
        const bool has_inf = std::isinf(h.bucket(h.bucket_size() - 1).upper_bound());
        s.samples = static_cast<uint64_t>(h.bucket_size()) + (has_inf ? 0 : 1) + 2;
        s.extra_label = true;
        s.suffix = family.type() == pb::HISTOGRAM ? "_bucket" : "_gcount";
      } else if (h.has_schema() || h.positive_span_size() > 0 || h.negative_span_size() > 0) {
        s.samples = 1;  // a native histogram is one sample
      } else {
        s.samples = 2;
        s.suffix = family.type() == pb::HISTOGRAM ? "_count" : "_gcount";
      }
      break;
    }
    default:
      s.samples = 1;
      break;
  }
  return s;
}

}  // namespace

namespace net {
uint64_t PrometheusSamples(const OwnedFamily& family) {
  uint64_t n = 0;
  for (const pb::Metric& m : family.proto.metric()) n += Shape(family.proto, m).samples;
  return n;
}
}  // namespace net

bool HasFamilyLimits(const ScrapeOptions& o) {
  return o.sample_limit > 0 || o.label_limit > 0 || o.label_name_length_limit > 0 ||
         o.label_value_length_limit > 0;
}

namespace net {

std::string LimitCounter::Add(const OwnedFamily& family) {
  const ScrapeOptions& options = options_;
  const pb::MetricFamily& f = family.proto;
  // A family with HELP/TYPE and no sample is not counted, as validate does not count it.
  if (f.metric_size() > 0) ++families_;
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
  std::unique_ptr<FamilyStream> stream;
  TextOptions text;
  text.names = format.names;
  switch (format.format) {
    case InputFormat::kOpenMetrics:
      stream = NewOpenMetricsFamilyStream(source, nullptr);
      break;
    case InputFormat::kProtobuf:
      stream = NewProtobufFamilyStream(source, {}, nullptr);
      break;
    default:
      stream = NewTextFamilyStream(source, text, nullptr);
      break;
  }
  LimitCounter counter(options);
  const uint64_t families = result->families, samples = result->samples;
  while (const OwnedFamily* family = stream->Next()) {
    std::string refused = counter.Add(*family);
    result->families = families + counter.families();
    result->samples = samples + counter.samples();
    if (!refused.empty()) {
      result->error = std::move(refused);
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", options.timeout_seconds);
      result->error = StrCat("timed out after ", seconds,
                             "s (--timeout covers the whole exchange: connecting, reading and "
                             "parsing)");
      return;
    }
  }
  if (!source.error().empty()) {
    result->error = source.error();
    return;
  }
  if (const ParseError* e = stream->error()) {
    result->parse_error = *e;
    if (format.format == InputFormat::kProtobuf) {
      result->error = StrCat("invalid protobuf payload at byte ", e->offset, ": ", e->message);
    } else {
      result->error = StrCat("invalid ", InputFormatName(format.format), " payload at line ",
                             e->line, ", column ", e->column, ": ", e->message);
    }
  }
}

}  // namespace net
}  // namespace promtool
