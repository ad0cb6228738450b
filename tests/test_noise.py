"""The noise study's statistics, on synthetic numbers whose answers are worked out by hand."""

import math

import pandas as pd
import pytest

from fmnist import paper
from fmnist.analysis import noise, significance
from fmnist.config import CVConfig

FIVE = [90.0, 90.2, 90.4, 90.6, 90.8]  # mean 90.4, sd sqrt(0.1), t(0.975, 4) = 2.776445


def run(trainer, seed, test_accuracies, train_accuracies=None):
    """Return a (config, folds) run whose folds have these accuracies in percent."""
    train_accuracies = train_accuracies or [value + 5 for value in test_accuracies]
    folds = [
        {"fold_index": index, "test_accuracy": test / 100, "train_accuracy": train / 100}
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


def test_pooled_sd_weights_each_arm_by_its_degrees_of_freedom():
    runs = [run("fmnist", s, [v] * 5) for s, v in enumerate([1.0, 2.0, 3.0])]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate([5.0, 7.0])]
    means = noise.seed_means(runs)
    assert noise.pooled_sd(means) == pytest.approx(math.sqrt(4 / 3))  # (2 + 2) / (2 + 1)
    assert noise.equivalence_margin(means) == pytest.approx(noise.EQUIVALENCE_MARGIN_SDS * math.sqrt(4 / 3))


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


def test_the_gap_to_the_paper_splits_into_library_and_draw():
    runs = [run("fmnist", s, [v] * 5) for s, v in enumerate([91.0, 91.2])]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate([90.8, 91.0])]
    parts = noise.gap_parts(noise.seed_means(runs))
    assert parts["gap"] == pytest.approx(91.1 - 90.70)
    assert parts["library"] == pytest.approx(0.2)
    assert parts["draw"] == pytest.approx(90.9 - 90.70)
    assert parts["library"] + parts["draw"] == pytest.approx(parts["gap"])


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
    assert "order the folds as the paper's one draw did" in noise.fold_order_text(order, "ours")
    reversed_runs = [run("fmnist", s, [181.0 - v for v in paper_order]) for s in range(3)]  # Every rank turned over.
    reversed_order = noise.fold_order(noise.fold_frame(reversed_runs), "fmnist")
    assert reversed_order["share of seeds it is easiest"] == 0.0
    assert reversed_order["rank correlation of fold means"] == pytest.approx(-1.0)
    assert "no evidence" in noise.fold_order_text(reversed_order, "ours")


def test_texts_say_what_the_numbers_say():
    table = noise.arm_table(noise.seed_means([run("fmnist", s, [v] * 5) for s, v in enumerate(FIVE)]))
    text = noise.position_text(table.loc["fmnist"], "our loop")
    assert "80th percentile" in text and "+0.9 seed standard deviations" in text and "inside the 95% range" in text
    assert "smaller than" in noise.spread_text(0.1, 0.33)
    assert "at least as large as" in noise.spread_text(0.4, 0.33)
    equal = pd.Series({**noise.compare_arms(FIVE, FIVE, margin=1.0), "p-value (Holm)": 1.0})
    assert "agree within ±1.00 points" in noise.comparison_text(equal, "A", "B")
    apart = pd.Series({**noise.compare_arms(FIVE, [v + 2 for v in FIVE], margin=0.5), "p-value (Holm)": 0.0})
    assert "cannot be shown" in noise.comparison_text(apart, "A", "B")


def test_a_study_of_nothing_says_how_to_make_it():
    with pytest.raises(ValueError, match="fmnist seeds"):
        noise.fold_frame([])
    with pytest.raises(ValueError, match="metric must be one of"):
        noise.arm_table(noise.seed_means([run("fmnist", 0, FIVE)]), "validation")


def test_the_tolerance_on_another_processor_is_the_noise_of_a_difference_of_two_draws():
    # Fold k's accuracy over three seeds is 90 + k + (-0.1, 0, 0.1): each fold's seed sd is 0.1.
    study = [run("fmnist", s, [90.0 + k + offset for k in range(1, 6)]) for s, offset in enumerate([-0.1, 0.0, 0.1])]
    assert noise.pooled_fold_sd(noise.fold_frame(study), "fmnist") == pytest.approx(0.1)
    assert noise.other_processor_tolerance(study, 1) == pytest.approx(1.959964 * math.sqrt(2) * 0.1, rel=1e-5)
    # Bonferroni over ten comparisons: z for 0.05 / 20 two-sided.
    assert noise.other_processor_tolerance(study, 10) == pytest.approx(2.807034 * math.sqrt(2) * 0.1, rel=1e-5)
    assert noise.other_processor_tolerance(None, 10) is None


@pytest.mark.parametrize("value, text", [(1, "1st"), (2.4, "2nd"), (33.3, "33rd"), (11, "11th"), (12, "12th"), (50, "50th"), (100, "100th"), (0, "0th"), (21, "21st")])
def test_percentiles_read_as_ordinals(value, text):
    assert noise.ordinal(value) == text


def test_each_arms_intervals_use_the_seed_noise_pooled_over_the_arms():
    runs = [run("fmnist", s, [v] * 5) for s, v in enumerate([1.0, 2.0, 3.0])]
    runs += [run("keras2-fit", s, [v] * 5) for s, v in enumerate([5.0, 7.0])]
    table = noise.arm_table(noise.seed_means(runs))
    pooled = math.sqrt(4 / 3)  # (2 + 2) / (2 + 1) degrees of freedom
    assert table.loc["keras2-fit", "noise sd"] == pytest.approx(pooled)
    assert table.loc["keras2-fit", "seed sd"] == pytest.approx(math.sqrt(2))
    half_width = 3.182446 * pooled / math.sqrt(2)  # t(0.975, 3)
    assert (table.loc["keras2-fit", "mean 95% low"], table.loc["keras2-fit", "mean 95% high"]) == pytest.approx((6 - half_width, 6 + half_width), abs=1e-5)
    assert table.loc["keras2-fit", "paper sds from mean"] == pytest.approx((90.70 - 6) / pooled)
