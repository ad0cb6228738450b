"""Training on the batches `model.fit` would make, each gathered inside the training step.

Given NumPy arrays, `model.fit(x, y, batch_size=32)` builds a tf.data pipeline that
gathers each batch in background threads (a parallel map, then a prefetch) and hands
it over to the thread that trains. When two folds train side by side on two cores,
those hand-overs and extra threads cost time. `fit` feeds the model only the batches'
sample indices and gathers the samples inside the training step itself, so a step runs
without waiting on another thread. `benchmarks/train_speed.py` measures the whole
experiment.

The batches are the ones `model.fit(x, y, batch_size=...)` trains on, in the same
order: the indices are shuffled with `tf.random.shuffle` exactly as Keras's array
adapter does (`keras/src/trainers/data_adapters/array_data_adapter.py`), and the
gather is the same op, so the numbers are the same to the last bit. Like Keras's, the
shuffle draws the same order every epoch once a global seed is set, as
`fmnist.backend.make_deterministic` does; without a seed (as in the paper's notebook)
it draws a new order each epoch. `tests/test_training.py` checks the numbers against
`model.fit` itself, and the repeated order under a fixed seed.

Validation and `evaluate` gather their batches inside the test step the same way, in
Keras's order. Images may be held as uint8 pixels, a quarter of the memory of float32
inputs, and scaled inside the step with the very table `fmnist.data.to_model_inputs`
uses. A traced step keeps the tensors it gathers from, so a process that trains many
folds keeps each fold's images: as pixels they cost four times less.
"""

from __future__ import annotations

import contextlib
import math

from fmnist import backend, data

tf = backend.tf


def check_inputs(x, y, batch_size: int) -> None:
    """Raise ValueError unless x and y can be cut into training batches."""
    if len(x) != len(y):
        raise ValueError(f"x and y must hold as many samples, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("x holds no samples to train on")
    check_batch_size(batch_size)


def check_batch_size(batch_size: object) -> None:
    """Raise ValueError unless batch_size is an integer >= 1."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")


def as_tensors(*arrays) -> tuple:
    """Return the arrays as TensorFlow tensors, to be shared by batches and evaluations alike."""
    return tuple(tf.convert_to_tensor(array) for array in arrays)


def num_batches(num_samples: int, batch_size: int) -> int:
    """Return how many batches an epoch has, the last one possibly smaller."""
    return math.ceil(num_samples / batch_size)


def index_batches(num_samples: int, batch_size: int) -> tf.data.Dataset:
    """Return the batches of sample indices `model.fit(x, y, batch_size)` trains on, in its order."""
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError(f"num_samples must be an integer >= 1, got {num_samples!r}")
    check_batch_size(batch_size)
    num_full_batches = num_samples // batch_size

    def permutation(_):
        # The same ops in the same order as Keras's adapter, so the random seed matches.
        indices = tf.range(num_samples, dtype=tf.int64)
        indices = tf.random.shuffle(indices)
        return indices

    def split_into_batches(indices):
        full = tf.reshape(tf.slice(indices, [0], [num_full_batches * batch_size]), [num_full_batches, batch_size])
        batches = tf.data.Dataset.from_tensor_slices(full)
        if num_samples % batch_size:
            rest = tf.slice(indices, [num_full_batches * batch_size], [num_samples % batch_size])
            batches = batches.concatenate(tf.data.Dataset.from_tensors(rest))
        return batches

    batches = tf.data.Dataset.range(1).map(permutation).flat_map(split_into_batches)
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    options.experimental_external_state_policy = tf.data.experimental.ExternalStatePolicy.IGNORE
    options.autotune.enabled = False
    batches = batches.with_options(options)
    return batches.apply(tf.data.experimental.assert_cardinality(num_batches(num_samples, batch_size)))


def model_inputs(x):
    """Return images as the model takes them: uint8 pixels scaled as `data.to_model_inputs` does, else as they are."""
    if x.dtype != tf.uint8:
        return x
    # The same table of 256 float32 values as data.to_model_inputs, so the same numbers.
    return tf.gather(tf.constant(data.scaled_pixel_values()), tf.cast(x, tf.int32))


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


def fit(model, x, y, batch_size: int, validation_data=None, validation_batch_size: int | None = None, **fit_arguments):
    """Train like `model.fit(x, y, batch_size=batch_size, ...)`, gathering each batch inside the step.

    Images may be float32 inputs or uint8 pixels (see `model_inputs`); validation data
    is gathered the same way. The other arguments (epochs, callbacks, ...) go to `model.fit`.
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
    with gathering(model, (x, y), validation):
        return model.fit(
            index_batches(len(x), batch_size), validation_data=validation_data, shuffle=False, **fit_arguments
        )


def evaluate(model, x, y, batch_size: int) -> list[float]:
    """Return `model.evaluate(x, y, batch_size=batch_size)`, gathering each batch inside the step."""
    check_inputs(x, y, batch_size)
    x, y = as_tensors(x, y)
    with gathering(model, test_data=(x, y)):
        return model.evaluate(ordered_batches(len(x), batch_size), verbose=0)
