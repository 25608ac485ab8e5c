// Fuzz target for the delimited protobuf reader: the chunked (stdin-like) path must yield the
// same families and error as the in-memory path, and what it accepts must survive the
// protobuf writer: written, then read back, the families are message-equal.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/oracle.h"
#include "model/owned_family.h"
#include "write/writer.h"

namespace {

using promtool::fuzz::Check;

struct Read {
  std::vector<promtool::OwnedFamily> families;
  promtool::Error error;
};

Read ReadAll(promtool::Source& src, uint64_t max_message_bytes) {
  promtool::ProtobufReadOptions opts;
  opts.max_message_bytes = max_message_bytes;
  promtool::LossReport losses;
  auto stream = promtool::NewProtobufFamilyStream(src, opts, &losses);
  Read r;
  while (const promtool::OwnedFamily* f = stream->Next()) {
    Check(!f->proto.name().empty() || f->proto.has_name(), "a family has a name");
    Check(promtool::WireType(f->type) == f->proto.type(), "the full type matches the wire type");
    r.families.push_back(*f);
  }
  Check(stream->Next() == nullptr, "the end is sticky");
  if (const promtool::Error* err = stream->error()) {
    Check(!err->ok() && !err->message.empty(), "an error has a code and a message");
    r.error = *err;
  }
  return r;
}

void SameFamilies(const Read& a, const Read& b, const char* what) {
  Check(a.families.size() == b.families.size(), what, "family count differs");
  for (size_t i = 0; i < a.families.size(); ++i) {
    const promtool::OwnedFamily& x = a.families[i];
    const promtool::OwnedFamily& y = b.families[i];
    std::string report;
    const bool same = promtool::fuzz::SameMessage(x.proto, y.proto, &report);
    Check(same, what, report);
    Check(x.type == y.type, what, "type differs");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // A small record limit for some inputs, so that pb-too-large is reached too.
  const uint64_t limit = size > 1 && data[size - 1] % 4 == 0 ? 64 : uint64_t{16} << 20;
  auto mem = promtool::MemorySource(bytes);
  const Read expected = ReadAll(*mem, limit);
  for (const promtool::OwnedFamily& f : expected.families) {
    Check(f.offset < size, "a family's offset is inside the input");
  }
  Check(expected.error.ok() || expected.error.offset <= size, "error offset inside the input");

  auto chunked = promtool::fuzz::Chunked(bytes);
  const Read streamed = ReadAll(*chunked, limit);
  SameFamilies(expected, streamed, "chunked families equal memory families");
  Check(
      streamed.error.code == expected.error.code && streamed.error.offset == expected.error.offset,
      "chunked error equals memory error",
      [&] { return streamed.error.message + "\n--\n" + expected.error.message; });
  Check(streamed.error.message == expected.error.message, "chunked error message equals memory's");
  for (size_t i = 0; i < expected.families.size(); ++i) {
    Check(streamed.families[i].offset == expected.families[i].offset, "same family offsets");
  }

  // What was read, written again, reads back equal. The writer sets the wire type when the
  // record had none (proto2 presence): normalise for that.
  promtool::LossReport losses;
  auto writer = promtool::NewProtobufWriter({}, &losses);
  std::string out;
  Read original;
  for (const promtool::OwnedFamily& f : expected.families) {
    const absl::Status st = writer->Write(f, &out);
    Check(st.ok(), "the protobuf writer takes every family the reader returns",
          [&] { return st.ToString(); });
    // A family without metrics is written as no record (a reported loss).
    if (f.proto.metric_size() == 0) continue;
    promtool::OwnedFamily copy = f;
    copy.proto.set_type(copy.proto.type());
    original.families.push_back(std::move(copy));
  }
  Check(writer->Finish(&out).ok(), "the protobuf writer finishes");
  auto again = promtool::MemorySource(out);
  const Read back = ReadAll(*again, uint64_t{16} << 20);
  Check(back.error.ok(), "written protobuf reads back", back.error.message);
  SameFamilies(original, back, "protobuf written and read back equals the input");
  return 0;
}
