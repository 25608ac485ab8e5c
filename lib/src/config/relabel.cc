// The relabeling engine: Prometheus' model/relabel semantics (validation, the eleven actions,
// Go's template expansion, hashmod's MD5 arithmetic) over sorted label sets.
#include "promtool/relabel.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <span>
#include <type_traits>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "common/chars.h"
#include "common/md5.h"
#include "common/strcat.h"
#include "config/utf8.h"
#include "promtool/escape.h"

namespace promtool {
namespace {

constexpr std::string_view kDefaultRegex = "(.*)";
constexpr std::string_view kDefaultReplacement = "$1";
constexpr std::string_view kDefaultSeparator = ";";

using chars::IsLegacyLabelName;

bool IsValidLabelName(std::string_view s, LabelNameValidation v) {
  if (v == LabelNameValidation::kLegacy) return IsLegacyLabelName(s);
  return !s.empty() && ValidUtf8(s);
}

// Prometheus' relabelTargetLegacy: a legacy name in which $var and ${var} may appear.
const RE2& LegacyTargetTemplate() {
  static const RE2* re = new RE2(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return *re;
}

bool IsValidNameTemplate(std::string_view s, LabelNameValidation v) {
  if (v == LabelNameValidation::kUtf8) return IsValidLabelName(s, v);
  return RE2::PartialMatch(s, LegacyTargetTemplate());
}

bool HasVar(std::string_view s) { return s.find('$') != std::string_view::npos; }

// The incremental label set of Prometheus' labels.Builder: the original set, the labels set
// since (in the order they were first set) and the names deleted since. The order matters:
// Range() visits base labels first, then added ones, which decides labelmap collisions.
class Builder {
 public:
  explicit Builder(LabelSet base) : base_(std::move(base)) {}

  std::string_view Get(std::string_view n) const {
    for (const auto& a : add_) {
      if (a.first == n) return a.second;
    }
    if (std::find(del_.begin(), del_.end(), n) != del_.end()) return {};
    auto it = std::lower_bound(base_.begin(), base_.end(), n,
                               [](const auto& l, std::string_view k) { return l.first < k; });
    if (it != base_.end() && it->first == n) return it->second;
    return {};
  }

  void Set(std::string_view n, std::string_view v) {
    if (v.empty()) return Del(n);
    for (auto& a : add_) {
      if (a.first == n) {
        a.second.assign(v);
        return;
      }
    }
    add_.emplace_back(std::string(n), std::string(v));
  }

  void Del(std::string_view n) {
    std::erase_if(add_, [&](const auto& a) { return a.first == n; });
    del_.emplace_back(n);
  }

  // A snapshot of the current labels in Range() order.
  LabelSet Snapshot() const {
    LabelSet out;
    out.reserve(base_.size() + add_.size());
    for (const auto& l : base_) {
      if (Deleted(l.first) || Added(l.first)) continue;
      out.push_back(l);
    }
    for (const auto& a : add_) out.push_back(a);
    return out;
  }

  // Calls f with each current label name, in Range() order, without copying.
  template <typename F>
  void ForEachName(F f) const {
    for (const auto& l : base_) {
      if (!Deleted(l.first) && !Added(l.first)) f(l.first);
    }
    for (const auto& a : add_) f(a.first);
  }

  // The final sorted set; consumes the builder. Moves strings, never copies them.
  LabelSet Labels() && {
    if (add_.empty() && del_.empty()) return std::move(base_);
    std::erase_if(base_, [&](const auto& l) { return Deleted(l.first) || Added(l.first); });
    for (auto& a : add_) {
      auto it = std::lower_bound(base_.begin(), base_.end(), a.first,
                                 [](const auto& l, const std::string& k) { return l.first < k; });
      base_.insert(it, std::move(a));
    }
    return std::move(base_);
  }

 private:
  bool Deleted(std::string_view n) const {
    return std::find(del_.begin(), del_.end(), n) != del_.end();
  }
  bool Added(std::string_view n) const {
    for (const auto& a : add_) {
      if (a.first == n) return true;
    }
    return false;
  }

  LabelSet base_;
  LabelSet add_;
  std::vector<std::string> del_;
};

}  // namespace

// Storage for the names and values that the rules create during ApplyViews: strings reused
// from one Reset() to the next, so that a warm scratch allocates nothing.
class RelabelScratch::Store {
 public:
  std::string_view Keep(std::string_view v) {
    if (v.empty()) return {};
    if (used_ == strings_.size()) strings_.emplace_back();
    std::string& s = strings_[used_++];
    s.assign(v);
    return s;
  }
  void Reset() { used_ = 0; }

