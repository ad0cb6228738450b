"""k-fold cross-validation of the paper's CNN, resumable fold by fold and epoch by epoch.

A fold is a plain function of (config, fold index): `run_fold` trains a fresh
model on the fold's training part and returns its result as a dict; given a
checkpoint file, it can stop after some epoch and go on later, in any process, to
the same numbers (`fmnist.checkpoints`). `run_cv` shares the epochs of the folds
that have no saved result yet out evenly between worker processes (`fmnist.schedule`),
one thread per TensorFlow op (`fmnist.backend`), and saves each result atomically as
soon as its fold ends. Each fold's batches are gathered inside its training step
(`fmnist.training`). The noise study's plain `model.fit` loops (`fmnist.baselines`)
save no state between epochs, so their folds are dealt out whole to the workers.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import pathlib
import time
from typing import Callable

import numpy as np

from fmnist import data, results, schedule
from fmnist.config import CVConfig, check_int

Report = Callable[[str], None]

# Evaluation does no training, so a larger batch only makes it faster.
EVAL_BATCH_SIZE = 1024


def fold_indices(config: CVConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (train, held-out) index arrays of every fold, as the paper's KFold makes them."""
    import sklearn.model_selection  # Imported here: a run's parent process never needs it.

    kfold = sklearn.model_selection.KFold(
        n_splits=config.folds, shuffle=True, random_state=config.split_seed
    )
    return list(kfold.split(np.arange(config.num_images)))


def fold_seed(config: CVConfig, fold_index: int) -> int:
    """Return the seed of one fold, derived from the run's seed and the fold's index."""
    return int(np.random.SeedSequence([config.seed, fold_index]).generate_state(1)[0])


def epoch_reporter(config: CVConfig, task: str, report: Report, callbacks_module=None):
    """Return a Keras callback that reports one line per epoch of a task ("fold 2/5", say).

    `callbacks_module` is the callbacks of the Keras that trains (default: Keras 3's).
    """
    if callbacks_module is None:
        from fmnist.backend import keras

        callbacks_module = keras.callbacks
    started = {}

    def on_epoch_begin(epoch, logs=None):
        started["time"] = time.perf_counter()

    def on_epoch_end(epoch, logs=None):
        seconds = time.perf_counter() - started["time"]
        left = (config.epochs - epoch - 1) * seconds
        scores = ", ".join(f"{name} {logs[name]:.4f}" for name in ("accuracy", "val_accuracy") if name in logs)
        report(
            f"{task} epoch {epoch + 1}/{config.epochs}: {scores} "
            f"({seconds:.1f} s; done in about {left:.0f} s)"
        )

    return callbacks_module.LambdaCallback(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end)


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
    checkpoint: str | os.PathLike | None = None,
    until_epoch: int | None = None,
) -> dict | None:
    """Train a fresh model on one fold and return its accuracies, losses and history.

    With a `checkpoint` file, the fold goes on from the training state saved there (if
    any) and saves its state there after every epoch; `until_epoch` then stops it after
    that many epochs, returning None, for it to go on later. The numbers are the same
    as those of one uninterrupted run.
    """
    if not 1 <= fold_index <= config.folds:
        raise ValueError(f"fold_index must be from 1 to {config.folds}, got {fold_index!r}")
    if not config.saves_epochs:
        if until_epoch not in (None, config.epochs):
            raise ValueError(f"trainer {config.trainer!r} trains a fold in one go, so it cannot stop after an epoch")
        return run_plain_fold(config, fold_index, dataset or data.load(), report)
    from fmnist import checkpoints, training

    until_epoch = check_until_epoch(config, until_epoch, checkpoint)
    resumed = checkpoints.load(checkpoint) if checkpoint is not None else None
    if resumed is not None and resumed.epochs_done >= until_epoch:
        raise ValueError(
            f"{checkpoint} has already trained {resumed.epochs_done} epochs, so there is nothing to do until "
            f"epoch {until_epoch}"
        )
    x_train, y_train, x_test, y_test = fold_data(config, fold_index, dataset or data.load())
    started = time.perf_counter()
    cnn, history = train_new_model(
        config,
        fold_seed(config, fold_index),
        x_train,
        y_train,
        f"fold {fold_index}/{config.folds}",
        report,
        resumed=resumed,
        until_epoch=until_epoch,
        callbacks=[checkpoints.saver(checkpoint, resumed, config.epochs)] if checkpoint is not None else [],
        validation_data=(x_test, y_test),
        validation_batch_size=EVAL_BATCH_SIZE,
    )
    if until_epoch < config.epochs:
        return None
    train_loss, train_accuracy = training.evaluate(cnn, x_train, y_train, EVAL_BATCH_SIZE)
    history = checkpoints.merged_history(resumed.history if resumed else {}, history.history)
    # The last epoch's evaluation of the held-out part is the final model's, to the last bit.
    scores = {
        "train_accuracy": float(train_accuracy),
        "train_loss": float(train_loss),
        "test_accuracy": float(history["val_accuracy"][-1]),
        "test_loss": float(history["val_loss"][-1]),
        "history": history,
        "num_parameters": int(cnn.count_params()),
    }
    seconds = (resumed.seconds if resumed else 0.0) + time.perf_counter() - started
    return fold_result(config, fold_index, len(x_train), len(x_test), scores, seconds)


