"""Training on batches gathered inside the training step, in a new order every epoch: model.fit's numbers."""

import numpy as np
import pytest

from fmnist.data import fashion_mnist
from fmnist.engine import backend, model, training
from fmnist.config import CVConfig, num_batches

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


def epoch_order(seed: int, epoch: int, num_samples: int = NUM_SAMPLES) -> np.ndarray:
    """Return the order in which one epoch of index batches visits the samples."""
    dataset = training.index_batches(num_samples, BATCH_SIZE, seed, epoch, epoch + 1)
    return np.concatenate(list(dataset.as_numpy_iterator()))


def train(config: CVConfig, use_training_fit: bool) -> tuple[dict, list[np.ndarray]]:
    """Train a fresh seeded model on random data one way and return its history and weights.

    The other way is `model.fit` on the arrays put in each epoch's order, unshuffled.
    """
    x, y = random_arrays(NUM_SAMPLES, seed=0)
    validation = random_arrays(NUM_VALIDATION, seed=1)
    backend.make_deterministic(SEED)
    if use_training_fit:
        cnn = model.build_model(config, NUM_SAMPLES, num_batches(NUM_SAMPLES, BATCH_SIZE))
        history = training.fit(cnn, x, y, BATCH_SIZE, SEED, epochs=NUM_EPOCHS, validation_data=validation, verbose=0)
        return history.history, [weight.numpy() for weight in cnn.weights]
    cnn = model.build_model(config, NUM_SAMPLES)
    merged = {}
    for epoch in range(NUM_EPOCHS):
        order = epoch_order(SEED, epoch)
        history = cnn.fit(
            x[order], y[order], batch_size=BATCH_SIZE, initial_epoch=epoch, epochs=epoch + 1,
            validation_data=validation, shuffle=False, verbose=0,
        )
        for name, values in history.history.items():
            merged.setdefault(name, []).extend(values)
    return merged, [weight.numpy() for weight in cnn.weights]


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
    training.fit(cnn, x, y, BATCH_SIZE, SEED, epochs=1, verbose=0)
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
    for to_inputs in (fashion_mnist.to_model_inputs, lambda images: images):
        backend.make_deterministic(SEED)
        cnn = model.build_model(CVConfig(), NUM_SAMPLES, num_batches(NUM_SAMPLES, BATCH_SIZE))
        history = training.fit(
            cnn, to_inputs(pixels), labels, BATCH_SIZE, SEED, epochs=NUM_EPOCHS,
            validation_data=(to_inputs(validation_pixels), validation_labels), validation_batch_size=16, verbose=0,
        )
        scores = training.evaluate(cnn, to_inputs(pixels), labels, batch_size=64)
        runs.append((history.history, scores, [weight.numpy() for weight in cnn.weights]))
        if to_inputs is fashion_mnist.to_model_inputs:
            assert scores == cnn.evaluate(to_inputs(pixels), labels, batch_size=64, verbose=0)
    (float_history, float_scores, float_weights), (pixel_history, pixel_scores, pixel_weights) = runs
    assert pixel_history == float_history and pixel_scores == float_scores
    assert all(np.array_equal(a, b) for a, b in zip(pixel_weights, float_weights))


def test_model_inputs_of_pixels_are_the_papers_scaling():
    pixels = (np.arange(28 * 28) % 256).astype(np.uint8).reshape(1, 28, 28, 1)  # Every value 0..255.
    expected = pixels.astype(np.float32) / np.float32(255)
    assert np.array_equal(training.model_inputs(backend.tf.constant(pixels)).numpy(), expected)
    assert np.array_equal(fashion_mnist.to_model_inputs(pixels.reshape(1, 28, 28)), expected)


def test_every_sample_once_per_epoch_in_batches_of_the_size_asked():
    dataset = training.index_batches(NUM_SAMPLES, BATCH_SIZE, SEED, 0, NUM_EPOCHS)
    batches = list(dataset.as_numpy_iterator())
    assert [len(batch) for batch in batches] == [32, 32, 32, 32, 22] * NUM_EPOCHS
    assert dataset.cardinality() == NUM_EPOCHS * num_batches(NUM_SAMPLES, BATCH_SIZE) == 10
    for epoch in range(NUM_EPOCHS):
        order = np.concatenate(batches[5 * epoch : 5 * (epoch + 1)])
        assert sorted(order) == list(range(NUM_SAMPLES))
        assert np.array_equal(order, epoch_order(SEED, epoch))


