#!/usr/bin/env python3
"""The HTML report of `check metrics --report=html:FILE`, rendered in headless Chromium: a
self-contained page (no network) that renders without console messages, whose DOM holds the
findings (as many as the JSON report), rule links to docs/lint-rules.md anchors that exist and the
expected family and label names, whose screenshot shows the bar chart, and which for a 50 MB
payload stays under 5 MB and loads in under 2 s. Skipped, saying so, where Chromium is missing.

usage: html_report_test.py BINARY SOURCE_DIR"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

BINARY = ""
SRC = ""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SMALL = """# HELP http_requests_total Requests handled.
# TYPE http_requests_total counter
http_requests_total{code="200",method="get"} 10
http_requests_total{code="200",method="post"} 3
http_requests_total{code="500",method="get"} 1
# TYPE fooBar gauge
fooBar{instanceId="a"} 1
# HELP queue_depth_total Jobs waiting.
# TYPE queue_depth_total gauge
queue_depth_total{queue="q<script>alert(1)</script>"} 4
"""


def png_pixels(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB/RGBA non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


class HtmlReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if CHROMIUM is None:
            raise unittest.SkipTest("chromium is not installed (scripts/install-deps.sh installs "
                                    "Debian's chromium): the HTML report is not rendered")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.small = os.path.join(cls.dir, "small.prom")
        with open(cls.small, "w", encoding="utf-8") as f:
            f.write(SMALL)
        cls.html = os.path.join(cls.dir, "report.html")
        cls.json = os.path.join(cls.dir, "report.json")
        proc = subprocess.run([BINARY, "check", "metrics", "--no-config", "--enable=*",
                               f"--report=html:{cls.html}", f"--report=json:{cls.json}",
                               cls.small], capture_output=True, text=True, timeout=60,
                              check=False)
        assert proc.returncode == 3, proc.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def chromium(self, *args, timeout=120):
        profile = tempfile.mkdtemp(dir=self.dir)
        proc = subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                               "--no-first-run", "--disable-extensions",
                               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                               *args], capture_output=True, text=True, timeout=timeout,
                              check=False)
        shutil.rmtree(profile, ignore_errors=True)
        return proc

    def console_messages(self, stderr):
        return [line for line in stderr.splitlines() if ":CONSOLE" in line]

    def test_page_is_self_contained(self):
        with open(self.html, encoding="utf-8") as f:
            text = f.read()
        self.assertNotRegex(text, r"<(link|img|iframe|object|embed)\b")
        self.assertNotRegex(text, r"<script[^>]*\bsrc=")
        self.assertNotRegex(text, r"url\(")
        for href in re.findall(r'href="([^"]*)"', text):
            self.assertRegex(href, r"^(#|docs/lint-rules\.md#)", href)
        self.assertIn("Content-Security-Policy", text)
        # A label value holding markup is text, not markup.
        self.assertNotIn("<script>alert", text)
        self.assertIn("q&lt;script&gt;alert(1)&lt;/script&gt;", text)

    def test_renders_without_console_messages(self):
        proc = self.chromium("--dump-dom", "file://" + self.html)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(self.console_messages(proc.stderr), [])
        # The check itself sees a script error (so an empty list above means something).
        bad = os.path.join(self.dir, "bad.html")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("<html><body><script>undefinedFunction();</script></body></html>")
        proc = self.chromium("--dump-dom", "file://" + bad)
        self.assertTrue(any("Uncaught ReferenceError" in m
                            for m in self.console_messages(proc.stderr)), proc.stderr[-2000:])

    def test_dom_holds_the_findings_rule_links_families_and_labels(self):
        dom = self.chromium("--dump-dom", "file://" + self.html).stdout
        with open(self.json, encoding="utf-8") as f:
            problems = json.load(f)["problems"]
        findings = re.findall(r'<li class="finding sev-(\w+)" data-severity="\w+" '
                              r'data-rule="([\w-]+)"', dom)
        self.assertEqual(sorted(r for _, r in findings), sorted(p["rule"] for p in problems))
        self.assertEqual(sorted(s for s, _ in findings), sorted(p["severity"] for p in problems))
        with open(os.path.join(SRC, "docs/lint-rules.md"), encoding="utf-8") as f:
            headings = set(re.findall(r"(?m)^#+ ([\w-]+)\s*$", f.read()))
        links = re.findall(r'href="docs/lint-rules\.md#([^"]+)"', dom)
        self.assertEqual(len(links), len(problems))
        for rule in links:
            self.assertIn(rule, headings, f"no '## {rule}' in docs/lint-rules.md")
        families = set(re.findall(r'<div class="row"[^>]*data-family="([^"]+)"', dom))
        self.assertEqual(families, {"http_requests_total", "fooBar", "queue_depth_total"})
        self.assertRegex(dom, r'data-tip="http_requests_total: 3 samples, 60\.0% of 5"')
        self.assertRegex(dom, r'data-tip="http_requests_total / method: 2 distinct values"')
        self.assertRegex(dom, r'data-tip="method=&quot;get&quot;: 2 series"')
        self.assertIn('<span class="count" id="count-warnings">', dom)

    def test_screenshot_shows_the_chart(self):
        # A report without findings, so that the chart is in the first screen.
        html = os.path.join(self.dir, "chart.html")
        subprocess.run([BINARY, "check", "metrics", "--no-config", "--lint=none",
                        f"--report=html:{html}", self.small], check=True, timeout=60)
        png = os.path.join(self.dir, "chart.png")
        proc = self.chromium(f"--screenshot={png}", "--window-size=900,700", "file://" + html)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        width, height, channels, rows = png_pixels(png)
        self.assertEqual((width, height), (900, 700))
        bar = 0
        colours = set()
        for row in rows[::2]:
            for x in range(0, width * channels, channels * 2):
                r, g, b = row[x], row[x + 1], row[x + 2]
                colours.add((r >> 4, g >> 4, b >> 4))
                if abs(r - 0xE6) < 12 and abs(g - 0x52) < 12 and abs(b - 0x2C) < 12:
                    bar += 1
        self.assertGreater(len(colours), 10, "the screenshot is (nearly) one colour")
        self.assertGreater(bar, 500, "no bar of the chart is visible")

    def test_50mb_payload_report_is_small_and_loads_fast(self):
        payload = os.path.join(self.dir, "big.prom")
        families = [f"kube_pod_info_{i}" for i in range(12)]
        sample = (f'{families[0]}{{namespace="ns0",pod="pod-0-100000",node="node-0",'
                  f'uid="00000000-000000-100000"}} 1\n')
        per_family = (50 << 20) // len(families) // len(sample) + 2000
        with open(payload, "w", encoding="utf-8") as f:
            for i, family in enumerate(families):
                f.write(f"# HELP {family} Pod info.\n# TYPE {family} gauge\n")
                for start in range(0, per_family, 5000):
                    f.write("".join(
                        f'{family}{{namespace="ns{j % 50}",pod="pod-{i}-{j}",'
                        f'node="node-{j % 300}",uid="00000000-{i:06d}-{j:06d}"}} 1\n'
                        for j in range(start, min(per_family, start + 5000))))
        payload_size = os.path.getsize(payload)
        self.assertGreaterEqual(payload_size, 50 << 20)
        html = os.path.join(self.dir, "big.html")
        start = time.monotonic()
        proc = subprocess.run([BINARY, "check", "metrics", "--no-config",
                               f"--report=html:{html}", payload], capture_output=True, text=True,
                              timeout=300, check=False)
        seconds = time.monotonic() - start
        os.remove(payload)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        report_size = os.path.getsize(html)
        print(f"\n50 MB payload ({payload_size} bytes): report {report_size} bytes written in "
              f"{seconds:.2f} s (machine shared)", file=sys.stderr)
        self.assertLess(report_size, 5 << 20)
        self.assertLess(seconds, 120)
        # Load time: the report in an iframe of a harness page that records when it loaded.
        harness = os.path.join(self.dir, "harness.html")
        with open(harness, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><head><title>pending</title></head><body>"
                    "<script>var t0 = performance.now();</script>"
                    "<iframe src=\"big.html\" style=\"width:1200px;height:900px\" "
                    "onload=\"document.title = 'loaded ' + Math.round(performance.now() - t0)\">"
                    "</iframe></body></html>")
        proc = self.chromium("--allow-file-access-from-files", "--dump-dom", "file://" + harness)
        m = re.search(r"<title>loaded (\d+)</title>", proc.stdout)
        self.assertIsNotNone(m, proc.stdout[:500] + proc.stderr[-1000:])
        load_ms = int(m.group(1))
        print(f"report loaded in {load_ms} ms in headless Chromium", file=sys.stderr)
        self.assertLess(load_ms, 2000)
        self.assertEqual(self.console_messages(proc.stderr), [])
        with open(html, encoding="utf-8") as f:
            text = f.read()
        for family in families:
            self.assertTrue(f'data-family="{family}"' in text, family)
        # 300 nodes in each of the 12 families, summed over the families.
        self.assertTrue("node: 3600 distinct values in 12 families" in text)
        self.assertTrue(f"{families[0]} / node: 300 distinct values" in text)


def main():
    global BINARY, SRC
    BINARY, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
