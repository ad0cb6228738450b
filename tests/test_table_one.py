"""Table I and the comparison with the paper, from fold results."""

import statistics

import pytest

from fmnist import paper
from fmnist.analysis import table_one
from conftest import fold
from fmnist.store.result_types import Provenance


def make_folds(train, test, num_test=12_000):
    return [
        fold(fold_index=index, train_accuracy=a / 100, test_accuracy=b / 100, num_test=num_test)
        for index, (a, b) in enumerate(zip(train, test), start=1)
    ]


PAPER_FOLDS = make_folds(paper.TABLE_ONE_TRAIN_ACCURACY, paper.TABLE_ONE_TEST_ACCURACY)


def test_table_one_has_folds_mean_and_population_std():
    folds = make_folds([96.0, 94.0], [91.0, 90.0])
    table = table_one.table_one(folds)
    assert list(table.index) == ["1", "2", "mean", "std dev"]
    assert list(table.columns) == ["Train Accuracy", "Test Accuracy"]
    assert table.loc["mean", "Train Accuracy"] == pytest.approx(95.0)
    assert table.loc["std dev", "Test Accuracy"] == pytest.approx(statistics.pstdev([91.0, 90.0]))


def test_papers_own_folds_reproduce_its_summary_rows():
    table = table_one.table_one(PAPER_FOLDS)
    for column in table_one.COLUMNS:
        assert round(table.loc["mean", column], 2) == paper.TABLE_ONE_MEAN[column]
        assert round(table.loc["std dev", column], 2) == paper.TABLE_ONE_STD[column]


def test_comparison_sets_ours_beside_the_papers():
    folds = make_folds([95.0] * 5, [90.0] * 5)
    table = table_one.comparison(folds)
    assert list(table.index) == ["1", "2", "3", "4", "5", "mean", "std dev"]
    assert table.loc["1", ("Test Accuracy", "paper")] == pytest.approx(91.21)
    assert table.loc["1", ("Test Accuracy", "ours")] == pytest.approx(90.0)
    assert table.loc["mean", ("Test Accuracy", "difference")] == pytest.approx(90.0 - 90.70)


def test_verdict_of_the_papers_own_numbers_is_agreement():
    verdict = table_one.verdict(PAPER_FOLDS)
    assert verdict["difference"] == pytest.approx(0.0, abs=0.01)
    assert verdict["within_tolerance"] and verdict["within_paper_spread"]
    assert not verdict["significant"]


def test_verdict_flags_a_distant_result():
    verdict = table_one.verdict(make_folds([99.0] * 5, [85.0, 85.5, 84.5, 85.2, 84.8]))
    assert not verdict["within_tolerance"]
    assert verdict["same_folds"] and verdict["significant"] and verdict["folds_higher"] == 0


def test_verdict_pairs_each_fold_with_the_papers_same_fold():
    # Higher on every fold by a varying margin: paired, the gain is clear even though it
    # is smaller than the spread of the folds.
    ours = [value + gain for value, gain in zip(paper.TABLE_ONE_TEST_ACCURACY, [0.20, 0.25, 0.22, 0.18, 0.24])]
    verdict = table_one.verdict(make_folds([95.0] * 5, ours))
    assert verdict["folds_higher"] == 5
    assert verdict["p_value"] < 0.001 and verdict["significant"]
    assert "higher on 5 of 5" in table_one.verdict_text(verdict)


def test_folds_that_are_not_the_papers_get_no_paired_test():
    for folds in (make_folds([95.0] * 3, [90.0, 91.0, 92.0], num_test=20_000), make_folds([95.0] * 5, [90.0] * 5, num_test=120)):
        verdict = table_one.verdict(folds)
        assert not verdict["same_folds"] and not verdict["significant"]
        assert "not the paper's five folds" in table_one.verdict_text(verdict)


def test_no_folds_is_an_error():
    with pytest.raises(ValueError, match="no finished folds"):
        table_one.table_one([])


def test_percent_formatting():
    text = table_one.format_percent(table_one.table_one(make_folds([95.0], [90.0])))
    assert "95.00%" in text and "90.00%" in text


def test_styled_table_renders_two_decimals_and_dashes():
    html = table_one.styled(table_one.comparison(make_folds([95.0], [90.0]))).to_html()
    assert "95.00" in html and "91.21" in html and ">-<" in html


def test_the_cross_validation_estimates_sit_beside_the_test_accuracy():
    import pandas as pd

    table = table_one.cv_against_test(pd.Series([90.0, 91.0]), 90.8, "recorded")
    assert list(table.index) == ["our cross-validation", "the paper's cross-validation", "official test set"]
    assert table.loc["our cross-validation", "accuracy (%)"] == pytest.approx(90.5)
    assert table.loc["our cross-validation", "std over folds"] == pytest.approx(0.5)
    assert table.loc["the paper's cross-validation", "accuracy (%)"] == paper.TABLE_ONE_MEAN["Test Accuracy"]
    assert table.loc["our cross-validation", "from"] == "our 2 held-out folds (recorded)"


def test_the_environment_table_is_text_one_row_per_fact():
    provenance = {"python": "3.11.7", "platform": "Linux", "cpu": "AMD EPYC", "cpu_count": 2,
                  "packages": {"tensorflow": "2.21.0", "keras": "3.15.1"}}
    table = table_one.environment_table(Provenance.from_saved(provenance))
    assert table["value"].to_dict() == {
        "Python": "3.11.7", "operating system": "Linux", "CPU": "AMD EPYC", "CPU cores": "2",
        "tensorflow version": "2.21.0", "keras version": "3.15.1",
    }
