"""Scores on the official test set, computed from a saved result's predictions (scikit-learn)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sklearn.metrics

from fmnist import CLASS_NAMES, PERCENT, SECONDS_PER_MINUTE
from fmnist.store import result_types



def predictions(result: result_types.TestResult) -> np.ndarray:
    """Return the predicted class of every test image of a saved official-test result."""
    return np.asarray(result.predicted_labels, dtype=np.int64)


def check_lengths(labels: np.ndarray, result: result_types.TestResult) -> None:
    """Raise ValueError unless the result has one prediction per test label."""
    if len(labels) != len(result.predicted_labels):
        raise ValueError(
            f"the result holds {len(result.predicted_labels)} predictions but there are "
            f"{len(labels)} test labels: it was computed on other data"
        )


def confusion(labels: np.ndarray, result: result_types.TestResult) -> pd.DataFrame:
    """Return the confusion matrix: rows are true classes, columns predicted classes."""
    check_lengths(labels, result)
    matrix = sklearn.metrics.confusion_matrix(labels, predictions(result), labels=range(len(CLASS_NAMES)))
    return pd.DataFrame(
        matrix,
        index=pd.Index(CLASS_NAMES, name="true class"),
        columns=pd.Index(CLASS_NAMES, name="predicted class"),
    )


def per_class_scores(labels: np.ndarray, result: result_types.TestResult) -> pd.DataFrame:
    """Return each class's precision, recall and F1 in percent, with their macro average."""
    check_lengths(labels, result)
    precision, recall, f1, support = sklearn.metrics.precision_recall_fscore_support(
        labels, predictions(result), labels=range(len(CLASS_NAMES)), zero_division=0
    )
    table = pd.DataFrame(
        {"precision": precision * PERCENT, "recall": recall * PERCENT, "F1": f1 * PERCENT, "images": support},
        index=pd.Index(CLASS_NAMES, name="class"),
    )
    table.loc["macro average"] = [precision.mean() * PERCENT, recall.mean() * PERCENT, f1.mean() * PERCENT, support.sum()]
    return table


def confused_pairs(matrix: pd.DataFrame, top: int) -> pd.DataFrame:
    """Return the `top` unordered class pairs with the most mistakes between them, both ways counted."""
    counts = matrix.to_numpy()
    rows = []
    for first in range(len(counts)):
        for second in range(first + 1, len(counts)):
            rows.append(
                {
                    "pair": f"{matrix.index[first]} / {matrix.index[second]}",
                    "first": first,
                    "second": second,
                    "mistakes": int(counts[first, second] + counts[second, first]),
                    "first taken for second": int(counts[first, second]),
                    "second taken for first": int(counts[second, first]),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values("mistakes", ascending=False, kind="stable").head(top).reset_index(drop=True)


def mistakes_between(labels: np.ndarray, result: result_types.TestResult, true_class: int, predicted_class: int, count: int) -> np.ndarray:
    """Return the indices of up to `count` test images of one class taken for another, most confident first."""
    check_lengths(labels, result)
    predicted = predictions(result)
    confidences = np.asarray(result.confidences)
    wrong = np.flatnonzero((labels == true_class) & (predicted == predicted_class))
    order = np.argsort(-confidences[wrong], kind="stable")
    return wrong[order][:count]


def summary(labels: np.ndarray, result: result_types.TestResult) -> dict:
    """Return the test accuracy, error count and macro F1 of an official-test result."""
    check_lengths(labels, result)
    predicted = predictions(result)
    return {
        "accuracy": PERCENT * float(sklearn.metrics.accuracy_score(labels, predicted)),
        "errors": int((predicted != labels).sum()),
        "images": int(len(labels)),
        "macro_f1": PERCENT * float(sklearn.metrics.f1_score(labels, predicted, average="macro")),
    }


def summary_table(named_scores: dict[str, dict]) -> pd.DataFrame:
    """Return test scores (`summary`) as a table for a reader, one column per model."""
    rows = {
        "test images": lambda scores: f"{scores['images']:,}",
        "mistakes": lambda scores: f"{scores['errors']:,}",
        "accuracy (%)": lambda scores: f"{scores['accuracy']:.2f}",
        "macro F1 (%)": lambda scores: f"{scores['macro_f1']:.2f}",
    }
    return pd.DataFrame({model: {row: shown(scores) for row, shown in rows.items()} for model, scores in named_scores.items()})


def mistake_galleries(labels: np.ndarray, result: result_types.TestResult, pairs: pd.DataFrame, per_row: int) -> list[tuple[int, int, np.ndarray]]:
    """Return, for each confused pair each way, (true class, predicted class, up to `per_row` image indices)."""
    return [
        (true_class, predicted_class, mistakes_between(labels, result, true_class, predicted_class, per_row))
        for row in pairs.itertuples()
        for true_class, predicted_class in ((row.first, row.second), (row.second, row.first))
    ]


def page_facts(scores: dict, result: result_types.TestResult, per_class: pd.DataFrame, pairs: pd.DataFrame, cv_accuracy: pd.Series) -> dict:
    """Return the facts the test-set page states, by glue name.

    `scores` is `summary`'s, `per_class` `per_class_scores`', `pairs` `confused_pairs`'
    and `cv_accuracy` the cross-validation's held-out accuracy per fold, in percent.
    """
    classes = per_class.drop(index="macro average")["F1"]
    worst, best = classes.idxmin(), classes.idxmax()
    return {
        "test_accuracy": scores["accuracy"],
        "test_errors": scores["errors"],
        "test_images": scores["images"],
        "macro_f1": scores["macro_f1"],
        "training_minutes": result.training_seconds / SECONDS_PER_MINUTE,
        "num_train": result.num_train,
        "cv_mean": float(cv_accuracy.mean()),
        "cv_std": float(cv_accuracy.std(ddof=0)),
        "test_minus_cv": scores["accuracy"] - float(cv_accuracy.mean()),
        "worst_class": worst,
        "worst_f1": float(classes[worst]),
        "best_class": best,
        "best_f1": float(classes[best]),
        "top_pair": pairs.loc[0, "pair"],
        "top_pair_mistakes": int(pairs.loc[0, "mistakes"]),
        "top_pair_share": float(PERCENT * pairs.loc[0, "mistakes"] / scores["errors"]),
    }
