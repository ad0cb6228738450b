"""Scores on the official test set, computed from a saved result's predictions (scikit-learn)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sklearn.metrics

from fmnist import CLASS_NAMES, PERCENT



def predictions(result: dict) -> np.ndarray:
    """Return the predicted class of every test image of a saved official-test result."""
    return np.asarray(result["predicted_labels"], dtype=np.int64)


def check_lengths(labels: np.ndarray, result: dict) -> None:
    """Raise ValueError unless the result has one prediction per test label."""
    if len(labels) != len(result["predicted_labels"]):
        raise ValueError(
            f"the result holds {len(result['predicted_labels'])} predictions but there are "
            f"{len(labels)} test labels: it was computed on other data"
        )


def confusion(labels: np.ndarray, result: dict) -> pd.DataFrame:
    """Return the confusion matrix: rows are true classes, columns predicted classes."""
    check_lengths(labels, result)
    matrix = sklearn.metrics.confusion_matrix(labels, predictions(result), labels=range(len(CLASS_NAMES)))
    return pd.DataFrame(
        matrix,
        index=pd.Index(CLASS_NAMES, name="true class"),
        columns=pd.Index(CLASS_NAMES, name="predicted class"),
    )


def per_class_scores(labels: np.ndarray, result: dict) -> pd.DataFrame:
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


def mistakes_between(labels: np.ndarray, result: dict, true_class: int, predicted_class: int, count: int) -> np.ndarray:
    """Return the indices of up to `count` test images of one class taken for another, most confident first."""
    check_lengths(labels, result)
    predicted = predictions(result)
    confidences = np.asarray(result["confidences"])
    wrong = np.flatnonzero((labels == true_class) & (predicted == predicted_class))
    order = np.argsort(-confidences[wrong], kind="stable")
    return wrong[order][:count]


def summary(labels: np.ndarray, result: dict) -> dict:
    """Return the test accuracy, error count and macro F1 of an official-test result."""
    check_lengths(labels, result)
    predicted = predictions(result)
    return {
        "accuracy": PERCENT * float(sklearn.metrics.accuracy_score(labels, predicted)),
        "errors": int((predicted != labels).sum()),
        "images": int(len(labels)),
        "macro_f1": PERCENT * float(sklearn.metrics.f1_score(labels, predicted, average="macro")),
    }
