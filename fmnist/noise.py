"""How much is noise: Table I over seeds, per arm, and the verdicts that rest on it.

Everything here reads saved fold results only (`fmnist.seeds` computes them). The
unit of the study is a whole Table I: one seed's five folds give one mean held-out
accuracy. Over seeds those means show the seed-to-seed noise of the experiment, the
scale on which a difference between two runs, or between a run and the paper's one
draw, is judged.

- Per arm: mean, seed-to-seed standard deviation, a t interval for the arm's mean, a
  prediction interval for one more run, and where the paper's number falls.
- Between arms: Welch's difference of means with its interval and test over seeds, and
  an equivalence test (two one-sided tests) against a margin of
  `EQUIVALENCE_MARGIN_SDS` pooled seed standard deviations.
- Fold by fold: each fold's seed distribution against the paper's fold, and how often
  the paper's easiest fold is the easiest again.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.stats
from statsmodels.stats import weightstats

from fmnist import paper
from fmnist.config import CVConfig

PERCENT = 100.0
CONFIDENCE = 0.95
SIGNIFICANCE_LEVEL = 0.05
# A systematic difference smaller than this many seed-to-seed standard deviations of
# Table I's mean counts as agreement: 95% of reruns of one procedure already scatter
# over about that distance from its average, so a reader comparing one run with
# another (or with the paper's one draw) could not see a smaller shift.
EQUIVALENCE_MARGIN_SDS = 2.0
METRICS = {"held-out": "test_accuracy", "train": "train_accuracy"}
PAPER_FOLDS = {"held-out": paper.TABLE_ONE_TEST_ACCURACY, "train": paper.TABLE_ONE_TRAIN_ACCURACY}
PAPER_MEANS = {"held-out": paper.TABLE_ONE_MEAN["Test Accuracy"], "train": paper.TABLE_ONE_MEAN["Train Accuracy"]}

Run = tuple[CVConfig, list[dict]]


def fold_frame(runs: list[Run]) -> pd.DataFrame:
    """Return one row per (arm, seed, fold) with its held-out and train accuracy in percent."""
    rows = [
        {
            "arm": config.trainer,
            "seed": config.seed,
            "fold": fold["fold_index"],
            **{metric: fold[field] * PERCENT for metric, field in METRICS.items()},
        }
        for config, folds in runs
        for fold in folds
    ]
    if not rows:
        raise ValueError("no finished folds to study: run `fmnist seeds` first")
    return pd.DataFrame(rows).sort_values(["arm", "seed", "fold"]).reset_index(drop=True)


def seed_means(runs: list[Run]) -> pd.DataFrame:
    """Return Table I's mean held-out and train accuracy of every (arm, seed), with its fold count."""
    frame = fold_frame(runs)
    grouped = frame.groupby(["arm", "seed"])
    means = grouped[list(METRICS)].mean().add_suffix(" mean")
    means.insert(0, "folds", grouped.size())
    return means


def t_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the t interval of the mean of some values at a confidence level."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return (math.nan, math.nan)
    mean, error = values.mean(), scipy.stats.sem(values)
    return tuple(float(bound) for bound in scipy.stats.t.interval(confidence, len(values) - 1, loc=mean, scale=error))


def prediction_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the interval that holds one more draw of the values' distribution at a confidence level."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return (math.nan, math.nan)
    n = len(values)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, n - 1) * values.std(ddof=1) * math.sqrt(1 + 1 / n)
    return (float(values.mean() - half_width), float(values.mean() + half_width))


def where_it_falls(values, value: float) -> dict:
    """Return where a value falls among some values: percentile, standard deviations from their mean, and in the prediction interval or not."""
    values = np.asarray(values, dtype=float)
    low, high = prediction_interval(values)
    sd = values.std(ddof=1) if len(values) > 1 else math.nan
    return {
        "percentile": float(scipy.stats.percentileofscore(values, value, kind="mean")),
        "sds from mean": float((value - values.mean()) / sd) if sd else math.nan,
        "inside prediction interval": bool(low <= value <= high),
    }


def summarize(values, paper_value: float) -> dict:
    """Return a sample's size, mean, seed standard deviation, intervals and where the paper's value falls."""
    values = np.asarray(values, dtype=float)
    low, high = t_interval(values)
    predicted_low, predicted_high = prediction_interval(values)
    falls = where_it_falls(values, paper_value)
    return {
        "seeds": len(values),
        "mean": float(values.mean()),
        "seed sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
        "lowest": float(values.min()),
        "highest": float(values.max()),
        "mean 95% low": low,
        "mean 95% high": high,
        "one run 95% low": predicted_low,
        "one run 95% high": predicted_high,
        "paper": paper_value,
        "paper percentile": falls["percentile"],
        "paper sds from mean": falls["sds from mean"],
        "paper inside": falls["inside prediction interval"],
    }


