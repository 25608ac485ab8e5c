// OutputTarget: stdout, or a named output through AtomicFileSink, for convert and scrape.
#include "output_target.h"

#include <unistd.h>

#include <cstdio>

namespace promtool::cli {

std::unique_ptr<OutputTarget> OutputTarget::Open(const std::string& path) {
  auto target = std::unique_ptr<OutputTarget>(new OutputTarget());
  if (path.empty() || path == "-") {
    target->stdout_ = FdSink(STDOUT_FILENO, "<stdout>");
    return target;
  }
  auto created = AtomicFileSink::Create(path);
  if (!created.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(created.status().message()).c_str());
    return nullptr;
  }
  target->path_ = path;
  target->file_ = std::move(*created);
  return target;
}

void OutputTarget::Abandon() const {
  if (!file_) return;
  if (file_->atomic()) {
    std::fprintf(stderr, "%s: not written\n", path_.c_str());
  } else {
    std::fprintf(stderr, "%s: output incomplete (written through, not a regular file)\n",
                 path_.c_str());
  }
}

bool OutputTarget::Commit() {
  if (!file_) return true;
  if (absl::Status st = file_->Commit(); !st.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
    return false;
  }
  return true;
}

}  // namespace promtool::cli
