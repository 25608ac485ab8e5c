#!/usr/bin/env python3
"""Checks that every #include in lib/src, lib/include and tools points down the layers, and that
no two source files (.cc, .h) under lib and tools share a name.

The layers, top to bottom (DESIGN.md, docs/architecture.md):
    tools -> ops -> (lint, diff, write, net) -> model -> (text, protobuf) -> source -> common
A file may include files of its own layer and of any layer below it; never one above it, never
a sibling at its level. Core layers (common .. write) may not include libcurl, RE2 or yaml-cpp,
so that promtool::core links none of them. Two files named alike (common/names.cc and
write/names.cc) are one name for two things in stack traces, profiles and conversation.

Usage:
    check_layering.py ROOT              check the tree at ROOT; exit 1 on a violation
    check_layering.py --self-test ROOT  copy ROOT's sources, plant bad includes and a file
                                        named like another, expect failure
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

# Layer -> rank; equal ranks are siblings and may not include each other.
RANK = {
    "common": 0,
    "source": 1,
    "text": 2,
    "protobuf": 2,
    "model": 3,
    "write": 4,
    "lint": 4,
    "diff": 4,
    "net": 4,
    "config": 4,
    "exporter": 4,
    "ops": 5,
    "tools": 6,
}

# The component each layer belongs to (CMake target promtool::<component>).
CORE = {"common", "source", "text", "protobuf", "model", "write"}

# Public headers (lib/include/promtool/<name>) -> the layer that implements them.
PUBLIC = {
    "error.h": "common",
    "escape.h": "common",
    "numbers.h": "common",
    "types.h": "common",
    "table.h": "common",
    "suggest.h": "common",
    "source.h": "source",
    "text_parser.h": "text",
    "openmetrics_parser.h": "text",
    "openmetrics2_parser.h": "text",
    "input_format.h": "model",
    "family.h": "model",
    "family_reader.h": "model",
    "validate.h": "model",
    "input.h": "model",
    "output.h": "write",
    "convert.h": "write",
    "fmt.h": "write",
    "lint.h": "lint",
    "lint_run.h": "lint",
    "diff.h": "diff",
    "scrape.h": "net",
    "scrape_convert.h": "ops",
    "relabel.h": "config",
    "relabel_test.h": "config",
    "relabel_stream.h": "ops",
    "prometheus_config.h": "config",
    "prometheus_targets.h": "ops",
    "prometheus_checks.h": "ops",
    "exporter_check.h": "ops",
    "open.h": "ops",
}

# Third-party include prefixes that only some layers may use.
RESTRICTED = {
    "curl/": "libcurl",
    "re2/": "RE2",
    "yaml-cpp/": "yaml-cpp",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of_file(root, path):
    """The layer of a file under ROOT, or None when it is outside the checked folders."""
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    parts = rel.split("/")
    if parts[0] == "tools":
        return "tools"
    if parts[:2] == ["lib", "src"] and len(parts) > 3:
        return parts[2]
    if parts[:3] == ["lib", "include", "promtool"] and len(parts) == 4:
        return PUBLIC.get(parts[3], "?" + parts[3])
    return None


def layer_of_include(root, including_file, target):
    """The layer an include names, or None for a third-party or generated header."""
    if target.startswith("promtool/"):
        name = target[len("promtool/"):]
        return PUBLIC.get(name, "?" + name)
    first = target.split("/")[0]
    if "/" in target and os.path.isdir(os.path.join(root, "lib", "src", first)):
        return first
    local = os.path.join(os.path.dirname(including_file), target)
    if os.path.isfile(local):
        return layer_of_file(root, local)
    return None


def duplicate_names(root):
    """One problem per .cc/.h file under lib and tools whose name another such file has."""
    by_name = {}
    for top in ("lib", "tools"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".cc", ".h")):
                    rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                    by_name.setdefault(name, []).append(rel)
    problems = []
    for name, paths in sorted(by_name.items()):
        if len(paths) < 2:
            continue
        paths.sort()
        for rel in paths:
            others = ", ".join(p for p in paths if p != rel)
            problems.append(f"{rel}:1: duplicate source file name {name}: also {others}; "
                            "give each file its own name")
    return problems


def check(root):
    problems = duplicate_names(root)
    for top in ("lib/src", "lib/include", "tools"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cc", ".hpp", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                src = layer_of_file(root, path)
                if src is None:
                    continue
                if src.startswith("?"):
                    problems.append(f"{rel}:1: public header {src[1:]} has no layer: add it to "
                                    f"PUBLIC in {os.path.basename(__file__)}")
                    continue
                if src not in RANK:
                    problems.append(f"{rel}:1: folder '{src}' has no layer: add it to RANK in "
                                    f"{os.path.basename(__file__)}")
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(2)
                        for prefix, lib in RESTRICTED.items():
                            if target.startswith(prefix) and src in CORE:
                                problems.append(
                                    f"{rel}:{lineno}: {src} (promtool::core) includes {target}: "
                                    f"the core component may not depend on {lib}")
                        dst = layer_of_include(root, path, target)
                        if dst is None or dst == src:
                            continue
                        if dst.startswith("?"):
                            problems.append(f"{rel}:{lineno}: includes public header {dst[1:]} "
                                            f"that has no layer: add it to PUBLIC")
                            continue
                        if dst not in RANK:
                            continue
                        if RANK[dst] > RANK[src]:
                            problems.append(f"{rel}:{lineno}: {src} includes {target} of layer "
                                            f"{dst}, which is above it (upward include)")
                        elif RANK[dst] == RANK[src]:
                            problems.append(f"{rel}:{lineno}: {src} includes {target} of layer "
                                            f"{dst}, a sibling at its level (sideways include)")
    return problems


def self_test(root):
    """Plants an upward, a sideways and a core-dependency include and a file named like another
    in a copy; all must be found."""
    with tempfile.TemporaryDirectory(prefix="layering-") as tmp:
        for top in ("lib", "tools"):
            shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
        plants = [
            ("lib/src/common/chars.cc", '#include "promtool/lint.h"', "upward include"),
            ("lib/src/net/limits.cc", '#include "write/writer.h"', "sideways include"),
            ("lib/src/model/validate.cc", "#include <curl/curl.h>", "may not depend on libcurl"),
        ]
        for rel, line, _ in plants:
            with open(os.path.join(tmp, rel), "a", encoding="utf-8") as f:
                f.write(line + "\n")
        # A second chars.cc, in another folder: both files are reported.
        twin = "lib/src/model/chars.cc"
        with open(os.path.join(tmp, twin), "w", encoding="utf-8") as f:
            f.write("// A planted file named like lib/src/common/chars.cc.\n")
        plants.append((twin, "(a new file)", "duplicate source file name chars.cc"))
        plants.append(("lib/src/common/chars.cc", "(the existing file)",
                       "duplicate source file name chars.cc"))
        run = subprocess.run([sys.executable, os.path.abspath(__file__), tmp],
                             capture_output=True, text=True, check=False)
        failures = []
        if run.returncode != 1:
            failures.append(f"expected exit status 1 on the planted tree, got {run.returncode}")
        for rel, line, what in plants:
            hit = [l for l in run.stdout.splitlines() if l.startswith(rel + ":") and what in l]
            if not hit:
                failures.append(f"the planted {what} in {rel} ({line}) was not reported")
        if failures:
            print(run.stdout)
            for f in failures:
                print("self-test: " + f)
            return 1
        print("self-test: the planted includes and the duplicate name were reported:")
        print(run.stdout, end="")
        return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        return self_test(argv[2])
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s): includes must point down the layers "
              "(tools -> ops -> lint|diff|write|net -> model -> text|protobuf -> source -> common) "
              "and source file names must be unique under lib and tools")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
