"""The better CNN's final runs: one row per seed, their summary, the anchors beside them and the recomputation."""

import dataclasses

import numpy as np
import pytest
import scipy.stats

from fmnist import anchors
from fmnist.analysis import better_cnn_results
from fmnist.store import result_types
from conftest import official_result

CPU = "AMD EPYC"


def final_result(accuracy: float, flipped: float, seconds: float) -> result_types.TestResult:
    """Return an official-test result (recorded) with just what the tables read."""
    return official_result(
        test_accuracy=accuracy, test_accuracy_flip_averaged=flipped, num_test=10_000, training_seconds=seconds, provenance={"cpu": CPU}, source="recorded"
    )


RUNS = [
    (0, final_result(0.935, 0.937, 480.0)),
    (1, final_result(0.931, 0.934, 500.0)),
    (2, dataclasses.replace(final_result(0.933, 0.935, 520.0), source="computed")),
]


def test_the_seed_table_keeps_the_plain_and_the_flip_averaged_scores_apart():
    table = better_cnn_results.seed_table(RUNS)
    assert list(table.index) == [0, 1, 2]
    assert list(table["test accuracy"]) == pytest.approx([93.5, 93.1, 93.3])
    assert list(table["with flip averaging"]) == pytest.approx([93.7, 93.4, 93.5])
    assert list(table["mistakes"]) == [650, 690, 670]
    assert list(table["source"]) == ["recorded", "recorded", "computed"]


def test_the_summary_gives_mean_and_seed_sd_of_both_scores_and_the_longest_training():
    summary = better_cnn_results.summary(better_cnn_results.seed_table(RUNS))
    assert summary["mean"] == pytest.approx(93.3)
    assert summary["sd"] == pytest.approx(0.2)
    assert summary["flip_mean"] == pytest.approx(np.mean([93.7, 93.4, 93.5]))
    assert summary["longest_minutes"] == pytest.approx(520 / 60)
    assert summary["cpus"] == CPU


@pytest.mark.parametrize(("seconds", "target", "verdict", "budget"), [(500.0, 93.0, "meets", "within"), (500.0, 94.5, "does not meet", "within"), (700.0, 93.0, "does not meet", "over")])
def test_the_goal_needs_the_mean_over_seeds_and_every_training_within_budget(seconds, target, verdict, budget):
    runs = [(seed, final_result(0.933, 0.935, seconds)) for seed in range(3)]
    summary = better_cnn_results.summary(better_cnn_results.seed_table(runs))
    paper = {"accuracy": 90.0, "errors": 1000, "images": 10_000}
    facts = better_cnn_results.final_facts(summary, paper, target, 95.0, budget_minutes=10.0)
    assert (facts["target_met"], facts["budget_met"]) == (verdict, budget)
    assert facts["error_reduction"] == pytest.approx(33.0)
    assert facts["target_gap"] == pytest.approx(93.3 - target)


def test_the_anchor_table_quotes_every_anchor_and_labels_ours():
    summary = better_cnn_results.summary(better_cnn_results.seed_table(RUNS))
    table = better_cnn_results.anchor_table(summary, paper_accuracy=91.0)
    assert len(table) == len(anchors.ANCHORS) + 3
    assert list(table["source"]).count("published") == len(anchors.ANCHORS)
    assert table.loc["the better CNN", "test accuracy"] == "93.30 ± 0.20"
    assert table.loc["the paper's model", "test accuracy"] == "91.00"
    assert anchors.ANCHORS[0].accuracy_text() == "91.6 to 93.9"
    first_walk = official_result(test_accuracy=0.9317, history={"loss": [1.0] * 20}, training_seconds=275.0, provenance={"cpu": CPU})
    one_seed = better_cnn_results.summary(better_cnn_results.seed_table([(0, first_walk)]))
    with_first = better_cnn_results.anchor_table(summary, paper_accuracy=91.0, first_walk=one_seed)
    assert list(with_first.index[-2:]) == ["the first walk's CNN", "the paper's model"]
    assert with_first.loc["the first walk's CNN", "test accuracy"] == "93.17"
    assert with_first.loc["the first walk's CNN", "training"] == "one seed, 20 epochs, at most 4.6 minutes on 2 cores, its load not recorded"


