"""The budget frontier's budgets: 10, 30 and 60 minutes of training on two CPU cores, each with its model, epochs, seeds and targets; and the 10-minute budget's screened candidates.

`fmnist.experiments.frontier` trains the budgets' runs and `fmnist.experiments.screening` the
candidates'; `fmnist.analysis.frontier_results` and `fmnist.analysis.screening_results` read
them back. The epochs fit each budget, with a margin, at the quiet epoch time that
`benchmarks/frontier_speed.py` measured on the processor kind that records the frontier
(the AMD EPYC Zen 4, "family 25 model 17"), per epoch of all 60,000 training images
(2026-12-06): 24 s for the augmented CNN, and 24 s for the second walk's CNN, timed with the
other candidates (`--screening`). The 30-minute budget's 60 epochs were set earlier, from an
epoch time of 28 to 30 s taken while other work shared the machine, and so take about 24 of
its minutes.
"""

from __future__ import annotations

import dataclasses

from fmnist.config import CVConfig
from fmnist.store import result_types

# The models: the first walk's CNN (three blocks, batch normalization, dropout, cosine, batches
# of 32), the 10-minute budget's model until the screening (`fmnist.experiments.screening`)
# chose the second walk's CNN (the same, with batches of 128, Nesterov SGD, warm-up, weight
# decay and label smoothing); and that CNN shown mirrored and shifted images, whose extra
# learning pays only over a longer training than the better CNN's budget allowed.
FIRST_WALK_CNN = "the first walk's CNN"
SECOND_WALK_CNN = "the second walk's CNN"
AUGMENTED_CNN = "the better CNN with mirrored and shifted images"


@dataclasses.dataclass(frozen=True)
class Budget:
    """One budget of training time: its model, the epochs that fit it, the seeds it is trained at and its targets."""

    minutes: int
    model: str
    epochs: int
    seeds: tuple[int, ...]
    # Mean official-test accuracy over the seeds, in percent, plain and with flip averaging; None: no target.
    target: float | None = None
    target_flip_averaged: float | None = None

    @property
    def name(self) -> str:
        """Return the budget as a reader names it ("10 minutes")."""
        return f"{self.minutes} minutes"


BUDGETS = (
    # The second walk's CNN, chosen by screening the candidates below on fold 1, at the epochs
    # its quiet epoch fits (its candidate's).
    Budget(10, SECOND_WALK_CNN, 23, (0, 1, 2), target=93.5),
    # One seed draws the curve at 30 minutes.
    Budget(30, AUGMENTED_CNN, 60, (0,)),
    Budget(60, AUGMENTED_CNN, 140, (0, 1, 2), target=94.3, target_flip_averaged=94.5),
)
# Beyond the budgets, points on the augmented CNN's curve: its longer training's epochs on the
# better-CNN page (`better_cnn.LONGER_EPOCHS`), trained on all images at seed 0.
CURVE_EPOCHS = (30,)


# The 10-minute budget's candidates (`fmnist.experiments.screening` trains them on fold 1): the
# budget they compete for, in minutes.
SCREENING_BUDGET_MINUTES = 10
# Every candidate is trained once per seed: two seeds, since the differences screened are
# about the size of one run's seed noise.
SCREENING_SEEDS = (0, 1)


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
    Candidate(FIRST_WALK_CNN, FIRST_WALK_CNN, {}, 20),
    Candidate("the first walk's CNN with label smoothing 0.1", FIRST_WALK_CNN, {"label_smoothing": 0.1}, 20),
    # The second walk's CNN without the mirrored and shifted images: at the second walk's 8
    # epochs they cost more than they taught; at the budget's epochs it is screened bare.
    Candidate(SECOND_WALK_CNN, SECOND_WALK_CNN, {}, 23),
    Candidate("the second walk's CNN with two convolutions per block", SECOND_WALK_CNN, {"convs_per_block": 2}, 10),
)


@dataclasses.dataclass(frozen=True)
class ScreenedRun:
    """One candidate's fold-1 training at one seed: its config and result (None: not trained yet)."""

    candidate: Candidate
    config: CVConfig
    result: result_types.FoldResult | None


def budget_named(minutes: int) -> Budget:
    """Return the budget of so many minutes (ValueError naming the budgets there are)."""
    for budget in BUDGETS:
        if budget.minutes == minutes:
            return budget
    raise ValueError(f"there is no {minutes}-minute budget; the budgets are {', '.join(str(budget.minutes) for budget in BUDGETS)} minutes")


def parse_budgets(text: str) -> list[Budget]:
    """Return the budgets a list such as "10,60" names ("all" for every one); ValueError for anything else."""
    if str(text).strip() == "all":
        return list(BUDGETS)
    try:
        minutes = [int(part) for part in str(text).split(",")]
    except ValueError:
        raise ValueError(f"budgets must be minutes such as 10,30,60 or all, got {text!r}") from None
    return [budget_named(value) for value in minutes]


# Where a frontier run without a budget stands: a further point of a model's curve, or the
# 10-minute budget's model before the screening chose another.
BEYOND = "beyond the budgets"
BEFORE_SCREENING = "10 minutes, before the screening"


@dataclasses.dataclass(frozen=True)
class FrontierRun:
    """One official-test run of the frontier: its budget (None for none, then its place), model, config and result (None: not trained yet)."""

    budget: Budget | None
    model: str
    config: CVConfig
    result: result_types.TestResult | None
    place: str = BEYOND

    @property
    def budget_name(self) -> str:
        """Return the run's budget as a reader names it, or its place without one."""
        return self.budget.name if self.budget else self.place
