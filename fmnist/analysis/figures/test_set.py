"""Figures of an official-test run: the confusion matrix and the gallery of mistakes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn.metrics

from fmnist import CLASS_NAMES


def confusion_matrix(matrix: pd.DataFrame) -> plt.Figure:
    """Draw the confusion matrix with counts in every cell (scikit-learn's display)."""
    figure, axis = plt.subplots(figsize=(8, 7))
    display = sklearn.metrics.ConfusionMatrixDisplay(matrix.to_numpy(), display_labels=list(matrix.index))
    display.plot(ax=axis, cmap="Blues", colorbar=False, xticks_rotation=45, values_format="d")
    axis.set_title("Official test set: true class (rows) against predicted class (columns)")
    figure.tight_layout()
    return figure


def mistakes_gallery(images: np.ndarray, galleries: list[tuple[int, int, np.ndarray]], confidences: np.ndarray) -> plt.Figure:
    """Show, per (true class, predicted class, image indices) row, the test images so mistaken."""
    columns = max((len(indices) for _, _, indices in galleries), default=1) or 1
    figure, axes = plt.subplots(len(galleries), columns, figsize=(columns * 1.1 + 2.4, len(galleries) * 1.25), squeeze=False)
    for row, (true_class, predicted_class, indices) in zip(axes, galleries):
        for axis in row:
            axis.set_xticks([])
            axis.set_yticks([])
            axis.set_frame_on(False)
        for axis, index in zip(row, indices):
            axis.imshow(images[index], cmap="gray_r")
            axis.set_title(f"{confidences[index]:.0%}", fontsize=8)
        row[0].set_ylabel(
            f"{CLASS_NAMES[true_class]}\ntaken for\n{CLASS_NAMES[predicted_class]}", rotation=0, ha="right", va="center", fontsize=9
        )
    figure.suptitle("Misclassified test images, most confident mistakes first (title: the model's confidence)", fontsize=10)
    figure.tight_layout()
    return figure
