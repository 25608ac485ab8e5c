"""Loopback HTTP(S) servers that promtool-cpp's HTTP client tests control: one scenario per path.

Imported by http_client.py. Every server binds a 127.x.x.x address only. Certificates come from
make_certs(), which runs `openssl` into a temporary directory at test time: a CA, a server
certificate for the name "metrics.test" only (so https://127.0.0.1 fails verification unless the
client is told the server name), and a client certificate.

Paths (GET):
  /metrics         a small text payload; records the request headers (last_headers)
  /gzip            the same payload gzip-compressed when the client accepts gzip
  /bomb            1 GiB of zeros, gzip-compressed (about 1 MiB on the wire), as text/plain
  /bearer          401 unless "Authorization: Bearer <token>"
  /basic           401 unless basic auth user:password
  /slow            answers after `slow_seconds`
  /redirect-away   302 to `redirect_target` (another host); records the Authorization it got
  /redirect-same   302 to /bearer on this server
  /no-content-type the payload without a Content-Type header
  /json            the payload as application/json
  /fail            500 with a long body
  /large           the file at `large_file` as text/plain, streamed from disk
Every request's Authorization header (or None) is appended to `auth_seen` as (path, value).
"""
import gzip
import http.server
import os
import ssl
import subprocess
import sys
import threading
import time
import zlib

PAYLOAD = (b"# HELP loopback_requests_total Requests served.\n"
           b"# TYPE loopback_requests_total counter\n"
           b'loopback_requests_total{path="/metrics"} 7\n'
           b"# HELP loopback_up Whether the server is up.\n"
           b"# TYPE loopback_up gauge\n"
           b"loopback_up 1\n")
TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def make_certs(directory):
    """CA, server (DNS:metrics.test) and client certificates as PEM files; returns their paths."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=loopback test CA",
        "-days", "2")
    for name, ext in (("server", "subjectAltName=DNS:metrics.test\nextendedKeyUsage=serverAuth\n"),
                      ("client", "extendedKeyUsage=clientAuth\n")):
        with open(os.path.join(directory, f"{name}.ext"), "w") as f:
            f.write(ext)
        run("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", "-extfile", f"{name}.ext")
    return {k: os.path.join(directory, k) for k in
            ("ca.crt", "server.crt", "server.key", "client.crt", "client.key")}


def gzip_bomb(size=1 << 30):
    """`size` zero bytes, gzip-compressed, built chunk by chunk (about 1 MiB for 1 GiB)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [z.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(z.flush())
    return b"".join(parts)


class QuietServer(http.server.ThreadingHTTPServer):
    """Does not print the resets that clients stopping early (limits, timeouts) cause."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


class Server:
    """A threaded HTTP(S) server on `host` (port chosen by the OS), run in a daemon thread."""

    def __init__(self, host="127.0.0.1", tls=None, token="", basic=("", "")):
        self.token = token
        self.basic = basic
        self.slow_seconds = 5
        self.redirect_target = ""
        self.bomb = b""
        self.large_file = ""
        self.last_headers = {}
        self.auth_seen = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body, content_type=TEXT_TYPE, headers=()):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the client stopped reading (a limit, a timeout): expected

            def do_GET(self):
                path = self.path.split("?")[0]
                auth = self.headers.get("Authorization")
                outer.auth_seen.append((path, auth))
                if path == "/metrics":
                    outer.last_headers = dict(self.headers.items())
                    return self.send(200, PAYLOAD)
                if path == "/gzip":
                    outer.last_headers = dict(self.headers.items())
                    if "gzip" in self.headers.get("Accept-Encoding", ""):
                        return self.send(200, gzip.compress(PAYLOAD),
                                         headers=[("Content-Encoding", "gzip")])
                    return self.send(200, PAYLOAD)
                if path == "/large" and outer.large_file:
                    self.send_response(200)
                    self.send_header("Content-Type", TEXT_TYPE)
                    self.send_header("Content-Length", str(os.path.getsize(outer.large_file)))
                    self.end_headers()
                    try:
                        with open(outer.large_file, "rb") as f:
                            while chunk := f.read(1 << 20):
                                self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                        pass
                    return None
                if path == "/bomb":
                    return self.send(200, outer.bomb, headers=[("Content-Encoding", "gzip")])
                if path == "/bearer":
                    if auth == f"Bearer {outer.token}":
                        return self.send(200, PAYLOAD)
                    return self.send(401, b"missing or wrong bearer token\n", "text/plain",
                                     [("WWW-Authenticate", "Bearer")])
                if path == "/basic":
                    import base64
                    want = "Basic " + base64.b64encode(
                        f"{outer.basic[0]}:{outer.basic[1]}".encode()).decode()
                    if auth == want:
                        return self.send(200, PAYLOAD)
                    return self.send(401, b"basic auth required\n", "text/plain",
                                     [("WWW-Authenticate", 'Basic realm="t"')])
                if path == "/slow":
                    time.sleep(outer.slow_seconds)
                    return self.send(200, PAYLOAD)
                if path == "/redirect-away":
                    return self.send(302, b"", None, [("Location", outer.redirect_target)])
                if path == "/redirect-same":
                    return self.send(302, b"", None, [("Location", "/bearer")])
                if path == "/no-content-type":
                    return self.send(200, PAYLOAD, content_type=None)
                if path == "/json":
                    return self.send(200, PAYLOAD, content_type="application/json")
                if path == "/fail":
                    return self.send(500, b"database is down: " + b"x" * 1000, "text/plain")
                return self.send(404, b"not found\n", "text/plain")

        self.httpd = QuietServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.host = host
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls is not None else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def tls_context(certs, require_client_cert=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certs["server.crt"], certs["server.key"])
    if require_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(certs["ca.crt"])
    return ctx