 private:
  std::deque<std::string> strings_;  // a deque: growing it never moves a kept string
  size_t used_ = 0;
};

namespace {

// What a rule concluded from one input (the joined value, or a label name for labelmap,
// labeldrop, labelkeep): whether it matched, and the strings it computed (replace: the expanded
// target in `a`, "" when invalid, and the replacement in `b`; labelmap: the new name in `a`;
// hashmod, lowercase, uppercase: the value in `b`).
struct Memo {
  bool hit = false;
  std::string a, b;
};
// A rule's memos, keyed by input. Bounded: cleared when it reaches kMaxMemos entries; inputs
// longer than kMaxMemoKey bytes are not remembered.
using MemoMap = absl::flat_hash_map<std::string, Memo>;
constexpr size_t kMaxMemos = 4096;
constexpr size_t kMaxMemoKey = 256;

// Builder's twin over views (RelabelRules::ApplyViews), with the same results and the same
// Range() order: the base labels that are neither deleted nor set since, then the labels set
// since, in the order they were first set. One array holds both parts, a base label being
// hidden once it is deleted or set, so a lookup is one scan. The names and values the rules
// create are copied into `store` (valid until its Reset()).
class ViewBuilder {
 public:
  ViewBuilder(std::span<const LabelRef> base, RelabelScratch::Store& store) : store_(store) {
    for (const LabelRef& l : base) entries_.push_back(Entry{l, false});
    n_base_ = entries_.size();
  }

  std::string_view Get(std::string_view n) const {
    for (size_t i = n_base_; i < entries_.size(); ++i) {
      if (entries_[i].label.name == n) return entries_[i].label.value;
    }
    for (size_t i = 0; i < n_base_; ++i) {
      if (entries_[i].label.name == n)
        return entries_[i].hidden ? std::string_view() : entries_[i].label.value;
    }
    return {};
  }

  void Set(std::string_view n, std::string_view v) {
    if (v.empty()) return Del(n);
    for (size_t i = n_base_; i < entries_.size(); ++i) {
      if (entries_[i].label.name == n) {
        entries_[i].label.value = store_.Keep(v);
        return;
      }
    }
    Hide(n);
    entries_.push_back(Entry{LabelRef{store_.Keep(n), store_.Keep(v)}, false});
  }

  void Del(std::string_view n) {
    for (size_t i = n_base_; i < entries_.size(); ++i) {
      if (entries_[i].label.name == n) {
        entries_.erase(entries_.begin() + static_cast<ptrdiff_t>(i));
        break;
      }
    }
    Hide(n);
  }

  // The current labels in Range() order (as Builder::Snapshot), into *out.
  void Snapshot(std::vector<LabelRef>* out) const {
    out->clear();
    for (const Entry& e : entries_) {
      if (!e.hidden) out->push_back(e.label);
    }
  }

  template <typename F>
  void ForEachName(F f) const {
    for (const Entry& e : entries_) {
      if (!e.hidden) f(e.label.name);
    }
  }

  // The final sorted set, into *out.
  void Labels(std::vector<LabelRef>* out) const {
    out->clear();
    for (size_t i = 0; i < n_base_; ++i) {
      if (!entries_[i].hidden) out->push_back(entries_[i].label);
    }
    for (size_t i = n_base_; i < entries_.size(); ++i) {
      const LabelRef& a = entries_[i].label;
      auto it = std::lower_bound(out->begin(), out->end(), a.name,
                                 [](const LabelRef& l, std::string_view k) { return l.name < k; });
      out->insert(it, a);
    }
  }

 private:
  struct Entry {
    LabelRef label;
    bool hidden = false;  // a base label deleted or set since
  };

  void Hide(std::string_view n) {
    for (size_t i = 0; i < n_base_; ++i) {
      if (entries_[i].label.name == n) {
        entries_[i].hidden = true;
        return;
      }
    }
  }

