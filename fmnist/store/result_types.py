"""What a saved result holds, as types: a fold's result, the official test set's result and their provenance.

The engine writes each result as a JSON object whose keys are Keras's: there, a fold's
accuracy on its held-out images is `test_accuracy`, as is the official test set's
accuracy in `test.json`. Read through these types, the two have distinct names:
`FoldResult.held_out_accuracy` and `TestResult.test_accuracy`. Files on disk and in
`records/` keep their keys, so records made before these types read the same.
"""

from __future__ import annotations

import dataclasses
import math

# What a result that does not say something shows in its place.
NOT_RECORDED = "not recorded"


@dataclasses.dataclass(frozen=True)
class Provenance:
    """Where and with what a result was computed: processor, its kind and cores, date, load and package versions."""

    cpu: str = NOT_RECORDED
    cpu_kind: str | None = None
    cpu_count: int | None = None
    date: str | None = None
    load: dict | None = None
    platform: str | None = None
    python: str | None = None
    packages: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def from_saved(cls, saved: dict | None) -> "Provenance":
        """Return the provenance of a saved result (missing entries as None, the processor as NOT_RECORDED)."""
        saved = saved or {}
        fields = {field.name for field in dataclasses.fields(cls)}
        known = {name: value for name, value in saved.items() if name in fields and value is not None}
        return cls(**known)

    @property
    def kind(self) -> str:
        """Return the processor kind, or NOT_RECORDED for results made before kinds were recorded."""
        return self.cpu_kind or NOT_RECORDED


@dataclasses.dataclass(frozen=True, kw_only=True)
class SavedResult:
    """What a fold's and an official test run's results both hold: sizes, seed, wall time, history, provenance and source."""

    num_train: int
    num_test: int
    num_parameters: int
    seed: int
    wall_seconds: float
    history: dict[str, list[float]]
    provenance: Provenance
    # "computed" (by this build, or an earlier one of the same code) or "recorded" (read from records/).
    source: str = "computed"


@dataclasses.dataclass(frozen=True, kw_only=True)
class FoldResult(SavedResult):
    """One cross-validation fold: trained on its training images, scored on its held-out images."""

    fold_index: int
    held_out_accuracy: float
    held_out_loss: float
    train_accuracy: float
    train_loss: float
    # The held-out accuracy with each image's prediction averaged with its mirror image's (flip-trained runs only).
    held_out_accuracy_flip_averaged: float | None = None

    @classmethod
    def from_saved(cls, saved: dict, source: str = "computed") -> "FoldResult":
        """Return a fold's result from its saved JSON object."""
        return cls(
            fold_index=int(saved["fold_index"]),
            held_out_accuracy=float(saved["test_accuracy"]),
            held_out_loss=float(saved.get("test_loss", math.nan)),
            train_accuracy=float(saved.get("train_accuracy", math.nan)),
            train_loss=float(saved.get("train_loss", math.nan)),
            held_out_accuracy_flip_averaged=saved.get("test_accuracy_flip_averaged"),
            **common_fields(saved, source),
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class TestResult(SavedResult):
    """The official test run: trained on all 60,000 training images, scored once on the 10,000 test images."""

    test_accuracy: float
    test_loss: float
    predicted_labels: list[int]
    confidences: list[float]
    training_seconds: float
    # The test accuracy with each image's prediction averaged with its mirror image's (flip-trained runs only).
    test_accuracy_flip_averaged: float | None = None

    @classmethod
    def from_saved(cls, saved: dict, source: str = "computed") -> "TestResult":
        """Return the official test run's result from its saved JSON object."""
        return cls(
            test_accuracy=float(saved["test_accuracy"]),
            test_loss=float(saved.get("test_loss", math.nan)),
            predicted_labels=list(saved.get("predicted_labels", [])),
            confidences=list(saved.get("confidences", [])),
            training_seconds=float(saved.get("training_seconds", saved.get("wall_seconds", math.nan))),
            test_accuracy_flip_averaged=saved.get("test_accuracy_flip_averaged"),
            **common_fields(saved, source),
        )


def common_fields(saved: dict, source: str) -> dict:
    """Return a `SavedResult`'s fields from a saved JSON object: sizes, seed, wall time, history, provenance, source."""
    return {
        "num_train": int(saved.get("num_train", 0)),
        "num_test": int(saved.get("num_test", 0)),
        "num_parameters": int(saved.get("num_parameters", 0)),
        "seed": int(saved.get("seed", 0)),
        "wall_seconds": float(saved.get("wall_seconds", math.nan)),
        "history": saved.get("history", {}),
        "provenance": Provenance.from_saved(saved.get("provenance")),
        "source": source,
    }
