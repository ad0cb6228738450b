"""Comparing two runs of the same folds: paired differences, Holm's correction, and the noise floor.

Two runs of the same folds are compared fold by fold (paired differences), which
removes the part of the spread that comes from which images each fold holds. Several
configurations compared in one family get Holm's correction for multiple comparisons
(statsmodels' `multipletests`): a configuration is significantly different only if its
corrected p-value is.
"""

from __future__ import annotations

import pandas as pd
import scipy.stats
from statsmodels.stats import multitest

from fmnist import PERCENT
from fmnist.analysis import formatting


SIGNIFICANCE_LEVEL = 0.05


def held_out(folds: list[dict]) -> pd.Series:
    """Return each fold's held-out accuracy in percent, indexed by fold."""
    return pd.Series(
        {fold["fold_index"]: fold["test_accuracy"] * PERCENT for fold in folds}, name="held-out accuracy"
    ).sort_index()


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


def holm(p_values) -> list[float]:
    """Return Holm's adjusted p-values of one family of comparisons, in the order given."""
    p_values = list(p_values)
    if not p_values:
        return []
    return [float(value) for value in multitest.multipletests(p_values, method="holm")[1]]


def with_holm(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Return one family's comparisons with Holm's adjusted p-values; "significant" then follows those."""
    corrected = comparisons.copy()
    corrected["p-value (Holm)"] = holm(corrected["p-value"])
    corrected["significant"] = corrected["p-value (Holm)"] < SIGNIFICANCE_LEVEL
    return corrected


# A gain counts as above the noise when it is at least this many seed standard deviations.
NOISE_FLOOR_SDS = 2.0


def paired_facts(folds: list[dict], baseline: list[dict]) -> dict:
    """Return the facts a page states about one run against a baseline on the same folds, by glue name."""
    paired = paired_difference(folds, baseline)
    ours, theirs = held_out(folds), held_out(baseline)
    return {
        "our_mean": float(ours.mean()),
        "baseline_mean": float(theirs.mean()),
        "mean_difference": paired["mean difference"],
        "folds_better": paired["folds better"],
        "num_folds": len(ours),
        "p_value": paired["p-value"],
        "p_text": formatting.p_value(paired["p-value"]),
        "significance": "is" if paired["significant"] else "is not",
    }
