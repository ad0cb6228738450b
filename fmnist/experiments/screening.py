"""Choosing the 10-minute budget's model: candidates screened on fold 1, each trained as long as its own epoch allows in the budget.

The 10-minute budget's model was the first walk's CNN, chosen before the frontier asked what
10 minutes buy. Here it is one candidate among others built from the choices the two walks
measured (`fmnist.experiments.better_cnn`): each trains on fold 1 of the cross-validation
(48,000 images, 12,000 held out) at the screening seeds, for as many epochs as fit the
budget on all 60,000 images at its quiet epoch (`benchmarks/frontier_speed.py --screening`),
with its learning-rate schedule laid out over those epochs. The official test images are not
used: the candidate with the highest mean held-out accuracy earns the budget's official-test
runs, which decide (`fmnist.budgets`).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from fmnist import budgets
from fmnist.config import CVConfig
from fmnist.experiments import better_cnn, frontier
from fmnist.store import records
from fmnist.store.places import Places


def candidate_config(candidate: budgets.Candidate, models: frontier.ModelConfigs, seed: int = 0) -> CVConfig:
    """Return a candidate's config at its epochs and a seed."""
    return dataclasses.replace(models[candidate.name](candidate.epochs), seed=seed)


def screened_runs(places: Places = Places(), seeds: tuple[int, ...] = budgets.SCREENING_SEEDS) -> list[budgets.ScreenedRun]:
    """Return every candidate's fold-1 run at each seed, with its saved or recorded result where there is one (none is trained here)."""
    models = frontier.model_configs(places)
    runs = []
    for candidate in budgets.CANDIDATES:
        for seed in seeds:
            config = candidate_config(candidate, models, seed)
            found = records.find(config, places, folds=[better_cnn.ABLATION_FOLD], test=False)
            runs.append(budgets.ScreenedRun(candidate, config, found.fold(better_cnn.ABLATION_FOLD) if found else None))
    return runs


def run_screening(
    places: Places = Places(), seeds: tuple[int, ...] = budgets.SCREENING_SEEDS, record: bool = False, report: Callable[[str], None] = print
) -> list[budgets.ScreenedRun]:
    """Train every candidate's fold-1 run at each seed that is neither saved nor recorded, recording each if asked; return them all."""
    lookup = better_cnn.recording_fold(record, places, report)
    models = frontier.model_configs(places)
    return [
        budgets.ScreenedRun(candidate, config, lookup(config))
        for candidate in budgets.CANDIDATES
        for config in (candidate_config(candidate, models, seed) for seed in seeds)
    ]

