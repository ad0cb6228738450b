"""The paper's CNN, layer by layer."""

import pytest

from fmnist import paper
from fmnist.engine import model
from fmnist.config import CVConfig


def test_paper_model_has_the_papers_layers_and_parameters():
    cnn = model.build_model()
    rows = model.layer_table(cnn)
    assert [row["kind"] for row in rows] == [
        "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense", "Dense",
    ]
    assert [row["output_shape"] for row in rows] == [
        (26, 26, 32), (13, 13, 32), (5408,), (128,), (64,), (10,),
    ]
    assert [row["parameters"] for row in rows] == [320, 0, 0, 692_352, 8_256, 650]
    assert cnn.count_params() == paper.NUM_PARAMETERS == 701_578


def test_paper_model_settings():
    cnn = model.build_model()
    conv = cnn.get_layer("conv")
    assert conv.kernel_size == (3, 3)
    assert conv.padding == "valid"
    assert type(conv.kernel_initializer).__name__ == "GlorotNormal"
    assert cnn.get_layer("output").activation.__name__ == "softmax"
    optimizer = cnn.optimizer
    assert type(optimizer).__name__ == "SGD"
    assert float(optimizer.learning_rate) == pytest.approx(0.01)
    assert optimizer.momentum == pytest.approx(0.9)


def test_future_work_knobs_change_the_model():
    cnn = model.build_model(CVConfig(filters=64, padding="same"))
    rows = model.layer_table(cnn)
    assert rows[0]["output_shape"] == (28, 28, 64)
    flat = 14 * 14 * 64
    assert cnn.count_params() == (9 * 64 + 64) + (flat * 128 + 128) + 8_256 + 650


def test_second_block_doubles_the_filters_at_half_the_size():
    cnn = model.build_model(CVConfig(padding="same", conv_blocks=2, batch_norm=True))
    shapes = {row["layer"]: row["output_shape"] for row in model.layer_table(cnn)}
    assert shapes["conv_1"] == (28, 28, 32) and shapes["pool_1"] == (14, 14, 32)
    assert shapes["conv_2"] == (14, 14, 64) and shapes["pool_2"] == (7, 7, 64)
    assert cnn.get_layer("conv_2").use_bias is False
    assert cnn.name == "small_cnn"


def test_dropout_and_augmentation_layers_appear_only_when_chosen():
    names = [layer.name for layer in model.build_model().layers]
    assert not any(name.startswith(("dropout", "shift", "batch_norm")) for name in names)
    chosen = model.build_model(CVConfig(dropout=0.25, augment=True))
    assert [layer.name for layer in chosen.layers][:1] == ["shift"]
    assert chosen.get_layer("dropout_1").rate == pytest.approx(0.25)
    assert chosen.get_layer("dropout_2").rate == pytest.approx(0.25)


def test_augmentation_moves_training_images_by_whole_pixels_only():
    import numpy as np

    image = np.zeros((1, 28, 28, 1), dtype="float32")
    image[0, 10:18, 10:18, 0] = 1.0
    shifted = np.asarray(model.augmentation_layers()[0](image, training=True))
    assert set(np.unique(shifted)) <= {0.0, 1.0}
    assert shifted.sum() == image.sum()
    inference = np.asarray(model.augmentation_layers()[0](image, training=False))
    assert (inference == image).all()


def test_cosine_schedule_decays_to_zero_over_training():
    config = CVConfig(lr_schedule="cosine", epochs=2, batch_size=10)
    schedule = model.learning_rate(config, num_train=100)
    assert float(schedule(0)) == pytest.approx(0.01)
    assert float(schedule(20)) == pytest.approx(0.0, abs=1e-9)
    assert model.learning_rate(CVConfig(), num_train=100) == 0.01
