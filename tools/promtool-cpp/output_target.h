// Where a converting command writes: stdout, or -o FILE (through AtomicFileSink: a regular file
// replaced atomically on success, a device/FIFO/stdout path written through).
#pragma once

#include <memory>
#include <string>

#include "promtool/output.h"

namespace promtool::cli {

class OutputTarget {
 public:
  // "" or "-" is stdout; anything else goes through AtomicFileSink::Create (symlinks followed,
  // non-regular files written through). On failure prints "error: ..." and returns nullptr.
  static std::unique_ptr<OutputTarget> Open(const std::string& path);

  Sink& sink() { return file_ ? static_cast<Sink&>(*file_) : *stdout_; }
  // After a failed command: says on stderr that the file was left untouched, or, for a target
  // written through, that its output is incomplete (nothing for stdout); the temporary file goes
  // away with this object.
  void Abandon() const;
  // After success: renames the file over its target (nothing for stdout). Prints and returns
  // false when that fails.
  [[nodiscard]] bool Commit();

 private:
  std::string path_;
  std::unique_ptr<AtomicFileSink> file_;
  std::unique_ptr<Sink> stdout_;
};

}  // namespace promtool::cli
