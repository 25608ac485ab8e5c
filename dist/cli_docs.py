#!/usr/bin/env python3
"""Writes the man pages and the bash, zsh and fish completions of promtool-cpp from the built
binary's own `--help` output (CLI11's formatter over the CLI's option tables), so that they
never drift from the CLI.

usage: cli_docs.py BINARY OUTDIR [--check-only]
  OUTDIR/man/man1/promtool-cpp[-COMMAND[-SUBCOMMAND]].1
  OUTDIR/bash-completion/completions/promtool-cpp
  OUTDIR/zsh/vendor-completions/_promtool-cpp
  OUTDIR/fish/vendor_completions.d/promtool-cpp.fish
The module also exposes `load_tree(binary)` for the tests."""
import datetime
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

PROG = "promtool-cpp"


@dataclass
class Option:
    names: list  # ["-h", "--help"]
    takes_value: bool  # the value may be the next word
    optional_value: bool = False  # --extended[=json]: a value only after '='
    type_name: str = ""
    choices: list = field(default_factory=list)
    default: str = ""
    required: bool = False
    repeatable: bool = False
    description: str = ""

    @property
    def long_names(self):
        return [n for n in self.names if n.startswith("--")]

    @property
    def short_names(self):
        return [n for n in self.names if not n.startswith("--")]


@dataclass
class Positional:
    name: str
    type_name: str
    default: str = ""
    required: bool = False
    repeatable: bool = False
    description: str = ""


@dataclass
class Command:
    path: list  # [] for the program, ["check", "metrics"] for a subcommand
    summary: str = ""
    usage: str = ""
    positionals: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [(title, [Option])], "Options" first
    subcommands: list = field(default_factory=list)  # [Command]

    @property
    def options(self):
        return [o for _, opts in self.groups for o in opts]

    def walk(self):
        yield self
        for sub in self.subcommands:
            yield from sub.walk()


