"""The data page's tables and facts: where the data came from, array shapes, images per class, pixel statistics."""

from __future__ import annotations

import os
import pathlib

import pandas as pd

from fmnist import PERCENT
from fmnist.data import fashion_mnist


def class_counts(train_labels, test_labels) -> pd.DataFrame:
    """Return the number of images of each class in the training and test sets."""
    from fmnist import CLASS_NAMES

    frame = pd.DataFrame(
        {
            "training images": pd.Series(train_labels).value_counts().sort_index(),
            "test images": pd.Series(test_labels).value_counts().sort_index(),
        }
    )
    frame.index = pd.Index([f"{label} {CLASS_NAMES[label]}" for label in frame.index], name="class")
    return frame


def where_found(folder: str | os.PathLike) -> str:
    """Return in words where the data was found, without any machine's path (for a page to print)."""
    folder = pathlib.Path(folder).expanduser().resolve()
    if folder == fashion_mnist.DEBIAN_DIR.resolve():
        return "Debian's dataset-fashion-mnist package"
    if folder == fashion_mnist.KERAS_CACHE_DIR.expanduser().resolve():
        return "Keras's dataset cache (~/.keras/datasets/fashion-mnist)"
    named = os.environ.get(fashion_mnist.ENV_DATA_DIR)
    if named and folder == pathlib.Path(named).expanduser().resolve():
        return f"the folder named by ${fashion_mnist.ENV_DATA_DIR}"
    return "the folder named by data_dir"


def array_shapes(arrays: dict) -> pd.DataFrame:
    """Return each named array's count and the shape of one item, e.g. 60,000 images of 28 x 28."""
    return pd.DataFrame(
        {
            name: {
                "items": f"{len(array):,}",
                "each item": " x ".join(str(size) for size in array.shape[1:]) or "one label",
                "type": str(array.dtype),
            }
            for name, array in arrays.items()
        }
    ).T


def pixel_statistics(splits: dict) -> pd.DataFrame:
    """Return the mean, standard deviation and share of zero pixels of each split (0-255 scale)."""
    return pd.DataFrame(
        {
            name: {
                "images": len(images),
                "mean pixel": float(images.mean()),
                "std of pixels": float(images.std()),
                "zero pixels (%)": float((images == 0).mean() * PERCENT),
                "min": int(images.min()),
                "max": int(images.max()),
            }
            for name, images in splits.items()
        }
    ).T
