// Output sinks for the writers: a file descriptor, or a file replaced atomically (temp file in
// the same directory, renamed over the target only when everything was written).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

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

// Writes to a temporary file beside `path`; Commit() flushes it to disk and renames it over
// `path`. Destroying an uncommitted AtomicFileSink removes the temporary file, so on any error
// the target is left untouched. An existing target's permission bits are kept.
class AtomicFileSink final : public Sink {
 public:
  static absl::StatusOr<std::unique_ptr<AtomicFileSink>> Create(std::string path);
  ~AtomicFileSink() override;
  absl::Status Write(std::string_view bytes) override;
  [[nodiscard]] absl::Status Commit();

 private:
  AtomicFileSink(std::string path, std::string temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  std::string path_, temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Reads a whole file (for tests and small inputs); the error names the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace promtool
