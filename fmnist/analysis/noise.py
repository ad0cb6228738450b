"""How much is noise: Table I over seeds, per arm, and the verdicts that rest on it.

Everything here reads saved fold results only (`fmnist.experiments.seeds` computes them). The
unit of the study is a whole Table I: one seed's five folds give one mean held-out
accuracy. Over seeds those means show the seed-to-seed noise of the experiment, the
scale on which a difference between two runs, or between a run and the paper's one
draw, is judged.

- Per arm: mean, seed-to-seed standard deviation, a t interval for the arm's mean, a
  prediction interval for one more run (both with the seed standard deviation pooled
  over the arms), and where the paper's number falls.
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

from fmnist import PERCENT, paper
from fmnist.analysis import formatting, significance
from fmnist.config import CVConfig

CONFIDENCE = 0.95
SIGNIFICANCE_LEVEL = significance.SIGNIFICANCE_LEVEL
# A systematic difference smaller than this many seed-to-seed standard deviations of
# Table I's mean counts as agreement: 95% of reruns of one procedure already scatter
# over about that distance from its average, so a reader comparing one run with
# another (or with the paper's one draw) could not see a smaller shift.
EQUIVALENCE_MARGIN_SDS = 2.0
METRICS = {"held-out": "test_accuracy", "train": "train_accuracy"}
# A difference stands out from seed noise when it is at least this many standard deviations.
NOISE_FLOOR_SDS = significance.NOISE_FLOOR_SDS
PAPER_FOLDS = {"held-out": paper.TABLE_ONE_TEST_ACCURACY, "train": paper.TABLE_ONE_TRAIN_ACCURACY}
# The comparisons between arms, one family for Holm's correction: ours and Keras 3's plain
# fit against the paper's library, and Keras 3's plain fit against ours.
ARM_PAIRS = [("fmnist", "keras2-fit"), ("keras3-fit", "keras2-fit"), ("keras3-fit", "fmnist")]
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


def spread(values, sd: float | None = None, df: int | None = None) -> tuple[float, int]:
    """Return the standard deviation and its degrees of freedom: the given ones, else the values' own."""
    values = np.asarray(values, dtype=float)
    if sd is not None:
        return float(sd), int(df)
    return (float(values.std(ddof=1)) if len(values) > 1 else math.nan), len(values) - 1


def t_interval(values, confidence: float = CONFIDENCE, sd: float | None = None, df: int | None = None) -> tuple[float, float]:
    """Return the t interval of the mean of some values at a confidence level (with a given sd and df if any)."""
    values = np.asarray(values, dtype=float)
    sd, df = spread(values, sd, df)
    if df < 1 or math.isnan(sd):
        return (math.nan, math.nan)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, df) * sd / math.sqrt(len(values))
    return (float(values.mean() - half_width), float(values.mean() + half_width))


def prediction_interval(values, confidence: float = CONFIDENCE, sd: float | None = None, df: int | None = None) -> tuple[float, float]:
    """Return the interval that holds one more draw of the values' distribution (with a given sd and df if any)."""
    values = np.asarray(values, dtype=float)
    sd, df = spread(values, sd, df)
    if df < 1 or math.isnan(sd):
        return (math.nan, math.nan)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, df) * sd * math.sqrt(1 + 1 / len(values))
    return (float(values.mean() - half_width), float(values.mean() + half_width))


def where_it_falls(values, value: float, sd: float | None = None, df: int | None = None) -> dict:
    """Return where a value falls among some values: percentile, standard deviations from their mean, and in the prediction interval or not."""
    values = np.asarray(values, dtype=float)
    low, high = prediction_interval(values, sd=sd, df=df)
    sd, _ = spread(values, sd, df)
    return {
        "percentile": float(scipy.stats.percentileofscore(values, value, kind="mean")),
        "sds from mean": float((value - values.mean()) / sd) if sd else math.nan,
        "inside prediction interval": bool(low <= value <= high),
    }


