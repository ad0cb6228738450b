"""How much is noise: the project's one noise model, and the numbers of the verdicts that rest on it.

Everything here reads saved fold results only (`fmnist.experiments.seeds` computes them),
and every page that states an interval, a one-run range, a noise floor or an agreement
calls this module, so that the pages agree by construction; `fmnist.analysis.noise_text`
words those numbers for the pages.

The model. The unit is a whole Table I: one seed's five folds give one mean held-out
accuracy. Each *arm* (training loop) has its own seed-to-seed standard deviation, with
its own degrees of freedom (seeds less one): the arms' variances differ (Bartlett's
test, `variance_test`), so pooling them would lend one arm's spread to another. Inside
an arm, a two-way analysis of variance of the fold results (seed and fold as factors)
splits that spread into a between-seed part, a shift of all five folds together, and a
within-seed part, the seed-by-fold scatter (`variance_components`).

- Per arm: mean, seed standard deviation, a t interval for the arm's mean, a prediction
  interval for one more run, and two verdicts on the paper's number, each with its own
  sense: *consistent* (the paper's one draw lies inside the one-run range) and
  *equivalent* (the arm's mean lies within a declared margin of the paper's number, by
  two one-sided tests).
- Between arms: Welch's difference of means with its interval and test over seeds (the
  three comparisons one Holm family), and equivalence within the same declared margin.
- Floors: a difference of two single runs carries both runs' noise, so it stands out
  from seed noise at `significance.NOISE_FLOOR_SDS` times the square root of the sum of the two
  variances (`difference_floor`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.stats
import statsmodels.formula.api
from statsmodels.stats import anova, weightstats

from fmnist import PERCENT, paper
from fmnist.analysis import significance
from fmnist.store import result_types
from fmnist.config import CVConfig

CONFIDENCE = 0.95
METRICS = {"held-out": "held_out_accuracy", "train": "train_accuracy"}
PAPER_FOLDS = {"held-out": paper.TABLE_ONE_TEST_ACCURACY, "train": paper.TABLE_ONE_TRAIN_ACCURACY}
PAPER_MEANS = {"held-out": paper.TABLE_ONE_MEAN["Test Accuracy"], "train": paper.TABLE_ONE_MEAN["Train Accuracy"]}
# The equivalence margin, declared from outside our data: the standard deviation the paper
# itself reports beside its Table I mean (0.33 points held-out, 0.59 train). Two means
# closer than the spread the paper's own table shows are ones its table could not tell
# apart, so within it they count as "the same". It is fixed here, not computed from the
# seeds it judges; `smallest margin` says at what margin each equivalence would hold.
EQUIVALENCE_MARGINS = {"held-out": paper.TABLE_ONE_STD["Test Accuracy"], "train": paper.TABLE_ONE_STD["Train Accuracy"]}
# The comparisons between arms, one family for Holm's correction: ours and Keras 3's plain
# fit against the paper's library, and Keras 3's plain fit against ours.
ARM_PAIRS = [("fmnist", "keras2-fit"), ("keras3-fit", "keras2-fit"), ("keras3-fit", "fmnist")]

Run = tuple[CVConfig, list[result_types.FoldResult]]


def fold_frame(runs: list[Run]) -> pd.DataFrame:
    """Return one row per (arm, seed, fold) with its held-out and train accuracy in percent."""
    rows = [
        {
            "arm": config.trainer,
            "seed": config.seed,
            "fold": fold.fold_index,
            **{metric: getattr(fold, field) * PERCENT for metric, field in METRICS.items()},
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


def seed_sd(values) -> tuple[float, int]:
    """Return some values' own standard deviation and its degrees of freedom (nan and 0 for fewer than two)."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return math.nan, 0
    return float(values.std(ddof=1)), len(values) - 1


def t_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the t interval of the mean of some values, from their own standard deviation."""
    values = np.asarray(values, dtype=float)
    sd, df = seed_sd(values)
    return significance.t_interval_about(float(values.mean()), sd, df, 1 / math.sqrt(len(values)), confidence)


def prediction_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the interval that holds one more draw of the values' distribution, from their own standard deviation."""
    values = np.asarray(values, dtype=float)
    sd, df = seed_sd(values)
    return significance.t_interval_about(float(values.mean()), sd, df, math.sqrt(1 + 1 / len(values)), confidence)


def where_it_falls(values, value: float) -> dict:
    """Return where a value falls among some values: percentile, standard deviations from their mean, and in the prediction interval or not."""
    values = np.asarray(values, dtype=float)
    low, high = prediction_interval(values)
    sd, _ = seed_sd(values)
    return {
        "percentile": float(scipy.stats.percentileofscore(values, value, kind="mean")),
        "sds from mean": float((value - values.mean()) / sd) if sd else math.nan,
        "inside prediction interval": bool(low <= value <= high),
    }


