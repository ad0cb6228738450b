"""How the long work would scale on a cluster, worked out from the task times the records measured.

A cluster run is a set of independent tasks, one per fold. With W single-core workers
the wall time is at least the longest task (no task is split) and at least the total
task time over W; `makespan` gives the wall time of the usual greedy schedule (each task,
longest first, to the worker that frees up first), which is never more than 4/3 of the
best possible. The task times come from the records' fold results, and only from those
timed on a quiet machine (`fmnist.analysis.timing`): a fold that shared its cores with
other work took longer than the fold itself needs, and a record older than the load
record cannot say. A workload without quiet times gets no figures.
"""

from __future__ import annotations

import heapq
import os

import pandas as pd

from fmnist import SECONDS_PER_MINUTE, paper
from fmnist.analysis import formatting, timing
from fmnist.config import CVConfig
from fmnist.store import records, result_types, results

WORKER_COUNTS = (2, 10, 40)


def makespan(durations: list[float], workers: int) -> float:
    """Return the wall time of running tasks of these durations on `workers` workers, longest first, each to the first free worker."""
    if workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    finish_times = [0.0] * workers
    for duration in sorted(durations, reverse=True):
        heapq.heapreplace(finish_times, finish_times[0] + duration)
    return max(finish_times)


def is_sweep_run(config: CVConfig) -> bool:
    """Return whether a recorded config belongs to the Future Work sweep (the paper's model at any filters and padding)."""
    return config.is_paper_model and config.epochs == paper.EPOCHS and config.seed == 0 and config.trainer == "fmnist" and not config.subset


def is_noise_run(config: CVConfig) -> bool:
    """Return whether a recorded config belongs to the noise study (the paper's settings at any seed and training loop)."""
    return (
        config.is_paper_model
        and config.epochs == paper.EPOCHS
        and (config.filters, config.padding) == (paper.FILTERS, paper.PADDING)
        and not config.subset
    )


WORKLOADS = ("Future Work sweep", "noise study")


def recorded_folds(records_dir: str | os.PathLike | None = None) -> dict[str, result_types.FoldResult]:
    """Return the fold results of the sweep's and the noise study's recorded runs, by workload."""
    workloads: dict[str, result_types.FoldResult] = {name: [] for name in WORKLOADS}
    for folder in records.recorded_runs(records_dir):
        config = records.saved_config(folder)
        if config is None:
            continue
        _, folds = results.load_run(folder)
        if is_sweep_run(config):
            workloads["Future Work sweep"].extend(folds)
        if is_noise_run(config):
            workloads["noise study"].extend(folds)
    return workloads


def quiet_durations(folds: result_types.FoldResult) -> list[float]:
    """Return the fold times in seconds of the folds timed on a quiet machine."""
    return [fold.wall_seconds for fold in folds if timing.load_state(fold) == timing.QUIET]


def scaling_table(workloads: dict[str, result_types.FoldResult], worker_counts: tuple[int, ...] = WORKER_COUNTS) -> pd.DataFrame:
    """Return, per workload, its tasks, how many were timed on a quiet machine, and from those its total and longest time and its wall time on each number of workers, in minutes (blank without quiet times)."""
    rows = []
    for name, folds in workloads.items():
        durations = quiet_durations(folds)
        row = {"workload": name, "tasks": len(folds), "timed quiet": len(durations)}
        if durations:
            row["total task time"] = sum(durations) / SECONDS_PER_MINUTE
            row["longest task (the floor)"] = max(durations) / SECONDS_PER_MINUTE
            for workers in worker_counts:
                row[f"{workers} workers"] = makespan(durations, workers) / SECONDS_PER_MINUTE
        rows.append(row)
    columns = ["workload", "tasks", "timed quiet", "total task time", "longest task (the floor)", *[f"{workers} workers" for workers in worker_counts]]
    return pd.DataFrame(rows, columns=columns).set_index("workload")


def scaling_text(table: pd.DataFrame) -> str:
    """Return, in words, what the recorded fold times say about more workers, from the quiet ones only."""
    timed = table[table["timed quiet"] > 0]
    untimed = table[table["timed quiet"] == 0]
    parts = []
    most = f"{max(WORKER_COUNTS)} workers"
    for name, row in timed.iterrows():
        scaled = "" if row["timed quiet"] == row["tasks"] else f" (only the {int(row['timed quiet'])} of its {int(row['tasks'])} folds timed on a quiet machine)"
        parts.append(
            f"The recorded {name}{scaled} is {row['total task time']:.0f} minutes of training: {row['2 workers']:.0f} minutes on two "
            f"workers, {row[most]:.0f} on {max(WORKER_COUNTS)}, where its longest fold ({row['longest task (the floor)']:.0f} minutes) is the floor."
        )
    if not untimed.empty:
        names = formatting.listing([f"the {name}'s {int(row['tasks'])} folds" for name, row in untimed.iterrows()])
        parts.append(
            f"No recorded fold time of {names} was taken on a quiet machine: those records are older than the load "
            "record, and some of them shared their cores with other training, so their times hold other work as "
            "well as their own and give no scaling figures. A workload recorded again on a quiet machine "
            "fills its row."
        )
    return " ".join(parts)
