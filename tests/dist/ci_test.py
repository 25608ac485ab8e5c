#!/usr/bin/env python3
"""The CI integrations run for real: the pre-commit hooks through Debian's `pre-commit try-repo`
against a scratch git repository (green on a clean dump, red on a broken one), the GitHub
Action's steps (action.yml and the dist/ci scripts it runs) with a simulated $GITHUB_OUTPUT,
validating the SARIF against the official schema, and the GitLab CI template's job script,
validating its JUnit report against tests/lint_ci/junit.xsd and its Code Quality report.

usage: ci_test.py BINARY SOURCE_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

BINARY = ""
SRC = ""

CLEAN = ('# HELP http_requests_total Requests handled.\n# TYPE http_requests_total counter\n'
         'http_requests_total{code="200"} 3\nhttp_requests_total{code="500"} 1\n')
# Two lint problems (camelCase name, no HELP) and not canonical (fmt sorts the series).
BROKEN = ('# TYPE fooBar gauge\nfooBar{a="2"} 1\nfooBar{a="1"} 2\n')


def run(cmd, cwd, env=None, timeout=120):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


class Scratch:
    """A temporary directory with the binary's directory first on PATH."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        bindir = os.path.join(self.dir, "bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(BINARY), os.path.join(bindir, "promtool-cpp"))
        self.env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], NO_COLOR="1",
                        PRE_COMMIT_HOME=os.path.join(self.dir, "pre-commit-home"),
                        HOME=self.dir, GIT_CONFIG_NOSYSTEM="1")

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cleanup(self):
        self.tmp.cleanup()


class PreCommitTest(unittest.TestCase):
    def setUp(self):
        if shutil.which("pre-commit") is None:
            self.skipTest("pre-commit is not installed (scripts/install-deps.sh installs it)")
        self.s = Scratch()
        self.repo = os.path.join(self.s.dir, "repo")
        os.makedirs(self.repo)
        for cmd in (["git", "init", "-q"], ["git", "config", "user.email", "t@example.com"],
                    ["git", "config", "user.name", "t"]):
            self.assertEqual(run(cmd, self.repo, self.s.env).returncode, 0)

    def tearDown(self):
        self.s.cleanup()

    def try_repo(self, *hook):
        # The hook repository: the project's manifest committed alone (try-repo would ignore it
        # in a checkout where it is not committed yet, and cloning the project is slow).
        hooks = os.path.join(self.s.dir, "hooks")
        os.makedirs(hooks, exist_ok=True)
        shutil.copy(os.path.join(SRC, ".pre-commit-hooks.yaml"), hooks)
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm",
                     "hooks"]):
            run(cmd, hooks, self.s.env)
        run(["git", "add", "-A"], self.repo, self.s.env)
        return run(["pre-commit", "try-repo", hooks, *hook, "--all-files", "--verbose"],
                   self.repo, self.s.env, timeout=300)

    def test_green_on_a_clean_dump(self):
        self.s.write("repo/metrics/app.prom", CLEAN)
        proc = self.try_repo()
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"promtool-cpp check metrics\.+Passed")
        self.assertRegex(proc.stdout, r"promtool-cpp fmt --check\.+Passed")

    def test_check_metrics_hook_red_on_a_lint_problem(self):
        self.s.write("repo/metrics/app.prom", CLEAN)
        self.s.write("repo/metrics/broken.prom", BROKEN)
        proc = self.try_repo("promtool-cpp-check-metrics")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"promtool-cpp check metrics\.+Failed")
        self.assertIn("metrics/broken.prom:1:", proc.stdout)
        self.assertIn("camel-case", proc.stdout)
        self.assertNotIn("metrics/app.prom:", proc.stdout)

    def test_fmt_hook_red_on_a_non_canonical_dump(self):
        self.s.write("repo/metrics/broken.prom", BROKEN)
        proc = self.try_repo("promtool-cpp-fmt")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"promtool-cpp fmt --check\.+Failed")
        self.assertIn("metrics/broken.prom", proc.stdout)

    def test_hooks_skip_files_that_are_not_metric_dumps(self):
        self.s.write("repo/README.md", "fooBar 1\n")
        proc = self.try_repo()
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"promtool-cpp check metrics\.+\(no files to check\)Skipped")


class GithubActionTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(SRC, "action.yml"), encoding="utf-8") as f:
            self.action = yaml.safe_load(f)
        self.s = Scratch()

    def tearDown(self):
        self.s.cleanup()

    def test_composite_action_declares_every_input_it_uses(self):
        self.assertEqual(self.action["runs"]["using"], "composite")
        text = open(os.path.join(SRC, "action.yml"), encoding="utf-8").read()
        used = set(re.findall(r"inputs\.([\w-]+)", text))
        self.assertEqual(used - set(self.action["inputs"]), set())
        for step in self.action["runs"]["steps"]:
            if "run" in step:
                self.assertEqual(step.get("shell"), "bash", step["name"])
                for script in re.findall(r"\$ACTION_PATH/([\w./-]+)", step["run"]):
                    self.assertTrue(os.path.exists(os.path.join(SRC, script)), script)
        uploads = [s for s in self.action["runs"]["steps"] if "upload-sarif" in s.get("uses", "")]
        self.assertEqual(len(uploads), 1)
        self.assertIn("always()", uploads[0]["if"])

    def step_env(self, step_id, **inputs):
        step = next(s for s in self.action["runs"]["steps"] if s.get("id") == step_id)
        values = {"github.action_path": SRC, "steps.bin.outputs.path": os.path.abspath(BINARY)}
        for name, spec in self.action["inputs"].items():
            values["inputs." + name] = inputs.get(name.replace("-", "_"), spec.get("default", ""))
        env = dict(self.s.env)
        for key, expr in step.get("env", {}).items():
            env[key] = re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], expr)
        env["GITHUB_OUTPUT"] = os.path.join(self.s.dir, "github_output")
        open(env["GITHUB_OUTPUT"], "w", encoding="utf-8").close()
        return step, env

    def outputs(self, env):
        with open(env["GITHUB_OUTPUT"], encoding="utf-8") as f:
            return dict(line.split("=", 1) for line in f.read().splitlines())

    def run_step(self, step_id, **inputs):
        step, env = self.step_env(step_id, **inputs)
        proc = run(["bash", "-c", step["run"]], self.s.dir, env)
        return proc, self.outputs(env)

    def test_install_step_finds_the_binary_on_path_or_given(self):
        proc, out = self.run_step("bin")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(os.path.basename(out["path"]), "promtool-cpp")
        self.assertIn("promtool-cpp ", proc.stdout)
        proc, out = self.run_step("bin", binary=os.path.abspath(BINARY))
        self.assertEqual(out["path"], os.path.abspath(BINARY))
        proc, out = self.run_step("bin", binary="/nonexistent/promtool-cpp")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("::error::binary: /nonexistent/promtool-cpp is not an executable", proc.stdout)

    def test_lint_step_annotates_writes_valid_sarif_and_records_the_exit_code(self):
        import jsonschema
        self.s.write("metrics/broken.prom", BROKEN)
        proc, out = self.run_step("lint", paths="metrics/")
        self.assertEqual(proc.returncode, 0, proc.stderr)  # the last step fails the job
        self.assertEqual(out["exit-code"], "3")
        self.assertEqual(out["sarif-written"], "true")
        self.assertRegex(proc.stdout,
                         r"(?m)^::warning file=metrics/broken\.prom,line=1,col=\d+,"
                         r"title=camel-case-metric::")
        with open(os.path.join(self.s.dir, "promtool-cpp.sarif"), encoding="utf-8") as f:
            sarif = json.load(f)
        with open(os.path.join(SRC, "tests/lint_ci/sarif-schema-2.1.0.json"),
                  encoding="utf-8") as f:
            jsonschema.validate(sarif, json.load(f))
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in sarif["runs"][0]["results"]}
        self.assertEqual(uris, {"metrics/broken.prom"})

    def test_lint_step_on_a_clean_dump_exits_0_with_args(self):
        self.s.write("metrics/app.prom", CLEAN)
        proc, out = self.run_step("lint", paths="metrics/app.prom", args="--fail-on=error",
                                  sarif_file="out/r.sarif")
        self.assertEqual(out["exit-code"], "0", proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        with open(os.path.join(self.s.dir, "out/r.sarif"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["runs"][0]["results"], [])


class GitlabTemplateTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(SRC, "dist/ci/promtool-cpp.gitlab-ci.yml"), encoding="utf-8") as f:
            self.job = yaml.safe_load(f)[".promtool-cpp-lint"]
        self.s = Scratch()

    def tearDown(self):
        self.s.cleanup()

    def run_job(self, **variables):
        env = dict(self.s.env)
        env.update({k: str(v) for k, v in self.job["variables"].items()})
        env.update(variables)
        script = "set -e\n" + "\n".join(self.job["before_script"] + self.job["script"])
        return run(["bash", "-c", script], self.s.dir, env)

    def test_job_writes_a_valid_junit_and_code_quality_report(self):
        self.s.write("metrics/app.prom", CLEAN)
        self.s.write("metrics/broken.prom", BROKEN)
        proc = self.run_job()
        self.assertEqual(proc.returncode, 3, proc.stdout + proc.stderr)
        reports = self.job["artifacts"]["reports"]
        self.assertEqual(self.job["artifacts"]["when"], "always")
        junit = os.path.join(self.s.dir, reports["junit"])
        xsd = os.path.join(SRC, "tests/lint_ci/junit.xsd")
        check = run(["xmllint", "--noout", "--schema", xsd, junit], self.s.dir)
        self.assertEqual(check.returncode, 0, check.stderr)
        with open(os.path.join(self.s.dir, reports["codequality"]), encoding="utf-8") as f:
            issues = json.load(f)
        self.assertEqual({i["check_name"] for i in issues}, {"camel-case-metric", "no-help"})
        for issue in issues:
            self.assertEqual(set(issue), {"description", "check_name", "fingerprint", "severity",
                                          "location"})
            self.assertIn(issue["severity"], {"info", "minor", "major", "critical", "blocker"})
            self.assertEqual(issue["location"]["path"], "metrics/broken.prom")
            self.assertIsInstance(issue["location"]["lines"]["begin"], int)
            self.assertGreaterEqual(issue["location"]["lines"]["begin"], 1)
        self.assertEqual(len({i["fingerprint"] for i in issues}), len(issues))

    def test_job_passes_on_clean_dumps_with_an_empty_code_quality_report(self):
        self.s.write("metrics/app.prom", CLEAN)
        proc = self.run_job(PROMTOOL_CPP_PATHS="metrics")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        with open(os.path.join(self.s.dir, "gl-code-quality-report.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), [])

    def test_job_without_a_binary_or_deb_url_says_what_to_set(self):
        env_path = "/usr/bin:/bin"  # no promtool-cpp
        proc = self.run_job(PATH=env_path)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("set PROMTOOL_CPP_DEB_URL", proc.stdout)

    def test_fingerprints_stay_when_lines_move(self):
        self.s.write("metrics/broken.prom", BROKEN)
        self.run_job(PROMTOOL_CPP_PATHS="metrics")
        with open(os.path.join(self.s.dir, "gl-code-quality-report.json"), encoding="utf-8") as f:
            before = {i["check_name"]: i for i in json.load(f)}
        self.s.write("metrics/broken.prom", "\n" + BROKEN)
        self.run_job(PROMTOOL_CPP_PATHS="metrics")
        with open(os.path.join(self.s.dir, "gl-code-quality-report.json"), encoding="utf-8") as f:
            after = {i["check_name"]: i for i in json.load(f)}
        for rule, issue in before.items():
            self.assertEqual(after[rule]["fingerprint"], issue["fingerprint"])
            self.assertEqual(after[rule]["location"]["lines"]["begin"],
                             issue["location"]["lines"]["begin"] + 1)


def main():
    global BINARY, SRC
    BINARY, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
