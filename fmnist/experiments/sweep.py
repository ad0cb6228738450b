"""The paper's Future Work (Section IV-A): more convolution filters, and padding.

Each configuration is the paper's experiment (same folds, same training) with
one convolution of `filters` filters and `padding` padding. `run_sweep` runs the
configurations in turn through `fmnist.experiments.cv`, so finished folds are reused and an
interrupted sweep resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
import pathlib

from fmnist import paper
from fmnist.engine import fold_training
from fmnist.experiments import cv, seeds
from fmnist.store import records, result_types
from fmnist.store.places import Places
from fmnist.config import CVConfig, check_int

FILTERS = (16, 32, 64, 128)
PADDINGS = paper.PADDINGS


def sweep_configs(
    base: CVConfig | None = None,
    filters: tuple[int, ...] | list[int] = FILTERS,
    paddings: tuple[str, ...] | list[str] = PADDINGS,
    names: tuple[str, str] = ("filters", "paddings"),
) -> list[CVConfig]:
    """Return the sweep's configurations: the base config at every filters x padding.

    `names` are the names the caller takes the two lists by (a notebook's `filters_list`,
    say), which an error names.
    """
    base = base or CVConfig()
    for name, values, example in ((names[0], filters, FILTERS), (names[1], paddings, PADDINGS)):
        if isinstance(values, str) or not isinstance(values, (list, tuple)) or not values:
            raise ValueError(f"{name} must be a non-empty list, such as {list(example)}, got {values!r}")
    if not base.is_paper_model:
        raise ValueError("the sweep varies the paper's model; give a base config without the better CNN's choices")
    # Each value is checked here, under the name the sweep takes it by (paddings, not padding).
    unknown = [padding for padding in paddings if padding not in PADDINGS]
    if unknown:
        raise ValueError(f"{names[1]} must each be one of {', '.join(PADDINGS)}, got {', '.join(map(repr, unknown))}")
    for value in filters:
        check_int(f"each of {names[0]}", value, minimum=1)
    return [dataclasses.replace(base, filters=f, padding=p) for p in paddings for f in filters]


def run_sweep(
    configs: list[CVConfig], places: Places = Places(), workers: int | None = None, report: fold_training.Report = print
) -> list[tuple[CVConfig, pathlib.Path, list[result_types.FoldResult]]]:
    """Run every configuration's cross-validation (reusing saved folds), here in turn or on the Dask cluster of `places.scheduler` at once; return each run."""
    return cv.run_each(configs, lambda config: f"{config.filters} filters, {config.padding} padding", places, workers, report)


def timing_folds(
    configs: list[CVConfig], found: dict[CVConfig, records.Found], places: Places = Places()
) -> dict[CVConfig, list[result_types.FoldResult]]:
    """Return, per configuration, the folds whose training times the sweep compares: the record's where there is one.

    The records were all made on one machine, so their times compare like with like; a
    configuration computed in this build on another processor keeps its accuracy, but its
    cost is read from its record.
    """
    timing = {}
    for config in configs:
        recorded = records.find_record(config, places.records_dir)
        if recorded is not None and records.is_complete(recorded, config, None, False):
            timing[config] = records.Found(recorded, "recorded").folds()
        else:
            timing[config] = found[config].folds()
    return timing


def padding_studies(
    base: CVConfig, filters: int, places: Places = Places(), name: str = "padding_seed_filters"
) -> dict[str, list[tuple[CVConfig, list[result_types.FoldResult]]] | None]:
    """Return, for `same` and `valid` padding at one filter count, every finished seed's run (None for fewer than two seeds)."""
    check_int(name, filters, 1)
    return {
        padding: seeds.recorded_study(dataclasses.replace(base, filters=filters, padding=padding, seed=0), places)
        for padding in ("same", "valid")
    }
