// Test-only helper for the differential test: parses each file as text 0.0.4 and prints what
// promtool would print, `LINE<TAB>compat_message` or `OK`, one NUL-terminated record per file.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace {

bool verbose = false;
size_t stream_chunk = 0;             // 0: map the file; otherwise stream it in chunks of this size
promtool::TextOptions text_options;  // --promtool=2|3 sets the profile

std::string Verdict(promtool::Source& source) {
  promtool::TextParser parser(source, text_options);
  for (;;) {
    promtool::Entry e = parser.Next();
    if (e == promtool::Entry::kEnd) return "OK";
    if (e == promtool::Entry::kError) {
      const promtool::Error& err = parser.Error();
      return std::to_string(err.line) + "\t" + err.compat_message + "\t" +
             std::to_string(err.column) + "\t" + std::string(promtool::ErrorCodeId(err.code)) +
             (verbose ? "\t" + err.message + "\t" + err.hint : "");
    }
  }
}

std::string Check(const std::string& path) {
  if (stream_chunk == 0) {
    auto source = promtool::OpenSource(path);
    if (!source.ok()) return "IOERROR\t" + std::string(source.status().message());
    return Verdict(**source);
  }
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return "IOERROR\tcannot open " + path;
  promtool::StreamOptions options;
  options.chunk_bytes = stream_chunk;
  auto source = promtool::FdSource(fd, path, options);
  std::string verdict = Verdict(*source);
  ::close(fd);
  return verdict;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose") {  // also print message and hint
      verbose = true;
      continue;
    }
    if (arg.starts_with("--promtool=")) {  // the compatibility profile
      if (!promtool::ParsePromtoolProfile(arg.substr(11), &text_options.profile)) {
        std::fprintf(stderr, "compat_dump: unknown profile %s\n", arg.c_str());
        return 2;
      }
      continue;
    }
    if (arg.starts_with("--stream=")) {  // read through a stream source with tiny chunks
      stream_chunk = std::strtoul(arg.c_str() + 9, nullptr, 10);
      continue;
    }
    std::string out = Check(argv[i]);
    std::fwrite(out.data(), 1, out.size() + 1, stdout);  // includes the NUL terminator
  }
  return 0;
}
