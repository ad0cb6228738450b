"""Select Keras's TensorFlow backend and quiet TensorFlow's start-up log before either loads."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# 2 hides TensorFlow's INFO and WARNING lines from C++; errors still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402  (the environment must be set first)
import tensorflow as tf  # noqa: E402


def make_deterministic(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and make TensorFlow's ops deterministic."""
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def set_threads(num_threads: int) -> None:
    """Limit TensorFlow to a number of threads; call before any op runs."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(num_threads)
        tf.config.threading.set_inter_op_parallelism_threads(num_threads)
    except RuntimeError:
        # TensorFlow was already initialised in this process: keep its threads.
        pass
