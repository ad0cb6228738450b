"""The budget frontier's runs: each budget's model trained on all 60,000 images and scored once on the official test set, per seed.

The budgets, their models, epochs and seeds are `fmnist.budgets`. Each model was chosen
on fold 1, by the better CNN's two walks (`fmnist.experiments.better_cnn`) and for the
10-minute budget by the screening (`fmnist.experiments.screening`), and is trained here
with its learning-rate schedule laid out over its budget's epochs, on both cores with
oneDNN's kernels:

- the better CNN that the second walk's records choose (the second walk's CNN);
- the same CNN shown mirrored and shifted images, whose extra learning pays only over a
  longer training;
- the first walk's CNN, the 10-minute budget's model before the screening, whose runs
  stay beside the budget's.

Each run is scored plainly and with flip averaging beside it.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from fmnist import budgets
from fmnist.config import CVConfig
from fmnist.experiments import better_cnn
from fmnist.store import records
from fmnist.store.places import Places


# Each frontier model's config (seed 0) for a number of epochs, by model name.
ModelConfigs = dict[str, Callable[[int], CVConfig]]


def model_configs(places: Places = Places()) -> ModelConfigs:
    """Return, for each frontier model, its config (seed 0) for a number of epochs.

    The second walk's CNN is the better CNN that the second walk's recorded steps choose
    (`better_cnn.ladder_config`), and the augmented CNN is that CNN with mirrored and
    shifted images; each screened candidate (`budgets.CANDIDATES`) is one of these with its
    choice added. Reading the walk trains nothing, and a missing step raises
    MissingRunError naming `make ladder`.
    """
    steps = better_cnn.ladder(better_cnn.ladder_start(), better_cnn.obtained_fold(places, how_to_make="run `make ladder`"))
    better = better_cnn.ladder_config(steps)
    models = {
        budgets.FIRST_WALK_CNN: lambda epochs: better_cnn.ladder_start(CVConfig(epochs=epochs)),
        budgets.SECOND_WALK_CNN: lambda epochs: dataclasses.replace(better, epochs=epochs),
        budgets.AUGMENTED_CNN: lambda epochs: better_cnn.longer_training(better, epochs),
    }
    # Each screened candidate is a model too: its model with its choice added.
    for candidate in budgets.CANDIDATES:
        models.setdefault(candidate.name, lambda epochs, candidate=candidate: dataclasses.replace(models[candidate.model](epochs), **candidate.change))
    return models


def budget_configs(budget: budgets.Budget, models: ModelConfigs, seeds: tuple[int, ...] | None = None) -> list[CVConfig]:
    """Return a budget's official-test runs: its model (of `model_configs`) at its epochs, at each of its seeds (or of `seeds`)."""
    return better_cnn.final_configs(models[budget.model](budget.epochs), budget.seeds if seeds is None else seeds)


def curve_configs(models: ModelConfigs) -> list[CVConfig]:
    """Return the augmented CNN's runs beyond the budgets (CURVE_EPOCHS, seed 0): more points on its curve."""
    return [models[budgets.AUGMENTED_CNN](epochs) for epochs in budgets.CURVE_EPOCHS]


def frontier_runs(places: Places = Places()) -> list[budgets.FrontierRun]:
    """Return every run of the frontier (each budget's seeds, the curve's points, the 10-minute budget's earlier model's seeds) with the saved or recorded result where there is one (none is trained here)."""
    models = model_configs(places)
    planned = [(budget, budget.model, config, budgets.BEYOND) for budget in budgets.BUDGETS for config in budget_configs(budget, models)]
    planned += [(None, budgets.AUGMENTED_CNN, config, budgets.BEYOND) for config in curve_configs(models)]
    planned += [(None, earlier.model, config, budgets.BEFORE_SCREENING) for earlier, config in earlier_configs(models)]
    runs = []
    for budget, model, config, place in planned:
        found = records.find(config, places, folds=[], test=True)
        runs.append(budgets.FrontierRun(budget, model, config, found.test() if found else None, place))
    return runs


def earlier_configs(models: ModelConfigs) -> list[tuple[budgets.Candidate, CVConfig]]:
    """Return the 10-minute budget's model before the screening (the first candidate) at the budget's seeds, where the screening chose another model."""
    earlier = budgets.CANDIDATES[0]
    ten = budgets.budget_named(budgets.SCREENING_BUDGET_MINUTES)
    if earlier.model == ten.model:
        return []
    return [(earlier, config) for config in better_cnn.final_configs(models[earlier.model](earlier.epochs), ten.seeds)]


def run_frontier(
    chosen: list[budgets.Budget],
    places: Places = Places(),
    seeds: tuple[int, ...] | None = None,
    record: bool = False,
    skip_recorded: bool = False,
    only_on_recorded_kind: bool = False,
) -> list[better_cnn.FinalRun]:
    """Train each chosen budget's official-test runs (at its seeds, or at `seeds`) and record them if asked.

    `skip_recorded` leaves out the runs already saved or recorded, so that a frontier stopped
    part-way goes on where it stopped; `only_on_recorded_kind` skips a run whose record
    was made on another processor kind (how CI retrains one seed where it repeats its record).
    """
    models = model_configs(places)
    finals = []
    for budget in chosen:
        for config in budget_configs(budget, models, seeds):
            if skip_recorded and records.find(config, places, folds=[], test=True) is not None:
                continue
            finals.append(better_cnn.final_run(config, places, record, only_on_recorded_kind))
    return finals
