"""Figures of the Future Work sweep: accuracy against filters, and one configuration against the paper's model fold by fold."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fmnist import paper


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


