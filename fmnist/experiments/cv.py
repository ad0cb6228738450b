"""k-fold cross-validation of the paper's CNN, resumable fold by fold and epoch by epoch.

A fold is trained by the engine (`fmnist.engine.fold_training.run_fold`). `run_cv` shares the
epochs of the folds that have no saved result yet out evenly between worker processes
(`fmnist.experiments.schedule`, run by `fmnist.experiments.executor`) and saves each
result atomically as soon as its fold ends; a fold's training state is saved after every
epoch, so an interrupted run goes on from the last epoch saved. The noise study's plain
`model.fit` loops (`fmnist.engine.baselines`) save no state between epochs, so their
folds are dealt out whole to the workers.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import time
from typing import Callable

from fmnist.config import CVConfig, check_int
from fmnist.data import fashion_mnist
from fmnist.engine import checkpoints, fold_training
from fmnist.experiments import cluster, executor, schedule
from fmnist.store import result_types, results, usage
from fmnist.store.places import Places


def default_workers(config: CVConfig) -> int:
    """Return one worker per core, but no more than there are folds."""
    return max(1, min(config.folds, os.cpu_count() or 1))


@dataclasses.dataclass
class PendingRun:
    """A run's folder and the folds asked for: those saved, and how far each other fold has trained."""

    config: CVConfig
    folder: pathlib.Path
    done: dict[int, result_types.FoldResult | None]
    epochs_done: dict[int, int]
    report: fold_training.Report
    started: float = dataclasses.field(default_factory=time.perf_counter)

    def epochs_to_train(self, from_scratch: bool = False) -> int:
        """Return the epochs left to train (all of every unsaved fold's, `from_scratch`)."""
        return sum(self.config.epochs - (0 if from_scratch else n) for n in self.epochs_done.values())

    def record(self, saved: dict, epochs_trained: int, epochs_to_train: int) -> None:
        """Save a finished fold (as the engine returned it) at once, drop its training state, and report it with the time left."""
        results.save_fold(self.folder, saved)
        result = result_types.FoldResult.from_saved(saved)
        checkpoints.discard(checkpoints.fold_state_path(self.folder, result.fold_index))
        self.done[result.fold_index] = result
        left = (time.perf_counter() - self.started) * (epochs_to_train / epochs_trained - 1)
        self.report(
            f"fold {result.fold_index}/{self.config.folds} saved: "
            f"held-out accuracy {result.held_out_accuracy:.4f}, "
            f"{result.wall_seconds:.0f} s; about {left / 60:.1f} min left"
        )

    def folds(self) -> list[result_types.FoldResult]:
        """Return the results of the folds asked for, in order."""
        return [self.done[index] for index in sorted(self.done)]


def open_pending(
    config: CVConfig,
    results_dir: str | os.PathLike | None,
    dataset: fashion_mnist.Dataset,
    only_folds: list[int] | None,
    report: fold_training.Report,
) -> PendingRun:
    """Open a config's run folder, read back its saved folds, and report what is left to train."""
    wanted = check_fold_selection(config, only_folds)
    folder = results.open_run(results_dir or results.default_results_dir(), config, dataset.checksums)
    done = {
        i: results.read_or_set_aside(
            lambda: results.read_fold(folder, i, config), results.fold_path(folder, i), report, f"fold {i} is trained again"
        )
        for i in wanted
    }
    for i, result in done.items():
        if result is not None:
            # Left by a run stopped between saving the fold's result and deleting its state.
            checkpoints.discard(checkpoints.fold_state_path(folder, i))
    epochs_done = {i: checkpoints.epochs_done(checkpoints.fold_state_path(folder, i)) for i, r in done.items() if r is None}
    going_on = "".join(f"; fold {i} goes on after epoch {n}" for i, n in epochs_done.items() if n)
    usage.note(folder, usage.TRAINED_NOW if epochs_done else usage.COMPUTED_EARLIER)
    report(
        f"run {folder.name}: {len(wanted) - len(epochs_done)} of {len(wanted)} folds already saved "
        f"(read back, not trained again), {len(epochs_done)} to train now{going_on}"
    )
    return PendingRun(config, folder, done, epochs_done, report)