def summarize(values, paper_value: float, noise_sd: float | None = None, noise_df: int | None = None) -> dict:
    """Return a sample's size, mean, seed standard deviation, intervals and where the paper's value falls.

    The intervals and the distance in standard deviations use `noise_sd` with `noise_df`
    degrees of freedom when given (a seed standard deviation pooled over several arms,
    steadier than one arm's few seeds), else the sample's own.
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    own_sd = spread(values)[0]
    sd, df = spread(values, noise_sd, noise_df)
    low, high = t_interval(values, sd=sd, df=df)
    predicted_low, predicted_high = prediction_interval(values, sd=sd, df=df)
    falls = where_it_falls(values, paper_value, sd, df)
    return {
        "seeds": n,
        "mean": float(values.mean()),
        "seed sd": own_sd,
        "noise sd": sd,
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
    """Return one row per arm: the seed summary of Table I's mean `metric` accuracy against the paper's.

    Every arm's intervals use the seed standard deviation pooled over the arms ("noise
    sd"): the arms train one model on one data set, and an arm of two seeds says
    little about its own spread. "seed sd" is each arm's own.
    """
    check_metric(metric)
    sd, df = pooled_sd(means, metric), pooled_df(means)
    rows = {
        arm: summarize(group[f"{metric} mean"], PAPER_MEANS[metric], sd, df)
        for arm, group in means.groupby(level="arm")
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")


def pooled_df(means: pd.DataFrame) -> int:
    """Return the degrees of freedom of the pooled seed standard deviation: seeds less one per arm."""
    return int(sum(max(len(group) - 1, 0) for _, group in means.groupby(level="arm")))


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
    """Return each (first, second) arm pair's comparison of Table I's mean `metric` accuracy over seeds.

    The pairs are one family: "significant" follows Holm's corrected p-values.
    """
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
    return significance.with_holm(pd.DataFrame(rows).set_index(["first", "second"]))


def gap_parts(means: pd.DataFrame, ours: str = "fmnist", papers_library: str = "keras2-fit") -> dict:
    """Split the gap between our mean and the paper's: our loop against Keras 2's ("library"), Keras 2's average against the paper's one draw ("draw")."""
    held_out = means["held-out mean"]
    our_mean = float(held_out.xs(ours, level="arm").mean())
    library_mean = float(held_out.xs(papers_library, level="arm").mean())
    paper_value = PAPER_MEANS["held-out"]
    return {
        "gap": our_mean - paper_value,
        "library": our_mean - library_mean,
        "draw": library_mean - paper_value,
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
    of_means = scipy.stats.spearmanr(fold_means.to_numpy(), paper_values[fold_means.index].to_numpy())
    return {
        "seeds": int(len(table)),
        "paper's easiest fold": papers_best,
        "share of seeds it is easiest": float((table.idxmax(axis=1) == papers_best).mean()),
        "mean rank correlation": float(np.mean(correlations)),
        "rank correlation of fold means": float(of_means.statistic),
        "rank correlation p-value": float(of_means.pvalue),
    }


def ordinal(value: float) -> str:
    """Return a percentile rounded to a whole number as an English ordinal: 1st, 2nd, 33rd, 50th."""
    number = int(round(value))
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def check_metric(metric: str) -> None:
    """Raise ValueError unless metric is one the study knows."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")


def one_fold_sd(folds: pd.DataFrame, arm: str, fold_index: int, metric: str = "held-out") -> float:
    """Return the seed standard deviation of one fold's `metric` accuracy under one arm."""
    check_metric(metric)
    values = folds[(folds["arm"] == arm) & (folds["fold"] == fold_index)][metric]
    if len(values) < 2:
        raise ValueError(f"fold {fold_index} of arm {arm!r} needs at least two seeds for its noise, got {len(values)}")
    return float(values.std(ddof=1))


def position_text(row: pd.Series, arm_name: str) -> str:
    """Return, in words, where the paper's value falls in one arm's seed distribution (a row of `arm_table`)."""
    inside = "inside" if row["paper inside"] else "outside"
    return (
        f"Among {int(row['seeds'])} seeds of {arm_name}, the paper's {row['paper']:.2f}% lies at the "
        f"{ordinal(row['paper percentile'])} percentile, {row['paper sds from mean']:+.1f} seed standard deviations "
        f"({row['noise sd']:.2f} points, pooled over the arms) from their mean of {row['mean']:.2f}%, and {inside} the 95% range for one more run "
        f"({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%)."
    )


