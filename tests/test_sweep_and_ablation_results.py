"""Sweep and ablation tables from saved results, with paired comparisons on the same folds."""

import dataclasses
import math

import pytest

from fmnist.analysis import ablation_results, significance, sweep_results
from fmnist.experiments import better_cnn
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
    summary = sweep_results.sweep_summary(runs)
    assert list(summary.index) == [("same", 16), ("valid", 16)]
    assert summary.loc[("valid", 16), "held-out mean"] == pytest.approx(89.0)
    assert summary.loc[("same", 16), "held-out std"] == pytest.approx(0.0)
    assert summary.loc[("same", 16), "training minutes"] == pytest.approx(6.0)
    assert summary.loc[("valid", 16), "parameters"] == 50


def test_paired_difference_is_taken_fold_by_fold():
    better = folds_with([0.91, 0.92, 0.90])
    result = significance.paired_difference(better, BASELINE)
    assert result["mean difference"] == pytest.approx(1.0)
    assert result["folds better"] == 3
    assert result["significant"] and result["p-value"] < 0.001


def test_a_constant_gain_is_significant_without_a_warning():
    gain = [{**fold, "test_accuracy": 0.5 + index} for index, fold in enumerate(folds_with([0] * 3))]
    shifted = [{**fold, "test_accuracy": fold["test_accuracy"] + 0.25} for fold in gain]
    result = significance.paired_difference(shifted, gain)
    assert result["mean difference"] == pytest.approx(25.0)
    assert result["p-value"] == 0.0 and result["significant"]


def test_identical_runs_are_not_a_difference():
    result = significance.paired_difference(BASELINE, BASELINE)
    assert result["mean difference"] == 0 and result["p-value"] == 1.0
    assert not result["significant"]


def test_runs_on_different_folds_cannot_be_paired():
    with pytest.raises(ValueError, match="same folds"):
        significance.paired_difference(BASELINE[:2], BASELINE)


def test_fold_differences_table():
    runs = [(CVConfig(filters=64), folds_with([0.91, 0.90, 0.89]))]
    frame = sweep_results.fold_differences(runs, BASELINE)
    assert list(frame[("valid", 64)].round(6)) == [1.0, -1.0, 0.0]


def test_ablation_gains_are_against_the_best_kept_step_before():
    steps = [
        better_cnn.Step("paper", CVConfig(), folds_with([0.90])[0], kept=True),
        better_cnn.Step("+ padding", CVConfig(padding="same"), folds_with([0.89])[0], kept=False),
        better_cnn.Step("+ block", CVConfig(conv_blocks=2), folds_with([0.92])[0], kept=True),
    ]
    table = ablation_results.ablation_table(steps)
    assert math.isnan(table.loc["paper", "gain"])
    assert table.loc["+ padding", "gain"] == pytest.approx(-1.0)
    assert table.loc["+ block", "gain"] == pytest.approx(2.0)
    assert list(table["kept"]) == [True, False, True]


def test_holm_adjusts_one_family_of_p_values():
    # Sorted 0.01, 0.03, 0.04: times 3, 2, 1, then never below the one before.
    assert significance.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert significance.holm([]) == []


def test_the_sweep_against_the_baseline_is_holm_corrected_and_leaves_the_baseline_out():
    baseline = folds_with([0.90, 0.91, 0.89])
    runs = [
        (CVConfig(), baseline),
        (CVConfig(filters=64), folds_with([0.92, 0.93, 0.91])),
        (CVConfig(filters=16), folds_with([0.901, 0.909, 0.891])),
    ]
    against = sweep_results.sweep_against_baseline(runs, baseline)
    assert list(against.index) == [("valid", 16), ("valid", 64)]
    assert list(against["p-value (Holm)"]) == pytest.approx(significance.holm(against["p-value"]))
    assert list(against["significant"]) == list(against["p-value (Holm)"] < significance.SIGNIFICANCE_LEVEL)
    with pytest.raises(ValueError, match="besides the baseline"):
        sweep_results.sweep_against_baseline([(CVConfig(), baseline)], baseline)


