"""Select Keras's TensorFlow backend, quiet TensorFlow's start-up log and fix its thread counts.

TensorFlow's float arithmetic depends on how many threads split each op, so every
fmnist process runs TensorFlow with one intra-op thread: a fold then gives the same
numbers on this machine whether it runs alone or beside other folds. Speed comes
from running folds in parallel processes instead (`fmnist.experiments.cv`).

A run may choose other arithmetic (`CVConfig.threads`, `CVConfig.onednn`): more threads
per op, or oneDNN's kernels, which TensorFlow leaves off on some processors (AVX2-only
ones among them) and which make convolutions faster there. Both change the roundings,
so they are part of the run's settings, and a worker process starts TensorFlow with
them (`fmnist.engine.arithmetic`); `check_arithmetic` refuses a process started otherwise.

Independent ops of one training step (two layers' weight updates, say) may still run
at once: that moves no op to more threads, so no number changes. A process that trains
alone runs one such op per core, and so uses the idle core; worker processes that
train side by side share the cores out (`use_cores`), because a second busy thread in
each of them would only compete for the same cores.
"""

from __future__ import annotations

import contextlib
import os
import sys

from fmnist.engine import arithmetic

# Whether this process forced oneDNN's kernels on before TensorFlow started (read once, here).
ONEDNN_FORCED = arithmetic.onednn_forced()

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# 3 hides TensorFlow's INFO, WARNING and ERROR lines from C++: tf.data logs a spurious
# error for the pipelines of Keras's array inputs. A failure still raises a Python exception.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")



@contextlib.contextmanager
def native_stderr_silenced():
    """Send what native code writes to standard error to /dev/null while in the block.

    TensorFlow's C++ libraries log as they load ("All log messages before
    absl::InitializeLog() is called are written to STDERR", and on processors where
    oneDNN is on by default "oneDNN custom operations are on"), before they read
    TF_CPP_MIN_LOG_LEVEL. A failed import still raises its Python exception, shown after.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


with native_stderr_silenced():
    import keras  # noqa: E402  (the environment must be set first)
    import tensorflow as tf  # noqa: E402

# TensorFlow's Python warnings are for its developers, not for someone running a fold. The one
# that reached users says that tf.function "triggered retracing": each fold, segment and
# evaluation compiles its own steps around its own data (`fmnist.engine.training.gathering`),
# once per call, which is the cost of a new model, not a bug. Errors still show.
tf.get_logger().setLevel("ERROR")

# Threads that split one op: fixed, because the numbers depend on it.
THREADS_PER_PROCESS = 1
# Ops that may run at once: one per core, because the numbers do not depend on it.
CONCURRENT_OPS = os.cpu_count() or 1


def concurrent_ops_per_process(processes: int) -> int:
    """Return how many ops each of some processes training side by side may run at once."""
    return max(1, CONCURRENT_OPS // processes)


def _fix_threads() -> None:
    """Set TensorFlow's thread counts, which is only possible before its first op."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(THREADS_PER_PROCESS)
        tf.config.threading.set_inter_op_parallelism_threads(CONCURRENT_OPS)
    except RuntimeError:
        pass  # Already initialised; check_threads() reports it where it matters.


def use_cores(processes: int, threads: int = THREADS_PER_PROCESS) -> None:
    """Run this process's ops on its share of the cores, when `processes` train side by side, each op on `threads`.

    Call it before TensorFlow's first op, as a worker process's initializer does.
    """
    concurrent_ops = concurrent_ops_per_process(processes)
    tf.config.threading.set_inter_op_parallelism_threads(concurrent_ops)
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    if tf.config.threading.get_inter_op_parallelism_threads() != concurrent_ops:
        raise RuntimeError(f"TensorFlow did not take {concurrent_ops} inter-op threads")


def check_threads(expected: int = THREADS_PER_PROCESS) -> None:
    """Raise RuntimeError unless TensorFlow runs with the expected thread count per op."""
    threads = tf.config.threading.get_intra_op_parallelism_threads()
    if threads != expected:
        raise RuntimeError(
            f"TensorFlow was started with {threads or 'all'} intra-op threads where this run needs "
            f"{expected}, so its numbers would not match other runs. Train it through fmnist's "
            "commands or functions that start a worker process (`fmnist cv`, `fmnist test`), or import "
            "fmnist before running any TensorFlow code in this process and restart the kernel."
        )


def check_arithmetic(threads: int = THREADS_PER_PROCESS, onednn: bool = False) -> None:
    """Raise RuntimeError unless TensorFlow computes with these threads per op and this choice of kernels."""
    check_threads(threads)
    if onednn != ONEDNN_FORCED:
        wanted = "with oneDNN's kernels forced on" if onednn else "without oneDNN's kernels forced on"
        raise RuntimeError(
            f"this run computes {wanted}, which is set before TensorFlow starts ({arithmetic.ONEDNN_VARIABLE}); train it "
            "through fmnist's commands or functions that start a worker process (`fmnist cv`, `fmnist test`)"
        )


def make_deterministic(seed: int, threads: int = THREADS_PER_PROCESS, onednn: bool = False) -> None:
    """Check the process's arithmetic, seed Python, NumPy and TensorFlow and make TensorFlow's ops deterministic."""
    check_arithmetic(threads, onednn)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


_fix_threads()
