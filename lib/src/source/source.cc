// Memory, memory-mapped and chunked file-descriptor sources, and offset-to-line lookup.
#include "promtool/source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "common/huge_pages.h"
#include "common/strcat.h"

namespace promtool {

namespace {

size_t CountNewlines(const char* p, size_t n, const char** last) {
  size_t count = 0;
  const char* e = p + n;
  while (p < e) {
    const void* hit = std::memchr(p, '\n', static_cast<size_t>(e - p));
    if (hit == nullptr) break;
    ++count;
    *last = static_cast<const char*>(hit);
    p = *last + 1;
  }
  return count;
}

}  // namespace

LineCol Source::Locate(uint64_t offset) {
  uint64_t pos, line, line_start;
  if (cache_valid_ && cache_offset_ >= offset_ && cache_offset_ <= offset) {
    pos = cache_offset_;
    line = cache_line_;
    line_start = cache_line_start_;
  } else {
    pos = offset_;
    line = dropped_lines_ + 1;
    line_start = dropped_line_start_;
  }
  uint64_t limit = std::min<uint64_t>(offset, offset_ + size_);
  if (limit > pos) {
    const char* last = nullptr;
    line += CountNewlines(data_ + (pos - offset_), limit - pos, &last);
    if (last != nullptr) line_start = offset_ + static_cast<uint64_t>(last - data_) + 1;
  }
  cache_valid_ = true;
  cache_offset_ = limit;
  cache_line_ = line;
  cache_line_start_ = line_start;
  return LineCol{line, offset - line_start + 1};
}

std::string_view Source::LineAt(uint64_t offset) const {
  if (offset < offset_ || offset > offset_ + size_) return {};
  size_t rel = static_cast<size_t>(offset - offset_);
  size_t begin = rel;
  while (begin > 0 && data_[begin - 1] != '\n') --begin;
  size_t end = rel;
  while (end < size_ && data_[end] != '\n') ++end;
  return std::string_view(data_ + begin, end - begin);
}

void Source::AccountDropped(size_t n) {
  if (!count_lines_) {
    cache_valid_ = false;
    return;
  }
  const char* last = nullptr;
  dropped_lines_ += CountNewlines(data_, n, &last);
  if (last != nullptr) dropped_line_start_ = offset_ + static_cast<uint64_t>(last - data_) + 1;
  if (cache_valid_ && cache_offset_ < offset_ + n) cache_valid_ = false;
}

namespace {

class MemorySourceImpl final : public Source {
 public:
  MemorySourceImpl(std::string_view bytes, std::string name) : Source(std::move(name)) {
    data_ = bytes.data();
    size_ = bytes.size();
    eof_ = true;
  }
  bool Refill(uint64_t) override { return false; }
  std::optional<std::string_view> Whole() const override { return window(); }
};

class StringSourceImpl final : public Source {
 public:
  StringSourceImpl(std::string bytes, std::string name)
      : Source(std::move(name)), bytes_(std::move(bytes)) {
    data_ = bytes_.data();
    size_ = bytes_.size();
    eof_ = true;
  }
  bool Refill(uint64_t) override { return false; }
  std::optional<std::string_view> Whole() const override { return window(); }

 private:
  std::string bytes_;
};

// The live mappings, in fixed slots of plain bytes so that a SIGBUS handler can look an address
// up without locks or allocation. A slot is free (0), being filled (1) or live (2).
constexpr int kMapSlots = 64;
constexpr size_t kMapNameMax = 1024;
struct MapSlot {
  std::atomic<int> state{0};
  uintptr_t begin = 0;
  size_t size = 0;
  char name[kMapNameMax] = {};
};
// Constant-initialised (all zero, in .bss): no start-up code touches its pages.
constinit MapSlot g_map_slots[kMapSlots];

int RegisterMap(const void* map, size_t size, const std::string& name) {
  for (int i = 0; i < kMapSlots; ++i) {
    int expected = 0;
    if (g_map_slots[i].state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
      MapSlot& slot = g_map_slots[i];
      slot.begin = reinterpret_cast<uintptr_t>(map);
      slot.size = size;
      const size_t n = std::min(name.size(), kMapNameMax - 1);
      std::memcpy(slot.name, name.data(), n);
      slot.name[n] = '\0';
      slot.state.store(2, std::memory_order_release);
      return i;
    }
  }
  return -1;  // more mappings than slots: a SIGBUS in this one is reported without its name
}

// A memory-mapped regular file, shown as a stream's window moving over the mapping: the
// window grows by kMappedStep bytes per Refill (no copy: the bytes are the mapping's), and the
// pages before keep_from are handed back to the kernel (MADV_DONTNEED; they are the file's, so
// nothing is lost). Peak memory then follows what the consumer keeps (a family), not the file,
// and a family of any size fits (no window limit: nothing is copied).
class MappedSource final : public Source {
 public:
  static constexpr size_t kMappedStep = size_t{1} << 20;

