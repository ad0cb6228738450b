"""The figures of the chapters beyond the paper, drawn from saved results only."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn.metrics

from fmnist import CLASS_NAMES, paper


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


def sweep_accuracy(summary: pd.DataFrame, paper_mean: float = paper.TABLE_ONE_MEAN["Test Accuracy"]) -> plt.Figure:
    """Plot mean held-out accuracy (error bars: std over folds) against filters, one line per padding."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    accuracy_axis, time_axis = axes
    for padding, rows in summary.groupby(level="padding"):
        filters = rows.index.get_level_values("filters")
        accuracy_axis.errorbar(filters, rows["held-out mean"], yerr=rows["held-out std"], marker="o", capsize=4, label=f"padding '{padding}'")
        time_axis.plot(filters, rows["training minutes"], marker="o", label=f"padding '{padding}'")
    accuracy_axis.axhline(paper_mean, color="#888888", linestyle="--", linewidth=1, label="paper's Table I mean (32, valid)")
    accuracy_axis.set_ylabel("held-out accuracy (%)")
    accuracy_axis.set_title("Mean held-out accuracy over the 5 folds (bars: std)")
    time_axis.set_ylabel("minutes (sum over folds, one core each)")
    time_axis.set_title("Training time")
    for axis in axes:
        axis.set_xscale("log", base=2)
        axis.set_xticks(sorted(set(summary.index.get_level_values("filters"))))
        axis.get_xaxis().set_major_formatter(plt.ScalarFormatter())
        axis.set_xlabel("convolution filters")
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    return figure


def paired_folds(ours: pd.Series, baseline: pd.Series, ours_label: str, baseline_label: str) -> plt.Figure:
    """Plot two runs' held-out accuracy on the same folds, with a line joining each fold's pair."""
    figure, axis = plt.subplots(figsize=(6, 4))
    for fold in ours.index:
        axis.plot([0, 1], [baseline[fold], ours[fold]], color="#999999", linewidth=1)
        axis.annotate(f"k={fold}", (1.03, ours[fold]), fontsize=8, va="center")
    axis.scatter(np.zeros(len(baseline)), baseline, color="#888888", zorder=3)
    axis.scatter(np.ones(len(ours)), ours, color="C0", zorder=3)
    axis.set_xticks([0, 1], [baseline_label, ours_label])
    axis.set_xlim(-0.4, 1.4)
    axis.set_ylabel("held-out accuracy (%)")
    axis.set_title("The same five folds, two models")
    axis.grid(alpha=0.3, axis="y")
    figure.tight_layout()
    return figure


def ablation(table: pd.DataFrame, target: float | None = None) -> plt.Figure:
    """Bar chart of each ablation step's held-out accuracy (grey: choice dropped), with its training time."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    steps = list(table.index)
    positions = np.arange(len(steps))
    accuracy_axis, time_axis = axes
    colors = ["C0" if kept else "#bbbbbb" for kept in table["kept"]]
    accuracy_axis.barh(positions, table["held-out accuracy"], color=colors)
    for position, value in zip(positions, table["held-out accuracy"]):
        accuracy_axis.annotate(f"{value:.2f}", (value, position), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    low = float(table["held-out accuracy"].min())
    high = float(max(table["held-out accuracy"].max(), target or 0))
    accuracy_axis.set_xlim(low - 1.0, high + 1.0)
    if target is not None:
        accuracy_axis.axvline(target, color="C3", linestyle="--", linewidth=1, label=f"target {target:.1f}%")
        accuracy_axis.legend(loc="lower right")
    accuracy_axis.set_xlabel("held-out accuracy on fold 1 (%)")
    time_axis.barh(positions, table["training minutes"], color="#888888")
    time_axis.set_xlabel("training minutes (one core)")
    for axis in axes:
        axis.set_yticks(positions, steps)
        axis.invert_yaxis()
        axis.grid(alpha=0.3, axis="x")
    time_axis.set_yticklabels([])
    figure.tight_layout()
    return figure
