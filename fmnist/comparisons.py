"""Tables that set runs beside each other: the Future Work sweep and the better CNN's ablation.

Everything here reads saved results only. Two runs of the same folds are compared
fold by fold (paired differences), which removes the part of the spread that
comes from which images each fold holds.
"""

from __future__ import annotations

import pandas as pd
import scipy.stats

from fmnist.config import CVConfig

PERCENT = 100.0
SECONDS_PER_MINUTE = 60.0
SIGNIFICANCE_LEVEL = 0.05


def held_out(folds: list[dict]) -> pd.Series:
    """Return each fold's held-out accuracy in percent, indexed by fold."""
    return pd.Series(
        {fold["fold_index"]: fold["test_accuracy"] * PERCENT for fold in folds}, name="held-out accuracy"
    ).sort_index()


def sweep_summary(runs: list[tuple[CVConfig, list[dict]]]) -> pd.DataFrame:
    """Return one row per configuration: parameters, accuracies (mean, population std) and training time."""
    rows = []
    for config, folds in runs:
        accuracy = held_out(folds)
        train = pd.Series([fold["train_accuracy"] * PERCENT for fold in folds])
        rows.append(
            {
                "filters": config.filters,
                "padding": config.padding,
                "parameters": folds[0]["num_parameters"],
                "folds": len(folds),
                "held-out mean": accuracy.mean(),
                "held-out std": accuracy.std(ddof=0),
                "train mean": train.mean(),
                "training minutes": sum(fold["wall_seconds"] for fold in folds) / SECONDS_PER_MINUTE,
            }
        )
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def paired_difference(folds: list[dict], baseline: list[dict]) -> dict:
    """Compare two runs on the same folds: mean paired difference, folds better, paired t-test."""
    ours, theirs = held_out(folds), held_out(baseline)
    if list(ours.index) != list(theirs.index):
        raise ValueError(
            f"paired comparison needs the same folds, got {list(ours.index)} and {list(theirs.index)}"
        )
    difference = ours - theirs
    if difference.nunique() == 1:
        # No spread in the differences: the t statistic is 0 (all equal) or infinite.
        p_value = 1.0 if difference.iloc[0] == 0 else 0.0
    else:
        p_value = float(scipy.stats.ttest_rel(ours, theirs).pvalue)
    return {
        "mean difference": float(difference.mean()),
        "smallest difference": float(difference.min()),
        "largest difference": float(difference.max()),
        "folds better": int((difference > 0).sum()),
        "p-value": p_value,
        "significant": p_value < SIGNIFICANCE_LEVEL,
    }


def sweep_against_baseline(runs: list[tuple[CVConfig, list[dict]]], baseline: list[dict]) -> pd.DataFrame:
    """Return every configuration's paired comparison with the baseline run (the paper's model)."""
    rows = []
    for config, folds in runs:
        rows.append({"padding": config.padding, "filters": config.filters, **paired_difference(folds, baseline)})
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def significantly_better(against: pd.DataFrame) -> pd.DataFrame:
    """Return the configurations significantly better than the baseline on the same folds."""
    return against[against["significant"] & (against["mean difference"] > 0)]


def conjecture_outcome(against: pd.DataFrame) -> str:
    """Return "did not hold" or "held in part": whether any configuration is significantly better."""
    return "did not hold" if significantly_better(against).empty else "held in part"


def conjecture_verdict(against: pd.DataFrame) -> str:
    """Return, in words, what the paired comparisons say about the paper's conjecture."""
    better = significantly_better(against)
    worse = against[against["significant"] & (against["mean difference"] < 0)]
    span = f"{against['mean difference'].min():+.2f} to {against['mean difference'].max():+.2f} points"
    if better.empty:
        verdict = (
            f"**The conjecture did not hold.** None of the {len(against)} other configurations is "
            f"significantly better than the paper's model on the same folds (paired differences from {span})"
        )
    else:
        names = ", ".join(f"{filters} filters with {padding} padding" for padding, filters in better.index)
        verdict = (
            f"**The conjecture held in part.** {len(better)} of the {len(against)} other configurations "
            f"({names}) are significantly better than the paper's model on the same folds (paired differences from {span})"
        )
    if not worse.empty:
        verdict += f", and {len(worse)} significantly worse"
    return verdict + "."


def fold_differences(runs: list[tuple[CVConfig, list[dict]]], baseline: list[dict]) -> pd.DataFrame:
    """Return each configuration's held-out accuracy minus the baseline's, fold by fold."""
    baseline_accuracy = held_out(baseline)
    columns = {(config.padding, config.filters): held_out(folds) - baseline_accuracy for config, folds in runs}
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["padding", "filters"])
    frame.index.name = "k"
    return frame


def ablation_table(steps: list) -> pd.DataFrame:
    """Return each ablation step's accuracy, its gain over the best step before it, whether it was kept, and its cost.

    `steps` are `fmnist.improved.Step`s, in the order they were tried.
    """
    rows = []
    best = None
    for step in steps:
        accuracy = step.result["test_accuracy"] * PERCENT
        rows.append(
            {
                "step": step.name,
                "parameters": step.result["num_parameters"],
                "train accuracy": step.result["train_accuracy"] * PERCENT,
                "held-out accuracy": accuracy,
                "gain": float("nan") if best is None else accuracy - best,
                "kept": step.kept,
                "round": step.round,
                "training minutes": step.result["wall_seconds"] / SECONDS_PER_MINUTE,
            }
        )
        if step.kept:
            best = accuracy
    return pd.DataFrame(rows).set_index("step")
