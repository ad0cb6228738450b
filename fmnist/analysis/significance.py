"""Comparing two runs of the same folds: paired differences, the corrected resampled t-test, Holm's correction.

Two runs of the same folds are compared fold by fold (paired differences), which
removes the part of the spread that comes from which images each fold holds. The folds
of a cross-validation are not independent samples: any two of them share three quarters
of their training images, so a plain paired t-test over folds understates the variance
of the mean difference and finds differences too often. The corrected resampled t-test
of Nadeau and Bengio (2003) widens that variance by the share of held-out to training
images (`corrected_resampled_ttest`). Several comparisons in one family get Holm's
correction for multiple comparisons (statsmodels' `multipletests`): a comparison is
significant only if its corrected p-value is.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.stats
from statsmodels.stats import multitest

from fmnist import PERCENT
from fmnist.analysis import formatting
from fmnist.store import result_types


SIGNIFICANCE_LEVEL = 0.05


def held_out(folds: result_types.FoldResult) -> pd.Series:
    """Return each fold's held-out accuracy in percent, indexed by fold."""
    return pd.Series(
        {fold.fold_index: fold.held_out_accuracy * PERCENT for fold in folds}, name="held-out accuracy"
    ).sort_index()


def corrected_resampled_ttest(differences, test_train_ratio: float) -> float:
    """Return the two-sided p-value of the corrected resampled t-test (Nadeau and Bengio) of paired fold differences.

    The variance of the mean of k fold differences is taken as (1/k + n_test/n_train)
    times their variance rather than 1/k times it, with k - 1 degrees of freedom; for
    5-fold cross-validation n_test/n_train is 1/4.
    """
    differences = np.asarray(differences, dtype=float)
    if len(differences) < 2:
        raise ValueError(f"the corrected resampled t-test needs at least two folds, got {len(differences)}")
    if not test_train_ratio > 0:
        raise ValueError(f"the held-out to training ratio must be > 0, got {test_train_ratio!r}")
    mean, variance = differences.mean(), differences.var(ddof=1)
    if variance == 0:
        # No spread in the differences: the t statistic is 0 (all equal) or infinite.
        return 1.0 if mean == 0 else 0.0
    statistic = mean / math.sqrt((1 / len(differences) + test_train_ratio) * variance)
    return float(2 * scipy.stats.t.sf(abs(statistic), len(differences) - 1))


def welch_difference(scores, baseline, confidence: float = 0.95) -> dict:
    """Return the difference of two means of seeds, its interval and p-value by Welch's t-test (each side keeps its own seed noise), and whether it is established."""
    welch = scipy.stats.ttest_ind(scores, baseline, equal_var=False)
    low, high = welch.confidence_interval(confidence)
    return {
        "difference": float(np.mean(scores) - np.mean(baseline)),
        "low": float(low),
        "high": float(high),
        "p": float(welch.pvalue),
        "established": bool(welch.pvalue < SIGNIFICANCE_LEVEL),
    }


def t_interval_about(center: float, sd: float, df: int, scale: float = 1.0, confidence: float = 0.95) -> tuple[float, float]:
    """Return center ± the t quantile (df degrees of freedom) times sd times scale: every t interval of the book (nan without df)."""
    if df < 1 or math.isnan(sd):
        return (math.nan, math.nan)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, df) * sd * scale
    return (float(center - half_width), float(center + half_width))


def corrected_interval(differences, test_train_ratio: float, level: float = 0.95) -> tuple[float, float]:
    """Return the interval of the mean paired fold difference that the corrected resampled t-test implies, at `level`."""
    differences = np.asarray(differences, dtype=float)
    if len(differences) < 2:
        raise ValueError(f"an interval needs at least two folds, got {len(differences)}")
    scale = math.sqrt(1 / len(differences) + test_train_ratio)
    return t_interval_about(float(differences.mean()), float(differences.std(ddof=1)), len(differences) - 1, scale, level)


def pooled_sd(groups) -> tuple[float, int]:
    """Return the standard deviation pooled over groups of values (each about its own mean) and its degrees of freedom; nan and 0 where no group has two values."""
    arrays = [np.asarray(values, dtype=float) for values in groups]
    squares = sum(float(((values - values.mean()) ** 2).sum()) for values in arrays if len(values))
    df = sum(max(len(values) - 1, 0) for values in arrays)
    return (float(math.sqrt(squares / df)), df) if df else (float("nan"), 0)


def test_train_ratio(folds: result_types.FoldResult) -> float:
    """Return a cross-validation's held-out to training images per fold, from its results (1/(k-1) for k folds where they do not say)."""
    first = folds[0]
    if first.num_test and first.num_train:
        return first.num_test / first.num_train
    return 1 / (len(folds) - 1)


def paired_difference(folds: result_types.FoldResult, baseline: result_types.FoldResult) -> dict:
    """Compare two runs on the same folds: mean paired difference, folds better, corrected resampled t-test."""
    ours, theirs = held_out(folds), held_out(baseline)
    if list(ours.index) != list(theirs.index):
        raise ValueError(
            f"paired comparison needs the same folds, got {list(ours.index)} and {list(theirs.index)}"
        )
    difference = ours - theirs
    p_value = corrected_resampled_ttest(difference, test_train_ratio(folds))
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


def paired_facts(folds: result_types.FoldResult, baseline: result_types.FoldResult) -> dict:
    """Return the facts a page states about one run against a baseline on the same folds, by glue name."""
    paired = paired_difference(folds, baseline)
    ours, theirs = held_out(folds), held_out(baseline)
    return {
        "config_mean": float(ours.mean()),
        "baseline_mean": float(theirs.mean()),
        "config_difference": paired["mean difference"],
        "folds_better": paired["folds better"],
        "config_folds": len(ours),
        "config_p_value": paired["p-value"],
        "config_p_text": formatting.p_value(paired["p-value"]),
        "config_significance": "is" if paired["significant"] else "is not",
    }
