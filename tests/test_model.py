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
    (shift,) = model.augmentation_layers(CVConfig(augment=True))
    shifted = np.asarray(shift(image, training=True))
    assert set(np.unique(shifted)) <= {0.0, 1.0}
    assert shifted.sum() == image.sum()
    inference = np.asarray(shift(image, training=False))
    assert (inference == image).all()


def test_flip_mirrors_left_to_right_before_the_shift_and_only_in_training():
    import numpy as np

    flip, shift = model.augmentation_layers(CVConfig(augment=True, flip=True))
    assert (flip.name, shift.name) == ("flip", "shift")
    image = np.zeros((64, 28, 28, 1), dtype="float32")
    image[:, :, :5, 0] = 1.0
    flipped = np.asarray(flip(image, training=True))
    mirrored = flipped[:, :, -5:, 0].sum(axis=(1, 2)) == 28 * 5
    untouched = (flipped == image).all(axis=(1, 2, 3))
    assert (mirrored | untouched).all() and mirrored.any() and untouched.any()
    assert (np.asarray(flip(image, training=False)) == image).all()
    assert model.augmentation_layers(CVConfig()) == []


def test_later_blocks_take_two_convolutions_and_the_pooled_head_has_one_dense_layer():
    config = CVConfig(padding="same", conv_blocks=3, batch_norm=True, convs_per_block=2, head="pooled", dropout=0.2)
    names = [layer.name for layer in model.build_model(config).layers]
    assert [name for name in names if name.startswith("conv")] == ["conv_1", "conv_2a", "conv_2b", "conv_3a", "conv_3b"]
    assert names[-3:] == ["average_pool", "dropout", "output"]


def test_the_better_cnns_training_choices_reach_the_optimizer_and_the_loss():
    config = CVConfig(nesterov=True, weight_decay=5e-4, label_smoothing=0.1)
    cnn = model.build_model(config)
    assert cnn.optimizer.nesterov and cnn.optimizer.weight_decay == pytest.approx(5e-4)
    assert model.loss(config).get_config()["label_smoothing"] == pytest.approx(0.1)
    paper = model.build_model(CVConfig())
    assert not paper.optimizer.nesterov and paper.optimizer.weight_decay is None
    assert model.loss(CVConfig()) == "categorical_crossentropy"


def test_warmup_cosine_rises_over_the_first_epoch_then_decays_to_zero():
    config = CVConfig(lr_schedule="warmup-cosine", learning_rate=0.1, epochs=4, batch_size=10)
    schedule = model.learning_rate(config, num_train=100)
    assert float(schedule(0)) == pytest.approx(0.0, abs=1e-9)
    assert float(schedule(5)) == pytest.approx(0.05)
    assert float(schedule(10)) == pytest.approx(0.1)
    assert float(schedule(40)) == pytest.approx(0.0, abs=1e-9)
    assert float(schedule(25)) < 0.1


def test_cosine_schedule_decays_to_zero_over_training():
    config = CVConfig(lr_schedule="cosine", epochs=2, batch_size=10)
    schedule = model.learning_rate(config, num_train=100)
    assert float(schedule(0)) == pytest.approx(0.01)
    assert float(schedule(20)) == pytest.approx(0.0, abs=1e-9)
    assert model.learning_rate(CVConfig(), num_train=100) == 0.01
