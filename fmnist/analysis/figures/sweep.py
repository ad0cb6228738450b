"""Figures of the Future Work sweep: each configuration against the paper's model over filters, and one configuration fold by fold."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def sweep_accuracy(intervals: pd.DataFrame, summary: pd.DataFrame) -> plt.Figure:
    """Plot each configuration's paired difference from the paper's model (bars: the corrected 95% interval) and its training time, against filters."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    difference_axis, time_axis = axes
    for offset, (padding, rows) in zip((-0.04, 0.04), intervals.groupby(level="padding")):
        filters = rows.index.get_level_values("filters").to_numpy()
        positions = filters * 2**offset
        errors = [rows["mean difference"] - rows["95% low"], rows["95% high"] - rows["mean difference"]]
        difference_axis.errorbar(positions, rows["mean difference"], yerr=errors, marker="o", linestyle="none", capsize=4, label=f"padding '{padding}'")
    for padding, rows in summary.groupby(level="padding"):
        time_axis.plot(rows.index.get_level_values("filters"), rows["training minutes"], marker="o", label=f"padding '{padding}'")
    difference_axis.axhline(0, color="#666666", linestyle="--", linewidth=1, label="the paper's model (32 filters, 'valid')")
    difference_axis.set_ylabel("held-out accuracy minus the paper's model (points)")
    difference_axis.set_title("Paired difference over the 5 folds (bars: 95% interval)")
    time_axis.set_ylabel("minutes (sum over folds, one core each)")
    time_axis.set_title("Training time")
    for axis in axes:
        axis.set_xscale("log", base=2)
        axis.set_xticks(sorted(set(summary.index.get_level_values("filters"))))
        axis.get_xaxis().set_major_formatter(plt.ScalarFormatter())
        axis.set_xlabel("convolution filters")
        axis.grid(alpha=0.3)
    # The keys go below the panels, where they cover no point.
    difference_axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8)
    time_axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8)
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


