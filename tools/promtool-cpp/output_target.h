// Where a converting command writes: stdout, or -o FILE replaced atomically on success.
#pragma once

#include <memory>
#include <string>

#include "promtool/output.h"

namespace promtool::cli {

class OutputTarget {
 public:
  // "" or "-" is stdout; anything else a file written through AtomicFileSink. On failure prints
  // "error: ..." on stderr and returns nullptr.
  static std::unique_ptr<OutputTarget> Open(const std::string& path);

  Sink& sink() { return file_ ? static_cast<Sink&>(*file_) : *stdout_; }
  // After a failed command: says on stderr that the file was left untouched (nothing for
  // stdout); the temporary file goes away with this object.
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
