"""The figures of the noise study, drawn from saved results only (`fmnist.analysis.noise` computes their numbers)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fmnist.analysis import noise

# A small horizontal jitter keeps seeds with nearly equal means apart in a strip plot.
JITTER = 0.08


def seed_strip(means: pd.DataFrame, arm_names: dict[str, str], metric: str = "held-out") -> plt.Figure:
    """Plot each seed's Table I mean per arm, with each arm's mean and 95% interval and the paper's value."""
    noise.check_metric(metric)
    arms = [arm for arm in arm_names if arm in set(means.index.get_level_values("arm"))]
    table = noise.arm_table(means, metric)
    figure, axis = plt.subplots(figsize=(8, 4.2))
    rng = np.random.default_rng(0)
    for position, arm in enumerate(arms):
        values = means.xs(arm, level="arm")[f"{metric} mean"].to_numpy()
        axis.scatter(position + rng.uniform(-JITTER, JITTER, len(values)), values, s=28, alpha=0.8, label=None)
        row = table.loc[arm]
        axis.errorbar(
            position + 0.25,
            row["mean"],
            yerr=[[row["mean"] - row["mean 95% low"]], [row["mean 95% high"] - row["mean"]]],
            fmt="s",
            color="black",
            capsize=4,
        )
    axis.axhline(noise.PAPER_MEANS[metric], color="#c0392b", linestyle="--", linewidth=1.2, label=f"the paper's Table I ({noise.PAPER_MEANS[metric]:.2f}%)")
    axis.set_xticks(range(len(arms)), [textwrap.fill(arm_names[arm], 24) for arm in arms], fontsize=8)
    axis.set_ylabel(f"Table I mean {metric} accuracy (%)")
    axis.set_title("One dot per seed; black: the arm's mean and its 95% interval", fontsize=10)
    axis.legend(loc="best", fontsize=8)
    figure.tight_layout()
    return figure


def fold_boxes(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> plt.Figure:
    """Box-plot each fold's `metric` accuracy over one arm's seeds, with the paper's fold marked."""
    noise.check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    fold_indices = sorted(chosen["fold"].unique())
    figure, axis = plt.subplots(figsize=(8, 3.8))
    axis.boxplot([chosen[chosen["fold"] == k][metric] for k in fold_indices], positions=fold_indices, widths=0.5)
    paper_values = [noise.PAPER_FOLDS[metric][k - 1] for k in fold_indices]
    axis.scatter(fold_indices, paper_values, marker="D", color="#c0392b", zorder=3, label="the paper's fold")
    axis.set_xlabel("fold k")
    axis.set_ylabel(f"{metric} accuracy (%)")
    axis.set_title(f"Each fold over {chosen['seed'].nunique()} seeds (boxes) and the paper's one draw (diamonds)", fontsize=10)
    axis.legend(loc="best", fontsize=8)
    figure.tight_layout()
    return figure
