"""The noise study's runs: the paper's experiment at many seeds, under each training loop (an "arm").

A seed is part of a run's configuration (`CVConfig.seed`), so each seed is a cached,
resumable run like any other, in its own results folder. `run_seeds` runs them in
turn through `fmnist.experiments.cv`. The arms are the project's own loop and the two plain
`model.fit` loops of `fmnist.engine.baselines`: Keras 2's, as the paper's notebook ran, and
Keras 3's. `fmnist.analysis.noise` computes the statistics from their saved results.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re

from fmnist.engine import fold_training
from fmnist.experiments import cv, runs
from fmnist.store import records, result_types, usage
from fmnist.store.places import Places
from fmnist.config import DEFAULT_TRAINER, TRAINERS, CVConfig

# Fewer seeds than this give no seed-to-seed spread.
MIN_SEEDS = 2
# The seeds `make seeds` records for each arm; seed 0 of the project's arm is Table I.
PLANNED_SEEDS = {"fmnist": "0-9", "keras2-fit": "0-4", "keras3-fit": "0-4"}
ARM_NAMES = {
    "fmnist": "this project (Keras 3, a new order every epoch)",
    "keras2-fit": "Keras 2 model.fit (the paper's library)",
    "keras3-fit": "Keras 3 model.fit (one order every epoch)",
}
SEED_LIST_FORMAT = "a comma-separated list of seeds and ranges, such as 0-9 or 0,2,5-7"
# A seed list that means every recorded seed, and seed 0, whose run is finished.
RECORDED = "recorded"


def parse_seeds(text: str, name: str = "seeds") -> list[int]:
    """Return the seeds named by a text such as "0-9" or "0,2,5-7", sorted and without repeats; errors name the setting `name`."""
    seeds: set[int] = set()
    for part in str(text).split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if match is None:
            raise ValueError(f"{name} must be {SEED_LIST_FORMAT}, got {text!r}")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValueError(f"{name}: the seed range {part.strip()!r} runs backwards; write it as {last}-{first}")
        seeds.update(range(first, last + 1))
    return sorted(seeds)


def seed_configs(base: CVConfig, seeds: list[int] | range) -> list[CVConfig]:
    """Return the base configuration at each seed."""
    seeds = list(seeds)
    if not seeds:
        raise ValueError(f"seeds must name at least one seed, as {SEED_LIST_FORMAT}")
    return [dataclasses.replace(base, seed=seed) for seed in seeds]


def arm_config(trainer: str = DEFAULT_TRAINER, base: CVConfig | None = None) -> CVConfig:
    """Return the paper's experiment (or `base`) trained by one arm's loop, at seed 0."""
    if trainer not in TRAINERS:
        raise ValueError(f"trainer must be one of {', '.join(TRAINERS)}, got {trainer!r}")
    return dataclasses.replace(base or CVConfig(), trainer=trainer, seed=0)


def run_seeds(
    configs: list[CVConfig], places: Places = Places(), workers: int | None = None, report: fold_training.Report = print
) -> list[tuple[CVConfig, pathlib.Path, list[result_types.FoldResult]]]:
    """Run every seed's cross-validation (reusing saved folds), here in turn or on the Dask cluster of `places.scheduler` at once; return each run."""
    return cv.run_each(configs, lambda config: f"seed {config.seed}, trainer {config.trainer}", places, workers, report)


def check_enough(arm_seeds: dict[str, list[int]], base: CVConfig | None = None, names: dict[str, str] | None = None) -> None:
    """Raise ValueError, saying how to make more, unless every arm has at least two seeds.

    The error names the `base` settings and the setting that chose the arm's seeds (`names`,
    by trainer: a notebook's `keras2_seeds`, say; "seeds" by default).
    """
    for trainer, chosen in arm_seeds.items():
        if len(chosen) < MIN_SEEDS:
            option = "" if trainer == DEFAULT_TRAINER else f" --trainer {trainer}"
            chosen_by = (names or {}).get(trainer, "seeds")
            raise ValueError(
                f"the {trainer} arm has {len(chosen)} seed(s) ({chosen_by} chose {chosen or 'none'}) at "
                f"{changed_settings(base or CVConfig())}, and a spread needs at least {MIN_SEEDS}: run "
                f"`fmnist seeds --seeds {PLANNED_SEEDS[trainer]}{option} --record` (`make seeds` runs every arm), "
                "or name the seeds and set compute_missing = True"
            )


