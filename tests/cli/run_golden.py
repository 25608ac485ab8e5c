#!/usr/bin/env python3
"""Runs one CLI golden case: tests/cli/cases/<name>/ holds
  args    the command line after the binary, shell-quoted; {root} is the project root
  stdin   optional bytes fed to standard input (otherwise stdin is empty)
  stdout, stderr, rc   the expected outputs and exit code
The binary runs from the project root with NO_COLOR=1 so that paths and colours are stable.
With UPDATE_GOLDEN=1 the expected files are rewritten from the actual run."""
import os
import shlex
import subprocess
import sys


def main() -> int:
    binary, case = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(case, "args"), encoding="utf-8") as f:
        args = shlex.split(f.read().replace("{root}", root))
    stdin_path = os.path.join(case, "stdin")
    stdin = open(stdin_path, "rb").read() if os.path.exists(stdin_path) else b""
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([binary] + args, input=stdin, capture_output=True, env=env,
                          cwd=root, timeout=120)
    actual = {"stdout": proc.stdout, "stderr": proc.stderr,
              "rc": f"{proc.returncode}\n".encode()}
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for name, data in actual.items():
            with open(os.path.join(case, name), "wb") as f:
                f.write(data)
        return 0
    failed = False
    for name, data in actual.items():
        path = os.path.join(case, name)
        expected = open(path, "rb").read() if os.path.exists(path) else b""
        if expected != data:
            failed = True
            sys.stderr.write(f"--- {name} differs\nexpected:\n{expected.decode(errors='replace')}"
                             f"\nactual:\n{data.decode(errors='replace')}\n")
    if failed:
        sys.stderr.write(f"case: {case}\nargs: {args}\n")
        return 1
    print(f"{os.path.basename(case)}: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
