// OpenInput() with URLs: OpenScrape (streamed) or Fetch (whole), then the announced format.
#include "promtool/open.h"

#include "common/strcat.h"
#include "promtool/convert.h"
#include "promtool/output.h"

namespace promtool {
namespace {

// Converts a non-text body to text in memory (ReadOptions::as_text); false with in->error set.
bool ToText(Input* in) {
  ConvertOptions convert;
  convert.from = in->format;
  convert.text = in->options.text;  // the per-name bound of a URL body, among others
  StringSink text;
  ConvertResult converted = Convert(*in->source, text, convert);
  Source& body = *in->source;
  if (!body.error().empty()) {
    in->error = Error::Unlocated(body.error_code(), body.error());
    return false;
  }
  if (!converted.ok()) {
    const Error& e = converted.error;
    in->error = e;
    in->error.offset = Error::kNoOffset;
    if (e.located()) {
      in->error.message =
          in->format == InputFormat::kProtobuf
              ? StrCat("invalid protobuf payload at byte ", e.offset, ": ", e.message)
              : StrCat("invalid ", InputFormatName(in->format), " payload at line ", e.line,
                       ", column ", e.column, ": ", e.message);
    }
    return false;
  }
  in->source = StringSource(std::move(text.data), in->name);
  in->format = InputFormat::kText;
  in->options.format = InputFormat::kText;
  return true;
}

}  // namespace

Input OpenInput(const std::string& name, const ReadOptions& options, const ScrapeOptions& scrape) {
  if (!IsUrl(name)) return OpenInput(name, options);
  Input in;
  in.options = options;
  in.url = true;
  // Millions of tiny families must not grow the parser's per-name state past the body's bound.
  if (scrape.body_size_limit > 0 && in.options.text.max_name_table_bytes == 0) {
    in.options.text.max_name_table_bytes = scrape.body_size_limit / 2;
  }
  // Nor may one family's owning model (see TextOptions::max_family_bytes).
  if (scrape.body_size_limit > 0 && in.options.text.max_family_bytes == 0) {
    in.options.text.max_family_bytes = scrape.body_size_limit / 2;
  }
  PayloadFormat announced;
  if (options.whole || (options.check_family_limits && HasFamilyLimits(scrape))) {
    FetchResult r = Fetch(name, scrape, FetchBody::kKeep);
    in.name = r.url;
    if (!r.ok() &&
        (!r.error.located() || (options.as_text && r.format.format != InputFormat::kText))) {
      in.error = r.error;
      in.error.offset = Error::kNoOffset;
      return in;
    }
    announced = r.format;
    in.source = StringSource(std::move(r.body), r.url);
  } else {
    ScrapeResponse r = OpenScrape(name, scrape);
    in.name = r.url;
    if (!r.ok()) {
      in.error = std::move(r.error);
      return in;
    }
    announced = r.format;
    in.source = std::move(r.body);
  }
  in.announced_names = announced.names;
  if (options.format == InputFormat::kAuto) {
    in.format = announced.format;
    if (announced.names == NameScheme::kUtf8) in.options.text.names = NameScheme::kUtf8;
  } else {
    in.format = options.format;
  }
  in.options.format = in.format;
  if (options.as_text && in.format != InputFormat::kText && !ToText(&in)) in.source.reset();
  return in;
}

}  // namespace promtool
