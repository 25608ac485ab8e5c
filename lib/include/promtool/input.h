// Opening an input by name: the first step of every operation (open any input -> a source and its
// format -> families -> the operation -> a result with one error). Files, `-`, FIFOs and the
// paths a directory walk finds are opened here (core); http(s) URLs by the overload in
// promtool/open.h (the operations layer, which links the HTTP client).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {

// How to read an input: the format (or detection), the parser options, and how much of it the
// consumer needs at once.
struct ReadOptions {
  // kAuto: DetectFormat() on files and stdin, the Content-Type on URLs.
  InputFormat format = InputFormat::kAuto;
  TextOptions text;                                 // text input: name scheme, limits, profile
  uint64_t max_message_bytes = uint64_t{16} << 20;  // protobuf input: one record at most
  StreamOptions stream;                             // stdin, pipes: read size, window bound
  // Hold the whole input in the source's window: stdin and pipes are read to their end and an
  // URL body is downloaded whole (bounded by --body-size-limit). For consumers that turn offsets
  // into positions after the read (the CI linter). A regular file's window then grows over the
  // whole mapping (nothing is copied).
  bool whole = false;
  // Regular files are memory-mapped (zero-copy; the window moves over the mapping and the pages
  // behind it are handed back). false: read in chunks as a pipe is (diff).
  bool map_files = true;
  // URL inputs (promtool/open.h): check the scrape's family-level limits (sample, label count and
  // length) before the body is handed on, for consumers that build no families to count on
  // (validate, check metrics). With such a limit set, the body is downloaded whole first.
  bool check_family_limits = false;
  // URL inputs: a body in another format is converted to text 0.0.4 in memory (the
  // promtool-compatible `check metrics` lints text only).
  bool as_text = false;
};

// An open input.
struct Input {
  std::string name;                // for messages: the path, "<stdin>", or the URL (redacted)
  std::unique_ptr<Source> source;  // set when ok()
  // The format to read it in: ReadOptions::format, else detected when the whole input can be
  // seen (a mapped file's Source::Whole(), `whole`), else (URLs) announced. Opening never blocks on
  // a stream: for stdin or a pipe with kAuto it stays kAuto, and the operation detects it when it
  // starts reading (DetectFormat reads up to 1 MiB ahead).
  InputFormat format = InputFormat::kText;
  // The options as given, with `format` set to the above and, for a URL whose Content-Type
  // announces text 1.0.0 (UTF-8 names) when the format was kAuto, text.names = kUtf8.
  ReadOptions options;
  // What a URL's Content-Type announced about names (kLegacy for other inputs).
  NameScheme announced_names = NameScheme::kLegacy;
  int64_t size = -1;  // a regular file's size; -1 for stdin, pipes, URLs
  bool url = false;
  // Why the input cannot be read; never located. kIo (cannot be opened or read, is a directory),
  // kLimit (larger than the window with `whole`), kOption (a URL without promtool/open.h), and
  // for URLs the HTTP client's codes (kNetwork, kHttp, kTimeout, kLimit).
  Error error;

  bool ok() const { return error.ok(); }
};

// True for names starting with http:// or https:// (case-insensitive).
bool IsUrl(std::string_view name);

// Opens `name`: "-" is stdin (streamed), a regular file is memory-mapped (or streamed, see
// ReadOptions::map_files), a FIFO or device is streamed, a directory is an error. The format is
// detected unless given (see Input::format for streams). A URL is an error here (kOption): use the
// overload in promtool/open.h.
Input OpenInput(const std::string& name, const ReadOptions& options = {});

}  // namespace promtool
