"""k-fold cross-validation of the paper's CNN, one resumable fold at a time.

A fold is a plain function of (config, fold index): `run_fold` trains a fresh
model on the fold's training part and returns its result as a dict. `run_cv`
runs the folds that have no saved result yet in worker processes, one
thread per TensorFlow op (see `fmnist.backend`), and saves each result
atomically as soon as its fold ends. Each fold's batches are gathered inside
its training step (see `fmnist.training`).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pathlib
import time
from typing import Callable

import numpy as np
import sklearn.model_selection

from fmnist import data, results
from fmnist.config import CVConfig

Report = Callable[[str], None]

# Evaluation does no training, so a larger batch only makes it faster.
EVAL_BATCH_SIZE = 1024


def fold_indices(config: CVConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (train, held-out) index arrays of every fold, as the paper's KFold makes them."""
    kfold = sklearn.model_selection.KFold(
        n_splits=config.folds, shuffle=True, random_state=config.split_seed
    )
    return list(kfold.split(np.arange(config.num_images)))


def fold_seed(config: CVConfig, fold_index: int) -> int:
    """Return the seed of one fold, derived from the run's seed and the fold's index."""
    return int(np.random.SeedSequence([config.seed, fold_index]).generate_state(1)[0])


def epoch_reporter(config: CVConfig, task: str, report: Report):
    """Return a Keras callback that reports one line per epoch of a task ("fold 2/5", say)."""
    from fmnist.backend import keras

    class EpochReport(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.started
            left = (config.epochs - epoch - 1) * seconds
            scores = ", ".join(f"{name} {logs[name]:.4f}" for name in ("accuracy", "val_accuracy") if name in logs)
            report(
                f"{task} epoch {epoch + 1}/{config.epochs}: {scores} "
                f"({seconds:.1f} s; done in about {left:.0f} s)"
            )

    return EpochReport()


def worker_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """Return a pool of fresh "spawn" processes that share the cores out between them.

    A fresh process starts TensorFlow with fmnist's thread count, whatever the
    calling process (a notebook kernel, say) has done before.
    """
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(workers,),
    )


def start_worker(workers: int) -> None:
    """Start TensorFlow in a worker process with its share of the cores (see `fmnist.backend`)."""
    from fmnist import backend

    backend.use_cores(workers)


def run_fold(
    config: CVConfig,
    fold_index: int,
    dataset: data.Dataset | None = None,
    report: Report | None = None,
) -> dict:
    """Train a fresh model on one fold and return its accuracies, losses and history."""
    if not 1 <= fold_index <= config.folds:
        raise ValueError(f"fold_index must be from 1 to {config.folds}, got {fold_index!r}")
    from fmnist import backend, training

    dataset = dataset or data.load()
    train_index, test_index = fold_indices(config)[fold_index - 1]
    # Convert each part on its own: a float32 copy of all 60,000 images would cost 188 MB more.
    images = dataset.train_images[: config.num_images]
    labels = dataset.train_labels[: config.num_images]
    # Held as tensors, which the batches and the evaluations share, so no second copy is made.
    x_train, y_train = training.as_tensors(data.to_model_inputs(images[train_index]), data.to_one_hot(labels[train_index]))
    x_test, y_test = training.as_tensors(data.to_model_inputs(images[test_index]), data.to_one_hot(labels[test_index]))

    backend.make_deterministic(fold_seed(config, fold_index))
    started = time.perf_counter()
    cnn, history = train_new_model(
        config,
        x_train,
        y_train,
        f"fold {fold_index}/{config.folds}",
        report,
        validation_data=(x_test, y_test),
        validation_batch_size=EVAL_BATCH_SIZE,
    )
    train_loss, train_accuracy = cnn.evaluate(x_train, y_train, batch_size=EVAL_BATCH_SIZE, verbose=0)
    test_loss, test_accuracy = cnn.evaluate(x_test, y_test, batch_size=EVAL_BATCH_SIZE, verbose=0)
    return {
        "fold_index": fold_index,
        "num_train": int(len(train_index)),
        "num_test": int(len(test_index)),
        "train_accuracy": float(train_accuracy),
        "train_loss": float(train_loss),
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "history": {name: [float(v) for v in values] for name, values in history.history.items()},
        "num_parameters": int(cnn.count_params()),
        "seed": fold_seed(config, fold_index),
        "wall_seconds": time.perf_counter() - started,
        "provenance": results.provenance(),
    }


