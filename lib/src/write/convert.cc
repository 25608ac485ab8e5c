// Convert(): one reader (text, OpenMetrics or protobuf) feeding one writer, family by family,
// with the output flushed after each family so memory stays bounded by the largest family.
#include "promtool/convert.h"

#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/hash.h"
#include "common/strcat.h"
#include "model/owned_family.h"
#include "promtool/escape.h"
#include "write/convert_internal.h"
#include "write/writer.h"

namespace promtool {

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "openmetrics") return OutputFormat::kOpenMetrics;
  if (name == "protobuf") return OutputFormat::kProtobuf;
  if (name == "protobuf-text") return OutputFormat::kProtobufText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "openmetrics2") return OutputFormat::kOpenMetrics2;
  return std::nullopt;
}

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText:
      return "text";
    case OutputFormat::kOpenMetrics:
      return "openmetrics";
    case OutputFormat::kProtobuf:
      return "protobuf";
    case OutputFormat::kProtobufText:
      return "protobuf-text";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kOpenMetrics2:
      return "openmetrics2";
  }
  return "text";
}

std::optional<Escaping> ParseEscaping(std::string_view name) {
  if (name == "allow-utf-8") return Escaping::kAllowUtf8;
  if (name == "underscores") return Escaping::kUnderscores;
  if (name == "dots") return Escaping::kDots;
  if (name == "values") return Escaping::kValues;
  if (name == "none") return Escaping::kNone;
  return std::nullopt;
}

namespace {

// Why a family that comes again cannot be written to `to`, and what to do.
std::string SplitMessage(const std::string& name, uint64_t first, uint64_t again, bool lines,
                         OutputFormat to) {
  std::string_view why;
  switch (to) {
    case OutputFormat::kOpenMetrics:
    case OutputFormat::kOpenMetrics2:
      why = "OpenMetrics forbids interleaved families";
      break;
    case OutputFormat::kJson:
      why = "JSON has one object per family";
      break;
    default:
      why =
          "protobuf needs one record per family (readers such as the Pushgateway keep only "
          "the last)";
      break;
  }
  const std::string_view unit = lines ? "line " : "byte ";
  return StrCat("family ", GoQuote(name), " is split: it appears at ", unit, first,
                " and again at ", unit, again, ", after other families; ", why,
                "; run `promtool-cpp fmt` on the input first to merge the parts");
}

}  // namespace

ConvertResult Convert(Source& input, Sink& output, const ConvertOptions& options) {
  return ConvertChecked(input, output, options, {});
}

