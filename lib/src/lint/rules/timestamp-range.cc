// timestamp-range: an explicit sample timestamp far in the future or the past is rejected or
// dropped by Prometheus ("out of bounds", "too far in the future").
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "lint/rule.h"

namespace promtool::lint {
namespace {

// "2024-05-01T12:00:00Z" for milliseconds since the epoch.
std::string Rfc3339(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// "10m", "24h", "90s": the largest whole unit.
std::string Duration(int64_t ms) {
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

class TimestampRange final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Configure(const LintOptions& options) override {
    now_ = options.now_ms != 0 ? options.now_ms
                               : std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
    future_ = options.max_future_ms;
    past_ = options.max_past_ms;
  }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    for (const Series& s : family.series) {
      if (!s.has_timestamp) continue;
      const int64_t ts = s.timestamp_ms;
      const std::string when = "timestamp " + std::to_string(ts) + " (" + Rfc3339(ts) + ")";
      if (ts > now_ && ts - now_ > future_) {
        sink.Report(kInfo, family.name, s.offset,
                    when + " is more than " + Duration(future_) + " in the future");
      } else if (ts < now_ && now_ - ts > past_) {
        sink.Report(kInfo, family.name, s.offset,
                    when + " is more than " + Duration(past_) + " in the past");
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"timestamp-range",
                                  "a sample timestamp lies far in the future or the past",
                                  Severity::kWarning, false};
  int64_t now_ = 0, future_ = 0, past_ = 0;
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampRange() { return std::make_unique<TimestampRange>(); }

}  // namespace promtool::lint
