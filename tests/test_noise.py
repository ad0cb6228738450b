"""The noise study's statistics, on synthetic numbers whose answers are worked out by hand."""

import math

import pandas as pd
import pytest

from fmnist import paper, record_checks
from fmnist.analysis import noise, noise_text, significance
from fmnist.config import CVConfig
from conftest import fold

FIVE = [90.0, 90.2, 90.4, 90.6, 90.8]  # mean 90.4, sd sqrt(0.1), t(0.975, 4) = 2.776445


def run(trainer, seed, test_accuracies, train_accuracies=None):
    """Return a (config, folds) run whose folds have these accuracies in percent."""
    train_accuracies = train_accuracies or [value + 5 for value in test_accuracies]
    folds = [
        fold(fold_index=index, test_accuracy=test / 100, train_accuracy=train / 100)
        for index, (test, train) in enumerate(zip(test_accuracies, train_accuracies), start=1)
    ]
    return CVConfig(trainer=trainer, seed=seed), folds


def test_interval_of_the_mean_is_the_t_interval():
    low, high = noise.t_interval(FIVE)
    assert (low, high) == pytest.approx((90.4 - 0.392646, 90.4 + 0.392646), abs=1e-5)


def test_prediction_interval_widens_by_one_more_draw():
    low, high = noise.prediction_interval(FIVE)
    half_width = 2.776445 * math.sqrt(0.1) * math.sqrt(1.2)
    assert (low, high) == pytest.approx((90.4 - half_width, 90.4 + half_width), abs=1e-5)


def test_where_a_value_falls_among_the_seeds():
    falls = noise.where_it_falls(FIVE, 90.7)
    assert falls["percentile"] == pytest.approx(80.0)  # 4 of 5 below, none equal.
    assert falls["sds from mean"] == pytest.approx(0.3 / math.sqrt(0.1))
    assert falls["inside prediction interval"]
    assert noise.where_it_falls(FIVE, 90.4)["percentile"] == pytest.approx(50.0)
    assert not noise.where_it_falls(FIVE, 92.0)["inside prediction interval"]


def test_table_one_means_per_seed_and_the_arm_summary():
    runs = [run("fmnist", seed, [value] * 5) for seed, value in enumerate(FIVE)]
    means = noise.seed_means(runs)
    assert list(means["held-out mean"]) == pytest.approx(FIVE)
    assert list(means["train mean"]) == pytest.approx([value + 5 for value in FIVE])
    assert set(means["folds"]) == {5}
    row = noise.arm_table(means).loc["fmnist"]
    assert row["seeds"] == 5 and row["mean"] == pytest.approx(90.4)
    assert row["seed sd"] == pytest.approx(math.sqrt(0.1))
    assert row["paper"] == paper.TABLE_ONE_MEAN["Test Accuracy"]
    assert row["paper percentile"] == pytest.approx(80.0)
    train = noise.arm_table(means, "train").loc["fmnist"]
    assert train["mean"] == pytest.approx(95.4) and train["paper"] == paper.TABLE_ONE_MEAN["Train Accuracy"]


def test_each_arm_keeps_its_own_seed_noise_and_degrees_of_freedom():
    runs = [run("fmnist", s, [v] * 5) for s, v in enumerate([1.0, 2.0, 3.0])]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate([5.0, 7.0])]
    table = noise.arm_table(noise.seed_means(runs))
    assert table.loc["fmnist", "seed sd"] == pytest.approx(1.0) and table.loc["fmnist", "df"] == 2
    assert table.loc["keras2-fit", "seed sd"] == pytest.approx(math.sqrt(2)) and table.loc["keras2-fit", "df"] == 1
    half_width = 12.706205 * math.sqrt(2) / math.sqrt(2)  # t(0.975, 1) × sd / √n
    assert (table.loc["keras2-fit", "mean 95% low"], table.loc["keras2-fit", "mean 95% high"]) == pytest.approx((6 - half_width, 6 + half_width), abs=1e-5)
    assert table.loc["keras2-fit", "paper sds from mean"] == pytest.approx((90.70 - 6) / math.sqrt(2))


