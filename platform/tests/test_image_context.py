"""The image's build context (the repository root) holds only what the Dockerfile copies.

Docker (BuildKit) and podman read `<Dockerfile>.dockerignore` beside the Dockerfile, never a
`.dockerignore` elsewhere than the context root; so the allowlist must sit there, and let
through each COPY source and nothing like .git or the venvs.
"""

import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "services" / "predictor" / "Dockerfile"
IGNORE = DOCKERFILE.with_name(DOCKERFILE.name + ".dockerignore")


def in_context(path: str) -> bool:
    """Docker's rule: the last matching pattern decides; `!` lets a path (or its parent) back in."""
    kept = True
    for line in IGNORE.read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch.fnmatch(candidate, pattern) for candidate in _self_and_parents(path)):
            kept = negated
    return kept


def _self_and_parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(len(parts), 0, -1)]


def copied_sources() -> list[str]:
    sources = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources += line.split()[1:-1]
    return sources


def test_the_ignore_file_is_named_after_the_dockerfile():
    assert IGNORE.is_file()
    assert not (DOCKERFILE.parent / ".dockerignore").exists()


def test_every_copied_source_is_in_the_context():
    assert len(copied_sources()) >= 5
    assert [s for s in copied_sources() if not in_context(s)] == []


def test_repository_state_and_secrets_stay_out():
    for path in (".git/config", ".venv/bin/python", ".cache/bench-startup.json", "docs/performance.md"):
        assert not in_context(path), path
    assert not in_context("services/predictor/src/predictor/model/pickle_model.pkl")  # never unpickled
    assert in_context("services/predictor/src/predictor/model/weights.json")
