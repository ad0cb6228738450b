"""The data and method pages' tables and facts, as a reader sees them."""

import numpy as np

from fmnist.analysis import dataset_summary, model_summary
from fmnist.data import fashion_mnist


def test_where_the_data_was_found_is_said_in_words(tmp_path, monkeypatch):
    monkeypatch.delenv(fashion_mnist.ENV_DATA_DIR, raising=False)
    assert dataset_summary.where_found(fashion_mnist.DEBIAN_DIR) == "Debian's dataset-fashion-mnist package"
    assert dataset_summary.where_found(tmp_path) == "the folder named by data_dir"
    monkeypatch.setenv(fashion_mnist.ENV_DATA_DIR, str(tmp_path))
    assert dataset_summary.where_found(tmp_path) == "the folder named by $FMNIST_DATA_DIR"
    assert str(tmp_path) not in dataset_summary.where_found(tmp_path)


def test_array_shapes_count_items_and_describe_one():
    table = dataset_summary.array_shapes({"images": np.zeros((60000, 28, 28), np.uint8), "labels": np.zeros(60000, np.uint8)})
    assert table.loc["images"].to_dict() == {"items": "60,000", "each item": "28 x 28", "type": "uint8"}
    assert table.loc["labels", "each item"] == "one label"


def test_the_layer_table_has_readable_headers_and_counts():
    layers = [
        {"layer": "conv", "kind": "Conv2D", "output_shape": (26, 26, 32), "parameters": 320},
        {"layer": "dense", "kind": "Dense", "output_shape": (128,), "parameters": 692352},
    ]
    frame = model_summary.layer_frame(layers)
    assert list(frame.columns) == ["kind", "output shape", "parameters"]
    assert frame.loc["conv", "output shape"] == "26 x 26 x 32"
    assert frame.loc["total", "parameters"] == "692,672"
