"""One fold of the cross-validation: its images, its seed, its training and its result.

A fold is a plain function of (config, fold index): `run_fold` trains a fresh model on
the fold's training part and returns its result as a dict. Given a checkpoint file it
can stop after some epoch and go on later, in any process, to the same numbers
(`fmnist.engine.checkpoints`). The noise study's plain `model.fit` loops
(`fmnist.engine.baselines`) train a fold in one go.
"""

from __future__ import annotations

import os
import time
from typing import Callable

import numpy as np

from fmnist import provenance
from fmnist.config import CVConfig, check_int
from fmnist.data import fashion_mnist


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


def run_fold(
    config: CVConfig,
    fold_index: int,
    dataset: fashion_mnist.Dataset | None = None,
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
        return run_plain_fold(config, fold_index, dataset or fashion_mnist.load(), report)
    from fmnist.engine import checkpoints, training

    until_epoch = check_until_epoch(config, until_epoch, checkpoint)
    resumed = checkpoints.load(checkpoint) if checkpoint is not None else None
    if resumed is not None and resumed.epochs_done >= until_epoch:
        raise ValueError(
            f"{checkpoint} has already trained {resumed.epochs_done} epochs, so there is nothing to do until "
            f"epoch {until_epoch}"
        )
    x_train, y_train, x_test, y_test = fold_data(config, fold_index, dataset or fashion_mnist.load())
    started = time.perf_counter()
    cnn, history = training.train_new_model(
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
        **flip_averaged_scores(config, cnn, x_test, y_test),
        "train_accuracy": float(train_accuracy),
        "train_loss": float(train_loss),
        "test_accuracy": float(history["val_accuracy"][-1]),
        "test_loss": float(history["val_loss"][-1]),
        "history": history,
        "num_parameters": int(cnn.count_params()),
    }
    seconds = (resumed.seconds if resumed else 0.0) + time.perf_counter() - started
    return fold_result(config, fold_index, len(x_train), len(x_test), scores, seconds)


def flip_averaged_scores(config: CVConfig, cnn, x_test, y_test, probabilities=None) -> dict:
    """Return the held-out accuracy with flip test-time augmentation, for the better CNN's runs (none for the paper's model).

    It is a score of its own, kept apart from the plain one: the image and its mirror
    image are both classified and their softmax outputs averaged (`probabilities`, the
    outputs on the images themselves, are reused where already computed).
    """
    from fmnist.engine import training

    if config.is_paper_model:
        return {}
    return {"test_accuracy_flip_averaged": training.flip_averaged_accuracy(cnn, x_test, y_test, EVAL_BATCH_SIZE, probabilities)}


def run_plain_fold(config: CVConfig, fold_index: int, dataset: fashion_mnist.Dataset, report: Report | None) -> dict:
    """Train one fold with a plain `model.fit` loop (`fmnist.engine.baselines`) and return its result."""
    from fmnist.engine import baselines, training

    train_index, test_index = fold_indices(config)[fold_index - 1]
    images = fashion_mnist.to_model_inputs(dataset.train_images[: config.num_images])
    labels = fashion_mnist.to_one_hot(dataset.train_labels[: config.num_images])
    callbacks_module = baselines.keras_for(config).callbacks
    task = f"fold {fold_index}/{config.folds}"
    callbacks = [training.epoch_reporter(config, task, report, callbacks_module)] if report else []
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
        "provenance": provenance.provenance(),
    }


def fold_data(config: CVConfig, fold_index: int, dataset: fashion_mnist.Dataset) -> tuple:
    """Return a fold's training images and labels, then its held-out ones, as tensors.

    The images are held as uint8 pixels and scaled batch by batch inside the steps
    (`fmnist.engine.training`): a float32 copy would take four times the memory, and a worker
    keeps what its earlier folds captured.
    """
    from fmnist.engine import training

    train_index, test_index = fold_indices(config)[fold_index - 1]
    images = dataset.train_images[: config.num_images]
    labels = dataset.train_labels[: config.num_images]
    return training.as_tensors(
        fashion_mnist.to_model_pixels(images[train_index]),
        fashion_mnist.to_one_hot(labels[train_index]),
        fashion_mnist.to_model_pixels(images[test_index]),
        fashion_mnist.to_one_hot(labels[test_index]),
    )


def check_until_epoch(config: CVConfig, until_epoch: object, checkpoint: object) -> int:
    """Return the epoch a fold trains until (all of them by default), refusing one out of range."""
    if until_epoch is None:
        return config.epochs
    check_int("until_epoch", until_epoch, minimum=1, maximum=config.epochs)
    if until_epoch < config.epochs and checkpoint is None:
        raise ValueError("until_epoch stops a fold early, which needs a checkpoint file to go on from later")
    return until_epoch
