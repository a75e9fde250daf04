"""Check every google resource type, argument and nested block in our .tf files against the schema.

`terraform validate` needs the provider binary, which only the Terraform registry serves. The npm
package @cdktf/provider-google carries the same schema (hashicorp/google 6.x) as generated
JavaScript: each resource's `synthesizeHclAttributes()` and each nested block's
`...ToHclTerraform(struct)` function list the snake_case names and say which are blocks.
Usage: tfschema.py PROVIDER_LIB_DIR TF_DIR [TF_DIR ...]; exit status 1 lists every unknown name.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner"}
HCL_FUNCTION = re.compile(r"^function (\w+)ToHclTerraform\(struct\) \{$(.*?)^\}$", re.M | re.S)
HCL_METHOD = re.compile(r"^    synthesizeHclAttributes\(\) \{$(.*?)^    \}$", re.M | re.S)
ENTRY = re.compile(r"^ {8,12}(\w+): \{\s*value: (.*?),\s*isBlock: (true|false),", re.M | re.S)
NESTED = re.compile(r"(?<!cdktf\.)\b(\w+)ToHclTerraform\b")
TYPE_NAME = re.compile(r'\.tfResourceType = "(\w+)";')


@dataclass
class Block:
    """Names allowed in one block: attribute names map to None, nested block names to a Block."""

    children: dict[str, "Block | None"] = field(default_factory=dict)


def _entries(body: str) -> dict[str, tuple[bool, str | None]]:
    """Map each name in a generated body to (is_block, name of the nested block's function)."""
    found = {}
    for name, value, is_block in ENTRY.findall(body):
        nested = NESTED.search(value)
        found[name] = (is_block == "true", nested.group(1) if nested else None)
    return found


def _build(entries: dict[str, Any], functions: dict[str, str], seen: dict[str, Block]) -> Block:
    block = Block()
    for name, (is_block, nested) in entries.items():
        if not is_block:
            block.children[name] = None
        elif nested in seen:
            block.children[name] = seen[nested]
        else:
            seen[nested] = Block()
            seen[nested].children = _build(_entries(functions[nested]), functions, seen).children
            block.children[name] = seen[nested]
    return block


def load_type(lib: Path, kind: str, type_name: str) -> Block | None:
    """Read one resource or data source type, or None when the provider has no such type."""
    stem = type_name.removeprefix("google_").replace("_", "-")
    index = lib / (f"data-google-{stem}" if kind == "data" else stem) / "index.js"
    if not index.is_file():
        return None
    text = index.read_text()
    type_found, method = TYPE_NAME.search(text), HCL_METHOD.search(text)
    if not type_found or type_found.group(1) != type_name or not method:
        return None
    sources = [text, *(p.read_text() for p in index.parent.rglob("*.js") if p != index)]
    functions = {name: body for src in sources for name, body in HCL_FUNCTION.findall(src)}
    return _build(_entries(method.group(1)), functions, {})


def _unquote(label: str) -> str:
    return label.strip('"')


def _check_body(body: dict[str, Any], block: Block, where: str) -> list[str]:
    """Return one message per unknown name, or attribute written as a block and vice versa."""
    problems = []
    for key, value in body.items():
        if key.startswith("__") or key in META_ARGUMENTS:
            continue
        if key == "dynamic":
            for dynamic in value:
                for label, spec in dynamic.items():
                    name = _unquote(label)
                    content = {name: [{**c, "__is_block__": True} for c in spec.get("content", [])]}
                    problems += _check_body(content, block, where)
            continue
        if key not in block.children:
            problems.append(f"{where}.{key}: unknown argument")
            continue
        nested = block.children[key]
        written_as_block = isinstance(value, list) and any(isinstance(v, dict) and v.get("__is_block__") for v in value)
        if nested is None and written_as_block:
            problems.append(f"{where}.{key}: is an argument, written as a block")
        elif nested is not None and not written_as_block:
            problems.append(f"{where}.{key}: is a block, written as an argument")
        elif nested is not None:
            for item in value:
                problems += _check_body(item, nested, f"{where}.{key}")
    return problems


def check_file(path: Path, lib: Path) -> list[str]:
    """Check the google resources and data sources declared in one .tf file."""
    document = hcl2.loads(path.read_text())
    problems = []
    for kind in ("resource", "data"):
        for declaration in document.get(kind, []):
            for type_label, named in declaration.items():
                type_name = _unquote(type_label)
                if not type_name.startswith("google_"):
                    continue
                block = load_type(lib, kind, type_name)
                for label, body in named.items():
                    where = f"{path}:{kind}.{type_name}.{_unquote(label)}"
                    if block is None:
                        problems.append(f"{where}: unknown {kind} type")
                    else:
                        problems += _check_body(body, block, where)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    lib = Path(argv[1])
    if not (lib / "cloud-run-v2-service" / "index.js").is_file():
        print(f"no provider schema found under {lib}", file=sys.stderr)
        return 2
    files = sorted(f for d in argv[2:] for f in Path(d).rglob("*.tf") if ".terraform" not in str(f))
    problems = [p for f in files for p in check_file(f, lib)]
    print("\n".join(problems) or f"all arguments known ({len(files)} files)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