def equivalence_to(values, value: float, margin: float) -> dict:
    """Return whether the mean of some values lies within ±margin of a fixed value (two one-sided tests), and the smallest margin that would hold."""
    values = np.asarray(values, dtype=float)
    if not margin > 0:
        raise ValueError(f"the equivalence margin must be > 0, got {margin!r}")
    if len(values) < 2:
        return {"equivalence p-value": math.nan, "equivalent": False, "smallest margin": math.nan}
    p_value, _, _ = weightstats.DescrStatsW(values).ttost_mean(value - margin, value + margin)
    # Two one-sided tests at level α hold exactly when the 1 - 2α interval lies inside the margin.
    low, high = t_interval(values, 1 - 2 * significance.SIGNIFICANCE_LEVEL)
    return {
        "equivalence p-value": float(p_value),
        "equivalent": bool(p_value < significance.SIGNIFICANCE_LEVEL),
        "smallest margin": float(max(abs(low - value), abs(high - value))),
    }


def summarize(values, paper_value: float, margin: float) -> dict:
    """Return a sample's size, mean, own seed standard deviation, intervals, and the two verdicts on the paper's value."""
    values = np.asarray(values, dtype=float)
    sd, df = seed_sd(values)
    low, high = t_interval(values)
    predicted_low, predicted_high = prediction_interval(values)
    falls = where_it_falls(values, paper_value)
    return {
        "seeds": len(values),
        "mean": float(values.mean()),
        "seed sd": sd,
        "df": df,
        "lowest": float(values.min()),
        "highest": float(values.max()),
        "mean 95% low": low,
        "mean 95% high": high,
        "one run 95% low": predicted_low,
        "one run 95% high": predicted_high,
        "paper": paper_value,
        "paper percentile": falls["percentile"],
        "paper sds from mean": falls["sds from mean"],
        "consistent": falls["inside prediction interval"],
        "margin": margin,
        **equivalence_to(values, paper_value, margin),
    }


# The columns of `arm_table` that describe an arm's spread, and those that judge the paper's number against it.
SPREAD_COLUMNS = ["seeds", "mean", "seed sd", "df", "lowest", "highest", "mean 95% low", "mean 95% high", "one run 95% low", "one run 95% high"]
VERDICT_COLUMNS = ["paper", "paper percentile", "paper sds from mean", "consistent", "margin", "equivalence p-value", "equivalent", "smallest margin"]