def comparison_text(row: pd.Series, first_name: str, second_name: str) -> str:
    """Return, in words, one row of `arm_differences`: the difference, its interval, the test and the equivalence."""
    text = (
        f"{first_name} minus {second_name}: {row['difference']:+.2f} points "
        f"(95% interval {row['95% low']:+.2f} to {row['95% high']:+.2f}; Welch's test {formatting.p_value(row['p-value'])}, "
        f"{formatting.p_value(row['p-value (Holm)'])} after Holm's correction)"
    )
    if row["equivalent"]:
        return text + (
            f"; the two agree within ±{row['margin']:.2f} points "
            f"(two one-sided tests, {formatting.p_value(row['equivalence p-value'])})."
        )
    return text + (
        f"; agreement within ±{row['margin']:.2f} points cannot be shown "
        f"(two one-sided tests, {formatting.p_value(row['equivalence p-value'])})."
    )


def gap_text(parts: dict) -> str:
    """Return, in words, how the gap between our mean and the paper's splits (see `gap_parts`)."""
    return (
        f"Of the {parts['gap']:+.2f}-point gap between our mean held-out accuracy and the paper's, "
        f"{parts['library']:+.2f} points lie between our loop and Keras 2's `model.fit` (the library and "
        f"the training loop), and {parts['draw']:+.2f} points between Keras 2's average over seeds "
        "and the paper's one draw."
    )


def spread_text(seed_sd: float, paper_fold_sd: float) -> str:
    """Return, in words, the seed noise of Table I's mean beside the paper's spread over its folds."""
    relation = "smaller than" if seed_sd < paper_fold_sd else "at least as large as"
    return (
        f"The seed-to-seed standard deviation of Table I's mean, pooled over the arms, is {seed_sd:.2f} points: "
        f"how far two runs of the same code differ by chance alone. It is {relation} the paper's "
        f"{paper_fold_sd:.2f}-point standard deviation over its five folds, which also holds how hard each "
        "fold's images are."
    )


def fold_order_text(order: dict, arm_name: str) -> str:
    """Return, in words, whether one arm's seeds repeat the paper's order of folds (see `fold_order`)."""
    chance = 1 / len(paper.TABLE_ONE_TEST_ACCURACY)
    papers_best = order["paper's easiest fold"]
    correlation, p_value = order["rank correlation of fold means"], order["rank correlation p-value"]
    if p_value < SIGNIFICANCE_LEVEL and correlation > 0:
        verdict = f"the folds' means order the folds as the paper's one draw did ({formatting.p_value(p_value)})"
    else:
        verdict = (
            f"with five folds that is no evidence that the paper's order of folds reflects the folds rather "
            f"than its draw ({formatting.p_value(p_value)})"
        )
    return (
        f"The paper's easiest fold is fold {papers_best}. Among {order['seeds']} seeds of {arm_name} "
        f"it is the easiest again in {order['share of seeds it is easiest']:.0%} of them (chance alone: {chance:.0%}), "
        f"and the rank correlation between the folds' means over seeds and the paper's five numbers is "
        f"{correlation:+.2f}: {verdict}."
    )


def source_table(found_runs: list, arm_names: dict[str, str]) -> pd.DataFrame:
    """Return, per arm, how many seeds were computed here or read from records, and where and with what."""
    rows = {}
    for config, found, folds in found_runs:
        row = rows.setdefault(
            config.trainer,
            {"seeds": 0, "computed here": 0, "recorded": 0, "CPU": set(), "TensorFlow": set(), "finished (UTC)": ""},
        )
        row["seeds"] += 1
        row["computed here" if found.source == "computed" else "recorded"] += 1
        for fold in folds:
            row["CPU"].add(fold["provenance"]["cpu"])
            row["TensorFlow"].add(fold["provenance"]["packages"]["tensorflow"])
            row["finished (UTC)"] = max(row["finished (UTC)"], fold["provenance"]["date"][:10])
    for row in rows.values():
        row["CPU"] = "; ".join(sorted(row["CPU"]))
        row["TensorFlow"] = ", ".join(sorted(row["TensorFlow"]))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return frame.rename(index=arm_names).rename_axis("arm")


def recheck_table(rows: list[dict] | None) -> pd.DataFrame:
    """Return recomputed folds beside their records (rows of `records.compare`), readable."""
    columns = ["recorded (%)", "recomputed (%)", "difference (points)", "recorded on"]
    if not rows:
        return pd.DataFrame(columns=columns).rename_axis("result")
    frame = pd.DataFrame(rows).set_index("result")
    frame.index = [name.replace("fold-", "fold ") for name in frame.index]
    frame["recorded_on"] = frame["recorded_on"].str[:10]
    frame = frame.rename(
        columns={"recorded": columns[0], "recomputed": columns[1], "difference": columns[2], "recorded_on": columns[3]}
    )
    return frame[columns].rename_axis("result")