def test_every_epoch_has_its_own_order_drawn_from_the_seed_and_the_epoch_alone():
    orders = [epoch_order(SEED, epoch) for epoch in range(3)]
    assert not any(np.array_equal(orders[i], orders[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
    assert not np.array_equal(orders[0], np.arange(NUM_SAMPLES))
    assert not np.array_equal(epoch_order(SEED + 1, 0), orders[0])
    # Neither the global random state nor the epochs before it change an epoch's order.
    backend.make_deterministic(SEED + 1)
    later = training.index_batches(NUM_SAMPLES, BATCH_SIZE, SEED, 1, 3)
    assert np.array_equal(np.concatenate(list(later.as_numpy_iterator())), np.concatenate(orders[1:]))


def test_model_fit_on_arrays_with_a_seed_repeats_one_order_which_fit_does_not():
    # Keras 3 restarts its shuffle every epoch once a seed is set; this is why fit draws its own orders.
    x = np.arange(NUM_SAMPLES, dtype=np.float32).reshape(-1, 1)
    seen = []

    class RecordingModel(backend.keras.Model):
        def train_step(self, batch):
            seen.append(np.asarray(batch[0][:, 0]))
            return {"seen": len(seen)}

    recorder = RecordingModel()
    recorder.compile(run_eagerly=True)
    backend.make_deterministic(SEED)
    recorder.fit(x, x, batch_size=BATCH_SIZE, epochs=2, verbose=0)
    keras_orders = np.concatenate(seen).astype(np.int64).reshape(2, NUM_SAMPLES)
    assert np.array_equal(keras_orders[0], keras_orders[1])
    assert not np.array_equal(epoch_order(SEED, 0), epoch_order(SEED, 1))


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
        training.fit(None, np.zeros((num_x, 2)), np.zeros((num_y, 2)), batch_size, SEED)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(num_samples=0), "num_samples must be an integer >= 1, got 0"),
        (dict(batch_size=0), "batch_size must be an integer >= 1, got 0"),
        (dict(seed=-1), "seed must be an integer from 0 to 4294967295, got -1"),
        (dict(seed=2**32), "seed must be an integer from 0 to 4294967295, got 4294967296"),
        (dict(seed=1.5), "seed must be an integer from 0 to 4294967295, got 1.5"),
        (dict(first_epoch=-1), "first_epoch must be an integer >= 0, got -1"),
        (dict(last_epoch=True), "last_epoch must be an integer >= 0, got True"),
        (dict(first_epoch=2, last_epoch=2), "first_epoch must be below last_epoch, got 2 and 2"),
    ],
)
def test_bad_index_batches_are_refused(changes, message):
    arguments = dict(num_samples=10, batch_size=4, seed=SEED, first_epoch=0, last_epoch=1) | changes
    with pytest.raises(ValueError, match=message):
        training.index_batches(**arguments)


def test_flip_averaged_accuracy_classifies_each_image_by_its_softmax_and_its_mirror_images():
    backend.make_deterministic(SEED)
    cnn = model.build_model(CVConfig(padding="same", conv_blocks=2))
    rng = np.random.default_rng(SEED)
    pixels = rng.integers(0, 256, (NUM_VALIDATION, 28, 28, 1), dtype=np.uint8)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, NUM_VALIDATION)]
    images = fashion_mnist.to_model_inputs(pixels)
    averaged = cnn.predict(images, verbose=0) + cnn.predict(images[:, :, ::-1], verbose=0)
    expected = np.mean(np.argmax(averaged, axis=1) == np.argmax(labels, axis=1))
    assert training.flip_averaged_accuracy(cnn, pixels, labels, BATCH_SIZE) == pytest.approx(expected)
    assert training.flip_averaged_accuracy(cnn, images, labels, BATCH_SIZE) == pytest.approx(expected)


def test_flip_averaged_accuracy_reuses_the_outputs_already_computed():
    backend.make_deterministic(SEED)
    cnn = model.build_model(CVConfig(padding="same", conv_blocks=2))
    rng = np.random.default_rng(SEED)
    images = fashion_mnist.to_model_inputs(rng.integers(0, 256, (NUM_VALIDATION, 28, 28, 1), dtype=np.uint8))
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, NUM_VALIDATION)]
    outputs = cnn.predict(images, verbose=0)
    assert training.flip_averaged_accuracy(cnn, images, labels, BATCH_SIZE, outputs) == pytest.approx(
        training.flip_averaged_accuracy(cnn, images, labels, BATCH_SIZE)
    )
