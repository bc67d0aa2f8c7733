#!/usr/bin/env python3
"""Regenerate the Inputs/Outputs tables of every module README from variables.tf and outputs.tf.

Only the text between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> is replaced; the prose above it is
hand-written. infra/test.sh checks that every input and output is named in the README.
Usage: python3 infra/scripts/gen-readme-tables.py
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "modules"
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def blocks(text, kind):
    """Yield (name, body) for top-level `kind "name" { ... }` blocks, using brace counting."""
    for m in re.finditer(r'^%s "([^"]+)" \{' % kind, text, re.M):
        depth, i, in_str = 0, m.end() - 1, False
        while True:
            c = text[i]
            if in_str:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        yield m.group(1), text[m.end():i]


def attr(body, key):
    m = re.search(r'^  %s\s*=\s*(.+?)\n(?=  [a-z_]+\s*=|  [a-z_]+ \{|\Z)' % key, body + "\n", re.M | re.S)
    if not m:
        return None
    return " ".join(m.group(1).split())


def cell(s):
    return (s or "").replace("|", "\\|")


for mod in sorted(p for p in ROOT.iterdir() if p.is_dir()):
    readme = mod / "README.md"
    if not readme.exists():
        continue
    rows = ["## Inputs", "", "| Name | Description | Type | Default |", "|---|---|---|---|"]
    for name, body in blocks((mod / "variables.tf").read_text(), "variable"):
        desc = (attr(body, "description") or "").strip('"')
        typ = attr(body, "type") or "any"
        default = attr(body, "default")
        rows.append(f"| `{name}` | {cell(desc)} | `{cell(typ)}` | {('`' + cell(default) + '`') if default is not None else 'required'} |")
    rows += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    for name, body in blocks((mod / "outputs.tf").read_text(), "output"):
        rows.append(f"| `{name}` | {cell((attr(body, 'description') or '').strip(chr(34)))} |")
    table = "\n".join(rows)
    text = readme.read_text()
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), BEGIN + "\n" + table + "\n" + END, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + BEGIN + "\n" + table + "\n" + END + "\n"
    readme.write_text(text)
    print("updated", readme.relative_to(ROOT.parent))
