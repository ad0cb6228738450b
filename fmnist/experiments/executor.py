"""The executor: worker processes that run the experiments' training tasks.

A task is one segment of a fold (`fmnist.experiments.schedule`) or one official-test
run. Each runs in a fresh "spawn" process that starts TensorFlow with its share of the
cores (`fmnist.engine.backend`), so nothing the calling process did (a notebook
kernel, say) changes the numbers. `train_lanes` runs each lane's segments in turn,
one process per lane, and hands every finished fold to the caller to save at once.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import pathlib
from typing import Callable

from fmnist.config import CVConfig
from fmnist.data import fashion_mnist
from fmnist.engine import fold_training
from fmnist.experiments import schedule
from fmnist.store import results


def worker_pool(workers: int, config: CVConfig | None = None) -> concurrent.futures.ProcessPoolExecutor:
    """Return a pool of fresh "spawn" processes that share the cores out between them.

    A fresh process starts TensorFlow with the arithmetic of the config it trains (one
    thread per op and TensorFlow's own kernels by default), whatever the calling
    process (a notebook kernel, say) has done before.
    """
    config = config or CVConfig()
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(workers, config.threads, config.onednn),
    )


def start_worker(workers: int, threads: int = 1, onednn: bool = False) -> None:
    """Start TensorFlow in a worker process with its share of the cores and a run's arithmetic (see `fmnist.engine.backend`)."""
    from fmnist.engine import arithmetic

    arithmetic.configure_before_start(onednn)
    from fmnist.engine import backend

    backend.use_cores(workers, threads)


def run_fold_in_worker(config: CVConfig, fold_index: int, data_folder: str, checkpoint: str, until_epoch: int) -> dict | None:
    """Train one fold in a worker process until an epoch (see `fmnist.engine.fold_training.run_fold`)."""
    return fold_training.run_fold(config, fold_index, load_in_worker(data_folder), print_flushed, checkpoint, until_epoch)


@functools.lru_cache(maxsize=1)
def load_in_worker(data_folder: str | None) -> fashion_mnist.Dataset:
    """Load and verify the data once per worker process, for all the folds it trains (None: find it as `fmnist data` does)."""
    return fashion_mnist.load(data_folder)


def print_flushed(line: str) -> None:
    """Print a line from a worker process at once."""
    print(line, flush=True)


def train_lanes(
    config: CVConfig,
    lanes: list[list[schedule.Segment]],
    folder: pathlib.Path,
    data_folder: str,
    epochs_done: dict[int, int],
    record: Callable[[dict, int], None],
) -> None:
    """Train each lane's segments in turn, one worker process per lane; record each fold as it ends.

    A fold split between two lanes goes on in the second only once its first epochs
    are saved, whichever lane gets there first.
    """
    if not lanes:
        return
    position = [0] * len(lanes)
    running: dict[concurrent.futures.Future, tuple[int, schedule.Segment]] = {}
    epochs_trained = 0
    with worker_pool(len(lanes), config) as pool:
        while True:
            busy = {lane for lane, _ in running.values()}
            for lane, segments in enumerate(lanes):
                if lane in busy or position[lane] == len(segments):
                    continue
                segment = segments[position[lane]]
                if epochs_done[segment.fold_index] != segment.first_epoch:
                    continue  # Its first epochs are still training in another lane.
                position[lane] += 1
                checkpoint = str(results.fold_state_path(folder, segment.fold_index)) if config.saves_epochs else None
                future = pool.submit(
                    run_fold_in_worker, config, segment.fold_index, data_folder, checkpoint, segment.last_epoch
                )
                running[future] = (lane, segment)
            if not running:
                break
            finished, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                _, segment = running.pop(future)
                result = future.result()
                epochs_done[segment.fold_index] = segment.last_epoch
                epochs_trained += segment.num_epochs
                if result is not None:
                    record(result, epochs_trained)
    if position != [len(segments) for segments in lanes]:
        raise RuntimeError(f"the lanes {lanes} could not all be trained: a split fold waited on itself")
