#!/usr/bin/env python3
"""Acceptance test of the CI output modes of `promtool-cpp check metrics`: a payload with one
problem per lint rule gives one located problem per rule in every mode; SARIF validates against
the official SARIF 2.1.0 schema next to this file (python3-jsonschema; a structural check when it
is missing); JUnit validates against junit.xsd (xmllint, libxml2-utils) and agrees with the exit
code; Checkstyle is well-formed XML; MODE:FILE writes files, also when no input was found;
SARIF URIs and column kinds are right; pretty has no colour under NO_COLOR."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

BINARY, ROOT = sys.argv[1], sys.argv[2]
DATA = os.path.join(ROOT, "tests", "cli", "lint_data")
INPUTS = [os.path.join(DATA, "all_rules.prom"), os.path.join(DATA, "native.pb"),
          os.path.join(DATA, "om1_in_om2.om2")]
BASE = ["check", "metrics", "--enable=*", "--max-label-values=2", "--no-config"]


def run(args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BINARY] + args, capture_output=True, env=env, cwd=ROOT, timeout=120)


def rule_ids():
    out = run(["rules", "--json"])
    assert out.returncode == 0, out.stderr
    return [r["id"] for r in json.loads(out.stdout)]


def expect_one_per_rule(mode, located):
    """located: list of (rule, has_location) pairs."""
    ids = sorted(rule_ids())
    got = sorted(r for r, _ in located)
    assert got == ids, f"{mode}: rules {got} != {ids}"
    missing = [r for r, ok in located if not ok]
    assert not missing, f"{mode}: problems without a location: {missing}"


HERE = os.path.dirname(os.path.abspath(__file__))


def validate_sarif(doc):
    schema = json.load(open(os.path.join(HERE, "sarif-schema-2.1.0.json")))
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        # The official schema is draft-04; validator_for picks the validator it names.
        cls = jsonschema.validators.validator_for(schema)
        errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        assert doc["runs"][0]["columnKind"] == "unicodeCodePoints"
        return "official schema"
    # Structural fallback: the required members and types.
    assert doc["version"] == "2.1.0"
    for run_ in doc["runs"]:
        assert isinstance(run_["tool"]["driver"]["name"], str)
        for result in run_["results"]:
            assert result["level"] in ("none", "note", "warning", "error")
            assert isinstance(result["message"]["text"], str)
    return "structural"


def validate_junit(xml_bytes):
    """xmllint --schema junit.xsd; a structural check when xmllint is missing."""
    root = ET.fromstring(xml_bytes)
    assert root.tag == "testsuites"
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(len(c.findall("failure")) for c in cases)
        assert int(suite.get("errors")) == sum(len(c.findall("error")) for c in cases)
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names)), f"repeated test names: {names}"
    if shutil.which("xmllint") is None:
        return "structural"
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(xml_bytes)
        f.flush()
        out = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "junit.xsd"),
                              f.name], capture_output=True, timeout=60)
        assert out.returncode == 0, out.stderr.decode()
    return "junit.xsd"


def main():
    failures = []

    def check(name, fn):
        try:
            fn()
            print(f"ok   {name}")
        except AssertionError as e:
            failures.append(name)
            print(f"FAIL {name}: {e}")

    def sarif():
        out = run(BASE + ["--output=sarif"] + INPUTS)
        assert out.returncode == 3, out.returncode
        doc = json.loads(out.stdout)
        how = validate_sarif(doc)
        results = doc["runs"][0]["results"]
        rules = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
        for r in results:
            assert rules[r["ruleIndex"]] == r["ruleId"]
        expect_one_per_rule("sarif", [
            (r["ruleId"], "region" in r["locations"][0]["physicalLocation"]) for r in results])
        print(f"     SARIF validated ({how})")

    def json_mode():
        out = run(BASE + ["--output=json"] + INPUTS)
        doc = json.loads(out.stdout)
        expect_one_per_rule("json", [(p["rule"], "line" in p or "offset" in p) for p in doc["problems"]])

    def github():
        out = run(BASE + ["--output=github"] + INPUTS)
        pat = re.compile(r"^::(error|warning|notice) file=[^,]+(,line=\d+,col=\d+)?,title=([a-z-]+)::(.+)$")
        located = []
        for line in out.stdout.decode().splitlines():
            m = pat.match(line)
            assert m, f"not an annotation: {line}"
            located.append((m.group(3), m.group(2) is not None or "(byte " in m.group(4)))
        expect_one_per_rule("github", located)

    def checkstyle():
        out = run(BASE + ["--output=checkstyle"] + INPUTS)
        root = ET.fromstring(out.stdout)
        assert root.tag == "checkstyle"
        located = []
        for f in root.iter("file"):
            for e in f.iter("error"):
                rule = e.get("source").removeprefix("promtool-cpp.")
                located.append((rule, e.get("line") is not None or f.get("name").endswith(".pb")))
        expect_one_per_rule("checkstyle", located)

    def junit():
        out = run(BASE + ["--output=junit"] + INPUTS)
        print(f"     JUnit validated ({validate_junit(out.stdout)})")
        root = ET.fromstring(out.stdout)
        assert root.tag == "testsuites"
        located = [(f.get("type"), re.search(r":\d+:\d+: |\.pb: ", f.text) is not None)
                   for f in root.iter("failure")]
        expect_one_per_rule("junit", located)
        assert int(root.get("failures")) == len(located)

    def pretty():
        out = run(BASE + ["--output=pretty"] + INPUTS)
        text = out.stderr.decode()
        assert "\033[" not in text, "colour under NO_COLOR"
        pat = re.compile(r"^(\S+?)(:\d+:\d+:| byte \d+:) (error|warning|info): .* \[([a-z-]+)\]$")
        located = [(m.group(4), True) for m in map(pat.match, text.splitlines()) if m]
        expect_one_per_rule("pretty", located)

    def promtool():
        out = run(BASE + ["--output=promtool"] + INPUTS)
        lines = out.stderr.decode().splitlines()
        assert len(lines) == len(rule_ids()), len(lines)

    def files():
        with tempfile.TemporaryDirectory() as tmp:
            sarif_path = os.path.join(tmp, "report.sarif")
            junit_path = os.path.join(tmp, "junit.xml")
            out = run(BASE + ["--output=pretty", f"--output=sarif:{sarif_path}",
                              f"--output=junit:{junit_path}"] + INPUTS)
            assert out.returncode == 3
            assert out.stdout == b"", "file outputs must not reach stdout"
            validate_sarif(json.load(open(sarif_path)))
            ET.parse(junit_path)
            leftovers = [n for n in os.listdir(tmp) if n not in ("report.sarif", "junit.xml")]
            assert not leftovers, leftovers

    def xml_escaping():
        payload = b'# HELP a x\n# TYPE a gauge\na{le="<&>\\"\'"} 1\n'
        for mode in ("junit", "checkstyle"):
            out = subprocess.run([BINARY, "check", "metrics", "--no-config", f"--output={mode}", "-"],
                                 input=payload, capture_output=True, cwd=ROOT)
            ET.fromstring(out.stdout)

    def junit_agrees_with_exit_code():
        # Warnings below --fail-on=error pass; errors fail; the exit code says the same.
        for fail_on, payload in (("error", b"fooBar 1\n"), ("error", b"a 1\na 1\n"),
                                 ("warning", b"fooBar 1\n")):
            out = subprocess.run([BINARY, "check", "metrics", "--no-config", "--output=junit",
                                  f"--fail-on={fail_on}", "-"], input=payload,
                                 capture_output=True, cwd=ROOT, timeout=60)
            validate_junit(out.stdout)
            root = ET.fromstring(out.stdout)
            failures = int(root.get("failures"))
            assert (out.returncode == 3) == (failures > 0), (fail_on, payload, out.returncode,
                                                             failures)
        # Parse and input errors are <error>s.
        out = subprocess.run([BINARY, "check", "metrics", "--no-config", "--output=junit",
                              "-", "no/such/file.prom"], input=b"a{ 1\n", capture_output=True,
                             cwd=ROOT, timeout=60)
        assert out.returncode == 1
        validate_junit(out.stdout)
        root = ET.fromstring(out.stdout)
        assert root.get("errors") == "2" and root.get("failures") == "0", out.stdout

    def report_written_without_inputs():
        # A glob or directory that yields nothing still writes every requested report.
        with tempfile.TemporaryDirectory() as tmp:
            sarif_path = os.path.join(tmp, "r.sarif")
            junit_path = os.path.join(tmp, "r.xml")
            out = run(["check", "metrics", "--no-config", f"--output=sarif:{sarif_path}",
                       f"--output=junit:{junit_path}", os.path.join(tmp, "*.prom"), tmp])
            assert out.returncode == 1, out.returncode
            doc = json.load(open(sarif_path))
            validate_sarif(doc)
            assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["input-error"] * 2
            validate_junit(open(junit_path, "rb").read())

    def sarif_uris_and_columns():
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "a b.prom")
            open(path, "wb").write('a{b="üüü" c="y"} 1\n'.encode())
            out = run(["check", "metrics", "--no-config", "--output=sarif", path,
                       "http://127.0.0.1:1/metrics", "rel/missing.prom"])
            doc = json.loads(out.stdout)
            validate_sarif(doc)
            results = doc["runs"][0]["results"]
            uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
            assert uris == ["file://" + tmp.replace(" ", "%20") + "/a%20b.prom",
                            "http://127.0.0.1:1/metrics", "rel/missing.prom"], uris
            region = results[0]["locations"][0]["physicalLocation"]["region"]
            assert region == {"startLine": 1, "startColumn": 11}, region

    def prune_baseline():
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "baseline.txt")
            header = "# promtool-cpp lint baseline v1\n"
            open(path, "w").write(header + "2\tno-help\ta\tno help text\n"
                                  "1\tno-help\tgone\tno help text\n")
            out = subprocess.run([BINARY, "check", "metrics", "--no-config", "--output=json",
                                  f"--baseline={path}", "--prune-baseline", "-"],
                                 input=b"a 1\n", capture_output=True, cwd=ROOT, timeout=60)
            assert out.returncode == 0, out.stderr
            assert json.loads(out.stdout)["problems"] == []
            assert open(path).read() == header + "1\tno-help\ta\tno help text\n", open(path).read()
            assert b"removed 2 stale entries" in out.stderr, out.stderr

    for name, fn in [("sarif", sarif), ("json", json_mode), ("github", github),
                     ("checkstyle", checkstyle), ("junit", junit), ("pretty", pretty),
                     ("promtool", promtool), ("MODE:FILE outputs", files),
                     ("XML escaping", xml_escaping),
                     ("JUnit agrees with the exit code", junit_agrees_with_exit_code),
                     ("reports written without inputs", report_written_without_inputs),
                     ("SARIF URIs and columns", sarif_uris_and_columns),
                     ("--prune-baseline", prune_baseline)]:
        check(name, fn)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
