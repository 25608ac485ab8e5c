// File-descriptor sinks and named outputs (atomic replacement or write-through), with the
// registry of pending temporary files that signal handlers clean up.
#include "promtool/output.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
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

namespace {

// The pending-temp-file registry: fixed slots of plain bytes, so that a signal handler can walk
// it without locks or allocation. A slot is free (0), being filled (1) or live (2).
constexpr int kTempSlots = 64;
constexpr size_t kTempPathMax = 4096;
struct TempSlot {
  std::atomic<int> state{0};
  char path[kTempPathMax] = {};
};
// Constant-initialised (all zero, in .bss): no start-up code touches its 64 pages.
constinit TempSlot g_temp_slots[kTempSlots];

int RegisterTemp(const std::string& path) {
  if (path.size() >= kTempPathMax) return -1;
  for (int i = 0; i < kTempSlots; ++i) {
    int expected = 0;
    if (g_temp_slots[i].state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
      std::memcpy(g_temp_slots[i].path, path.c_str(), path.size() + 1);
      g_temp_slots[i].state.store(2, std::memory_order_release);
      return i;
    }
  }
  return -1;  // more pending outputs than slots: this one is only removed by its destructor
}

void UnregisterTemp(int slot) {
  if (slot >= 0) g_temp_slots[slot].state.store(0, std::memory_order_release);
}

// The file descriptor a path names directly ("-", /dev/stdout, /dev/fd/N, ...), or -1.
int NamedFd(const std::string& path) {
  if (path == "-" || path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) {
      int fd = 0;
      for (size_t i = prefix.size(); i < path.size(); ++i) {
        if (path[i] < '0' || path[i] > '9' || fd > 100000000) return -1;
        fd = fd * 10 + (path[i] - '0');
      }
      return fd;
    }
  }
  return -1;
}

// Follows `path` through every symlink to the name it finally denotes (which may not exist yet:
// a dangling link's target is created, as a shell redirection would). Stops early at a name that
// denotes an open file descriptor (/dev/stdout -> /proc/self/fd/1 -> pipe:[...]).
absl::StatusOr<std::string> ResolveLinks(const std::string& path) {
  std::string p = path;
  for (int depth = 0; depth < 40; ++depth) {
    if (NamedFd(p) >= 0) return p;
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string link(static_cast<size_t>(st.st_size > 0 ? st.st_size : 0) + 4096, '\0');
    ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0) {
      return absl::UnavailableError(
          StrCat(path, ": cannot read the symbolic link ", p, ": ", std::strerror(errno)));
    }
    link.resize(static_cast<size_t>(n));
    if (link.empty() || link[0] != '/') {
      size_t slash = p.rfind('/');
      if (slash != std::string::npos) link = StrCat(p.substr(0, slash + 1), link);
    }
    p = std::move(link);
  }
  return absl::InvalidArgumentError(StrCat(path, ": too many levels of symbolic links"));
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Opens a unix socket file for writing (connect, as `socat - UNIX-CONNECT:path` would).
int ConnectSocket(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace

void RemovePendingTempFiles() noexcept {
  for (TempSlot& slot : g_temp_slots) {
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  }
}

absl::StatusOr<std::unique_ptr<AtomicFileSink>> AtomicFileSink::Create(std::string path,
                                                                       FileOutputOptions options) {
  if (path.empty()) return absl::InvalidArgumentError("an output path is empty");
  auto resolved = ResolveLinks(path);
  if (!resolved.ok()) return resolved.status();
  std::string target = std::move(*resolved);

  // An open file descriptor named by its path: write through a duplicate of it.
  if (int named = NamedFd(target); named >= 0) {
    int fd = ::fcntl(named, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) {
      return absl::UnavailableError(
          StrCat(path, ": file descriptor ", named, " is not open: ", std::strerror(errno)));
    }
    return std::unique_ptr<AtomicFileSink>(
        new AtomicFileSink(path == "-" ? "<stdout>" : path, std::move(target), "", fd, -1));
  }

  struct stat st;
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(StrCat(path, ": is a directory"));
  }
  if (exists && !S_ISREG(st.st_mode)) {
    // A device, FIFO or socket: never replaced, written through.
    int fd = S_ISSOCK(st.st_mode) ? ConnectSocket(target)
                                  : ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      return absl::UnavailableError(
          StrCat(path, ": cannot open it for writing: ", std::strerror(errno)));
    }
    return std::unique_ptr<AtomicFileSink>(
        new AtomicFileSink(std::move(path), std::move(target), "", fd, -1));
  }
  if (exists && !options.replace_read_only &&
      ((st.st_mode & 0222) == 0 || ::faccessat(AT_FDCWD, target.c_str(), W_OK, AT_EACCESS) != 0)) {
    return absl::PermissionDeniedError(
        StrCat(path, ": the file is read-only (mode ", OctalMode(st.st_mode), "); not replaced"));
  }

  std::string temp = StrCat(target, ".tmp-XXXXXX");
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    const int err = errno;
    return absl::UnavailableError(
        target == path
            ? StrCat(path, ": cannot create a temporary file beside it: ", std::strerror(err))
            : StrCat(path, ": cannot create a temporary file beside its target ", target, ": ",
                     std::strerror(err)));
  }
  const int slot = RegisterTemp(temp);
  if (exists) {
    // Owner and group first (a chown clears set-id bits), then the permission bits. The owner
    // can only be kept by a privileged process; the group whenever this process is in it.
    if (::fchown(fd, st.st_uid, st.st_gid) != 0)
      (void)::fchown(fd, static_cast<uid_t>(-1), st.st_gid);
    (void)::fchmod(fd, st.st_mode & 07777);
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    (void)::fchmod(fd, 0666 & ~mask);
  }
  return std::unique_ptr<AtomicFileSink>(
      new AtomicFileSink(std::move(path), std::move(target), std::move(temp), fd, slot));
}

AtomicFileSink::~AtomicFileSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  UnregisterTemp(slot_);
}

absl::Status AtomicFileSink::Write(std::string_view bytes) { return WriteAll(fd_, bytes, path_); }

absl::Status AtomicFileSink::Commit() {
  if (temp_.empty()) {
    committed_ = true;
    int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) {
      return absl::UnavailableError(StrCat(path_, ": close failed: ", std::strerror(errno)));
    }
    return absl::OkStatus();
  }
  if (::fsync(fd_) != 0) {
    return absl::UnavailableError(StrCat(path_, ": fsync failed: ", std::strerror(errno)));
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    return absl::UnavailableError(StrCat(path_, ": close failed: ", std::strerror(errno)));
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    return absl::UnavailableError(
        StrCat(path_, ": cannot replace it with the new file: ", std::strerror(errno)));
  }
  committed_ = true;
  UnregisterTemp(slot_);
  slot_ = -1;
  return absl::OkStatus();
}

}  // namespace promtool
