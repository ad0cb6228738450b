"""Sweep and ablation tables from saved results, with paired comparisons on the same folds."""

import dataclasses
import math

import pandas as pd
import pytest
import scipy.stats

from fmnist.analysis import ablation_results, significance, sweep_results
from fmnist.experiments import better_cnn
from fmnist.config import CVConfig
from conftest import fold
from fmnist.store.result_types import Provenance


def folds_with(accuracies, parameters=100, seconds=60.0):
    """Return fold results with these held-out accuracies (fractions)."""
    return [
        fold(
            fold_index=index,
            test_accuracy=accuracy,
            train_accuracy=accuracy + 0.05,
            num_parameters=parameters,
            wall_seconds=seconds,
        )
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
    gain = [dataclasses.replace(result, held_out_accuracy=0.5 + index) for index, result in enumerate(folds_with([0] * 3))]
    shifted = [dataclasses.replace(result, held_out_accuracy=result.held_out_accuracy + 0.25) for result in gain]
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


def test_the_corrected_resampled_t_test_widens_the_variance_by_the_folds_overlap():
    differences = [0.3, 0.2, 0.5, 0.4, 0.2]  # mean 0.32, variance 0.017
    statistic = 0.32 / math.sqrt((1 / 5 + 1 / 4) * 0.017)
    expected = 2 * scipy.stats.t.sf(statistic, 4)
    assert significance.corrected_resampled_ttest(differences, 0.25) == pytest.approx(expected)
    assert expected > scipy.stats.ttest_1samp(differences, 0.0).pvalue
    assert significance.test_train_ratio([fold(num_train=48_000, num_test=12_000)] * 5) == 0.25
    assert significance.test_train_ratio(folds_with([0.9] * 5)) == 0.25  # k = 5 folds, where the results do not say
    with pytest.raises(ValueError, match="at least two folds"):
        significance.corrected_resampled_ttest([0.1], 0.25)


def test_the_corrected_interval_is_the_corrected_test_turned_round():
    differences = [0.3, 0.2, 0.5, 0.4, 0.2]
    low, high = significance.corrected_interval(differences, 0.25)
    half = scipy.stats.t.ppf(0.975, 4) * math.sqrt((1 / 5 + 1 / 4) * 0.017)
    assert (low, high) == pytest.approx((0.32 - half, 0.32 + half))
    # The interval's edge is where the test's p-value is 0.05.
    assert significance.corrected_resampled_ttest([d - low for d in differences], 0.25) == pytest.approx(0.05)
    runs = [(CVConfig(filters=64), folds_with([0.92, 0.93, 0.91]))]
    intervals = sweep_results.difference_intervals(runs, folds_with([0.90, 0.91, 0.89]))
    assert intervals.loc[("valid", 64), "mean difference"] == pytest.approx(2.0)
    assert intervals.loc[("valid", 64), "95% low"] == pytest.approx(2.0) == intervals.loc[("valid", 64), "95% high"]


def test_each_question_of_the_conjecture_has_a_gain_or_not_and_seeds_decide_padding():
    family = pd.DataFrame(
        {"mean difference": [0.5, 0.1], "significant": [True, False]},
        index=pd.MultiIndex.from_tuples([("more filters", "64 against 32"), ("padding", "same against valid")], names=["question", "comparison"]),
    )
    assert sweep_results.question_gains(family, None) == {"more filters": True, "padding": False}
    seeds = {"significant": True, "mean difference": 0.2}
    assert sweep_results.question_gains(family, seeds) == {"more filters": True, "padding": True}
    # A floor a gain must reach.
    assert sweep_results.question_gains(family, None, noise_floor=0.9) == {"more filters": False, "padding": False}


def test_a_gain_significant_alone_may_not_survive_holm():
    baseline = folds_with([0.900, 0.910, 0.890, 0.905, 0.895])
    # Alone, the corrected test gives p = 0.022; one of seven comparisons, it is not significant after Holm.
    gain = folds_with([0.903, 0.912, 0.895, 0.909, 0.897])
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
    family = sweep_results.conjecture_family(runs)
    assert set(family.index.get_level_values("question")) == {"more filters", "padding"}
    # One Holm family over all four comparisons.
    assert list(family["p-value (Holm)"]) == pytest.approx(significance.holm(family["p-value"]))
    padding = family.xs("padding", level="question")
    assert len(padding) == 2 and padding["significant"].all()
    assert not family.xs("more filters", level="question")["significant"].any()
    outcome = sweep_results.conjecture_outcome(family)
    assert "more filters: no gain shown" in outcome and "padding: a gain shown in 2 of 2 comparisons" in outcome
    assert sweep_results.conjecture_verdict(family).startswith("**What the sweep shows.** More filters: no gain shown")
    # A gain of 2 points is significant, but not if the seed noise asks for 3.
    assert "padding: no gain shown" in sweep_results.conjecture_outcome(family, noise_floor=3.0)
    assert "3.00-point seed-noise floor" in sweep_results.conjecture_verdict(family, noise_floor=3.0)
    flat_runs = [(config, flat) for config, _ in runs]
    assert "padding: no gain shown" in sweep_results.conjecture_outcome(sweep_results.conjecture_family(flat_runs))
    with pytest.raises(ValueError, match="differ in filters or padding alone"):
        sweep_results.conjecture_family([(CVConfig(), flat)])


def seed_runs(padding, means):
    """Return one run per seed whose three folds all score the given Table I mean (percent)."""
    return [(CVConfig(filters=64, padding=padding, seed=seed), folds_with([mean / 100] * 3)) for seed, mean in enumerate(means)]


def test_the_padding_comparison_over_seeds_takes_each_seed_as_one_unit():
    same = seed_runs("same", [91.3, 91.0, 91.4, 91.1])
    valid = seed_runs("valid", [91.0, 90.9, 91.0, 90.8])
    comparison = sweep_results.seed_comparison(same, valid)
    differences = [0.3, 0.1, 0.4, 0.3]
    test = scipy.stats.ttest_1samp(differences, 0.0)
    assert comparison["seeds"] == 4 and comparison["mean difference"] == pytest.approx(0.275)
    assert comparison["p-value"] == pytest.approx(test.pvalue)
    assert (comparison["95% low"], comparison["95% high"]) == pytest.approx(tuple(test.confidence_interval(0.95)))
    # Only seeds run at both paddings pair up; one common seed is too few.
    assert sweep_results.seed_comparison(same[:1], valid) is None
    assert sweep_results.seed_comparison(None, valid) is None
    assert "fewer than two seeds" in sweep_results.seed_comparison_text(None, 64)


def test_where_seeds_exist_they_decide_the_padding_verdict():
    flat = folds_with([0.90, 0.91, 0.89])
    better = folds_with([0.92, 0.93, 0.91])
    family = sweep_results.conjecture_family([(CVConfig(filters=64), flat), (CVConfig(filters=64, padding="same"), better)])
    undecided = sweep_results.seed_comparison(seed_runs("same", [91.3, 90.9, 91.4]), seed_runs("valid", [91.0, 91.0, 91.0]))
    outcome = sweep_results.conjecture_outcome(family, undecided)
    assert "padding: about +0.20 points over 3 seeds" in outcome and "not established at this power" in outcome
    clear = sweep_results.seed_comparison(seed_runs("same", [91.3, 91.4, 91.5]), seed_runs("valid", [91.0, 91.0, 91.0]))
    assert "established" in sweep_results.conjecture_outcome(family, clear)
    assert "not established" not in sweep_results.conjecture_outcome(family, clear)


def test_the_ablation_says_which_gains_are_above_the_noise():
    steps = [
        better_cnn.Step("paper", CVConfig(), fold(test_accuracy=0.900, train_accuracy=0.95, num_parameters=1, wall_seconds=60), True),
        better_cnn.Step("+ small", CVConfig(padding="same"), fold(test_accuracy=0.902, train_accuracy=0.95, num_parameters=1, wall_seconds=60), True),
        better_cnn.Step("+ large", CVConfig(padding="same", conv_blocks=2), fold(test_accuracy=0.912, train_accuracy=0.95, num_parameters=1, wall_seconds=60), True),
    ]
    table = ablation_results.ablation_table(steps, noise_floor=0.85)
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
    family = sweep_results.conjecture_family(runs + [baseline])
    baseline_row = sweep_results.sweep_summary([baseline]).iloc[0]
    return runs, summary, against, family, baseline_row


def test_sweep_page_facts_name_the_best_configuration_and_the_gaps():
    _, summary, against, families, baseline_row = sweep_page_inputs()
    facts = sweep_results.page_facts(summary, against, families, baseline_row)
    assert (facts["best_padding"], facts["best_filters"]) == ("same", 32)
    assert facts["best_mean"] == pytest.approx(92.0)
    assert facts["best_gain"] == pytest.approx(2.0)
    assert facts["best_parameter_ratio"] == pytest.approx(160 / 100)
    assert facts["paper_model_mean"] == pytest.approx(90.0)
    assert facts["num_others"] == 3
    # Padding: (91 + 92) / 2 against (88 + 90) / 2.
    assert facts["padding_gain"] == pytest.approx(2.5)
    assert facts["filters_span"] == pytest.approx(92.0 - 88.0)
    assert facts["train_gap_min"] == pytest.approx(5.0) and facts["train_gap_max"] == pytest.approx(5.0)
    assert facts["conjecture_outcome"].startswith("padding: a gain shown")


def test_a_noise_floor_above_every_gain_leaves_nothing_significantly_better():
    _, summary, against, families, baseline_row = sweep_page_inputs()
    facts = sweep_results.page_facts(summary, against, families, baseline_row, noise_floor=10.0)
    assert facts["num_significant_better"] == 0
    assert facts["conjecture_outcome"].startswith("padding: no gain shown")
    assert "none both significant after the correction and at least the 10.00-point floor" in facts["conjecture_outcome"]


def test_the_sources_table_says_where_and_when_each_run_was_made():
    runs, *_ = sweep_page_inputs()
    provenance = {"date": "2026-11-25T00:00:00+00:00", "cpu": "AMD EPYC", "cpu_kind": "AuthenticAMD family 25 model 1; avx2 fma", "packages": {"tensorflow": "2.21.0"}}
    runs = [(config, [dataclasses.replace(result, provenance=Provenance.from_saved(provenance)) for result in folds]) for config, folds in runs]
    table = sweep_results.sources_table(runs, {config: "recorded" for config, _ in runs})
    assert list(table.index) == [("same", 16), ("same", 32), ("valid", 16)]
    assert set(table["source"]) == {"recorded"} and set(table["CPU"]) == {"AMD EPYC"}
    assert set(table["processor kind"]) == {"AuthenticAMD family 25 model 1; avx2 fma"}


def test_ablation_page_facts_count_recorded_steps_and_find_the_largest_gain():
    def recorded(accuracy):
        return dataclasses.replace(folds_with([accuracy])[0], source="recorded")

    steps = [
        better_cnn.Step("paper", CVConfig(), recorded(0.90), kept=True),
        better_cnn.Step("+ padding", CVConfig(padding="same"), folds_with([0.89])[0], kept=False, choice="padding"),
        better_cnn.Step("+ block", CVConfig(conv_blocks=2), recorded(0.92), kept=True, choice="block"),
    ]
    table = ablation_results.ablation_table(steps)
    facts = ablation_results.page_facts(table, ["block"], ["padding"])
    assert facts["num_recorded_steps"] == 2
    assert (facts["ablation_first"], facts["ablation_best"]) == (pytest.approx(90.0), pytest.approx(92.0))
    assert (facts["largest_step"], facts["largest_step_gain"]) == ("+ block", pytest.approx(2.0))
    assert (facts["kept_choices"], facts["dropped_choices"]) == ("block", "padding")
    assert ablation_results.page_facts(table, [], [])["kept_choices"] == "none"


def test_paired_facts_set_one_run_beside_its_baseline():
    facts = significance.paired_facts(folds_with([0.91, 0.92, 0.90]), BASELINE)
    assert (facts["config_mean"], facts["baseline_mean"]) == (pytest.approx(91.0), pytest.approx(90.0))
    assert facts["config_difference"] == pytest.approx(1.0)
    assert (facts["folds_better"], facts["config_folds"]) == (3, 3)
    assert facts["config_significance"] == "is"


def with_cpu(folds, cpu, load=0.9):
    """Return the folds as if trained on the processor named `cpu` of 2 cores, with this 5-minute load average."""
    provenance = Provenance(cpu=cpu, cpu_count=2, load={"load_average": [load, load, load], "training_processes": 1})
    return [dataclasses.replace(result, provenance=provenance) for result in folds]


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


def test_training_times_taken_under_load_or_without_a_load_record_are_not_compared():
    config, baseline = CVConfig(filters=64), CVConfig()
    loaded = sweep_results.sweep_summary(
        [(config, with_cpu(folds_with([0.9] * 3, seconds=120.0), "AMD EPYC", load=3.2)),
         (baseline, with_cpu(folds_with([0.9] * 3, seconds=60.0), "AMD EPYC"))]
    )
    assert loaded.loc[("valid", 64), "timing"] == "under load" and loaded.loc[("valid", 32), "timing"] == "quiet"
    assert "not compared" in sweep_results.time_ratio_text(loaded.loc[("valid", 64)], loaded.loc[("valid", 32)])
    unknown = sweep_results.sweep_summary([(config, folds_with([0.9] * 3))])
    assert unknown.loc[("valid", 64), "timing"] == "load not recorded"


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
            fold(test_accuracy=a / 100, num_parameters=5, wall_seconds=120.0, test_accuracy_flip_averaged=a / 100 + 0.001,
                 provenance={"cpu": "AMD EPYC"})
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

    results = tuple(fold(test_accuracy=a, num_parameters=5, wall_seconds=120.0) for a in (0.92, 0.921))
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
            fold(test_accuracy=a / 100, wall_seconds=minutes * 60, test_accuracy_flip_averaged=a / 100 + 0.002,
                 provenance={"cpu": "AMD EPYC"})
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
    assert list(table.columns[-2:]) == ["timed on", "timing"]
    facts = ablation_results.longer_training_facts(table, budget_minutes=4.0)
    assert facts["longer_epochs"] == 30 and facts["longer_gain"] == pytest.approx(0.9)
    assert facts["longer_budgets"] == pytest.approx(2.5) and facts["longer_cpu"] == "an AMD EPYC"


def test_the_kept_steps_over_seeds_say_which_gains_hold():
    def seeded(name, accuracies):
        return better_cnn.LadderStep(name, CVConfig(), tuple(dataclasses.replace(folds_with([accuracy])[0], seed=seed) for seed, accuracy in enumerate(accuracies)), kept=True)

    steps = [
        seeded("paper's model", [0.900, 0.902, 0.898]),
        seeded("+ small", [0.901, 0.903, 0.899]),  # +0.1 points: inside the noise
        seeded("+ large", [0.921, 0.923, 0.919]),  # +2 points: far above it
    ]
    table = ablation_results.seeded_table(steps)
    assert list(table["holds over seeds"]) == [None, False, True]
    assert table.loc["+ large", "gain"] == pytest.approx(2.0)
    facts = ablation_results.seeded_facts(steps, table)
    assert facts["walk_sd"] == pytest.approx(0.2) and facts["walk_df"] == 6
    assert (facts["walk_holding"], facts["walk_not_holding"], facts["walk_seed_count"]) == ("large", "small", 3)
