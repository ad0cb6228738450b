"""The book's figures, drawn with matplotlib from the data and from saved results only."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fmnist import CLASS_NAMES, paper

HISTORY_METRICS = (("accuracy", "val_accuracy", "accuracy"), ("loss", "val_loss", "loss"))


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


def model_diagram(layers: list[dict]) -> plt.Figure:
    """Draw the layers top to bottom with their output shapes and parameter counts (Fig. 2)."""
    box_height, gap = 0.7, 0.45
    figure, axis = plt.subplots(figsize=(6.5, (box_height + gap) * (len(layers) + 1)))
    rows = [{"layer": "input", "kind": "Input", "output_shape": layers[0].get("input_shape", (28, 28, 1)), "parameters": 0}]
    rows += layers
    for position, row in enumerate(rows):
        top = -position * (box_height + gap)
        axis.add_patch(
            plt.Rectangle((0, top - box_height), 1, box_height, facecolor="#e8eef7", edgecolor="#34558b")
        )
        axis.text(0.5, top - box_height * 0.35, f"{row['kind']}  ({row['layer']})", ha="center", va="center", fontsize=10, weight="bold")
        shape = "x".join(str(size) for size in row["output_shape"])
        axis.text(0.5, top - box_height * 0.72, f"output {shape}   parameters {row['parameters']:,}", ha="center", va="center", fontsize=9)
        if position:
            axis.annotate("", xy=(0.5, top), xytext=(0.5, top + gap), arrowprops={"arrowstyle": "->"})
    axis.set_xlim(-0.05, 1.05)
    axis.set_ylim(-(len(rows)) * (box_height + gap), 0.1)
    axis.axis("off")
    figure.tight_layout()
    return figure


def learning_curves(folds: list[dict]) -> plt.Figure:
    """Plot training and held-out accuracy and loss per epoch for every fold."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for axis, (train_key, val_key, name) in zip(axes, HISTORY_METRICS):
        for fold, color in zip(folds, colors):
            epochs = np.arange(1, len(fold["history"][train_key]) + 1)
            axis.plot(epochs, fold["history"][train_key], color=color, linestyle="--")
            axis.plot(epochs, fold["history"][val_key], color=color, label=f"fold {fold['fold_index']}")
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.set_title(f"{name}: training (dashed) and held-out (solid)")
        axis.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    figure.tight_layout()
    return figure


def fold_accuracies_against_paper(per_fold: pd.DataFrame) -> plt.Figure:
    """Plot our per-fold accuracies beside the paper's Table I, for both columns."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharex=True)
    paper_values = {
        "Train Accuracy": paper.TABLE_ONE_TRAIN_ACCURACY,
        "Test Accuracy": paper.TABLE_ONE_TEST_ACCURACY,
    }
    for axis, column in zip(axes, per_fold.columns):
        paper_folds = np.arange(1, len(paper_values[column]) + 1)
        axis.plot(paper_folds, paper_values[column], "s--", label="paper", color="#888888")
        axis.plot(per_fold.index, per_fold[column], "o-", label="ours")
        axis.axhline(paper.TABLE_ONE_MEAN[column], color="#888888", linewidth=0.8)
        axis.axhline(per_fold[column].mean(), color="C0", linewidth=0.8)
        axis.set_title(f"{column} per fold (lines: means)")
        axis.set_xlabel("fold k")
        axis.set_ylabel("percent")
        axis.set_xticks(paper_folds)
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    return figure
