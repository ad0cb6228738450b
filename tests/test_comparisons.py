"""Sweep and ablation tables from saved results, with paired comparisons on the same folds."""

import math

import pytest

from fmnist import comparisons, improved
from fmnist.config import CVConfig


def folds_with(accuracies, parameters=100, seconds=60.0):
    """Return saved-fold dicts with these held-out accuracies (fractions)."""
    return [
        {
            "fold_index": index,
            "test_accuracy": accuracy,
            "train_accuracy": accuracy + 0.05,
            "num_parameters": parameters,
            "wall_seconds": seconds,
        }
        for index, accuracy in enumerate(accuracies, start=1)
    ]


BASELINE = folds_with([0.90, 0.91, 0.89])


def test_sweep_summary_has_one_row_per_configuration():
    runs = [
        (CVConfig(filters=16), folds_with([0.89, 0.90, 0.88], parameters=50)),
        (CVConfig(filters=16, padding="same"), folds_with([0.90, 0.90, 0.90], seconds=120.0)),
    ]
    summary = comparisons.sweep_summary(runs)
    assert list(summary.index) == [("same", 16), ("valid", 16)]
    assert summary.loc[("valid", 16), "held-out mean"] == pytest.approx(89.0)
    assert summary.loc[("same", 16), "held-out std"] == pytest.approx(0.0)
    assert summary.loc[("same", 16), "training minutes"] == pytest.approx(6.0)
    assert summary.loc[("valid", 16), "parameters"] == 50


def test_paired_difference_is_taken_fold_by_fold():
    better = folds_with([0.91, 0.92, 0.90])
    result = comparisons.paired_difference(better, BASELINE)
    assert result["mean difference"] == pytest.approx(1.0)
    assert result["folds better"] == 3
    assert result["significant"] and result["p-value"] < 0.001


def test_a_constant_gain_is_significant_without_a_warning():
    gain = [{**fold, "test_accuracy": 0.5 + index} for index, fold in enumerate(folds_with([0] * 3))]
    shifted = [{**fold, "test_accuracy": fold["test_accuracy"] + 0.25} for fold in gain]
    result = comparisons.paired_difference(shifted, gain)
    assert result["mean difference"] == pytest.approx(25.0)
    assert result["p-value"] == 0.0 and result["significant"]


def test_identical_runs_are_not_a_difference():
    result = comparisons.paired_difference(BASELINE, BASELINE)
    assert result["mean difference"] == 0 and result["p-value"] == 1.0
    assert not result["significant"]


def test_runs_on_different_folds_cannot_be_paired():
    with pytest.raises(ValueError, match="same folds"):
        comparisons.paired_difference(BASELINE[:2], BASELINE)


def test_fold_differences_table():
    runs = [(CVConfig(filters=64), folds_with([0.91, 0.90, 0.89]))]
    frame = comparisons.fold_differences(runs, BASELINE)
    assert list(frame[("valid", 64)].round(6)) == [1.0, -1.0, 0.0]


def test_ablation_gains_are_against_the_best_kept_step_before():
    steps = [
        improved.Step("paper", CVConfig(), folds_with([0.90])[0], kept=True),
        improved.Step("+ padding", CVConfig(padding="same"), folds_with([0.89])[0], kept=False),
        improved.Step("+ block", CVConfig(conv_blocks=2), folds_with([0.92])[0], kept=True),
    ]
    table = comparisons.ablation_table(steps)
    assert math.isnan(table.loc["paper", "gain"])
    assert table.loc["+ padding", "gain"] == pytest.approx(-1.0)
    assert table.loc["+ block", "gain"] == pytest.approx(2.0)
    assert list(table["kept"]) == [True, False, True]


def test_conjecture_verdict_follows_the_significant_differences():
    baseline = folds_with([0.90, 0.91, 0.89])
    same_runs = [(CVConfig(filters=64), folds_with([0.901, 0.909, 0.891]))]
    verdict = comparisons.conjecture_verdict(comparisons.sweep_against_baseline(same_runs, baseline))
    assert verdict.startswith("**The conjecture did not hold.** None of the 1 other")
    assert comparisons.conjecture_outcome(comparisons.sweep_against_baseline(same_runs, baseline)) == "did not hold"
    better_runs = [(CVConfig(filters=64, padding="same"), folds_with([0.92, 0.93, 0.91]))]
    verdict = comparisons.conjecture_verdict(comparisons.sweep_against_baseline(better_runs, baseline))
    assert "held in part" in verdict and "64 filters with same padding" in verdict
    assert comparisons.conjecture_outcome(comparisons.sweep_against_baseline(better_runs, baseline)) == "held in part"
