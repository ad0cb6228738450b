"""The official test set: train on all training images, then score the 10,000 test images once.

The paper never touches the test images. Here a model is trained with a run's
settings on its training images (all 60,000 unless the run takes a subset) and
evaluated on the official test split. The result keeps every test image's
predicted class and confidence, so that the confusion matrix, per-class scores
and the gallery of mistakes are computed later from saved results alone.
"""

from __future__ import annotations

import time

import numpy as np

from fmnist import provenance
from fmnist.config import CVConfig
from fmnist.data import fashion_mnist
from fmnist.engine import fold_training

# The seed of the official-test training is derived as for fold 0 (folds count from 1).
TEST_SEED_INDEX = 0


# Confidences are saved to this many decimals; that is all a report needs.
CONFIDENCE_DECIMALS = 4


def test_seed(config: CVConfig) -> int:
    """Return the seed of the official-test training."""
    return fold_training.fold_seed(config, TEST_SEED_INDEX)


def train_and_test(config: CVConfig, dataset: fashion_mnist.Dataset | None = None, report: fold_training.Report | None = None) -> dict:
    """Train a fresh model on the training images and return its scores on the test images."""
    from fmnist.engine import training  # Imported here: it starts TensorFlow.

    dataset = dataset or fashion_mnist.load()
    x_train, y_train = training.as_tensors(
        fashion_mnist.to_model_inputs(dataset.train_images[: config.num_images]),
        fashion_mnist.to_one_hot(dataset.train_labels[: config.num_images]),
    )
    x_test = fashion_mnist.to_model_inputs(dataset.test_images)
    y_test = fashion_mnist.to_one_hot(dataset.test_labels)

    started = time.perf_counter()
    # What the machine and this process have used so far: other processes' work since is measured against it.
    started_cpu = provenance.cpu_seconds()
    cnn, history = training.train_new_model(config, test_seed(config), x_train, y_train, "official test run,", report)
    training_seconds = time.perf_counter() - started
    test_loss, test_accuracy = cnn.evaluate(x_test, y_test, batch_size=fold_training.EVAL_BATCH_SIZE, verbose=0)
    probabilities = cnn.predict(x_test, batch_size=fold_training.EVAL_BATCH_SIZE, verbose=0)
    return {
        **fold_training.flip_averaged_scores(config, cnn, x_test, y_test, probabilities),
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
        "provenance": provenance.provenance(since=started_cpu),
    }