  RelabelScratch::Store& store_;
  absl::InlinedVector<Entry, 16> entries_;  // [0, n_base_): the base labels; then the set ones
  size_t n_base_ = 0;
};

// Go's extract(): the group reference after a '$'. Returns false when malformed.
bool ExtractRef(std::string_view s, std::string_view* name, int* num, size_t* consumed) {
  if (s.empty()) return false;
  size_t start = 0;
  const bool brace = s[0] == '{';
  if (brace) start = 1;
  size_t i = start;
  while (i < s.size()) {
    size_t size = 0;
    const char32_t r = relabel_internal::DecodeRune(s.substr(i), &size);
    if (!relabel_internal::IsLetterOrDigit(r) && r != '_') break;
    i += size;
  }
  if (i == start) return false;
  *name = s.substr(start, i - start);
  if (brace) {
    if (i >= s.size() || s[i] != '}') return false;
    ++i;
  }
  int n = 0;
  for (char c : *name) {
    if (c < '0' || c > '9' || n >= 100000000) {
      n = -1;
      break;
    }
    n = n * 10 + (c - '0');
  }
  if ((*name)[0] == '0' && name->size() > 1) n = -1;
  *num = n;
  *consumed = i;
  return true;
}

}  // namespace

std::string ExpandTemplate(std::string_view tmpl, std::string_view input,
                           const std::vector<std::pair<int, int>>& groups,
                           const std::vector<std::string>& names) {
  std::string out;
  auto append_group = [&](size_t g) {
    if (g < groups.size() && groups[g].first >= 0) {
      out.append(input.substr(groups[g].first, groups[g].second - groups[g].first));
    }
  };
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view name;
    int num = -1;
    size_t consumed = 0;
    if (!ExtractRef(tmpl, &name, &num, &consumed)) {
      out.push_back('$');  // malformed: the '$' is literal text
      continue;
    }
    tmpl.remove_prefix(consumed);
    if (num >= 0) {
      append_group(static_cast<size_t>(num));
    } else {
      for (size_t g = 0; g < names.size(); ++g) {
        if (names[g] == name) {
          append_group(g);
          break;
        }
      }
    }
  }
  out.append(tmpl);
  return out;
}

std::string_view RelabelActionName(RelabelAction action) {
  switch (action) {
    case RelabelAction::kReplace:
      return "replace";
    case RelabelAction::kKeep:
      return "keep";
    case RelabelAction::kDrop:
      return "drop";
    case RelabelAction::kKeepEqual:
      return "keepequal";
    case RelabelAction::kDropEqual:
      return "dropequal";
    case RelabelAction::kHashMod:
      return "hashmod";
    case RelabelAction::kLabelMap:
      return "labelmap";
    case RelabelAction::kLabelDrop:
      return "labeldrop";
    case RelabelAction::kLabelKeep:
      return "labelkeep";
    case RelabelAction::kLowercase:
      return "lowercase";
    case RelabelAction::kUppercase:
      return "uppercase";
  }
  return "replace";
}

std::optional<RelabelAction> ParseRelabelAction(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (int a = 0; a <= static_cast<int>(RelabelAction::kUppercase); ++a) {
    if (RelabelActionName(static_cast<RelabelAction>(a)) == lower) {
      return static_cast<RelabelAction>(a);
    }
  }
  return std::nullopt;
}

struct RelabelRules::Impl {
  struct Rule {
    RelabelConfig config;
    std::unique_ptr<RE2> re;
    std::vector<std::string> group_names;  // by group index; [0] is ""
    bool default_regex = false;            // regex not written: Prometheus' fast path
    // The regex is a plain name (letters, digits, '_', ':', '-' only): its anchored match is
    // string equality, tested without RE2 (labeldrop of `token`, keep of shard "1").
    bool literal = false;

    bool Matches(std::string_view s) const {
      return literal ? s == config.regex : RE2::PartialMatch(s, *re);
    }
  };
  std::vector<Rule> rules;
  LabelNameValidation validation = LabelNameValidation::kUtf8;

