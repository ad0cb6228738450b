"""The paper's training as plain `model.fit` runs it: Keras 3's, and Keras 2's as the paper's notebook did.

The project trains with its own loop (`fmnist.engine.training`): a new batch order every
epoch, drawn from the fold's seed and the epoch's number. The noise study
(`fmnist.analysis.noise`) sets two plain loops beside it, each a `trainer` of `CVConfig`:

- `keras2-fit`: the paper's notebook under Keras 2, the `tf.keras` of 2022, which
  runs on current TensorFlow as the `tf_keras` package. The same layers and
  initializers, SGD 0.01 with momentum 0.9, and `model.fit(x, y, epochs=10,
  batch_size=32, validation_data=...)` on float32 arrays; Keras 2's `fit` shuffles
  the samples anew every epoch. The training part is then scored with
  `model.evaluate(x, y)` at its default batch of 32, as the notebook did.
- `keras3-fit`: the project's Keras 3 model trained by Keras 3's own `model.fit` on
  arrays. Under a fixed seed it repeats one batch order every epoch (see
  `fmnist.engine.training`); this arm measures what that costs.

Both train a fold in one go: they save no training state between epochs, so an
interrupted fold starts again (finished folds are kept, as for every run). Each fold
runs in a worker process with one TensorFlow thread per op, as every fold does, so
its numbers repeat on the same machine.
"""

from __future__ import annotations

import importlib.util

from fmnist import paper
from fmnist.data import fashion_mnist
from fmnist.config import CVConfig

KERAS2_MODULE = "tf_keras"

# Keras's default batch for `evaluate` (2 and 3 alike), which the paper's notebook used.
EVAL_BATCH_SIZE = 32


class MissingLibraryError(RuntimeError):
    """A trainer needs a library that is not installed."""


def check_installed(config: CVConfig) -> None:
    """Raise MissingLibraryError, saying how to install it, if the config's trainer needs a missing library."""
    if config.trainer == "keras2-fit" and importlib.util.find_spec(KERAS2_MODULE) is None:
        raise MissingLibraryError(
            "the trainer 'keras2-fit' needs Keras 2 (the tf_keras package), which is not installed: run "
            "`pip install --no-deps 'tf-keras==X.Y.*'` with X.Y your TensorFlow's version (`make install` does); "
            "--no-deps keeps pip from adding the full tensorflow package beside tensorflow-cpu"
        )


def import_keras2():
    """Return the `tf_keras` module (Keras 2), or raise MissingLibraryError saying how to install it."""
    check_installed(CVConfig(trainer="keras2-fit"))
    import tf_keras

    return tf_keras


def build_keras2_model(config: CVConfig, keras2) -> object:
    """Build and compile the paper's CNN in Keras 2, as its notebook did."""
    layers = keras2.layers
    model = keras2.Sequential(
        [
            layers.Conv2D(
                config.filters,
                (paper.KERNEL_SIZE, paper.KERNEL_SIZE),
                activation="relu",
                kernel_initializer="glorot_normal",
                padding=config.padding,
                input_shape=(fashion_mnist.IMAGE_SIZE, fashion_mnist.IMAGE_SIZE, 1),
            ),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(paper.DENSE_UNITS[0], activation="relu"),
            layers.Dense(paper.DENSE_UNITS[1], activation="relu"),
            layers.Dense(fashion_mnist.NUM_CLASSES, activation="softmax"),
        ]
    )
    optimizer = keras2.optimizers.SGD(learning_rate=config.learning_rate, momentum=config.momentum)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def keras_for(config: CVConfig):
    """Return the Keras module (3, or 2 as `tf_keras`) that trains a plain-fit config."""
    if config.trainer == "keras2-fit":
        return import_keras2()
    if config.trainer == "keras3-fit":
        from fmnist.engine import backend

        return backend.keras
    raise ValueError(f"the plain fit loops are keras2-fit and keras3-fit, not trainer {config.trainer!r}")


def train_fold(config: CVConfig, seed: int, x_train, y_train, x_test, y_test, callbacks: list | None = None) -> dict:
    """Train a fresh paper's model with the config's plain `fit` loop; return its scores and history.

    The images are float32 inputs (`fashion_mnist.to_model_inputs`), the labels one-hot; the
    callbacks must be of the config's Keras (`keras_for`).
    """
    from fmnist.engine import backend

    keras_module = keras_for(config)
    if config.trainer == "keras2-fit":
        backend.check_threads()
        keras_module.utils.set_random_seed(seed)
        backend.tf.config.experimental.enable_op_determinism()
        model = build_keras2_model(config, keras_module)
    else:
        from fmnist.engine import model as model_module

        backend.make_deterministic(seed)
        model = model_module.build_model(config, num_train=len(x_train))
    history = model.fit(
        x_train,
        y_train,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(x_test, y_test),
        shuffle=True,
        callbacks=list(callbacks or []),
        verbose=0,
    )
    train_loss, train_accuracy = model.evaluate(x_train, y_train, batch_size=EVAL_BATCH_SIZE, verbose=0)
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=EVAL_BATCH_SIZE, verbose=0)
    return {
        "train_accuracy": float(train_accuracy),
        "train_loss": float(train_loss),
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "history": {name: [float(value) for value in values] for name, values in history.history.items()},
        "num_parameters": int(model.count_params()),
    }
