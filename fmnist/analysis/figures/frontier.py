"""The budget frontier's figure: test accuracy against quiet minutes on 2 cores, and against epochs beside published networks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import lines

from fmnist import anchors, budgets
from fmnist.analysis import frontier_results

MODEL_COLOURS = {budgets.FIRST_WALK_CNN: "C0", budgets.SECOND_WALK_CNN: "C2", budgets.AUGMENTED_CNN: "C1"}
PUBLISHED_COLOUR = "#555555"
TARGET_COLOUR = "C3"


def model_points(runs: pd.DataFrame, model: str) -> pd.DataFrame:
    """Return a model's points, one per epochs: the mean and seed sd of both scores (from `frontier_results.runs_table` rows)."""
    points = runs[runs["model"] == model].groupby("epochs")[["test accuracy", "with flip averaging"]].agg(["mean", "std"])
    points.columns = ["mean", "sd", "flip mean", "flip sd"]
    return points.fillna({"sd": 0.0, "flip sd": 0.0})


def draw_model(axis, runs: pd.DataFrame, model: str, positions, with_flips: bool) -> None:
    """Draw a model's seeds (dots), their mean with its seed sd (diamond and bar), joined across its epochs, and the flip-averaged means (hollow diamonds)."""
    colour = MODEL_COLOURS[model]
    points = model_points(runs, model)
    x = [positions(epochs) for epochs in points.index]
    ours = runs[runs["model"] == model]
    axis.scatter([positions(epochs) for epochs in ours["epochs"]], ours["test accuracy"], color=colour, s=12, alpha=0.6, zorder=3)
    axis.errorbar(x, points["mean"], yerr=points["sd"], color=colour, marker="D", markersize=7, capsize=3, linewidth=1.2, zorder=4)
    if with_flips:
        axis.errorbar(
            x, points["flip mean"], yerr=points["flip sd"], color=colour, marker="D", markersize=7, markerfacecolor="white",
            capsize=3, linewidth=1, linestyle=":", zorder=4,
        )


def frontier(runs: pd.DataFrame, report: dict, shown_budgets=budgets.BUDGETS, published=anchors.TIMED_ANCHORS) -> plt.Figure:
    """Two panels sharing the accuracy axis: ours against quiet minutes on 2 cores with the budgets and targets, and ours beside published networks against epochs.

    `runs` is `frontier_results.runs_table`; `report` the frontier benchmark's report,
    whose quiet epoch times place each run on the minutes axis.
    """
    figure, (minutes_axis, epochs_axis) = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    shown = [model for model in MODEL_COLOURS if model in set(runs["model"])]
    for model in shown:
        flips = model == budgets.AUGMENTED_CNN
        draw_model(minutes_axis, runs, model, lambda epochs, model=model: frontier_results.quiet_minutes(model, epochs, report), flips)
        draw_model(epochs_axis, runs, model, lambda epochs: epochs, flips)
    for budget in shown_budgets:
        minutes_axis.axvline(budget.minutes, color="#bbbbbb", linestyle="--", linewidth=1, zorder=1)
        minutes_axis.annotate(f"{budget.minutes} min", (budget.minutes, 1), xycoords=("data", "axes fraction"), xytext=(2, -12), textcoords="offset points", fontsize=8)
        for target in (budget.target, budget.target_flip_averaged):
            if target is not None:
                minutes_axis.scatter([budget.minutes], [target], marker="_", s=300, linewidths=2, color=TARGET_COLOUR, zorder=5)
    for anchor in published:
        epochs_axis.errorbar(
            [anchor.epochs], [(anchor.low + anchor.high) / 2], yerr=[[(anchor.high - anchor.low) / 2]], color=PUBLISHED_COLOUR,
            marker="s", markersize=6, capsize=3, linestyle="none", zorder=3,
        )
        epochs_axis.annotate(anchor.network, (anchor.epochs, anchor.high), xytext=(-4, 5), ha="right" if anchor.epochs > 100 else "left", textcoords="offset points", fontsize=7, color=PUBLISHED_COLOUR)
    # Room above the highest published point for its label.
    minutes_axis.set_ylim(top=max([anchor.high for anchor in published] + [minutes_axis.get_ylim()[1]]) + 0.2)
    minutes_axis.set_xlabel("training minutes on 2 quiet cores (epochs × the benchmark's quiet epoch)")
    minutes_axis.set_ylabel("official test accuracy (%)")
    minutes_axis.set_xlim(0, max(budget.minutes for budget in shown_budgets) * 1.12)
    epochs_axis.set_xscale("log")
    epochs_axis.set_xlabel("epochs (log scale); published runs on GPUs")
    for axis in (minutes_axis, epochs_axis):
        axis.grid(alpha=0.3)
    keys = [
        lines.Line2D([], [], color=MODEL_COLOURS[model], marker="D", label=model) for model in shown
    ] + [
        lines.Line2D([], [], color=MODEL_COLOURS[budgets.AUGMENTED_CNN], marker="D", markerfacecolor="white", linestyle=":", label="with flip averaging"),
        lines.Line2D([], [], color=TARGET_COLOUR, marker="_", markersize=14, linestyle="none", label="target"),
        lines.Line2D([], [], color=PUBLISHED_COLOUR, marker="s", linestyle="none", label="published (GPU)"),
    ]
    figure.legend(handles=keys, loc="lower center", ncol=len(keys), fontsize=8, bbox_to_anchor=(0.5, -0.02))
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    return figure
