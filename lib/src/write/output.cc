// File-descriptor and atomic-file sinks.
#include "promtool/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strcat.h"

namespace promtool {
namespace {

absl::Status WriteAll(int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(StrCat(name, ": write failed: ", std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

class FdSinkImpl final : public Sink {
 public:
  FdSinkImpl(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  absl::Status Write(std::string_view bytes) override { return WriteAll(fd_, bytes, name_); }

 private:
  int fd_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Sink> FdSink(int fd, std::string name) {
  return std::make_unique<FdSinkImpl>(fd, std::move(name));
}

absl::StatusOr<std::unique_ptr<AtomicFileSink>> AtomicFileSink::Create(std::string path) {
  std::string temp = StrCat(path, ".tmp-XXXXXX");
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return absl::UnavailableError(
        StrCat(path, ": cannot create a temporary file beside it: ", std::strerror(errno)));
  }
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    (void)::fchmod(fd, st.st_mode & 07777);
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    (void)::fchmod(fd, 0666 & ~mask);
  }
  return std::unique_ptr<AtomicFileSink>(new AtomicFileSink(std::move(path), std::move(temp), fd));
}

AtomicFileSink::~AtomicFileSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

absl::Status AtomicFileSink::Write(std::string_view bytes) { return WriteAll(fd_, bytes, path_); }

absl::Status AtomicFileSink::Commit() {
  if (::fsync(fd_) != 0) {
    return absl::UnavailableError(StrCat(path_, ": fsync failed: ", std::strerror(errno)));
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    return absl::UnavailableError(StrCat(path_, ": close failed: ", std::strerror(errno)));
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    return absl::UnavailableError(
        StrCat(path_, ": cannot replace it with the new file: ", std::strerror(errno)));
  }
  committed_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(StrCat(path, ": ", std::strerror(errno)));
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = StrCat(path, ": read failed: ", std::strerror(errno));
      ::close(fd);
      return absl::UnavailableError(err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace promtool
