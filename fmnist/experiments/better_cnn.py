"""The better small CNN, found by two walks: the paper's model, then one measured choice at a time.

The first walk (`ablation`) starts from the paper's model and scores each step once,
at seed 0; its kept steps are then scored again at ABLATION_SEEDS (`seeded_steps`), so
that each kept choice's gain can be set against the seed noise of those very models.
The second (`ladder`) starts from the first walk's CNN and trains each step
at several seeds, so that every gain is set against the seed-to-seed noise; its last
kept step is the better CNN (`ladder_start`, `LADDER`).

Each choice is added to the choices kept so far and kept only if it raises the
held-out accuracy and the training stays within its time budget, so the ablation
shows what each choice bought. Choices dropped in one pass are tried again on top
of the choices kept since, until a pass keeps nothing: two choices can pay only
together. The choices are scored on fold 1 of the paper's cross-validation (48,000
images to train, 12,000 held out); the official test images are used once, for the
final model only.
"""

from __future__ import annotations

import dataclasses
import pathlib
import statistics
from typing import Callable

from fmnist.store import records, result_types
from fmnist.store.places import Places
from fmnist.config import CVConfig

# The fold the choices are measured on.
ABLATION_FOLD = 1
# Every step trains this long, the paper's model included, so that they compare fairly.
EPOCHS = 15
# The better CNN's three convolution blocks: 32, 64 and 128 filters.
CONV_BLOCKS = 3
DROPOUT = 0.3
# The goal set for the better CNN: its mean accuracy over the final seeds on the official test
# set, in percent, a stretch goal, and the time budget of one training on 2 cores.
TARGET_TEST_ACCURACY = 94.5
STRETCH_TEST_ACCURACY = 95.0
TRAINING_BUDGET_MINUTES = 10.0
# The first walk's last choice: training this many epochs rather than EPOCHS (LONGER_EPOCHS,
# further down, is the second walk's longer training).
FIRST_WALK_EPOCHS = 20
# The choices tried, in order: each is added to the choices kept so far.
CHOICES = (
    ("padding", {"padding": "same"}),
    (f"{CONV_BLOCKS} convolution blocks", {"conv_blocks": CONV_BLOCKS}),
    ("batch normalization", {"batch_norm": True}),
    (f"dropout {DROPOUT:g}", {"dropout": DROPOUT}),
    ("cosine learning rate", {"lr_schedule": "cosine"}),
    ("shift augmentation", {"augment": True}),
    (f"{FIRST_WALK_EPOCHS} epochs", {"epochs": FIRST_WALK_EPOCHS}),
)
# The further seeds at which the first walk's kept steps are scored again: their gains are
# judged over seeds 0 and these, against the noise those models show.
ABLATION_SEEDS = (1, 2)
# The final model trains on all 60,000 images, 5/4 of a fold's 48,000.
FULL_TRAINING_SCALE = 60_000 / 48_000

# Returns the ablation fold's result of a config, by training it or by reading it back.
FoldLookup = Callable[[CVConfig], result_types.FoldResult]

# The second walk starts from the first walk's choices, trained with both cores and oneDNN's
# kernels (the same model, other roundings, less time; `benchmarks/epoch_speed.py --model better`).
FIRST_WALK_CHOICES = {"padding": "same", "conv_blocks": CONV_BLOCKS, "batch_norm": True, "dropout": DROPOUT, "lr_schedule": "cosine"}
FAST_ARITHMETIC = {"threads": 2, "onednn": True}
# Every step of the second walk trains this long: the longest the better CNN can train on all
# 60,000 images within the budget on the 2-core machine that measured it.
LADDER_EPOCHS = 8
# Each step of the second walk is trained once per seed.
LADDER_SEEDS = (0, 1)
LADDER_BATCH_SIZE = 128
LADDER_LEARNING_RATE = 0.1
LADDER_WEIGHT_DECAY = 5e-4
LABEL_SMOOTHING = 0.1
# Mirrored and shifted training images: a step of the second walk, and what the longer training adds.
AUGMENTATION = {"flip": True, "augment": True}
# The steps of the second walk, in order: each is added to the steps kept so far.
LADDER = (
    (
        f"batch {LADDER_BATCH_SIZE}, Nesterov SGD at {LADDER_LEARNING_RATE:g} with warm-up and weight decay",
        {
            "batch_size": LADDER_BATCH_SIZE,
            "learning_rate": LADDER_LEARNING_RATE,
            "nesterov": True,
            "lr_schedule": "warmup-cosine",
            "weight_decay": LADDER_WEIGHT_DECAY,
        },
    ),
    ("mirror and shift augmentation", AUGMENTATION),
    (f"label smoothing {LABEL_SMOOTHING:g}", {"label_smoothing": LABEL_SMOOTHING}),
)
# The better CNN's official-test runs: one full training per seed.
FINAL_SEEDS = (0, 1, 2)
# What more time than the budget buys: the better CNN with the augmentation, trained this many
# epochs on fold 1 at one seed (`longer_training`).
LONGER_EPOCHS = 30
LONGER_SEED = 0


