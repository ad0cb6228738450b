"""The paper's CNN, layer by layer."""

import pytest

from fmnist import model, paper


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
    cnn = model.build_model(filters=64, padding="same")
    rows = model.layer_table(cnn)
    assert rows[0]["output_shape"] == (28, 28, 64)
    flat = 14 * 14 * 64
    assert cnn.count_params() == (9 * 64 + 64) + (flat * 128 + 128) + 8_256 + 650


def test_unknown_padding_is_refused():
    with pytest.raises(ValueError, match="padding"):
        model.build_model(padding="full")
