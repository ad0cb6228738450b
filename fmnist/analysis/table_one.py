"""Table I and its comparison with the paper, computed from saved fold results only."""

from __future__ import annotations

import pandas as pd

from fmnist import PERCENT, paper
from fmnist.analysis import formatting, significance
from fmnist.store import result_types

COLUMNS = ("Train Accuracy", "Test Accuracy")
RESULT_FIELDS = {"Train Accuracy": "train_accuracy", "Test Accuracy": "held_out_accuracy"}
# The reproduction is judged to agree when its mean held-out accuracy is this close to the paper's.
TOLERANCE_POINTS = 1.0


def fold_accuracies(folds: list[result_types.FoldResult]) -> pd.DataFrame:
    """Return each fold's train and held-out accuracy in percent, indexed by k."""
    if not folds:
        raise ValueError("no finished folds to tabulate: run the cross-validation first")
    frame = pd.DataFrame(
        {column: [getattr(fold, field) * PERCENT for fold in folds] for column, field in RESULT_FIELDS.items()},
        index=pd.Index([fold.fold_index for fold in folds], name="k"),
    )
    return frame.sort_index()


def with_summary(per_fold: pd.DataFrame) -> pd.DataFrame:
    """Append the mean and the population standard deviation, as the paper's Table I does."""
    summary = pd.DataFrame(
        [per_fold.mean(), per_fold.std(ddof=0)], index=["mean", "std dev"]
    )
    table = pd.concat([per_fold.set_axis(per_fold.index.astype(str)), summary])
    table.index.name = "k"
    return table


def table_one(folds: list[result_types.FoldResult]) -> pd.DataFrame:
    """Return our Table I: accuracy per fold, then mean and std dev, in percent."""
    return with_summary(fold_accuracies(folds))


def paper_table_one() -> pd.DataFrame:
    """Return the paper's Table I as printed, in percent."""
    per_fold = pd.DataFrame(
        {
            "Train Accuracy": paper.TABLE_ONE_TRAIN_ACCURACY,
            "Test Accuracy": paper.TABLE_ONE_TEST_ACCURACY,
        },
        index=pd.Index(range(1, paper.FOLDS + 1), name="k"),
    )
    table = with_summary(per_fold)
    # The paper's printed summary rows, which its rounded per-fold values reproduce to 0.01.
    table.loc["mean"] = pd.Series(paper.TABLE_ONE_MEAN)
    table.loc["std dev"] = pd.Series(paper.TABLE_ONE_STD)
    return table


def comparison(folds: list[result_types.FoldResult]) -> pd.DataFrame:
    """Return the paper's Table I beside ours, with our value minus the paper's."""
    ours = table_one(folds)
    theirs = paper_table_one()
    parts = {}
    for column in COLUMNS:
        parts[(column, "paper")] = theirs[column]
        parts[(column, "ours")] = ours[column]
        parts[(column, "difference")] = ours[column] - theirs[column]
    table = pd.DataFrame(parts).reindex(ours.index.union(theirs.index, sort=False))
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table.loc[_row_order(table.index)]


def _row_order(index: pd.Index) -> list[str]:
    """Return fold rows in numeric order, then mean and std dev."""
    folds = sorted((label for label in index if label.isdigit()), key=int)
    return folds + [label for label in ("mean", "std dev") if label in index]


def verdict(folds: list[result_types.FoldResult]) -> dict:
    """Compare our held-out accuracies with the paper's: difference, tolerance and, on the paper's own folds, the corrected resampled t-test.

    The paper's five folds are scikit-learn's KFold(5, shuffle=True, random_state=1) of the
    60,000 training images; a run with five folds of 12,000 held-out images each has the same
    folds, so each of ours is set against the paper's same fold. Other runs get no test.
    """
    ours = fold_accuracies(folds)["Test Accuracy"]
    theirs = pd.Series(paper.TABLE_ONE_TEST_ACCURACY, index=range(1, paper.FOLDS + 1))
    difference = float(ours.mean() - paper.TABLE_ONE_MEAN["Test Accuracy"])
    same_folds = has_papers_folds(folds)
    if same_folds:
        differences = ours - theirs[ours.index]
        p_value = significance.corrected_resampled_ttest(differences, significance.test_train_ratio(folds))
        folds_higher = int((differences > 0).sum())
    else:
        p_value, folds_higher = float("nan"), 0
    return {
        "num_folds": int(len(ours)),
        "our_mean": float(ours.mean()),
        "our_std": float(ours.std(ddof=0)),
        "paper_mean": paper.TABLE_ONE_MEAN["Test Accuracy"],
        "paper_std": paper.TABLE_ONE_STD["Test Accuracy"],
        "difference": difference,
        "tolerance": TOLERANCE_POINTS,
        "within_tolerance": abs(difference) <= TOLERANCE_POINTS,
        "within_paper_spread": abs(difference) <= paper.TABLE_ONE_STD["Test Accuracy"],
        "same_folds": same_folds,
        "folds_higher": folds_higher,
        "p_value": p_value,
        "significant": same_folds and p_value < significance.SIGNIFICANCE_LEVEL,
    }


