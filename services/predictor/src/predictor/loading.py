"""Which model the service serves, and the self-check it passes before the service is ready.

By default: the bundled weights, hash-pinned by their manifest. With MODEL_PATH and
MODEL_SHA256: a team pickle, imported at start-up exactly as `predictor import-pickle` does
(never unpickled for real), so one code path turns every pickle into weights.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from predictor import artifacts
from predictor.artifacts import BUNDLED_DIR, ArtifactError, Manifest, SelfCheck, read_manifest, read_weights
from predictor.classifier import LogisticModel
from predictor.features import CHALLENGE_EXAMPLE, ColumnsError, FeatureSpace

if TYPE_CHECKING:
    from predictor.pickle_import import ImportedModel


@dataclass(frozen=True)
class LoadedModel:
    model: LogisticModel
    manifest: Manifest
    features: FeatureSpace  # from the manifest's feature names: what each column means


def load_model(
    pickle_path: Path | None = None, pickle_sha256: str | None = None, model_dir: Path = BUNDLED_DIR
) -> LoadedModel:
    """The bundled (or model_dir's) weights after their self-check, or the operator's pinned pickle."""
    if pickle_path is None:
        manifest = read_manifest(model_dir)
        model = LogisticModel.from_weights(manifest.version, read_weights(model_dir, manifest))
        if manifest.self_check is None:
            raise ArtifactError(f"{model_dir}: the manifest records no self-check predictions")
        features = _features(manifest)
        check(model, features, manifest.self_check)
        return LoadedModel(model, manifest, features)
    if not pickle_sha256:
        raise ArtifactError("MODEL_PATH needs MODEL_SHA256: a pickle is only imported when its hash is pinned")
    from predictor.pickle_import import import_file  # fickling loads only when a pickle is given

    return from_import(import_file(pickle_path, pickle_sha256), name=pickle_path.stem, file=pickle_path.name)


def from_import(imported: "ImportedModel", name: str, file: str) -> LoadedModel:
    """The served model and a manifest describing it, for weights just imported from a pickle."""
    weights = imported.weights
    version = f"{name}-{imported.source.sha256[:12]}"
    model = LogisticModel.from_weights(version, weights)
    features = FeatureSpace.from_names(weights.feature_names)
    manifest = Manifest(
        version=version,
        source=msgspec.structs.replace(imported.source, file=file),
        feature_names=weights.feature_names,
        weights_sha256=artifacts.sha256_of(artifacts.encode(weights)),
        self_check=record(model, features),
    )
    return LoadedModel(model, manifest, features)


def _features(manifest: Manifest) -> FeatureSpace:
    try:
        return FeatureSpace.from_names(manifest.feature_names)
    except ColumnsError as error:
        raise ArtifactError(f"model manifest: {error}") from None


def record(model: LogisticModel, features: FeatureSpace) -> SelfCheck:
    return SelfCheck(
        valid_flights="".join(map(str, model.predict(features.valid_combinations()))),
        challenge_example=model.predict_one(list(CHALLENGE_EXAMPLE)),
    )


def check(model: LogisticModel, features: FeatureSpace, recorded: SelfCheck) -> None:
    """Every one of the 552 flights, and the challenge's example, must be predicted as recorded."""
    now = record(model, features)
    if len(recorded.valid_flights) != len(now.valid_flights):
        raise ArtifactError(f"self-check failed: {len(recorded.valid_flights)} flights recorded, expected 552")
    flipped = [
        i for i, (was, is_) in enumerate(zip(recorded.valid_flights, now.valid_flights, strict=True)) if was != is_
    ]
    if flipped:
        airline, kind, month = features.valid_flights()[flipped[0]]
        raise ArtifactError(
            f"self-check failed: model {model.version} predicts {len(flipped)} of 552 flights differently "
            f"from the record, e.g. {airline} / {kind} / month {month}: recorded "
            f"{recorded.valid_flights[flipped[0]]}, now {now.valid_flights[flipped[0]]}"
        )
    if now.challenge_example != recorded.challenge_example:
        raise ArtifactError(f"self-check failed: model {model.version} answers the challenge's example differently")
