#!/usr/bin/env python3
"""Acceptance test of the CI output modes of `promtool-cpp check metrics`: a payload with one
problem per lint rule gives one located problem per rule in every mode; SARIF validates against
the SARIF 2.1.0 subset schema next to this file (with python3-jsonschema, else a structural
check); JUnit and Checkstyle are well-formed XML; MODE:FILE writes files; pretty has no colour
under NO_COLOR."""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

BINARY, ROOT = sys.argv[1], sys.argv[2]
DATA = os.path.join(ROOT, "tests", "cli", "lint_data")
INPUTS = [os.path.join(DATA, "all_rules.prom"), os.path.join(DATA, "native.pb")]
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


def validate_sarif(doc):
    schema = json.load(open(os.path.join(os.path.dirname(__file__), "sarif-2.1.0-subset.schema.json")))
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        jsonschema.validate(doc, schema)
        return "jsonschema"
    # Structural fallback: the required members and types.
    assert doc["version"] == "2.1.0"
    for run_ in doc["runs"]:
        assert isinstance(run_["tool"]["driver"]["name"], str)
        for result in run_["results"]:
            assert result["level"] in ("none", "note", "warning", "error")
            assert isinstance(result["message"]["text"], str)
    return "structural"


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

    for name, fn in [("sarif", sarif), ("json", json_mode), ("github", github),
                     ("checkstyle", checkstyle), ("junit", junit), ("pretty", pretty),
                     ("promtool", promtool), ("MODE:FILE outputs", files),
                     ("XML escaping", xml_escaping)]:
        check(name, fn)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