def test_the_equivalence_margin_is_declared_from_the_papers_table_not_the_seeds():
    assert noise.EQUIVALENCE_MARGINS == {"held-out": paper.TABLE_ONE_STD["Test Accuracy"], "train": paper.TABLE_ONE_STD["Train Accuracy"]}
    near = noise.arm_table(noise.seed_means([run("fmnist", s, [v + 0.3] * 5) for s, v in enumerate(FIVE)])).loc["fmnist"]
    # Mean 90.70, the paper's; the 90% interval's half width is t(0.95, 4) = 2.131847, × √0.1 / √5 = 0.301489.
    assert near["margin"] == paper.TABLE_ONE_STD["Test Accuracy"]
    assert near["smallest margin"] == pytest.approx(0.301489, abs=1e-5)
    assert near["equivalent"] and near["consistent"]
    far = noise.arm_table(noise.seed_means([run("fmnist", s, [v + 1.0] * 5) for s, v in enumerate(FIVE)])).loc["fmnist"]
    # Mean 91.40: 0.70 from the paper's, beyond the margin; the paper's draw is still inside one run's range.
    assert not far["equivalent"] and far["consistent"]
    assert far["smallest margin"] == pytest.approx(0.70 + 0.301489, abs=1e-5)


def test_two_arms_a_hair_apart_agree_within_a_wide_margin_but_not_a_narrow_one():
    first = [90.0, 90.1, 90.2, 90.1, 90.0]
    second = [value + 0.01 for value in first]
    wide = noise.compare_arms(first, second, margin=1.0)
    assert wide["difference"] == pytest.approx(-0.01)
    assert wide["95% low"] < -0.01 < wide["95% high"]
    assert wide["equivalent"] and not wide["significant"]
    assert not noise.compare_arms(first, second, margin=0.01)["equivalent"]


def test_two_arms_far_apart_differ_significantly():
    result = noise.compare_arms(FIVE, [value + 2 for value in FIVE], margin=0.5)
    assert result["difference"] == pytest.approx(-2.0)
    assert result["significant"] and not result["equivalent"]
    assert result["95% high"] < 0


@pytest.mark.parametrize("first, second, margin, message", [([1.0], [1.0, 2.0], 1.0, "at least two seeds"), ([1.0, 2.0], [1.0, 2.0], 0.0, "margin must be > 0")])
def test_comparing_arms_refuses_what_it_cannot_judge(first, second, margin, message):
    with pytest.raises(ValueError, match=message):
        noise.compare_arms(first, second, margin)


def test_arm_differences_are_one_holm_family():
    runs = [run("fmnist", s, [v + 1] * 5) for s, v in enumerate(FIVE)]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate(FIVE)]
    runs += [run("keras3-fit", s, [v - 1] * 5) for s, v in enumerate(FIVE)]
    means = noise.seed_means(runs)
    pairs = [("fmnist", "keras2-fit"), ("keras3-fit", "keras2-fit")]
    table = noise.arm_differences(means, pairs)
    assert list(table["difference"]) == pytest.approx([1.0, -1.0])
    assert list(table["p-value (Holm)"]) == pytest.approx(significance.holm(table["p-value"]))
    with pytest.raises(ValueError, match="no seeds of arm 'keras9'"):
        noise.arm_differences(means, [("fmnist", "keras9")])


def test_variance_components_split_a_seed_shift_from_the_seed_by_fold_scatter():
    # Seed s shifts all folds by 0.5 s; fold k adds k; a small seed-by-fold scatter (each seed a rotation of one list).
    scatter = [0.1, -0.1, 0.0, 0.1, -0.1]
    shifted = [run("keras2-fit", s, [90.0 + k + 0.5 * s + scatter[(k + s) % 5] for k in range(5)]) for s in range(4)]
    components = noise.variance_components(noise.fold_frame(shifted), "keras2-fit")
    assert components["between-seed sd"] > 0.5 and components["between-seed p-value"] < 0.001
    # Without the shift, only the scatter is left.
    flat = [run("fmnist", s, [90.0 + k + scatter[(k + s) % 5] for k in range(5)]) for s in range(4)]
    components = noise.variance_components(noise.fold_frame(flat), "fmnist")
    assert components["between-seed sd"] == pytest.approx(0.0)
    # Residual sum of squares: 0.16 over the 20 cells less 4 × Σ(column mean)² = 0.01, over (4 - 1)(5 - 1) = 12 df.
    assert components["within-seed sd"] == pytest.approx(math.sqrt(0.15 / 12))
    with pytest.raises(ValueError, match="at least two seeds"):
        noise.variance_components(noise.fold_frame(flat[:1]), "fmnist")


