// promtool-gen: writes a deterministic kube-state-metrics-like text payload of a given size/shape.
// shape.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "generator.h"

namespace {

int Usage(std::FILE* out, int rc) {
  std::fprintf(out,
               "usage: promtool-gen --bytes SIZE [--shape cycles|large] [--seed N] [--stats] > "
               "payload.prom\n"
               "  SIZE: bytes, or with a binary suffix: 512K, 10M, 100M, 1G\n"
               "  --shape cycles: many small families (default); large: kube-state-metrics' own\n"
               "    ~115 families, the largest (kube_pod_labels) 19%% of the bytes\n"
               "  --seed N: payload variant (default 1); same size and seed, same bytes\n"
               "  --stats: print families, series, samples and the largest family to stderr\n");
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  promtool::bench::PayloadOptions options;
  bool have_bytes = false;
  bool stats = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    auto take = [&](std::string_view flag) {
      if (arg == flag && i + 1 < argc) {
        value = argv[++i];
        return true;
      }
      if (arg.size() > flag.size() + 1 && arg.substr(0, flag.size()) == flag &&
          arg[flag.size()] == '=') {
        value = arg.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    if (arg == "-h" || arg == "--help") return Usage(stdout, 0);
    if (arg == "--stats") {
      stats = true;
    } else if (take("--bytes")) {
      if (!promtool::bench::ParseByteSize(value, &options.target_bytes)) {
        std::fprintf(stderr, "promtool-gen: invalid size %.*s\n", static_cast<int>(value.size()),
                     value.data());
        return 2;
      }
      have_bytes = true;
    } else if (take("--shape")) {
      if (!promtool::bench::ParsePayloadShape(value, &options.shape)) {
        std::fprintf(stderr, "promtool-gen: invalid shape %.*s (expected cycles or large)\n",
                     static_cast<int>(value.size()), value.data());
        return 2;
      }
    } else if (take("--seed")) {
      char* end = nullptr;
      std::string s(value);
      errno = 0;
      options.seed = std::strtoull(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno != 0) {
        std::fprintf(stderr, "promtool-gen: invalid seed %s\n", s.c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr, "promtool-gen: unknown argument %s\n", argv[i]);
      return Usage(stderr, 2);
    }
  }
  if (!have_bytes) return Usage(stderr, 2);
  promtool::bench::PayloadStats st;
  if (!promtool::bench::WritePayload(options, stdout, &st)) {
    std::fprintf(stderr, "promtool-gen: write error: %s\n", std::strerror(errno));
    return 1;
  }
  if (stats) {
    std::fprintf(
        stderr,
        "bytes=%llu families=%llu series=%llu samples=%llu largest=%s largest_bytes=%llu "
        "largest_series=%llu\n",
        static_cast<unsigned long long>(st.bytes), static_cast<unsigned long long>(st.families),
        static_cast<unsigned long long>(st.series), static_cast<unsigned long long>(st.samples),
        st.largest_family.c_str(), static_cast<unsigned long long>(st.largest_family_bytes),
        static_cast<unsigned long long>(st.largest_family_series));
  }
  return 0;
}