def has_papers_folds(folds: list[result_types.FoldResult]) -> bool:
    """Return whether the folds are the paper's five: fold indices 1 to 5, each holding out 12,000 images."""
    held_out_size = 60_000 // paper.FOLDS
    return sorted(fold.fold_index for fold in folds) == list(range(1, paper.FOLDS + 1)) and all(
        fold.num_test == held_out_size for fold in folds
    )


def format_percent(table: pd.DataFrame) -> str:
    """Return a table as text with every number in percent to two decimals."""
    return table.to_string(float_format=lambda value: f"{value:.2f}%", na_rep="-")


def provenance_table(folds: list[result_types.FoldResult]) -> pd.DataFrame:
    """Return when, where and how long each fold was computed."""
    return pd.DataFrame(
        [
            {
                "k": fold.fold_index,
                "wall time (s)": fold.wall_seconds,
                "finished": formatting.minute_of(fold.provenance.date),
                "CPU": fold.provenance.cpu,
                "TensorFlow": fold.provenance.packages.get("tensorflow"),
                "Keras": fold.provenance.packages.get("keras"),
            }
            for fold in folds
        ]
    ).set_index("k")


def best_epochs(folds: list[result_types.FoldResult]) -> pd.DataFrame:
    """Return, per fold, the epoch of the lowest held-out loss and of the highest held-out accuracy."""
    return pd.DataFrame(
        [
            {
                "k": fold.fold_index,
                "epochs": len(fold.history["val_loss"]),
                "lowest held-out loss after epoch": int(pd.Series(fold.history["val_loss"]).idxmin()) + 1,
                "highest held-out accuracy after epoch": int(pd.Series(fold.history["val_accuracy"]).idxmax()) + 1,
            }
            for fold in folds
        ]
    ).set_index("k")


def verdict_text(verdict: dict) -> str:
    """Return the verdict as a Markdown paragraph."""
    tolerance = "within" if verdict["within_tolerance"] else "outside"
    spread = "within" if verdict["within_paper_spread"] else "outside"
    text = (
        f"Our mean held-out accuracy over {verdict['num_folds']} folds is {verdict['our_mean']:.2f}% ± "
        f"{verdict['our_std']:.2f}%, the paper's {verdict['paper_mean']:.2f}% ± {verdict['paper_std']:.2f}%: a "
        f"difference of {verdict['difference']:+.2f} percentage points, {tolerance} the "
        f"{verdict['tolerance']:.0f}-point tolerance set for this reproduction and {spread} one standard "
        "deviation of the paper's folds."
    )
    if not verdict["same_folds"]:
        return text + " These are not the paper's five folds, so no fold is set against the paper's."
    is_or_not = "is" if verdict["significant"] else "is not"
    return text + (
        f" Fold by fold, against the paper's same five folds, ours is higher on {verdict['folds_higher']} of "
        f"{verdict['num_folds']}; by the corrected resampled t-test over folds ({formatting.p_value(verdict['p_value'])}) the difference {is_or_not} "
        f"significant at the {significance.SIGNIFICANCE_LEVEL:.0%} level. Both runs are single draws, though: whether the "
        "difference is more than a rerun with another seed gives is measured over many seeds, not by this test."
    )


def styled(table: pd.DataFrame):
    """Return a table styled for the book: two decimals, '-' for missing, spaced columns."""
    return table.style.format("{:.2f}", na_rep="-").set_table_styles(
        [{"selector": "th, td", "props": "padding: 0.2em 0.9em; text-align: right;"}]
    )


def cv_against_test(cv_accuracy: pd.Series, test_accuracy: float, cv_source: str) -> pd.DataFrame:
    """Return our cross-validation's estimate and the paper's beside the official test accuracy, in percent.

    `cv_accuracy` is the held-out accuracy per fold; `cv_source` says whether that run was
    computed by this build or recorded.
    """
    return pd.DataFrame(
        {
            "accuracy (%)": [float(cv_accuracy.mean()), paper.TABLE_ONE_MEAN["Test Accuracy"], test_accuracy],
            "std over folds": [float(cv_accuracy.std(ddof=0)), paper.TABLE_ONE_STD["Test Accuracy"], float("nan")],
            "from": [f"our {len(cv_accuracy)} held-out folds ({cv_source})", "the paper's Table I", "this page's run"],
        },
        index=pd.Index(["our cross-validation", "the paper's cross-validation", "official test set"], name="estimate"),
    )


def environment_table(provenance: result_types.Provenance) -> pd.DataFrame:
    """Return the machine and library versions one result was computed with, one row each."""
    facts = {
        "Python": provenance.python,
        "operating system": formatting.operating_system(provenance.platform or ""),
        "CPU": provenance.cpu,
        "CPU cores": provenance.cpu_count,
        **{f"{name} version": version for name, version in provenance.packages.items()},
    }
    return pd.DataFrame({"value": {name: str(value) for name, value in facts.items()}})