def arm_table(means: pd.DataFrame, metric: str = "held-out") -> pd.DataFrame:
    """Return one row per arm: the seed summary of Table I's mean `metric` accuracy, each arm with its own noise, against the paper's."""
    check_metric(metric)
    rows = {
        arm: summarize(group[f"{metric} mean"], PAPER_MEANS[metric], EQUIVALENCE_MARGINS[metric])
        for arm, group in means.groupby(level="arm")
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")


def study_row(study: list[Run]) -> pd.Series:
    """Return the `arm_table` row of a one-arm study's arm."""
    return arm_table(seed_means(study)).iloc[0]


def variance_test(means: pd.DataFrame, metric: str = "held-out") -> dict:
    """Return Bartlett's test of equal seed variances over the arms with at least two seeds."""
    check_metric(metric)
    groups = {arm: group[f"{metric} mean"].to_numpy() for arm, group in means.groupby(level="arm") if len(group) > 1}
    if len(groups) < 2:
        return {"arms": len(groups), "statistic": math.nan, "p-value": math.nan}
    result = scipy.stats.bartlett(*groups.values())
    return {"arms": len(groups), "statistic": float(result.statistic), "p-value": float(result.pvalue)}


def variance_components(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> dict:
    """Return one arm's fold results split by a two-way analysis of variance: between-seed and within-seed standard deviations.

    Seed and fold are the factors (every seed runs the same folds). The between-seed
    variance is (MS seed - MS residual) / folds, set to 0 where negative; the
    within-seed variance is the residual mean square, the seed-by-fold scatter. The
    variance of one seed's Table I mean is then between + within / folds.
    """
    check_metric(metric)
    chosen = folds[folds["arm"] == arm].rename(columns={metric: "accuracy"})
    num_seeds, num_folds = chosen["seed"].nunique(), chosen["fold"].nunique()
    if num_seeds < 2 or len(chosen) != num_seeds * num_folds:
        raise ValueError(f"arm {arm!r} needs at least two seeds, each with the same {num_folds} folds")
    fit = statsmodels.formula.api.ols("accuracy ~ C(seed) + C(fold)", data=chosen).fit()
    table = anova.anova_lm(fit)
    seed_square, residual_square = table.loc["C(seed)", "mean_sq"], table.loc["Residual", "mean_sq"]
    between = max(0.0, (seed_square - residual_square) / num_folds)
    return {
        "seeds": num_seeds,
        "between-seed sd": math.sqrt(between),
        "within-seed sd": math.sqrt(residual_square),
        "between-seed p-value": float(table.loc["C(seed)", "PR(>F)"]),
        "Table I mean sd": math.sqrt(between + residual_square / num_folds),
    }


def components_table(folds: pd.DataFrame, metric: str = "held-out") -> pd.DataFrame:
    """Return every arm's variance components (see `variance_components`)."""
    rows = {arm: variance_components(folds, arm, metric) for arm in folds["arm"].unique() if folds[folds["arm"] == arm]["seed"].nunique() > 1}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")


def difference_floor(first_sd: float, second_sd: float | None = None) -> float:
    """Return the smallest difference between two single runs that stands out from their seed noise: significance.NOISE_FLOOR_SDS × √(σ₁² + σ₂²)."""
    second_sd = first_sd if second_sd is None else second_sd
    return significance.NOISE_FLOOR_SDS * math.hypot(first_sd, second_sd)


def compare_arms(first, second, margin: float, confidence: float = CONFIDENCE) -> dict:
    """Compare two arms' per-seed values: difference of means, Welch's interval and test, and equivalence (TOST) with its smallest margin."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if len(first) < 2 or len(second) < 2:
        raise ValueError(f"comparing two arms needs at least two seeds each, got {len(first)} and {len(second)}")
    if not margin > 0:
        raise ValueError(f"the equivalence margin must be > 0, got {margin!r}")
    welch = scipy.stats.ttest_ind(first, second, equal_var=False)
    low, high = welch.confidence_interval(confidence)
    tost_p, _, _ = weightstats.ttost_ind(first, second, -margin, margin, usevar="unequal")
    # Two one-sided tests at level α hold exactly when the 1 - 2α interval lies inside the margin.
    narrow_low, narrow_high = welch.confidence_interval(1 - 2 * significance.SIGNIFICANCE_LEVEL)
    return {
        "difference": float(first.mean() - second.mean()),
        "95% low": float(low),
        "95% high": float(high),
        "p-value": float(welch.pvalue),
        "significant": bool(welch.pvalue < significance.SIGNIFICANCE_LEVEL),
        "margin": float(margin),
        "equivalence p-value": float(tost_p),
        "equivalent": bool(tost_p < significance.SIGNIFICANCE_LEVEL),
        "smallest margin": float(max(abs(narrow_low), abs(narrow_high))),
    }


def arm_differences(
    means: pd.DataFrame, pairs: list[tuple[str, str]], metric: str = "held-out", margin: float | None = None
) -> pd.DataFrame:
    """Return each (first, second) arm pair's comparison of Table I's mean `metric` accuracy over seeds.

    The pairs are one family: "significant" follows Holm's corrected p-values. The
    margin is the declared one (EQUIVALENCE_MARGINS) unless given.
    """
    check_metric(metric)
    margin = EQUIVALENCE_MARGINS[metric] if margin is None else margin
    arms = means.index.get_level_values("arm")
    rows = []
    for first, second in pairs:
        for arm in (first, second):
            if arm not in set(arms):
                raise ValueError(f"no seeds of arm {arm!r} to compare; the arms here are {sorted(set(arms))}")
        values = {arm: means.xs(arm, level="arm")[f"{metric} mean"] for arm in (first, second)}
        rows.append({"first": first, "second": second, **compare_arms(values[first], values[second], margin)})
    return significance.with_holm(pd.DataFrame(rows).set_index(["first", "second"]))


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


def fold_spread(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> float:
    """Return the spread over the five folds within one run (population standard deviation, as Table I gives it), averaged over an arm's seeds."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    if chosen.empty:
        raise ValueError(f"no folds of arm {arm!r}")
    return float(chosen.groupby("seed")[metric].std(ddof=0).mean())


def arm_sd(study: list[Run]) -> float:
    """Return the seed standard deviation of Table I's mean for a one-arm study (its own)."""
    return float(study_row(study)["seed sd"])


def single_run_floor(study: list[Run] | None) -> float | None:
    """Return the smallest difference between two single-seed Table I means of the study's model that stands out from seed noise (None without a study)."""
    return None if study is None else difference_floor(arm_sd(study))


def fold_noise_floor(study: list[Run] | None, fold_index: int) -> dict:
    """Return one fold's seed standard deviation of held-out accuracy under the study's arm, and its single-run floor (None values without a study)."""
    if study is None:
        return {"fold": fold_index, "seeds": 0, "seed sd": None, "mean": None, "floor": None}
    folds = fold_frame(study)
    arm = study[0][0].trainer
    chosen = folds[(folds["arm"] == arm) & (folds["fold"] == fold_index)]
    sd = one_fold_sd(folds, arm, fold_index)
    return {
        "fold": fold_index,
        "seeds": len(study),
        "seed sd": sd,
        "floor": difference_floor(sd),
        "mean": float(chosen["held-out"].mean()),
        "epochs": study[0][0].epochs,
    }


def pooled_fold_sd(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> float:
    """Return one fold's seed standard deviation under one arm, pooled over the folds."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    sd, df = significance.pooled_sd(group[metric].to_numpy() for _, group in chosen.groupby("fold"))
    if not df:
        raise ValueError(f"the arm {arm!r} needs at least two seeds for a fold's seed noise")
    return sd
