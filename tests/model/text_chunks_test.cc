// Reading one text payload in parts (validate and check metrics --jobs): where it is cut, when
// the parts are independent, and that Validate() in parts gives the one-thread result.
#include "model/text_chunks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

TEST(CutPoints, Table) {
  struct Case {
    std::string name;
    std::string text;
    unsigned parts;
    uint64_t min_bytes;
    std::vector<uint64_t> want;
  };
  const std::string a = "# TYPE a gauge\na 1\n";  // 19 bytes
  const std::string b = "# HELP b x\n# TYPE b gauge\nb 1\n";
  const std::vector<Case> cases = {
      // The middle (43) is in b's HELP line; its TYPE line follows a comment: a's next.
      {"HELP and TYPE stay together", a + a + b + a, 2, 1, {68}},
      // The line after the middle (34) is never a cut: where it starts is not looked up.
      {"the next line starts after the middle",
       a + "# HELP c x\n# TYPE c gauge\nc 1\n" + a,
       2,
       1,
       {49}},
      // The first quarter (16) ends in a's sample; "# TYPE c" follows a comment line.
      {"not after a comment line", a + "# other\n# TYPE c gauge\nc 1\n" + a, 4, 1, {46}},
      {"at a HELP line after a sample", a + "a 2\n" + b + a, 4, 1, {23, 53}},
      {"no metadata line: one part", "a 1\nb 1\nc 1\nd 1\n", 2, 1, {}},
      {"parts of at least min_bytes", a + a + a + a, 4, 30, {38}},
      {"the last part too", a + a + a, 2, 25, {}},
      {"one part asked", a + a, 1, 1, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto source = MemorySource(c.text);
    EXPECT_EQ(text_chunks::CutPoints(*source, c.text.size(), c.parts, c.min_bytes), c.want);
  }
}

TEST(Disjoint, Table) {
  struct Step {
    std::string name;
    uint32_t part;
    bool ok;
  };
  const std::vector<std::pair<std::string, std::vector<Step>>> cases = {
      {"distinct names", {{"a", 0, true}, {"b", 1, true}}},
      {"same part twice", {{"a", 0, true}, {"a", 0, true}}},
      {"a family in two parts", {{"a", 0, true}, {"a", 1, false}}},
      {"a histogram's bucket in the next part", {{"h", 0, true}, {"h_bucket", 1, false}}},
      {"a _sum before its family", {{"s_sum", 0, true}, {"s", 1, false}}},
      {"_count and _sum of one name apart", {{"x_count", 0, true}, {"x_sum", 1, false}}},
      {"a suffix alone is a name", {{"_sum", 0, true}, {"", 1, true}}},
  };
  for (const auto& [name, steps] : cases) {
    SCOPED_TRACE(name);
    text_chunks::Disjoint d;
    for (const Step& s : steps) EXPECT_EQ(d.Add(s.name, s.part), s.ok) << s.name;
  }
}

// A payload of `families` gauge families of `series` series each, with HELP and TYPE.
std::string Payload(int families, int series) {
  std::string out;
  for (int f = 0; f < families; ++f) {
    const std::string name = "family_" + std::to_string(f);
    out += "# HELP " + name + " Help of " + name + ".\n# TYPE " + name + " gauge\n";
    for (int s = 0; s < series; ++s) {
      out += name + "{instance=\"host-" + std::to_string(s) + "\",job=\"node\"} " +
             std::to_string(s) + "\n";
    }
  }
  return out;
}

std::string Render(const ValidateResult& r) {
  return r.error.ok() ? "ok " + std::to_string(r.families) + " " + std::to_string(r.samples) + " " +
                            std::to_string(r.metadata_only_families) + " " + std::to_string(r.bytes)
                      : std::to_string(r.error.line) + ":" + std::to_string(r.error.column) + " " +
                            r.error.message;
}

// Each input of about 17 MB is validated with 1, 2 and 3 threads: the same counts, or the same
// first error (line, column, message), whether the parts are read apart or the payload is read
// again by one reader (an error, a family in two parts).
TEST(ValidateInParts, SameResultAsOneThread) {
  const std::string base = Payload(300, 1000);  // ~17 MB: three parts of at least 4 MiB
  const size_t middle = base.find("# HELP family_120 ");
  ASSERT_NE(middle, std::string::npos);
  struct Case {
    std::string name;
    std::string text;
    bool apart;  // read in parts (otherwise read again by one reader)
  };
  std::string bad_late = base;
  bad_late.insert(base.find("family_150{instance=\"host-7\""), "family_150{=} 1\n");
  std::string bad_early = base;
  bad_early.insert(base.find("family_3{instance=\"host-7\""), "family_3 x\n");
  const std::vector<Case> cases = {
      {"valid", base, true},
      {"an error in the last part", bad_late, false},
      {"an error in the first part", bad_early, false},
      {"a family continued in the last part", base + "family_1{instance=\"again\"} 1\n", false},
      {"a second TYPE line in the last part", base + "# TYPE family_2 counter\n", false},
      {"metadata only at the end", base + "# HELP lonely x\n# TYPE lonely gauge\n", true},
      {"a histogram's bucket after it, apart",
       "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n" + base +
           "h_bucket{le=\"1\"} 1\n",
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto one_source = MemorySource(c.text, "in");
    ValidateOptions one;
    one.format = InputFormat::kText;
    const std::string want = Render(Validate(*one_source, one));
    for (unsigned jobs : {2u, 3u, 0u}) {
      auto source = MemorySource(c.text, "in");
      ValidateOptions options = one;
      options.jobs = jobs;
      const ValidateResult got = Validate(*source, options);
      EXPECT_EQ(Render(got), want) << "jobs " << jobs;
      if (!c.apart) {
        EXPECT_EQ(got.parts, 1u) << "jobs " << jobs;
      } else if (jobs == 0) {  // one per core
        EXPECT_GE(got.parts, std::min(2u, std::thread::hardware_concurrency()));
      } else {
        EXPECT_EQ(got.parts, jobs);
      }
    }
  }
}

}  // namespace
}  // namespace promtool
