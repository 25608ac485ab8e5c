// label-cardinality: a label with too many distinct values in one family (an unbounded label
// such as a user id or a URL path) multiplies series without limit.
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class LabelCardinality final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Configure(const LintOptions& options) override { max_ = options.max_label_values; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    for (const Series& s : family.series) {
      for (const Label& l : s.labels) {
        key_.assign(family.name);
        key_ += '\xff';  // cannot occur in a name
        key_.append(l.name);
        LabelState& state = labels_[key_];
        if (state.reported) continue;
        state.values.insert(absl::HashOf(l.value));
        if (state.values.size() > max_) {
          state.reported = true;
          state.values = {};  // no longer needed
          sink.Report(kInfo, family.name, s.offset,
                      "label \"" + std::string(l.name) + "\" has more than " +
                          std::to_string(max_) + " distinct values");
        }
      }
    }
  }
  void Reset() override { labels_.clear(); }

 private:
  static constexpr RuleInfo kInfo{"label-cardinality",
                                  "a label has more distinct values in one family than "
                                  "--max-label-values",
                                  Severity::kWarning, false};
  struct LabelState {
    absl::flat_hash_set<size_t> values;  // hashes of the values seen, up to max_ + 1
    bool reported = false;
  };
  uint64_t max_ = 1000;
  std::string key_;  // scratch: family name, 0xff, label name
  absl::flat_hash_map<std::string, LabelState> labels_;
};

}  // namespace

std::unique_ptr<Rule> MakeLabelCardinality() { return std::make_unique<LabelCardinality>(); }

}  // namespace promtool::lint
