"""Read the OpenSLO folder: one YAML document per file, as Terraform's yamldecode needs."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Document:
    """One OpenSLO object and the file it came from (for error messages)."""

    file: Path
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        metadata = self.body.get("metadata")
        return str(metadata.get("name", "")) if isinstance(metadata, dict) else ""


class LoadError(Exception):
    """A file that is not a single YAML mapping."""

    def __init__(self, file: Path, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


def load_file(path: Path) -> Document:
    try:
        bodies = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as error:
        raise LoadError(path, f"not valid YAML: {error}") from error
    if len(bodies) != 1:
        raise LoadError(path, f"holds {len(bodies)} documents; Terraform reads one per file")
    if not isinstance(bodies[0], dict):
        raise LoadError(path, "the document is not a mapping")
    return Document(path, bodies[0])
