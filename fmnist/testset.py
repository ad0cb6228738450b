"""The official test set: train on all training images, then score the 10,000 test images once.

The paper never touches the test images. Here a model is trained with a run's
settings on its training images (all 60,000 unless the run takes a subset) and
evaluated on the official test split. The result keeps every test image's
predicted class and confidence, so that the confusion matrix, per-class scores
and the gallery of mistakes are computed later from saved results alone.
"""

from __future__ import annotations

import os
import pathlib
import time

import numpy as np

from fmnist import cv, data, results
from fmnist.config import CVConfig

# The seed of the official-test training is derived as for fold 0 (folds count from 1).
TEST_SEED_INDEX = 0
# Confidences are saved to this many decimals; that is all a report needs.
CONFIDENCE_DECIMALS = 4


def test_seed(config: CVConfig) -> int:
    """Return the seed of the official-test training."""
    return cv.fold_seed(config, TEST_SEED_INDEX)


def train_and_test(config: CVConfig, dataset: data.Dataset | None = None, report: cv.Report | None = None) -> dict:
    """Train a fresh model on the training images and return its scores on the test images."""
    from fmnist import training

    dataset = dataset or data.load()
    x_train, y_train = training.as_tensors(
        data.to_model_inputs(dataset.train_images[: config.num_images]),
        data.to_one_hot(dataset.train_labels[: config.num_images]),
    )
    x_test = data.to_model_inputs(dataset.test_images)
    y_test = data.to_one_hot(dataset.test_labels)

    started = time.perf_counter()
    cnn, history = cv.train_new_model(config, test_seed(config), x_train, y_train, "official test run,", report)
    training_seconds = time.perf_counter() - started
    test_loss, test_accuracy = cnn.evaluate(x_test, y_test, batch_size=cv.EVAL_BATCH_SIZE, verbose=0)
    probabilities = cnn.predict(x_test, batch_size=cv.EVAL_BATCH_SIZE, verbose=0)
    return {
        "num_train": int(len(x_train)),
        "num_test": int(len(x_test)),
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "predicted_labels": [int(label) for label in np.argmax(probabilities, axis=1)],
        "confidences": [round(float(p), CONFIDENCE_DECIMALS) for p in np.max(probabilities, axis=1)],
        "history": {name: [float(v) for v in values] for name, values in history.history.items()},
        "num_parameters": int(cnn.count_params()),
        "seed": test_seed(config),
        "training_seconds": training_seconds,
        "wall_seconds": time.perf_counter() - started,
        "provenance": results.provenance(),
    }


def _train_and_test_in_worker(config: CVConfig, data_folder: str) -> dict:
    """Load the data in a worker process and run the official-test training there."""
    return train_and_test(config, data.load(data_folder), report=cv.print_flushed)


def run_test(
    config: CVConfig,
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    report: cv.Report = print,
) -> tuple[pathlib.Path, dict]:
    """Return the run's folder and its official-test result, training only if none is saved."""
    if not config.saves_epochs:
        raise ValueError(
            f"the official-test run trains with the project's own loop; drop trainer {config.trainer!r} "
            "(the plain fit loops are for the cross-validation's noise study)"
        )
    dataset = data.load(data_dir)
    folder = results.open_run(results_dir or results.default_results_dir(), config, dataset.checksums)
    saved = results.read_test(folder)
    if saved is not None:
        report(f"{folder}: the official-test result is already saved")
        return folder, saved
    report(f"{folder}: training on {config.num_images} images, then scoring the 10,000 test images")
    with cv.worker_pool(1) as pool:
        result = pool.submit(_train_and_test_in_worker, config, str(dataset.folder)).result()
    results.save_test(folder, result)
    report(
        f"official test set: accuracy {result['test_accuracy']:.4f} "
        f"after {result['training_seconds']:.0f} s of training"
    )
    return folder, result
