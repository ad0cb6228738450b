"""The ablation figure: each step's held-out accuracy and its training time."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import lines

KEPT_COLOUR = "C0"
DROPPED_COLOUR = "#999999"


def step_colours(table: pd.DataFrame) -> list[str]:
    """Return each step's colour: kept or dropped."""
    return [KEPT_COLOUR if kept else DROPPED_COLOUR for kept in table["kept"]]


def kept_and_dropped_keys() -> list[lines.Line2D]:
    """Return the legend's keys for a kept and a dropped step."""
    return [
        lines.Line2D([], [], marker="D", linestyle="none", color=KEPT_COLOUR, label="step kept"),
        lines.Line2D([], [], marker="D", linestyle="none", color=DROPPED_COLOUR, label="step dropped"),
    ]


def ablation(table: pd.DataFrame, target: float | None = None) -> plt.Figure:
    """Each ablation step's held-out accuracy as a point (grey: choice dropped; the axis does not start at 0, so no bars), with its training time."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    steps = list(table.index)
    positions = np.arange(len(steps))
    accuracy_axis = axes[0]
    accuracy_axis.scatter(table["held-out accuracy"], positions, color=step_colours(table), marker="D", zorder=3)
    for position, value in zip(positions, table["held-out accuracy"]):
        accuracy_axis.annotate(f"{value:.2f}", (value, position), xytext=(6, 0), textcoords="offset points", va="center", fontsize=9)
    low = float(table["held-out accuracy"].min())
    high = float(max(table["held-out accuracy"].max(), target or 0))
    accuracy_axis.set_xlim(low - 0.5, high + 0.8)
    keys = kept_and_dropped_keys()
    if target is not None:
        keys.append(accuracy_axis.axvline(target, color="C3", linestyle="--", linewidth=1, label=f"target {target:.1f}%"))
    # The keys go below the panel, where they cover no step.
    accuracy_axis.legend(handles=keys, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(keys), fontsize=8)
    finish_step_panels(figure, table, steps, "training minutes (one core)")
    return figure


def ladder(steps: list, table: pd.DataFrame) -> plt.Figure:
    """Each ladder step's held-out accuracy at every seed (dots) and their mean (diamond; grey: step dropped), with its training time.

    `steps` are the `fmnist.experiments.better_cnn.LadderStep`s and `table` their
    `fmnist.analysis.ablation_results.ladder_table`.
    """
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [2, 1]})
    positions = np.arange(len(steps))
    accuracy_axis = axes[0]
    means = table["held-out accuracy"]
    accuracy_axis.scatter(means, positions, color=step_colours(table), marker="D", s=50, zorder=3)
    for position, step, mean in zip(positions, steps, means):
        values = [result.held_out_accuracy * 100 for result in step.results]
        accuracy_axis.plot(values, [position] * len(values), "o", color="black", markersize=3, zorder=4)
        accuracy_axis.annotate(f"{mean:.2f}", (max(values), position), xytext=(6, 0), textcoords="offset points", va="center", fontsize=9)
    one_seed = lines.Line2D([], [], marker="o", linestyle="none", color="black", markersize=3, label="one seed")
    accuracy_axis.legend(handles=[*kept_and_dropped_keys(), one_seed], loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8)
    every = [result.held_out_accuracy * 100 for step in steps for result in step.results]
    accuracy_axis.set_xlim(min(every) - 0.5, max(every) + 0.5)
    finish_step_panels(figure, table, [textwrap.fill(name, 34) for name in table.index], "training minutes (2 cores)")
    return figure


def finish_step_panels(figure: plt.Figure, table: pd.DataFrame, labels: list[str], time_label: str) -> None:
    """Label the accuracy panel, draw each step's training minutes in the time panel, and name the steps down the side."""
    accuracy_axis, time_axis = figure.axes
    positions = np.arange(len(table))
    accuracy_axis.set_xlabel("held-out accuracy on fold 1 (%)")
    time_axis.barh(positions, table["training minutes"], color="#888888")
    time_axis.set_xlabel(time_label)
    for axis in (accuracy_axis, time_axis):
        axis.set_yticks(positions, labels)
        axis.invert_yaxis()
        axis.grid(alpha=0.3, axis="x")
    time_axis.set_yticklabels([])
    figure.tight_layout()
