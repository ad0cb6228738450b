"""Figures of the data page: sample images of every class and the class balance."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fmnist import CLASS_NAMES


def sample_grid(images: np.ndarray, labels: np.ndarray, per_class: int = 6) -> plt.Figure:
    """Show the first `per_class` images of every class, one row per class (Fig. 1)."""
    if per_class < 1:
        raise ValueError(f"per_class must be >= 1, got {per_class!r}")
    figure, axes = plt.subplots(
        len(CLASS_NAMES), per_class, figsize=(per_class * 0.9 + 1.6, len(CLASS_NAMES) * 0.9)
    )
    axes = np.asarray(axes).reshape(len(CLASS_NAMES), per_class)
    for label, row in enumerate(axes):
        indices = np.flatnonzero(labels == label)[:per_class]
        for axis, index in zip(row, indices):
            axis.imshow(images[index], cmap="gray_r")
        for axis in row:
            axis.set_xticks([])
            axis.set_yticks([])
        row[0].set_ylabel(f"{label} {CLASS_NAMES[label]}", rotation=0, ha="right", va="center")
    figure.tight_layout()
    return figure


def class_balance(train_labels: np.ndarray, test_labels: np.ndarray) -> plt.Figure:
    """Bar chart of the number of images per class in the training and test sets."""
    counts = pd.DataFrame(
        {
            "training": np.bincount(train_labels, minlength=len(CLASS_NAMES)),
            "test": np.bincount(test_labels, minlength=len(CLASS_NAMES)),
        },
        index=list(CLASS_NAMES),
    )
    axis = counts.plot.bar(figsize=(8, 3.5), rot=30)
    axis.set_ylabel("images")
    axis.set_title("Images per class")
    axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axis.figure.tight_layout()
    return axis.figure
