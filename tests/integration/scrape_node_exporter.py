#!/usr/bin/env python3
"""Scrapes Debian's prometheus-node-exporter (started here on 127.0.0.1) with promtool-cpp.

1. Each negotiated format (--scrape-protocols PrometheusProto, OpenMetricsText1.0.0,
   PrometheusText0.0.4) gives the same families: names, types and the label sets of every series
   (values change between scrapes, so they are not compared). node_exporter 1.5 does not offer
   OpenMetrics, so an OpenMetrics-only Accept header gets its text format; the negotiated format
   is printed. The OpenMetrics path is then checked against python3-prometheus-client's
   exposition server (which does offer OpenMetrics), OpenMetrics vs text, ignoring the text
   format's `_created` gauge families (OpenMetrics carries them as created timestamps).
2. `promtool-cpp check metrics URL` prints the same problem lines (and exit code) as
   `curl -s URL | promtool-cpp check metrics`. Lint problems depend on family names, HELP, TYPE
   and label sets, not on values; the collectors started here (cpu, meminfo, loadavg, stat, time,
   uname, vmstat, netdev) expose a fixed set of families and series, so two scrapes agree. To stay
   robust against a series appearing between the two scrapes (a new network device, a CPU coming
   online), the comparison is retried up to 3 times and passes when one pair agrees.

usage: scrape_node_exporter.py PROMTOOL_CPP ROOT
Exits 77 (skipped) when prometheus-node-exporter is missing. Only 127.0.0.1 is used; every
process started here is stopped on exit.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

COLLECTORS = ["cpu", "meminfo", "loadavg", "stat", "time", "uname", "vmstat", "netdev"]
results = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {url}")


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))


def run(binary, *args, stdin=None):
    return subprocess.run([binary, *args], capture_output=True, input=stdin, timeout=30)


def families(binary, url, protocols):
    """name -> (type, sorted label sets), and the negotiated format."""
    p = run(binary, "scrape", "--scrape-protocols", protocols, "--to=json", url)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode())
    out = {}
    for fam in json.loads(p.stdout):
        sets = sorted(tuple(sorted(m.get("labels", {}).items())) for m in fam.get("metrics", []))
        out[fam["name"]] = (fam["type"], sets)
    v = run(binary, "validate", "--scrape-protocols", protocols, url)
    fmt = v.stdout.decode().split(": valid ")[-1].split(",")[0]
    return out, fmt


def describe_difference(a, b):
    names = sorted(set(a) ^ set(b))
    if names:
        return f"families only on one side: {names[:5]}"
    diff = [n for n in a if a[n] != b[n]]
    return f"families that differ: {diff[:5]}"


def agree(binary, url, protocol_sets, skip=lambda name: False, tries=3):
    """Scrapes with each protocol list until all agree (or `tries` rounds); returns the last."""
    for attempt in range(tries):
        got = []
        for protocols in protocol_sets:
            fams, fmt = families(binary, url, protocols)
            got.append(({k: v for k, v in fams.items() if not skip(k)}, fmt))
        if all(g[0] == got[0][0] for g in got):
            return got, ""
    return got, describe_difference(got[0][0], next(g[0] for g in got if g[0] != got[0][0]))


def check_node_exporter(binary):
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    args = ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{port}",
            "--collector.disable-defaults"] + [f"--collector.{c}" for c in COLLECTORS]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(url)
        run(binary, "scrape", url)  # warm-up: families created on the first scrape exist now
        protocol_sets = ["PrometheusProto", "OpenMetricsText1.0.0", "PrometheusText0.0.4"]
        got, why = agree(binary, url, protocol_sets)
        formats = [g[1] for g in got]
        print(f"     node_exporter negotiated: {dict(zip(protocol_sets, formats))}, "
              f"{len(got[0][0])} families")
        check("node_exporter: protobuf, OpenMetrics-asked and text scrapes have the same "
              "families and label sets", not why, why)
        check("node_exporter: protobuf negotiated for PrometheusProto, text for "
              "PrometheusText0.0.4", formats[0] == "protobuf" and formats[2] == "text",
              str(formats))

        for attempt in range(3):
            direct = run(binary, "check", "metrics", url)
            body = subprocess.run(["curl", "-s", url], capture_output=True, check=True).stdout
            piped = run(binary, "check", "metrics", stdin=body)
            same = (direct.returncode, direct.stdout, direct.stderr) == \
                (piped.returncode, piped.stdout, piped.stderr)
            if same:
                break
        problems = len(direct.stderr.splitlines())
        check(f"check metrics URL == curl -s URL | check metrics ({problems} problem lines, "
              f"exit {direct.returncode})", same and direct.returncode in (0, 3),
              f"{direct.stderr[:300]!r} vs {piped.stderr[:300]!r}")
        p = run(binary, "check", "metrics", "--extended", url, url)
        check("check metrics --extended with two URL inputs prefixes each",
              p.returncode in (0, 3) and p.stdout.decode().count(f"{url}:\n") == 2,
              p.stdout.decode()[:300])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


PY_CLIENT = r"""
import sys, time
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
reg = CollectorRegistry()
c = Counter("demo_requests", "Requests.", ["code"], registry=reg)
c.labels("200").inc(3)
c.labels("500").inc()
Gauge("demo_temperature_celsius", "Temperature.", ["room"], registry=reg).labels("a").set(21.5)
h = Histogram("demo_latency_seconds", "Latency.", registry=reg, buckets=[0.1, 1])
h.observe(0.05)
h.observe(2)
start_http_server(int(sys.argv[1]), addr="127.0.0.1", registry=reg)
time.sleep(60)
"""


def check_python_client_openmetrics(binary):
    python = "/usr/bin/python3"
    if not os.path.exists(python) or subprocess.run(
            [python, "-c", "import prometheus_client"], capture_output=True).returncode != 0:
        print("     skipped: python3-prometheus-client (for /usr/bin/python3) is missing")
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    proc = subprocess.Popen([python, "-c", PY_CLIENT, str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(url)
        got, why = agree(binary, url, ["OpenMetricsText1.0.0", "PrometheusText0.0.4"],
                         skip=lambda name: name.endswith("_created"))
        formats = [g[1] for g in got]
        check("python client: OpenMetrics and text scrapes have the same families",
              not why and formats == ["openmetrics", "text"] and len(got[0][0]) >= 3,
              f"{why} {formats}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if shutil.which("prometheus-node-exporter") is None or shutil.which("curl") is None:
        print("scrape_node_exporter: skipped: prometheus-node-exporter or curl is missing")
        return 77
    check_node_exporter(binary)
    check_python_client_openmetrics(binary)
    failed = results.count(False)
    print(f"scrape_node_exporter: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
