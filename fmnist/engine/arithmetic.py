"""How TensorFlow will compute, set before it starts: this module itself never imports TensorFlow.

oneDNN's kernels are chosen by an environment variable that TensorFlow reads once, when
it is imported, so a worker process sets it first (`fmnist.experiments.executor`).
"""

from __future__ import annotations

import os

# The environment variable that turns TensorFlow's oneDNN kernels on ("1") or off ("0").
ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"


def onednn_forced() -> bool:
    """Return whether this process's environment forces oneDNN's kernels on."""
    return os.environ.get(ONEDNN_VARIABLE) == "1"


def configure_before_start(onednn: bool) -> None:
    """Force oneDNN's kernels on, or leave TensorFlow's default, in a process that has not imported TensorFlow yet."""
    import sys

    if "tensorflow" in sys.modules:
        raise RuntimeError("TensorFlow has started in this process already; its kernels can no longer be chosen")
    if onednn:
        os.environ[ONEDNN_VARIABLE] = "1"
    else:
        os.environ.pop(ONEDNN_VARIABLE, None)