def test_the_first_walks_cnn_is_set_against_the_better_cnn_by_welchs_test_over_seeds():
    history = {"loss": [1.0] * 20}
    first_walk = [(seed, official_result(test_accuracy=accuracy, history=history, training_seconds=600.0)) for seed, accuracy in enumerate((0.940, 0.942, 0.938))]
    facts = better_cnn_results.first_walk_facts(first_walk, RUNS)
    assert facts["first_walk_difference"] == pytest.approx(0.70)  # 94.00 against 93.30
    expected = scipy.stats.ttest_ind([94.0, 94.2, 93.8], [93.5, 93.1, 93.3], equal_var=False)
    assert f"{expected.confidence_interval(0.95).low:+.2f} to" in facts["first_walk_text"]
    assert "scores 0.70 points more" in facts["first_walk_text"] and "an established difference" in facts["first_walk_text"]
    assert "(mean of 3 seeds, 20 epochs, at most 10.0 minutes on 2 cores, its load not recorded)" in facts["first_walk_text"]
    assert "not compared" not in facts["first_walk_text"]  # Neither names its processor kind: the same "not recorded".
    single = better_cnn_results.first_walk_facts(first_walk[:1], RUNS)
    assert "not judged against seed noise" in single["first_walk_text"] and "first_walk_difference" not in single
    elsewhere = [(seed, dataclasses.replace(result, provenance=result_types.Provenance(cpu_kind="Zen 4"))) for seed, result in first_walk]
    assert "Their times come from two processor kinds (Zen 4 and not recorded), so they are not compared." in better_cnn_results.first_walk_facts(elsewhere, RUNS)["first_walk_text"]
    none = better_cnn_results.first_walk_facts([], RUNS)
    assert "no official-test run recorded" in none["first_walk_text"]
    assert better_cnn_results.summary(better_cnn_results.seed_table([])) is None


def test_per_class_comparison_counts_each_models_misses():
    labels = np.array([0, 0, 1, 1])
    better = official_result(predicted_labels=[0, 0, 1, 0])
    paper = official_result(predicted_labels=[1, 0, 0, 0])
    table = better_cnn_results.per_class_comparison(labels, better, paper)
    assert table.loc["T-shirt/top", "missed, better CNN"] == 0
    assert table.loc["T-shirt/top", "missed, paper's model"] == 1
    assert table["missed, better CNN"].iloc[-1] == 1 and table["missed, paper's model"].iloc[-1] == 3


def test_the_recomputation_says_whether_the_processor_kind_matched():
    assert "none was recomputed" in better_cnn_results.recomputation_text([])
    assert "(made on an AMD EPYC)" in better_cnn_results.recomputation_text([], "AMD EPYC")
    same = {"result": "test", "recorded": 93.31, "recomputed": 93.31, "difference": 0.0, "same_processor": True}
    fold = {**same, "result": "fold-1", "recomputed": 99.0}
    assert "93.31% against" in better_cnn_results.recomputation_text([fold, same])
    assert "+0.00 points" in better_cnn_results.recomputation_text([same])
    assert "processor kind that recorded it" in better_cnn_results.recomputation_text([same])
    other = {**same, "recomputed": 93.0, "difference": -0.31, "same_processor": False}
    assert "another processor kind" in better_cnn_results.recomputation_text([other])


def test_flip_averaging_is_explained_by_whether_the_model_saw_mirrored_images():
    summary = better_cnn_results.summary(better_cnn_results.seed_table(RUNS))
    assert better_cnn_results.flip_averaging_text(summary, True).startswith("Flip averaging raises the mean test accuracy by 0.23 points.")
    lowered = {**summary, "flip_mean": summary["mean"] - 3.0}
    text = better_cnn_results.flip_averaging_text(lowered, False)
    assert text.startswith("Flip averaging lowers the mean test accuracy by 3.00 points.") and "never saw a mirrored image" in text


def test_the_longer_training_says_whether_more_time_alone_would_reach_the_goal():
    better = {"mean": 92.67}
    longer = {"longer_epochs": 30, "longer_budgets": 3.2, "longer_accuracy": 93.73}
    text = better_cnn_results.more_time_text(longer, 93.05, better, 94.5)
    assert "93.05% on fold 1 and 92.67% on the test set, 0.38 points lower." in text
    assert "(3.2 times the budget), it reaches 93.73% on fold 1, 0.77 points short of the 94.5% goal" in text
    assert "more time alone would not meet the goal" in text
    assert "may meet it" in better_cnn_results.more_time_text({**longer, "longer_accuracy": 94.6}, 93.05, better, 94.5)
