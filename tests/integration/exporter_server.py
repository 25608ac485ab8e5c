#!/usr/bin/env python3
"""A loopback exporter for `check exporter` tests: correct, or broken in one chosen way.

usage: exporter_server.py MODE   (prints the port it listens on, then serves until killed)

It negotiates like the content-negotiation spec says (highest q among PrometheusProto,
OpenMetricsText1.0.0/0.0.1, PrometheusText1.0.0/0.0.4; PrometheusText0.0.4 as the last resort),
writes each format itself (text, OpenMetrics and delimited protobuf encoders below), gzips when
asked and sends Vary. MODE "correct" does all of that; every other mode breaks exactly one thing:

  no-content-type      no Content-Type header
  wrong-content-type   Content-Type: text/html
  accept-ignored       always OpenMetrics 1.0.0, whatever the Accept header says
  om-under-text        an OpenMetrics body under text/plain; version=0.0.4 (no negotiation)
  om-under-text-big    the same with a body of about 2 MiB (its "# EOF" beyond the first MiB)
  missing-eof          OpenMetrics bodies without the final "# EOF"
  counter-reset        a counter that goes down on every request (no restart)
  churn                a series present only half of the time (toggles every 0.7 s)
  volatile-label       an info gauge whose "uptime" label changes on every request
  duplicate-series     one counter series written twice
  slow                 answers after 0.6 s
  odd-accept-500       HTTP 500 for an Accept header it cannot parse
  crash-on-header      the process exits on an Accept-Encoding other than gzip/identity
  gzip-no-encoding     gzips when asked but sends no Content-Encoding
  text-proto-disagree  the protobuf body lacks one family
  values-disagree      the protobuf body's counter values are one more than the text's
  header-ignored       text only; answers after 0.5 s whatever X-Prometheus-Scrape-Timeout-Seconds
                       allows
  header-honoured      text only; answers after 0.5 s, or sooner when
                       X-Prometheus-Scrape-Timeout-Seconds allows less (half of it) -- correct
  hang                 accepts connections and never answers
  reset-on-head        resets the connection (RST) on a HEAD request
  wedge-after-query    after a request with a query string, never answers again
  big [MB]             OpenMetrics 1.0.0 or text 0.0.4 (no protobuf, no gzip), the correct
                       families followed by about MB MiB (default 256) of generated gauge
                       families, written as it is sent (never held whole) -- valid
Only 127.0.0.1 is used.
"""
import gzip
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "correct"
LOCK = threading.Lock()
COUNT = [0]
START = 1700000000.0

WEDGED = [False]
BIG_MB = int(sys.argv[2]) if MODE == "big" and len(sys.argv) > 2 else 256
TEXT_ONLY = ("header-ignored", "header-honoured")

PROTO_CT = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            "encoding=delimited")


def families(n):
    """The exposition of request n: [(name, type, help, unit, samples)].

    counter/gauge samples: (labels, value); histogram samples: (labels, buckets, sum, count).
    """
    requests = [({"path": "/a"}, 10.0), ({"path": "/b"}, 5.0)]
    if MODE == "counter-reset":
        requests[0] = ({"path": "/a"}, 1000.0 - n)
    if MODE == "churn" and int(time.monotonic() / 0.7) % 2 == 0:
        requests.append(({"path": "/c"}, 1.0))
    if MODE == "duplicate-series":
        requests.append(({"path": "/a"}, 10.0))
    out = [
        ("demo_requests", "counter", "Requests handled.", "", requests),
        ("demo_temperature_celsius", "gauge", "Current temperature.", "celsius",
         [({}, 21.5)]),
        ("demo_latency_seconds", "histogram", "Request latency.", "seconds",
         [({}, [(0.1, 3), (1.0, 7), (float("inf"), 9)], 4.5, 9)]),
        ("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in "
         "seconds.", "seconds", [({}, START)]),
    ]
    if MODE == "om-under-text-big":
        out.append(("demo_padding", "gauge", "Padding past the first MiB.", "",
                    [({"slot": "%05d" % i, "pad": "p" * 180}, 1.0) for i in range(10000)]))
    if MODE == "volatile-label":
        out.append(("demo_build", "gauge", "Build information.", "",
                    [({"version": "1.0", "uptime": "%.6f" % time.monotonic()}, 1.0)]))
    return out


def fmt(v):
    if v == float("inf"):
        return "+Inf"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v)) if not isinstance(v, float) else repr(v)
    return repr(v)


def labels_text(labels, extra=None):
    items = list(labels.items()) + ([extra] if extra else [])
    if not items:
        return ""
    return "{" + ",".join('%s="%s"' % (k, v) for k, v in items) + "}"