def run_cv(
    config: CVConfig,
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: fold_training.Report = print,
    only_folds: list[int] | None = None,
    scheduler: str | None = None,
) -> tuple[pathlib.Path, list[dict]]:
    """Run every fold that has no saved result and return the run's folder and its folds.

    On this machine, the epochs to train are shared out evenly between `workers`
    processes (default: one per core; see `fmnist.experiments.schedule`), so a fold may
    start in one process and end in another. A fold's training state is saved after
    every epoch, and its result as soon as it ends: an interrupted run goes on from the
    last epoch saved. With a Dask `scheduler` address, each unsaved fold is one task on
    the cluster (`fmnist.experiments.cluster`) and its result is saved as it arrives. The
    numbers do not depend on how many run at once, nor where. `only_folds` limits the
    run (and the folds returned) to some fold indices, as the better CNN's ablation does.
    """
    from fmnist.engine import baselines

    baselines.check_installed(config)
    workers = default_workers(config) if workers is None else workers
    check_workers(workers)
    check_fold_selection(config, only_folds)
    client = cluster.client_for(scheduler) if scheduler else None
    dataset = fashion_mnist.load(data_dir)
    pending = open_pending(config, results_dir, dataset, only_folds, report)
    if client is not None:
        train_on_cluster(client, [pending])
        return pending.folder, pending.folds()
    epochs_to_train = pending.epochs_to_train()

    def record(result: dict, epochs_trained: int) -> None:
        pending.record(result, epochs_trained, epochs_to_train)

    if config.saves_epochs:
        lanes = schedule.plan_lanes(pending.epochs_done, config.epochs, workers)
    else:
        lanes = schedule.whole_folds(list(pending.epochs_done), config.epochs, workers)
    executor.train_lanes(config, lanes, pending.folder, str(dataset.folder), pending.epochs_done, record)
    return pending.folder, pending.folds()


def train_on_cluster(client, pendings: list[PendingRun]) -> None:
    """Train every unsaved fold of some runs as tasks on a Dask cluster, saving each as it arrives."""
    by_config = {pending.config: pending for pending in pendings}
    if len(by_config) != len(pendings):
        raise ValueError("each configuration may be run once at a time")
    epochs_to_train = sum(pending.epochs_to_train(from_scratch=True) for pending in pendings)
    trained = {"epochs": 0}

    def record(config: CVConfig, result: dict) -> None:
        trained["epochs"] += config.epochs
        by_config[config].record(result, trained["epochs"], epochs_to_train)

    folds = [(pending.config, index) for pending in pendings for index in pending.epochs_done]
    cluster.run_folds(client, folds, record)


def run_each(
    configs: list[CVConfig],
    describe: Callable[[CVConfig], str],
    places: Places = Places(),
    workers: int | None = None,
    report: fold_training.Report = print,
) -> list[tuple[CVConfig, pathlib.Path, list[result_types.FoldResult]]]:
    """Run several configurations' cross-validations (reusing saved folds); return each run.

    On this machine they run in turn. With a Dask scheduler (`places.scheduler`), the unsaved
    folds of all of them go to the cluster at once. `describe(config)` names a configuration
    in the line reported before it.
    """
    results_dir, data_dir, scheduler = places.results_dir, places.data_dir, places.scheduler
    if not scheduler:
        runs = []
        for number, config in enumerate(configs, start=1):
            report(f"configuration {number}/{len(configs)}: {describe(config)}")
            folder, folds = run_cv(config, results_dir=results_dir, data_dir=data_dir, workers=workers, report=report)
            runs.append((config, folder, folds))
        return runs
    from fmnist.engine import baselines

    for config in configs:
        baselines.check_installed(config)
    client = cluster.client_for(scheduler)
    dataset = fashion_mnist.load(data_dir)
    pendings = []
    for number, config in enumerate(configs, start=1):
        report(f"configuration {number}/{len(configs)}: {describe(config)}")
        pendings.append(open_pending(config, results_dir, dataset, None, report))
    train_on_cluster(client, pendings)
    return [(pending.config, pending.folder, pending.folds()) for pending in pendings]


def check_workers(workers: object) -> None:
    """Raise ValueError unless workers is an integer >= 1."""
    check_int("workers", workers, minimum=1)


def check_fold_selection(config: CVConfig, only_folds: list[int] | None) -> list[int]:
    """Return the fold indices to run, in order, refusing any outside 1..folds."""
    every_fold = list(range(1, config.folds + 1))
    if only_folds is None:
        return every_fold
    wanted = sorted(set(only_folds))
    if not wanted or any(index not in every_fold for index in wanted):
        raise ValueError(
            f"only_folds must name folds from 1 to {config.folds}, got {list(only_folds)!r}"
        )
    return wanted