def changed_settings(config: CVConfig) -> str:
    """Return the settings of a config that differ from the paper's ("folds = 2, epochs = 3"), or "the paper's settings"."""
    changed = [
        f"{field.name} = {getattr(config, field.name)!r}"
        for field in dataclasses.fields(CVConfig)
        if field.name not in ("seed", "trainer") and getattr(config, field.name) != field.default
    ]
    return ", ".join(changed) if changed else "the paper's settings"


def without_records(configs: list[CVConfig], records_dir: str | os.PathLike | None = None) -> list[CVConfig]:
    """Return the configs that have no complete record yet."""
    left = []
    for config in configs:
        recorded = records.find_record(config, records_dir)
        if recorded is None or not records.is_complete(recorded, config, None, test=False):
            left.append(config)
    return left


def how_to_make(config: CVConfig) -> str:
    """Return the command that computes one seed of an arm."""
    trainer = "" if config.trainer == DEFAULT_TRAINER else f" --trainer {config.trainer}"
    return f"run `fmnist seeds --seeds {config.seed}{trainer}` (`make records` runs them all)"


def find_runs(
    configs: list[CVConfig], places: Places = Places(), compute_missing: bool = False
) -> list[tuple[CVConfig, records.Found, list[result_types.FoldResult]]]:
    """Return each config's saved run (computed by this code, else recorded) and its folds, training the missing ones only if asked."""
    found_runs = []
    for config in configs:
        found = runs.obtain(config, places, compute_missing=compute_missing, how_to_make=how_to_make(config))
        found_runs.append((config, found, found.folds()))
    return found_runs


def recompute_folds(
    config: CVConfig, fold_indices: list[int], places: Places = Places(), report: fold_training.Report = print
) -> list[dict] | None:
    """Compute some folds of a recorded run again (here, or on the Dask cluster of `places.scheduler`); return each beside its record (`records.compare`).

    Returns None, computing nothing, when the config has no record to set them beside.
    """
    recorded = records.find_record(config, places.records_dir)
    if recorded is None:
        return None
    if not fold_indices:
        return []
    usage.note(recorded, usage.RECORDED)
    folder, _ = cv.run_cv(
        config, results_dir=places.results_dir, data_dir=places.data_dir, report=report, only_folds=fold_indices, scheduler=places.scheduler
    )
    wanted = {f"fold-{index}" for index in fold_indices}
    return [row for row in records.compare(recorded, folder) if row["result"] in wanted]


def finished_seeds(base: CVConfig, trainer: str = DEFAULT_TRAINER, places: Places = Places()) -> list[int]:
    """Return the seeds of one arm at the base settings that are recorded, or seed 0, and whose runs are finished.

    Seed 0 is the one a build computes; a seed's run is read from this build's results
    when they hold it whole, else from its record (`records.find`).
    """
    arm = arm_config(trainer, base)
    recorded = {
        config.seed
        for config in map(records.saved_config, records.recorded_runs(places.records_dir))
        if config is not None and dataclasses.replace(config, seed=0) == arm
    }
    return [seed for seed in sorted(recorded | {0}) if records.find(dataclasses.replace(arm, seed=seed), places) is not None]


def resolve_seeds(text: str, base: CVConfig, trainer: str = DEFAULT_TRAINER, places: Places = Places(), name: str = "seeds") -> list[int]:
    """Return the seeds a seed list names; "recorded" names every finished seed of the arm (`finished_seeds`). Errors name the setting `name`."""
    if str(text).strip() == RECORDED:
        return finished_seeds(base, trainer, places)
    return parse_seeds(text, name)


def recorded_study(base: CVConfig, places: Places = Places(), trainer: str = DEFAULT_TRAINER) -> list[tuple[CVConfig, list[result_types.FoldResult]]] | None:
    """Return one arm's finished runs at the base settings, or None if it has fewer than two seeds."""
    chosen = finished_seeds(base, trainer, places)
    if len(chosen) < MIN_SEEDS:
        return None
    found = find_runs(seed_configs(arm_config(trainer, base), chosen), places)
    return [(config, folds) for config, _, folds in found]


def noise_study(base: CVConfig, places: Places = Places()) -> list[tuple[CVConfig, list[result_types.FoldResult]]] | None:
    """Return every arm's finished runs at the base settings, or None if an arm has fewer than two seeds."""
    runs = []
    for trainer in ARM_NAMES:
        arm = recorded_study(base, places, trainer)
        if arm is None:
            return None
        runs += arm
    return runs
