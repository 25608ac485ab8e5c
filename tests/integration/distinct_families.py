#!/usr/bin/env python3
"""Bounds the memory of URL commands on hostile body shapes (issue 20 item 2).

A loopback server on 127.0.0.1 serves bodies of distinct one-line families (`# TYPE m_N gauge` /
`m_N 1`) as text 0.0.4 and as OpenMetrics 1.0 and 2.0, one gauge family of tiny series, one histogram
family of tiny series, and a protobuf record of one-byte native-bucket deltas (a model many
times its bytes). `validate URL`, `check metrics URL`, `scrape URL --to=...` and `diff URL URL`
must either read them or stop with a limit's kLimit error (naming --body-size-limit), and their
peak RSS must stay within the process's baseline plus 1.5x --body-size-limit plus a small
constant.

usage: distinct_families.py PROMTOOL_CPP ROOT
The server is started here and stopped on exit; every run has a time bound.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OM_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"
OM2_TYPE = "application/openmetrics-text; version=2.0.0; charset=utf-8"
PB_TYPE = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=delimited")
MIB = 1 << 20
SLACK_KIB = 8 * 1024
WORKER_KIB = 4 * 1024  # each further --parallel worker
TIME = "/usr/bin/time"  # allocator and libcurl slack above the baseline run


def families(size, openmetrics=False):
    """About `size` bytes of distinct one-line families."""
    out, n, total = [], 0, 0
    while total < size:
        line = b"# TYPE m_%d gauge\nm_%d 1\n" % (n, n)
        out.append(line)
        total += len(line)
        n += 1
    if openmetrics:
        out.append(b"# EOF\n")
    return b"".join(out), n


def one_family(size):
    """About `size` bytes of one gauge family of short series."""
    out, n, total = [b"# TYPE big gauge\n"], 0, 0
    while total < size:
        line = b'big{pod="p%d",ns="x"} 1\n' % n
        out.append(line)
        total += len(line)
        n += 1
    return b"".join(out), n


def one_histogram(size):
    """About `size` bytes of one histogram family of short series."""
    out, n, total = [b"# TYPE h histogram\n"], 0, 0
    while total < size:
        for le in (b"0.1", b"1", b"+Inf"):
            line = b'h_bucket{pod="p%d",le="%s"} 1\n' % (n, le)
            out.append(line)
            total += len(line)
        line = b'h_sum{pod="p%d"} 1\nh_count{pod="p%d"} 1\n' % (n, n)
        out.append(line)
        total += len(line)
        n += 1
    return b"".join(out), n


def varint(v):
    out = bytearray()
    while True:
        low, v = v & 0x7F, v >> 7
        out.append(low | 0x80 if v else low)
        if not v:
            return bytes(out)


def field(number, wire_type, payload):
    key = varint((number << 3) | wire_type)
    return key + (varint(len(payload)) + payload if wire_type == 2 else payload)


def native_record(deltas):
    """One delimited MetricFamily: a native histogram of `deltas` one-byte bucket deltas."""
    span = field(1, 0, varint(0)) + field(2, 0, varint(deltas))
    histogram = (field(1, 0, varint(5)) + field(5, 0, varint(0)) + field(12, 2, span) +
                 field(13, 2, b"\x00" * deltas))
    family = field(1, 2, b"nh") + field(3, 0, varint(4)) + field(4, 2, field(7, 2, histogram))
    return varint(len(family)) + family, deltas


class Server:
    def __init__(self, bodies):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                body = bodies.get(self.path.split("?")[0])
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type",
                                 OM2_TYPE if self.path.startswith("/om2") else
                                 OM_TYPE if self.path.startswith("/om") else
                                 PB_TYPE if self.path.startswith("/pb") else TEXT_TYPE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    super().handle()
                except (ConnectionResetError, BrokenPipeError):
                    pass  # the client stopped reading at its limit

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def run_measured(args, timeout=120):
    """Runs promtool-cpp under /usr/bin/time; returns (rc, stdout, stderr, its peak RSS in KiB).
    /usr/bin/time, not wait4 here: a child forked from this (large) Python process would carry
    the parent's high-water mark across exec."""
    with tempfile.NamedTemporaryFile() as rss_file:
        p = subprocess.run([TIME, "-q", "-f", "%M", "-o", rss_file.name, *args],
                           capture_output=True, text=True, timeout=timeout)
        rss = int(open(rss_file.name).read().split()[-1])
        return p.returncode, p.stdout, p.stderr, rss


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    if not os.access(TIME, os.X_OK):
        print("skipped: %s (GNU time) is not installed" % TIME)
        return 77
    small_body, small_n = families(256 << 10)  # within every budget below
    big_body, big_n = families(24 * MIB)  # ~700k names: past the 8 MiB limit's name budget
    # Within the body-size limits below, past their name budgets.
    under_body, under_n = families(7 * MIB)
    om_body, om_n = families(7 * MIB, openmetrics=True)
    # One family (or record) whose model is many times its bytes, within the body-size limit.
    family_body, family_n = one_family(7 * MIB)
    hist_body, hist_n = one_histogram(7 * MIB)
    native_body, native_n = native_record(3 * 1000 * 1000)  # within the 4 MiB window
    server = Server({"/small": small_body, "/big": big_body, "/under": under_body,
                     "/om": om_body, "/om2": om_body, "/family": family_body, "/hist": hist_body,
                     "/pbnative": native_body})
    failures = []

    def expect(name, cond, detail):
        print("%s %s: %s" % ("ok  " if cond else "FAIL", name, detail))
        if not cond:
            failures.append(name)

    try:
        # Baseline: the binary validating a small body.
        rc, out, err, base = run_measured([binary, "validate", server.url("/small")])
        expect("baseline validate", rc == 0 and ("%d families" % small_n) in out,
               "rc %d, %d KiB: %s%s" % (rc, base, out.strip(), err.strip()))
        for limit_mib in (8, 16):
            limit = limit_mib * MIB
            bound = base + (limit * 3 // 2) // 1024 + SLACK_KIB
            for cmd in (["validate"], ["check", "metrics"]):
                name = "%s URL, %d MiB of %d distinct families, --body-size-limit=%dMiB" % (
                    " ".join(cmd), len(big_body) // MIB, big_n, limit_mib)
                rc, out, err, rss = run_measured(
                    [binary, *cmd, server.url("/big"), "--body-size-limit=%dMiB" % limit_mib])
                text = out + err
                stopped = rc != 0 and "too many distinct metric names" in text and \
                    "--body-size-limit" in text
                expect(name + ": stopped by the per-name limit", stopped,
                       "rc %d: %s" % (rc, text.strip()[:300]))
                expect(name + ": peak RSS bounded", rss <= bound,
                       "%d KiB (bound %d KiB = baseline %d + 1.5 x limit %d + %d)" %
                       (rss, bound, base, limit_mib * 1536, SLACK_KIB))
            # Bodies within the size limit whose names are not: every command stops with a
            # limit error, within the memory bound.
            out_file = os.path.join(tempfile.gettempdir(), "distinct_families_%d.out" % os.getpid())
            one_limit = limit_mib == 8  # one limit is enough for these
            for path, n in ((("/under", under_n), ("/om", om_n), ("/om2", om_n))
                            if one_limit else ()):
                for cmd in (["validate"], ["check", "metrics"], ["scrape", "--to=json", "-o", out_file],
                            ["scrape", "--to=text", "-o", out_file],
                            ["scrape", "--to=openmetrics", "-o", out_file],
                            ["scrape", "--to=protobuf", "-o", out_file],
                            ["diff", server.url(path)]):
                    name = "%s %s (%d families), --body-size-limit=%dMiB" % (
                        " ".join(c for c in cmd[:2] if not c.startswith("http")), path, n, limit_mib)
                    rc, out, err, rss = run_measured(
                        [binary, *cmd, server.url(path), "--body-size-limit=%dMiB" % limit_mib])
                    text = out + err
                    stopped = rc != 0 and "--body-size-limit" in text and (
                        "too many distinct metric names" in text or "diff holds" in text)
                    expect(name + ": stopped by a limit", stopped,
                           "rc %d: %s" % (rc, text.strip()[:300]))
                    expect(name + ": peak RSS bounded", rss <= bound,
                           "%d KiB (bound %d KiB)" % (rss, bound))
                    expect(name + ": no output file", not os.path.exists(out_file),
                           out_file)
            # One large family: read in full (the commands that stream series) or stopped by
            # the per-family bound; either way within the memory bound.
            for path, n in ((("/family", family_n), ("/hist", hist_n), ("/pbnative", native_n))
                            if one_limit else ()):
                for cmd in (["validate"], ["check", "metrics"], ["scrape", "--to=json", "-o", out_file],
                            ["scrape", "--to=text", "-o", out_file],
                            ["scrape", "--to=openmetrics", "-o", out_file],
                            ["scrape", "--to=protobuf", "-o", out_file],
                            ["diff", server.url(path)]):
                    name = "%s %s (%d series or buckets), --body-size-limit=%dMiB" % (
                        " ".join(c for c in cmd[:2] if not c.startswith("http")), path, n, limit_mib)
                    if os.path.exists(out_file):
                        os.unlink(out_file)
                    rc, out, err, rss = run_measured(
                        [binary, *cmd, server.url(path), "--body-size-limit=%dMiB" % limit_mib])
                    text = out + err
                    # check metrics reads a gauge family in parts, so it lints the whole family:
                    # exit code 3 is lint problems found (the served family has no HELP).
                    linted = cmd[:2] == ["check", "metrics"] and rc == 3
                    read = (rc == 0 or linted) and "error" not in err
                    stopped = rc != 0 and "--body-size-limit" in text and (
                        "one family may take" in text or "diff holds" in text)
                    expect(name + ": read, or stopped by a limit", read or stopped,
                           "rc %d: %s" % (rc, text.strip()[:300]))
                    expect(name + ": peak RSS bounded", rss <= bound,
                           "%d KiB (bound %d KiB)" % (rss, bound))
                    if stopped:
                        expect(name + ": no output file", not os.path.exists(out_file), out_file)
            if os.path.exists(out_file):
                os.unlink(out_file)
            # Three such records scraped at once (--parallel=3): each stopped; together within
            # the same bound plus a constant per extra worker (its thread, curl handle and
            # decode buffer; the three windows share the 1.5x).
            if one_limit:
                targets_file = out_file + ".targets"
                with open(targets_file, "w") as f:
                    f.write("".join(server.url("/pbnative?t=%d" % i) + "\n" for i in range(3)))
                try:
                    rc, out, err, rss = run_measured(
                        [binary, "scrape", "--to=json", "--targets", targets_file, "--parallel=3",
                         "--body-size-limit=%dMiB" % limit_mib])
                finally:
                    os.unlink(targets_file)
                text = out + err
                name = "scrape --targets (3 x /pbnative) --parallel=3, --body-size-limit=%dMiB" % (
                    limit_mib)
                expect(name + ": each stopped by the per-family bound",
                       rc != 0 and text.count("one family may take") == 3,
                       "rc %d: %s" % (rc, text.strip()[:300]))
                parallel_bound = bound + 2 * WORKER_KIB
                expect(name + ": peak RSS bounded", rss <= parallel_bound,
                       "%d KiB (bound %d KiB)" % (rss, parallel_bound))
            # A body whose names fit is read in full under the same limit.
            rc, out, err, rss = run_measured(
                [binary, "validate", server.url("/small"), "--body-size-limit=%dMiB" % limit_mib])
            expect("validate URL within the per-name limit (%d MiB)" % limit_mib,
                   rc == 0 and ("%d families" % small_n) in out, "rc %d: %s%s" %
                   (rc, out.strip(), err.strip()))
    finally:
        server.stop()
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