def test_a_gain_significant_alone_may_not_survive_holm():
    baseline = folds_with([0.900, 0.910, 0.890, 0.905, 0.895])
    # Alone, p is about 0.02; one of seven comparisons, it is not significant after Holm.
    gain = folds_with([0.903, 0.911, 0.894, 0.909, 0.896])
    alone = significance.paired_difference(gain, baseline)
    assert alone["significant"]
    runs = [(CVConfig(filters=64), gain)] + [
        (CVConfig(filters=f, padding=p), baseline) for f, p in [(16, "valid"), (128, "valid"), (16, "same"), (32, "same"), (64, "same"), (128, "same")]
    ]
    assert not sweep_results.sweep_against_baseline(runs, baseline).loc[("valid", 64), "significant"]


def test_the_conjecture_is_judged_by_filters_and_padding_separately():
    flat = folds_with([0.90, 0.91, 0.89])
    better = folds_with([0.92, 0.93, 0.91])
    runs = [
        (CVConfig(filters=32), flat),
        (CVConfig(filters=64), flat),
        (CVConfig(filters=32, padding="same"), better),
        (CVConfig(filters=64, padding="same"), better),
    ]
    families = sweep_results.conjecture_families(runs)
    assert set(families.index.get_level_values("family")) == {"more filters", "padding"}
    padding = families.xs("padding", level="family")
    assert len(padding) == 2 and padding["significant"].all()
    assert not families.xs("more filters", level="family")["significant"].any()
    assert sweep_results.conjecture_outcome(families) == "held in part"
    verdict = sweep_results.conjecture_verdict(families)
    assert verdict.startswith("**The conjecture held in part.** After Holm's correction within each family")
    assert "padding, 2 of 2 comparisons significantly better" in verdict
    assert "more filters, 0 of 2 comparisons significantly better" in verdict
    # A gain of 2 points is significant, but not if the seed noise asks for 3.
    assert sweep_results.conjecture_outcome(families, noise_floor=3.0) == "did not hold"
    floored = sweep_results.conjecture_verdict(families, noise_floor=3.0)
    assert "0 of them by at least the 3.00-point seed-noise floor" in floored
    assert sweep_results.conjecture_outcome(families, noise_floor=1.0) == "held in part"
    flat_runs = [(config, flat) for config, _ in runs]
    assert sweep_results.conjecture_outcome(sweep_results.conjecture_families(flat_runs)) == "did not hold"
    with pytest.raises(ValueError, match="differ in filters or padding alone"):
        sweep_results.conjecture_families([(CVConfig(), flat)])


def test_the_ablation_says_which_gains_are_above_the_noise():
    steps = [
        better_cnn.Step("paper", CVConfig(), {"test_accuracy": 0.900, "train_accuracy": 0.95, "num_parameters": 1, "wall_seconds": 60}, True),
        better_cnn.Step("+ small", CVConfig(padding="same"), {"test_accuracy": 0.902, "train_accuracy": 0.95, "num_parameters": 1, "wall_seconds": 60}, True),
        better_cnn.Step("+ large", CVConfig(padding="same", conv_blocks=2), {"test_accuracy": 0.912, "train_accuracy": 0.95, "num_parameters": 1, "wall_seconds": 60}, True),
    ]
    table = ablation_results.ablation_table(steps, noise_sd=0.15)
    assert list(table["above noise"]) == [None, False, True]
    assert "above noise" not in ablation_results.ablation_table(steps).columns


