"""Official-test scores from saved predictions, checked against hand-counted examples."""

import dataclasses

import numpy as np
import pytest

from fmnist import CLASS_NAMES
from fmnist.analysis import test_scores
from conftest import official_result

LABELS = np.array([0, 0, 0, 6, 6, 6, 2, 4, 1, 1])
PREDICTED = [0, 6, 6, 0, 6, 6, 4, 2, 1, 1]
CONFIDENCES = [0.9, 0.6, 0.8, 0.7, 0.9, 0.9, 0.5, 0.5, 1.0, 1.0]
RESULT = official_result(test_accuracy=0.9, predicted_labels=PREDICTED, confidences=CONFIDENCES)


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    matrix = test_scores.confusion(LABELS, RESULT)
    assert matrix.shape == (10, 10)
    assert list(matrix.index) == list(CLASS_NAMES)
    assert matrix.loc["T-shirt/top", "Shirt"] == 2
    assert matrix.loc["Shirt", "T-shirt/top"] == 1
    assert matrix.to_numpy().sum() == len(LABELS)


def test_per_class_scores_match_hand_counts():
    scores = test_scores.per_class_scores(LABELS, RESULT)
    # T-shirt/top: 1 of 3 found (recall 1/3), 1 of 2 predicted right (precision 1/2).
    assert scores.loc["T-shirt/top", "recall"] == pytest.approx(100 / 3)
    assert scores.loc["T-shirt/top", "precision"] == pytest.approx(50)
    assert scores.loc["Trouser", "F1"] == pytest.approx(100)
    assert scores.loc["Bag", "F1"] == 0  # No bag and none predicted: counted as 0.
    assert scores.loc["macro average", "images"] == len(LABELS)


def test_confused_pairs_count_both_ways():
    pairs = test_scores.confused_pairs(test_scores.confusion(LABELS, RESULT), top=2)
    assert list(pairs["pair"]) == ["T-shirt/top / Shirt", "Pullover / Coat"]
    assert list(pairs["mistakes"]) == [3, 2]
    assert (pairs.loc[0, "first taken for second"], pairs.loc[0, "second taken for first"]) == (2, 1)


def test_mistakes_are_listed_most_confident_first():
    assert list(test_scores.mistakes_between(LABELS, RESULT, 0, 6, count=5)) == [2, 1]
    assert list(test_scores.mistakes_between(LABELS, RESULT, 0, 6, count=1)) == [2]
    assert list(test_scores.mistakes_between(LABELS, RESULT, 8, 9, count=5)) == []


def test_summary_counts_errors():
    summary = test_scores.summary(LABELS, RESULT)
    assert summary["errors"] == 5
    assert summary["accuracy"] == pytest.approx(50)


def test_predictions_for_other_data_are_refused():
    with pytest.raises(ValueError, match="computed on other data"):
        test_scores.confusion(LABELS[:5], RESULT)


def test_galleries_show_each_confused_pair_both_ways():
    pairs = test_scores.confused_pairs(test_scores.confusion(LABELS, RESULT), top=1)
    galleries = test_scores.mistake_galleries(LABELS, RESULT, pairs, per_row=5)
    assert [(true, predicted) for true, predicted, _ in galleries] == [(0, 6), (6, 0)]
    assert [list(indices) for _, _, indices in galleries] == [[2, 1], [3]]


def test_page_facts_name_the_hardest_class_and_the_top_pair():
    import pandas as pd

    scores = test_scores.summary(LABELS, RESULT)
    per_class = test_scores.per_class_scores(LABELS, RESULT)
    pairs = test_scores.confused_pairs(test_scores.confusion(LABELS, RESULT), top=2)
    result = dataclasses.replace(RESULT, training_seconds=90.0, num_train=60_000)
    facts = test_scores.page_facts(scores, result, per_class, pairs, pd.Series([49.0, 51.0]))
    assert facts["test_errors"] == 5 and facts["training_minutes"] == pytest.approx(1.5)
    assert facts["test_minus_cv"] == pytest.approx(0.0)
    assert facts["best_class"] == "Trouser" and facts["best_f1"] == pytest.approx(100)
    assert facts["top_pair"] == "T-shirt/top / Shirt" and facts["top_pair_mistakes"] == 3
    assert facts["top_pair_share"] == pytest.approx(60.0)


def test_the_summary_table_shows_counts_and_percentages_for_readers():
    scores = {"accuracy": 90.74, "errors": 926, "images": 10000, "macro_f1": 90.65517904117932}
    table = test_scores.summary_table({"paper's model": scores})
    assert table["paper's model"].to_dict() == {
        "test images": "10,000",
        "mistakes": "926",
        "accuracy (%)": "90.74",
        "macro F1 (%)": "90.66",
    }
