#!/usr/bin/env python3
"""Differential test of the text parser against the real `promtool check metrics`.

For every corpus/text file, a set of hand-written tricky inputs and a few thousand
deterministic mutations of the corpus payloads, it compares:
  * promtool's verdict (the `error while linting: text format parsing error in line N: MSG`
    line, or no parse error) with the one printed by the compat_dump helper
    (`N<TAB>compat_message`, or `OK`), byte for byte;
  * promtool's parse error with the exit code of `promtool-cpp validate --format=text -q`
    (1 exactly when promtool reports a parse error), on every corpus and tricky input and on
    every --cli-every'th mutation;
  * the helper's verdict on the mapped file with its verdict through a stream source read in
    5-byte chunks (line, column and code must not depend on how the input arrives).
Exits 1 on any disagreement and prints the first 50 with their inputs (--keep copies them).
Skips (exit 0) only when `promtool` is not on PATH.
The installed promtool is Debian's 2.42, so both sides of ours run the 2.42 profile
(`--promtool=2`); the default profile (promtool 3.x) is specified by tests/text/expfmt_table_test.cc.
"""

import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

PREFIX = b"error while linting: text format parsing error in line "

# Bytes that matter to the grammar, inserted or substituted by the mutator.
INTERESTING = [b"\r", b"\t", b" ", b"{", b"}", b",", b"=", b'"', b"\\", b"#", b"\n", b"\x00",
               b"\xff", b"\x80", b"\xc3", b"e", b".", b"-", b"+", b"0", b"a", b"n", b"_", b":",
               b"\\n", b'\\"', b"\\\\", b"\\t", b"NaN", b"Inf", b"le", b"quantile", b"HELP",
               b"TYPE", b"# ", b"1e309", b"0x1p3", b"\r\n", b"\xef\xbb\xbf", b"\xcd\xb8",
               b"\xe2\x80\xa8", b"\xf0\x9f\xab\xa0", b"\xc2\xad", b"\xc3\xa9"]

