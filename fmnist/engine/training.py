"""Training on batches in a new order every epoch, each batch gathered inside the training step.

Given NumPy arrays, `model.fit(x, y, batch_size=32)` builds a tf.data pipeline that
gathers each batch in background threads (a parallel map, then a prefetch) and hands
it over to the thread that trains. When two folds train side by side on two cores,
those hand-overs and extra threads cost time. `fit` feeds the model only the batches'
sample indices and gathers the samples inside the training step itself, so a step runs
without waiting on another thread. `benchmarks/train_speed.py` measures the whole
experiment.

Each epoch visits the samples in a new order, as the paper's Keras 2 `model.fit`
did: the order of epoch e is a stateless shuffle drawn from (seed, e), so it is the
same whichever process trains that epoch and whether the fold ran straight through or
went on from a saved state. (Keras 3's `fit` on arrays, given a global seed, repeats
one order every epoch: it starts a new iterator each epoch, and that restarts the
shuffle's random stream. Training on one order ten times lowered the held-out accuracy
of Table I.) The samples are gathered with the op Keras uses, so the numbers are those
of `model.fit` fed the same batches, to the last bit; `tests/test_training.py` checks
both.

Validation and `evaluate` gather their batches inside the test step the same way, in
Keras's order. Images may be held as uint8 pixels, a quarter of the memory of float32
inputs, and scaled inside the step with the very table `fmnist.data.fashion_mnist.to_model_inputs`
uses. A traced step keeps the tensors it gathers from, so a process that trains many
folds keeps each fold's images: as pixels they cost four times less.
"""

from __future__ import annotations

import contextlib
import time
from typing import Callable

from fmnist.config import CVConfig, check_int, num_batches
from fmnist.data import fashion_mnist
from fmnist.engine import backend, model

tf = backend.tf

# Seeds are those of `numpy.random.SeedSequence`'s 32-bit words, as `fmnist.engine.fold_training.fold_seed` draws.
MAX_SEED = 2**32 - 1


