#!/usr/bin/env python3
"""Differential test of metric relabeling against a real Prometheus (Debian's 2.42).

Starts Prometheus on 127.0.0.1 with a temporary TSDB and a generated prometheus.yml: one scrape
job per rule set of RULE_SETS (every action and the expansion corner cases) on a synthetic
payload, and a few jobs on a fixed capture of node_exporter's output. Every job scrapes a
loopback HTTP server started here, which serves the fixed payloads. Once each job has been
scraped, the stored series are read back through /api/v1/series and compared with what
`promtool-cpp relabel --rules` predicts for the same payload and rules: zero differences are
required.

Two more jobs scrape a payload whose labels collide with the target labels, with static labels,
target relabeling (instance rewritten, a label taken from __address__), honor_labels false and
true, and metric rules: their prediction is `promtool-cpp scrape --prometheus-config` run on the
very prometheus.yml Prometheus runs with (SCRAPE_JOBS).

For the rule-set jobs, Prometheus attaches the target labels job and instance before metric
relabeling; the prediction does the same with two leading replace rules (the payloads have no job or instance label). A
trailing rule adds oracle_job=<job> on both sides so that the stored series can be told apart by
job even when a rule removes `job`. The series Prometheus makes itself (up, scrape_*) are left
out. Known differences of Prometheus 2.42 from the Prometheus 3 semantics the engine follows are
kept out of the table and written down in docs/relabeling.md: `.` does not match a newline in
2.42, and 2.42 does not normalise `le`/`quantile` values (the comparison reads them as numbers).

Usage: relabel_prometheus.py --cli PROMTOOL_CPP [--prometheus BIN] [--node-exporter BIN]
Exit 0 when nothing differs, 1 on a difference or failure, 77 when Prometheus is missing.
"""

import argparse
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

DEADLINE_SECONDS = 50  # the whole run; ctest's timeout is 60 s

SYNTHETIC = """\
# HELP http_requests_total Requests served.
# TYPE http_requests_total counter
http_requests_total{code="200",method="GET",pod="api-7d9f",token="s3cr3t"} 10
http_requests_total{code="500",method="POST",pod="web-1",token="x"} 2
http_requests_total{code="404",method="GET",pod="Api-2"} 1
# TYPE temperature_celsius gauge
temperature_celsius{room="Kitchen",sensor="A1"} 21.5
temperature_celsius{copy="kitchen",room="kitchen",sensor="b2"} 20
temperature_celsius{copy="hall",room="Hall",sensor="c3"} 19
app_info{env="Prod",region="eu-west-1",version="1.2.3"} 1
app_info{env="dev",version="ß-Ünïcode"} 1
queue_depth 3
queue_depth_max{q=""} 7
# TYPE lat histogram
lat_bucket{le="0.5",path="/a"} 1
lat_bucket{le="1.0",path="/a"} 2
lat_bucket{le="+Inf",path="/a"} 3
lat_sum{path="/a"} 2.5
lat_count{path="/a"} 3
"""


def R(**kw):
    return kw


