"""Benchmark: this machine's own worker pool against a Dask cluster of as many workers, on the same work.

Both ways run the same cross-validations, in one run, alternating, each into its own
results folder:

- pool: `fmnist.experiments.cv.run_cv` without a scheduler: the folds' epochs shared out
  evenly between one worker process per core, a fold going on in another worker from
  its saved state where needed (`fmnist.experiments.schedule`).
- cluster: the same call with `scheduler=` a Dask scheduler and one single-threaded
  worker per core started on 127.0.0.1 for the benchmark: each fold is one task, and a
  worker trains it in its child process (`fmnist.experiments.cluster`).

The work: Table I (5 folds; 2 epochs unless `--epochs`) and a sweep of two
configurations (32 filters with `valid` and `same` padding, 5 folds of 1 epoch), all on
the full data. The report gives each way's wall time, the ratio, and whether every fold's
numbers were the same both ways, to the last bit.

    python benchmarks/cluster_speed.py               # Table I at 2 epochs and the sweep, once each way
    python benchmarks/cluster_speed.py --epochs 10   # Table I as the paper trains it

This is a benchmark, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import train_speed  # noqa: E402  (a script beside this one)

from fmnist.config import CVConfig  # noqa: E402
from fmnist.experiments import cluster, cv, sweep  # noqa: E402
from fmnist.store.places import Places  # noqa: E402

DEFAULT_OUTPUT = HERE / "results" / "cluster_speed.json"


def comparable(fold: dict) -> dict:
    """Return a fold's result without what depends on when and where it ran."""
    return {key: value for key, value in fold.items() if key not in ("wall_seconds", "provenance")}


def work(epochs: int) -> dict:
    """Return the benchmark's work: Table I's config and the sweep's two configs."""
    return {
        "table_one": CVConfig(epochs=epochs),
        "sweep": [CVConfig(epochs=1), CVConfig(epochs=1, padding="same")],
    }


def run_both(jobs: dict, results_dir: pathlib.Path, scheduler: str | None) -> tuple[dict, dict]:
    """Run Table I, then the sweep, one way; return each job's seconds and its folds."""
    seconds, folds = {}, {}
    quiet = lambda line: None  # noqa: E731
    started = time.perf_counter()
    _, folds["table_one"] = cv.run_cv(jobs["table_one"], results_dir=results_dir, report=quiet, scheduler=scheduler)
    seconds["table_one"] = time.perf_counter() - started
    started = time.perf_counter()
    runs = sweep.run_sweep(jobs["sweep"], Places(results_dir=results_dir, scheduler=scheduler), report=quiet)
    seconds["sweep"] = time.perf_counter() - started
    folds["sweep"] = [fold for _, _, run in runs for fold in run]
    return seconds, folds


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=2, help="epochs of Table I's folds (default: %(default)s)")
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT, help="report file (default: %(default)s)")
    args = parser.parse_args(argv)
    jobs = work(args.epochs)
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="cluster-speed-") as scratch:
        scratch = pathlib.Path(scratch)
        pool_seconds, pool_folds = run_both(jobs, scratch / "pool", None)
        print(f"pool: {pool_seconds}", flush=True)
        with cluster.local_cluster(scratch / "dask", {f"w{index}": {} for index in range(workers)}) as address:
            cluster_seconds, cluster_folds = run_both(jobs, scratch / "cluster", address)
        print(f"cluster: {cluster_seconds}", flush=True)
    same = {
        job: [comparable(fold) for fold in pool_folds[job]] == [comparable(fold) for fold in cluster_folds[job]]
        for job in jobs
    }
    report = {
        "setup": {"table_one_epochs": args.epochs, "sweep_epochs": 1, "folds": 5, "workers": workers},
        "machine": train_speed.machine(),
        "seconds": {"pool": pool_seconds, "cluster": cluster_seconds},
        "cluster_over_pool": {job: cluster_seconds[job] / pool_seconds[job] for job in jobs},
        "same_numbers": same,
    }
    train_speed.write_report(report, args.output)
    print(f"cluster time over pool time: {report['cluster_over_pool']}; same numbers: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
