// Tests of the named-output mechanism (AtomicFileSink): what each kind of target gets, and the
// pending-temp-file and mapped-file registries the CLI's signal handlers use.
#include "promtool/output.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "promtool/source.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;

class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "output_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static void Put(const std::string& path, const std::string& bytes) {
    auto sink = AtomicFileSink::Create(path, FileOutputOptions{true});
    ASSERT_TRUE(sink.ok()) << sink.status();
    ASSERT_TRUE((*sink)->Write(bytes).ok());
    ASSERT_TRUE((*sink)->Commit().ok());
  }
  static std::string Get(const std::string& path) {
    auto data = ReadFile(path);
    if (!data.ok()) return "error: " + std::string(data.status().message());
    return *data;
  }
  // Names in the directory, sorted: shows leftover temporary files.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  static absl::Status WriteAndCommit(const std::string& path, const std::string& bytes,
                                     FileOutputOptions options = {}) {
    auto sink = AtomicFileSink::Create(path, options);
    if (!sink.ok()) return sink.status();
    if (absl::Status st = (*sink)->Write(bytes); !st.ok()) return st;
    return (*sink)->Commit();
  }

  fs::path dir_;
};

TEST_F(OutputTest, NewFileAppearsOnlyAtCommit) {
  auto sink = AtomicFileSink::Create(Path("out"));
  ASSERT_TRUE(sink.ok());
  EXPECT_TRUE((*sink)->atomic());
  ASSERT_TRUE((*sink)->Write("abc").ok());
  EXPECT_FALSE(fs::exists(Path("out")));
  ASSERT_TRUE((*sink)->Commit().ok());
  EXPECT_EQ(Get(Path("out")), "abc");
  EXPECT_EQ(Names(), std::vector<std::string>{"out"});
}

TEST_F(OutputTest, UncommittedSinkLeavesTargetAndNoTemporaryFile) {
  Put(Path("out"), "old");
  {
    auto sink = AtomicFileSink::Create(Path("out"));
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->Write("new").ok());
  }
  EXPECT_EQ(Get(Path("out")), "old");
  EXPECT_EQ(Names(), std::vector<std::string>{"out"});
}

TEST_F(OutputTest, SymlinkIsFollowedAndStaysALink) {
  Put(Path("real"), "old");
  fs::create_symlink("real", Path("link"));
  ASSERT_TRUE(WriteAndCommit(Path("link"), "new").ok());
  EXPECT_TRUE(fs::is_symlink(Path("link")));
  EXPECT_EQ(fs::read_symlink(Path("link")), "real");
  EXPECT_EQ(Get(Path("real")), "new");
  EXPECT_EQ(Names(), (std::vector<std::string>{"link", "real"}));
}

TEST_F(OutputTest, SymlinkChainAcrossDirectoriesIsFollowedToTheEnd) {
  fs::create_directory(dir_ / "sub");
  Put(Path("sub/real"), "old");
  fs::create_symlink("real", Path("sub/l1"));  // relative to sub/
  fs::create_symlink("sub/l1", Path("l2"));    // relative to dir_
  fs::create_symlink(Path("l2"), Path("l3"));  // absolute
  auto sink = AtomicFileSink::Create(Path("l3"));
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ((*sink)->target(), Path("sub/real"));
  ASSERT_TRUE((*sink)->Write("new").ok());
  ASSERT_TRUE((*sink)->Commit().ok());
  EXPECT_EQ(Get(Path("sub/real")), "new");
  EXPECT_TRUE(fs::is_symlink(Path("sub/l1")));
  EXPECT_TRUE(fs::is_symlink(Path("l2")));
  EXPECT_TRUE(fs::is_symlink(Path("l3")));
}

TEST_F(OutputTest, DanglingSymlinkCreatesItsTarget) {
  fs::create_symlink("new", Path("link"));
  ASSERT_TRUE(WriteAndCommit(Path("link"), "x").ok());
  EXPECT_TRUE(fs::is_symlink(Path("link")));
  EXPECT_EQ(Get(Path("new")), "x");
}