# Lines spliced into payloads: each one a corner of the grammar.
TRICKY_LINES = [
    b"# TYPE x summary", b"# TYPE x histogram", b"# TYPE x gauge_histogram", b"# TYPE x counter",
    b"# HELP x some help", b"# HELP x", b"# HELP x ", b"#HELP x y", b"#\tTYPE x gauge",
    b"# help x y", b"# TYPE x COUNTER", b"# TYPE x gauge ", b"# TYPE x info", b"# TYPE x",
    b"# UNIT x seconds", b"# EOF", b"#", b"# ", b"x 1", b"x_sum 1", b"x_count 2",
    b'x_bucket{le="+Inf"} 1', b'x_bucket{le="x"} 1', b"x_bucket 1", b'x{quantile="0.5"} 1',
    b'x{quantile="NaN"} 1', b'x{quantile="a"} 1', b'x{le="1",le="2"} 1', b'x{a="1",a="2"} 1',
    b'x{__name__="x"} 1', b"x{} 1", b'x{a="1",} 1', b'x{ a = "1" , } 1', b'x{a="1"}1',
    b"x 1 2", b"x 1 -2", b"x 1 2.5", b"x 1 2 3", b"x 1 ", b"x 1\t", b"x\t1", b"x  1   2",
    b"x 1 # {a=\"b\"} 1", b'x{a="\\q"} 1', b'x{a="\n"} 1', b'x{a=1} 1', b'x{a} 1', b"x{,} 1",
    b'x{"a"="1"} 1', b'{"x"} 1', b"x.y 1", b"x-y 1", b"9x 1", b":x 1", b"_ 1", b"x 0x10",
    b"x 1_000", b"x 1e309", b"x -1e-400", b"x .5", b"x 5.", b"x -0", b"x +1", b"x nan",
    b"x +Inf", b"x -inf", b"x infinity", b"x +NaN", b"x Infinity", b"x 1e", b"x e1",
    b"x 9223372036854775807 9223372036854775807", b"x 1 9223372036854775808",
    b"x 1 -9223372036854775808", b"x 1 +5", b"  x 1", b"\tx 1", b"   ", b"",
    b"# HELP x a\\\\b\\nc", b"# HELP x a\\\"b", b"# HELP x trailing\\", b'x{a="\xff"} 1',
    b'x{a="\xc3\xa9"} 1', b'x{a="\xed\xa0\x80"} 1', b"# TYPE x_sum gauge", b"# HELP x_count c",
    b'x{a="1"} 1 2 extra', b'x{a="1" b="2"} 1', b'x{a="1"b="2"} 1', b"x{a=\"1\"", b"x{",
    b"# TYPE x gau\\ge", b"# TYPE x gauge\\", b"# TYPE x gauge\\n", b"# TYPE x h\xc4\xb1stogram",
    b"# TYPE x \xc5\xbfummary", b"# TYPE x g\xc3\xa4uge", b"x 1 2 a\\b", b"x 1 2 \\",
    b"x 1 2\\", b"x 1\\ 2", b"x{a\xff=\"1\"} 1", b"x{a=\xff} 1", b"x{a=\x80} 1", b"x{a=\xad} 1",
    b"x{a=\xa0} 1", b"x{a=\x7f} 1", b"x{a=\x00} 1", b"x{a=\x1b} 1", b"x{a='1'} 1",
    b'x{a="\x80"} 1', b'x{a="\xc2\xad"} 1', b'x{a="\xe2\x80\xa8\x01\x7f"} 1', b'x{a="\xf0\x9f\x98\x80"} 1',
    b'x{a="\xef\xbf\xbe"} 1', b'x{a="\xf4\x90\x80\x80"} 1', b'x{a="\xc0\x80"} 1',
    b'x{a="\xee\x80\x80"} 1', b'x{a="\xcd\xb8"} 1', b'x{a="\xe1\x9a\x80"} 1',
    b"x \xc3\xa9", b"x 1 \xe2\x80\xa8", b"x 1\r", b"x 1 2\r", b"x{a=\"1\"}\r",
    b"# TYPE x gauge\r", b"# HELP x help\r", b"x\r 1", b"x{a=\"1\"\r} 1", b"x{a\r=\"1\"} 1",
    b"# HELP x a\\\r", b'x{a="a\\\r"} 1', b"\xef\xbb\xbfx 1", b"\x1f\x8b\x08\x00",
    b"\xff\xfex\x00 \x001\x00", b"x\x00 1", b"x 1\x00", b"# HELP x \xff", b"x{a=\"\\\xff\"} 1",
    b'x{a="1",a="1",b="2"} 1', b'x{le="1"} 1', b'x{quantile="1"} 1', b'x_sum{quantile="z"} 1',
    b'x_count{le="z"} 1', b'x_bucket{le="1e309"} 1', b'x_bucket{le="0x1p3"} 1',
    b'x_bucket{le="1_0"} 1', b'x{quantile="\\n"} 1', b"x 1e-400", b"x 0x1p-2", b"x 1.7976931348623159e308",
    b"x 4.9e-324", b"x 2.4703282292062327e-324", b"x 00.5e0001", b"x -.5e-3",
    b"x{a=\"1\"}}", b"x}", b"x{a=\"1\"},", b"x{a=\"1\",,} 1", b"x{=\"1\"} 1", b"x{0=\"1\"} 1",
    b"x{a:b=\"1\"} 1", b"x:y{a=\"1\"} 1", b"# TYPE x:y counter", b"# HELP x:y h", b"# HELP", b"# TYPE",
    b"# HELP ", b"# TYPE  x  gauge", b"# TYPE\tx\tgauge", b"#  HELP x y", b"# HELPx y", b"# HELP\\x", b"# HELP x\ty",
    b"# HELP 9x y", b"# HELP {x y", b"# HELP \"x\" y", b"# TYPE x untyped", b"# TYPE x UNTYPED",
    b"# TYPE x unknown", b"# TYPE x stateset", b"# TYPE x gaugehistogram", b"# TYPE x_bucket gauge",
]


