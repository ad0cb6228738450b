"""The executor: worker processes that run the experiments' training tasks.

A task is one segment of a fold (`fmnist.experiments.schedule`) or one official-test
run. Each runs in a fresh "spawn" process that starts TensorFlow with its share of the
cores (`fmnist.engine.backend`), so nothing the calling process did (a notebook
kernel, say) changes the numbers. `train_lanes` runs each lane's segments in turn,
one process per lane, and hands every finished fold to the caller to save at once.

The calling process alone decides when a run stops. The workers ignore Ctrl-C (the
terminal sends it to the whole process group), and when the caller stops for any reason
(Ctrl-C, SIGTERM, an error) `worker_pool` ends them at once, losing only the epoch each
was in: a fold's state is saved after every epoch. A worker whose caller died without
ending it (SIGKILL) ends itself within a second (`end_with_parent`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import multiprocessing
import os
import pathlib
import signal
import threading
import time
from typing import Callable, Iterator

from fmnist import provenance
from fmnist.config import CVConfig
from fmnist.data import fashion_mnist
from fmnist.engine import checkpoints, fold_training
from fmnist.experiments import schedule


# How long a worker process may take to end when told to, before it is killed; how often a
# worker looks whether the process that started it is still alive.
STOP_TIMEOUT_SECONDS = 10
PARENT_POLL_SECONDS = 1.0


@contextlib.contextmanager
def worker_pool(workers: int, config: CVConfig | None = None) -> Iterator[concurrent.futures.ProcessPoolExecutor]:
    """Yield a pool of fresh "spawn" processes that share the cores out between them; end them at once if the caller stops.

    A fresh process starts TensorFlow with the arithmetic of the config it trains (one
    thread per op and TensorFlow's own kernels by default), whatever the calling
    process (a notebook kernel, say) has done before. On leaving normally, the pool
    waits for its tasks; on an exception (Ctrl-C included) it cancels the tasks not
    started and ends the processes that run the others.
    """
    config = config or CVConfig()
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(workers, config.threads, config.onednn, os.getpid()),
    )
    try:
        yield pool
    except BaseException:
        end_pool(pool)
        raise
    pool.shutdown(wait=True)


def end_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Cancel a pool's waiting tasks and end its processes now, killing any that does not end in time.

    `ProcessPoolExecutor.shutdown` would wait for the running tasks, whole folds of
    training; Python 3.14's `terminate_workers` does this, and until then its processes
    are reached through the pool's own table of them.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def end_with_parent(parent: int) -> None:
    """End this process as soon as its parent process (`parent`, a process id) is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def start_worker(workers: int, threads: int = 1, onednn: bool = False, parent: int | None = None) -> None:
    """Start TensorFlow in a worker process with its share of the cores and a run's arithmetic (see `fmnist.engine.backend`).

    The worker leaves Ctrl-C to the process that started it (`parent`), which ends it,
    and ends itself if that process is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    provenance.name_training_process()
    if parent is not None:
        threading.Thread(target=end_with_parent, args=(parent,), daemon=True).start()
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
                checkpoint = str(checkpoints.fold_state_path(folder, segment.fold_index)) if config.saves_epochs else None
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
