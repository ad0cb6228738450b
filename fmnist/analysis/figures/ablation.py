"""The ablation figure: each step's held-out accuracy and its training time."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd



def ablation(table: pd.DataFrame, target: float | None = None) -> plt.Figure:
    """Bar chart of each ablation step's held-out accuracy (grey: choice dropped), with its training time."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    steps = list(table.index)
    positions = np.arange(len(steps))
    accuracy_axis = axes[0]
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
    finish_step_panels(figure, table, steps, "training minutes (one core)")
    return figure


def ladder(steps: list, table: pd.DataFrame) -> plt.Figure:
    """Each ladder step's held-out accuracy at every seed (dots) and their mean (bar; grey: step dropped), with its training time.

    `steps` are the `fmnist.experiments.better_cnn.LadderStep`s and `table` their
    `fmnist.analysis.ablation_results.ladder_table`.
    """
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [2, 1]})
    positions = np.arange(len(steps))
    accuracy_axis = axes[0]
    colors = ["C0" if kept else "#bbbbbb" for kept in table["kept"]]
    means = table["held-out accuracy"]
    accuracy_axis.barh(positions, means, color=colors, alpha=0.6)
    for position, step, mean in zip(positions, steps, means):
        values = [result["test_accuracy"] * 100 for result in step.results]
        accuracy_axis.plot(values, [position] * len(values), "o", color="black", markersize=4)
        accuracy_axis.annotate(f"{mean:.2f}", (max(values), position), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    accuracy_axis.plot([], [], "o", color="black", markersize=4, label="one seed")
    accuracy_axis.legend(loc="lower right")
    every = [result["test_accuracy"] * 100 for step in steps for result in step.results]
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