def recheck_text(rows: list[dict] | None) -> str:
    """Return, in words, what recomputing recorded folds found (see `seeds.recompute_folds`)."""
    if rows is None:
        return "There is no record of this arm at these settings, so nothing was recomputed."
    if not rows:
        return "No fold was recomputed in this build."
    largest = max(abs(row["difference"]) for row in rows)
    return (
        f"{len(rows)} fold(s) recomputed in this build; the largest difference from the record is "
        f"{largest:.2f} points."
    )


def headline_text(study: list[Run] | None, arm_name: str) -> str:
    """Return the reproduction's verdict, resting on one arm's seeds: does the paper's value fall where our reruns do?"""
    if study is None:
        return (
            "**The reproduction's seed-to-seed noise has not been measured at these settings** "
            "(`fmnist seeds` measures it), so the difference below is judged by the fixed tolerance alone."
        )
    row = arm_table(seed_means(study)).iloc[0]
    agrees = "agrees" if row["paper inside"] else "does not agree"
    inside = "inside" if row["paper inside"] else "outside"
    return (
        f"**The reproduction {agrees} with the paper.** Over {int(row['seeds'])} seeds, {arm_name} gives a "
        f"Table I mean held-out accuracy of {row['mean']:.2f}% (95% interval of the mean {row['mean 95% low']:.2f}% "
        f"to {row['mean 95% high']:.2f}%, seed standard deviation {row['seed sd']:.2f} points). The paper's "
        f"{row['paper']:.2f}% lies {inside} the range in which 95% of such runs fall "
        f"({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%), at the {ordinal(row['paper percentile'])} "
        "percentile of our seeds."
    )


def short_verdict(study: list[Run] | None) -> str:
    """Return the reproduction's verdict over seeds as a phrase for a summary."""
    if study is None:
        return "not measured over seeds at these settings (`fmnist seeds` measures it)"
    row = arm_table(seed_means(study)).iloc[0]
    if row["paper inside"]:
        return f"the reproduction agrees: the paper's {row['paper']:.2f}% lies inside the 95% range of our reruns"
    return f"the reproduction does not agree: the paper's {row['paper']:.2f}% lies outside the 95% range of our reruns"


def gap_paragraph(study: list[Run] | None) -> str:
    """Return, in words, what the seeds of every arm say about the gap between our mean and the paper's."""
    if study is None:
        return (
            "The noise study has no runs at these settings, so this page cannot split the gap; "
            "`fmnist seeds` (with `--trainer keras2-fit` for the paper's library) makes them."
        )
    means = seed_means(study)
    table = arm_table(means)
    parts = gap_parts(means)
    comparison = arm_differences(means, ARM_PAIRS).loc[("fmnist", "keras2-fit")]
    ours, keras2 = table.loc["fmnist"], table.loc["keras2-fit"]
    return " ".join(
        [
            gap_text(parts),
            f"Our loop's seeds scatter with a standard deviation of {ours['seed sd']:.2f} points and Keras 2's "
            f"with {keras2['seed sd']:.2f}; the paper's {ours['paper']:.2f}% lies at the "
            f"{ordinal(ours['paper percentile'])} percentile of ours and the {ordinal(keras2['paper percentile'])} of Keras 2's.",
            comparison_text(comparison, "Our loop", "Keras 2's model.fit"),
        ]
    )


def gap_answer(study: list[Run] | None) -> str:
    """Return, as a phrase for a summary, whether our loop and the paper's library agree over seeds."""
    if study is None:
        return "not measured at these settings"
    means = seed_means(study)
    comparison = arm_differences(means, ARM_PAIRS).loc[("fmnist", "keras2-fit")]
    agreement = "agree" if comparison["equivalent"] else "cannot be shown to agree"
    return (
        f"our loop and Keras 2's `model.fit` {agreement} within ±{comparison['margin']:.2f} points "
        f"(difference {comparison['difference']:+.2f}, 95% interval {comparison['95% low']:+.2f} to "
        f"{comparison['95% high']:+.2f})"
    )


