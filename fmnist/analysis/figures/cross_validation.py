"""Figures of the cross-validation: learning curves and each fold's accuracy beside the paper's."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fmnist import PERCENT, paper
from fmnist.store import result_types

HISTORY_METRICS = (("accuracy", "val_accuracy", "accuracy"), ("loss", "val_loss", "loss"))


def learning_curves(folds: list[result_types.FoldResult]) -> plt.Figure:
    """Plot training and held-out accuracy and loss per epoch for every fold."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for axis, (train_key, val_key, name) in zip(axes, HISTORY_METRICS):
        for fold, color in zip(folds, colors):
            epochs = np.arange(1, len(fold.history[train_key]) + 1)
            # Accuracy in percent, as everywhere in the book; loss as it is.
            scale = PERCENT if name == "accuracy" else 1
            axis.plot(epochs, np.asarray(fold.history[train_key]) * scale, color=color, linestyle="--")
            axis.plot(epochs, np.asarray(fold.history[val_key]) * scale, color=color, label=f"fold {fold.fold_index}")
        axis.set_xlabel("epoch")
        axis.set_ylabel("accuracy (%)" if name == "accuracy" else name)
        axis.set_title(f"{name}: training (dashed) and held-out (solid)")
        axis.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    figure.tight_layout()
    return figure


def fold_accuracies_against_paper(per_fold: pd.DataFrame) -> plt.Figure:
    """Plot our per-fold accuracies beside the paper's Table I, training and held-out, as points per fold (folds are categories, not a series)."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharex=True)
    paper_values = {
        "Train Accuracy": paper.TABLE_ONE_TRAIN_ACCURACY,
        "Test Accuracy": paper.TABLE_ONE_TEST_ACCURACY,
    }
    titles = {"Train Accuracy": "training part", "Test Accuracy": "held-out part"}
    for axis, column in zip(axes, per_fold.columns):
        paper_folds = np.arange(1, len(paper_values[column]) + 1)
        axis.plot(paper_folds - 0.08, paper_values[column], "s", label="paper", color="#666666")
        axis.plot(per_fold.index + 0.08, per_fold[column], "o", label="ours", color="C0")
        axis.axhline(paper.TABLE_ONE_MEAN[column], color="#666666", linewidth=0.8, linestyle="--", label="paper's mean")
        axis.axhline(per_fold[column].mean(), color="C0", linewidth=0.8, linestyle="--", label="our mean")
        axis.set_title(f"Accuracy on each fold's {titles[column]}")
        axis.set_xlabel("fold")
        axis.set_ylabel("accuracy (%)")
        axis.set_xticks(paper_folds)
        axis.grid(alpha=0.3, axis="y")
        axis.legend(fontsize=8)
    figure.tight_layout()
    return figure