def arm_table(means: pd.DataFrame, metric: str = "held-out") -> pd.DataFrame:
    """Return one row per arm: the seed summary of Table I's mean `metric` accuracy against the paper's."""
    check_metric(metric)
    rows = {
        arm: summarize(group[f"{metric} mean"], PAPER_MEANS[metric])
        for arm, group in means.groupby(level="arm")
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")


def pooled_sd(means: pd.DataFrame, metric: str = "held-out") -> float:
    """Return the seed standard deviation of Table I's mean, pooled over the arms (within-arm variance)."""
    check_metric(metric)
    groups = [group[f"{metric} mean"].to_numpy() for _, group in means.groupby(level="arm") if len(group) > 1]
    if not groups:
        raise ValueError("the seed noise needs at least two seeds of one arm")
    squares = sum(((values - values.mean()) ** 2).sum() for values in groups)
    degrees = sum(len(values) - 1 for values in groups)
    return float(math.sqrt(squares / degrees))


def equivalence_margin(means: pd.DataFrame, metric: str = "held-out") -> float:
    """Return the equivalence margin: EQUIVALENCE_MARGIN_SDS pooled seed standard deviations."""
    return EQUIVALENCE_MARGIN_SDS * pooled_sd(means, metric)


def compare_arms(first, second, margin: float, confidence: float = CONFIDENCE) -> dict:
    """Compare two arms' per-seed values: difference of means, Welch's interval and test, and equivalence (TOST)."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if len(first) < 2 or len(second) < 2:
        raise ValueError(f"comparing two arms needs at least two seeds each, got {len(first)} and {len(second)}")
    if not margin > 0:
        raise ValueError(f"the equivalence margin must be > 0, got {margin!r}")
    welch = scipy.stats.ttest_ind(first, second, equal_var=False)
    low, high = welch.confidence_interval(confidence)
    tost_p, _, _ = weightstats.ttost_ind(first, second, -margin, margin, usevar="unequal")
    return {
        "difference": float(first.mean() - second.mean()),
        "95% low": float(low),
        "95% high": float(high),
        "p-value": float(welch.pvalue),
        "significant": bool(welch.pvalue < SIGNIFICANCE_LEVEL),
        "margin": float(margin),
        "equivalence p-value": float(tost_p),
        "equivalent": bool(tost_p < SIGNIFICANCE_LEVEL),
    }


def arm_differences(
    means: pd.DataFrame, pairs: list[tuple[str, str]], metric: str = "held-out", margin: float | None = None
) -> pd.DataFrame:
    """Return each (first, second) arm pair's comparison of Table I's mean `metric` accuracy over seeds."""
    check_metric(metric)
    margin = equivalence_margin(means, metric) if margin is None else margin
    arms = means.index.get_level_values("arm")
    rows = []
    for first, second in pairs:
        for arm in (first, second):
            if arm not in set(arms):
                raise ValueError(f"no seeds of arm {arm!r} to compare; the arms here are {sorted(set(arms))}")
        values = {arm: means.xs(arm, level="arm")[f"{metric} mean"] for arm in (first, second)}
        rows.append({"first": first, "second": second, **compare_arms(values[first], values[second], margin)})
    return pd.DataFrame(rows).set_index(["first", "second"])


def gap_parts(means: pd.DataFrame, ours: str = "fmnist", papers_library: str = "keras2-fit") -> dict:
    """Split the gap between our mean and the paper's into the library's part and the paper's draw's part."""
    held_out = means["held-out mean"]
    our_mean = float(held_out.xs(ours, level="arm").mean())
    library_mean = float(held_out.xs(papers_library, level="arm").mean())
    paper_value = PAPER_MEANS["held-out"]
    return {
        "gap": our_mean - paper_value,
        "library": our_mean - library_mean,
        "paper's draw": library_mean - paper_value,
    }


def fold_table(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> pd.DataFrame:
    """Return, per fold, one arm's seed distribution of the `metric` accuracy beside the paper's fold."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    if chosen.empty:
        raise ValueError(f"no folds of arm {arm!r}")
    rows = {}
    for fold, group in chosen.groupby("fold"):
        values = group[metric].to_numpy()
        paper_value = PAPER_FOLDS[metric][fold - 1]
        rows[fold] = {
            "seeds": len(values),
            "mean": float(values.mean()),
            "seed sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
            "lowest": float(values.min()),
            "highest": float(values.max()),
            "paper": paper_value,
            **{f"paper {name}": value for name, value in where_it_falls(values, paper_value).items()},
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("k")


def fold_order(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> dict:
    """Return how well one arm's seeds repeat the paper's order of folds by `metric` accuracy."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    table = chosen.pivot(index="seed", columns="fold", values=metric)
    paper_values = pd.Series(PAPER_FOLDS[metric], index=range(1, len(PAPER_FOLDS[metric]) + 1))
    papers_best = int(paper_values.idxmax())
    correlations = [
        scipy.stats.spearmanr(row.to_numpy(), paper_values[row.index].to_numpy()).statistic
        for _, row in table.iterrows()
    ]
    fold_means = table.mean()
    return {
        "seeds": int(len(table)),
        "paper's best fold": papers_best,
        "share of seeds with it best": float((table.idxmax(axis=1) == papers_best).mean()),
        "mean rank correlation": float(np.mean(correlations)),
        "rank correlation of fold means": float(
            scipy.stats.spearmanr(fold_means.to_numpy(), paper_values[fold_means.index].to_numpy()).statistic
        ),
    }


def check_metric(metric: str) -> None:
    """Raise ValueError unless metric is one the study knows."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