def sweep_page_inputs():
    """Return a small sweep (two paddings x two filter counts) with the paper's model as its baseline."""
    runs = [
        (CVConfig(filters=16), folds_with([0.88, 0.89, 0.87], parameters=50, seconds=30.0)),
        (CVConfig(filters=16, padding="same"), folds_with([0.91, 0.92, 0.90], parameters=80, seconds=45.0)),
        (CVConfig(filters=32, padding="same"), folds_with([0.92, 0.93, 0.91], parameters=160, seconds=90.0)),
    ]
    baseline = (CVConfig(), BASELINE)
    summary = sweep_results.sweep_summary(runs + [baseline])
    against = sweep_results.sweep_against_baseline(runs, BASELINE, CVConfig())
    families = sweep_results.conjecture_families(runs + [baseline])
    baseline_row = sweep_results.sweep_summary([baseline]).iloc[0]
    return runs, summary, against, families, baseline_row


def test_sweep_page_facts_name_the_best_configuration_and_the_gaps():
    _, summary, against, families, baseline_row = sweep_page_inputs()
    facts = sweep_results.page_facts(summary, against, families, baseline_row)
    assert (facts["best_padding"], facts["best_filters"]) == ("same", 32)
    assert facts["best_mean"] == pytest.approx(92.0)
    assert facts["best_gain"] == pytest.approx(2.0)
    assert facts["best_parameter_ratio"] == pytest.approx(160 / 100)
    assert facts["best_time_ratio"] == pytest.approx(90 / 60)
    assert facts["paper_model_mean"] == pytest.approx(90.0)
    assert facts["num_others"] == 3
    # Padding: (91 + 92) / 2 against (88 + 90) / 2.
    assert facts["padding_gain"] == pytest.approx(2.5)
    assert facts["filters_span"] == pytest.approx(92.0 - 88.0)
    assert facts["train_gap_min"] == pytest.approx(5.0) and facts["train_gap_max"] == pytest.approx(5.0)
    assert facts["conjecture_outcome"] in ("held", "held in part", "did not hold")


def test_a_noise_floor_above_every_gain_leaves_nothing_significantly_better():
    _, summary, against, families, baseline_row = sweep_page_inputs()
    facts = sweep_results.page_facts(summary, against, families, baseline_row, noise_floor=10.0)
    assert facts["num_significant_better"] == 0
    assert facts["conjecture_outcome"] == "did not hold"


def test_the_sources_table_says_where_and_when_each_run_was_made():
    runs, *_ = sweep_page_inputs()
    provenance = {"date": "2026-11-25T00:00:00+00:00", "cpu": "AMD EPYC", "packages": {"tensorflow": "2.21.0"}}
    runs = [(config, [{**fold, "provenance": provenance} for fold in folds]) for config, folds in runs]
    table = sweep_results.sources_table(runs, {config: "recorded" for config, _ in runs})
    assert list(table.index) == [("same", 16), ("same", 32), ("valid", 16)]
    assert set(table["source"]) == {"recorded"} and set(table["CPU"]) == {"AMD EPYC"}


def test_ablation_page_facts_count_recorded_steps_and_find_the_largest_gain():
    recorded = {"source": "recorded"}
    steps = [
        better_cnn.Step("paper", CVConfig(), {**folds_with([0.90])[0], **recorded}, kept=True),
        better_cnn.Step("+ padding", CVConfig(padding="same"), {**folds_with([0.89])[0], "source": "computed"}, kept=False, choice="padding"),
        better_cnn.Step("+ block", CVConfig(conv_blocks=2), {**folds_with([0.92])[0], **recorded}, kept=True, choice="block"),
    ]
    table = ablation_results.ablation_table(steps)
    facts = ablation_results.page_facts(table, ["block"], ["padding"])
    assert facts["num_recorded_steps"] == 2
    assert (facts["ablation_first"], facts["ablation_best"]) == (pytest.approx(90.0), pytest.approx(92.0))
    assert (facts["largest_step"], facts["largest_gain"]) == ("+ block", pytest.approx(2.0))
    assert (facts["kept_choices"], facts["dropped_choices"]) == ("block", "padding")
    assert ablation_results.page_facts(table, [], [])["kept_choices"] == "none"