  MappedSource(char* map, size_t len, std::string name)
      : Source(std::move(name)), map_(map), len_(len) {
    data_ = map_;
    size_ = std::min(len_, kMappedStep);
    eof_ = size_ == len_;
    slot_ = RegisterMap(map_, len_, name_);
  }
  ~MappedSource() override {
    if (slot_ >= 0) g_map_slots[slot_].state.store(0, std::memory_order_release);
    munmap(map_, len_);
  }
  bool Refill(uint64_t keep_from) override {
    if (eof_) return false;
    const uint64_t keep = std::clamp<uint64_t>(keep_from, offset_, offset_ + size_);
    if (const size_t drop = static_cast<size_t>(keep - offset_); drop > 0) {
      AccountDropped(drop);
      offset_ += drop;
      size_ -= drop;
      data_ = map_ + offset_;
      Release();
    }
    const size_t end = static_cast<size_t>(offset_) + size_;
    size_ += std::min(len_ - end, kMappedStep);
    eof_ = static_cast<size_t>(offset_) + size_ == len_;
    return true;
  }
  std::optional<std::string_view> Whole() const override { return std::string_view(map_, len_); }
  void Evict() override {
    // Everything but the window: its pages before it, and the ones after it that Whole()'s
    // reader touched.
    const size_t begin = PageFloor(static_cast<size_t>(offset_));
    const size_t end = PageFloor(static_cast<size_t>(offset_) + size_ + Page() - 1);
    if (begin > 0) madvise(map_, begin, MADV_DONTNEED);
    if (end < len_) madvise(map_ + end, len_ - end, MADV_DONTNEED);
  }

 private:
  static size_t Page() {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return page;
  }
  static size_t PageFloor(size_t at) { return at / Page() * Page(); }

  // Hands back the whole pages before the window (in steps, not page by page).
  void Release() {
    const size_t upto = PageFloor(static_cast<size_t>(offset_));
    if (upto < released_ + kMappedStep) return;
    madvise(map_ + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }

  char* map_;
  size_t len_;
  size_t released_ = 0;  // [0, released_) was handed back
  int slot_ = -1;
};

// A moving window over a byte stream; subclasses say how to read more bytes.
class StreamSource : public Source {
 public:
  StreamSource(std::string name, StreamOptions options)
      : Source(std::move(name)), options_(options) {
    capacity_ = std::max<size_t>(options_.chunk_bytes * 2, 64);
    buffer_ = Buffer(alloc_.allocate(capacity_), Free{capacity_});
    data_ = buffer_.get();
  }

  bool Refill(uint64_t keep_from) override {
    if (eof_ || !error_.empty()) return false;
    uint64_t keep = std::clamp<uint64_t>(keep_from, offset_, offset_ + size_);
    size_t drop = static_cast<size_t>(keep - offset_);
    if (drop > 0) {
      AccountDropped(drop);
      std::memmove(buffer_.get(), buffer_.get() + drop, size_ - drop);
      size_ -= drop;
      offset_ += drop;
    }
    if (capacity_ - size_ < options_.chunk_bytes) {
      if (size_ >= options_.max_window_bytes) {
        SetError(ErrorCode::kLimit,
                 StrCat("more than ", options_.max_window_bytes,
                        " bytes would have to be held at once: one line or family is "
                        "larger than the stream window (split the family, or pass the "
                        "input as a regular file, which is memory-mapped with no window limit)"));
        return false;
      }
      size_t grown = std::min(std::max(capacity_ * 2, size_ + options_.chunk_bytes),
                              std::max(options_.max_window_bytes, size_ + 1));
      // Windows of 2 MiB or more (a large family held whole) are huge-page backed: growing one
      // to tens of MiB faults once per 2 MiB, not once per 4 KiB.
      Buffer bigger(alloc_.allocate(grown), Free{grown});
      std::memcpy(bigger.get(), buffer_.get(), size_);
      buffer_ = std::move(bigger);
      capacity_ = grown;
    }
    data_ = buffer_.get();
    ssize_t n = ReadSome(buffer_.get() + size_, std::min(capacity_ - size_, options_.chunk_bytes));
    if (n < 0) return false;
    if (n == 0) {
      eof_ = true;
      return false;
    }
    size_ += static_cast<size_t>(n);
    return true;
  }

