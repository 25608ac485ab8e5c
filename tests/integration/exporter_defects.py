#!/usr/bin/env python3
"""`check exporter` against deliberately broken loopback exporters (exporter_server.py).

Each defect class is served by its own server process, started and stopped here, and must be
caught by exactly the intended check id (the set of failed checks in the JSON report equals
{id}); the correct server must pass every check. The exit code must be 3 exactly when a MUST
check failed (the default --fail-on must), else 0. Some cases also require a check to have been
evaluated (a pass that proves something) or the run to end within a bound (a hanging target).
The "replay" case runs the fuzzer against odd-accept-500, writes the finding's replay line to a
file and runs `--replay FILE` (no --fuzz): the same check fails with the same replay line.

usage: exporter_defects.py PROMTOOL_CPP ROOT [CASE...]
Only 127.0.0.1 is used; every process started here is killed on exit, each run is bounded by a
timeout.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = ["--scrapes", "3", "--interval", "1s", "--fuzz", "--fuzz-count", "20", "--seed", "1",
          "--report", "json"]

# case -> (the one check id that must fail, extra flags); the case names the server's mode
CASES = {
    "correct": (None, []),
    "no-content-type": ("content-type-present", []),
    "wrong-content-type": ("content-type-known", []),
    "accept-ignored": ("negotiation-last-resort", []),
    "om-under-text": ("body-format-mismatch", []),
    "om-under-text-big": ("body-format-mismatch", []),
    "missing-eof": ("body-om-eof", []),
    "counter-reset": ("counter-monotonic", []),
    "churn": ("series-churn", []),
    "volatile-label": ("label-value-volatile", []),
    "duplicate-series": ("series-duplicate", []),
    "slow": ("scrape-timeout", ["--timeout", "300ms"]),
    "odd-accept-500": ("fuzz-server-error", []),
    "crash-on-header": ("fuzz-target-dead", []),
    "gzip-no-encoding": ("gzip-content-encoding", []),
    "text-proto-disagree": ("formats-agree", []),
    "values-disagree": ("formats-agree-values", []),
    "hang": ("scrape-timeout", ["--timeout", "300ms"]),
    "reset-on-head": ("fuzz-reset", []),
    "wedge-after-query": ("fuzz-target-dead", ["--timeout", "1s"]),
}

# Cases run with their own flags instead of COMMON: case -> (server mode, the one check id that
# must fail, flags, checks that must have been evaluated).
ONLY = ["--scrapes", "1", "--report", "json"]
SPECIAL = {
    # X-Prometheus-Scrape-Timeout-Seconds: a slow target (0.5 s) that ignores it, and one that
    # answers within half of what it allows.
    "header-ignored": ("header-ignored", "scrape-timeout-header", ONLY, ["scrape-timeout-header"]),
    "header-honoured": ("header-honoured", None, ONLY, ["scrape-timeout-header"]),
    # The limits of the command line against a correct target: 9 samples, bodies of 200+ bytes.
    "sample-limit": ("correct", "scrape-limits", ["--scrapes", "2", "--interval", "0.2s",
                                                  "--sample-limit", "5", "--report", "json"],
                     ["scrape-limits"]),
    "body-size-limit": ("correct", "scrape-limits", ["--body-size-limit", "100B", *ONLY],
                        ["scrape-limits"]),
    "limits-kept": ("correct", None, ["--scrapes", "2", "--interval", "0.2s", "--sample-limit",
                                      "1000", "--body-size-limit", "1MiB", "--report", "json"],
                    ["scrape-limits"]),
}
# The most seconds a case may take (a target that never answers must not hold the run).
MAX_SECONDS = {"hang": 10.0, "wedge-after-query": 30.0}

MUST = {"content-type-present", "content-type-known", "negotiation-last-resort",
        "body-format-mismatch", "body-om-eof", "counter-monotonic", "series-duplicate",
        "scrape-timeout", "fuzz-server-error", "fuzz-target-dead", "gzip-content-encoding",
        "formats-agree", "fuzz-reset", "scrape-limits"}


def check(binary, mode, flags):
    """(rc, report or None, stderr) of one run against a fresh server in `mode`."""
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "exporter_server.py"), mode],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        url = "http://127.0.0.1:%d/metrics" % port
        p = subprocess.run([binary, "check", "exporter", url, *flags],
                           capture_output=True, text=True, timeout=90)
    finally:
        server.kill()
        server.wait(timeout=10)
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except ValueError:
        return p.returncode, None, p.stderr


def judge(name, rc, report, stderr, expected, evaluated=()):
    if report is None:
        return False, "no JSON report (rc %d): %s" % (rc, stderr[-500:])
    failed = sorted({c["id"] for c in report["checks"] if not c["passed"]})
    seen = {c["id"] for c in report["checks"] if c["evaluated"] > 0}
    want = [] if expected is None else [expected]
    want_rc = 3 if expected in MUST else 0
    missing = sorted(set(evaluated) - seen)
    slow = report["seconds"] > MAX_SECONDS.get(name, 1e9)
    ok = failed == want and rc == want_rc and not missing and not slow
    detail = "failed checks %s (want %s), rc %d (want %d)" % (failed, want, rc, want_rc)
    if missing:
        detail += ", not evaluated: %s" % missing
    if slow:
        detail += ", took longer than %gs" % MAX_SECONDS[name]
    if not ok:
        for f in report["findings"]:
            detail += "\n    %s %s: %s %s" % (f["level"], f["check"], f["family"], f["message"])
    return ok, detail + " in %.1fs" % report["seconds"]


def run_case(binary, name):
    if name in SPECIAL:
        mode, expected, flags, evaluated = SPECIAL[name]
        return judge(name, *check(binary, mode, flags), expected, evaluated)
    expected, extra = CASES[name]
    return judge(name, *check(binary, name, COMMON + extra), expected)


def run_replay(binary):
    """A fuzz finding's replay line, sent again with --replay, fails the same check."""
    rc, report, stderr = check(binary, "odd-accept-500", COMMON)
    if report is None:
        return False, "no JSON report (rc %d): %s" % (rc, stderr[-500:])
    lines = [f["replay"] for f in report["findings"]
             if f["check"] == "fuzz-server-error" and f.get("replay")]
    if not lines:
        return False, "the fuzz run recorded no replay line for fuzz-server-error"
    with tempfile.NamedTemporaryFile("w", suffix=".replay", delete=False) as f:
        f.write("# recorded by exporter_defects.py\n" + lines[0] + "\n")
        path = f.name
    try:
        rc, again, stderr = check(binary, "odd-accept-500",
                                  ["--scrapes", "1", "--replay", path, "--report", "json"])
    finally:
        os.unlink(path)
    ok, detail = judge("replay", rc, again, stderr, "fuzz-server-error", ["fuzz-server-error"])
    replays = [f.get("replay") for f in (again or {}).get("findings", [])
               if f["check"] == "fuzz-server-error"]
    same = replays == [lines[0]]
    return ok and same, detail + ("" if same else ", replay lines %s (want [%r])" %
                                  (replays, lines[0]))


def main():
    binary = sys.argv[1]
    names = sys.argv[3:] or list(CASES) + list(SPECIAL) + ["replay"]
    bad = 0
    for name in names:
        ok, detail = run_replay(binary) if name == "replay" else run_case(binary, name)
        print("%s %s: %s" % ("ok  " if ok else "FAIL", name, detail), flush=True)
        bad += not ok
    print("%d of %d cases as expected" % (len(names) - bad, len(names)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