# (name, rules): each rule is written as in prometheus.yml (JSON is YAML).
RULE_SETS = [
    ("none", []),
    ("replace_group", [R(source_labels=["pod"], regex="(.*)-(.*)", target_label="pod_prefix",
                         replacement="$1")]),
    ("replace_braced", [R(source_labels=["pod"], regex="([a-zA-Z]+)-.*", target_label="app",
                          replacement="${1}_app")]),
    ("replace_dollar_1x_is_a_name", [R(source_labels=["pod"], regex="([a-z]+)-.*",
                                       target_label="method", replacement="$1x")]),
    ("replace_named_groups", [R(source_labels=["pod"], regex="(?P<app>[a-z]+)-(?P<id>.*)",
                                target_label="$app", replacement="id_${id}")]),
    ("replace_empty_deletes", [R(source_labels=["token"], regex=".+", target_label="token",
                                 replacement="")]),
    ("replace_missing_source", [R(source_labels=["nonexistent"], target_label="added",
                                  replacement="set")]),
    ("replace_missing_source_regex", [R(source_labels=["nonexistent"], regex="(.*)",
                                        target_label="added", replacement="v$1")]),
    ("replace_separator", [R(source_labels=["code", "method"], separator="/",
                             target_label="route")]),
    ("replace_defaults_copy", [R(source_labels=["room"], target_label="room_copy")]),
    ("replace_name", [R(source_labels=["__name__"], regex="(http_requests)_total",
                        target_label="__name__", replacement="${1}_served_total")]),
    ("replace_histogram_whole", [R(source_labels=["__name__"], regex="lat(_bucket|_sum|_count)?",
                                   target_label="__name__",
                                   replacement="request_latency_seconds${1}")]),
    ("replace_dollar_dollar", [R(source_labels=["env"], regex="(.+)", target_label="lit",
                                 replacement="$$1-$1")]),
    ("replace_unicode_value", [R(source_labels=["version"], regex="(.)-(.*)",
                                 target_label="first", replacement="$1")]),
    ("keep", [R(source_labels=["__name__"], regex="http_.*|queue_.*", action="keep")]),
    ("keep_anchored", [R(source_labels=["pod"], regex="api", action="keep")]),
    ("drop", [R(source_labels=["code"], regex="5..", action="drop")]),
    ("drop_case_insensitive", [R(source_labels=["room"], regex="(?i)kitchen", action="drop")]),
    ("keepequal", [R(source_labels=["room"], target_label="copy", action="keepequal")]),
    ("dropequal", [R(source_labels=["room"], target_label="copy", action="dropequal")]),
    ("hashmod", [R(source_labels=["pod", "room"], modulus=7, target_label="shard",
                   action="hashmod")]),
    ("hashmod_keep_shard", [R(source_labels=["sensor"], modulus=2,
                              target_label="__tmp_shard", action="hashmod"),
                            R(source_labels=["__tmp_shard"], regex="1", action="keep"),
                            R(regex="__tmp_shard", action="labeldrop")]),
    ("labelmap", [R(regex="(r.*)", replacement="mapped_$1", action="labelmap")]),
    ("labelmap_default_replacement", [R(regex="(s)ensor", action="labelmap")]),
    ("labeldrop", [R(regex="token|sensor", action="labeldrop")]),
    ("labelkeep", [R(regex="__name__|code|room|le|job|instance", action="labelkeep")]),
    ("lowercase", [R(source_labels=["room"], target_label="room", action="lowercase")]),
    ("lowercase_unicode", [R(source_labels=["version"], target_label="v", action="lowercase")]),
    ("uppercase", [R(source_labels=["env", "region"], separator="-", target_label="ENV_REGION",
                     action="uppercase")]),
    ("chain", [R(source_labels=["pod"], target_label="pod_name"),
               R(source_labels=["pod_name"], regex="(api)-.*", target_label="tier",
                 replacement="front-$1"),
               R(source_labels=["tier", "code"], regex="front-api;2..", action="drop"),
               R(regex="pod", action="labeldrop")]),
]

NODE_RULE_SETS = [
    ("node_none", []),
    ("node_docs_examples", [R(source_labels=["__name__"], regex="go_.*", action="drop"),
                            R(source_labels=["cpu"], target_label="cpu_name"),
                            R(regex="mode", action="labeldrop"),
                            R(source_labels=["device"], modulus=4, target_label="shard",
                              action="hashmod")]),
    ("node_rename_counters", [R(source_labels=["__name__"], regex="node_(.*)_total",
                                target_label="__name__", replacement="host_${1}_total")]),
]

# Payload of the scrape jobs: labels that collide with the target labels (job, instance, team),
# an exported_job that is taken already, and a family the jobs' rules drop.
LABELS_PAYLOAD = """\
# TYPE builds_total counter
builds_total{instance="ci-1",job="exporter",state="ok"} 7
builds_total{state="failed",team="platform"} 1
# TYPE go_goroutines gauge
go_goroutines 12
# TYPE build_info gauge
build_info{exported_job="old",job="new",version="1.2"} 1
"""

