// OpenInput() for files, stdin and pipes: the source, its size, and its format.
#include "promtool/input.h"

#include <sys/stat.h>

#include <cctype>

namespace promtool {

bool IsUrl(std::string_view name) {
  auto starts = [&](std::string_view prefix) {
    if (name.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(name[i])) != prefix[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

Input OpenInput(const std::string& name, const ReadOptions& options) {
  Input in;
  in.options = options;
  in.name = name == "-" ? "<stdin>" : name;
  if (IsUrl(name)) {
    in.url = true;
    in.error = Error::Unlocated(ErrorCode::kOption,
                                "URL inputs are opened by the operations layer (promtool/open.h)");
    return in;
  }
  StreamOptions stream = options.stream;
  stream.map_regular_files = options.map_files;
  stream.window_over_mapping = options.whole;  // the whole file in the window, not a copy
  auto source = OpenSource(name, stream);
  if (!source.ok()) {
    in.error = Error::Unlocated(ErrorCode::kIo, std::string(source.status().message()));
    return in;
  }
  struct stat st;
  if (name != "-" && stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode)) in.size = st.st_size;
  Source& s = **source;
  if (options.whole) {
    while (!s.at_eof()) {
      if (!s.Refill(s.window_offset())) break;
    }
    if (!s.error().empty()) {
      in.error = Error::Unlocated(s.error_code(), s.error());
      return in;
    }
  }
  // Detection reads a stream ahead (up to 1 MiB): opening never blocks on a stream, so a
  // stream's detection is left to the operation, when it starts reading. A mapped file is
  // judged whole (Source::Whole()).
  const bool whole = s.Whole().has_value() || (s.at_eof() && s.window_offset() == 0);
  in.format = options.format == InputFormat::kAuto && whole ? DetectFormat(s) : options.format;
  in.options.format = in.format;
  in.source = std::move(*source);
  return in;
}

}  // namespace promtool