 protected:
  // Reads up to `n` bytes; 0 at the end, -1 on error (with error_ set).
  virtual ssize_t ReadSome(char* dst, size_t n) = 0;
  StreamOptions options_;

 private:
  struct Free {
    size_t n;
    void operator()(char* p) const { HugePageAllocator<char>().deallocate(p, n); }
  };
  using Buffer = std::unique_ptr<char, Free>;
  HugePageAllocator<char> alloc_;
  Buffer buffer_;
  size_t capacity_ = 0;
};

class FdSourceImpl final : public StreamSource {
 public:
  FdSourceImpl(int fd, bool owns, std::string name, StreamOptions options)
      : StreamSource(std::move(name), options), fd_(fd), owns_(owns) {}
  ~FdSourceImpl() override {
    if (owns_) close(fd_);
  }

 protected:
  ssize_t ReadSome(char* dst, size_t n) override {
    for (;;) {
      ssize_t got = read(fd_, dst, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) SetError(ErrorCode::kIo, StrCat("read ", name_, ": ", std::strerror(errno)));
      return got;
    }
  }

 private:
  int fd_;
  bool owns_;
};

// A regular file: mapped (Whole(), Slice(); the SIGBUS handler names it) and read into the
// stream window with pread(), chunk by chunk, with no window limit. Slices share the descriptor
// and the mapping of the source they were cut from (pread() has no file position to share).
class ReadFileImpl final : public StreamSource {
 public:
  ReadFileImpl(int fd, char* map, size_t len, uint64_t base, std::string name,
               StreamOptions options, bool owner)
      : StreamSource(std::move(name), options),
        fd_(fd),
        map_(map),
        len_(len),
        base_(base),
        owner_(owner) {
    if (owner_) slot_ = RegisterMap(map_, len_, name_);
  }
  ~ReadFileImpl() override {
    if (!owner_) return;
    if (slot_ >= 0) g_map_slots[slot_].state.store(0, std::memory_order_release);
    munmap(map_, len_);
    close(fd_);
  }
  std::optional<std::string_view> Whole() const override { return std::string_view(map_, len_); }
  void Evict() override {
    // The window is not in the mapping: every page Whole()'s reader touched goes.
    if (owner_) madvise(map_, len_, MADV_DONTNEED);
  }
  std::optional<size_t> CopyOut(uint64_t offset, char* dst, size_t n) const override {
    if (offset >= len_) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, len_ - offset));
    for (;;) {
      const ssize_t got = pread(fd_, dst, n, static_cast<off_t>(base_ + offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return std::nullopt;  // the caller reads the mapping instead
      return static_cast<size_t>(got);
    }
  }
  std::unique_ptr<Source> Slice(uint64_t begin, uint64_t end, std::string name) const override {
    end = std::min<uint64_t>(end, len_);
    begin = std::min(begin, end);
    return std::make_unique<ReadFileImpl>(fd_, map_ + begin, static_cast<size_t>(end - begin),
                                          base_ + begin, std::move(name), options_,
                                          /*owner=*/false);
  }

 protected:
  ssize_t ReadSome(char* dst, size_t n) override {
    n = std::min<size_t>(n, len_ - next_);
    if (n == 0) return 0;
    for (;;) {
      const ssize_t got = pread(fd_, dst, n, static_cast<off_t>(base_ + next_));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        SetError(ErrorCode::kIo, StrCat("read ", name_, ": ", std::strerror(errno)));
        return -1;
      }
      if (got == 0) {  // the file is shorter than when it was opened
        SetError(ErrorCode::kIo,
                 StrCat("input file changed size while being read (it was truncated: ",
                        base_ + len_, " bytes when opened, ", base_ + next_, " read)"));
        return -1;
      }
      next_ += static_cast<size_t>(got);
      return got;
    }
  }

 private:
  int fd_;
  char* map_;
  size_t len_;
  uint64_t base_;  // of map_ in the file
  bool owner_;
  size_t next_ = 0;  // bytes of [0, len_) read into the window so far
  int slot_ = -1;
};

class ChunkedMemoryImpl final : public StreamSource {
 public:
  ChunkedMemoryImpl(std::string_view bytes, std::string name, StreamOptions options)
      : StreamSource(std::move(name), options), bytes_(bytes) {}

