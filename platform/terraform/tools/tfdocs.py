"""Write the Inputs and Outputs tables of a Terraform module's README from its .tf files.

The tables sit between the BEGIN/END markers below, so the prose around them stays hand-written
and the tables cannot drift from variables.tf/outputs.tf. Usage: tfdocs.py [--check] MODULE_DIR...
With --check nothing is written and the exit status is 1 when a README is out of date.
"""

import json
import re
import sys
from pathlib import Path
from typing import Any

import hcl2

BEGIN, END = "<!-- BEGIN TFDOCS (tools/tfdocs.py, DO NOT EDIT) -->", "<!-- END TFDOCS -->"


def _text(value: Any) -> str:
    """A python-hcl2 v8 value as HCL shows it: strings lose their quotes, ${...} its wrapper."""
    if isinstance(value, str):
        if value.startswith('"'):
            return str(json.loads(value))
        return value[2:-1] if value.startswith("${") else value
    if isinstance(value, list):
        return json.dumps([_text(v) for v in value])
    if isinstance(value, dict):
        return json.dumps({k: _text(v) for k, v in value.items()})
    return json.dumps(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _blocks(module: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(module.glob("*.tf")):
        for block in hcl2.loads(path.read_text()).get(kind, []):
            found += [(name.strip('"'), body) for name, body in block.items()]
    return sorted(found)


def tables(module: Path) -> str:
    """The generated Markdown: inputs (name, description, type, default) and outputs."""
    lines = ["## Inputs", "", "| Name | Description | Type | Default |", "|---|---|---|---|"]
    for name, body in _blocks(module, "variable"):
        default = f"`{_cell(_text(body['default']))}`" if "default" in body else "required"
        kind = _cell(_text(body.get("type", "any")))
        lines.append(f"| `{name}` | {_cell(_text(body['description']))} | `{kind}` | {default} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    for name, body in _blocks(module, "output"):
        lines.append(f"| `{name}` | {_cell(_text(body['description']))} |")
    return "\n".join([BEGIN, *lines, END])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for module in (Path(a) for a in argv[1:] if a != "--check"):
        readme = module / "README.md"
        text = readme.read_text()
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        found = pattern.search(text)
        if not found:
            print(f"{readme}: no {BEGIN} ... {END} markers", file=sys.stderr)
            return 2
        start, end = found.span()
        updated = text[:start] + tables(module) + text[end:]
        if updated != text:
            stale.append(str(readme))
            if not check:
                readme.write_text(updated)
    if check and stale:
        print("out of date (run `task tf:docs`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
