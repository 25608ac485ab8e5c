// `promtool-cpp test relabel` maps files and --report to promtool::LoadRelabelTestFile() (with
// promtool::ResolveRelabelTestJob() for prometheus_config + job) and RunRelabelTests(), and
// formats the results (promtool's `test rules` style, or JUnit XML).
#include "cmd_test_relabel.h"

#include <cstdio>

#include "lint_output.h"
#include "promtool/output.h"
#include "promtool/prometheus_targets.h"
#include "promtool/relabel_test.h"
#include "usage.h"

namespace promtool::cli {
namespace {

struct FileRun {
  RelabelTestLoadResult load;
  RelabelTestRunResult run;
};

std::string Shown(bool dropped, const LabelSet& labels) {
  return dropped ? "dropped" : FormatSeries(labels);
}

// The labels only one side has, or has with another value: -name="exp" +name="got".
std::string LabelDiff(const LabelSet& expected, const LabelSet& got) {
  std::string out;
  auto show = [](const std::pair<std::string, std::string>& l) {
    LabelSet one = {l};
    std::string s = FormatSeries(one);  // {name="value"}
    return s.substr(1, s.size() - 2);
  };
  for (const auto& l : expected) {
    if (std::find(got.begin(), got.end(), l) == got.end()) out += " -" + show(l);
  }
  for (const auto& l : got) {
    if (std::find(expected.begin(), expected.end(), l) == expected.end()) out += " +" + show(l);
  }
  return out;
}

// The failures of one test, one block per failed series.
std::string FailureText(const RelabelTestCaseResult& test, const std::string& indent) {
  std::string out;
  for (size_t i = 0; i < test.series.size(); ++i) {
    const RelabelSeriesOutcome& o = test.series[i];
    if (o.passed) continue;
    const RelabelTestSeries& s = *o.series;
    out += indent + "series " + std::to_string(i + 1) + " (line " + std::to_string(s.line) + "):\n";
    out += indent + "  input: " + FormatSeries(s.input) + "\n";
    out += indent + "  exp:   " + Shown(s.expect_dropped, s.expected) + "\n";
    out += indent + "  got:   " + Shown(o.dropped, o.got) + "\n";
    if (!o.dropped && !s.expect_dropped) {
      out += indent + "  diff: " + LabelDiff(s.expected, o.got) + "\n";
    }
  }
  return out;
}

std::string PromtoolText(const std::vector<FileRun>& runs) {
  std::string out;
  for (size_t f = 0; f < runs.size(); ++f) {
    const FileRun& r = runs[f];
    if (f > 0) out += "\n";
    out += "Unit Testing:  " + r.load.file.path + "\n";
    if (r.load.error) {
      const RelabelLoadError& e = *r.load.error;
      out += "  FAILED:\n    ";
      if (e.line > 0) out += std::to_string(e.line) + ":" + std::to_string(e.column) + ": ";
      out += EscapeControls(e.message) + "\n";
      continue;
    }
    if (r.run.passed()) {
      out += "  SUCCESS\n";
      continue;
    }
    out += "  FAILED:\n";
    for (const RelabelTestCaseResult& t : r.run.tests) {
      if (t.passed()) continue;
      out += "    test \"" + EscapeControls(t.test->name) + "\" (line " +
             std::to_string(t.test->line) + "): " + std::to_string(t.failures) + " of " +
             std::to_string(t.series.size()) + " series differ\n";
      out += FailureText(t, "      ");
    }
  }
  return out;
}

std::string JunitXml(const std::vector<FileRun>& runs) {
  size_t tests = 0, failures = 0, errors = 0;
  std::string suites;
  for (const FileRun& r : runs) {
    const std::string file = Xml(r.load.file.path);
    if (r.load.error) {
      ++tests;
      ++errors;
      const RelabelLoadError& e = *r.load.error;
      std::string where =
          e.line > 0 ? std::to_string(e.line) + ":" + std::to_string(e.column) + ": " : "";
      suites += "  <testsuite name=\"" + file + "\" tests=\"1\" failures=\"0\" errors=\"1\">\n";
      suites += "    <testcase classname=\"" + file + "\" name=\"load\">\n";
      suites += "      <error message=\"" + Xml(where + e.message) + "\"/>\n";
      suites += "    </testcase>\n  </testsuite>\n";
      continue;
    }
    tests += r.run.tests.size();
    failures += r.run.failures;
    suites += "  <testsuite name=\"" + file + "\" tests=\"" + std::to_string(r.run.tests.size()) +
              "\" failures=\"" + std::to_string(r.run.failures) + "\" errors=\"0\">\n";
    for (const RelabelTestCaseResult& t : r.run.tests) {
      suites += "    <testcase classname=\"" + file + "\" name=\"" + Xml(t.test->name) + "\"";
      if (t.passed()) {
        suites += "/>\n";
        continue;
      }
      const std::string message = std::to_string(t.failures) + " of " +
                                  std::to_string(t.series.size()) + " series differ (line " +
                                  std::to_string(t.test->line) + ")";
      suites += ">\n      <failure message=\"" + Xml(message) + "\">" + Xml(FailureText(t, "")) +
                "</failure>\n    </testcase>\n";
    }
    suites += "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"promtool-cpp test "
         "relabel\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace

CLI::App* SetupTestRelabel(CLI::App& app, TestRelabelCmd& cmd) {
  CLI::App* test = app.add_subcommand("test", "Run test files (relabel rules)");
  test->require_subcommand(1);
  CLI::App* relabel = test->add_subcommand(
      "relabel",
      "Run relabel test files: each names relabel rules and lists input series with the series "
      "they should become or `dropped` (docs/relabeling.md)");
  relabel
      ->add_option("--report", cmd.reports,
                   "Report mode: promtool (default, on stdout) or junit; MODE:FILE writes it to "
                   "FILE; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  relabel->add_option("files", cmd.files, "Relabel test files (YAML)")->required();
  return relabel;
}

int RunTestRelabel(const TestRelabelCmd& cmd) {
  struct Report {
    bool junit = false;
    std::string file;  // empty: stdout
  };
  std::vector<Report> reports;
  int on_stdout = 0;
  for (const std::string& spec : cmd.reports) {
    const size_t colon = spec.find(':');
    const std::string mode = spec.substr(0, colon);
    if (mode != "promtool" && mode != "junit") {
      std::fprintf(stderr, "error: --report: unknown mode \"%s\" (promtool, junit)\n",
                   mode.c_str());
      return kUsageExitCode;
    }
    Report r{mode == "junit", colon == std::string::npos ? "" : spec.substr(colon + 1)};
    if (colon != std::string::npos && r.file.empty()) {
      std::fprintf(stderr, "error: --report %s: no file\n", spec.c_str());
      return kUsageExitCode;
    }
    if (r.file == "-") r.file.clear();
    for (const Report& o : reports) {
      if (!r.file.empty() && o.file == r.file) {
        std::fprintf(stderr, "error: --report: \"%s\" is named by two reports\n", r.file.c_str());
        return kUsageExitCode;
      }
    }
    if (r.file.empty()) ++on_stdout;
    reports.push_back(r);
  }
  if (on_stdout > 1) {
    std::fprintf(stderr,
                 "error: --report: two reports would write to stdout; send one to a file with "
                 "--report=MODE:FILE\n");
    return kUsageExitCode;
  }
  if (reports.empty()) reports.push_back(Report{});

  std::vector<FileRun> runs;
  bool failed = false;
  for (const std::string& path : cmd.files) {
    FileRun& r = runs.emplace_back();
    RelabelTestOptions options;
    options.resolve_job = ResolveRelabelTestJob;  // prometheus_config + job, from prometheus.yml
    r.load = LoadRelabelTestFile(path, options);
    if (r.load.error) {
      const RelabelLoadError& e = *r.load.error;
      if (e.line > 0) {
        std::fprintf(stderr, "%s:%d:%d: error: %s\n", path.c_str(), e.line, e.column,
                     EscapeControls(e.message).c_str());
      } else {
        std::fprintf(stderr, "%s: error: %s\n", path.c_str(), EscapeControls(e.message).c_str());
      }
      failed = true;
      continue;
    }
    r.run = RunRelabelTests(r.load.file);
    if (!r.run.passed()) failed = true;
  }

  for (const Report& rep : reports) {
    const std::string text = rep.junit ? JunitXml(runs) : PromtoolText(runs);
    if (rep.file.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      continue;
    }
    auto sink = AtomicFileSink::Create(rep.file);
    absl::Status st = sink.ok() ? (*sink)->Write(text) : sink.status();
    if (st.ok()) st = (*sink)->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace promtool::cli