 protected:
  ssize_t ReadSome(char* dst, size_t n) override {
    n = std::min(n, bytes_.size() - next_);
    std::memcpy(dst, bytes_.data() + next_, n);
    next_ += n;
    return static_cast<ssize_t>(n);
  }

 private:
  std::string_view bytes_;
  size_t next_ = 0;
};

}  // namespace

const char* MappedFileAt(const void* addr) noexcept {
  const auto a = reinterpret_cast<uintptr_t>(addr);
  for (const MapSlot& slot : g_map_slots) {
    if (slot.state.load(std::memory_order_acquire) != 2) continue;
    if (a >= slot.begin && a - slot.begin < slot.size) return slot.name;
  }
  return nullptr;
}

std::unique_ptr<Source> Source::Slice(uint64_t begin, uint64_t end, std::string name) const {
  const std::optional<std::string_view> whole = Whole();
  if (!whole) return nullptr;
  end = std::min<uint64_t>(end, whole->size());
  begin = std::min(begin, end);
  return MemorySource(whole->substr(begin, end - begin), std::move(name));
}

std::unique_ptr<Source> MemorySource(std::string_view bytes, std::string name) {
  return std::make_unique<MemorySourceImpl>(bytes, std::move(name));
}

std::unique_ptr<Source> StringSource(std::string bytes, std::string name) {
  return std::make_unique<StringSourceImpl>(std::move(bytes), std::move(name));
}

std::unique_ptr<Source> ChunkedMemorySource(std::string_view bytes, std::string name,
                                            StreamOptions options) {
  return std::make_unique<ChunkedMemoryImpl>(bytes, std::move(name), options);
}

std::unique_ptr<Source> FdSource(int fd, std::string name, StreamOptions options) {
  return std::make_unique<FdSourceImpl>(fd, false, std::move(name), options);
}

absl::StatusOr<std::unique_ptr<Source>> OpenSource(const std::string& path, StreamOptions options) {
  if (path == "-") return FdSource(STDIN_FILENO, "<stdin>", options);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = StrCat("open ", path, ": ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::PermissionDeniedError(msg);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string msg = StrCat("stat ", path, ": ", std::strerror(errno));
    close(fd);
    return absl::InternalError(msg);
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(StrCat(path, " is a directory"));
  }
  if (S_ISREG(st.st_mode) && options.map_regular_files) {
    if (st.st_size == 0) {
      close(fd);
      return StringSource(std::string(), path);
    }
    void* map = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      const int err = errno;
      close(fd);
      return absl::InternalError(StrCat("mmap ", path, ": ", std::strerror(err)));
    }
    if (options.window_over_mapping) {
      close(fd);
      madvise(map, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
      return std::unique_ptr<Source>(std::make_unique<MappedSource>(
          static_cast<char*>(map), static_cast<size_t>(st.st_size), path));
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    StreamOptions file = options;
    file.max_window_bytes = SIZE_MAX;  // a file's family may be as large as the file
    return std::unique_ptr<Source>(std::make_unique<ReadFileImpl>(
        fd, static_cast<char*>(map), static_cast<size_t>(st.st_size), 0, path, file,
        /*owner=*/true));
  }
  return std::unique_ptr<Source>(std::make_unique<FdSourceImpl>(fd, true, path, options));
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

absl::StatusOr<std::string> ReadFileAtMost(const std::string& path, size_t bound) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::FailedPreconditionError(StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  std::string data(bound + 1, '\0');
  size_t n = 0;
  while (n < data.size()) {
    ssize_t got = ::read(fd, data.data() + n, data.size() - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int err = errno;
      ::close(fd);
      return absl::FailedPreconditionError(StrCat("cannot read ", path, ": ", std::strerror(err)));
    }
    if (got == 0) break;
    n += static_cast<size_t>(got);
  }
  ::close(fd);
  if (n > bound) {
    const std::string size =
        bound % (size_t{1} << 20) == 0 ? StrCat(bound >> 20, " MiB") : StrCat(bound >> 10, " KiB");
    return absl::FailedPreconditionError(
        StrCat(path, " is larger than ", size, ", the most read from it"));
  }
  data.resize(n);
  return data;
}

}  // namespace promtool
