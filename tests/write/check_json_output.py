#!/usr/bin/env python3
"""JSON reports stay valid JSON when a protobuf payload carries bytes that are not UTF-8 in
metric names, label names and label values (issue 12): `diff --output=json` and
`check metrics --extended=json` must print output that decodes as strict UTF-8 and parses.

usage: check_json_output.py PROMTOOL_CPP
"""
import json
import os
import struct
import subprocess
import sys
import tempfile


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def field(number, payload):
    """A length-delimited field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def gauge_family(name, labels, value):
    """A delimited MetricFamily: a gauge with one series."""
    metric = b""
    for k, v in labels:
        metric += field(1, field(1, k) + field(2, v))  # LabelPair name=1, value=2
    metric += field(2, b"\x09" + struct.pack("<d", value))  # Gauge{value=1 (double)}
    family = field(1, name) + field(2, b"help \xff") + varint(3 << 3 | 0) + varint(1)
    family += field(4, metric)
    return varint(len(family)) + family


def run(binary, args):
    proc = subprocess.run([binary] + args, capture_output=True, timeout=60, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def check_valid_json(what, stdout):
    try:
        text = stdout.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        return f"{what}: stdout is not valid UTF-8 ({e})"
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        return f"{what}: stdout is not valid JSON ({e}):\n{text}"
    return None


def main(argv):
    binary = argv[1]
    failures = []
    with tempfile.TemporaryDirectory(prefix="json-output-") as tmp:
        old = os.path.join(tmp, "old.pb")
        new = os.path.join(tmp, "new.pb")
        with open(old, "wb") as f:
            f.write(gauge_family(b"bad\xffname", [(b"l\xfe", b"v\xc3")], 1.0))
            f.write(gauge_family(b"same", [(b"k", b"\x80value")], 1.0))
        with open(new, "wb") as f:
            f.write(gauge_family(b"bad\xffname", [(b"l\xfe", b"v\xc3")], 2.0))
            f.write(gauge_family(b"same", [(b"k", b"\x80other")], 1.0))
        cases = [
            ("diff --output=json", ["diff", "--output=json", old, new]),
            ("check metrics --extended=json",
             ["check", "metrics", "--extended=json", "--lint=none", "--no-config",
              "--input-format=protobuf", old]),
        ]
        for what, args in cases:
            rc, out, err = run(binary, args)
            if not out:
                failures.append(f"{what}: no stdout (rc {rc}): {err.decode(errors='replace')}")
                continue
            problem = check_valid_json(what, out)
            if problem:
                failures.append(problem)
            else:
                print(f"{what}: valid JSON (rc {rc})")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