def text(fams):
    lines = []
    for name, typ, help_, _unit, samples in fams:
        full = name + "_total" if typ == "counter" else name
        lines.append("# HELP %s %s" % (full, help_))
        lines.append("# TYPE %s %s" % (full, typ))
        for s in samples:
            if typ == "histogram":
                labels, buckets, total, count = s
                for le, c in buckets:
                    lines.append("%s_bucket%s %s" % (name, labels_text(labels, ("le", fmt(le))), c))
                lines.append("%s_sum%s %s" % (name, labels_text(labels), fmt(total)))
                lines.append("%s_count%s %s" % (name, labels_text(labels), count))
            else:
                lines.append("%s%s %s" % (full, labels_text(s[0]), fmt(s[1])))
    return ("\n".join(lines) + "\n").encode()


def openmetrics(fams, eof=True):
    lines = []
    for name, typ, help_, unit, samples in fams:
        lines.append("# TYPE %s %s" % (name, typ))
        if unit:
            lines.append("# UNIT %s %s" % (name, unit))
        lines.append("# HELP %s %s" % (name, help_))
        for s in samples:
            if typ == "histogram":
                labels, buckets, total, count = s
                for le, c in buckets:
                    lines.append("%s_bucket%s %s" % (name, labels_text(labels, ("le", fmt(le))), c))
                lines.append("%s_count%s %s" % (name, labels_text(labels), count))
                lines.append("%s_sum%s %s" % (name, labels_text(labels), fmt(total)))
            elif typ == "counter":
                lines.append("%s_total%s %s" % (name, labels_text(s[0]), fmt(s[1])))
            else:
                lines.append("%s%s %s" % (name, labels_text(s[0]), fmt(s[1])))
    if eof:
        lines.append("# EOF")
    return ("\n".join(lines) + "\n").encode()


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, wire, payload):
    key = varint(num << 3 | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def string(num, s):
    return field(num, 2, s.encode())


def double(num, v):
    return field(num, 1, struct.pack("<d", v))


def protobuf(fams):
    out = bytearray()
    types = {"counter": 0, "gauge": 1, "histogram": 4}
    for name, typ, help_, _unit, samples in fams:
        if MODE == "text-proto-disagree" and name == "demo_temperature_celsius":
            continue
        full = name + "_total" if typ == "counter" else name
        msg = string(1, full) + string(2, help_) + field(3, 0, varint(types[typ]))
        for s in samples:
            m = b"".join(field(1, 2, string(1, k) + string(2, v)) for k, v in s[0].items())
            if typ == "counter":
                m += field(3, 2, double(1, s[1] + (1 if MODE == "values-disagree" else 0)))
            elif typ == "gauge":
                m += field(2, 2, double(1, s[1]))
            else:
                _labels, buckets, total, count = s
                h = field(1, 0, varint(count)) + double(2, total)
                for le, c in buckets:
                    h += field(3, 2, field(1, 0, varint(c)) + double(2, le))
                m += field(7, 2, h)
            msg += field(4, 2, m)
        out += varint(len(msg)) + msg
    return bytes(out)


def big_block():
    """About 1 MiB: four gauge families of 1000 series whose names hold "@@@@@@" (replaced by a
    block number). A larger body has more series, not larger families."""
    lines = []
    pad = "x" * 200
    for f in range(4):
        name = "big_@@@@@@_%d" % f
        lines.append("# HELP %s A generated gauge family." % name)
        lines.append("# TYPE %s gauge" % name)
        for i in range(1000):
            lines.append('%s{pad="%s",i="%d"} %d' % (name, pad, i, i))
    return ("\n".join(lines) + "\n").encode()


BIG_BLOCK = big_block() if MODE == "big" else b""


OFFERS = [  # (protocol, type, version)
    ("proto", "application/vnd.google.protobuf", None),
    ("om1", "application/openmetrics-text", "1.0.0"),
    ("om001", "application/openmetrics-text", "0.0.1"),
    ("text1", "text/plain", "1.0.0"),
    ("text004", "text/plain", "0.0.4"),
]


class BadAccept(Exception):
    pass


def parse_accept(value):
    ranges = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        parts = [p.strip() for p in item.split(";")]
        mtype = parts[0].lower()
        major, _, minor = mtype.partition("/")
        if not major or not minor:
            raise BadAccept(item)
        params = {}
        for p in parts[1:]:
            k, _, v = p.partition("=")
            params[k.strip().lower()] = v.strip().strip('"')
        q = 1.0
        if "q" in params:
            try:
                q = float(params["q"])
            except ValueError:
                raise BadAccept(item)
            if not 0 <= q <= 1:
                raise BadAccept(item)
        ranges.append((mtype, params, q))
    return ranges


def weight(ranges, offer):
    _proto, mtype, version = offer
    best_rank, best_q = -1, -1.0
    for rtype, params, q in ranges:
        rank = -1
        if rtype == "*/*":
            rank = 0
        elif rtype == mtype.split("/")[0] + "/*":
            rank = 1
        elif rtype == mtype:
            if version is None:
                if params.get("proto", "io.prometheus.client.MetricFamily") != \
                        "io.prometheus.client.MetricFamily":
                    continue
                if params.get("encoding", "delimited") != "delimited":
                    continue
                rank = 2
            else:
                if "version" in params and params["version"] != version:
                    continue
                rank = 3 if "version" in params else 2
        if rank > best_rank:
            best_rank, best_q = rank, q
    return best_q


def negotiate(accept):
    """(protocol, requested escaping)."""
    if accept is None:
        return "text004", ""
    try:
        ranges = parse_accept(accept)
    except BadAccept:
        if MODE == "odd-accept-500":
            raise
        return "text004", ""
    best, chosen = 0.0, "text004"
    for offer in OFFERS:
        if MODE == "big" and offer[0] not in ("om1", "text004"):
            continue
        w = weight(ranges, offer)
        if w > best:
            best, chosen = w, offer[0]
    escaping = ""
    for rtype, params, _q in ranges:
        if chosen in ("om1", "text1") and rtype in ("text/plain", "application/openmetrics-text") \
                and params.get("version") == "1.0.0" and "escaping" in params:
            escaping = params["escaping"]
            if escaping not in ("allow-utf-8", "allow-utf8", "underscores", "dots", "values"):
                escaping = ""
    return chosen, escaping


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def respond(self, head):
        with LOCK:
            COUNT[0] += 1
            n = COUNT[0]
        encoding = self.headers.get("Accept-Encoding")
        if MODE == "crash-on-header" and encoding is not None and \
                encoding.strip().lower() not in ("gzip", "identity"):
            os._exit(3)
        if MODE == "slow":
            time.sleep(0.6)
        if MODE == "wedge-after-query" and "?" in self.path:
            WEDGED[0] = True
        if MODE == "hang" or WEDGED[0]:
            threading.Event().wait()
        if MODE == "reset-on-head" and head:
            # SO_LINGER 0: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if MODE == "header-ignored":
            time.sleep(0.5)
        if MODE == "header-honoured":
            allowed = float(self.headers.get("X-Prometheus-Scrape-Timeout-Seconds") or 10)
            time.sleep(min(0.5, allowed / 2))
        try:
            protocol, escaping = negotiate(self.headers.get("Accept"))
        except BadAccept:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        fams = families(n)
        if MODE in TEXT_ONLY:
            protocol = "text004"
        if MODE == "big":
            self.respond_big(protocol, escaping, head, fams)
            return
        if MODE == "accept-ignored":
            protocol = "om1"
        if MODE in ("om-under-text", "om-under-text-big"):
            protocol = "om-as-text"
        if protocol == "proto":
            body, ctype = protobuf(fams), PROTO_CT
        elif protocol in ("om1", "om001", "om-as-text"):
            body = openmetrics(fams, eof=MODE != "missing-eof")
            if protocol == "om1":
                ctype = ("application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=" +
                         (escaping or "underscores"))
            elif protocol == "om001":
                ctype = "application/openmetrics-text; version=0.0.1; charset=utf-8"
            else:
                ctype = "text/plain; version=0.0.4; charset=utf-8"
        elif protocol == "text1":
            body = text(fams)
            ctype = "text/plain; version=1.0.0; charset=utf-8; escaping=" + (escaping or "underscores")
        else:
            body, ctype = text(fams), "text/plain; version=0.0.4; charset=utf-8"
        if MODE == "wrong-content-type":
            ctype = "text/html; charset=utf-8"
        gz = False
        if encoding:
            for token in encoding.split(","):
                name, _, params = token.strip().partition(";")
                if name.strip().lower() == "gzip" and params.replace(" ", "") not in ("q=0",
                                                                                      "q=0.0"):
                    gz = True
        if gz:
            body = gzip.compress(body)
        self.send_response(200)
        if MODE != "no-content-type":
            self.send_header("Content-Type", ctype)
        if gz and MODE != "gzip-no-encoding":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept, Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def respond_big(self, protocol, escaping, head, fams):
        om = protocol == "om1"
        first = openmetrics(fams, eof=False) if om else text(fams)
        last = b"# EOF\n" if om else b""
        blocks = (BIG_MB << 20) // len(BIG_BLOCK) + 1
        self.send_response(200)
        self.send_header("Content-Type", "application/openmetrics-text; version=1.0.0; "
                         "charset=utf-8; escaping=" + (escaping or "underscores") if om else
                         "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Vary", "Accept")
        self.send_header("Content-Length", str(len(first) + blocks * len(BIG_BLOCK) + len(last)))
        self.end_headers()
        if head:
            return
        self.wfile.write(first)
        for k in range(blocks):
            self.wfile.write(BIG_BLOCK.replace(b"@@@@@@", b"%06d" % k))
        self.wfile.write(last)

    def do_GET(self):
        self.respond(False)

    def do_HEAD(self):
        self.respond(True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that hangs up early (timeouts, fuzzing) is expected


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
