#!/usr/bin/env python3
"""Checks that real Go consumers accept promtool-cpp's delimited protobuf output.

1. Prometheus (Debian's, started here on 127.0.0.1 with --enable-feature=native-histograms, so it
   asks for protobuf) scrapes a loopback HTTP server that serves `promtool-cpp convert
   --to=protobuf` of a corpus payload with the protobuf Content-Type; every series of the payload
   must be found through the HTTP query API, with its value.
2. The Pushgateway (Debian's, on 127.0.0.1) accepts the same bytes as a protobuf push, and its
   /metrics then lists every pushed family.

usage: protobuf_consumers.py PROMTOOL_CPP ROOT
Exits 77 (skipped) when the prometheus or prometheus-pushgateway binaries are missing. Only
loopback addresses are used; every process started here is stopped on exit.
"""
import http.server
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

PB_TYPE = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=delimited")
# Prometheus' own metrics: counters, gauges, summaries (NaN quantiles too) and histograms.
SCRAPED = "corpus/text/valid/prometheus.prom"
# A Pushgateway's metrics: job/instance labels of their own, summaries.
PUSHED = "corpus/text/valid/pushgateway.prom"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def to_protobuf(binary, root, payload):
    return subprocess.run([binary, "convert", "--to=protobuf", os.path.join(root, payload)],
                          check=True, capture_output=True).stdout


def expected_series(binary, root, payload):
    """(name, sorted labels) -> value for every sample line, read back through our own JSON."""
    out = subprocess.run([binary, "convert", "--to=json", os.path.join(root, payload)],
                         check=True, capture_output=True).stdout
    series = {}
    for fam in json.loads(out):
        name = fam["name"]
        for m in fam.get("metrics", []):
            labels = tuple(sorted(m.get("labels", {}).items()))
            if fam["type"] == "SUMMARY":
                for q, v in m.get("quantiles", {}).items():
                    series[(name, tuple(sorted(labels + (("quantile", q),))))] = v
                series[(name + "_sum", labels)] = m["sum"]
                series[(name + "_count", labels)] = m["count"]
            elif fam["type"] == "HISTOGRAM":
                for le, v in m.get("buckets", {}).items():
                    series[(name + "_bucket", tuple(sorted(labels + (("le", le),))))] = v
                series[(name + "_sum", labels)] = m["sum"]
                series[(name + "_count", labels)] = m["count"]
            else:
                series[(name, labels)] = m["value"]
    return series


def Normalised(labels):
    """Sorted label pairs, with le and quantile as numbers (Prometheus writes 0 as "0.0")."""
    out = []
    for k, v in labels.items():
        if k in ("le", "quantile"):
            v = repr(float(v))
        out.append((k, v))
    return tuple(sorted(out))


def same_value(a, b):
    fa, fb = float(a), float(b)
    return (math.isnan(fa) and math.isnan(fb)) or fa == fb


def wait_for(what, check, seconds=60):
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as e:  # the server may not be up yet
            last = e
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what} (last error: {last})")


def check_prometheus(pb, series, work):
    class Handler(http.server.BaseHTTPRequestHandler):
        accept = []

        def do_GET(self):
            Handler.accept.append(self.headers.get("Accept", ""))
            self.send_response(200)
            self.send_header("Content-Type", PB_TYPE)
            self.send_header("Content-Length", str(len(pb)))
            self.end_headers()
            self.wfile.write(pb)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"127.0.0.1:{server.server_address[1]}"
    web = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: pc\n    honor_labels: true\n"
                f"    static_configs:\n      - targets: ['{target}']\n")
    proc = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work}/data",
         f"--web.listen-address=127.0.0.1:{web}", "--enable-feature=native-histograms"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "wb"))
    try:
        api = f"http://127.0.0.1:{web}/api/v1/query?query="

        def query(q):
            body = json.loads(get(api + urllib.parse.quote(q)))
            return body["data"]["result"]

        wait_for("a successful scrape", lambda: any(r["value"][1] == "1" for r in query('up{job="pc"}')))
        if not any("protobuf" in a for a in Handler.accept):
            raise SystemExit(f"Prometheus did not ask for protobuf: {Handler.accept}")
        results = query('{__name__=~".+",__name__!~"up|scrape_.*"}')
        found = {}
        for r in results:
            labels = dict(r["metric"])
            name = labels.pop("__name__")
            # Target labels that Prometheus adds (honor_labels keeps the payload's own).
            if labels.get("job") == "pc":
                del labels["job"]
            if labels.get("instance") == target:
                del labels["instance"]
            found[(name, Normalised(labels))] = r["value"][1]
        series = {(name, Normalised(dict(labels))): v for (name, labels), v in series.items()}
        missing = [k for k in series if k not in found]
        wrong = [(k, series[k], found[k]) for k in series if k in found
                 and not same_value(series[k], found[k])]
        extra = [k for k in found if k not in series]
        if missing or wrong or extra:
            raise SystemExit(f"prometheus: {len(missing)} missing {missing[:5]}, {len(wrong)} wrong "
                             f"{wrong[:5]}, {len(extra)} unexpected {extra[:5]}")
        print(f"prometheus: all {len(series)} series found with their values (Accept: "
              f"{Handler.accept[0][:60]}...)")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.shutdown()


def check_pushgateway(pb, series, work):
    port = free_port()
    proc = subprocess.Popen(["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "pushgateway.log"), "wb"))
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for("the pushgateway", lambda: get(base + "/-/ready") is not None)
        req = urllib.request.Request(base + "/metrics/job/promtool_cpp_test", data=pb, method="PUT",
                                     headers={"Content-Type": PB_TYPE})
        with urllib.request.urlopen(req, timeout=10) as r:
            if r.status // 100 != 2:
                raise SystemExit(f"pushgateway: push answered {r.status}")
        text = get(base + "/metrics").decode()
        names = {k[0] for k in series}
        have = set()
        for line in text.splitlines():
            if line and not line.startswith("#") and 'job="promtool_cpp_test"' in line:
                have.add(line.split("{", 1)[0].split(" ", 1)[0])
        missing = sorted(names - have)
        if missing:
            raise SystemExit(f"pushgateway: pushed families missing from /metrics: {missing[:10]}")
        print(f"pushgateway: accepted the push; all {len(names)} sample names listed")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    binary, root = sys.argv[1], sys.argv[2]
    for tool in ("prometheus", "prometheus-pushgateway"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} not installed (scripts/install-deps.sh installs it)")
            return 77
    with tempfile.TemporaryDirectory() as work:
        check_prometheus(to_protobuf(binary, root, SCRAPED),
                         expected_series(binary, root, SCRAPED), work)
        check_pushgateway(to_protobuf(binary, root, PUSHED),
                          expected_series(binary, root, PUSHED), work)
    print("protobuf_consumers: 2 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