def run_promtool(path):
    with open(path, "rb") as f:
        p = subprocess.run(["promtool", "check", "metrics"], stdin=f, capture_output=True)
    err = p.stderr
    i = err.find(PREFIX)
    if i < 0:
        if p.returncode == 1:
            return ("UNEXPECTED", err.decode("utf-8", "replace"))
        return ("OK", None)
    rest = err[i + len(PREFIX):]
    if rest.endswith(b"\n"):
        rest = rest[:-1]
    line, _, msg = rest.partition(b": ")
    return (int(line), msg)


def run_cli(cli, path):
    p = subprocess.run([cli, "validate", "--format=text", "--promtool=2", "-q", path], capture_output=True)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def run_helper(helper, paths, extra=()):
    out = {}
    for start in range(0, len(paths), 400):
        chunk = paths[start:start + 400]
        p = subprocess.run([helper, "--promtool=2", *extra] + chunk, capture_output=True,
                           check=True)
        records = p.stdout.split(b"\0")[:-1]
        assert len(records) == len(chunk), (len(records), len(chunk))
        for path, rec in zip(chunk, records):
            if rec == b"OK":
                out[path] = ("OK", None, None)
            else:
                line, rest = rec.split(b"\t", 1)  # the message itself may hold a tab
                msg, col, code = rest.rsplit(b"\t", 2)
                out[path] = (int(line), msg, b"%s:%s %s" % (line, col, code))
    return out


def mutate(rng, data):
    """Applies one to three random edits to `data`."""
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(9)
        pos = rng.randint(0, len(data)) if data else 0
        if op in (0, 1):  # insert an interesting byte string
            data = data[:pos] + rng.choice(INTERESTING) + data[pos:]
        elif op == 2 and data:  # delete one to three bytes
            data = data[:pos] + data[pos + rng.randint(1, 3):]
        elif op == 3 and data:  # replace a byte
            data = data[:pos] + rng.choice(INTERESTING) + data[pos + 1:]
        elif op == 4:  # duplicate a line
            lines = data.split(b"\n")
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k])
            data = b"\n".join(lines)
        elif op == 5:  # truncate
            data = data[:pos]
        elif op == 6:  # splice a tricky line
            lines = data.split(b"\n")
            lines.insert(rng.randrange(len(lines)), rng.choice(TRICKY_LINES))
            data = b"\n".join(lines)
        elif op == 7:  # swap two lines
            lines = data.split(b"\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = b"\n".join(lines)
        else:  # replace a byte with a random byte
            if data:
                data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1:]
    return data


def snippets(rng, payload, count):
    """Windows of a few consecutive lines, so that most mutations hit a small input."""
    lines = payload.split(b"\n")
    for _ in range(count):
        a = rng.randrange(len(lines))
        yield b"\n".join(lines[a:a + rng.randint(1, 12)]) + b"\n"


