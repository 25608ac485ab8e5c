#!/usr/bin/env python3
"""`make dist` (dist/make-dist.sh) and the minimal root of dist/rootfs.sh (the Dockerfile's):
the dist binary links statically everything but the C library; in an
empty root holding only that binary, the libraries it loads, a CA bundle and a payload (chroot,
or `unshare -r` when not root), validate, check metrics, convert and a TLS scrape from a loopback
server all work; the tarball runs through its own loader.

usage: self_contained_test.py BUILD_DIR SOURCE_DIR"""
import http.server
import os
import re
import shutil
import ssl
import subprocess
import sys
import tarfile
import tempfile
import threading
import unittest

BUILD = ""
SRC = ""

PAYLOAD = ('# HELP http_requests_total Requests handled.\n# TYPE http_requests_total counter\n'
           'http_requests_total{code="200"} 3\n')
BROKEN = "# TYPE fooBar gauge\nfooBar 1\n"


def sonames(binary_or_lib):
    out = subprocess.run(["ldd", binary_or_lib], capture_output=True, text=True, check=True).stdout
    return {os.path.basename(line.split()[0]) for line in out.splitlines() if line.strip()}


class Server(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        body = PAYLOAD.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class SelfContainedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "dist")
        proc = subprocess.run(["bash", os.path.join(SRC, "dist/make-dist.sh"), BUILD, cls.out],
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        print(proc.stdout, file=sys.stderr, end="")
        cls.binary = os.path.join(cls.out, "promtool-cpp")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_only_the_c_runtime_stays_dynamic(self):
        self.assertEqual(sonames(self.binary) - {"libc.so.6", "libm.so.6", "linux-vdso.so.1",
                                                 "ld-linux-x86-64.so.2"}, set())

    def test_unreachable_libcurl_code_is_stubbed_and_named(self):
        # Only GSSAPI, LDAP/BER and RTMP (no static archive in Debian 12) may be stubbed.
        with open(os.path.join(self.out, "unreachable-stubs.c"), encoding="utf-8") as f:
            names = re.findall(r"^void\*? ?(\w+)", f.read(), re.M)
        self.assertTrue(names)
        self.assertFalse([n for n in names if not re.match(r"(gss_|GSS_C_|ldap_|ber_|RTMP_)", n)])

    def run_in_root(self, root, *args):
        chroot = shutil.which("chroot") or "/usr/sbin/chroot"
        cmd = [chroot, root, "/usr/bin/promtool-cpp", *args]
        if os.geteuid() != 0:
            cmd = [shutil.which("unshare") or "/usr/bin/unshare", "-r"] + cmd
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False,
                              env={"PATH": "/usr/bin", "NO_COLOR": "1"})

    def test_runs_in_an_empty_root(self):
        root = os.path.join(self.tmp.name, "root")
        cert = os.path.join(self.tmp.name, "cert.pem")
        key = os.path.join(self.tmp.name, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], capture_output=True, check=True, timeout=60)
        # The root's CA bundle is the test server's certificate alone.
        subprocess.run(["bash", os.path.join(SRC, "dist/rootfs.sh"), self.binary, root, cert],
                       check=True, timeout=60)
        for name, text in (("ok.prom", PAYLOAD), ("broken.prom", BROKEN)):
            with open(os.path.join(root, "work", name), "w", encoding="utf-8") as f:
                f.write(text)
        files = sorted(os.path.relpath(os.path.join(d, f), root)
                       for d, _, fs in os.walk(root) for f in fs)
        self.assertNotIn("bin/sh", files)
        self.assertFalse([f for f in files if not re.match(
            r"^(usr/bin/promtool-cpp|(usr/)?lib(64|/x86_64-linux-gnu)/[^/]+\.so[.\d]*"
            r"|etc/ssl/certs/ca-certificates\.crt|etc/(passwd|group)|work/\w+\.prom)$", f)])

        proc = self.run_in_root(root, "validate", "/work/ok.prom")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.run_in_root(root, "check", "metrics", "/work/broken.prom")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("fooBar", proc.stdout + proc.stderr)
        proc = self.run_in_root(root, "convert", "--to=json", "/work/ok.prom")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn('"name":"http_requests_total"', proc.stdout.replace(" ", ""))

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"https://127.0.0.1:{server.server_address[1]}/metrics"
            proc = self.run_in_root(root, "scrape", "--timeout=10s", url)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn('http_requests_total{code="200"} 3', proc.stdout)
            # The CA bundle is found at the other distributions' paths too (RHEL's here).
            bundle = os.path.join(root, "etc/ssl/certs/ca-certificates.crt")
            os.makedirs(os.path.join(root, "etc/pki/tls/certs"))
            shutil.move(bundle, os.path.join(root, "etc/pki/tls/certs/ca-bundle.crt"))
            proc = self.run_in_root(root, "scrape", "--timeout=10s", url)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            # A bundle at a system path is what verified it: without one, the scrape fails.
            os.remove(os.path.join(root, "etc/pki/tls/certs/ca-bundle.crt"))
            proc = self.run_in_root(root, "scrape", "--timeout=10s", url)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("certificate", proc.stderr)
        finally:
            server.shutdown()
            server.server_close()

    def test_tarball_runs_through_its_own_loader(self):
        tars = [f for f in os.listdir(self.out) if f.endswith(".tar.gz")]
        self.assertEqual(len(tars), 1)
        with tarfile.open(os.path.join(self.out, tars[0])) as t:
            t.extractall(os.path.join(self.tmp.name, "x"), filter="tar")
        top = os.path.join(self.tmp.name, "x", tars[0][:-len(".tar.gz")])
        ok = os.path.join(self.tmp.name, "ok.prom")
        with open(ok, "w", encoding="utf-8") as f:
            f.write(PAYLOAD)
        proc = subprocess.run([os.path.join(top, "bin/promtool-cpp"), "validate", ok],
                              capture_output=True, text=True, timeout=60, check=False,
                              env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(os.path.exists(os.path.join(top, "lib/ld-linux-x86-64.so.2")))


def main():
    global BUILD, SRC
    BUILD, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