def run_help(binary, path):
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    proc = subprocess.run([binary] + path + ["--help"], capture_output=True, text=True, env=env,
                          timeout=30, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"cli_docs: '{' '.join([binary] + path)} --help' exited "
                         f"{proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def parse_entries(lines):
    """CLI11 help entries: '  HEAD   description' or '  HEAD' with the description on following
    lines indented by 30 columns (multi-line descriptions continue at that indent)."""
    entries = []
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("  ") and not line.startswith("   "):
            body = line[2:]
            m = re.match(r"(\S(?:.*?\S)?)(?: {2,}(.*))?$", body)
            entries.append([m.group(1), (m.group(2) or "").strip()])
        elif entries:
            text = line.strip()
            entries[-1][1] = (entries[-1][1] + " " + text).strip() if entries[-1][1] else text
    return entries


def parse_type(tokens):
    """'TEXT:{a,b}=a', 'REQUIRED', '...' into (type, choices, default, required, repeatable)."""
    type_name, choices, default, required, repeatable = "", [], "", False, False
    for tok in tokens:
        if tok in ("Excludes:", "Needs:"):  # the option names after it are not types
            break
        if tok == "REQUIRED":
            required = True
        elif tok == "...":
            repeatable = True
        elif tok.startswith(":{"):
            choices = tok[2:tok.index("}")].split(",")
        elif not type_name:
            m = re.match(r"([A-Z][A-Z_]*)(?::\{([^}]*)\}|:[A-Z_]+)?(?:=(.*))?$", tok)
            if not m:
                raise SystemExit(f"cli_docs: cannot read the option type '{tok}'")
            type_name = m.group(1)
            if m.group(2) is not None:
                choices = m.group(2).split(",")
            default = m.group(3) or ""
    return type_name, choices, default, required, repeatable


def parse_option(head, description):
    names_part, _, rest = head.partition(" ")
    flag_default = None
    if "{" in names_part:  # --extended{table}: a flag whose value may follow '='
        names_part, _, flag_default = names_part.partition("{")
        flag_default = flag_default.rstrip("}")
    type_name, choices, default, required, repeatable = parse_type(rest.split())
    opt = Option(names=names_part.split(","), takes_value=bool(type_name), type_name=type_name,
                 choices=choices, default=default, required=required, repeatable=repeatable,
                 description=description)
    if flag_default is not None:
        opt.optional_value = True
        opt.takes_value = False
        opt.default = flag_default
    return opt


def parse_help(text, path):
    lines = text.split("\n")
    cmd = Command(path=path)
    i = 0
    while i < len(lines) and not lines[i].startswith("Usage: "):
        cmd.summary = (cmd.summary + " " + lines[i].strip()).strip()
        i += 1
    cmd.usage = lines[i][len("Usage: "):].strip()
    sections = []
    for line in lines[i + 1:]:
        if line and not line.startswith(" ") and line.endswith(":"):
            sections.append((line[:-1], []))
        elif sections:
            sections[-1][1].append(line)
    sub_names = []
    for title, body in sections:
        entries = parse_entries(body)
        if title == "Positionals":
            for head, desc in entries:
                name, _, rest = head.partition(" ")
                type_name, _, default, required, repeatable = parse_type(rest.split())
                cmd.positionals.append(Positional(name, type_name, default, required, repeatable,
                                                  desc))
        elif title == "Subcommands":
            sub_names = [(head, desc) for head, desc in entries]
        else:
            cmd.groups.append((title, [parse_option(h, d) for h, d in entries]))
    for name, _ in sub_names:
        cmd.subcommands.append(None)
    return cmd, sub_names


def load_tree(binary, path=None):
    path = path or []
    cmd, sub_names = parse_help(run_help(binary, path), path)
    cmd.subcommands = [load_tree(binary, path + [name]) for name, _ in sub_names]
    return cmd


# --- man pages ------------------------------------------------------------------------------------

def roff(text):
    """Text for a roff line: backslashes, hyphens and leading control characters escaped."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text[:1] in (".", "'"):
        text = "\\&" + text
    return text


def page_name(cmd):
    return "-".join([PROG] + cmd.path)


def option_synopsis(opt):
    names = ", ".join(f"\\fB{roff(n)}\\fR" for n in opt.names)
    if opt.takes_value:
        value = "|".join(opt.choices) if opt.choices else opt.type_name
        sep = "=" if opt.long_names else " "
        names += f"{sep}\\fI{roff(value)}\\fR"
    elif opt.optional_value:
        names += f"[=\\fI{roff('|'.join(opt.choices) or 'VALUE')}\\fR]"
    return names


def man_page(cmd, version, date):
    title = page_name(cmd)
    out = [f'.TH "{title.upper()}" "1" "{date}" "promtool-cpp {version}" "User Commands"',
           ".SH NAME", f"{roff(title)} \\- {roff(cmd.summary)}",
           ".SH SYNOPSIS", f"\\fB{roff(' '.join([PROG] + cmd.path))}\\fR "
           f"{roff(cmd.usage.split(' ', len(cmd.path) + 1)[-1] if ' ' in cmd.usage else '')}",
           ".SH DESCRIPTION", roff(cmd.summary)]
    if cmd.subcommands:
        out.append(".SH COMMANDS")
        for sub in cmd.subcommands:
            out += [".TP", f"\\fB{roff(sub.path[-1])}\\fR", roff(sub.summary),
                    f"See \\fB{roff(page_name(sub))}\\fR(1)."]
    if cmd.positionals:
        out.append(".SH ARGUMENTS")
        for p in cmd.positionals:
            head = f"\\fI{roff(p.name)}\\fR" + ("..." if p.repeatable else "")
            desc = p.description
            if p.default:
                desc += f" (default: {p.default})"
            out += [".TP", head, roff(desc)]
    for title, opts in cmd.groups:
        out.append(".SH OPTIONS" if title == "Options" else f'.SH "{roff(title.upper())}"')
        for opt in opts:
            desc = opt.description
            if opt.default and opt.takes_value:
                desc += f" (default: {opt.default})"
            if opt.required:
                desc += " (required)"
            if opt.repeatable:
                desc += " (repeatable)"
            out += [".TP", option_synopsis(opt), roff(desc)]
    out += [".SH ENVIRONMENT", ".TP", "\\fBNO_COLOR\\fR",
            "When set, output is never coloured.",
            ".SH SEE ALSO"]
    related = []
    if cmd.path:
        related.append(PROG if len(cmd.path) == 1 else "-".join([PROG] + cmd.path[:-1]))
    related += [page_name(s) for s in cmd.subcommands]
    if related:
        out.append(",\n".join(f"\\fB{roff(r)}\\fR(1)" for r in related))
        out.append(".PP")
    out.append("The full documentation: docs/cli.md, docs/lint-rules.md and docs/ci.md in the "
               "promtool\\-cpp sources.")
    return "\n".join(out) + "\n"


# --- completions ----------------------------------------------------------------------------------

def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def bash_completion(root):
    lines = [f"# bash completion for {PROG}; generated from its --help by dist/cli_docs.py.",
             "_promtool_cpp() {",
             "  local cur prev path word i opt",
             "  cur=${COMP_WORDS[COMP_CWORD]}",
             "  prev=${COMP_WORDS[COMP_CWORD-1]}",
             "  # The command path: the subcommand words before the cursor, options skipped.",
             "  path=",
             "  i=1",
             "  while ((i < COMP_CWORD)); do",
             "    word=${COMP_WORDS[i]}",
             "    if [[ $word == -* ]]; then",
             "      if [[ $word != *=* ]] && _promtool_cpp_takes_value \"$path\" \"$word\"; then",
             "        ((i++))",
             "      fi",
             "    elif _promtool_cpp_is_sub \"$path\" \"$word\"; then",
             "      path=\"${path:+$path }$word\"",
             "    fi",
             "    ((i++))",
             "  done",
             "  COMPREPLY=()",
             "  if [[ $cur == --*=* ]]; then",
             "    opt=${cur%%=*}",
             "    local values",
             "    values=$(_promtool_cpp_choices \"$path\" \"$opt\")",
             "    if [[ -n $values ]]; then",
             "      mapfile -t COMPREPLY < <(compgen -P \"$opt=\" -W \"$values\" -- \"${cur#*=}\")",
             "    else",
             "      mapfile -t COMPREPLY < <(compgen -P \"$opt=\" -f -- \"${cur#*=}\")",
             "    fi",
             "    return 0",
             "  fi",
             "  if [[ $prev == -* && $prev != *=* ]] && _promtool_cpp_takes_value \"$path\" \"$prev\"; then",
             "    local values",
             "    values=$(_promtool_cpp_choices \"$path\" \"$prev\")",
             "    if [[ -n $values ]]; then",
             "      mapfile -t COMPREPLY < <(compgen -W \"$values\" -- \"$cur\")",
             "    else",
             "      compopt -o filenames 2>/dev/null",
             "      mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")",
             "    fi",
             "    return 0",
             "  fi",
             "  if [[ $cur == -* ]]; then",
             "    mapfile -t COMPREPLY < <(compgen -W \"$(_promtool_cpp_options \"$path\")\" -- \"$cur\")",
             "    return 0",
             "  fi",
             "  local subs",
             "  subs=$(_promtool_cpp_subs \"$path\")",
             "  if [[ -n $subs ]]; then",
             "    mapfile -t COMPREPLY < <(compgen -W \"$subs\" -- \"$cur\")",
             "  elif _promtool_cpp_has_positionals \"$path\"; then",
             "    compopt -o filenames 2>/dev/null",
             "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")",
             "  fi",
             "  return 0",
             "}",
             ""]
    subs, options, takes, choices, positionals = [], [], [], [], []
    for cmd in root.walk():
        key = " ".join(cmd.path)
        names = [s.path[-1] for s in cmd.subcommands]
        if not cmd.path:
            names += ["help", "version"]  # command words handled before CLI11
        subs.append(f"    {sh_quote(key)}) echo {sh_quote(' '.join(names))} ;;")
        opt_names = [n for o in cmd.options for n in o.names]
        options.append(f"    {sh_quote(key)}) echo {sh_quote(' '.join(opt_names))} ;;")
        for o in cmd.options:
            for n in o.names:
                if o.takes_value:
                    takes.append(f"{key}|{n}")
                if o.choices:
                    choices.append(f"    {sh_quote(key + '|' + n)}) echo "
                                   f"{sh_quote(' '.join(o.choices))} ;;")
        if cmd.positionals:
            positionals.append(key)
    lines += ["_promtool_cpp_subs() {", "  case $1 in"] + subs + ["  esac", "}", ""]
    lines += ["_promtool_cpp_is_sub() {",
              "  local s",
              "  for s in $(_promtool_cpp_subs \"$1\"); do [[ $s == \"$2\" ]] && return 0; done",
              "  return 1", "}", ""]
    lines += ["_promtool_cpp_options() {", "  case $1 in"] + options + ["  esac", "}", ""]
    lines += ["_promtool_cpp_takes_value() {", "  case \"$1|$2\" in",
              "    " + "|".join(sh_quote(t) for t in takes) + ") return 0 ;;",
              "  esac", "  return 1", "}", ""]
    lines += ["_promtool_cpp_choices() {", "  case \"$1|$2\" in"] + choices + ["  esac", "}", ""]
    lines += ["_promtool_cpp_has_positionals() {", "  case $1 in",
              "    " + "|".join(sh_quote(p) for p in positionals) + ") return 0 ;;",
              "  esac", "  return 1", "}", ""]
    lines.append(f"complete -F _promtool_cpp {PROG}")
    return "\n".join(lines) + "\n"


def zsh_escape_desc(s):
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_function_name(cmd):
    return "_promtool_cpp" + "".join("_" + re.sub(r"\W", "_", p) for p in cmd.path)


def zsh_option_specs(opt):
    specs = []
    desc = zsh_escape_desc(opt.description)
    if opt.choices:
        action = "(" + " ".join(opt.choices) + ")"
    else:
        action = "_files"
    for n in opt.names:
        star = "*" if opt.repeatable else ""
        if opt.takes_value:
            sep = "=" if n.startswith("--") else "+"
            specs.append(f"{star}{n}{sep}[{desc}]:{opt.type_name.lower()}:{action}")
        elif opt.optional_value:
            specs.append(f"{n}=-[{desc}]::value:{action}")
        else:
            specs.append(f"{star}{n}[{desc}]")
    return specs


def zsh_completion(root):
    out = [f"#compdef {PROG}",
           f"# zsh completion for {PROG}; generated from its --help by dist/cli_docs.py.", ""]
    for cmd in root.walk():
        fn = zsh_function_name(cmd)
        specs = [s for o in cmd.options for s in zsh_option_specs(o)]
        out.append(f"{fn}() {{")
        if cmd.subcommands:
            out.append("  local curcontext=$curcontext state line")
            out.append("  typeset -A opt_args")
            out.append("  _arguments -C \\")
            for s in specs:
                out.append(f"    {sh_quote(s)} \\")
            out.append("    '1: :->command' \\")
            out.append("    '*:: :->args' && return")
            out.append("  case $state in")
            out.append("    command)")
            out.append("      local -a commands")
            out.append("      commands=(")
            for sub in cmd.subcommands:
                out.append(f"        {sh_quote(sub.path[-1] + ':' + zsh_escape_desc(sub.summary))}")
            if not cmd.path:
                out.append("        'help:Print the help of a command'")
                out.append("        'version:Print the version'")
            out.append("      )")
            out.append("      _describe -t commands command commands ;;")
            out.append("    args)")
            out.append("      case $line[1] in")
            for sub in cmd.subcommands:
                out.append(f"        {sub.path[-1]}) {zsh_function_name(sub)} ;;")
            out.append("      esac ;;")
            out.append("  esac")
        else:
            out.append("  _arguments -s \\")
            for s in specs:
                out.append(f"    {sh_quote(s)} \\")
            for idx, p in enumerate(cmd.positionals):
                desc = zsh_escape_desc(p.description)
                if p.repeatable:
                    out.append(f"    {sh_quote('*:' + desc + ':_files')} \\")
                else:
                    opt = "" if p.required else ":"
                    out.append(f"    {sh_quote(str(idx + 1) + ':' + opt + desc + ':_files')} \\")
            out[-1] = out[-1][:-2]
        out.append("}")
        out.append("")
    out.append(f'{zsh_function_name(root)} "$@"')
    return "\n".join(out) + "\n"


def fish_completion(root):
    out = [f"# fish completion for {PROG}; generated from its --help by dist/cli_docs.py.",
           "# The command path so far: the subcommand words on the line, options skipped.",
           "function __promtool_cpp_path",
           "    set -l tokens (commandline -opc)",
           "    set -l path",
           "    set -l skip 0",
           "    for tok in $tokens[2..-1]",
           "        if test $skip -eq 1",
           "            set skip 0",
           "            continue",
           "        end",
           "        if string match -q -- '-*' $tok",
           "            if not string match -q -- '*=*' $tok",
           "                and contains -- \"$path|$tok\" $__promtool_cpp_takes_value",
           "                set skip 1",
           "            end",
           "            continue",
           "        end",
           "        if contains -- \"$path|$tok\" $__promtool_cpp_subs",
           "            set path (string trim -- \"$path $tok\")",
           "        end",
           "    end",
           "    echo $path",
           "end",
           "function __promtool_cpp_is",
           "    test (__promtool_cpp_path) = \"$argv[1]\"",
           "end",
           ""]
    subs, takes = [], []
    for cmd in root.walk():
        key = " ".join(cmd.path)
        subs += [f"{key}|{s.path[-1]}" for s in cmd.subcommands]
        takes += [f"{key}|{n}" for o in cmd.options if o.takes_value for n in o.names]
    out.append("set -g __promtool_cpp_subs " + " ".join(sh_quote(s) for s in subs))
    out.append("set -g __promtool_cpp_takes_value " + " ".join(sh_quote(t) for t in takes))
    out.append(f"complete -c {PROG} -e")
    for cmd in root.walk():
        key = " ".join(cmd.path)
        cond = f"-n {sh_quote('__promtool_cpp_is ' + sh_quote(key))}"
        if cmd.subcommands:
            out.append(f"complete -c {PROG} {cond} -f")
        for sub in cmd.subcommands:
            out.append(f"complete -c {PROG} {cond} -a {sub.path[-1]} -d {sh_quote(sub.summary)}")
        if not cmd.path:
            out.append(f"complete -c {PROG} {cond} -a help -d 'Print the help of a command'")
            out.append(f"complete -c {PROG} {cond} -a version -d 'Print the version'")
        for o in cmd.options:
            flags = " ".join([f"-s {n[1:]}" for n in o.short_names] +
                             [f"-l {n[2:]}" for n in o.long_names])
            extra = ""
            if o.takes_value and o.choices:
                extra = f" -x -a {sh_quote(' '.join(o.choices))}"
            elif o.takes_value:
                extra = " -r -F"
            elif o.optional_value and o.choices:
                extra = f" -a {sh_quote(' '.join(o.choices))}"
            out.append(f"complete -c {PROG} {cond} {flags}{extra} -d {sh_quote(o.description)}")
    return "\n".join(out) + "\n"


def version_of(binary):
    proc = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30,
                          check=True)
    return proc.stdout.split()[-1]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    binary, outdir = sys.argv[1], sys.argv[2]
    root = load_tree(binary)
    version = version_of(binary)
    # Reproducible: the date of the source, not of the build.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None
    date = (datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc) if epoch
            else datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%d")
    man_dir = os.path.join(outdir, "man", "man1")
    pages = {page_name(cmd) + ".1": man_page(cmd, version, date) for cmd in root.walk()}
    if os.path.isdir(man_dir):  # a command that no longer exists loses its page
        for stale in set(os.listdir(man_dir)) - set(pages):
            os.remove(os.path.join(man_dir, stale))
    for name, text in pages.items():
        write(os.path.join(man_dir, name), text)
    write(os.path.join(outdir, "bash-completion", "completions", PROG), bash_completion(root))
    write(os.path.join(outdir, "zsh", "vendor-completions", "_" + PROG), zsh_completion(root))
    write(os.path.join(outdir, "fish", "vendor_completions.d", PROG + ".fish"),
          fish_completion(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
