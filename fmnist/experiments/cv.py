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

import os
import pathlib
import time
from typing import Callable

from fmnist.config import CVConfig, check_int
from fmnist.data import fashion_mnist
from fmnist.engine import fold_training
from fmnist.experiments import executor, schedule
from fmnist.store import results


def default_workers(config: CVConfig) -> int:
    """Return one worker per core, but no more than there are folds."""
    return max(1, min(config.folds, os.cpu_count() or 1))


def run_cv(
    config: CVConfig,
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: fold_training.Report = print,
    only_folds: list[int] | None = None,
) -> tuple[pathlib.Path, list[dict]]:
    """Run every fold that has no saved result and return the run's folder and its folds.

    The epochs to train are shared out evenly between `workers` processes (default:
    one per core; see `fmnist.experiments.schedule`), so a fold may start in one process and end
    in another. A fold's training state is saved after every epoch, and its result as
    soon as it ends: an interrupted run goes on from the last epoch saved. The numbers
    do not depend on how many run at once. `only_folds` limits the run (and the folds
    returned) to some fold indices, as the better CNN's ablation does.
    """
    from fmnist.engine import baselines, checkpoints

    baselines.check_installed(config)
    workers = default_workers(config) if workers is None else workers
    check_workers(workers)
    wanted = check_fold_selection(config, only_folds)
    dataset = fashion_mnist.load(data_dir)
    folder = results.open_run(results_dir or results.default_results_dir(), config, dataset.checksums)
    done = {i: results.read_fold(folder, i) for i in wanted}
    for i, result in done.items():
        if result is not None:
            # Left by a run stopped between saving the fold's result and deleting its state.
            checkpoints.discard(results.fold_state_path(folder, i))
    epochs_done = {i: checkpoints.epochs_done(results.fold_state_path(folder, i)) for i, r in done.items() if r is None}
    going_on = "".join(f"; fold {i} goes on after epoch {n}" for i, n in epochs_done.items() if n)
    report(
        f"{folder}: {len(wanted) - len(epochs_done)} of {len(wanted)} folds already saved, "
        f"{len(epochs_done)} to train{going_on}"
    )
    started = time.perf_counter()
    epochs_to_train = sum(config.epochs - n for n in epochs_done.values())

    def record(result: dict, epochs_trained: int) -> None:
        results.save_fold(folder, result)
        checkpoints.discard(results.fold_state_path(folder, result["fold_index"]))
        done[result["fold_index"]] = result
        left = (time.perf_counter() - started) * (epochs_to_train / epochs_trained - 1)
        report(
            f"fold {result['fold_index']}/{config.folds} saved: "
            f"held-out accuracy {result['test_accuracy']:.4f}, "
            f"{result['wall_seconds']:.0f} s; about {left / 60:.1f} min left"
        )

    if config.saves_epochs:
        lanes = schedule.plan_lanes(epochs_done, config.epochs, workers)
    else:
        lanes = schedule.whole_folds(list(epochs_done), config.epochs, workers)
    executor.train_lanes(config, lanes, folder, str(dataset.folder), epochs_done, record)
    return folder, [done[i] for i in wanted]


def run_each(
    configs: list[CVConfig],
    describe: Callable[[CVConfig], str],
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: fold_training.Report = print,
) -> list[tuple[CVConfig, pathlib.Path, list[dict]]]:
    """Run several configurations' cross-validations in turn (reusing saved folds); return each run.

    `describe(config)` names a configuration in the line reported before it.
    """
    runs = []
    for number, config in enumerate(configs, start=1):
        report(f"configuration {number}/{len(configs)}: {describe(config)}")
        folder, folds = run_cv(config, results_dir=results_dir, data_dir=data_dir, workers=workers, report=report)
        runs.append((config, folder, folds))
    return runs


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
