"""How the long work would scale on a cluster, worked out from the task times the records measured.

A cluster run is a set of independent tasks, one per fold. With W single-core workers
the wall time is at least the longest task (no task is split) and at least the total
task time over W; `makespan` gives the wall time of the usual greedy schedule (each task,
longest first, to the worker that frees up first), which is never more than 4/3 of the
best possible. The task times come from the records' fold results, which were trained
two folds side by side on a 2-core machine: a worker with a core of its own would run
each of them at least as fast, so the figures are on the slow side.
"""

from __future__ import annotations

import heapq
import os

import pandas as pd

from fmnist import SECONDS_PER_MINUTE, paper
from fmnist.config import CVConfig
from fmnist.store import records, results

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


def recorded_workloads(records_dir: str | os.PathLike | None = None) -> dict[str, list[float]]:
    """Return the measured fold times of the sweep's and the noise study's recorded runs, in seconds, by workload."""
    workloads: dict[str, list[float]] = {"Future Work sweep": [], "noise study": []}
    for folder in records.recorded_runs(records_dir):
        config = records.saved_config(folder)
        if config is None:
            continue
        _, folds = results.load_run(folder)
        seconds = [fold["wall_seconds"] for fold in folds]
        if is_sweep_run(config):
            workloads["Future Work sweep"].extend(seconds)
        if is_noise_run(config):
            workloads["noise study"].extend(seconds)
    return workloads


def scaling_table(workloads: dict[str, list[float]], worker_counts: tuple[int, ...] = WORKER_COUNTS) -> pd.DataFrame:
    """Return, per workload, its tasks, their total and longest time, and its wall time on each number of workers, in minutes."""
    rows = []
    for name, durations in workloads.items():
        if not durations:
            continue
        row = {
            "workload": name,
            "tasks": len(durations),
            "total task time": sum(durations) / SECONDS_PER_MINUTE,
            "longest task (the floor)": max(durations) / SECONDS_PER_MINUTE,
        }
        for workers in worker_counts:
            row[f"{workers} workers"] = makespan(durations, workers) / SECONDS_PER_MINUTE
        rows.append(row)
    return pd.DataFrame(rows).set_index("workload")


def page_facts(table: pd.DataFrame) -> dict:
    """Return the facts the speed page states about the scaling table, by glue name (minutes)."""
    most = f"{max(WORKER_COUNTS)} workers"
    facts = {}
    for label, workload in (("sweep", "Future Work sweep"), ("noise", "noise study")):
        row = table.loc[workload]
        facts[f"{label}_tasks"] = int(row["tasks"])
        facts[f"{label}_total_minutes"] = float(row["total task time"])
        facts[f"{label}_two_workers_minutes"] = float(row["2 workers"])
        facts[f"{label}_most_workers_minutes"] = float(row[most])
        facts[f"{label}_floor_minutes"] = float(row["longest task (the floor)"])
    facts["most_workers"] = max(WORKER_COUNTS)
    return facts
