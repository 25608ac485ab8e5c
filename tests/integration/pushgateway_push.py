#!/usr/bin/env python3
"""Pushes to Debian's prometheus-pushgateway (started here on 127.0.0.1) with `promtool-cpp push`
and reads the result back with `promtool-cpp scrape`:

- put a payload under job + grouping key (a value with '/' and an empty value, which travel as
  <label>@base64/...), then find its families with the grouping labels in the gateway's metrics;
- post another family to the same group: both are there;
- a push the gateway rejects (a family of the same name but another type in a different group)
  exits 1 and prints the gateway's error text;
- delete the group: its families are gone.

usage: pushgateway_push.py PROMTOOL_CPP ROOT
Exits 77 (skipped) when prometheus-pushgateway is missing. Only 127.0.0.1 is used; the gateway
is stopped on exit.
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

results = []
GAUGE = b'# HELP promtool_it_temperature Test gauge.\n# TYPE promtool_it_temperature gauge\n' \
        b'promtool_it_temperature{room="a"} 21.5\n'
COUNTER = b'# TYPE promtool_it_jobs_total counter\npromtool_it_jobs_total 3\n'
CONFLICT = b'# TYPE promtool_it_temperature counter\npromtool_it_temperature{room="a"} 1\n'
GROUPING = ["--grouping", "instance=db/1", "--grouping", "zone="]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))


def gateway_families(binary, base):
    """name -> list of label dicts, as scraped by promtool-cpp."""
    p = subprocess.run([binary, "scrape", "--to=json", f"{base}/metrics"], capture_output=True,
                       timeout=30)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode())
    return {f["name"]: [m.get("labels", {}) for m in f.get("metrics", [])]
            for f in json.loads(p.stdout)}


def push(binary, base, *args, stdin=b""):
    return subprocess.run([binary, "push", base, *args], input=stdin, capture_output=True,
                          timeout=30)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if shutil.which("prometheus-pushgateway") is None:
        print("pushgateway_push: skipped: prometheus-pushgateway is missing")
        return 77
    work = tempfile.mkdtemp(prefix="promtool-push-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{port}",
                             "--persistence.file="], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/metrics", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("pushgateway did not start")
                time.sleep(0.2)
        want = {"job": "promtool_it", "instance": "db/1", "zone": ""}

        p = push(binary, base, "--job", "promtool_it", *GROUPING, stdin=GAUGE)
        fams = gateway_families(binary, base)
        series = fams.get("promtool_it_temperature", [])
        check("put: the family is on the gateway with the grouping labels",
              p.returncode == 0 and any(l == {**want, "room": "a"} for l in series),
              f"{p.stderr.decode()} {series}")

        p = push(binary, base, "--job", "promtool_it", *GROUPING, "--method=post", stdin=COUNTER)
        fams = gateway_families(binary, base)
        check("post: adds a family, the first one stays",
              p.returncode == 0 and want in fams.get("promtool_it_jobs_total", []) and
              "promtool_it_temperature" in fams, p.stderr.decode())

        p = push(binary, base, "--job", "promtool_it_other", stdin=CONFLICT)
        err = p.stderr.decode()
        check("rejected push: exit 1 and the gateway's error text",
              p.returncode == 1 and "HTTP status 400" in err and
              "inconsistent" in err and "promtool_it_temperature" in err, err)

        # An empty input (</dev/null, an empty file, ^D) would replace the group with nothing.
        p = push(binary, base, "--job", "promtool_it", *GROUPING, stdin=b"")
        fams = gateway_families(binary, base)
        err = p.stderr.decode()
        check("empty push: refused, pointing at --method=delete; the group is kept",
              p.returncode == 1 and "--method=delete" in err and
              "promtool_it_temperature" in fams, err)
        p = push(binary, base, "--job", "promtool_it_empty", "--allow-empty", stdin=GAUGE)
        p = push(binary, base, "--job", "promtool_it_empty", "--allow-empty", stdin=b"")
        fams = gateway_families(binary, base)
        check("empty push: --allow-empty sends it (the gateway empties the group)",
              p.returncode == 0 and not any(
                  l.get("job") == "promtool_it_empty"
                  for l in fams.get("promtool_it_temperature", [])), p.stderr.decode())

        p = push(binary, base, "--job", "promtool_it", *GROUPING, "--method=delete")
        fams = gateway_families(binary, base)
        check("delete: the group's families are gone",
              p.returncode == 0 and "promtool_it_temperature" not in fams and
              "promtool_it_jobs_total" not in fams, p.stderr.decode())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"pushgateway_push: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
