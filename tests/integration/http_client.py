#!/usr/bin/env python3
"""Drives promtool-cpp's HTTP client against loopback servers this test controls
(loopback_server.py): negotiation headers, bearer token, basic auth, client certificates, server
name verification, gzip, a gzip bomb (stopped at the default body-size limit with peak RSS under
64 MiB, measured with /usr/bin/time -f %M), a ~200 MB body streamed by scrape, validate and
check metrics with peak RSS far below its size, timeout, a redirect to another host (127.0.0.2) that must
not receive credentials, a missing or unknown Content-Type (fallback), and a 500 with a body.
Secrets (token, passwords) must never appear in any output.

usage: http_client.py PROMTOOL_CPP ROOT
Exits 77 (skipped) when openssl is missing. Only 127.0.0.1 and 127.0.0.2 are used; every
server started here is stopped on exit.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback_server as ls  # noqa: E402

TOKEN = "tok-3f9a1c7e55d24b8c"
PASSWORD = "pw-8b1e0c44a6f1"
SECRETS = (TOKEN, PASSWORD)
RSS_LIMIT_KIB = 64 * 1024

outputs = []  # every stdout/stderr seen, checked for secrets at the end
results = []


def run(binary, *args, env=None, timeout=30, time_it=False, discard_stdout=False):
    cmd = [binary, *args]
    if time_it:
        cmd = ["/usr/bin/time", "-f", "%M", *cmd]
    start = time.monotonic()
    if discard_stdout:  # a large output is not kept in this process
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env=env, timeout=timeout)
        p.stdout = ""
    else:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    p.elapsed = time.monotonic() - start
    p.rss_kib = None
    if time_it:
        lines = p.stderr.rstrip("\n").split("\n")
        p.rss_kib = int(lines[-1])
        p.stderr = "\n".join(lines[:-1]) + ("\n" if len(lines) > 1 else "")
    outputs.append(p.stdout + p.stderr)
    return p


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    # Under AddressSanitizer (the asan preset) memory figures say nothing about the code: its
    # shadow memory and quarantine come on top, so the RSS bounds are not asserted there.
    global RSS_LIMIT_KIB
    with open(binary, "rb") as f:
        sanitized = b"__asan_init" in f.read()
    if sanitized:
        RSS_LIMIT_KIB = 1 << 40
    if shutil.which("openssl") is None:
        print("http_client: skipped: openssl is missing")
        return 77
    work = tempfile.mkdtemp(prefix="promtool-http-")
    servers = []
    try:
        certs = ls.make_certs(work)
        token_file = os.path.join(work, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        password_file = os.path.join(work, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")

        plain = ls.Server("127.0.0.1", token=TOKEN, basic=("alice", PASSWORD))
        other = ls.Server("127.0.0.2")  # another host on loopback
        tls = ls.Server("127.0.0.1", tls=ls.tls_context(certs), token=TOKEN)
        mtls = ls.Server("127.0.0.1", tls=ls.tls_context(certs, require_client_cert=True))
        servers += [plain, other, tls, mtls]

        # Negotiation headers.
        p = run(binary, "scrape", plain.url("/metrics"))
        h = {k.lower(): v for k, v in plain.last_headers.items()}
        check("scrape: default Accept header is Prometheus 3's",
              p.returncode == 0 and h.get("accept") ==
              "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
              "application/openmetrics-text;version=0.0.1;q=0.4,"
              "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
              "text/plain;version=0.0.4;q=0.2,*/*;q=0.1", f"{p.stderr} {h}")
        check("scrape: timeout header and gzip asked for",
              h.get("x-prometheus-scrape-timeout-seconds") == "10" and
              "gzip" in h.get("accept-encoding", ""), str(h))
        p = run(binary, "scrape", "--no-compression", "--timeout=2.5s",
                "--scrape-protocols=PrometheusProto,PrometheusText0.0.4", plain.url("/metrics"))
        h = {k.lower(): v for k, v in plain.last_headers.items()}
        check("scrape: --no-compression, --timeout, --scrape-protocols reach the server",
              p.returncode == 0 and h.get("accept-encoding") == "identity" and
              h.get("x-prometheus-scrape-timeout-seconds") == "2.5" and
              h.get("accept", "").startswith("application/vnd.google.protobuf;") and
              h.get("accept", "").endswith(";q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"), str(h))

        # gzip response.
        p = run(binary, "scrape", plain.url("/gzip"))
        check("gzip: decompressed and re-encoded",
              p.returncode == 0 and "loopback_up 1" in p.stdout, p.stderr)

        # diff takes URLs on either side (streamed, parsed as the Content-Type says).
        p = run(binary, "diff", plain.url("/metrics"), plain.url("/metrics"))
        check("diff: a URL against itself is equal", p.returncode == 0, p.stdout + p.stderr)
        snapshot = os.path.join(work, "snapshot.prom")
        with open(snapshot, "w") as f:
            f.write(run(binary, "scrape", plain.url("/metrics")).stdout)
        p = run(binary, "diff", "--ignore-values", snapshot, plain.url("/gzip"))
        check("diff: a snapshot file against a gzip URL is equal", p.returncode == 0,
              p.stdout + p.stderr)
        p = run(binary, "diff", snapshot, plain.url("/bearer"))
        check("diff: a URL error exits 2 and names the URL",
              p.returncode == 2 and plain.url("/bearer") in p.stderr, p.stderr)

        # Bearer token: 401 without, ok with (file and environment), never printed.
        p = run(binary, "scrape", plain.url("/bearer"))
        check("bearer: 401 without the token, status and body quoted",
              p.returncode == 1 and "HTTP status 401" in p.stderr and
              "missing or wrong bearer token" in p.stderr, p.stderr)
        p = run(binary, "scrape", "--bearer-token-file", token_file, plain.url("/bearer"))
        check("bearer: --bearer-token-file", p.returncode == 0 and "loopback_up" in p.stdout,
              p.stderr)
        env = dict(os.environ, SCRAPE_TOKEN=TOKEN)
        p = run(binary, "check", "metrics", "--bearer-token-env", "SCRAPE_TOKEN",
                plain.url("/bearer"), env=env)
        check("bearer: --bearer-token-env with check metrics", p.returncode == 0, p.stderr)
        p = run(binary, "scrape", "--header", f"Authorization: Bearer {TOKEN}x",
                plain.url("/bearer"))
        check("bearer: a wrong token in --header is refused and not printed",
              p.returncode == 1 and "401" in p.stderr, p.stderr)

        # Basic auth.
        p = run(binary, "validate", "--basic-auth-user", "alice", "--basic-auth-password-file",
                password_file, plain.url("/basic"))
        check("basic auth: accepted", p.returncode == 0 and "valid text" in p.stdout, p.stderr)
        url = plain.url("/basic").replace("://", f"://alice:{PASSWORD}x@")
        p = run(binary, "scrape", url)
        check("basic auth: URL userinfo redacted in the error",
              p.returncode == 1 and "alice:xxxxx@" in p.stderr and "401" in p.stderr, p.stderr)

        # TLS: verification, server name, client certificates.
        p = run(binary, "scrape", tls.url("/metrics"))
        check("tls: unknown CA fails verification", p.returncode == 1 and p.stderr, p.stderr)
        p = run(binary, "scrape", "--ca-file", certs["ca.crt"], tls.url("/metrics"))
        check("tls: wrong server name (127.0.0.1 vs metrics.test) fails",
              p.returncode == 1 and p.stderr, p.stderr)
        p = run(binary, "scrape", "--ca-file", certs["ca.crt"], "--server-name", "metrics.test",
                tls.url("/metrics"))
        check("tls: --server-name metrics.test verifies", p.returncode == 0, p.stderr)
        p = run(binary, "scrape", "--insecure-skip-verify", tls.url("/metrics"))
        check("tls: --insecure-skip-verify", p.returncode == 0, p.stderr)
        p = run(binary, "scrape", "--ca-file", certs["ca.crt"], "--server-name", "metrics.test",
                "--bearer-token-file", token_file, tls.url("/bearer"))
        check("tls: bearer token over https", p.returncode == 0, p.stderr)
        p = run(binary, "scrape", "--ca-file", certs["ca.crt"], "--server-name", "metrics.test",
                mtls.url("/metrics"))
        check("mtls: no client certificate fails", p.returncode == 1, p.stderr)
        p = run(binary, "scrape", "--ca-file", certs["ca.crt"], "--server-name", "metrics.test",
                "--cert-file", certs["client.crt"], "--key-file", certs["client.key"],
                mtls.url("/metrics"))
        check("mtls: client certificate accepted", p.returncode == 0, p.stderr)

        # Redirects: the same host keeps the token, another host gets no credentials.
        plain.redirect_target = other.url("/metrics")
        p = run(binary, "scrape", "--bearer-token-file", token_file, plain.url("/redirect-same"))
        check("redirect: same host keeps the bearer token", p.returncode == 0, p.stderr)
        for flags in (["--bearer-token-file", token_file],
                      ["--header", f"Authorization: Bearer {TOKEN}"],
                      ["--basic-auth-user", "alice", "--basic-auth-password-file",
                       password_file]):
            other.auth_seen.clear()
            plain.auth_seen.clear()
            p = run(binary, "scrape", *flags, plain.url("/redirect-away"))
            sent_first = any(a for path, a in plain.auth_seen if path == "/redirect-away")
            check(f"redirect: another host gets no credentials ({flags[0]})",
                  p.returncode == 0 and sent_first and other.auth_seen and
                  all(a is None for _, a in other.auth_seen),
                  f"{p.stderr} first={plain.auth_seen} other={other.auth_seen}")

        # Content-Type: missing, unknown, fallback.
        p = run(binary, "scrape", plain.url("/no-content-type"))
        check("content-type: missing is an error",
              p.returncode == 1 and "no Content-Type" in p.stderr, p.stderr)
        p = run(binary, "scrape", "--fallback-protocol", "PrometheusText0.0.4",
                plain.url("/no-content-type"))
        check("content-type: --fallback-protocol", p.returncode == 0 and "loopback_up" in p.stdout,
              p.stderr)
        p = run(binary, "scrape", plain.url("/json"))
        check("content-type: unknown is an error naming it",
              p.returncode == 1 and '"application/json"' in p.stderr, p.stderr)

        # Errors: 500 with a body, timeout.
        p = run(binary, "scrape", plain.url("/fail"))
        check("500: status and the start of the body quoted",
              p.returncode == 1 and "HTTP status 500 Internal Server Error" in p.stderr and
              "database is down" in p.stderr and "(truncated)" in p.stderr and
              len(p.stderr) < 600, p.stderr)
        p = run(binary, "scrape", "--timeout=1s", plain.url("/slow"))
        check("timeout: stops after --timeout",
              p.returncode == 1 and "timed out" in p.stderr and p.elapsed < 3,
              f"{p.elapsed:.1f}s {p.stderr}")

        # gzip bomb: 1 GiB of zeros stops at the limit with bounded memory. The body is streamed:
        # one endless line is held up to half the limit, then only counted until the limit.
        plain.bomb = ls.gzip_bomb()
        p = run(binary, "scrape", "--body-size-limit=16MiB", plain.url("/bomb"), time_it=True)
        check(f"gzip bomb: stopped at 16MiB, peak RSS {p.rss_kib} KiB < {RSS_LIMIT_KIB} KiB",
              p.returncode == 1 and "exceeds the body size limit of 16 MiB" in p.stderr and
              p.rss_kib < RSS_LIMIT_KIB, f"{p.rss_kib} KiB {p.stderr}")
        p = run(binary, "scrape", plain.url("/bomb"), time_it=True)
        check(f"gzip bomb: default 64MiB limit stops it, peak RSS {p.rss_kib} KiB < "
              f"{RSS_LIMIT_KIB} KiB ({p.elapsed:.2f}s)",
              p.returncode == 1 and "exceeds the body size limit of 64 MiB" in p.stderr and
              p.rss_kib < RSS_LIMIT_KIB and len(p.stderr) < 400, f"{p.rss_kib} KiB {p.stderr}")
        for command in (["validate"], ["check", "metrics"]):
            p = run(binary, *command, plain.url("/bomb"), time_it=True)
            check(f"gzip bomb: {' '.join(command)} stops at the limit, peak RSS {p.rss_kib} KiB",
                  p.returncode == 1 and "exceeds the body size limit of 64 MiB" in p.stderr and
                  p.rss_kib < RSS_LIMIT_KIB and len(p.stderr) < 400,
                  f"{p.rss_kib} KiB {p.stderr}")
        plain.bomb = b""

        # A large body (~200 MB) is streamed into the parsers: peak RSS far below its size. (A
        # long client timeout: this is about memory, and sanitizer builds are slow.)
        gen = os.path.join(os.path.dirname(binary), "promtool-gen")
        large = os.path.join(work, "large.prom")
        if os.access(gen, os.X_OK):
            with open(large, "wb") as f:
                subprocess.run([gen, "--bytes", "200M"], stdout=f, check=True)
        else:  # promtool-gen is built with the benchmarks only
            with open(large, "w") as f:
                block = "".join(f'fam_{{i}}_total{{pod="p{j}",ns="n"}} {j}\n' for j in range(50))
                for i in range(200 * 1024 * 1024 // (len(block) + 64)):
                    f.write(f"# TYPE fam_{i}_total counter\n")
                    f.write(block.replace("{i}", str(i)))
        size_kib = os.path.getsize(large) // 1024
        plain.large_file = large
        p = run(binary, "scrape", "--body-size-limit=1GiB", "--timeout=110s", plain.url("/large"), time_it=True,
                discard_stdout=True, timeout=120)
        check(f"large body: scrape streams {size_kib} KiB with peak RSS {p.rss_kib} KiB "
              f"({p.elapsed:.2f}s)",
              p.returncode == 0 and (sanitized or p.rss_kib < min(RSS_LIMIT_KIB, size_kib // 4)),
              f"{p.rss_kib} KiB {p.stderr}")
        p = run(binary, "validate", "--body-size-limit=1GiB", "--timeout=110s", plain.url("/large"), time_it=True,
                timeout=120)
        check(f"large body: validate streams it, peak RSS {p.rss_kib} KiB",
              p.returncode == 0 and "valid text" in p.stdout and
              (sanitized or p.rss_kib < min(RSS_LIMIT_KIB, size_kib // 4)), f"{p.rss_kib} KiB {p.stderr}")
        p = run(binary, "scrape", "--body-size-limit=100MiB", "--timeout=110s", plain.url("/large"), time_it=True,
                discard_stdout=True, timeout=120)
        check(f"large body: over --body-size-limit=100MiB is stopped, peak RSS {p.rss_kib} KiB",
              p.returncode == 1 and "exceeds the body size limit of 100 MiB" in p.stderr and
              p.rss_kib < RSS_LIMIT_KIB, f"{p.rss_kib} KiB {p.stderr}")
        os.unlink(large)
        plain.large_file = ""

        # --targets: one line per target, concurrent.
        targets = os.path.join(work, "targets")
        with open(targets, "w") as f:
            f.write(f"# comment\n{plain.url('/metrics')}\n{plain.url('/fail')}\n\n"
                    f"{plain.url('/gzip')}\n{plain.url('/slow')}\n")
        plain.slow_seconds = 1
        p = run(binary, "scrape", "--targets", targets, "--parallel=4")
        lines = p.stdout.splitlines()
        check("targets: one line per target in order and a summary",
              p.returncode == 1 and len(lines) == 5 and ": ok (HTTP 200, text, 2 families" in
              lines[0] and "HTTP status 500" in lines[1] and lines[2].endswith("s)") and
              lines[4] == "4 targets: 3 ok, 1 failed", p.stdout + p.stderr)

        leaked = [s for s in SECRETS for o in outputs if s in o]
        check("no secret in any output", not leaked, str(leaked))
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"http_client: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