def test_a_difference_of_two_single_runs_carries_both_runs_noise():
    assert noise.difference_floor(0.32) == pytest.approx(2 * math.sqrt(2) * 0.32)
    assert noise.difference_floor(0.3, 0.4) == pytest.approx(2 * 0.5)


def test_bartlett_tells_unequal_seed_variances_apart():
    runs = [run("fmnist", s, [v] * 5) for s, v in enumerate([90.0, 90.01, 90.02, 90.01, 90.0])]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate([89.0, 91.0, 88.0, 92.0, 90.0])]
    assert noise.variance_test(noise.seed_means(runs))["p-value"] < 0.001


def test_fold_by_fold_the_papers_fold_is_set_in_its_own_distribution():
    runs = [run("fmnist", s, [v, 90.0, 90.0, 90.0, 90.0]) for s, v in enumerate(FIVE)]
    table = noise.fold_table(noise.fold_frame(runs), "fmnist")
    assert table.loc[1, "mean"] == pytest.approx(90.4)
    assert table.loc[1, "paper"] == paper.TABLE_ONE_TEST_ACCURACY[0]
    assert table.loc[1, "paper percentile"] == pytest.approx(100.0)  # 91.21 is above every seed.
    assert table.loc[2, "seed sd"] == pytest.approx(0.0)


def test_the_papers_order_of_folds_reproduced_or_not():
    paper_order = list(paper.TABLE_ONE_TEST_ACCURACY)
    same = [run("fmnist", s, [v + s * 0.01 for v in paper_order]) for s in range(4)]
    order = noise.fold_order(noise.fold_frame(same), "fmnist")
    assert order["paper's easiest fold"] == 1
    assert order["share of seeds it is easiest"] == pytest.approx(1.0)
    assert order["rank correlation of fold means"] == pytest.approx(1.0)
    assert order["rank correlation p-value"] < 0.05
    assert "The fold means of ours order the folds as the paper's draw did" in noise_text.fold_order_text({"fmnist": order}, {"fmnist": "ours"})
    reversed_runs = [run("fmnist", s, [181.0 - v for v in paper_order]) for s in range(3)]  # Every rank turned over.
    reversed_order = noise.fold_order(noise.fold_frame(reversed_runs), "fmnist")
    assert reversed_order["share of seeds it is easiest"] == 0.0
    assert reversed_order["rank correlation of fold means"] == pytest.approx(-1.0)
    assert "No arm's fold means order the folds" in noise_text.fold_order_text({"fmnist": reversed_order}, {"fmnist": "ours"})


def test_texts_say_what_the_numbers_say():
    table = noise.arm_table(noise.seed_means([run("fmnist", s, [v] * 5) for s, v in enumerate(FIVE)]))
    text = noise_text.position_text(table.loc["fmnist"], "our loop")
    assert "80th percentile" in text and "+0.9 of this arm's own seed standard deviations" in text and "inside the range in which 95% of single runs fall" in text
    assert "**consistent**" in noise_text.agreement_text(table.loc["fmnist"], "our loop")
    equal = pd.Series({**noise.compare_arms(FIVE, FIVE, margin=1.0), "p-value (Holm)": 1.0})
    assert "within the declared ±1.00 points the two are equivalent" in noise_text.comparison_text(equal, "A", "B")
    apart = pd.Series({**noise.compare_arms(FIVE, [v + 2 for v in FIVE], margin=0.5), "p-value (Holm)": 0.0})
    assert "cannot be shown" in noise_text.comparison_text(apart, "A", "B")