# Jobs predicted by `scrape --prometheus-config F --job J` (the whole scrape as Prometheus
# ingests it: target labels from static_configs and target relabeling, honor_labels, the job's
# metric_relabel_configs) rather than by `relabel --rules`: (name, settings of the scrape config).
SCRAPE_JOBS = [
    ("scrape_target_labels", {
        "honor_labels": False,
        "static_labels": {"team": "ci", "env": "prod"},
        "relabel_configs": [R(source_labels=["__address__"], regex=r"127\.0\.0\.1:(\d+)",
                              target_label="port"),
                            R(target_label="instance", replacement="builder")],
        "metric_relabel_configs": [R(source_labels=["__name__"], regex="go_.*", action="drop"),
                                   R(source_labels=["state"], target_label="result")]}),
    ("scrape_honor_labels", {
        "honor_labels": True,
        "static_labels": {"team": "ci"},
        "relabel_configs": [],
        "metric_relabel_configs": [R(source_labels=["exported_job"], regex="(.+)",
                                     target_label="previous_job")]}),
]

# Series Prometheus writes itself for every target; no rule applies to them.
SCRAPE_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
                 "scrape_samples_post_metric_relabeling", "scrape_series_added"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(payloads):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = payloads.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def capture_node_exporter(binary, deadline):
    port = free_port()
    proc = subprocess.Popen([binary, f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.time() < deadline:
            try:
                return get(f"http://127.0.0.1:{port}/metrics", timeout=5)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("node_exporter did not answer")
    finally:
        stop(proc)


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+\S+(\s+\S+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def number_text(v):
    """le/quantile values as numbers: 2.42 keeps them as written, Prometheus 3 normalises."""
    try:
        return repr(float(v))
    except ValueError:
        return v


def normalise(labels):
    out = dict(labels)
    for k in ("le", "quantile"):
        if k in out:
            out[k] = number_text(out[k])
    return frozenset(out.items())


def parse_text(text):
    """The series of a text exposition: one label set per sample line."""
    series = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            raise ValueError(f"cannot read sample line {line!r}")
        labels = {"__name__": m.group(1)}
        body = m.group(3) or ""
        pos = 0
        while pos < len(body):
            lm = LABEL.match(body, pos)
            if not lm:
                raise ValueError(f"cannot read labels in {line!r}")
            labels[lm.group(1)] = unescape(lm.group(2))
            pos = lm.end()
        series.add(normalise({k: v for k, v in labels.items() if v != ""}))
    return series


def show(labels):
    d = dict(labels)
    name = d.pop("__name__", "")
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(d.items())) + "}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--prometheus", default="/usr/bin/prometheus")
    ap.add_argument("--node-exporter", default="/usr/bin/prometheus-node-exporter")
    args = ap.parse_args()
    if not os.access(args.prometheus, os.X_OK):
        print(f"skip: {args.prometheus} not installed")
        return 77
    deadline = time.time() + DEADLINE_SECONDS
    tmp = tempfile.mkdtemp(prefix="relabel-oracle-")
    prom = server = None
    try:
        payloads = {"/synthetic": SYNTHETIC.encode(), "/labels": LABELS_PAYLOAD.encode()}
        jobs = [(name, rules, "/synthetic") for name, rules in RULE_SETS]
        jobs += [(name, settings["metric_relabel_configs"], "/labels")
                 for name, settings in SCRAPE_JOBS]
        scrape_jobs = dict(SCRAPE_JOBS)
        if os.access(args.node_exporter, os.X_OK):
            payloads["/node"] = capture_node_exporter(args.node_exporter, deadline)
            jobs += [(name, rules, "/node") for name, rules in NODE_RULE_SETS]
        else:
            print(f"note: {args.node_exporter} not installed; node_exporter jobs skipped")
        server = serve(payloads)
        target = f"127.0.0.1:{server.server_address[1]}"

        def full_rules(job, rules):
            return rules + [R(target_label="oracle_job", replacement=job)]

        def scrape_config(job, rules, path):
            c = {"job_name": job, "metrics_path": path,
                 "static_configs": [{"targets": [target]}],
                 "metric_relabel_configs": full_rules(job, rules)}
            if job in scrape_jobs:
                settings = scrape_jobs[job]
                c["honor_labels"] = settings["honor_labels"]
                c["static_configs"][0]["labels"] = settings["static_labels"]
                c["relabel_configs"] = settings["relabel_configs"]
            return c

        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
            "scrape_configs": [scrape_config(*j) for j in jobs],
        }
        config_path = os.path.join(tmp, "prometheus.yml")
        with open(config_path, "w") as f:
            json.dump(config, f, indent=1)

        # The prediction first: a rule the CLI refuses fails the test before Prometheus starts.
        predicted = {}
        for job, rules, path in jobs:
            if job in scrape_jobs:
                # The whole scrape predicted from the configuration Prometheus runs with.
                proc = subprocess.run([args.cli, "scrape", "--prometheus-config", config_path,
                                       "--job", job], capture_output=True, timeout=30)
                if proc.returncode != 0:
                    print(f"FAIL {job}: promtool-cpp scrape --prometheus-config exited "
                          f"{proc.returncode}: {proc.stderr.decode(errors='replace')}")
                    return 1
                predicted[job] = parse_text(proc.stdout.decode())
                continue
            rules_path = os.path.join(tmp, f"rules_{job}.yml")
            with open(rules_path, "w") as f:
                json.dump([R(target_label="job", replacement=job),
                           R(target_label="instance", replacement=target)]
                          + full_rules(job, rules), f, indent=1)
            payload_path = os.path.join(tmp, path.strip("/") + ".prom")
            with open(payload_path, "wb") as f:
                f.write(payloads[path])
            proc = subprocess.run([args.cli, "relabel", "--rules", rules_path,
                                   "--name-validation=legacy", payload_path],
                                  capture_output=True, timeout=30)
            if proc.returncode != 0:
                print(f"FAIL {job}: promtool-cpp relabel exited {proc.returncode}: "
                      f"{proc.stderr.decode(errors='replace')}")
                return 1
            predicted[job] = parse_text(proc.stdout.decode())

        port = free_port()
        prom = subprocess.Popen(
            [args.prometheus, f"--config.file={config_path}",
             f"--storage.tsdb.path={os.path.join(tmp, 'data')}",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "prometheus.log"), "wb"))
        api = f"http://127.0.0.1:{port}/api/v1"

        def series():
            q = urllib.parse.urlencode({"match[]": '{__name__=~".+"}'})
            return json.loads(get(f"{api}/series?{q}", timeout=5))["data"]

        # Wait until every job has been scraped: its `up` series exists, and up's sample is
        # committed with the scrape's samples.
        want = {job for job, _, _ in jobs}
        while True:
            if prom.poll() is not None or time.time() > deadline:
                with open(os.path.join(tmp, "prometheus.log"), errors="replace") as f:
                    log = f.read()[-3000:]
                print(f"FAIL: Prometheus stopped or the jobs were not all scraped in time\n{log}")
                return 1
            try:
                stored = series()
                seen = {s.get("job") for s in stored if s["__name__"] == "up"}
                if want <= seen:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        time.sleep(1.2)  # one more scrape interval: series of every job's first scrape are in
        stored = series()

        got = {job: set() for job in want}
        for s in stored:
            if s["__name__"] in SCRAPE_SERIES and "oracle_job" not in s:
                continue
            job = s.get("oracle_job")
            if job not in got:
                print(f"FAIL: stored series without a known oracle_job: {s}")
                return 1
            got[job].add(normalise(s))

        differences = 0
        for job, rules, path in jobs:
            missing = predicted[job] - got[job]
            extra = got[job] - predicted[job]
            status = "ok" if not missing and not extra else "DIFF"
            print(f"{status} {job} ({path.strip('/')}): {len(got[job])} series stored, "
                  f"{len(predicted[job])} predicted")
            for s in sorted(map(show, missing))[:10]:
                print(f"  predicted, not stored: {s}")
            for s in sorted(map(show, extra))[:10]:
                print(f"  stored, not predicted: {s}")
            differences += len(missing) + len(extra)
        print(f"{len(jobs)} jobs, {differences} differing series")
        return 0 if differences == 0 else 1
    finally:
        stop(prom)
        if server is not None:
            server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
