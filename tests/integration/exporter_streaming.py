#!/usr/bin/env python3
"""`check exporter` streams bodies: memory stays bounded whatever the body's size.

A loopback exporter (exporter_server.py big MB) serves a valid body of MB MiB, generated while it
is sent. The checker runs against a 32 MiB and a 256 MiB body without a body size limit: both pass
every MUST check, every matrix response is read to its last byte, and the checker's peak RSS
(ru_maxrss of that process, from wait4) stays under a fixed bound and does not grow with the body
(the larger run within 1.25x + 16 MiB of the smaller). A run with --body-size-limit 8MiB fails
exactly scrape-limits (exit 3) and is bounded too.

usage: exporter_streaming.py PROMTOOL_CPP ROOT
Only 127.0.0.1 is used; every process started here is killed on exit, each run is bounded by a
timeout.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
RSS_BOUND_MIB = 128  # half the 256 MiB body (whole-body reads held each body at least once)
RUN_TIMEOUT = 240


def start_server(mib):
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "exporter_server.py"), "big",
                               str(mib)], stdout=subprocess.PIPE, text=True)
    return server, int(server.stdout.readline())


def run(binary, mib, extra):
    """(rc, report, peak RSS in MiB) of one check exporter run against a MIB MiB body."""
    server, port = start_server(mib)
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = subprocess.Popen([binary, "check", "exporter", "http://127.0.0.1:%d/metrics" % port,
                                  "--scrapes", "2", "--interval", "1s", "--timeout", "60s",
                                  "--report", "json", *extra], stdout=out, stderr=err)
            timer = threading.Timer(RUN_TIMEOUT, lambda: os.kill(p.pid, signal.SIGKILL))
            timer.start()
            try:
                _, status, usage = os.wait4(p.pid, 0)
            finally:
                timer.cancel()
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            text, errors = out.read().decode(), err.read().decode()
    finally:
        server.kill()
        server.wait(timeout=10)
    try:
        report = json.loads(text)
    except ValueError:
        raise SystemExit("no JSON report (rc %d): %s" % (p.returncode, errors[-500:]))
    return p.returncode, report, usage.ru_maxrss / 1024.0


def failed_checks(report):
    return sorted({c["id"] for c in report["checks"] if not c["passed"]})


def main():
    binary = sys.argv[1]
    bad = []

    def expect(ok, what):
        print("%s %s" % ("ok  " if ok else "FAIL", what), flush=True)
        if not ok:
            bad.append(what)

    rss = {}
    for mib in (32, 256):
        rc, report, rss[mib] = run(binary, mib, ["--body-size-limit", "0"])
        musts = [f for f in report["findings"] if f["level"] == "MUST"]
        expect(rc == 0 and not musts,
               "%d MiB body, no limit: rc %d (want 0), MUST findings %s" %
               (mib, rc, [f["check"] + ": " + f["message"] for f in musts]))
        sizes = {x["bytes"] for x in report["exchanges"]}
        expect(len(report["exchanges"]) == 24 and min(sizes) >= mib << 20 and
               all(not x["error"] for x in report["exchanges"]),
               "%d MiB body: all 24 matrix responses read whole (bytes %s)" % (mib, sorted(sizes)))
        expect(rss[mib] < RSS_BOUND_MIB, "%d MiB body: peak RSS %.1f MiB < %d MiB in %.1fs" %
               (mib, rss[mib], RSS_BOUND_MIB, report["seconds"]))
        notes = " ".join(n["message"] for n in report["notes"])
        expect("were not tracked" in notes and "compared up to 16 MiB" in notes,
               "%d MiB body: the notes name the series and equivalence caps" % mib)
    expect(rss[256] <= rss[32] * 1.25 + 16,
           "peak RSS does not grow with the body: %.1f MiB (256 MiB body) vs %.1f MiB (32 MiB)" %
           (rss[256], rss[32]))

    rc, report, peak = run(binary, 256, ["--body-size-limit", "8MiB"])
    failed = failed_checks(report)
    limit_errors = [x for x in report["exchanges"] if "body size limit" in x["error"]]
    expect(failed == ["scrape-limits"] and rc == 3,
           "--body-size-limit 8MiB: failed checks %s (want ['scrape-limits']), rc %d (want 3)" %
           (failed, rc))
    expect(len(limit_errors) == len(report["exchanges"]) == 24,
           "--body-size-limit 8MiB: %d of %d matrix responses stopped at the limit" %
           (len(limit_errors), len(report["exchanges"])))
    expect(peak < RSS_BOUND_MIB, "--body-size-limit 8MiB: peak RSS %.1f MiB" % peak)
    print("%d failures" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
