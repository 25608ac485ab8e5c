#!/usr/bin/env python3
"""`check exporter` against real exporters started here on 127.0.0.1.

Targets: Debian's prometheus-node-exporter, prometheus-pushgateway with a pushed metric,
prometheus' own /metrics, and a python3-prometheus-client app serving OpenMetrics with
exemplars. Each must pass every MUST check, except the violations listed in KNOWN, which the
report must name (check id and the spec sentence in the JSON finding). node_exporter is also run
with `--scrapes 3 --interval 1s --fuzz`: under 30 s, exit 0. Each run prints the checker's wall
time and its own peak RSS (ru_maxrss from wait4 on that process).

usage: exporter_real.py PROMTOOL_CPP ROOT
Exits 77 (skipped) when none of the exporters is installed. Every process started here is
stopped on exit; every run is bounded by a timeout.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

# exporter -> MUST check ids the real exporter is known to fail (and why), asserted as named.
KNOWN = {
    # python3-prometheus-client 0.16 answers an Accept that names only OpenMetricsText1.0.0 with
    # `application/openmetrics-text; version=0.0.1` (choose_encoder matches the media type and
    # ignores the version): "If no fallback is specified, the target MUST use PrometheusText0.0.4
    # as a last resort." (content_negotiation.md).
    "python_client": {"negotiation-last-resort"},
}

PY_APP = r'''
import sys, time
from prometheus_client import Counter, Histogram, start_http_server
c = Counter("app_requests", "Requests handled.", ["path"])
h = Histogram("app_latency_seconds", "Request latency.")
for p in ("/a", "/b"):
    c.labels(p).inc(3, exemplar={"trace_id": "abc123"})
h.observe(0.2, exemplar={"trace_id": "def456"})
start_http_server(int(sys.argv[1]), addr="127.0.0.1")
while True:
    time.sleep(1)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def check(binary, name, url, extra=()):
    t0 = time.time()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen([binary, "check", "exporter", url, "--report", "json", *extra],
                             stdout=out, stderr=subprocess.DEVNULL)
        timer = threading.Timer(120, lambda: os.kill(p.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)  # this process's own rusage
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.time() - t0
        out.seek(0)
        report = json.loads(out.read().decode())
    must_failed = sorted({c["id"] for c in report["checks"]
                          if c["level"] == "MUST" and not c["passed"]})
    known = sorted(KNOWN.get(name, {}))
    named = all(any(f["check"] == k and f.get("spec") for f in report["findings"]) for k in known)
    ok = must_failed == known and named and p.returncode == (3 if known else 0)
    s = report["summary"]
    print("%s %s: MUST %d/%d, SHOULD %d/%d, rc %d, %.1fs wall, peak RSS %d KiB%s"
          % ("ok  " if ok else "FAIL", name, s["MUST"]["passed"], s["MUST"]["evaluated"],
             s["SHOULD"]["passed"], s["SHOULD"]["evaluated"], p.returncode, seconds,
             usage.ru_maxrss, "" if ok else " failed MUST %s (known %s)" % (must_failed, known)))
    for f in report["findings"]:
        if not f["check"].startswith("lint/"):
            print("    %s %s: %s %s" % (f["level"], f["check"], f["family"], f["message"][:200]))
    return ok, seconds


def main():
    binary = sys.argv[1]
    procs, results = [], []
    tmp = tempfile.mkdtemp(prefix="exporter_real_")
    try:
        ne = "/usr/bin/prometheus-node-exporter"
        if os.path.exists(ne):
            port = free_port()
            procs.append(subprocess.Popen(
                [ne, "--web.listen-address=127.0.0.1:%d" % port],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            url = "http://127.0.0.1:%d/metrics" % port
            if wait_for(url):
                ok, seconds = check(binary, "node_exporter", url,
                                    ["--scrapes", "3", "--interval", "1s", "--fuzz"])
                results.append(ok and seconds < 30)
                if seconds >= 30:
                    print("FAIL node_exporter acceptance run took %.1fs (limit 30s)" % seconds)
        pg = "/usr/bin/prometheus-pushgateway"
        if os.path.exists(pg):
            port = free_port()
            procs.append(subprocess.Popen(
                [pg, "--web.listen-address=127.0.0.1:%d" % port],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            base = "http://127.0.0.1:%d" % port
            if wait_for(base + "/metrics"):
                req = urllib.request.Request(
                    base + "/metrics/job/exporter_real/instance/a", method="PUT",
                    data=b"# HELP pushed_jobs_total Jobs pushed.\n# TYPE pushed_jobs_total counter\n"
                         b"pushed_jobs_total{queue=\"x\"} 7\n")
                urllib.request.urlopen(req, timeout=5).close()
                results.append(check(binary, "pushgateway", base + "/metrics",
                                     ["--scrapes", "2", "--interval", "1s"])[0])
        prom = "/usr/bin/prometheus"
        if os.path.exists(prom):
            port = free_port()
            cfg = os.path.join(tmp, "prometheus.yml")
            with open(cfg, "w") as f:
                f.write("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
            procs.append(subprocess.Popen(
                [prom, "--config.file=" + cfg, "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                 "--web.listen-address=127.0.0.1:%d" % port],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            url = "http://127.0.0.1:%d/metrics" % port
            if wait_for(url):
                results.append(check(binary, "prometheus", url,
                                     ["--scrapes", "2", "--interval", "1s"])[0])
        py = "/usr/bin/python3"
        if subprocess.run([py, "-c", "import prometheus_client"],
                          capture_output=True).returncode == 0:
            port = free_port()
            procs.append(subprocess.Popen([py, "-c", PY_APP, str(port)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            url = "http://127.0.0.1:%d/metrics" % port
            if wait_for(url):
                results.append(check(binary, "python_client", url,
                                     ["--scrapes", "2", "--interval", "1s"])[0])
    finally:
        for p in procs:
            p.kill()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    if not results:
        print("skipped: no exporter installed")
        return 77
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
