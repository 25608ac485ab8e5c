#!/usr/bin/env python3
"""CLI acceptance of named outputs and signal safety (issues 13.1, 20.6, 20.7).

Usage: cli_output_test.py PROMTOOL_CPP. Each case prints PASS/FAIL/SKIP; exit 1 if any failed.
"""
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

CLI = sys.argv[1]
FAILED = []


def case(fn):
    d = tempfile.mkdtemp(prefix="output_cli.")
    try:
        msg = fn(d)
        print(("SKIP %s: %s" % (fn.__name__, msg)) if msg else "PASS %s" % fn.__name__)
    except AssertionError as e:
        FAILED.append(fn.__name__)
        print("FAIL %s: %s" % (fn.__name__, e))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run(args, **kw):
    kw.setdefault("timeout", 60)
    return subprocess.run([CLI] + args, capture_output=True, **kw)


def put(path, data):
    with open(path, "wb") as f:
        f.write(data)


def get(path):
    with open(path, "rb") as f:
        return f.read()


def eq(a, b, what):
    assert a == b, "%s: expected %r, got %r" % (what, b, a)


PAYLOAD = b'# TYPE b gauge\nb 2\n# TYPE a counter\na{x="1"} 1\n'
CANONICAL = b'# TYPE a counter\na{x="1"} 1\n# TYPE b gauge\nb 2\n'


def convert_onto_a_fifo_writes_through(d):
    src, fifo = os.path.join(d, "in.prom"), os.path.join(d, "out")
    put(src, PAYLOAD)
    os.mkfifo(fifo)
    got = {}
    t = threading.Thread(target=lambda: got.update(data=get(fifo)), daemon=True)
    t.start()
    r = run(["convert", src, "-o", fifo])
    t.join(30)
    eq(r.returncode, 0, "exit code (stderr %r)" % r.stderr)
    eq(got.get("data"), PAYLOAD, "bytes read from the fifo")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the fifo was replaced"
    eq(sorted(os.listdir(d)), ["in.prom", "out"], "directory")


def convert_onto_a_symlink_replaces_its_target(d):
    src, real, link = (os.path.join(d, n) for n in ("in.prom", "real.prom", "link.prom"))
    put(src, PAYLOAD)
    put(real, b"old\n")
    os.symlink("real.prom", link)
    r = run(["convert", src, "-o", link])
    eq(r.returncode, 0, "exit code (stderr %r)" % r.stderr)
    assert os.path.islink(link), "the symlink was replaced"
    eq(get(real), PAYLOAD, "the link's target")


