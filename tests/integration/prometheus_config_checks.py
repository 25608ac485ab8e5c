#!/usr/bin/env python3
"""Checks the targets of a prometheus.yml: `check metrics --prometheus-config` lints what
Prometheus would ingest from each loopback target (metric_relabel_configs applied, target
labels attached) and names every result by job and instance in every report mode; `check
exporter --prometheus-config` checks each target with its job's bearer token. Asserts the exit
codes, the names, that a family the job drops is never reported, and that no secret is printed.

usage: prometheus_config_checks.py PROMTOOL_CPP ROOT
Only 127.0.0.1 is used; every server started here is stopped on exit.
"""
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

TOKEN = "lint-tok-8e21f0"
BODY = (b"# HELP jobs_done_total Jobs done.\n# TYPE jobs_done_total counter\n"
        b"jobs_done_total 3\n"
        b"# TYPE queueDepth gauge\nqueueDepth 2\n"
        b"# TYPE go_threads gauge\ngo_threads 9\n")


def handler(expect_auth):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if expect_auth and self.headers.get("Authorization") != expect_auth:
                self.send_response(401)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, *args):
            pass
    return H


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    binary = os.path.abspath(sys.argv[1])
    servers = []
    failures = []
    try:
        for auth in (None, "Bearer " + TOKEN):
            s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(auth))
            threading.Thread(target=s.serve_forever, daemon=True).start()
            servers.append(s)
        plain, secured = (f"127.0.0.1:{s.server_address[1]}" for s in servers)
        down = f"127.0.0.1:{closed_port()}"
        names = {
            "app": f'job="app" instance="{plain}" url="http://{plain}/metrics"',
            "secured": f'job="secured" instance="{secured}" url="http://{secured}/metrics"',
            "down": f'job="down" instance="{down}" url="http://{down}/metrics"',
        }
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, "prometheus.yml")
            with open(config, "w") as f:
                f.write(f"""
scrape_configs:
  - job_name: app
    static_configs: [{{targets: ["{plain}"]}}]
    metric_relabel_configs:
      - {{source_labels: [__name__], regex: go_.*, action: drop}}
  - job_name: secured
    authorization: {{credentials: {TOKEN}}}
    static_configs: [{{targets: ["{secured}"]}}]
  - job_name: down
    static_configs: [{{targets: ["{down}"]}}]
""")

            def run(*args):
                p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60,
                                   cwd=tmp)
                if TOKEN in p.stdout or TOKEN in p.stderr:
                    failures.append(f"secret printed by {args}")
                return p

            # promtool's mode: every line prefixed with its target's name; exit 3 (problems).
            expected = [
                f"{names['app']}: queueDepth metric names should be written in 'snake_case' "
                "not 'camelCase'",
                f"{names['app']}: queueDepth no help text",
            ]
            p = run("check", "metrics", "--prometheus-config", config)
            lines = p.stderr.splitlines()
            if p.returncode != 1 or lines[:2] != expected \
                    or not lines[-1].startswith(f"{names['down']}: error while linting: "
                                                f"http://{down}/metrics: "):
                failures.append(f"promtool mode: rc={p.returncode}\n{p.stderr}")
            if "go_threads" in p.stderr and names["app"] + ": go_threads" in p.stderr:
                failures.append("a family the job drops was linted")
            # The secured job: its token is sent (else 401), and its go_threads is linted.
            if f"{names['secured']}: go_threads no help text" not in lines:
                failures.append(f"secured target: {p.stderr}")

            # JSON: inputs and problems named by target; exit 3 without the down job.
            p = run("check", "metrics", "--prometheus-config", config, "--job", "app",
                    "--report", "json")
            doc = json.loads(p.stdout) if p.stdout else {}
            if p.returncode != 3 or doc.get("inputs") != [names["app"]] or \
                    [(x["file"], x["rule"], x["line"]) for x in doc.get("problems", [])] != \
                    [(names["app"], "camel-case-metric", 4), (names["app"], "no-help", 4)]:
                failures.append(f"json: rc={p.returncode}\n{p.stdout}\n{p.stderr}")

            # SARIF, JUnit and GitHub name the target too.
            p = run("check", "metrics", "--prometheus-config", config, "--job", "secured",
                    "--report", "sarif")
            doc = json.loads(p.stdout) if p.stdout else {}
            uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
                    for r in doc.get("runs", [{}])[0].get("results", [])
                    for loc in r.get("locations", [])}
            if p.returncode != 3 or len(uris) != 1 or "secured" not in next(iter(uris)):
                failures.append(f"sarif: rc={p.returncode}\n{p.stdout}\n{p.stderr}")
            p = run("check", "metrics", "--prometheus-config", config, "--job", "app",
                    "--report", "junit")
            suites = [s.get("name") for s in ET.fromstring(p.stdout).iter("testsuite")] \
                if p.stdout else []
            if p.returncode != 3 or suites != [names["app"]]:
                failures.append(f"junit: rc={p.returncode}\n{p.stdout}\n{p.stderr}")
            p = run("check", "metrics", "--prometheus-config", config, "--job", "down",
                    "--report", "github")
            if p.returncode != 1 or not p.stdout.startswith("::error file=job=\"down\"") \
                    or "title=input-error" not in p.stdout:
                failures.append(f"github: rc={p.returncode}\n{p.stdout}\n{p.stderr}")

            # An unknown job: an error naming it and suggesting the closest.
            p = run("check", "metrics", "--prometheus-config", config, "--job", "secure")
            if p.returncode != 1 or p.stderr != (
                    f'{config}: error: no scrape config with job name "secure"; did you mean '
                    '"secured"?\n'):
                failures.append(f"unknown job: rc={p.returncode}\n{p.stderr}")

            # check exporter: the job's bearer token is sent on every request.
            p = run("check", "exporter", "--prometheus-config", config, "--job", "secured",
                    "--report", "json")
            doc = json.loads(p.stdout) if p.stdout else {}
            statuses = {x["status"] for x in doc.get("exchanges", [])}
            if doc.get("targets") != [names["secured"]] or statuses != {200} or \
                    any(x["target"] != names["secured"] for x in doc.get("findings", [])):
                failures.append(f"check exporter: rc={p.returncode}\n{p.stdout[:2000]}\n"
                                f"{p.stderr}")
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
    for f in failures:
        print("FAIL:", f)
    print("ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