def check_inputs(x, y, batch_size: int) -> None:
    """Raise ValueError unless x and y can be cut into training batches."""
    if len(x) != len(y):
        raise ValueError(f"x and y must hold as many samples, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("x holds no samples to train on")
    check_batch_size(batch_size)


def check_batch_size(batch_size: object) -> None:
    """Raise ValueError unless batch_size is an integer >= 1."""
    check_int("batch_size", batch_size, minimum=1)


def as_tensors(*arrays) -> tuple:
    """Return the arrays as TensorFlow tensors, to be shared by batches and evaluations alike."""
    return tuple(tf.convert_to_tensor(array) for array in arrays)


def check_epochs(first_epoch: object, last_epoch: object) -> None:
    """Raise ValueError unless first_epoch and last_epoch are integers with 0 <= first_epoch < last_epoch."""
    check_int("first_epoch", first_epoch, minimum=0)
    check_int("last_epoch", last_epoch, minimum=0)
    if first_epoch >= last_epoch:
        raise ValueError(f"first_epoch must be below last_epoch, got {first_epoch} and {last_epoch}")


def index_batches(num_samples: int, batch_size: int, seed: int, first_epoch: int = 0, last_epoch: int = 1) -> tf.data.Dataset:
    """Return the batches of sample indices of epochs first_epoch to last_epoch - 1, each epoch in its own order."""
    check_int("num_samples", num_samples, minimum=1)
    check_batch_size(batch_size)
    check_int("seed", seed, minimum=0, maximum=MAX_SEED)
    check_epochs(first_epoch, last_epoch)
    num_full_batches = num_samples // batch_size

    def permutation(epoch):
        # Drawn from (seed, epoch) alone: no random state to carry from one epoch to the next.
        indices = tf.range(num_samples, dtype=tf.int64)
        return tf.random.experimental.stateless_shuffle(indices, seed=tf.stack([tf.constant(seed, tf.int64), epoch]))

    def split_into_batches(indices):
        full = tf.reshape(tf.slice(indices, [0], [num_full_batches * batch_size]), [num_full_batches, batch_size])
        batches = tf.data.Dataset.from_tensor_slices(full)
        if num_samples % batch_size:
            rest = tf.slice(indices, [num_full_batches * batch_size], [num_samples % batch_size])
            batches = batches.concatenate(tf.data.Dataset.from_tensors(rest))
        return batches

    batches = tf.data.Dataset.range(first_epoch, last_epoch).map(permutation).flat_map(split_into_batches)
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    options.autotune.enabled = False
    batches = batches.with_options(options)
    num_epochs = last_epoch - first_epoch
    return batches.apply(tf.data.experimental.assert_cardinality(num_epochs * num_batches(num_samples, batch_size)))


def model_inputs(x):
    """Return images as the model takes them: uint8 pixels scaled as `fashion_mnist.to_model_inputs` does, else as they are."""
    if x.dtype != tf.uint8:
        return x
    # The same table of 256 float32 values as fashion_mnist.to_model_inputs, so the same numbers.
    return tf.gather(tf.constant(fashion_mnist.scaled_pixel_values()), tf.cast(x, tf.int32))


def gathering_step(step, x, y):
    """Return a training or test step that takes a batch of indices and runs on those samples of x and y."""

    def step_on_indices(indices):
        return step((model_inputs(tf.gather(x, indices, axis=0)), tf.gather(y, indices, axis=0)))

    return step_on_indices


def ordered_batches(num_samples: int, batch_size: int) -> tf.data.Dataset:
    """Return batches of sample indices in order, as Keras evaluates arrays."""
    check_batch_size(batch_size)
    return tf.data.Dataset.range(num_samples).batch(batch_size)


@contextlib.contextmanager
def gathering(model, train_data=None, test_data=None):
    """Within it, the model's training and test steps take batches of indices into (x, y) pairs.

    Afterwards the model trains and evaluates as any Keras model again.
    """
    if train_data is not None:
        model.train_step = gathering_step(model.train_step, *train_data)
    if test_data is not None:
        model.test_step = gathering_step(model.test_step, *test_data)
    # Keras keeps compiled steps; make it compile these ones, and the class's own afterwards.
    model.train_function = model.test_function = None
    try:
        yield
    finally:
        for name in ("train_step", "test_step"):
            vars(model).pop(name, None)
        model.train_function = model.test_function = None


def fit(
    model,
    x,
    y,
    batch_size: int,
    seed: int,
    initial_epoch: int = 0,
    epochs: int = 1,
    validation_data=None,
    validation_batch_size: int | None = None,
    **fit_arguments,
):
    """Train like `model.fit(x, y, batch_size=batch_size, ...)`, each epoch in its own order drawn from seed.

    Images may be float32 inputs or uint8 pixels (see `model_inputs`); validation data
    is gathered inside the step too. The other arguments (callbacks, ...) go to `model.fit`.
    """
    check_inputs(x, y, batch_size)
    x, y = as_tensors(x, y)
    validation = None
    if validation_data is not None:
        x_val, y_val = as_tensors(*validation_data)
        validation_batch_size = validation_batch_size or batch_size
        check_inputs(x_val, y_val, validation_batch_size)
        validation = (x_val, y_val)
        validation_data = ordered_batches(len(x_val), validation_batch_size)
    batches = index_batches(len(x), batch_size, seed, initial_epoch, epochs)
    with gathering(model, (x, y), validation):
        # With steps_per_epoch, Keras keeps one iterator over all the epochs' batches.
        return model.fit(
            batches,
            steps_per_epoch=num_batches(len(x), batch_size),
            initial_epoch=initial_epoch,
            epochs=epochs,
            validation_data=validation_data,
            shuffle=False,
            **fit_arguments,
        )


def evaluate(model, x, y, batch_size: int) -> list[float]:
    """Return `model.evaluate(x, y, batch_size=batch_size)`, gathering each batch inside the step."""
    check_inputs(x, y, batch_size)
    x, y = as_tensors(x, y)
    with gathering(model, test_data=(x, y)):
        return model.evaluate(ordered_batches(len(x), batch_size), verbose=0)


def flip_averaged_accuracy(model, x, y, batch_size: int, probabilities=None) -> float:
    """Return the accuracy of the softmax averaged over each image and its mirror image (flip test-time augmentation).

    `probabilities` are the model's softmax outputs on x where they were already computed.
    """
    check_inputs(x, y, batch_size)
    images = model_inputs(tf.convert_to_tensor(x))
    if probabilities is None:
        probabilities = model.predict(images, batch_size=batch_size, verbose=0)
    probabilities = probabilities + model.predict(tf.reverse(images, axis=[2]), batch_size=batch_size, verbose=0)
    predicted = tf.argmax(probabilities, axis=1)
    return float(tf.reduce_mean(tf.cast(predicted == tf.argmax(y, axis=1), tf.float32)))


def epoch_reporter(config: CVConfig, task: str, report: Callable[[str], None], callbacks_module=None):
    """Return a Keras callback that reports one line per epoch of a task ("fold 2/5", say).

    `callbacks_module` is the callbacks of the Keras that trains (default: Keras 3's).
    """
    if callbacks_module is None:
        callbacks_module = backend.keras.callbacks
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


def train_new_model(
    config: CVConfig,
    seed: int,
    x_train,
    y_train,
    task: str,
    report: Callable[[str], None] | None,
    resumed=None,
    until_epoch: int | None = None,
    callbacks: list | None = None,
    **fit_arguments,
):
    """Seed, build the config's model, train it on x_train and y_train, and return it with its history.

    The seed draws the weights, the dropout and augmentation and each epoch's order.
    Training goes on from a `resumed` training state (`fmnist.engine.checkpoints`) when one is
    given, and stops after `until_epoch` epochs (all of them by default). Each epoch is
    reported as one line of `task` when a report is given; the other arguments
    (validation data, say) go to `model.fit`.
    """
    from fmnist.engine import checkpoints

    backend.make_deterministic(seed, config.threads, config.onednn)
    cnn = build_for_training(config, len(x_train))
    if resumed is not None:
        checkpoints.restore(cnn, resumed)
    callbacks = ([epoch_reporter(config, task, report)] if report else []) + list(callbacks or [])
    history = fit(
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
    return model.build_model(
        config, num_train=num_train, steps_per_execution=num_batches(num_train, config.batch_size)
    )
