// Deterministic generator of kube-state-metrics-like Prometheus text 0.0.4 payloads for benchmarks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace promtool::bench {

struct PayloadOptions {
  // The payload stops at the first series boundary at or after this many bytes.
  uint64_t target_bytes = uint64_t{10} << 20;
  // Same seed and target, same bytes, on every platform and compiler.
  uint64_t seed = 1;
};

// What a generated payload holds.
struct PayloadStats {
  uint64_t bytes = 0;
  uint64_t families = 0;  // families with a HELP and TYPE line (names never repeat)
  uint64_t series = 0;
  uint64_t samples = 0;  // sample lines
};

// Appends a payload of about options.target_bytes bytes to *out.
PayloadStats AppendPayload(const PayloadOptions& options, std::string* out);

// The payload of `mib` MiB with seed 1, generated once per process and kept in memory (the
// benchmarks' shared input).
const std::string& CachedPayload(int64_t mib);

// Writes the payload to `out` in chunks (constant memory). Returns false on a write error.
bool WritePayload(const PayloadOptions& options, std::FILE* out, PayloadStats* stats = nullptr);

// Parses a size such as "1048576", "512K", "10M", "1G" (binary units: K = 1024). Returns false
// for anything else.
bool ParseByteSize(std::string_view text, uint64_t* bytes);

// Go's strconv.FormatFloat(v, 'g', -1, 64), as client_golang writes sample values: the shortest
// round-trip digits, in exponent form when the decimal exponent is < -4 or >= 6 ("1.5e+06").
void AppendGoFloat(double v, std::string* out);

}  // namespace promtool::bench