def test_paired_facts_set_one_run_beside_its_baseline():
    facts = significance.paired_facts(folds_with([0.91, 0.92, 0.90]), BASELINE)
    assert (facts["our_mean"], facts["baseline_mean"]) == (pytest.approx(91.0), pytest.approx(90.0))
    assert facts["mean_difference"] == pytest.approx(1.0)
    assert (facts["folds_better"], facts["num_folds"]) == (3, 3)
    assert facts["significance"] == "is"


def with_cpu(folds, cpu):
    """Return the folds as if trained on the processor named `cpu`."""
    return [{**fold, "provenance": {"cpu": cpu}} for fold in folds]


def test_training_times_come_from_the_timing_runs_with_the_processor_that_measured_them():
    config = CVConfig(filters=16)
    computed = with_cpu(folds_with([0.89, 0.90, 0.88], seconds=600.0), "Intel Xeon")
    recorded = with_cpu(folds_with([0.89, 0.90, 0.88], seconds=60.0), "AMD EPYC")
    summary = sweep_results.sweep_summary([(config, computed)], {config: recorded})
    assert summary.loc[("valid", 16), "training minutes"] == pytest.approx(3.0)
    assert summary.loc[("valid", 16), "timed on"] == "AMD EPYC"
    assert sweep_results.sweep_summary([(config, computed)]).loc[("valid", 16), "timed on"] == "Intel Xeon"


def test_training_times_are_compared_only_when_one_processor_measured_both():
    config, baseline = CVConfig(filters=64), CVConfig()
    summary = sweep_results.sweep_summary(
        [(config, with_cpu(folds_with([0.9] * 3, seconds=120.0), "AMD EPYC")),
         (baseline, with_cpu(folds_with([0.9] * 3, seconds=60.0), "AMD EPYC"))]
    )
    assert sweep_results.time_ratio_text(summary.loc[("valid", 64)], summary.loc[("valid", 32)]).startswith("2.0 times")
    other = summary.loc[("valid", 32)].copy()
    other["timed on"] = "Intel Xeon"
    text = sweep_results.time_ratio_text(summary.loc[("valid", 64)], other)
    assert "so not compared" in text and "Intel Xeon" in text


def test_the_ablation_gain_is_also_given_against_the_paper_model_at_its_own_epochs():
    steps = [
        better_cnn.Step("paper", CVConfig(), folds_with([0.899])[0], kept=True),
        better_cnn.Step("+ block", CVConfig(conv_blocks=2), folds_with([0.934])[0], kept=True),
    ]
    table = ablation_results.ablation_table(steps)
    text = ablation_results.published_baseline_text(table, {"fold": 1, "seeds": 8, "mean": 90.78, "epochs": 10})
    assert "at the paper's own 10 epochs that fold scores 90.78%" in text
    assert "gain +2.62 points, not +3.50" in text
    assert "89.90%" in ablation_results.published_baseline_text(table, {"fold": 1, "mean": None})


def test_the_ladder_table_judges_each_gain_by_the_pooled_seed_noise():
    import scipy.stats

    from fmnist.experiments import better_cnn

    def step(name, accuracies, kept):
        results = tuple(
            {"test_accuracy": a / 100, "num_parameters": 5, "wall_seconds": 120.0, "test_accuracy_flip_averaged": a / 100 + 0.001,
             "provenance": {"cpu": "AMD EPYC"}}
            for a in accuracies
        )
        return better_cnn.LadderStep(name, CVConfig(), results, kept)

    steps = [step("start", [92.0, 92.2], True), step("+ a", [92.6, 92.4], True), step("+ b", [92.3, 92.5], False)]
    table = ablation_results.ladder_table(steps)
    assert list(table["held-out accuracy"]) == pytest.approx([92.1, 92.5, 92.4])
    assert list(table["gain"])[1:] == pytest.approx([0.4, -0.1])
    assert list(table["flip-averaged"]) == pytest.approx([92.2, 92.6, 92.5])
    assert list(table["training minutes"]) == pytest.approx([2.0] * 3)
    sd, df = ablation_results.pooled_seed_sd(steps)
    assert df == 3 and sd == pytest.approx((0.02 * 3 / 3) ** 0.5)
    half = scipy.stats.t.ppf(0.975, 3) * sd
    assert table["gain interval"].iloc[1] == f"{0.4 - half:+.2f} to {0.4 + half:+.2f}"
    assert table["gain interval"].iloc[0] == ""


