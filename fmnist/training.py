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
"""

from __future__ import annotations

import math

from fmnist import backend

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


def gathering_step(train_step, x, y):
    """Return a training step that takes a batch of indices and trains on those samples of x and y."""

    def step(indices):
        return train_step((tf.gather(x, indices, axis=0), tf.gather(y, indices, axis=0)))

    return step


def fit(model, x, y, batch_size: int, **fit_arguments):
    """Train like `model.fit(x, y, batch_size=batch_size, ...)`, gathering each batch inside the step.

    The other arguments (epochs, validation data, callbacks, ...) go to `model.fit`.
    Afterwards the model trains and evaluates as any Keras model again.
    """
    check_inputs(x, y, batch_size)
    x, y = as_tensors(x, y)
    model.train_step = gathering_step(model.train_step, x, y)
    model.train_function = None  # Keras keeps a compiled step; make it compile this one.
    try:
        return model.fit(index_batches(len(x), batch_size), shuffle=False, **fit_arguments)
    finally:
        del model.train_step  # Back to the class's own step.
        model.train_function = None