def test_a_study_of_nothing_says_how_to_make_it():
    with pytest.raises(ValueError, match="fmnist seeds"):
        noise.fold_frame([])
    with pytest.raises(ValueError, match="metric must be one of"):
        noise.arm_table(noise.seed_means([run("fmnist", 0, FIVE)]), "validation")


def test_the_tolerance_on_another_processor_is_the_noise_of_a_difference_of_two_draws():
    # Fold k's accuracy over three seeds is 90 + k + (-0.1, 0, 0.1): each fold's seed sd is 0.1.
    study = [run("fmnist", s, [90.0 + k + offset for k in range(1, 6)]) for s, offset in enumerate([-0.1, 0.0, 0.1])]
    assert noise.pooled_fold_sd(noise.fold_frame(study), "fmnist") == pytest.approx(0.1)
    assert record_checks.other_processor_tolerance(study, 1) == pytest.approx(1.959964 * math.sqrt(2) * 0.1, rel=1e-5)
    # Bonferroni over ten comparisons: z for 0.05 / 20 two-sided.
    assert record_checks.other_processor_tolerance(study, 10) == pytest.approx(2.807034 * math.sqrt(2) * 0.1, rel=1e-5)
    assert record_checks.other_processor_tolerance(None, 10) is None


@pytest.mark.parametrize("value, text", [(1, "1st"), (2.4, "2nd"), (33.3, "33rd"), (11, "11th"), (12, "12th"), (50, "50th"), (100, "100th"), (0, "0th"), (21, "21st")])
def test_percentiles_read_as_ordinals(value, text):
    assert noise_text.ordinal(value) == text


def test_the_verdicts_name_both_senses_of_agreement():
    close = [run("fmnist", s, [v + 0.3] * 5) for s, v in enumerate(FIVE)]  # mean 90.70, the paper's
    assert noise_text.reproduction_title(close) == "Table I reproduces"
    assert "is consistent with our runs" in noise_text.short_verdict(close) and "our mean is equivalent" in noise_text.short_verdict(close)
    assert noise_text.headline_text(close, "our loop").startswith("**The reproduction is consistent with the paper, and its mean is equivalent")
    apart = [run("fmnist", s, [v + 1.0] * 5) for s, v in enumerate(FIVE)]  # mean 91.40: consistent, not equivalent
    assert noise_text.reproduction_title(apart) == "Table I is consistent with our runs, but equivalence is not shown"
    far = [run("fmnist", s, [v + 3.0] * 5) for s, v in enumerate(FIVE)]
    assert noise_text.reproduction_title(far) == "Table I does not reproduce"
    assert "not been measured" in noise_text.short_verdict(None) and noise_text.study_facts(None) == {}
    assert noise_text.study_facts(close)["ours_consistent"] == "is consistent with it"


def test_the_single_run_floor_counts_both_runs():
    study = [run("fmnist", s, [v] * 5) for s, v in enumerate(FIVE)]
    assert noise.single_run_floor(study) == pytest.approx(2 * math.sqrt(2) * math.sqrt(0.1))
    assert noise.single_run_floor(None) is None
    floor = noise.fold_noise_floor(study, 1)
    assert floor["floor"] == pytest.approx(2 * math.sqrt(2) * floor["seed sd"])


def test_the_ablation_floor_text_counts_both_runs_and_names_the_gains_below_it():
    ablation = pd.DataFrame(
        {"kept": [True, True, True], "above noise": [None, False, True]}, index=["paper's model", "+ padding", "+ blocks"]
    )
    fold_noise = {"fold": 1, "seeds": 10, "seed sd": 0.32, "floor": noise.difference_floor(0.32)}
    text = noise_text.ablation_noise_text(fold_noise, ablation)
    assert "about 0.91 points (2 × √2 × 0.32)" in text
    assert "Kept choices whose gain was smaller, within seed noise: 1 of 2, padding." in text
    assert "say which gains hold" in text
