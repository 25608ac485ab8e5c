#!/usr/bin/env python3
"""`check exporter` against deliberately broken loopback exporters (exporter_server.py).

Each defect class is served by its own server process, started and stopped here, and must be
caught by exactly the intended check id (the set of failed checks in the JSON report equals
{id}); the correct server must pass every check. The exit code must be 3 exactly when a MUST
check failed (the default --fail-on must), else 0.

usage: exporter_defects.py PROMTOOL_CPP ROOT [MODE...]
Only 127.0.0.1 is used; every process started here is killed on exit, each run is bounded by a
timeout.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = ["--scrapes", "3", "--interval", "1s", "--fuzz", "--fuzz-count", "20", "--seed", "1",
          "--report", "json"]

# mode -> (the one check id that must fail, extra flags)
CASES = {
    "correct": (None, []),
    "no-content-type": ("content-type-present", []),
    "wrong-content-type": ("content-type-known", []),
    "accept-ignored": ("negotiation-last-resort", []),
    "om-under-text": ("body-format-mismatch", []),
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
}

MUST = {"content-type-present", "content-type-known", "negotiation-last-resort",
        "body-format-mismatch", "body-om-eof", "counter-monotonic", "series-duplicate",
        "scrape-timeout", "fuzz-server-error", "fuzz-target-dead", "gzip-content-encoding",
        "formats-agree"}


def run_case(binary, mode, expected, extra):
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "exporter_server.py"), mode],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        url = "http://127.0.0.1:%d/metrics" % port
        p = subprocess.run([binary, "check", "exporter", url, *COMMON, *extra],
                           capture_output=True, text=True, timeout=90)
    finally:
        server.kill()
        server.wait(timeout=10)
    try:
        report = json.loads(p.stdout)
    except ValueError:
        return False, "no JSON report (rc %d): %s" % (p.returncode, p.stderr[-500:])
    failed = sorted({c["id"] for c in report["checks"] if not c["passed"]})
    want = [] if expected is None else [expected]
    rc = 3 if expected in MUST else 0
    ok = failed == want and p.returncode == rc
    detail = "failed checks %s (want %s), rc %d (want %d)" % (failed, want, p.returncode, rc)
    if not ok:
        for f in report["findings"]:
            detail += "\n    %s %s: %s %s" % (f["level"], f["check"], f["family"], f["message"])
    return ok, detail + " in %.1fs" % report["seconds"]


def main():
    binary = sys.argv[1]
    modes = sys.argv[3:] or list(CASES)
    bad = 0
    for mode in modes:
        expected, extra = CASES[mode]
        ok, detail = run_case(binary, mode, expected, extra)
        print("%s %s: %s" % ("ok  " if ok else "FAIL", mode, detail), flush=True)
        bad += not ok
    print("%d of %d defect classes as expected" % (len(modes) - bad, len(modes)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