  // Applies one rule; false when it drops the set. `matched` (when not null) receives whether
  // the rule's condition held (see RelabelStep). With `memos`, a result already computed for
  // the same input is reused (a rule's outcome depends only on its input).
  template <typename B>
  bool ApplyOne(const Rule& rule, B& lb, bool* matched, MemoMap* memos = nullptr) const;
};

struct RelabelScratch::Impl {
  Store store;
  const void* rules = nullptr;  // the RelabelRules::Impl whose memos these are
  std::vector<MemoMap> memos;   // by rule
  std::vector<LabelRef> snapshot;
  std::vector<std::string> doomed;
};

RelabelScratch::RelabelScratch() : impl_(std::make_unique<Impl>()) {}
RelabelScratch::~RelabelScratch() = default;
void RelabelScratch::Reset() { impl_->store.Reset(); }

// Prometheus' Config.Validate, in its order and wording.
absl::Status ValidateRelabelConfig(const RelabelConfig& c, LabelNameValidation v) {
  using A = RelabelAction;
  const A a = c.action;
  const std::string act(RelabelActionName(a));
  if (a == A::kHashMod && c.modulus == 0) {
    return absl::InvalidArgumentError(
        "relabel configuration for hashmod requires non-zero modulus");
  }
  const bool needs_target = a == A::kReplace || a == A::kHashMod || a == A::kLowercase ||
                            a == A::kUppercase || a == A::kKeepEqual || a == A::kDropEqual;
  if (needs_target && c.target_label.empty()) {
    return absl::InvalidArgumentError(
        StrCat("relabel configuration for ", act, " action requires 'target_label' value"));
  }
  auto bad_target = [&] {
    return absl::InvalidArgumentError(
        StrCat("\"", c.target_label, "\" is invalid 'target_label' for ", act, " action"));
  };
  if (a == A::kReplace && !HasVar(c.target_label) && !IsValidLabelName(c.target_label, v)) {
    return bad_target();
  }
  if (a == A::kReplace && HasVar(c.target_label) && !IsValidNameTemplate(c.target_label, v)) {
    return bad_target();
  }
  const bool case_or_equal =
      a == A::kLowercase || a == A::kUppercase || a == A::kKeepEqual || a == A::kDropEqual;
  if (case_or_equal && !IsValidLabelName(c.target_label, v)) return bad_target();
  if (case_or_equal && c.replacement != kDefaultReplacement) {
    return absl::InvalidArgumentError(StrCat("'replacement' can not be set for ", act, " action"));
  }
  if (a == A::kLabelMap && !IsValidNameTemplate(c.replacement, v)) {
    return absl::InvalidArgumentError(
        StrCat("\"", c.replacement, "\" is invalid 'replacement' for ", act, " action"));
  }
  if (a == A::kHashMod && !IsValidLabelName(c.target_label, v)) return bad_target();
  if (a == A::kDropEqual || a == A::kKeepEqual) {
    if (c.regex_set || c.modulus != 0 || c.separator != kDefaultSeparator ||
        c.replacement != kDefaultReplacement) {
      return absl::InvalidArgumentError(StrCat(
          act, " action requires only 'source_labels' and `target_label`, and no other fields"));
    }
  }
  if (a == A::kLabelDrop || a == A::kLabelKeep) {
    if (c.source_labels_set || !c.target_label.empty() || c.modulus != 0 ||
        c.separator != kDefaultSeparator || c.replacement != kDefaultReplacement) {
      return absl::InvalidArgumentError(
          StrCat(act, " action requires only 'regex', and no other fields"));
    }
  }
  return absl::OkStatus();
}

namespace {

std::string RuleWhere(size_t index, const RelabelConfig& c) {
  if (c.line > 0) return StrCat("relabel rule ", index + 1, " (line ", c.line, ")");
  return StrCat("relabel rule ", index + 1);
}

std::string Md5Mod(std::string_view val, uint64_t modulus) {
  // Prometheus: binary.BigEndian.Uint64 of the digest's last 8 bytes, modulo the modulus.
  const std::array<uint8_t, 16> digest = Md5(val);
  uint64_t v = 0;
  for (int i = 8; i < 16; ++i) v = (v << 8) | digest[i];
  return std::to_string(v % modulus);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RE2>> relabel_internal::CompileRelabelRegex(std::string_view regex) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<RE2>(StrCat("^(?s:", regex, ")$"), opts);
  if (!re->ok()) {
    // RE2's message quotes the failing fragment; quote it from the regex as written when the
    // regex alone fails too, not from the anchored form.
    RE2 alone(regex, opts);
    const std::string& why = alone.ok() ? re->error() : alone.error();
    return absl::InvalidArgumentError(StrCat("invalid regex \"", regex, "\": ", why));
  }
  return re;
}

absl::StatusOr<RelabelRules> RelabelRules::Compile(std::vector<RelabelConfig> configs,
                                                   LabelNameValidation validation) {
  auto impl = std::make_unique<Impl>();
  impl->validation = validation;
  impl->rules.reserve(configs.size());
  for (size_t i = 0; i < configs.size(); ++i) {
    RelabelConfig& c = configs[i];
    if (absl::Status st = ValidateRelabelConfig(c, validation); !st.ok()) {
      return absl::InvalidArgumentError(StrCat(RuleWhere(i, c), ": ", std::string(st.message())));
    }
    auto re = relabel_internal::CompileRelabelRegex(c.regex);
    if (!re.ok()) {
      return absl::InvalidArgumentError(
          StrCat(RuleWhere(i, c), ": ", std::string(re.status().message())));
    }
    Impl::Rule rule;
    rule.re = std::move(*re);
    rule.group_names.assign(static_cast<size_t>(rule.re->NumberOfCapturingGroups()) + 1, "");
    for (const auto& [name, index] : rule.re->NamedCapturingGroups()) {
      rule.group_names[static_cast<size_t>(index)] = name;
    }
    rule.default_regex = !c.regex_set && c.regex == kDefaultRegex;
    rule.literal = std::all_of(c.regex.begin(), c.regex.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == ':' || ch == '-';
    });
    rule.config = std::move(c);
    impl->rules.push_back(std::move(rule));
  }
  return RelabelRules(std::move(impl));
}

RelabelRules::RelabelRules(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RelabelRules::RelabelRules(RelabelRules&&) noexcept = default;
RelabelRules& RelabelRules::operator=(RelabelRules&&) noexcept = default;
RelabelRules::~RelabelRules() = default;

bool RelabelRules::MayTouch(std::string_view name) const {
  using A = RelabelAction;
  for (const Impl::Rule& rule : impl_->rules) {
    const RelabelConfig& c = rule.config;
    for (const std::string& s : c.source_labels) {
      if (s == name) return true;
    }
    switch (c.action) {
      case A::kLabelMap:
        return true;
      case A::kLabelDrop:
        if (rule.Matches(name)) return true;
        break;
      case A::kLabelKeep:
        if (!rule.Matches(name)) return true;
        break;
      case A::kKeep:
      case A::kDrop:
        break;
      default:
        if (c.target_label == name || HasVar(c.target_label)) return true;
        break;
    }
  }
  return false;
}

size_t RelabelRules::size() const { return impl_->rules.size(); }
const RelabelConfig& RelabelRules::config(size_t i) const { return impl_->rules[i].config; }

namespace {

// The memo of `key` in `memos` (null when there are none or the key is too long to keep): a
// found one (*found set), or a new one to fill.
Memo* FindMemo(MemoMap* memos, std::string_view key, bool* found) {
  *found = false;
  if (memos == nullptr || key.size() > kMaxMemoKey) return nullptr;
  if (auto it = memos->find(absl::string_view(key.data(), key.size())); it != memos->end()) {
    *found = true;
    return &it->second;
  }
  if (memos->size() >= kMaxMemos) memos->clear();
  return &memos->try_emplace(std::string(key)).first->second;
}

}  // namespace

template <typename B>
bool RelabelRules::Impl::ApplyOne(const Rule& rule, B& lb, bool* matched, MemoMap* memos) const {
  using A = RelabelAction;
  constexpr bool kViews = std::is_same_v<B, ViewBuilder>;
  bool ignored = false;
  bool& hit = matched != nullptr ? *matched : ignored;
  hit = true;
  const RelabelConfig& c = rule.config;
  const RE2& re = *rule.re;
  // The joined source values. One source label is read in place (no rule changes the builder
  // before it has finished reading `val`); several are joined in a per-thread buffer.
  thread_local std::string joined;
  std::string_view val;
  if (c.source_labels.size() == 1) {
    val = lb.Get(c.source_labels[0]);
  } else if (c.source_labels.size() > 1) {
    joined.clear();
    for (size_t i = 0; i < c.source_labels.size(); ++i) {
      if (i > 0) joined.append(c.separator);
      joined.append(lb.Get(c.source_labels[i]));
    }
    val = joined;
  }
  // RE2 reports a group over a null pointer as not taking part: give an empty value an address.
  if (val.data() == nullptr) val = std::string_view("", 0);
  // Submatches and their offsets, reused across calls.
  thread_local std::vector<re2::StringPiece> sub;
  thread_local std::vector<std::pair<int, int>> groups;
  bool found = false;
  switch (c.action) {
    case A::kDrop:
    case A::kKeep: {
      if (rule.literal) {
        hit = val == c.regex;
      } else if (Memo* m = FindMemo(memos, val, &found); found) {
        hit = m->hit;
      } else {
        hit = rule.Matches(val);
        if (m != nullptr) m->hit = hit;
      }
      return c.action == A::kKeep ? hit : !hit;
    }
    case A::kDropEqual:
      hit = lb.Get(c.target_label) == val;
      return !hit;
    case A::kKeepEqual:
      hit = lb.Get(c.target_label) == val;
      return hit;
    case A::kReplace: {
      if (val.empty() && rule.default_regex && !HasVar(c.target_label) && !HasVar(c.replacement)) {
        lb.Set(c.target_label, c.replacement);
        return true;
      }
      Memo* m = FindMemo(memos, val, &found);
      if (!found) {
        Memo computed;
        const int n = re.NumberOfCapturingGroups() + 1;
        sub.assign(static_cast<size_t>(n), re2::StringPiece());
        computed.hit = re.Match(val, 0, val.size(), RE2::UNANCHORED, sub.data(), n);
        if (computed.hit) {
          groups.assign(static_cast<size_t>(n), {-1, -1});
          for (int g = 0; g < n; ++g) {
            if (sub[g].data() == nullptr) continue;
            const int begin = static_cast<int>(sub[g].data() - val.data());
            groups[g] = {begin, begin + static_cast<int>(sub[g].size())};
          }
          computed.a = ExpandTemplate(c.target_label, val, groups, rule.group_names);
          if (!IsValidLabelName(computed.a, validation)) {
            computed.a.clear();
          } else {
            computed.b = ExpandTemplate(c.replacement, val, groups, rule.group_names);
          }
        }
        if (m == nullptr) {
          thread_local Memo one;
          m = &one;
        }
        *m = std::move(computed);
      }
      hit = m->hit;
      if (!m->hit || m->a.empty()) return true;
      if (m->b.empty()) {
        lb.Del(m->a);
      } else {
        lb.Set(m->a, m->b);
      }
      return true;
    }
    case A::kLowercase:
    case A::kUppercase:
    case A::kHashMod: {
      if (Memo* m = FindMemo(memos, val, &found); found) {
        lb.Set(c.target_label, m->b);
        return true;
      } else {
        std::string v = c.action == A::kHashMod
                            ? Md5Mod(val, c.modulus)
                            : relabel_internal::MapCase(val, c.action == A::kUppercase);
        lb.Set(c.target_label, v);
        if (m != nullptr) m->b = std::move(v);
      }
      return true;
    }
    case A::kLabelMap: {
      const int n = re.NumberOfCapturingGroups() + 1;
      hit = false;
      auto map_one = [&](std::string_view name, std::string_view value) {
        Memo* m = FindMemo(memos, name, &found);
        if (!found) {
          Memo computed;
          sub.assign(static_cast<size_t>(n), re2::StringPiece());
          computed.hit = re.Match(name, 0, name.size(), RE2::UNANCHORED, sub.data(), n);
          if (computed.hit) {
            groups.assign(static_cast<size_t>(n), {-1, -1});
            for (int g = 0; g < n; ++g) {
              if (sub[g].data() == nullptr) continue;
              const int begin = static_cast<int>(sub[g].data() - name.data());
              groups[g] = {begin, begin + static_cast<int>(sub[g].size())};
            }
            // ReplaceAllString of a fully anchored regex replaces the one whole-name match.
            computed.a = ExpandTemplate(c.replacement, name, groups, rule.group_names);
          }
          if (m == nullptr) {
            thread_local Memo one;
            m = &one;
          }
          *m = std::move(computed);
        }
        if (!m->hit) return;
        hit = true;
        lb.Set(m->a, value);
      };
      if constexpr (kViews) {
        thread_local std::vector<LabelRef> snapshot;
        lb.Snapshot(&snapshot);
        for (const LabelRef& l : snapshot) map_one(l.name, l.value);
      } else {
        for (const auto& [name, value] : lb.Snapshot()) map_one(name, value);
      }
      return true;
    }
    case A::kLabelDrop:
    case A::kLabelKeep: {
      const bool drop = c.action == A::kLabelDrop;
      thread_local std::vector<std::string> doomed;
      size_t n_doomed = 0;
      hit = false;
      lb.ForEachName([&](std::string_view name) {
        bool m = false;
        if (rule.literal) {
          m = name == c.regex;
        } else if (Memo* memo = FindMemo(memos, name, &found); found) {
          m = memo->hit;
        } else {
          m = rule.Matches(name);
          if (memo != nullptr) memo->hit = m;
        }
        hit = hit || m;
        if (m == drop) {
          if (n_doomed == doomed.size()) doomed.emplace_back();
          doomed[n_doomed++].assign(name);
        }
      });
      for (size_t i = 0; i < n_doomed; ++i) lb.Del(doomed[i]);
      return true;
    }
  }
  return true;
}

bool RelabelRules::Apply(LabelSet& labels) const { return ApplyTraced(labels, nullptr); }

bool RelabelRules::ApplyTraced(LabelSet& labels, std::vector<LabelSet>* trace) const {
  Builder lb(std::move(labels));
  for (const Impl::Rule& rule : impl_->rules) {
    const bool keep = impl_->ApplyOne(rule, lb, nullptr);
    if (trace != nullptr) trace->push_back(Builder(lb).Labels());
    if (!keep) {
      labels = std::move(lb).Labels();
      return false;
    }
  }
  labels = std::move(lb).Labels();
  return true;
}

bool RelabelRules::ApplyViews(std::vector<LabelRef>& labels, RelabelScratch& scratch) const {
  RelabelScratch::Impl& s = *scratch.impl_;
  if (s.rules != impl_.get()) {
    s.rules = impl_.get();
    s.memos.clear();
  }
  s.memos.resize(impl_->rules.size());
  bool keep = true;
  {
    ViewBuilder lb(labels, s.store);
    for (size_t i = 0; i < impl_->rules.size() && keep; ++i) {
      keep = impl_->ApplyOne(impl_->rules[i], lb, nullptr, &s.memos[i]);
    }
    if (keep) lb.Labels(&s.snapshot);
  }
  if (keep) labels.swap(s.snapshot);
  return keep;
}

RelabelTrace RelabelRules::Trace(LabelSet labels) const {
  RelabelTrace trace;
  trace.input = labels;
  Builder lb(std::move(labels));
  for (size_t i = 0; i < impl_->rules.size(); ++i) {
    RelabelStep& step = trace.steps.emplace_back();
    step.rule = i;
    const bool keep = impl_->ApplyOne(impl_->rules[i], lb, &step.matched);
    step.labels = Builder(lb).Labels();
    if (!keep) {
      step.dropped = true;
      trace.kept = false;
      return trace;
    }
  }
  trace.output = std::move(lb).Labels();
  return trace;
}

absl::StatusOr<bool> Relabel(const std::vector<RelabelConfig>& configs, LabelSet& labels) {
  auto rules = RelabelRules::Compile(configs);
  if (!rules.ok()) return rules.status();
  return rules->Apply(labels);
}

namespace {

LabelSet::iterator FindLabel(LabelSet& labels, std::string_view name) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  return it != labels.end() && it->first == name ? it : labels.end();
}

void SetLabel(LabelSet& labels, std::string_view name, std::string value) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  const bool found = it != labels.end() && it->first == name;
  if (value.empty()) {
    if (found) labels.erase(it);
  } else if (found) {
    it->second = std::move(value);
  } else {
    labels.emplace(it, std::string(name), std::move(value));
  }
}

}  // namespace

void AttachTargetLabels(const LabelSet& target, bool honor_labels, LabelSet& labels) {
  if (honor_labels) {
    for (const auto& [name, value] : target) {
      if (FindLabel(labels, name) == labels.end()) SetLabel(labels, name, value);
    }
    return;
  }
  std::vector<std::pair<std::string, std::string>> conflicts;  // allocated only on a conflict
  for (const auto& [name, value] : target) {
    if (auto it = FindLabel(labels, name); it != labels.end()) {
      conflicts.emplace_back(name, it->second);
    }
    SetLabel(labels, name, value);
  }
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [](const auto& a, const auto& b) { return a.first.size() < b.first.size(); });
  for (auto& [name, value] : conflicts) {
    std::string exported = name;
    do {
      exported.insert(0, "exported_");
    } while (FindLabel(labels, exported) != labels.end());
    SetLabel(labels, exported, std::move(value));
  }
}

}  // namespace promtool
