"""A fold's training state after an epoch, saved so that any process can train it on to the same numbers.

The state is every variable of the model (weights, batch-normalization statistics and
the random-seed states of dropout and augmentation) and of its optimizer (momentum
and step count), with the history of the epochs done. Restored into a fresh model
built the same way, it trains on bitwise as if training had never stopped: each
epoch's order comes from the fold's seed and the epoch's number alone (`fmnist.engine.training`).
`tests/test_checkpoints.py` checks this. `fmnist.experiments.cv` saves a fold's state after every
epoch, so a fold can go on in another worker process or after an interruption.

A state file is written atomically, like every result (`fmnist.store.results`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import time
import zipfile

import numpy as np

from fmnist.store import results

META_KEY = "meta"


class CheckpointError(RuntimeError):
    """A saved training state cannot be used."""


@dataclasses.dataclass
class TrainingState:
    """What a fold has trained so far: its epochs, their history and seconds, and its variables."""

    epochs_done: int
    history: dict[str, list[float]]
    seconds: float
    names: list[str]
    arrays: list[np.ndarray]
    source: str = "the training state"  # The file it was read from, for error messages.


def state_variables(model) -> list:
    """Return every variable that training changes: the model's, then its optimizer's."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return list(model.variables) + list(model.optimizer.variables)


def capture(model, epochs_done: int, history: dict[str, list[float]], seconds: float) -> TrainingState:
    """Return a model's training state after `epochs_done` epochs."""
    variables = state_variables(model)
    history = {name: list(values) for name, values in history.items()}
    return TrainingState(epochs_done, history, seconds, [v.name for v in variables], [v.numpy() for v in variables])


def fold_state_path(folder: str | os.PathLike, fold_index: int) -> pathlib.Path:
    """Return the file that holds an unfinished fold's training state in its run folder."""
    return pathlib.Path(folder) / f"fold-{fold_index}-state.npz"


def save(path: str | os.PathLike, state: TrainingState) -> None:
    """Write a training state to path atomically (see `fmnist.store.results.atomic_file`)."""
    path = pathlib.Path(path)
    meta = {"epochs_done": state.epochs_done, "history": state.history, "seconds": state.seconds,
            "names": state.names}
    arrays = {f"variable_{index}": value for index, value in enumerate(state.arrays)}
    with results.atomic_file(path, "wb") as handle:
        np.savez(handle, **{META_KEY: np.array(json.dumps(meta))}, **arrays)


def load(path: str | os.PathLike) -> TrainingState | None:
    """Return the training state saved at path, or None if there is none."""
    path = pathlib.Path(path)
    if not path.is_file():
        return None
    try:
        # Opened here, so that the file is closed even when it is not a valid archive.
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as saved:
            meta = json.loads(str(saved[META_KEY]))
            arrays = [saved[f"variable_{index}"] for index in range(len(meta["names"]))]
        return TrainingState(int(meta["epochs_done"]), meta["history"], float(meta["seconds"]), meta["names"], arrays, str(path))
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise CheckpointError(
            f"{path} is not a readable training state ({error}). Delete it to train that fold from its first epoch."
        ) from error


def epochs_done(path: str | os.PathLike) -> int:
    """Return how many epochs the state saved at path has trained, 0 if there is none."""
    state = load(path)
    return 0 if state is None else state.epochs_done


def restore(model, state: TrainingState) -> None:
    """Set a freshly built model's and optimizer's variables to a saved state."""
    variables = state_variables(model)
    if [variable.name for variable in variables] != state.names:
        raise CheckpointError(
            f"{state.source} holds the variables of another model. Delete it to train that fold from its first epoch."
        )
    for variable, saved in zip(variables, state.arrays):
        if tuple(saved.shape) != tuple(variable.shape):
            raise CheckpointError(
                f"{state.source} holds {variable.name} with shape {saved.shape}, not {tuple(variable.shape)}. "
                "Delete it to train that fold from its first epoch."
            )
    for variable, saved in zip(variables, state.arrays):
        variable.assign(saved)


def discard(path: str | os.PathLike) -> None:
    """Delete a saved training state, if there is one."""
    pathlib.Path(path).unlink(missing_ok=True)


def merged_history(earlier: dict[str, list[float]], later: dict[str, list]) -> dict[str, list[float]]:
    """Return the history of some epochs followed by that of the next ones."""
    names = list(dict.fromkeys([*earlier, *later]))
    return {name: [float(value) for value in [*earlier.get(name, []), *later.get(name, [])]] for name in names}


def saver(path: str | os.PathLike, resumed: TrainingState | None, last_epoch: int):
    """Return a Keras callback that saves the training state to path after every epoch before `last_epoch`.

    After the last epoch the caller saves the finished result instead, so a saved state
    always has epochs left to train.
    """
    from fmnist.engine.backend import keras

    class SaveEachEpoch(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.started = time.perf_counter()
            self.history = dict(resumed.history) if resumed else {}
            self.earlier_seconds = resumed.seconds if resumed else 0.0

        def on_epoch_end(self, epoch, logs=None):
            self.history = merged_history(self.history, {name: [value] for name, value in (logs or {}).items()})
            if epoch + 1 >= last_epoch:
                return
            seconds = self.earlier_seconds + time.perf_counter() - self.started
            save(path, capture(self.model, epoch + 1, self.history, seconds))

    return SaveEachEpoch()
