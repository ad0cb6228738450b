"""The data page's tables: images per class and pixel statistics of each split."""

from __future__ import annotations

import pandas as pd

from fmnist import PERCENT


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
