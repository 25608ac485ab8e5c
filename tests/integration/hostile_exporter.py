#!/usr/bin/env python3
"""Attacks promtool-cpp's HTTP client from a hostile exporter and a hostile Pushgateway on
127.0.0.1 (issue 20 items 3, 4, 6, 9 and issue 13 items 2 and 22), each a reproducer that must
now hold: encodings nobody asked for (zstd, br, deflate, stacked and nested gzip) refused with
bounded memory, secrets echoed in bodies, parse errors and URLs scrubbed, terminal escapes
escaped, unbounded token and target files refused, control characters in tokens refused, an
oversized header, file descriptors running out, a redirect error naming both URLs, an empty push
refused, and validate and scrape --targets agreeing on counts.

usage: hostile_exporter.py PROMTOOL_CPP ROOT
Every server is started here on 127.0.0.1 and stopped on exit; every run has a time bound.
"""
import base64
import http.server
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback_server as ls  # noqa: E402

# Secrets with the characters an escaping scrubber misses ('"' and '\').
TOKEN = 'tok-"7c1\\e9a44b0d2f61'
PASSWORD = 'pw-\\"5d8e2a91c3'
USER = "alice"
BASIC_B64 = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
SECRETS = (TOKEN, PASSWORD, BASIC_B64, TOKEN.replace("\\", "\\\\").replace('"', '\\"'))
PAYLOAD = ls.PAYLOAD
RSS_LIMIT_KIB = 48 * 1024  # a 1 MiB body-size limit: a few MiB above the binary's baseline

outputs = []
results = []


def gzip_bytes(chunks):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(c) for c in chunks]
    out.append(z.flush())
    return b"".join(out)


ZEROS_256M = gzip_bytes(bytes(1 << 20) for _ in range(256))  # about 256 KiB on the wire
NESTED = gzip_bytes([ZEROS_256M])  # gzip of a gzip bomb: a few KiB