def train_new_model(config: CVConfig, x_train, y_train, task: str, report: Report | None, **fit_arguments):
    """Build the config's model, train it on x_train and y_train, and return it with its history.

    Each epoch is reported as one line of `task` when a report is given; the other
    arguments (validation data, say) go to `model.fit`. Seed first: the weights are drawn here.
    """
    from fmnist import training

    cnn = build_for_training(config, len(x_train))
    callbacks = [epoch_reporter(config, task, report)] if report else []
    history = training.fit(
        cnn, x_train, y_train, config.batch_size, epochs=config.epochs, callbacks=callbacks, verbose=0, **fit_arguments
    )
    return cnn, history


def build_for_training(config: CVConfig, num_train: int):
    """Build the config's model to run a whole epoch per call into TensorFlow; the arithmetic is unchanged."""
    from fmnist import model, training

    return model.build_model(
        config, num_train=num_train, steps_per_execution=training.num_batches(num_train, config.batch_size)
    )


def default_workers(config: CVConfig) -> int:
    """Return one worker per core, but no more than there are folds."""
    return max(1, min(config.folds, os.cpu_count() or 1))


def run_fold_in_worker(config: CVConfig, fold_index: int, data_folder: str) -> dict:
    """Load the data in a worker process and run one fold there."""
    return run_fold(config, fold_index, data.load(data_folder), report=print_flushed)


def print_flushed(line: str) -> None:
    """Print a line from a worker process at once."""
    print(line, flush=True)


def run_cv(
    config: CVConfig,
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: Report = print,
    only_folds: list[int] | None = None,
) -> tuple[pathlib.Path, list[dict]]:
    """Run every fold that has no saved result and return the run's folder and its folds.

    Folds run in `workers` processes at once (default: one per core), and the folds
    left over after the full rounds in fewer processes with more threads each
    (`worker_groups`). The numbers do not depend on how many run at once.
    `only_folds` limits the run (and the folds returned) to some fold indices, as the
    better CNN's ablation does.
    """
    workers = default_workers(config) if workers is None else workers
    check_workers(workers)
    wanted = check_fold_selection(config, only_folds)
    dataset = data.load(data_dir)
    folder = results.open_run(results_dir or results.default_results_dir(), config, dataset.checksums)
    done = {i: results.read_fold(folder, i) for i in wanted}
    pending = [i for i, result in done.items() if result is None]
    report(
        f"{folder}: {len(wanted) - len(pending)} of {len(wanted)} folds already saved, "
        f"{len(pending)} to train"
    )
    started = time.perf_counter()

    def record(result: dict) -> None:
        results.save_fold(folder, result)
        done[result["fold_index"]] = result
        finished = sum(r is not None for r in done.values())
        elapsed = time.perf_counter() - started
        trained = finished - (len(wanted) - len(pending))
        left = elapsed / trained * (len(wanted) - finished)
        report(
            f"fold {result['fold_index']}/{config.folds} saved: "
            f"held-out accuracy {result['test_accuracy']:.4f}, "
            f"{result['wall_seconds']:.0f} s; about {left / 60:.1f} min left"
        )

    for group in worker_groups(pending, workers):
        with worker_pool(min(workers, len(group))) as pool:
            futures = [pool.submit(run_fold_in_worker, config, i, str(dataset.folder)) for i in group]
            for future in concurrent.futures.as_completed(futures):
                record(future.result())
    return folder, [done[i] for i in wanted]


def worker_groups(pending: list[int], workers: int) -> list[list[int]]:
    """Split the folds to train into groups, each trained by a pool of its own.

    Five folds on two workers would leave one worker idle for the last fold. The folds
    left over once every worker has had its full share train in a smaller pool of
    their own, whose processes share all the cores out between them.
    """
    full_rounds = len(pending) - len(pending) % workers
    groups = [pending[:full_rounds], pending[full_rounds:]]
    return [group for group in groups if group]


def check_workers(workers: object) -> None:
    """Raise ValueError unless workers is an integer >= 1."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")


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