def unprivileged():
    """The command prefix that runs the CLI as nobody when we are root ([] when we are not),
    or None when root cannot drop its privileges here. System paths (/dev/null, /dev/stdout)
    are only written as an unprivileged user: a regression must fail, not replace them."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return None


def convert_onto_dev_null_as_nobody(d):
    runner = unprivileged()
    if runner is None:
        return "running as root without setpriv or runuser to drop privileges"
    r = subprocess.run(runner + [CLI, "convert", "-", "-o", "/dev/null"], input=PAYLOAD,
                       capture_output=True, timeout=60)
    eq(r.stderr, b"", "stderr")
    eq(r.returncode, 0, "exit code")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is no longer a device"


def convert_onto_its_own_input(d):
    src = os.path.join(d, "in.prom")
    put(src, PAYLOAD)
    r = run(["convert", src, "--to=openmetrics", "-o", src])
    eq(r.returncode, 0, "exit code (stderr %r)" % r.stderr)
    want = run(["convert", "-", "--to=openmetrics"], input=PAYLOAD).stdout
    assert want.endswith(b"# EOF\n"), "reference conversion %r" % want
    eq(get(src), want, "the input rewritten with its own conversion")


def dash_and_dev_stdout_are_stdout(d):
    runner = unprivileged()
    if runner is None:
        return "running as root without setpriv or runuser to drop privileges"
    os.chmod(d, 0o755)
    src = os.path.join(d, "in.prom")
    put(src, PAYLOAD)
    os.chmod(src, 0o644)
    for out in ("-", "/dev/stdout", "/dev/fd/1"):
        r = subprocess.run(runner + [CLI, "convert", src, "-o", out], capture_output=True,
                           timeout=60)
        eq(r.returncode, 0, "exit code for -o %s (stderr %r)" % (out, r.stderr))
        eq(r.stdout, PAYLOAD, "stdout for -o %s" % out)
    r = subprocess.run(runner + [CLI, "check", "metrics", "--output=json:/dev/stdout", src],
                       capture_output=True, timeout=60)
    assert r.stdout.lstrip().startswith((b"{", b"[")), "json report on stdout: %r" % r.stdout
    assert os.path.islink("/dev/stdout"), "/dev/stdout is no longer a symlink"
    eq(sorted(os.listdir(d)), ["in.prom"], "directory")


def fmt_w_follows_a_symlink(d):
    real, link = os.path.join(d, "real.prom"), os.path.join(d, "link.prom")
    put(real, PAYLOAD)
    os.symlink("real.prom", link)
    r = run(["fmt", "-w", link])
    eq(r.returncode, 0, "exit code (stderr %r)" % r.stderr)
    assert os.path.islink(link), "the symlink was replaced"
    eq(get(real), CANONICAL, "the real file")


def fmt_w_refuses_a_read_only_file(d):
    f = os.path.join(d, "ro.prom")
    put(f, PAYLOAD)
    os.chmod(f, 0o444)
    r = run(["fmt", "-w", f])
    eq(r.returncode, 1, "exit code")
    eq(r.stderr.decode(), "error: %s: the file is read-only (mode 0444); not replaced "
       "(fmt -w --force rewrites it)\n" % f, "stderr")
    eq(get(f), PAYLOAD, "the file")
    r = run(["fmt", "-w", "--force", f])
    eq(r.returncode, 0, "exit code with --force (stderr %r)" % r.stderr)
    eq(get(f), CANONICAL, "the file with --force")
    eq(stat.S_IMODE(os.stat(f).st_mode), 0o444, "mode")


def fmt_w_keeps_mode_and_group(d):
    f = os.path.join(d, "g.prom")
    put(f, PAYLOAD)
    os.chmod(f, 0o640)
    gid = os.stat(f).st_gid
    if os.geteuid() == 0:
        import grp
        try:
            gid = grp.getgrnam("nogroup").gr_gid
        except KeyError:
            gid = 65534
        os.chown(f, -1, gid)
    r = run(["fmt", "-w", f])
    eq(r.returncode, 0, "exit code (stderr %r)" % r.stderr)
    st = os.stat(f)
    eq(stat.S_IMODE(st.st_mode), 0o640, "mode")
    eq(st.st_gid, gid, "group")
    eq(get(f), CANONICAL, "content")


def default_signals():
    # A signal ignored by whoever started the test (a background job) stays ignored in the CLI.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def terminated_run_leaves_no_temporary_file(d):
    for sig in (signal.SIGTERM, signal.SIGINT):
        out = os.path.join(d, "out.json")
        put(out, b"previous\n")
        # stdin is a pipe we hold open: the CLI has created its temporary file and waits for
        # more input when the signal comes.
        p = subprocess.Popen([CLI, "convert", "-", "--to=json", "-o", out],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, preexec_fn=default_signals)
        chunk = b"".join(b'm{i="%d"} 1\n' % i for i in range(50000))
        p.stdin.write(b"# TYPE m gauge\n" + chunk)
        p.stdin.flush()
        deadline = time.time() + 20
        while time.time() < deadline and not any(".tmp-" in n for n in os.listdir(d)):
            time.sleep(0.02)
        assert any(".tmp-" in n for n in os.listdir(d)), "no temporary file appeared"
        p.send_signal(sig)
        p.wait(20)
        p.stdin.close()
        eq(p.returncode, -sig, "exit status of %s" % sig.name)
        eq(sorted(os.listdir(d)), ["out.json"], "directory after %s" % sig.name)
        eq(get(out), b"previous\n", "target after %s" % sig.name)


def truncated_input_is_an_io_error(d):
    # The output is a FIFO: the CLI blocks writing to it while most of the mapped input is
    # still unread; then the input is truncated and the FIFO drained.
    src, fifo = os.path.join(d, "big.prom"), os.path.join(d, "out")
    with open(src, "wb") as f:
        for i in range(200000):
            f.write(b"# TYPE m%d gauge\nm%d 1\n" % (i, i))
    os.mkfifo(fifo)
    p = subprocess.Popen([CLI, "convert", src, "-o", fifo], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)

    def watchdog():  # bounded: a CLI that never opens the FIFO must not hang the test
        p.kill()
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    timer = threading.Timer(60, watchdog)
    timer.start()
    with open(fifo, "rb") as r:
        first = r.read(1)  # the CLI has mapped the input and started writing
        assert first == b"#", "first byte %r" % first
        time.sleep(0.2)  # let it fill the pipe and block
        os.truncate(src, 0)
        rest = r.read()
    _, err = p.communicate(timeout=30)
    timer.cancel()
    eq(p.returncode, 1, "exit code (stderr %r)" % err)
    # The file is read with pread(): the short read is the source's io error, located where the
    # reading stopped; the FIFO keeps what was written through.
    first_line = err.decode().split("\n")[0]
    assert re.match(r"%s:\d+:\d+: error: input file changed size while being read \(it was "
                    r"truncated: 5977780 bytes when opened, \d+ read\) \[io\]$" % re.escape(src),
                    first_line), "stderr %r" % err
    assert err.decode().endswith("%s: output incomplete (written through, not a regular file)\n"
                                 % fifo), "stderr %r" % err
    assert len(rest) < 20 * 200000, "the whole file was converted: the test did not truncate in time"


for c in (convert_onto_a_fifo_writes_through, convert_onto_a_symlink_replaces_its_target,
          convert_onto_dev_null_as_nobody, convert_onto_its_own_input,
          dash_and_dev_stdout_are_stdout, fmt_w_follows_a_symlink, fmt_w_refuses_a_read_only_file,
          fmt_w_keeps_mode_and_group, terminated_run_leaves_no_temporary_file,
          truncated_input_is_an_io_error):
    case(c)
sys.exit(1 if FAILED else 0)