class Hostile:
    """A server whose paths are attacks; records what it received."""

    def __init__(self):
        self.seen = []  # (method, path, headers, body)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body, content_type=ls.TEXT_TYPE, headers=()):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                path = self.path.split("?")[0]
                auth = self.headers.get("Authorization", "")
                outer.seen.append(("GET", path, dict(self.headers.items()), b""))
                if path.startswith("/enc/"):
                    # /enc/<coding>: a body in a coding nobody asked for (the bytes need not be
                    # valid: the client must refuse on the header).
                    coding = path[5:].replace("_", ", ")
                    return self.send(200, b"\x28\xb5\x2f\xfd" + bytes(64), headers=[
                        ("Content-Encoding", coding)])
                if path == "/nested":
                    return self.send(200, NESTED, headers=[("Content-Encoding", "gzip, gzip")])
                if path == "/gzip-of-gzip":
                    # One announced layer whose content is itself a gzip bomb: decoded once, the
                    # parser then sees binary bytes.
                    return self.send(200, NESTED, headers=[("Content-Encoding", "gzip")])
                if path == "/bomb":
                    return self.send(200, ZEROS_256M, headers=[("Content-Encoding", "gzip")])
                if path == "/gzip-members":
                    body = gzip_bytes([PAYLOAD[:60]]) + gzip_bytes([PAYLOAD[60:]])
                    return self.send(200, body, headers=[("Content-Encoding", "gzip")])
                if path == "/gzip-truncated":
                    body = gzip_bytes([PAYLOAD * 50])
                    return self.send(200, body[:len(body) // 2],
                                     headers=[("Content-Encoding", "gzip")])
                if path == "/gzip-garbage":
                    return self.send(200, b"this is not gzip at all\n",
                                     headers=[("Content-Encoding", "gzip")])
                if path == "/big-header":
                    return self.send(200, PAYLOAD, headers=[("X-Big", "a" * 110_000)])
                if path == "/echo":
                    # 401 echoing the request's Authorization: the token straddles byte 256.
                    body = (b"x" * 230 + b" you sent: " + auth.encode() + b"\n")
                    return self.send(401, body, "text/plain")
                if path == "/echo-esc":
                    body = b"\x1b[2J\x1b]0;pwned\x07 you sent: " + auth.encode() + b"\n"
                    return self.send(403, body, "text/plain\x1b[31m")
                if path == "/parse-echo":
                    # A body that echoes the credential in a line the parser rejects.
                    return self.send(200, b'# TYPE a gauge\na{auth="x"} oops ' +
                                     auth.encode() + b"\n")
                if path == "/empty-proto":
                    return self.send(200, b"", "application/vnd.google.protobuf; "
                                     "proto=io.prometheus.client.MetricFamily; encoding=delimited")
                if path == "/many-labels":
                    # 100k labels on one line (the quadratic duplicate check's input) after a
                    # good line.
                    line = "a{" + ",".join(f'l{i}="v"' for i in range(100000)) + "} 1\n"
                    return self.send(200, b"# TYPE a gauge\na 1\n" + line.encode())
                if path == "/many-series":
                    body = b"# TYPE b gauge\n" + b"".join(
                        f'b{{i="{i}"}} 1\n'.encode() for i in range(200000))
                    return self.send(200, body)
                if path == "/counts":
                    return self.send(200, COUNTS_BODY)
                if path.startswith("/loop"):
                    n = int(path[5:] or 0)
                    return self.send(302, b"", None, [("Location", f"/loop{n + 1}")])
                return self.send(404, b"not found\n", "text/plain")

            def do_PUT(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                auth = self.headers.get("Authorization", "")
                outer.seen.append(("PUT", self.path, dict(self.headers.items()), body))
                if "/job/echo" in self.path:
                    answer = (b"\x1b[31mrejected\x1b[0m \x1b]8;;http://evil\x07link\n"
                              b"header was: " + auth.encode() + b"\n")
                    return self.send(400, answer, "text/plain")
                return self.send(200, b"", "text/plain")

            do_POST = do_PUT

        self.httpd = ls.QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


COUNTS_BODY = (b"# HELP meta_only Only metadata.\n# TYPE meta_only gauge\n"
               b"# TYPE h histogram\n"
               b'h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n'
               b"# TYPE s summary\n"
               b's{quantile="0.5"} 1\ns_sum 2\ns_count 3\n'
               b"# TYPE g gauge\ng 1\n")


def run(binary, *args, stdin=None, timeout=30, time_it=False, limit_fds=None, env=None):
    cmd = [binary, *args]
    if time_it:
        cmd = ["/usr/bin/time", "-f", "%M", *cmd]
    pre = None
    if limit_fds is not None:
        def pre():
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit_fds, limit_fds))
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, input=stdin, timeout=timeout,
                       preexec_fn=pre, env=env)
    p.elapsed = time.monotonic() - start
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    p.rss_kib = None
    if time_it:
        lines = p.stderr.rstrip("\n").split("\n")
        p.rss_kib = int(lines[-1])
        p.stderr = "\n".join(lines[:-1]) + "\n"
    outputs.append(p.stdout + p.stderr)
    return p


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail!r}"))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    global RSS_LIMIT_KIB
    with open(binary, "rb") as f:
        if b"__asan_init" in f.read():
            RSS_LIMIT_KIB = 1 << 40  # sanitizer builds: memory figures say nothing
    work = tempfile.mkdtemp(prefix="promtool-hostile-")
    server = Hostile()
    try:
        token_file = os.path.join(work, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        password_file = os.path.join(work, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        bearer = ["--bearer-token-file", token_file]
        basic = ["--basic-auth-user", USER, "--basic-auth-password-file", password_file]

        # 20.3: encodings nobody asked for are refused, naming them; nothing is decoded.
        server.seen.clear()
        p = run(binary, "scrape", server.url("/metrics-none"))
        asked = [h for m, path, h, _ in server.seen if path == "/metrics-none"]
        check("encoding: the client asks for gzip only",
              asked and {k.lower(): v for k, v in asked[0].items()}.get("accept-encoding") ==
              "gzip", str(asked))
        for coding in ("zstd", "br", "deflate", "compress", "gzip_gzip", "gzip_br"):
            shown = coding.replace("_", ", ")
            p = run(binary, "scrape", "--body-size-limit=1MiB", server.url(f"/enc/{coding}"),
                    time_it=True)
            check(f"encoding: Content-Encoding {shown} refused, naming it "
                  f"(peak RSS {p.rss_kib} KiB)",
                  p.returncode == 1 and f'unsupported Content-Encoding "{shown}"' in p.stderr and
                  p.rss_kib < RSS_LIMIT_KIB, p.stderr)
        for cmd in (["scrape"], ["validate"], ["check", "metrics"], ["scrape", "--targets"]):
            target = server.url("/nested")
            args = [*cmd, target]
            if cmd[-1] == "--targets":
                tf = os.path.join(work, "nested-targets")
                with open(tf, "w") as f:
                    f.write(target + "\n")
                args = [*cmd, tf]
            p = run(binary, *args, "--body-size-limit=1MiB", time_it=True)
            out = p.stdout + p.stderr
            check(f"encoding: stacked 'gzip, gzip' bomb refused by {' '.join(cmd)} "
                  f"(peak RSS {p.rss_kib} KiB)",
                  p.returncode != 0 and 'unsupported Content-Encoding "gzip, gzip"' in out and
                  "Out of memory" not in out and p.rss_kib < RSS_LIMIT_KIB, out)
        p = run(binary, "scrape", "--body-size-limit=1MiB", server.url("/gzip-of-gzip"),
                time_it=True)
        check(f"encoding: one gzip layer over a gzip bomb is decoded once, then rejected by the "
              f"parser (peak RSS {p.rss_kib} KiB)",
              p.returncode == 1 and p.rss_kib < RSS_LIMIT_KIB and "Out of memory" not in p.stderr,
              p.stderr)
        p = run(binary, "scrape", "--body-size-limit=1MiB", server.url("/bomb"), time_it=True)
        check(f"gzip bomb (256 MiB of zeros): stopped at the 1 MiB limit by our decoder "
              f"(peak RSS {p.rss_kib} KiB)",
              p.returncode == 1 and "exceeds the body size limit of 1 MiB" in p.stderr and
              p.rss_kib < RSS_LIMIT_KIB, f"{p.rss_kib} {p.stderr}")
        p = run(binary, "scrape", server.url("/gzip-members"))
        check("gzip: concatenated members are one body",
              p.returncode == 0 and "loopback_up 1" in p.stdout, p.stderr)
        p = run(binary, "scrape", server.url("/gzip-truncated"))
        check("gzip: a truncated stream is an error",
              p.returncode == 1 and "ends early" in p.stderr, p.stderr)
        p = run(binary, "validate", server.url("/gzip-garbage"))
        check("gzip: a body that is not gzip is an error naming the decoder's complaint",
              p.returncode == 1 and "gzip-compressed body is invalid" in p.stderr, p.stderr)

        # 20.9: messages.
        p = run(binary, "scrape", server.url("/big-header"))
        check("messages: a 110 KB header gets a real message",
              p.returncode == 1 and "headers are too large" in p.stderr, p.stderr)
        p = run(binary, "scrape", "--timeout=5s", server.url("/loop0"))
        check("messages: a redirect error names the last hop and the URL given",
              p.returncode == 1 and "/loop10" in p.stderr and
              f"from {server.url('/loop0')}" in p.stderr, p.stderr)
        tf = os.path.join(work, "many-targets")
        with open(tf, "w") as f:
            f.write("".join(server.url(f"/metrics?{i}") + "\n" for i in range(4)))
        p = run(binary, "scrape", "--targets", tf, "--parallel=4", limit_fds=8)
        check("messages: running out of file descriptors says so",
              p.returncode == 1 and "out of file descriptors" in p.stdout + p.stderr,
              p.stdout + p.stderr)

        # 20.1: the limits are checked on each line as the body arrives.
        for cmd in (["scrape"], ["validate"], ["check", "metrics"], ["scrape", "--to=json"]):
            p = run(binary, *cmd, "--label-limit=30", "--timeout=5s", server.url("/many-labels"))
            out = p.stdout + p.stderr
            check(f"limits: a 100k-label line stops {' '.join(cmd)} at line 3 ({p.elapsed:.2f}s)",
                  p.returncode != 0 and "label_limit 30 exceeded: line 3" in out and
                  p.elapsed < 4, out[-400:])
        p = run(binary, "scrape", "--sample-limit=10", server.url("/many-series"))
        check("limits: --sample-limit stops a 200k-series family at its 11th sample line",
              p.returncode == 1 and "sample_limit 10 exceeded: line 12 brings the scrape to 11 "
              "samples" in p.stderr and p.stdout == "", p.stdout[-200:] + p.stderr)
        p = run(binary, "validate", "--label-value-length-limit=5", server.url("/counts"))
        check("limits: the metric name is checked as __name__'s value on its line",
              p.returncode == 1 and "label_value_length_limit 5 exceeded: line 4 has metric name "
              '(label __name__) "h_bucket" of 8 bytes' in p.stderr, p.stderr)

        # 20.4: secrets in every echo path.
        p = run(binary, "scrape", *bearer, server.url("/echo"))
        check("secrets: a 401 body echoing the bearer token across the 256-byte cut",
              p.returncode == 1 and "HTTP status 401" in p.stderr and
              "tok-" not in p.stderr, p.stderr)
        p = run(binary, "scrape", *basic, server.url("/echo"))
        check("secrets: basic-auth credentials echoed as base64",
              p.returncode == 1 and "HTTP status 401" in p.stderr and "Basic " in p.stderr,
              p.stderr)
        p = run(binary, "scrape", *bearer, server.url("/echo-esc"))
        check("secrets: terminal escapes in a status body and Content-Type are escaped",
              p.returncode == 1 and "\x1b" not in p.stderr and "\\x1b" in p.stderr, p.stderr)
        for cmd in (["scrape"], ["validate"], ["validate", "--sample-limit=100"],
                    ["scrape", "--targets"]):
            args = [*cmd, *bearer, server.url("/parse-echo")]
            if cmd[-1] == "--targets":
                tf = os.path.join(work, "echo-targets")
                with open(tf, "w") as f:
                    f.write(server.url("/parse-echo") + "\n")
                args = [*cmd, tf, *bearer]
            p = run(binary, *args)
            out = p.stdout + p.stderr
            check(f"secrets: a parse error on a line echoing the token ({' '.join(cmd)})",
                  p.returncode == 1 and "expected a float" in out and "tok-" not in out and
                  (cmd[-1] == "--targets" or "Bearer <secret>" in out), out)
        empty = os.path.join(work, "empty.prom")
        with open(empty, "w") as f:
            f.write("")
        for cmd, rc, shows_line in ((["check", "metrics"], 1, False),
                                    (["check", "metrics", "--report=pretty"], 1, True),
                                    (["check", "metrics", "--report=json"], 1, False),
                                    (["diff", empty], 2, True)):
            p = run(binary, *cmd, *bearer, server.url("/parse-echo"))
            out = p.stdout + p.stderr
            check(f"secrets: a parse error on a line echoing the token ({' '.join(cmd[:3])})",
                  p.returncode == rc and "tok-" not in out and
                  (not shows_line or "<secret>" in out), out)
        for url in (f"http://{USER}:{PASSWORD[:3]}/q?#x@127.0.0.1:{server.port}/metrics",
                    f"http://{USER}:a#b/{PASSWORD[:3]}@127.0.0.1:{server.port}/metrics"):
            p = run(binary, "scrape", url)
            check("secrets: an invalid URL with '/', '?', '#' in the password is redacted",
                  p.returncode == 1 and PASSWORD[:3] not in p.stderr and "xxxxx" in p.stderr,
                  p.stderr)
        p = run(binary, "scrape", "--proxy-url", f"http://u:{PASSWORD[:3]}/s?#@127.0.0.1:1",
                server.url("/metrics"))
        check("secrets: an invalid proxy URL's password is not printed",
              p.returncode == 1 and PASSWORD[:3] + "/s" not in p.stderr, p.stderr)
        p = run(binary, "push", *bearer, "--job=echo", server.url(""), stdin=PAYLOAD)
        check("secrets: push prints the gateway's body scrubbed, escapes escaped",
              p.returncode == 1 and "header was: Bearer <secret>" in p.stderr and
              "\x1b" not in p.stderr and "\\x1b[31mrejected" in p.stderr, p.stderr)
        p = run(binary, "push", *basic, "--job=echo", server.url(""), stdin=PAYLOAD)
        check("secrets: push with basic auth: the base64 credentials are scrubbed",
              p.returncode == 1 and "header was: Basic <secret>" in p.stderr, p.stderr)

        # 20.6: bounded secret and target files, control characters in tokens.
        for flags in (["--bearer-token-file", "/dev/zero"],
                      [*basic[:2], "--basic-auth-password-file", "/dev/zero"]):
            p = run(binary, "scrape", *flags, server.url("/metrics"), timeout=20)
            check(f"files: {flags[-2]} /dev/zero is refused at the bound",
                  p.returncode == 1 and "/dev/zero is larger than 64 KiB" in p.stderr and
                  p.elapsed < 10, p.stderr)
        p = run(binary, "scrape", "--targets", "/dev/zero", timeout=20)
        check("files: --targets /dev/zero is refused at the bound",
              p.returncode == 1 and "/dev/zero is larger than 16 MiB" in p.stderr, p.stderr)
        for name, content, what in (("nl", "tok\nen\n", "a line break"),
                                    ("nul", "tok\0en", "a NUL byte"),
                                    ("cr", "tok\ren", "a carriage return")):
            path = os.path.join(work, f"token-{name}")
            with open(path, "w") as f:
                f.write(content)
            p = run(binary, "scrape", "--bearer-token-file", path, server.url("/metrics"))
            check(f"files: a token with {what} inside is an error",
                  p.returncode == 1 and f"holds {what}" in p.stderr and
                  "tok" not in p.stderr.replace("token", ""), p.stderr)
        path = os.path.join(work, "token-trailing")
        with open(path, "w") as f:
            f.write("  plain-token\n\n")
        server.seen.clear()
        p = run(binary, "scrape", "--bearer-token-file", path, server.url("/metrics-none"))
        sent = [h for _, _, h, _ in server.seen]
        check("files: surrounding white space is trimmed (as Prometheus' TrimSpace)",
              sent and sent[0].get("Authorization") == "Bearer plain-token", str(sent))

        # 13.2: push with no input.
        for stdin in (b"", b"# only a comment\n"):
            server.seen.clear()
            p = run(binary, "push", "--job=j", server.url(""), stdin=stdin)
            check(f"push: empty input {stdin!r} is refused, nothing sent",
                  p.returncode == 1 and "--method=delete" in p.stderr and
                  "--allow-empty" in p.stderr and not server.seen, p.stderr)
        server.seen.clear()
        p = run(binary, "push", "--job=j", "--allow-empty", server.url(""), stdin=b"")
        check("push: --allow-empty sends the empty PUT",
              p.returncode == 0 and [m for m, *_ in server.seen] == ["PUT"], p.stderr)

        # 13.22: an empty protobuf body; scrape --targets and validate count alike.
        p = run(binary, "validate", server.url("/empty-proto"))
        check("counts: an empty body announced as protobuf is reported as protobuf",
              p.returncode == 0 and "valid protobuf, 0 families, 0 samples" in p.stdout,
              p.stdout + p.stderr)
        p = run(binary, "validate", server.url("/counts"))
        v = p.stdout.splitlines()[0].split("valid text, ")[-1].strip() if p.stdout else ""
        tf = os.path.join(work, "count-targets")
        with open(tf, "w") as f:
            f.write(server.url("/counts") + "\n")
        p2 = run(binary, "scrape", "--targets", tf)
        check(f"counts: validate ({v}) and scrape --targets agree",
              p.returncode == 0 and v == "3 families, 8 samples" and
              f"text, {v}," in p2.stdout, p.stdout + p2.stdout)
        p = run(binary, "scrape", "--to=protobuf", server.url("/counts"))
        pb = os.path.join(work, "counts.pb")
        with open(pb, "wb") as f:
            f.write(subprocess.run([binary, "scrape", "--to=protobuf", server.url("/counts")],
                                   capture_output=True, timeout=30).stdout)
        p = run(binary, "validate", pb)
        check("counts: the protobuf form of the body counts the same samples",
              p.returncode == 0 and "valid protobuf, 3 families, 8 samples" in p.stdout, p.stdout)

        leaked = [s for s in SECRETS for o in outputs if s in o]
        check("no secret in any output", not leaked, str(leaked))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"hostile_exporter: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
