"""The training batches, made in the training thread: `model.fit`'s numbers, without its data threads.

Given NumPy arrays, `model.fit(x, y, batch_size=32)` builds a tf.data pipeline that
gathers each batch in background threads (a parallel map, then a prefetch) and hands
it over to the thread that trains. When two folds train side by side on two cores,
those extra threads compete with the training threads. `shuffled_batches` builds the
same pipeline without the parallel map and the prefetch, so each batch is gathered in
the thread that trains on it. `benchmarks/train_speed.py` measures the whole experiment.

The batches are the ones `model.fit(x, y, batch_size=...)` trains on, in the same
order: the indices are shuffled with `tf.random.shuffle` exactly as Keras's array
adapter does (`keras/src/trainers/data_adapters/array_data_adapter.py`), so the numbers
are the same to the last bit. Like Keras's, the shuffle draws the same order every
epoch once a global seed is set, as `fmnist.backend.make_deterministic` does; without a
seed (as in the paper's notebook) it draws a new order each epoch.
`tests/test_training.py` checks the numbers against `model.fit` itself, and the
repeated order under a fixed seed.
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
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")


def as_tensors(*arrays) -> tuple:
    """Return the arrays as TensorFlow tensors, to be shared by batches and evaluations alike."""
    return tuple(tf.convert_to_tensor(array) for array in arrays)


def num_batches(num_samples: int, batch_size: int) -> int:
    """Return how many batches an epoch has, the last one possibly smaller."""
    return math.ceil(num_samples / batch_size)


def shuffled_batches(x, y, batch_size: int) -> tf.data.Dataset:
    """Return a dataset of the (x, y) batches `model.fit(x, y, batch_size)` trains on, in its order."""
    check_inputs(x, y, batch_size)
    num_samples = len(x)
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

    def gather(indices, arrays):
        return tuple(tf.gather(array, indices, axis=0) for array in arrays)

    batch_indices = tf.data.Dataset.range(1).map(permutation).flat_map(split_into_batches)
    arrays = tf.data.Dataset.from_tensors(as_tensors(x, y)).repeat()
    # A plain map and no prefetch: each batch is gathered when the training thread asks for it.
    dataset = tf.data.Dataset.zip((batch_indices, arrays)).map(gather)
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    options.experimental_external_state_policy = tf.data.experimental.ExternalStatePolicy.IGNORE
    options.autotune.enabled = False
    dataset = dataset.with_options(options)
    return dataset.apply(tf.data.experimental.assert_cardinality(num_batches(num_samples, batch_size)))
