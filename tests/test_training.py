"""Training on batches gathered inside the training step: the same numbers as model.fit on arrays."""

import numpy as np
import pytest

from fmnist import backend, data, model, training
from fmnist.config import CVConfig

NUM_SAMPLES = 150  # 4 full batches of 32 and a last one of 22.
NUM_VALIDATION = 40
BATCH_SIZE = 32
NUM_EPOCHS = 2
SEED = 7


def random_arrays(num_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return random images in [0, 1] and one-hot labels of every class."""
    rng = np.random.default_rng(seed)
    images = rng.random((num_samples, 28, 28, 1), dtype=np.float32)
    labels = np.eye(10, dtype=np.float32)[np.arange(num_samples) % 10]
    return images, labels


def train(config: CVConfig, use_training_fit: bool) -> tuple[dict, list[np.ndarray]]:
    """Train a fresh seeded model on random data one way and return its history and weights."""
    x, y = random_arrays(NUM_SAMPLES, seed=0)
    validation = random_arrays(NUM_VALIDATION, seed=1)
    backend.make_deterministic(SEED)
    if use_training_fit:
        cnn = model.build_model(config, NUM_SAMPLES, training.num_batches(NUM_SAMPLES, BATCH_SIZE))
        history = training.fit(cnn, x, y, BATCH_SIZE, epochs=NUM_EPOCHS, validation_data=validation, verbose=0)
    else:
        cnn = model.build_model(config, NUM_SAMPLES)
        history = cnn.fit(x, y, batch_size=BATCH_SIZE, epochs=NUM_EPOCHS, validation_data=validation, verbose=0)
    return history.history, [weight.numpy() for weight in cnn.weights]


@pytest.mark.parametrize(
    "config",
    [
        CVConfig(),
        CVConfig(conv_blocks=3, batch_norm=True, dropout=0.3, augment=True, lr_schedule="cosine", padding="same"),
    ],
    ids=["paper", "every-choice"],
)
def test_training_fit_gives_model_fits_numbers_to_the_bit(config):
    expected_history, expected_weights = train(config, use_training_fit=False)
    history, weights = train(config, use_training_fit=True)
    assert history == expected_history
    assert len(weights) == len(expected_weights)
    assert all(np.array_equal(a, b) for a, b in zip(weights, expected_weights))


def test_the_model_trains_as_any_keras_model_afterwards():
    x, y = random_arrays(NUM_SAMPLES, seed=0)
    backend.make_deterministic(SEED)
    cnn = model.build_model(CVConfig(), NUM_SAMPLES)
    training.fit(cnn, x, y, BATCH_SIZE, epochs=1, verbose=0)
    assert "train_step" not in vars(cnn)
    history = cnn.fit(x, y, batch_size=BATCH_SIZE, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def random_pixels(num_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return random uint8 images and one-hot labels of every class."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (num_samples, 28, 28, 1), dtype=np.uint8)
    return pixels, np.eye(10, dtype=np.float32)[np.arange(num_samples) % 10]


def test_pixels_scaled_inside_the_step_give_the_numbers_of_float_inputs():
    pixels, labels = random_pixels(NUM_SAMPLES, seed=0)
    validation_pixels, validation_labels = random_pixels(NUM_VALIDATION, seed=1)
    runs = []
    for to_inputs in (data.to_model_inputs, lambda images: images):
        backend.make_deterministic(SEED)
        cnn = model.build_model(CVConfig(), NUM_SAMPLES, training.num_batches(NUM_SAMPLES, BATCH_SIZE))
        history = training.fit(
            cnn, to_inputs(pixels), labels, BATCH_SIZE, epochs=NUM_EPOCHS,
            validation_data=(to_inputs(validation_pixels), validation_labels), validation_batch_size=16, verbose=0,
        )
        scores = training.evaluate(cnn, to_inputs(pixels), labels, batch_size=64)
        runs.append((history.history, scores, [weight.numpy() for weight in cnn.weights]))
        if to_inputs is data.to_model_inputs:
            assert scores == cnn.evaluate(to_inputs(pixels), labels, batch_size=64, verbose=0)
    (float_history, float_scores, float_weights), (pixel_history, pixel_scores, pixel_weights) = runs
    assert pixel_history == float_history and pixel_scores == float_scores
    assert all(np.array_equal(a, b) for a, b in zip(pixel_weights, float_weights))


def test_model_inputs_of_pixels_are_the_papers_scaling():
    pixels = (np.arange(28 * 28) % 256).astype(np.uint8).reshape(1, 28, 28, 1)  # Every value 0..255.
    expected = pixels.astype(np.float32) / np.float32(255)
    assert np.array_equal(training.model_inputs(backend.tf.constant(pixels)).numpy(), expected)
    assert np.array_equal(data.to_model_inputs(pixels.reshape(1, 28, 28)), expected)


def epoch_orders(num_epochs: int) -> list[np.ndarray]:
    """Return the order in which each of some epochs of index batches visits the samples."""
    dataset = training.index_batches(NUM_SAMPLES, BATCH_SIZE)
    return [np.concatenate(list(dataset.as_numpy_iterator())) for _ in range(num_epochs)]


def test_every_sample_once_per_epoch_in_batches_of_the_size_asked():
    backend.make_deterministic(SEED)
    for order in epoch_orders(2):
        assert sorted(order) == list(range(NUM_SAMPLES))
        assert not np.array_equal(order, np.arange(NUM_SAMPLES))
    dataset = training.index_batches(NUM_SAMPLES, BATCH_SIZE)
    assert [len(batch) for batch in dataset.as_numpy_iterator()] == [32, 32, 32, 32, 22]
    assert dataset.cardinality() == training.num_batches(NUM_SAMPLES, BATCH_SIZE) == 5


def test_a_fixed_seed_repeats_the_order_every_epoch_as_model_fit_does():
    backend.make_deterministic(SEED)
    first, second = epoch_orders(2)
    assert np.array_equal(first, second)
    backend.make_deterministic(SEED + 1)
    (other_seed,) = epoch_orders(1)
    assert not np.array_equal(first, other_seed)


def test_the_step_trains_on_the_samples_its_indices_name():
    x, y = random_arrays(NUM_SAMPLES, seed=0)
    step = training.gathering_step(lambda batch: batch, *training.as_tensors(x, y))
    indices = np.array([7, 0, 149, 7])
    batch_x, batch_y = step(backend.tf.constant(indices))
    assert np.array_equal(batch_x.numpy(), x[indices])
    assert np.array_equal(batch_y.numpy(), y[indices])


@pytest.mark.parametrize(
    ("num_x", "num_y", "batch_size", "message"),
    [
        (10, 9, 32, "x and y must hold as many samples, got 10 and 9"),
        (0, 0, 32, "x holds no samples"),
        (10, 10, 0, "batch_size must be an integer >= 1, got 0"),
        (10, 10, 2.5, "batch_size must be an integer >= 1, got 2.5"),
        (10, 10, True, "batch_size must be an integer >= 1, got True"),
    ],
)
def test_bad_inputs_are_refused(num_x, num_y, batch_size, message):
    with pytest.raises(ValueError, match=message):
        training.fit(None, np.zeros((num_x, 2)), np.zeros((num_y, 2)), batch_size)


@pytest.mark.parametrize(
    ("num_samples", "batch_size", "message"),
    [(0, 32, "num_samples must be an integer >= 1, got 0"), (10, 0, "batch_size must be an integer >= 1, got 0")],
)
def test_bad_index_batches_are_refused(num_samples, batch_size, message):
    with pytest.raises(ValueError, match=message):
        training.index_batches(num_samples, batch_size)