def build_inputs(corpus, mutations, seed):
    inputs = []  # (label, bytes or path)
    payloads = []
    for sub in ("valid", "invalid"):
        d = os.path.join(corpus, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".expected"):
                continue
            path = os.path.join(d, name)
            inputs.append(("corpus/%s/%s" % (sub, name), path))
            with open(path, "rb") as f:
                data = f.read()
            if sub == "valid":
                payloads.append(data)
    for i, line in enumerate(TRICKY_LINES):
        inputs.append(("tricky/%d" % i, line + b"\n"))
        inputs.append(("tricky-summary/%d" % i,
                       b"# TYPE x summary\n# HELP x h\n" + line + b"\n"))
        inputs.append(("tricky-histogram/%d" % i, b"# TYPE x histogram\n" + line + b"\nx_count 1\n"))
        inputs.append(("tricky-noeol/%d" % i, line))
    rng = random.Random(seed)
    pool = []
    for p in payloads:
        pool.extend(snippets(rng, p, 40))
    pool.extend(payloads)
    # Small grammar-dense bases: the tricky lines, alone and under summary/histogram TYPEs.
    for line in TRICKY_LINES:
        pool.append(line + b"\n")
        pool.append(b"# TYPE x summary\n" + line + b"\n")
        pool.append(b"# TYPE x histogram\n" + line + b"\n")
    for i in range(mutations):
        base = rng.choice(pool) if rng.random() < 0.95 else rng.choice(payloads)
        inputs.append(("mutation/%d" % i, mutate(rng, base)))
    return inputs


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--helper", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--mutations", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--jobs", type=int, default=max(2, (os.cpu_count() or 2)))
    ap.add_argument("--cli-every", type=int, default=5,
                    help="run the CLI on every Nth mutation (and on all corpus and tricky inputs)")
    ap.add_argument("--keep", help="copy disagreeing inputs into this directory")
    args = ap.parse_args()

    if shutil.which("promtool") is None:
        print("SKIP: promtool is not on PATH; the differential test needs it "
              "(scripts/install-deps.sh installs Debian's prometheus package)")
        return 0

    started = time.time()
    inputs = build_inputs(args.corpus, args.mutations, args.seed)
    tmp = tempfile.mkdtemp(prefix="promtool-diff-")
    try:
        paths = []
        for i, (label, data) in enumerate(inputs):
            if isinstance(data, str):
                paths.append(data)
                continue
            path = os.path.join(tmp, "%05d.prom" % i)
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
        ours = run_helper(args.helper, paths)
        # The same inputs through a stream source whose window moves every few bytes.
        streamed = run_helper(args.helper, paths, ["--stream=5"])
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            theirs = list(pool.map(run_promtool, paths))
            cli_idx = [i for i in range(len(paths))
                       if not inputs[i][0].startswith("mutation/") or i % args.cli_every == 0]
            cli = dict(zip(cli_idx, pool.map(lambda i: run_cli(args.cli, paths[i]), cli_idx)))

        failures = []
        parse_errors = 0
        for i, (label, _) in enumerate(inputs):
            t_line, t_msg = theirs[i]
            o_line, o_msg, o_pos = ours[paths[i]]
            if t_line == "UNEXPECTED":
                failures.append((label, paths[i], "promtool failed unexpectedly: %s" % t_msg))
                continue
            if t_line != "OK":
                parse_errors += 1
            if (t_line, t_msg) != (o_line, o_msg):
                failures.append((label, paths[i], "promtool: %r %r / ours: %r %r (%s)" %
                                 (t_line, t_msg, o_line, o_msg, o_pos)))
            if streamed[paths[i]] != ours[paths[i]]:
                failures.append((label, paths[i], "mapped %r but streamed %r" %
                                 (ours[paths[i]], streamed[paths[i]])))
            if i in cli:
                rc, err = cli[i]
                want = 1 if t_line != "OK" else 0
                if rc != want:
                    failures.append((label, paths[i], "promtool-cpp validate exit %d, want %d: %s"
                                     % (rc, want, err.strip()[:300])))
        if args.keep and failures:
            os.makedirs(args.keep, exist_ok=True)
            for label, path, _ in failures:
                shutil.copy(path, os.path.join(args.keep, label.replace("/", "_")))
        for label, path, why in failures[:50]:
            with open(path, "rb") as f:
                data = f.read()
            shown = data if len(data) < 300 else data[:300] + b"..."
            print("DIFF %s: %s\n  input: %r" % (label, why, shown))
        print("differential: %d inputs (%d parse errors per promtool), %d CLI runs, "
              "%d disagreements, %.1fs" % (len(inputs), parse_errors, len(cli), len(failures),
                                            time.time() - started))
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