def test_both_walks_figures_name_every_step_and_its_time():
    import matplotlib

    matplotlib.use("Agg")
    from fmnist.analysis import figures
    from fmnist.experiments import better_cnn

    results = tuple({"test_accuracy": a, "num_parameters": 5, "wall_seconds": 120.0} for a in (0.92, 0.921))
    steps = [better_cnn.LadderStep("start", CVConfig(), results, True), better_cnn.LadderStep("+ a longer step name that wraps", CVConfig(), results, False)]
    figure = figures.ablation.ladder(steps, ablation_results.ladder_table(steps))
    accuracy_axis, time_axis = figure.axes
    assert [label.get_text() for label in accuracy_axis.get_yticklabels()][0] == "start"
    assert time_axis.get_xlabel() == "training minutes (2 cores)"
    assert [bar.get_width() for bar in time_axis.patches] == pytest.approx([2.0, 2.0])
    table = ablation_results.ladder_table(steps).assign(**{"held-out accuracy": [92.0, 92.1]})
    first = figures.ablation.ablation(table)
    assert first.axes[1].get_xlabel() == "training minutes (one core)"


def test_the_longer_training_is_set_beside_the_kept_step_against_the_pooled_seed_noise():
    import scipy.stats

    from fmnist.experiments import better_cnn

    def results_of(accuracies, minutes=2.0):
        return tuple(
            {"test_accuracy": a / 100, "wall_seconds": minutes * 60, "test_accuracy_flip_averaged": a / 100 + 0.002,
             "provenance": {"cpu": "AMD EPYC"}}
            for a in accuracies
        )

    kept = CVConfig(epochs=8, label_smoothing=0.1)
    steps = [
        better_cnn.LadderStep("start", CVConfig(epochs=8), results_of([92.0, 92.2]), True),
        better_cnn.LadderStep("+ mirror and shift", dataclasses.replace(kept, flip=True, augment=True), results_of([91.4, 91.6]), False),
        better_cnn.LadderStep("+ label smoothing 0.1", kept, results_of([93.0, 93.2]), True),
    ]
    longer_config = better_cnn.longer_training(kept, epochs=30)
    assert (longer_config.epochs, longer_config.flip, longer_config.augment, longer_config.seed) == (30, True, True, 0)
    (longer,) = results_of([94.0], minutes=8.0)
    table = ablation_results.longer_training_table(steps, longer_config, longer, budget_minutes=4.0, full_training_scale=1.25)
    assert list(table.index) == ["last kept step, 8 epochs", "+ mirror and shift, 30 epochs"]
    assert list(table["epochs"]) == [8, 30] and list(table["seeds"]) == [2, 1]
    assert list(table["held-out accuracy"]) == pytest.approx([93.1, 94.0])
    assert list(table["flip-averaged"]) == pytest.approx([93.3, 94.2])
    assert math.isnan(table["gain"].iloc[0]) and table["gain"].iloc[1] == pytest.approx(0.9)
    sd, df = ablation_results.pooled_seed_sd(steps)
    half = scipy.stats.t.ppf(0.975, df) * sd * (1 / 1 + 1 / 2) ** 0.5
    assert table["gain interval"].iloc[1] == f"{0.9 - half:+.2f} to {0.9 + half:+.2f}"
    assert list(table["minutes on all images"]) == pytest.approx([2.5, 10.0])
    assert list(table["within budget"]) == [True, False]
    assert table.columns[-1] == "timed on"
    facts = ablation_results.longer_training_facts(table, budget_minutes=4.0)
    assert facts["longer_epochs"] == 30 and facts["longer_gain"] == pytest.approx(0.9)
    assert facts["longer_budgets"] == pytest.approx(2.5) and facts["longer_cpu"] == "an AMD EPYC"
