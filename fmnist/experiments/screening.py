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
from fmnist.experiments import better_cnn
from fmnist.store import result_types
from fmnist.store.places import Places

# Every candidate is trained once per seed: two seeds, since the differences screened are
# about the size of one run's seed noise.
SEEDS = (0, 1)
# The second walk's CNN without the mirrored and shifted images: at the second walk's 8 epochs
# the augmentation cost more than it taught; at the budget's epochs it is screened bare.
BETTER_CNN = "the second walk's CNN"


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One candidate for the 10-minute budget: the model it starts from, the choice it adds and the epochs that fit the budget."""

    name: str
    model: str
    change: dict
    # Epochs on all 60,000 images within the budget, at its quiet epoch time (see CANDIDATES).
    epochs: int


# The candidates, each at the most epochs that fill at most 95% of 10 minutes at its quiet
# epoch on the AMD EPYC Zen 4 ("family 25 model 17"), measured by
# `benchmarks/frontier_speed.py --screening` (benchmarks/results/screening_speed.json,
# 2026-12-06): 24.4 s for the second walk's CNN, 52.2 s with two convolutions per block. The
# first walk's CNN keeps the 20 epochs its runs were recorded at (26.0 s an epoch: 21 would
# fit), and with label smoothing, which costs nothing an epoch, trains those 20 too, so that
# the two differ by the smoothing alone.
CANDIDATES = (
    Candidate(budgets.FIRST_WALK_CNN, budgets.FIRST_WALK_CNN, {}, 20),
    Candidate("the first walk's CNN with label smoothing 0.1", budgets.FIRST_WALK_CNN, {"label_smoothing": better_cnn.LABEL_SMOOTHING}, 20),
    Candidate(BETTER_CNN, BETTER_CNN, {}, 23),
    Candidate("the second walk's CNN with two convolutions per block", BETTER_CNN, {"convs_per_block": 2}, 10),
)

# Each candidate's model's config (seed 0) for a number of epochs, by model name.
ModelConfigs = dict[str, Callable[[int], CVConfig]]


def model_configs(places: Places = Places()) -> ModelConfigs:
    """Return, for each model the candidates start from, its config (seed 0) for a number of epochs.

    The second walk's CNN is the one its recorded steps choose (`better_cnn.ladder_config`);
    reading the walk trains nothing, and a missing step raises MissingRunError naming `make ladder`.
    """
    steps = better_cnn.ladder(better_cnn.ladder_start(), better_cnn.obtained_fold(places, how_to_make="run `make ladder`"))
    better = better_cnn.ladder_config(steps)
    return {
        budgets.FIRST_WALK_CNN: lambda epochs: better_cnn.ladder_start(CVConfig(epochs=epochs)),
        BETTER_CNN: lambda epochs: dataclasses.replace(better, epochs=epochs),
    }


def candidate_config(candidate: Candidate, models: ModelConfigs, seed: int = 0) -> CVConfig:
    """Return a candidate's config at its epochs and a seed."""
    return dataclasses.replace(models[candidate.model](candidate.epochs), **candidate.change, seed=seed)


@dataclasses.dataclass(frozen=True)
class ScreenedRun:
    """One candidate's fold-1 training at one seed: its config and result (None: not trained yet)."""

    candidate: Candidate
    config: CVConfig
    result: result_types.FoldResult | None


def screened_runs(places: Places = Places(), seeds: tuple[int, ...] = SEEDS) -> list[ScreenedRun]:
    """Return every candidate's fold-1 run at each seed, with its saved or recorded result where there is one (none is trained here)."""
    from fmnist.store import records

    models = model_configs(places)
    runs = []
    for candidate in CANDIDATES:
        for seed in seeds:
            config = candidate_config(candidate, models, seed)
            found = records.find(config, places, folds=[better_cnn.ABLATION_FOLD], test=False)
            runs.append(ScreenedRun(candidate, config, found.fold(better_cnn.ABLATION_FOLD) if found else None))
    return runs


def run_screening(
    places: Places = Places(), seeds: tuple[int, ...] = SEEDS, record: bool = False, report: Callable[[str], None] = print
) -> list[ScreenedRun]:
    """Train every candidate's fold-1 run at each seed that is neither saved nor recorded, recording each if asked; return them all."""
    lookup = better_cnn.recording_fold(record, places, report)
    models = model_configs(places)
    return [
        ScreenedRun(candidate, config, lookup(config))
        for candidate in CANDIDATES
        for config in (candidate_config(candidate, models, seed) for seed in seeds)
    ]
