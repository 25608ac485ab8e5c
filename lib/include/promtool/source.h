// Sources of input bytes: a window over the payload that the parsers read in place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "promtool/error.h"

namespace promtool {

// A line and a 1-based byte column.
struct LineCol {
  uint64_t line = 0;
  uint64_t column = 0;
};

// A Source exposes a window of the input, [window_offset(), window_offset() + window().size()),
// as contiguous bytes. Memory sources show the whole input at once; stream sources (stdin,
// pipes, HTTP bodies) and mapped files show a moving window and grow it only as far as the
// consumer pins bytes, so that memory stays bounded by the largest unit kept (a family), not by
// the payload. A mapped file copies nothing (its window is the mapping's bytes), has no window
// limit, and hands the pages behind the window back to the kernel.
class Source {
 public:
  virtual ~Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // The bytes currently available. Valid until the next Refill().
  std::string_view window() const { return {data_, size_}; }
  // Absolute offset of window().front() in the input.
  uint64_t window_offset() const { return offset_; }
  // True when no bytes exist beyond the window.
  bool at_eof() const { return eof_; }
  // The name used in diagnostics: the path, "<stdin>", a URL.
  const std::string& name() const { return name_; }

  // Makes more bytes available. Bytes before the absolute offset `keep_from` may be dropped;
  // the ones from there on stay (and move: views into the old window become invalid). Returns
  // false when the input has no more bytes (at_eof() is then true) or on error (see error()).
  [[nodiscard]] virtual bool Refill(uint64_t keep_from) = 0;
  // Empty unless Refill failed (I/O error or the buffer limit was reached).
  const std::string& error() const { return error_; }
  // The kind of that failure, the code every reader gives it: kLimit (a line or family larger
  // than the window, a body or sample limit), kIo (the bytes cannot be read), kNetwork or
  // kTimeout (an HTTP transfer); kOk when Refill has not failed.
  ErrorCode error_code() const {
    if (error_.empty()) return ErrorCode::kOk;
    return error_code_ == ErrorCode::kOk ? ErrorCode::kIo : error_code_;
  }

  // The whole input, when it can be seen without reading or copying anything (memory sources,
  // a mapped file); nullopt for streams. Valid while the source lives. Format detection reads
  // it; a consumer that needs every byte at once (fmt --check) compares against it.
  virtual std::optional<std::string_view> Whole() const { return std::nullopt; }
  // Hands back what the window does not hold (a mapped file's pages) after Whole() was read.
  virtual void Evict() {}
  // Copies up to `n` bytes of Whole() from `offset` into `dst` without touching the window or
  // the mapping (pread() on a regular file) and returns how many (0 at the end); nullopt when
  // the source cannot (read Whole() then). For a scan of a large file: a copy through a small
  // buffer costs less than faulting in every page of the mapping.
  virtual std::optional<size_t> CopyOut(uint64_t /*offset*/, char* /*dst*/, size_t /*n*/) const {
    return std::nullopt;
  }
  // A source over bytes [begin, end) of Whole(), read the way this one is read (a slice of a
  // mapped file hands back its pages behind the window), with offsets from `begin`; nullptr
  // for streams. Valid while this source lives; several slices may be read at once, one per
  // thread (validate and check metrics with --jobs).
  virtual std::unique_ptr<Source> Slice(uint64_t begin, uint64_t end, std::string name) const;

  // Line and column of an absolute offset that is still in the window. Cheap when offsets
  // are asked for in increasing order; never called on the hot path.
  LineCol Locate(uint64_t offset);

  // The whole line containing `offset` (without its newline), if it is still in the window;
  // empty otherwise. For diagnostics.
  std::string_view LineAt(uint64_t offset) const;

  // Binary input (protobuf, whose readers name byte offsets): the bytes the window drops are no
  // longer counted for lines (a 0x0a byte there is no newline, and counting them cost 8% of
  // converting protobuf to text). Locate() then gives meaningless lines; offsets stay exact.
  void StopCountingLines() { count_lines_ = false; }

 protected:
  Source(std::string name) : name_(std::move(name)) {}
  // Called by stream sources before they drop window bytes [0, n).
  void AccountDropped(size_t n);
  // Records why Refill failed.
  void SetError(ErrorCode code, std::string message) {
    error_code_ = code;
    error_ = std::move(message);
  }

  const char* data_ = nullptr;
  size_t size_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
  std::string name_;
  std::string error_;
  ErrorCode error_code_ = ErrorCode::kOk;

 private:
  uint64_t dropped_lines_ = 0;       // newlines in the bytes dropped so far
  uint64_t dropped_line_start_ = 0;  // absolute offset where the line at the window's start begins
  uint64_t cache_offset_ = 0, cache_line_ = 1, cache_line_start_ = 0;
  bool cache_valid_ = false;
  bool count_lines_ = true;
};

// A source over bytes the caller keeps alive (tests, fuzzers, an HTTP body in memory).
std::unique_ptr<Source> MemorySource(std::string_view bytes, std::string name = "<memory>");

// A source that owns a copy of `bytes`.
std::unique_ptr<Source> StringSource(std::string bytes, std::string name = "<memory>");

struct StreamOptions {
  size_t chunk_bytes = 256 * 1024;            // read size
  size_t max_window_bytes = size_t{1} << 30;  // the largest line/family kept; beyond: error
  // OpenSource: regular files are mapped (Whole(), Slice()) and read into the window with
  // pread() in chunks, with no window limit; false reads them as pipes are read (no mapping).
  bool map_regular_files = true;
  // With map_regular_files: the window is the mapping itself (no copy), for a consumer that holds
  // the whole input in the window (ReadOptions::whole). Otherwise the window is a buffer the
  // file is read into: the kernel's copy costs less than the first touch of mapped pages (TLB and
  // cache misses on every 4 KiB page: measured 0.74x the time of validate), and the buffer is
  // reused, so what the reader already passed costs no memory.
  bool window_over_mapping = false;
};

// A source reading a file descriptor in chunks (stdin, pipes). Does not close the fd.
std::unique_ptr<Source> FdSource(int fd, std::string name, StreamOptions options = {});

// A stream-like source over bytes the caller keeps alive that reveals at most `chunk_bytes` new
// bytes per refill, exactly as a pipe would: for tests and fuzzers of the streaming path.
std::unique_ptr<Source> ChunkedMemorySource(std::string_view bytes, std::string name,
                                            StreamOptions options);

// Opens `path`: "-" is stdin (streamed), a regular file is memory-mapped and read (see
// StreamOptions::map_regular_files), anything else (a FIFO, /dev/stdin) is streamed. The error
// says what failed, with the path.
absl::StatusOr<std::unique_ptr<Source>> OpenSource(const std::string& path,
                                                   StreamOptions options = {});

// Reads a whole file (config files, baselines, rules; tests); the error names the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Reads at most `bound` bytes of `path` (a device such as /dev/zero never ends): a larger file is
// an error, "PATH is larger than N MiB (or KiB), the most read from it". Other errors: "cannot
// open PATH: ..." and "cannot read PATH: ..." (FailedPrecondition). For secret and target files.
absl::StatusOr<std::string> ReadFileAtMost(const std::string& path, size_t bound);

// Async-signal-safe and thread-safe: the name of the memory-mapped file source whose mapping
// contains `addr`, or nullptr. A mapped file that shrinks while it is read raises SIGBUS on the
// first access past its new end; the CLI's SIGBUS handler asks this to turn that into "input
// file changed size while being read" instead of a crash (see docs/architecture.md).
const char* MappedFileAt(const void* addr) noexcept;

}  // namespace promtool