ConvertResult ConvertChecked(Source& input, Sink& output, const ConvertOptions& options,
                             const FamilyCheck& check) {
  ConvertResult result;
  result.format = options.from == InputFormat::kAuto ? DetectFormat(input) : options.from;
  LossReport losses;
  FamilyStreamOptions read;
  read.text = options.text;
  read.protobuf.max_message_bytes = options.max_message_bytes;
  // The text and JSON writers stream series, so a large text family (or a gauge, counter or
  // untyped protobuf record) is read in parts of kFamilyPartSeries series: the owning model never
  // holds it whole, nor does the source window for text.
  // The protobuf writer takes parts too: it extends the family's record part by part (a record
  // is sized before it is written, so that record is all it holds), bounded by
  // TextOptions::max_family_bytes as a whole family's model is. The OpenMetrics 1.0 writer
  // takes parts too: it decides series by series what the parser would reject across them
  // (it cannot cut a family whose first parts are written) and reads back each part that needs
  // it. The others need the family in one piece.
  const bool parts = options.to == OutputFormat::kText || options.to == OutputFormat::kJson ||
                     options.to == OutputFormat::kProtobuf ||
                     options.to == OutputFormat::kOpenMetrics;
  if (parts) read.max_part_series = kFamilyPartSeries;
  std::unique_ptr<FamilyStream> reader = NewFamilyStream(input, result.format, read, &losses);
  WriteOptions wo;
  wo.escaping = options.escaping;
  wo.parts = parts;
  // The held record of text input in parts is bounded like a family's model; a protobuf
  // record is bounded by its own size limit (--max-message-bytes) before it is read.
  const bool text_input = result.format == InputFormat::kText;
  if (parts && text_input) wo.max_held_bytes = options.text.max_family_bytes;
  std::unique_ptr<FamilyWriter> writer;
  switch (options.to) {
    case OutputFormat::kText:
      writer = NewTextWriter(wo, &losses);
      break;
    case OutputFormat::kOpenMetrics:
      writer = NewOpenMetricsWriter(wo, &losses);
      break;
    case OutputFormat::kProtobuf:
      writer = NewProtobufWriter(wo, &losses);
      break;
    case OutputFormat::kProtobufText:
      writer = NewProtobufTextWriter(wo, &losses);
      break;
    case OutputFormat::kJson:
      writer = NewJsonWriter(wo, &losses);
      break;
    case OutputFormat::kOpenMetrics2:
      writer = NewOpenMetrics2Writer(wo, &losses);
      break;
  }
  // Text input is read as the text reader's views where the writer can write them (JSON and
  // protobuf; text and OpenMetrics 1.0 for counters, gauges and untyped families): the owning
  // model is then built only for what a writer leaves to Write() and for the family check
  // (scrape limits), which reads the model.
  const bool views = reader->has_views() && !check;

  constexpr size_t kFlushBytes = 256 * 1024;
  std::string buffer;
  // Output streams: on an error the complete families before the failing one are written (not
  // the format's end, "# EOF" or "]", so the output is visibly cut), then the error returned.
  // `discard`: the family the writer holds open is the failing one (a protobuf record in parts is
  // then not written).
  // Writes the buffer to the sink once it holds kFlushBytes (all of it with `all`), and the
  // blocks a writer hands out after a large family (FamilyWriter::MoreOutput) one by one, so a
  // large protobuf record is not copied into the buffer whole.
  auto flush = [&](bool all) -> absl::Status {
    for (;;) {
      if (!buffer.empty() && (all || buffer.size() >= kFlushBytes)) {
        if (absl::Status st = output.Write(buffer); !st.ok()) return st;
        buffer.clear();
      }
      if (!writer->MoreOutput(&buffer)) return absl::OkStatus();
    }
  };
  auto fail = [&](Error error, bool discard) {
    if (result.error.ok()) result.error = std::move(error);
    if (discard) writer->DiscardFamily();
    writer->EndFamily(&buffer);
    (void)flush(true);
    for (std::string& line : losses.Lines()) result.losses.push_back(std::move(line));
    return result;
  };
  // One family as read: the text reader's view, or an owning family.
  struct Item {
    const FamilyView* view = nullptr;
    const OwnedFamily* owned = nullptr;
    std::string_view name() const { return view ? view->name : owned->proto.name(); }
    bool part() const { return view ? view->part : owned->part; }
    bool more() const { return view ? view->more : owned->more; }
    bool empty() const { return view ? view->series.empty() : owned->proto.metric_size() == 0; }
    uint64_t offset() const { return view ? view->offset : owned->offset; }
  };
  // The owning family of an item (built from a view when needed).
  auto owned = [&](const Item& item) { return item.owned ? item.owned : reader->Owned(); };
  // Where the family written last starts, and its series so far (for the error of a record in
  // parts past WriteOptions::max_held_bytes).
  uint64_t family_offset = 0;
  uint64_t family_series = 0;
  LineCol family_at;
  // Writes one family; an error when it must stop there.
  auto write = [&](const Item& item) -> Error {
    if (!item.part()) {
      writer->EndFamily(&buffer);
      family_offset = item.offset();
      family_series = 0;
      if (wo.max_held_bytes > 0) family_at = input.Locate(family_offset);
    }
    family_series += item.view ? item.view->series.size()
                               : static_cast<uint64_t>(item.owned->proto.metric_size());
    const size_t before = buffer.size();
    bool written = false;
    absl::Status st;
    if (item.view != nullptr) st = writer->WriteView(*item.view, &buffer, &written);
    if (st.ok() && !written) st = writer->Write(*owned(item), &buffer);
    if (absl::IsResourceExhausted(st)) {
      // The record held for a family in parts passed the family bound: the same kLimit error
      // as a family whose model would, at the family's first line.
      buffer.resize(before);
      Error error = model_cost::TooLarge(StrCat("family \"", item.name(), "\" (", family_series,
                                                " series so far; ", std::string(st.message()), ")"),
                                         family_offset, wo.max_held_bytes);
      error.line = family_at.line;
      error.column = family_at.column;
      return error;
    }
    if (!st.ok()) {
      buffer.resize(before);
      return Error::Unlocated(ErrorCode::kOutputFormat, std::string(st.message()));
    }
    if (options.strict && !losses.empty()) {
      buffer.resize(before);  // the family with the loss is not written
      return Error::Unlocated(ErrorCode::kStrict, StrCat("--strict: ", losses.Lines().front()));
    }
    if (!item.part()) ++result.families;  // a family read in parts is one family
    if (absl::Status flushed = flush(false); !flushed.ok()) {
      return Error::Unlocated(ErrorCode::kOutput, std::string(flushed.message()));
    }
    return {};
  };
  // Every output but text needs each family in one piece (one protobuf record, one JSON
  // object; OpenMetrics forbids interleaving), and a streaming converter cannot merge parts that
  // are apart (memory stays bounded by the largest family): a name that comes again is refused,
  // naming where it was first (one entry per family name). Text output carries the parts as
  // they are (promtool merges them when reading). One case merges while streaming: a part with
  // metadata and no samples (HELP/TYPE lines first, the samples after other families, as
  // gitlab-runner writes) is held back until its samples come, or written at the end.
  struct Held {
    OwnedFamily family;
    uint64_t at;
  };
  const bool one_piece = options.to != OutputFormat::kText;
  // Name -> line (text) or byte offset of its first part. Keyed by a 64-bit hash of the name,
  // not the name: 16 bytes per family name whatever its length (a payload of millions of tiny
  // families stays small); a false "split" would need two of the payload's names to collide.
  absl::flat_hash_map<uint64_t, uint64_t> first_seen;
  absl::flat_hash_map<std::string, Held> held;  // metadata-only parts not yet written
  std::vector<std::string> held_order;
  OwnedFamily merged;
  bool unfinished = false;  // the family written last has more parts to come
  for (;;) {
    Item item;
    if (views) {
      item.view = reader->NextView();
      if (item.view == nullptr) break;
    } else {
      item.owned = reader->Next();
      if (item.owned == nullptr) break;
    }
    if (check) {
      if (Error refused = check(*item.owned); !refused.ok()) {
        return fail(std::move(refused), item.part());
      }
    }
    if (one_piece && !item.part()) {  // a part continues the family just written
      const std::string_view name = item.name();
      const uint64_t name_hash = hash::Bytes(name);
      const uint64_t at = text_input ? input.Locate(item.offset()).line : item.offset();
      if (item.empty() && !first_seen.contains(name_hash)) {
        auto [h, fresh] = held.try_emplace(std::string(name), Held{*owned(item), at});
        if (fresh) held_order.emplace_back(name);
        continue;
      }
      uint64_t first_at = at;
      if (auto h = held.empty() ? held.end() : held.find(std::string(name)); h != held.end()) {
        // The samples of a held metadata-only part: one family, with the metadata of either.
        first_at = h->second.at;
        const pb::MetricFamily& meta = h->second.family.proto;
        const OwnedFamily& family = *owned(item);
        if ((meta.has_help() && !family.proto.has_help()) ||
            (meta.has_unit() && !family.proto.has_unit())) {
          merged = family;
          if (!merged.proto.has_help() && meta.has_help()) merged.proto.set_help(meta.help());
          if (!merged.proto.has_unit() && meta.has_unit()) merged.proto.set_unit(meta.unit());
          item = Item{nullptr, &merged};
        }
        held.erase(h);
      }
      auto [it, fresh] = first_seen.try_emplace(name_hash, first_at);
      if (!fresh) {
        return fail(
            Error::Unlocated(ErrorCode::kOutputFormat, SplitMessage(std::string(name), it->second,
                                                                    at, text_input, options.to)),
            false);
      }
    }
    if (Error error = write(item); !error.ok()) return fail(std::move(error), true);
    unfinished = item.more();
  }
  if (const Error* err = reader->error()) {
    result.error = *err;
    // The families before the error are complete; a protobuf record cut by it is not written.
    if (unfinished) writer->DiscardFamily();
    writer->EndFamily(&buffer);
    if (absl::Status st = flush(false); !st.ok()) {
      return fail(Error::Unlocated(ErrorCode::kOutput, std::string(st.message())), false);
    }
  } else {
    for (const std::string& name : held_order) {
      auto h = held.find(name);
      if (h == held.end()) continue;
      if (Error error = write(Item{nullptr, &h->second.family}); !error.ok()) {
        return fail(std::move(error), true);
      }
    }
    writer->EndFamily(&buffer);  // the last family's blocks are flushed before Finish()
    if (absl::Status st = flush(false); !st.ok()) {
      return fail(Error::Unlocated(ErrorCode::kOutput, std::string(st.message())), false);
    }
    if (absl::Status st = writer->Finish(&buffer); !st.ok()) {
      return fail(Error::Unlocated(ErrorCode::kOutputFormat, std::string(st.message())), false);
    }
  }
  if (absl::Status st = flush(true); !st.ok()) {
    return fail(Error::Unlocated(ErrorCode::kOutput, std::string(st.message())), false);
  }
  for (std::string& line : losses.Lines()) result.losses.push_back(std::move(line));
  return result;
}

}  // namespace promtool