def run_plain_fold(config: CVConfig, fold_index: int, dataset: data.Dataset, report: Report | None) -> dict:
    """Train one fold with a plain `model.fit` loop (`fmnist.baselines`) and return its result."""
    from fmnist import baselines

    train_index, test_index = fold_indices(config)[fold_index - 1]
    images = data.to_model_inputs(dataset.train_images[: config.num_images])
    labels = data.to_one_hot(dataset.train_labels[: config.num_images])
    callbacks_module = baselines.keras_for(config).callbacks
    task = f"fold {fold_index}/{config.folds}"
    callbacks = [epoch_reporter(config, task, report, callbacks_module)] if report else []
    started = time.perf_counter()
    scores = baselines.train_fold(
        config,
        fold_seed(config, fold_index),
        images[train_index],
        labels[train_index],
        images[test_index],
        labels[test_index],
        callbacks,
    )
    seconds = time.perf_counter() - started
    return fold_result(config, fold_index, len(train_index), len(test_index), scores, seconds)


def fold_result(config: CVConfig, fold_index: int, num_train: int, num_test: int, scores: dict, seconds: float) -> dict:
    """Return a fold's result as it is saved: its scores, sizes, seed, wall time and provenance."""
    return {
        "fold_index": fold_index,
        "num_train": int(num_train),
        "num_test": int(num_test),
        **scores,
        "seed": fold_seed(config, fold_index),
        "wall_seconds": seconds,
        "provenance": results.provenance(),
    }


def fold_data(config: CVConfig, fold_index: int, dataset: data.Dataset) -> tuple:
    """Return a fold's training images and labels, then its held-out ones, as tensors.

    The images are held as uint8 pixels and scaled batch by batch inside the steps
    (`fmnist.training`): a float32 copy would take four times the memory, and a worker
    keeps what its earlier folds captured.
    """
    from fmnist import training

    train_index, test_index = fold_indices(config)[fold_index - 1]
    images = dataset.train_images[: config.num_images]
    labels = dataset.train_labels[: config.num_images]
    return training.as_tensors(
        data.to_model_pixels(images[train_index]),
        data.to_one_hot(labels[train_index]),
        data.to_model_pixels(images[test_index]),
        data.to_one_hot(labels[test_index]),
    )


def check_until_epoch(config: CVConfig, until_epoch: object, checkpoint: object) -> int:
    """Return the epoch a fold trains until (all of them by default), refusing one out of range."""
    if until_epoch is None:
        return config.epochs
    check_int("until_epoch", until_epoch, minimum=1, maximum=config.epochs)
    if until_epoch < config.epochs and checkpoint is None:
        raise ValueError("until_epoch stops a fold early, which needs a checkpoint file to go on from later")
    return until_epoch


def train_new_model(
    config: CVConfig,
    seed: int,
    x_train,
    y_train,
    task: str,
    report: Report | None,
    resumed=None,
    until_epoch: int | None = None,
    callbacks: list | None = None,
    **fit_arguments,
):
    """Seed, build the config's model, train it on x_train and y_train, and return it with its history.

    The seed draws the weights, the dropout and augmentation and each epoch's order.
    Training goes on from a `resumed` training state (`fmnist.checkpoints`) when one is
    given, and stops after `until_epoch` epochs (all of them by default). Each epoch is
    reported as one line of `task` when a report is given; the other arguments
    (validation data, say) go to `model.fit`.
    """
    from fmnist import backend, checkpoints, training

    backend.make_deterministic(seed)
    cnn = build_for_training(config, len(x_train))
    if resumed is not None:
        checkpoints.restore(cnn, resumed)
    callbacks = ([epoch_reporter(config, task, report)] if report else []) + list(callbacks or [])
    history = training.fit(
        cnn,
        x_train,
        y_train,
        config.batch_size,
        seed,
        initial_epoch=resumed.epochs_done if resumed is not None else 0,
        epochs=config.epochs if until_epoch is None else until_epoch,
        callbacks=callbacks,
        verbose=0,
        **fit_arguments,
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


def run_fold_in_worker(config: CVConfig, fold_index: int, data_folder: str, checkpoint: str, until_epoch: int) -> dict | None:
    """Train one fold in a worker process until an epoch (see `run_fold`)."""
    return run_fold(config, fold_index, load_in_worker(data_folder), print_flushed, checkpoint, until_epoch)


@functools.lru_cache(maxsize=1)
def load_in_worker(data_folder: str) -> data.Dataset:
    """Load and verify the data once per worker process, for all the folds it trains."""
    return data.load(data_folder)


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

    The epochs to train are shared out evenly between `workers` processes (default:
    one per core; see `fmnist.schedule`), so a fold may start in one process and end
    in another. A fold's training state is saved after every epoch, and its result as
    soon as it ends: an interrupted run goes on from the last epoch saved. The numbers
    do not depend on how many run at once. `only_folds` limits the run (and the folds
    returned) to some fold indices, as the better CNN's ablation does.
    """
    from fmnist import baselines, checkpoints

    baselines.check_installed(config)
    workers = default_workers(config) if workers is None else workers
    check_workers(workers)
    wanted = check_fold_selection(config, only_folds)
    dataset = data.load(data_dir)
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
    train_lanes(config, lanes, folder, str(dataset.folder), epochs_done, record)
    return folder, [done[i] for i in wanted]


def run_each(
    configs: list[CVConfig],
    describe: Callable[[CVConfig], str],
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    report: Report = print,
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
    with worker_pool(len(lanes)) as pool:
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