@dataclasses.dataclass(frozen=True)
class Step:
    """One row of the ablation: the choice tried, the config tried, its fold result and whether it was kept."""

    name: str
    config: CVConfig
    result: result_types.FoldResult
    kept: bool
    round: int = 1
    # The choice added in this step; empty for the paper's model it starts from.
    choice: str = ""


def within_budget(result: result_types.FoldResult) -> bool:
    """Return whether a fold's training time, scaled to all 60,000 images, fits the budget."""
    return result.wall_seconds * FULL_TRAINING_SCALE <= TRAINING_BUDGET_MINUTES * 60


def ablation(base: CVConfig, fold_result: FoldLookup) -> list[Step]:
    """Walk the choices from the paper's model, keeping each one that raises held-out accuracy within the budget.

    `fold_result(config)` returns the ablation fold's result of a config, by training
    it or by reading it back; the walk is the same either way. After the first pass,
    the dropped choices are tried again on top of the kept ones until a pass keeps none.
    """
    if not base.is_paper_model:
        raise ValueError("the ablation starts from the paper's model; give a base config without its choices")
    current = Step("paper's model", base, fold_result(base), kept=True)
    steps = [current]
    tried = {base}
    to_try = list(CHOICES)
    round_number = 1
    while to_try:
        dropped = []
        for name, change in to_try:
            config = dataclasses.replace(current.config, **change)
            if config in tried:
                # Nothing was kept since this choice was tried on top of the same choices.
                dropped.append((name, change))
                continue
            tried.add(config)
            result = fold_result(config)
            kept = result.held_out_accuracy > current.result.held_out_accuracy and within_budget(result)
            label = f"+ {name}" if round_number == 1 else f"+ {name} (round {round_number})"
            step = Step(label, config, result, kept, round_number, choice=name)
            steps.append(step)
            if kept:
                current = step
            else:
                dropped.append((name, change))
        if len(dropped) == len(to_try):
            break
        to_try = dropped
        round_number += 1
    return steps


def seeded_steps(steps: list[Step], fold_result: FoldLookup, seeds: tuple[int, ...] = ABLATION_SEEDS) -> list["LadderStep"]:
    """Return the first walk's kept steps, each scored at seed 0 (its walk's result) and again at every other seed.

    The walk itself stays as it was taken at seed 0; the seeds measure how far each kept
    choice's gain stands above the seed noise of the models it compares.
    """
    return [
        LadderStep(step.name, step.config, (step.result, *(fold_result(seeded(step.config, seed)) for seed in seeds if seed != step.config.seed)), kept=True)
        for step in steps
        if step.kept
    ]


def better_config(steps: list[Step]) -> CVConfig:
    """Return the better CNN's config: the paper's model with every choice the ablation kept."""
    return [step for step in steps if step.kept][-1].config


def kept_choices(steps: list[Step]) -> list[str]:
    """Return the choices the ablation kept, in the order it kept them."""
    return [step.choice for step in steps if step.kept and step.choice]


def dropped_choices(steps: list[Step]) -> list[str]:
    """Return the choices the ablation never kept, in the order they are tried."""
    kept = set(kept_choices(steps))
    return [name for name, _ in CHOICES if name not in kept]