def difference_noise(study: list[Run]) -> float:
    """Return the seed standard deviation of the difference between two single-seed Table I means (√2 σ)."""
    return math.sqrt(2) * float(arm_table(seed_means(study)).iloc[0]["seed sd"])


def difference_floor(study: list[Run] | None) -> float | None:
    """Return the smallest difference between two single-seed Table I means that stands out from seed noise (None without a study)."""
    return None if study is None else NOISE_FLOOR_SDS * difference_noise(study)


def difference_noise_text(study: list[Run] | None, against: pd.DataFrame) -> str:
    """Return, in words, the noise floor of single-seed differences and how many configurations rise above it."""
    if study is None:
        return "The noise study has no runs at these settings, so no noise floor is given here (`fmnist seeds` makes them)."
    seed_sd = float(arm_table(seed_means(study)).iloc[0]["seed sd"])
    floor = difference_floor(study)
    above = int((against["mean difference"].abs() >= floor).sum())
    return (
        f"At the paper's settings Table I's mean moves by {seed_sd:.2f} points from seed to seed "
        f"({len(study)} seeds), so the difference of two single-seed runs has a seed standard deviation of "
        f"{difference_noise(study):.2f} points, and a difference needs about {floor:.2f} points "
        f"({NOISE_FLOOR_SDS:.0f} of those) to stand out from seed noise. {above} of the {len(against)} "
        "configurations differ from the paper's model by that much."
    )


def fold_noise_floor(study: list[Run] | None, fold_index: int) -> dict:
    """Return one fold's seed standard deviation of held-out accuracy under the study's arm (None without a study)."""
    if study is None:
        return {"fold": fold_index, "seeds": 0, "seed sd": None, "mean": None}
    folds = fold_frame(study)
    arm = study[0][0].trainer
    chosen = folds[(folds["arm"] == arm) & (folds["fold"] == fold_index)]
    return {
        "fold": fold_index,
        "seeds": len(study),
        "seed sd": one_fold_sd(folds, arm, fold_index),
        "mean": float(chosen["held-out"].mean()),
        "epochs": study[0][0].epochs,
    }


def ablation_noise_text(fold_noise: dict, ablation: pd.DataFrame) -> str:
    """Return, in words, the ablation's noise floor and which kept choices rest on a gain below it."""
    if fold_noise["seed sd"] is None:
        return "The noise study has no runs at these settings, so no noise floor is given."
    floor = NOISE_FLOOR_SDS * fold_noise["seed sd"]
    kept = ablation[ablation["kept"]].iloc[1:]
    below = [name.removeprefix("+ ") for name, row in kept.iterrows() if not row["above noise"]]
    text = (
        f"Fold {fold_noise['fold']}'s held-out accuracy moves by {fold_noise['seed sd']:.2f} points from seed to "
        f"seed ({fold_noise['seeds']} seeds of the paper's model), so a single-run gain needs about {floor:.2f} points "
        "to stand out from seed noise."
    )
    if not below:
        return text + " Every kept choice was kept on a gain above that."
    return text + (
        f" {len(below)} of the {len(kept)} kept choices were kept on a smaller gain, within seed noise: "
        f"{', '.join(below)}."
    )


def pooled_fold_sd(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> float:
    """Return one fold's seed standard deviation under one arm, pooled over the folds."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    groups = [group[metric].to_numpy() for _, group in chosen.groupby("fold") if len(group) > 1]
    if not groups:
        raise ValueError(f"the arm {arm!r} needs at least two seeds for a fold's seed noise")
    squares = sum(((values - values.mean()) ** 2).sum() for values in groups)
    return float(math.sqrt(squares / sum(len(values) - 1 for values in groups)))


def other_processor_tolerance(study: list[Run] | None, num_comparisons: int, level: float = SIGNIFICANCE_LEVEL) -> float | None:
    """Return how far a result recomputed on another processor kind may lie from its record, in points.

    There it is another random draw, so the difference of two draws, √2 times a fold's
    seed standard deviation (pooled over the study's folds), is the scale; the bound is
    two-sided at `level`, Bonferroni-corrected over the comparisons. None without a study.
    """
    if study is None or num_comparisons < 1:
        return None
    z = scipy.stats.norm.ppf(1 - level / (2 * num_comparisons))
    return float(z * math.sqrt(2) * pooled_fold_sd(fold_frame(study), study[0][0].trainer))
