#!/usr/bin/env python3
"""Scrapes from a prometheus.yml: two static targets (one with a bearer token, Drone-like), and a
file_sd target with basic auth, served by loopback servers this test starts and stops. Asserts
the labelled series of `scrape --prometheus-config`, the `targets` listing, `relabel
--prometheus-config` on a URL, and that no secret appears in any output.

usage: prometheus_config_scrape.py PROMTOOL_CPP ROOT
Only 127.0.0.1 is used; every server started here is stopped on exit.
"""
import base64
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

TOKEN = "drone-tok-5c1e9a"
PASSWORD = "runner-pw-77d0"
BODY = (b"# TYPE builds_total counter\nbuilds_total{job=\"exporter\",state=\"ok\"} 7\n"
        b"# TYPE go_goroutines gauge\ngo_goroutines 12\n")


def handler(expect_auth):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if expect_auth and self.headers.get("Authorization") != expect_auth:
                self.send_response(401)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, *args):
            pass
    return H


def main():
    binary = sys.argv[1]
    servers = []
    try:
        auths = [None, "Bearer " + TOKEN,
                 "Basic " + base64.b64encode(f"runner:{PASSWORD}".encode()).decode()]
        for auth in auths:
            s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(auth))
            threading.Thread(target=s.serve_forever, daemon=True).start()
            servers.append(s)
        plain, drone, runner = (f"127.0.0.1:{s.server_address[1]}" for s in servers)
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "runner.json"), "w") as f:
                json.dump([{"targets": [runner], "labels": {"team": "ci"}}], f)
            with open(os.path.join(tmp, "password"), "w") as f:
                f.write(PASSWORD + "\n")
            config = os.path.join(tmp, "prometheus.yml")
            with open(config, "w") as f:
                f.write(f"""
scrape_configs:
  - job_name: plain
    static_configs: [{{targets: ["{plain}"]}}]
    metric_relabel_configs:
      - {{source_labels: [__name__], regex: go_.*, action: drop}}
  - job_name: drone
    bearer_token: {TOKEN}
    honor_labels: true
    static_configs: [{{targets: ["{drone}"]}}]
  - job_name: runner
    basic_auth: {{username: runner, password_file: password}}
    file_sd_configs: [{{files: ["*.json"]}}]
""")
            failures = []

            def run(*args):
                p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)
                for secret in (TOKEN, PASSWORD):
                    if secret in p.stdout or secret in p.stderr:
                        failures.append(f"secret printed by {args}")
                return p

            p = run("scrape", "--prometheus-config", config)
            expected = [
                f'# job="plain" instance="{plain}" url="http://{plain}/metrics": 2 series, '
                "1 samples ingested, 1 series dropped",
                "# TYPE builds_total counter",
                f'builds_total{{exported_job="exporter",instance="{plain}",job="plain",'
                'state="ok"} 7',
                f'# job="drone" instance="{drone}" url="http://{drone}/metrics": 2 series, '
                "2 samples ingested, 0 series dropped",
                "# TYPE builds_total counter",
                f'builds_total{{instance="{drone}",job="exporter",state="ok"}} 7',
                "# TYPE go_goroutines gauge",
                f'go_goroutines{{instance="{drone}",job="drone"}} 12',
                f'# job="runner" instance="{runner}" url="http://{runner}/metrics": 2 series, '
                "2 samples ingested, 0 series dropped",
                "# TYPE builds_total counter",
                f'builds_total{{exported_job="exporter",instance="{runner}",job="runner",'
                'state="ok",team="ci"} 7',
                "# TYPE go_goroutines gauge",
                f'go_goroutines{{instance="{runner}",job="runner",team="ci"}} 12',
            ]
            if p.returncode != 0 or p.stdout.splitlines() != expected:
                failures.append(f"scrape: rc={p.returncode}\n{p.stdout}\n{p.stderr}")
            if "3 targets: 3 ok, 0 failed, 0 dropped by relabeling" not in p.stderr:
                failures.append(f"scrape summary: {p.stderr}")

            p = run("targets", "--prometheus-config", config, "--report", "json")
            doc = json.loads(p.stdout) if p.returncode == 0 else {}
            labels = [t.get("labels") for t in doc.get("targets", [])]
            if labels != [{"instance": plain, "job": "plain"}, {"instance": drone, "job": "drone"},
                          {"instance": runner, "job": "runner", "team": "ci"}]:
                failures.append(f"targets: rc={p.returncode}\n{p.stdout}\n{p.stderr}")

            p = run("relabel", "--prometheus-config", config, "--job", "plain", "--diff",
                    f"http://{plain}/metrics")
            if p.returncode != 0 or "- go_goroutines\n" not in p.stdout:
                failures.append(f"relabel: rc={p.returncode}\n{p.stdout}\n{p.stderr}")

            # A wrong password fails that target only, and names it by job and instance.
            with open(os.path.join(tmp, "password"), "w") as f:
                f.write("wrong\n")
            p = run("scrape", "--prometheus-config", config, "--job", "runner")
            if p.returncode != 1 or f'job="runner" instance="{runner}"' not in p.stderr \
                    or "401" not in p.stderr:
                failures.append(f"wrong password: rc={p.returncode}\n{p.stderr}")
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