def obtained_fold(places: Places = Places(), compute_missing: bool = False, how_to_make: str = "run `make ablation`") -> FoldLookup:
    """Return a fold lookup that reads a step's computed or recorded fold, training it (on one worker) only if `compute_missing`.

    Each result it returns says its source: "computed" or "recorded".
    """
    from fmnist.experiments import runs

    def obtain(config: CVConfig) -> result_types.FoldResult:
        found = runs.obtain(config, places, folds=[ABLATION_FOLD], compute_missing=compute_missing, how_to_make=how_to_make, workers=1)
        return found.fold(ABLATION_FOLD)

    return obtain


def recording_fold(record: bool, places: Places = Places(), report: Callable[[str], None] = print) -> FoldLookup:
    """Return a fold lookup that reads a step's saved or recorded fold, else trains it; with `record`, records each fold it trained."""
    from fmnist.store import results

    obtain = obtained_fold(places, compute_missing=True)

    def obtain_and_record(config: CVConfig) -> result_types.FoldResult:
        result = obtain(config)
        if record and result.source == "computed":
            report(f"Recorded in {records.record(results.saved_run_folder(config, places.results_dir), places.records_dir)}")
        return result

    return obtain_and_record


def first_walk_finals(steps: list[Step], seeds: tuple[int, ...] = FINAL_SEEDS) -> list[CVConfig]:
    """Return the first walk's CNN as the better CNN is trained (both cores, oneDNN's kernels) at each final seed: its official-test runs."""
    return final_configs(dataclasses.replace(better_config(steps), **FAST_ARITHMETIC), seeds)


def first_walk_runs(steps: list[Step], places: Places = Places(), seeds: tuple[int, ...] = FINAL_SEEDS) -> list[tuple[int, result_types.TestResult]]:
    """Return (seed, official-test result) of each of the first walk's CNN's final runs that is saved or recorded (none is trained here)."""
    found = [(config.seed, records.find(config, places, folds=[], test=True)) for config in first_walk_finals(steps, seeds)]
    return [(seed, run.test()) for seed, run in found if run is not None]


def why_not_retrained_here(config: CVConfig) -> str | None:
    """Return why a final run is not retrained on this machine (its record was made on another processor kind), or None."""
    from fmnist import provenance

    recorded = records.recorded_on_another_kind(config)
    if recorded is None:
        return None
    return (
        f"Its record was made on {recorded.cpu} ({recorded.kind}), "
        f"and this machine is another kind ({provenance.cpu_kind()}), where a retraining rounds differently: another draw, "
        "not a repeat of the record."
    )


@dataclasses.dataclass(frozen=True)
class LadderStep:
    """One step of the second walk: the choice added, the config, its fold result at each seed and whether it was kept."""

    name: str
    config: CVConfig
    results: tuple[result_types.FoldResult, ...]
    kept: bool

    @property
    def mean_accuracy(self) -> float:
        """Return the held-out accuracy averaged over the step's seeds."""
        return statistics.fmean(result.held_out_accuracy for result in self.results)


def ladder_start(base: CVConfig | None = None) -> CVConfig:
    """Return where the second walk starts: the base's settings (by default the ladder's epochs) with the first walk's choices and the fast arithmetic."""
    base = base or CVConfig(epochs=LADDER_EPOCHS)
    return dataclasses.replace(base, **FIRST_WALK_CHOICES, **FAST_ARITHMETIC)


def seeded(config: CVConfig, seed: int) -> CVConfig:
    """Return the config trained from another seed."""
    return dataclasses.replace(config, seed=seed)


def ladder(start: CVConfig, fold_result: FoldLookup, seeds: tuple[int, ...] = LADDER_SEEDS) -> list[LadderStep]:
    """Walk the ladder's steps from `start`, each trained at every seed; keep a step that raises the mean within budget.

    `fold_result(config)` returns the ablation fold's result of a config (at the
    config's seed), by training it or by reading it back.
    """
    if not seeds:
        raise ValueError("the ladder needs at least one seed")
    current = LadderStep("first walk's CNN", start, tuple(fold_result(seeded(start, seed)) for seed in seeds), kept=True)
    steps = [current]
    for name, change in LADDER:
        config = dataclasses.replace(current.config, **change)
        step_results = tuple(fold_result(seeded(config, seed)) for seed in seeds)
        raises_the_mean = statistics.fmean(result.held_out_accuracy for result in step_results) > current.mean_accuracy
        step = LadderStep(f"+ {name}", config, step_results, raises_the_mean and all(map(within_budget, step_results)))
        steps.append(step)
        if step.kept:
            current = step
    return steps