TEST_F(OutputTest, DanglingSymlinkIntoAMissingDirectoryNamesItsTarget) {
  fs::create_symlink(Path("missing/x"), Path("link"));
  auto sink = AtomicFileSink::Create(Path("link"));
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().message(), Path("link") +
                                         ": cannot create a temporary file beside its target " +
                                         Path("missing/x") + ": No such file or directory");
  EXPECT_TRUE(fs::is_symlink(Path("link")));
}

TEST_F(OutputTest, SymlinkLoopIsAnError) {
  fs::create_symlink("b", Path("a"));
  fs::create_symlink("a", Path("b"));
  auto sink = AtomicFileSink::Create(Path("a"));
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().message(), Path("a") + ": too many levels of symbolic links");
}

TEST_F(OutputTest, FifoIsWrittenThroughAndStaysAFifo) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = Get(Path("fifo")); });
  auto sink = AtomicFileSink::Create(Path("fifo"));  // waits for the reader to open it
  ASSERT_TRUE(sink.ok()) << sink.status();
  EXPECT_FALSE((*sink)->atomic());
  ASSERT_TRUE((*sink)->Write("through a fifo\n").ok());
  ASSERT_TRUE((*sink)->Commit().ok());
  reader.join();
  EXPECT_EQ(got, "through a fifo\n");
  struct stat st;
  ASSERT_EQ(::lstat(Path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(Names(), std::vector<std::string>{"fifo"});
}

TEST_F(OutputTest, DevNullIsWrittenThroughAndStaysADevice) {
  auto sink = AtomicFileSink::Create("/dev/null");
  ASSERT_TRUE(sink.ok()) << sink.status();
  EXPECT_FALSE((*sink)->atomic());
  ASSERT_TRUE((*sink)->Write("gone").ok());
  ASSERT_TRUE((*sink)->Commit().ok());
  struct stat st;
  ASSERT_EQ(::lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(OutputTest, DevFdPathWritesToThatDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  for (const std::string& path :
       {"/dev/fd/" + std::to_string(fds[1]), "/proc/self/fd/" + std::to_string(fds[1])}) {
    SCOPED_TRACE(path);
    auto sink = AtomicFileSink::Create(path);
    ASSERT_TRUE(sink.ok()) << sink.status();
    EXPECT_FALSE((*sink)->atomic());
    ASSERT_TRUE((*sink)->Write("p").ok());
    ASSERT_TRUE((*sink)->Commit().ok());
  }
  ::close(fds[1]);
  char buf[8];
  EXPECT_EQ(::read(fds[0], buf, sizeof buf), 2);
  EXPECT_EQ(std::string(buf, 2), "pp");
  ::close(fds[0]);
}

TEST_F(OutputTest, DashIsStdout) {
  auto sink = AtomicFileSink::Create("-");
  ASSERT_TRUE(sink.ok());
  EXPECT_FALSE((*sink)->atomic());
  EXPECT_EQ((*sink)->target(), "-");
}

TEST_F(OutputTest, ClosedDescriptorPathIsAnError) {
  auto sink = AtomicFileSink::Create("/dev/fd/999");
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().message(),
            "/dev/fd/999: file descriptor 999 is not open: Bad file descriptor");
}

TEST_F(OutputTest, DirectoryIsAnError) {
  auto sink = AtomicFileSink::Create(dir_.string());
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().message(), dir_.string() + ": is a directory");
}

TEST_F(OutputTest, ExistingPermissionBitsAreKept) {
  Put(Path("out"), "old");
  ASSERT_EQ(::chmod(Path("out").c_str(), 0640), 0);
  ASSERT_TRUE(WriteAndCommit(Path("out"), "new").ok());
  struct stat st;
  ASSERT_EQ(::stat(Path("out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(Get(Path("out")), "new");
}

TEST_F(OutputTest, ReadOnlyFileIsRefusedBeforeAnythingIsWritten) {
  Put(Path("ro"), "old");
  ASSERT_EQ(::chmod(Path("ro").c_str(), 0444), 0);
  auto sink = AtomicFileSink::Create(Path("ro"));
  ASSERT_FALSE(sink.ok());
  EXPECT_TRUE(absl::IsPermissionDenied(sink.status()));
  EXPECT_EQ(sink.status().message(),
            Path("ro") + ": the file is read-only (mode 0444); not replaced");
  EXPECT_EQ(Get(Path("ro")), "old");
  EXPECT_EQ(Names(), std::vector<std::string>{"ro"});
}

TEST_F(OutputTest, ReadOnlyFileIsReplacedWhenAskedAndStaysReadOnly) {
  Put(Path("ro"), "old");
  ASSERT_EQ(::chmod(Path("ro").c_str(), 0444), 0);
  ASSERT_TRUE(WriteAndCommit(Path("ro"), "new", FileOutputOptions{true}).ok());
  struct stat st;
  ASSERT_EQ(::stat(Path("ro").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0444u);
  EXPECT_EQ(Get(Path("ro")), "new");
}

TEST_F(OutputTest, OwnerAndGroupAreKept) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another owner";
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no user 'nobody'";
  Put(Path("out"), "old");
  ASSERT_EQ(::chown(Path("out").c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  ASSERT_TRUE(WriteAndCommit(Path("out"), "new").ok());
  struct stat st;
  ASSERT_EQ(::stat(Path("out").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, nobody->pw_uid);
  EXPECT_EQ(st.st_gid, nobody->pw_gid);
}

TEST_F(OutputTest, InputNamedAsOutputIsReadWhole) {
  Put(Path("f"), "a 1\nb 2\n");
  auto src = OpenSource(Path("f"));
  ASSERT_TRUE(src.ok());
  auto sink = AtomicFileSink::Create(Path("f"));
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write("replaced\n").ok());
  ASSERT_TRUE((*sink)->Commit().ok());
  EXPECT_EQ(*(*src)->Whole(), "a 1\nb 2\n");  // the mapping still shows the old file
  EXPECT_TRUE((*src)->Refill(0));             // and its descriptor reads it
  EXPECT_EQ((*src)->window(), "a 1\nb 2\n");
  EXPECT_EQ(Get(Path("f")), "replaced\n");
}

TEST_F(OutputTest, RemovePendingTempFilesRemovesOnlyUncommittedTemporaries) {
  Put(Path("done"), "old");
  Put(Path("pending"), "old");
  auto committed = AtomicFileSink::Create(Path("done"));
  ASSERT_TRUE(committed.ok());
  ASSERT_TRUE((*committed)->Commit().ok());
  auto pending = AtomicFileSink::Create(Path("pending"));
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE((*pending)->Write("half").ok());
  EXPECT_EQ(Names().size(), 3u);  // done, pending, pending.tmp-XXXXXX
  RemovePendingTempFiles();
  EXPECT_EQ(Names(), (std::vector<std::string>{"done", "pending"}));
  EXPECT_EQ(Get(Path("pending")), "old");
}

TEST_F(OutputTest, MappedFileAtNamesTheMappedInput) {
  Put(Path("in"), "a 1\n");
  auto src = OpenSource(Path("in"));
  ASSERT_TRUE(src.ok());
  const char* inside = (*src)->Whole()->data() + 2;
  ASSERT_NE(MappedFileAt(inside), nullptr);
  EXPECT_EQ(std::string(MappedFileAt(inside)), Path("in"));
  int local = 0;
  EXPECT_EQ(MappedFileAt(&local), nullptr);
  src->reset();
  EXPECT_EQ(MappedFileAt(inside), nullptr);
}

}  // namespace
}  // namespace promtool
