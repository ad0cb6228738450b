"""A fold's saved training state: trained on from it, a model gives the uninterrupted numbers to the bit."""

import numpy as np
import pytest

from fmnist.engine import backend, checkpoints, model, training
from fmnist.config import CVConfig, num_batches
from test_training import BATCH_SIZE, NUM_SAMPLES, NUM_VALIDATION, SEED, random_arrays

NUM_EPOCHS = 3
STOP_AFTER = 1

EVERY_CHOICE = CVConfig(
    epochs=NUM_EPOCHS, conv_blocks=3, batch_norm=True, dropout=0.3, augment=True, lr_schedule="cosine", padding="same"
)


def new_model(config: CVConfig):
    """Seed, then build a model that runs a whole epoch per call, as a fold does."""
    backend.make_deterministic(SEED)
    return model.build_model(config, NUM_SAMPLES, num_batches(NUM_SAMPLES, BATCH_SIZE))


def fit(cnn, first_epoch: int, last_epoch: int, callbacks=()):
    """Train from one epoch count to another on fixed random data."""
    x, y = random_arrays(NUM_SAMPLES, seed=0)
    validation = random_arrays(NUM_VALIDATION, seed=1)
    return training.fit(
        cnn, x, y, BATCH_SIZE, SEED, initial_epoch=first_epoch, epochs=last_epoch,
        validation_data=validation, callbacks=list(callbacks), verbose=0,
    )


@pytest.mark.parametrize("config", [CVConfig(epochs=NUM_EPOCHS), EVERY_CHOICE], ids=["paper", "every-choice"])
def test_training_on_from_a_saved_state_gives_the_same_numbers(config, tmp_path):
    path = tmp_path / "state.npz"
    uninterrupted = new_model(config)
    expected = fit(uninterrupted, 0, NUM_EPOCHS).history

    first = new_model(config)
    fit(first, 0, STOP_AFTER, [checkpoints.saver(path, None, NUM_EPOCHS)])
    state = checkpoints.load(path)
    assert state.epochs_done == STOP_AFTER

    second = new_model(config)  # Its fresh weights are replaced by the saved ones.
    checkpoints.restore(second, state)
    later = fit(second, STOP_AFTER, NUM_EPOCHS, [checkpoints.saver(path, state, NUM_EPOCHS)]).history

    assert checkpoints.merged_history(state.history, later) == expected
    # The last epoch is not saved: a saved state always has epochs left to train.
    last_saved = checkpoints.load(path)
    assert last_saved.epochs_done == NUM_EPOCHS - 1
    assert last_saved.history == {name: values[:-1] for name, values in expected.items()}
    final = checkpoints.state_variables(second)
    assert all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(final, checkpoints.state_variables(uninterrupted)))


def small_state(epochs_done: int = 2) -> checkpoints.TrainingState:
    """Return a hand-made training state."""
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.array(5, dtype=np.int64)]
    return checkpoints.TrainingState(epochs_done, {"loss": [0.5, 0.25]}, 12.5, ["kernel", "iteration"], arrays)


def test_a_saved_state_reads_back_whole_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "fold-1-state.npz"
    checkpoints.save(path, small_state())
    state = checkpoints.load(path)
    assert (state.epochs_done, state.history, state.seconds, state.names) == (2, {"loss": [0.5, 0.25]}, 12.5, ["kernel", "iteration"])
    assert all(np.array_equal(a, b) for a, b in zip(state.arrays, small_state().arrays))
    assert checkpoints.epochs_done(path) == 2
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    checkpoints.discard(path)
    checkpoints.discard(path)  # Nothing left to delete is fine.
    assert checkpoints.load(path) is None and checkpoints.epochs_done(path) == 0


@pytest.mark.parametrize("damage", [b"", b"not a zip file", b"PK\x03\x04 cut short"])
def test_a_damaged_state_is_refused_with_the_way_out(tmp_path, damage):
    path = tmp_path / "fold-2-state.npz"
    path.write_bytes(damage)
    with pytest.raises(checkpoints.CheckpointError, match=r"fold-2-state.npz is not a readable training state.*Delete it"):
        checkpoints.load(path)


def test_a_state_of_another_model_is_refused(tmp_path):
    path = tmp_path / "state.npz"
    checkpoints.save(path, small_state())
    with pytest.raises(checkpoints.CheckpointError, match=r"state.npz holds the variables of another model.*Delete it"):
        checkpoints.restore(new_model(CVConfig()), checkpoints.load(path))


def test_a_state_with_a_wrong_shape_is_refused(tmp_path):
    cnn = new_model(CVConfig())
    state = checkpoints.capture(cnn, 1, {}, 0.0)
    state.arrays[1] = state.arrays[1][:3]
    checkpoints.save(tmp_path / "state.npz", state)
    with pytest.raises(checkpoints.CheckpointError, match="with shape"):
        checkpoints.restore(cnn, checkpoints.load(tmp_path / "state.npz"))


def test_histories_are_joined_epoch_after_epoch():
    earlier = {"loss": [1.0, 0.5], "val_accuracy": [0.1, 0.2]}
    later = {"loss": [np.float32(0.25)], "val_accuracy": [0.3]}
    assert checkpoints.merged_history(earlier, later) == {"loss": [1.0, 0.5, 0.25], "val_accuracy": [0.1, 0.2, 0.3]}
