#!/usr/bin/env python3
"""The man pages and shell completions cover the whole CLI: installs the build into a temporary
prefix (cmake --install), reads every command's --help from the binary itself (independently of
dist/cli_docs.py), and checks that each command has a man page that renders without warnings and
names each of its options, that each completion file names every subcommand and option, and that
bash, fish and zsh really complete subcommands, options and option values.

usage: cli_docs_test.py BINARY BUILD_DIR"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = ""
BUILD = ""
PREFIX = ""


def help_of(path):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BINARY] + path + ["--help"], capture_output=True, text=True, env=env,
                          check=True, timeout=30).stdout


def commands():
    """{('check', 'metrics'): ['--lint', ...]} from the --help texts, recursively."""
    found = {}

    def visit(path):
        text = help_of(path)
        options, subs, section = [], [], ""
        for line in text.splitlines():
            if line and not line.startswith(" ") and line.endswith(":"):
                section = line[:-1]
            elif re.match(r"  \S", line):
                head = line[2:].split("  ")[0]
                if section == "Subcommands":
                    subs.append(head)
                elif section != "Positionals":
                    options += re.findall(r"(?:^|,)(--?[A-Za-z0-9][\w-]*)", head.split(" ")[0])
        found[tuple(path)] = (options, subs)
        for s in subs:
            visit(path + [s])

    visit([])
    return found


def installed(*parts):
    return os.path.join(PREFIX, *parts)


class CliDocsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.commands = commands()

    def test_every_command_has_a_man_page_naming_each_option(self):
        for path, (options, subs) in self.commands.items():
            page = installed("share", "man", "man1", "-".join(("promtool-cpp",) + path) + ".1")
            with self.subTest(page=page):
                self.assertTrue(os.path.exists(page), page)
                proc = subprocess.run(["groff", "-ww", "-man", "-Tutf8", "-P-c", "-P-b", "-P-u",
                                       page], capture_output=True, text=True, check=True,
                                      env=dict(os.environ, LC_ALL="C.UTF-8"))
                self.assertEqual(proc.stderr, "", "groff warnings")
                text = proc.stdout.replace("\u2010", "-").replace("\u2212", "-")
                text = re.sub(r"-\n\s+", "", text)  # words hyphenated at line ends
                for opt in options:
                    self.assertRegex(text, re.escape(opt) + r"\b", f"{opt} in {page}")
                for sub in subs:
                    self.assertIn("-".join(("promtool-cpp",) + path + (sub,)), text)

    def test_no_man_page_for_a_command_that_does_not_exist(self):
        pages = set(os.listdir(installed("share", "man", "man1")))
        expected = {"-".join(("promtool-cpp",) + p) + ".1" for p in self.commands}
        self.assertEqual(pages, expected)

    def completion_files(self):
        return {
            "bash": installed("share", "bash-completion", "completions", "promtool-cpp"),
            "zsh": installed("share", "zsh", "vendor-completions", "_promtool-cpp"),
            "fish": installed("share", "fish", "vendor_completions.d", "promtool-cpp.fish"),
        }

    def test_every_completion_file_names_every_subcommand_and_option(self):
        for shell, path in self.completion_files().items():
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for cmd, (options, subs) in self.commands.items():
                for word in subs:
                    with self.subTest(shell=shell, command=cmd, sub=word):
                        self.assertRegex(text, r"(?<![\w-])" + re.escape(word) + r"(?![\w-])")
                for opt in options:
                    # fish spells --lint as `-l lint` and -o as `-s o`.
                    spelled = (f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
                               ) if shell == "fish" else opt
                    with self.subTest(shell=shell, command=cmd, option=opt):
                        self.assertRegex(text, r"(?<![\w-])" + re.escape(spelled) + r"(?![\w-])")

    def bash_complete(self, line):
        script = (f"source {self.completion_files()['bash']}\n"
                  f"COMP_LINE={line!r}; read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                  "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
                  "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#COMP_LINE}\n"
                  "_promtool_cpp; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        out = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True,
                             check=True, timeout=30)
        return sorted(w for w in out.stdout.splitlines() if w)

    def test_bash_completes(self):
        cases = [
            ("promtool-cpp ", ["check", "convert", "diff", "fmt", "help", "push", "relabel",
                               "rules", "scrape", "targets", "test", "validate", "version"]),
            ("promtool-cpp check ", ["exporter", "metrics"]),
            ("promtool-cpp check metrics --li", ["--lint"]),
            ("promtool-cpp check metrics --promtool ", ["2", "3"]),
            ("promtool-cpp check metrics --fail-on=w", ["--fail-on=warning"]),
            ("promtool-cpp convert --to p", ["protobuf", "protobuf-text"]),
            ("promtool-cpp --version check --extended met", ["metrics"]),
        ]
        for line, want in cases:
            with self.subTest(line=line):
                self.assertEqual(self.bash_complete(line), sorted(want))

    def test_fish_completes(self):
        if shutil.which("fish") is None:
            self.skipTest("fish is not installed (scripts/install-deps.sh installs it)")
        cases = [
            ("promtool-cpp check ", ["exporter", "metrics"]),
            ("promtool-cpp check metrics --li", ["--lint"]),
            ("promtool-cpp convert --to p", ["protobuf", "protobuf-text"]),
            ("promtool-cpp diff --report ", ["json", "text"]),
        ]
        for line, want in cases:
            with self.subTest(line=line):
                script = (f"source {self.completion_files()['fish']}; "
                          f"complete -C {line!r}")
                out = subprocess.run(["fish", "--no-config", "-c", script], capture_output=True,
                                     text=True, check=True, timeout=30).stdout
                got = sorted(l.split("\t")[0] for l in out.splitlines() if l)
                self.assertEqual(got, sorted(want))

    def test_zsh_completes(self):
        if shutil.which("zsh") is None:
            self.skipTest("zsh is not installed (scripts/install-deps.sh installs it)")
        # An interactive zsh in a pseudo-terminal (zpty): type a line, press Tab, list matches.
        fpath = os.path.dirname(self.completion_files()["zsh"])
        cases = [
            ("promtool-cpp check ", ["exporter", "metrics"]),
            ("promtool-cpp check metrics --li", ["--lint"]),
            ("promtool-cpp convert --to=p", ["protobuf", "protobuf-text"]),
            ("promtool-cpp ", ["check", "convert", "diff", "fmt", "help", "push", "relabel",
                               "rules", "scrape", "targets", "test", "validate", "version"]),
        ]
        for line, want in cases:
            with self.subTest(line=line):
                self.assertEqual(self.zsh_complete(fpath, line), sorted(want))

    def zsh_complete(self, fpath, line):
        with tempfile.TemporaryDirectory() as home:
            with open(os.path.join(home, ".zshrc"), "w", encoding="utf-8") as f:
                f.write(f"fpath=({fpath} $fpath)\nautoload -Uz compinit && compinit -u -D\n"
                        # Record every match offered instead of inserting one.
                        "zstyle ':completion:*' list-grouped false\n"
                        "_record() { compadd() { builtin compadd -O __m \"$@\"; "
                        "print -rl -- $__m >> $HOME/matches; builtin compadd \"$@\"; }; "
                        "_main_complete; unfunction compadd; }\n"
                        "zle -C record-complete complete-word _record\n"
                        "bindkey '^I' record-complete\n")
            script = ("zmodload zsh/zpty\n"
                      "zpty z 'HOME=$HOME TERM=dumb zsh -i'\n"
                      f"zpty -w -n z {line!r}$'\\t'\n"
                      # Wait for the matches (an interactive zsh starts slowly), then a little
                      # more for the last of them.
                      "for i in {1..200}; do [[ -s $HOME/matches ]] && break; sleep 0.05; done\n"
                      "sleep 0.3\nzpty -d z\n")
            subprocess.run(["zsh", "-f", "-c", script], capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, HOME=home), check=False)
            path = os.path.join(home, "matches")
            words = []
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    words = f.read().split()
            word = line.split(" ")[-1]
            prefix = word.split("=")[-1] if word.startswith("--") and "=" in word else word
            return sorted({w for w in words if w.startswith(prefix)})


def main():
    global BINARY, BUILD, PREFIX
    BINARY, BUILD = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as prefix:
        PREFIX = prefix
        subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True,
                       stdout=subprocess.DEVNULL, timeout=300)
        prog = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