def ladder_config(steps: list[LadderStep]) -> CVConfig:
    """Return the better CNN's config (at seed 0): the last step the ladder kept."""
    return seeded([step for step in steps if step.kept][-1].config, 0)


def final_configs(config: CVConfig, seeds: tuple[int, ...] = FINAL_SEEDS) -> list[CVConfig]:
    """Return the better CNN's config at each seed of its official-test runs."""
    return [seeded(config, seed) for seed in seeds]


def longer_training(better: CVConfig, epochs: int = LONGER_EPOCHS) -> CVConfig:
    """Return the better CNN with mirrored and shifted training images, trained `epochs` on the ablation fold at LONGER_SEED.

    Augmentation costs a short training more than it teaches (the second walk drops it);
    trained longer than the budget allows, it measures what more time would buy. Its
    result is shown beside the walk and chooses nothing.
    """
    return dataclasses.replace(better, **AUGMENTATION, epochs=epochs, seed=LONGER_SEED)


@dataclasses.dataclass(frozen=True)
class FinalRun:
    """One official-test training of a walk's CNN: its result, or why it was not retrained here, and where it was recorded."""

    config: CVConfig
    result: result_types.TestResult | None
    not_retrained_because: str | None = None
    recorded_in: pathlib.Path | None = None


@dataclasses.dataclass(frozen=True)
class AblationRun:
    """What `run_ablation` did: the first walk's steps, its kept steps at further seeds, and its CNN's official-test runs."""

    steps: list[Step]
    seeded: list["LadderStep"]
    finals: list[FinalRun]


@dataclasses.dataclass(frozen=True)
class LadderRun:
    """What `run_ladder` did: the second walk's steps, the better CNN, its longer training and its official-test runs."""

    steps: list["LadderStep"]
    better: CVConfig
    longer: result_types.FoldResult | None
    finals: list[FinalRun]


def final_run(config: CVConfig, places: Places, record: bool, only_on_recorded_kind: bool = False) -> FinalRun:
    """Train (or read back) a config's official-test run and record it if asked; with `only_on_recorded_kind`, skip it where its record was made on another processor kind."""
    from fmnist.experiments import testset

    reason = why_not_retrained_here(config) if only_on_recorded_kind else None
    if reason is not None:
        return FinalRun(config, None, reason)
    folder, result = testset.run_test(config, results_dir=places.results_dir, data_dir=places.data_dir, scheduler=places.scheduler)
    return FinalRun(config, result, recorded_in=records.record(folder, places.records_dir) if record else None)


def run_ablation(
    base: CVConfig,
    places: Places = Places(),
    further_seeds: tuple[int, ...] = ABLATION_SEEDS,
    final_seeds: tuple[int, ...] = FINAL_SEEDS,
    record: bool = False,
    report: Callable[[str], None] = print,
) -> AblationRun:
    """Walk the first walk (reading back saved or recorded steps, training the rest), score its kept steps at `further_seeds`, then its CNN's official-test run at each of `final_seeds` (none for none)."""
    lookup = recording_fold(record, places, report)
    steps = ablation(base, lookup)
    seeded = seeded_steps(steps, lookup, further_seeds) if further_seeds else []
    finals = [final_run(config, places, record) for config in first_walk_finals(steps, final_seeds)]
    return AblationRun(steps, seeded, finals)


def run_ladder(
    start: CVConfig,
    places: Places = Places(),
    final_seeds: tuple[int, ...] = FINAL_SEEDS,
    longer_epochs: int = 0,
    record: bool = False,
    only_on_recorded_kind: bool = False,
    report: Callable[[str], None] = print,
) -> LadderRun:
    """Walk the second walk from `start`, train the better CNN longer (`longer_epochs`, 0 for not) and run its official test at each final seed."""
    lookup = recording_fold(record, places, report)
    steps = ladder(start, lookup)
    better = ladder_config(steps)
    longer = lookup(longer_training(better, longer_epochs)) if longer_epochs else None
    finals = [final_run(config, places, record, only_on_recorded_kind) for config in final_configs(better, final_seeds)]
    return LadderRun(steps, better, longer, finals)
