"""`predictor import-pickle`: a team pickle in, the served artifacts (weights and manifest) out."""

import dataclasses
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from predictor.artifacts import MANIFEST, WEIGHTS, Manifest, encode, sha256_of
from predictor.features import TEAM
from predictor.loading import LoadedModel, from_import
from predictor.pickle_import import ImportedModel, import_file
from predictor.pipeline.data import DATASET, PICKLE, Flights, Split, read_flights, read_provenance, read_split
from predictor.pipeline.evidence import delay_share_band, holdout, random_vectors, sklearn_parity

TEAM_TEST = "x_test.csv.gz / y_test.csv.gz: the team's own test split"


def import_to(pickle: Path, sha256: str, out: Path, name: str | None = None, data: Path | None = None) -> Manifest:
    """Import the pinned pickle; with the challenge's data folder, also measure it on the team's test split."""
    imported = import_file(pickle, sha256)
    loaded = from_import(imported, name or pickle.stem, pickle.name)
    if data is None:
        return publish(out, imported, loaded, holdout_split=None)
    provenance = read_provenance(data)
    recorded = provenance.get("files", {}).get(PICKLE, {})
    is_the_teams = recorded.get("content_sha256") == imported.source.sha256
    manifest = replace(
        loaded.manifest, source=replace(loaded.manifest.source, origin=_origin(recorded) if is_the_teams else None)
    )
    notebook = provenance["notebook"]["confusion_matrix_x_test"] if is_the_teams else None
    return publish(
        out,
        imported,
        dataclasses.replace(loaded, manifest=manifest),
        holdout_split=(TEAM_TEST, read_split(data, "test")),
        notebook=notebook,
        flights=read_flights(data / DATASET),
    )


def publish(
    out: Path,
    imported: ImportedModel,
    loaded: LoadedModel,
    holdout_split: tuple[str, Split] | None,
    notebook: list[list[int]] | None = None,
    flights: Flights | None = None,
    **extra: Any,
) -> Manifest:
    """Add the evidence to the manifest, then write weights.json and manifest.json into `out`."""
    model, manifest = loaded.model, loaded.manifest
    sets = {"valid flights": TEAM.valid_combinations(), "random 0/1 vectors": random_vectors()}
    if holdout_split is not None:
        name, split = holdout_split
        manifest = replace(manifest, holdout=holdout(model, split, name, notebook))
        sets["holdout"] = split.rows
    if flights is not None:
        manifest = replace(manifest, delay_share_band=delay_share_band(model, flights))
    manifest = replace(manifest, sklearn_parity=sklearn_parity(imported.attributes, model, sets), **extra)
    weights = encode(imported.weights)
    assert sha256_of(weights) == manifest.weights_sha256, "the manifest must pin the bytes written"
    out.mkdir(parents=True, exist_ok=True)
    (out / WEIGHTS).write_bytes(weights)
    (out / MANIFEST).write_bytes(encode(manifest))
    return manifest


def _origin(recorded: dict[str, str]) -> str:
    return f"github.com/{recorded['repository']}/blob/{recorded['commit']}/{recorded['path']}"
