// Output sinks for the writers: a file descriptor, or a named output (a file replaced atomically:
// temp file beside it, renamed over the target only when everything was written; or a device,
// FIFO or stdout written through).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "promtool/source.h"

namespace promtool {

class Sink {
 public:
  virtual ~Sink() = default;
  // Writes all of `bytes` or returns an error naming the output.
  [[nodiscard]] virtual absl::Status Write(std::string_view bytes) = 0;
};

// Collects everything written in `data` (tests, benchmarks, a converted body kept in memory).
class StringSink final : public Sink {
 public:
  absl::Status Write(std::string_view bytes) override {
    data.append(bytes);
    return absl::OkStatus();
  }
  std::string data;
};

// Writes to `fd` (not closed). `name` names it in errors ("<stdout>").
std::unique_ptr<Sink> FdSink(int fd, std::string name);

struct FileOutputOptions {
  // Replace an existing regular file that has no write permission (mode 0444, or not writable by
  // this user). Without it such a file is refused before anything is written.
  bool replace_read_only = false;
};

// The one way the tools write a named output ("-o FILE", report files, fmt -w). What `path`
// names decides how:
//  - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: a duplicate of that open file
//    descriptor, written through (so output lands where the shell redirected it).
//  - a symlink is followed (every level) and the file it finally names is the target: the link
//    stays a link and its target gets the new content.
//  - an existing device, FIFO or socket: opened for writing and written through directly (never
//    replaced; opening a FIFO waits for its reader, as a shell redirection does).
//  - a regular file or a new name: a temporary file beside the (resolved) target, renamed over it
//    by Commit() when everything was written, so the target is never left half-written. The
//    temporary file gets the existing target's permission bits, owner and group (the owner only
//    where this process may set it; the group whenever this process belongs to it). A read-only
//    target is refused unless FileOutputOptions::replace_read_only. Destroying an uncommitted
//    sink removes the temporary file; so does RemovePendingTempFiles() from a signal handler.
//  - a directory: an error.
// Inputs named as the output are safe: they are read from the old file, which the rename does not
// touch (a mapped or open input keeps its bytes).
class AtomicFileSink final : public Sink {
 public:
  static absl::StatusOr<std::unique_ptr<AtomicFileSink>> Create(std::string path,
                                                                FileOutputOptions options = {});
  ~AtomicFileSink() override;
  absl::Status Write(std::string_view bytes) override;
  // Atomic targets: fsync, then rename over the target. Written-through targets: close.
  [[nodiscard]] absl::Status Commit();
  // True when the target is replaced at Commit() (nothing reaches it before); false when output
  // is written through as it comes (stdout, a device, a FIFO).
  bool atomic() const { return !temp_.empty(); }
  // The file that Commit() replaces (the symlink's final target), or the path written through.
  const std::string& target() const { return target_; }

 private:
  AtomicFileSink(std::string path, std::string target, std::string temp, int fd, int slot)
      : path_(std::move(path)),
        target_(std::move(target)),
        temp_(std::move(temp)),
        fd_(fd),
        slot_(slot) {}
  std::string path_, target_, temp_;
  int fd_ = -1;
  int slot_ = -1;  // in the pending-temp-file registry, or -1
  bool committed_ = false;
};

// Async-signal-safe: unlinks the temporary file of every AtomicFileSink not yet committed or
// destroyed (for a SIGINT/SIGTERM handler, before the process dies). Thread-safe.
void RemovePendingTempFiles() noexcept;

// ReadFile() is in promtool/source.h (included above).

}  // namespace promtool
