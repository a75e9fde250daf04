"""Style rules of our Terraform that review would otherwise catch: documented and sorted.

They apply to the root configuration and every module whose README carries generated tables
(that those tables are in sync is `./task tf:docs:check`, part of `./task check`).
"""

from pathlib import Path

import hcl2
import pytest

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
MARKER = "<!-- BEGIN TFDOCS"
DOCUMENTED = [
    d
    for d in [TERRAFORM_DIR, *TERRAFORM_DIR.glob("modules/*")]
    if (d / "README.md").is_file() and MARKER in (d / "README.md").read_text()
]


def _blocks(module: Path, kind: str) -> list[tuple[str, dict]]:
    path = module / f"{kind}s.tf"
    return [(n.strip('"'), b) for block in hcl2.loads(path.read_text()).get(kind, []) for n, b in block.items()]


def test_our_modules_have_generated_tables():
    names = {d.name for d in DOCUMENTED}
    assert {"terraform", "cloud-run-service", "github-oidc"} <= names


@pytest.mark.parametrize("module", DOCUMENTED, ids=[d.name for d in DOCUMENTED])
@pytest.mark.parametrize("kind", ["variable", "output"])
def test_inputs_and_outputs_are_sorted_and_described(module, kind):
    blocks = _blocks(module, kind)
    names = [name for name, _ in blocks]
    assert names == sorted(names), f"{kind}s of {module.name} are not alphabetical"
    undocumented = [name for name, body in blocks if not body.get("description")]
    assert undocumented == []
    if kind == "variable":
        assert [name for name, body in blocks if "type" not in body] == []
