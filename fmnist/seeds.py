"""The noise study's runs: the paper's experiment at many seeds, under each training loop (an "arm").

A seed is part of a run's configuration (`CVConfig.seed`), so each seed is a cached,
resumable run like any other, in its own results folder. `run_seeds` runs them in
turn through `fmnist.cv`. The arms are the project's own loop and the two plain
`model.fit` loops of `fmnist.baselines`: Keras 2's, as the paper's notebook ran, and
Keras 3's. `fmnist.noise` computes the statistics from their saved results.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re

from fmnist import cv
from fmnist.config import DEFAULT_TRAINER, TRAINERS, CVConfig

# The seeds each arm is recorded at (`make records`): seed 0 of the project's arm is Table I.
RECORDED_SEEDS = {"fmnist": range(10), "keras3-fit": range(5), "keras2-fit": range(5)}
ARM_NAMES = {
    "fmnist": "this project (Keras 3, a new order every epoch)",
    "keras2-fit": "Keras 2 model.fit (the paper's library)",
    "keras3-fit": "Keras 3 model.fit (one order every epoch)",
}
SEED_LIST_FORMAT = "a comma-separated list of seeds and ranges, such as 0-9 or 0,2,5-7"


def parse_seeds(text: str) -> list[int]:
    """Return the seeds named by a text such as "0-9" or "0,2,5-7", sorted and without repeats."""
    seeds: set[int] = set()
    for part in str(text).split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if match is None:
            raise ValueError(f"seeds must be {SEED_LIST_FORMAT}, got {text!r}")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValueError(f"seed range {part.strip()!r} runs backwards; write it as {last}-{first}")
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
    configs: list[CVConfig],
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: cv.Report = print,
) -> list[tuple[CVConfig, pathlib.Path, list[dict]]]:
    """Run every seed's cross-validation in turn (reusing saved folds); return each run."""
    runs = []
    for number, config in enumerate(configs, start=1):
        report(f"seed {config.seed} ({number} of {len(configs)}), trainer {config.trainer}")
        folder, folds = cv.run_cv(config, results_dir=results_dir, data_dir=data_dir, workers=workers, report=report)
        runs.append((config, folder, folds))
    return runs
