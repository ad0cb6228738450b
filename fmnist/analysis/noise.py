"""How much is noise: the project's one noise model, and the verdicts that rest on it.

Everything here reads saved fold results only (`fmnist.experiments.seeds` computes them),
and every page that states an interval, a one-run range, a noise floor or an agreement
calls this module, so that the pages agree by construction.

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
  from seed noise at NOISE_FLOOR_SDS times the square root of the sum of the two
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
from fmnist.analysis import formatting, significance, timing
from fmnist.config import CVConfig

CONFIDENCE = 0.95
SIGNIFICANCE_LEVEL = significance.SIGNIFICANCE_LEVEL
METRICS = {"held-out": "test_accuracy", "train": "train_accuracy"}
# A difference stands out from seed noise when it is at least this many standard deviations.
NOISE_FLOOR_SDS = significance.NOISE_FLOOR_SDS
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
    if df < 1:
        return (math.nan, math.nan)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, df) * sd / math.sqrt(len(values))
    return (float(values.mean() - half_width), float(values.mean() + half_width))


def prediction_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the interval that holds one more draw of the values' distribution, from their own standard deviation."""
    values = np.asarray(values, dtype=float)
    sd, df = seed_sd(values)
    if df < 1:
        return (math.nan, math.nan)
    half_width = scipy.stats.t.ppf((1 + confidence) / 2, df) * sd * math.sqrt(1 + 1 / len(values))
    return (float(values.mean() - half_width), float(values.mean() + half_width))


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
    low, high = t_interval(values, 1 - 2 * SIGNIFICANCE_LEVEL)
    return {
        "equivalence p-value": float(p_value),
        "equivalent": bool(p_value < SIGNIFICANCE_LEVEL),
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


def arm_facts(row: pd.Series) -> dict:
    """Return the facts the pages state about one arm (a row of `arm_table`), by glue name; every page glues them by these names."""
    return {
        "num_ours_seeds": int(row["seeds"]),
        "ours_mean": float(row["mean"]),
        "ours_sd": float(row["seed sd"]),
        "ours_low": float(row["mean 95% low"]),
        "ours_high": float(row["mean 95% high"]),
        "one_run_low": float(row["one run 95% low"]),
        "one_run_high": float(row["one run 95% high"]),
        "ours_consistent": "is consistent with it" if row["consistent"] else "is not consistent with it",
        "ours_equivalent": "is equivalent to it" if row["equivalent"] else "cannot be shown to be equivalent to it",
        "ours_smallest_margin": float(row["smallest margin"]),
    }


def study_row(study: list[Run]) -> pd.Series:
    """Return the `arm_table` row of a one-arm study's arm."""
    return arm_table(seed_means(study)).iloc[0]


def study_facts(study: list[Run] | None) -> dict:
    """Return `arm_facts` of a one-arm study's arm (nothing without a study)."""
    return {} if study is None else arm_facts(study_row(study))


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
    """Return the smallest difference between two single runs that stands out from their seed noise: NOISE_FLOOR_SDS × √(σ₁² + σ₂²)."""
    second_sd = first_sd if second_sd is None else second_sd
    return NOISE_FLOOR_SDS * math.hypot(first_sd, second_sd)


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
    narrow_low, narrow_high = welch.confidence_interval(1 - 2 * SIGNIFICANCE_LEVEL)
    return {
        "difference": float(first.mean() - second.mean()),
        "95% low": float(low),
        "95% high": float(high),
        "p-value": float(welch.pvalue),
        "significant": bool(welch.pvalue < SIGNIFICANCE_LEVEL),
        "margin": float(margin),
        "equivalence p-value": float(tost_p),
        "equivalent": bool(tost_p < SIGNIFICANCE_LEVEL),
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
    inside = "inside" if row["consistent"] else "outside"
    return (
        f"Among {int(row['seeds'])} seeds of {arm_name}, the paper's {row['paper']:.2f}% lies at the "
        f"{ordinal(row['paper percentile'])} percentile, {row['paper sds from mean']:+.1f} of this arm's own seed standard "
        f"deviations ({row['seed sd']:.2f} points) from their mean of {row['mean']:.2f}%, and {inside} the 95% range for one more run "
        f"({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%)."
    )


def agreement_text(row: pd.Series, arm_name: str) -> str:
    """Return, in words, the two verdicts on the paper's number for one arm (a row of `arm_table`): consistent, and equivalent."""
    consistent = "consistent" if row["consistent"] else "not consistent"
    equivalent = "is" if row["equivalent"] else "cannot be shown to be"
    return (
        f"{formatting.sentence_start(arm_name)} is **{consistent}** with the paper: its one draw, {row['paper']:.2f}%, lies "
        f"{'inside' if row['consistent'] else 'outside'} the range in which 95% of single runs fall "
        f"({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%). Its mean over {int(row['seeds'])} seeds, "
        f"{row['mean']:.2f}%, {equivalent} **equivalent** to the paper's within the declared ±{row['margin']:.2f} points "
        f"(two one-sided tests, {formatting.p_value(row['equivalence p-value'])}); the smallest margin at which it "
        f"would be is ±{row['smallest margin']:.2f} points."
    )


def comparison_text(row: pd.Series, first_name: str, second_name: str) -> str:
    """Return, in words, one row of `arm_differences`: the difference, its interval, the test and the equivalence."""
    text = (
        f"{formatting.sentence_start(first_name)} minus {second_name}: {row['difference']:+.2f} points "
        f"(95% interval {row['95% low']:+.2f} to {row['95% high']:+.2f}; Welch's test {formatting.p_value(row['p-value'])}, "
        f"{formatting.p_value(row['p-value (Holm)'])} after Holm's correction)"
    )
    verdict = "the two are equivalent" if row["equivalent"] else "equivalence cannot be shown"
    return text + (
        f"; within the declared ±{row['margin']:.2f} points {verdict} "
        f"(two one-sided tests, {formatting.p_value(row['equivalence p-value'])}; the smallest margin that would hold "
        f"is ±{row['smallest margin']:.2f})."
    )


def fold_spread(folds: pd.DataFrame, arm: str, metric: str = "held-out") -> float:
    """Return the spread over the five folds within one run (population standard deviation, as Table I gives it), averaged over an arm's seeds."""
    check_metric(metric)
    chosen = folds[folds["arm"] == arm]
    if chosen.empty:
        raise ValueError(f"no folds of arm {arm!r}")
    return float(chosen.groupby("seed")[metric].std(ddof=0).mean())


def spread_text(folds: pd.DataFrame, arm: str, arm_name: str, paper_fold_sd: float) -> str:
    """Return, in words, the spread over folds within one run beside the paper's (the same quantity), and the seed noise of the mean."""
    seed_means_sd, _ = seed_sd(folds[folds["arm"] == arm].groupby("seed")["held-out"].mean())
    within = fold_spread(folds, arm)
    relation = "less" if seed_means_sd < within else "as much or more"
    return (
        f"Within one run of {arm_name} the five folds scatter with a standard deviation of {within:.2f} "
        f"points on average over its seeds (population standard deviation over the folds, as Table I gives it), against the "
        f"paper's {paper_fold_sd:.2f}, the same quantity: that spread holds how hard each fold's images are as well as "
        f"chance. The mean of the five moves {relation} from seed to seed: {seed_means_sd:.2f} points."
    )


def variance_text(variances: dict, components: pd.DataFrame, arm_names: dict[str, str]) -> str:
    """Return, in words, whether the arms' seed variances can be taken as one, and why each arm keeps its own."""
    p_text = formatting.p_value(variances["p-value"])
    if variances["p-value"] < SIGNIFICANCE_LEVEL:
        test = f"Bartlett's test rejects one common seed variance over the {variances['arms']} arms ({p_text})."
    else:
        test = (
            f"Bartlett's test cannot reject one common seed variance over the {variances['arms']} arms ({p_text}), "
            "but with five seeds an arm it has little power, so that is no evidence that they are one."
        )
    return (
        f"{test} {components_text(components, arm_names)} Pooling would lend one arm's spread to another, so each arm's "
        "intervals use its own seed standard deviation, and the comparisons between arms use Welch's test, which lets "
        "the two variances differ."
    )


def components_text(components: pd.DataFrame, arm_names: dict[str, str]) -> str:
    """Return, in words, which arms show a between-seed component (a seed that shifts all its folds together)."""
    shifted = components[components["between-seed p-value"] < SIGNIFICANCE_LEVEL]
    parts = [
        f"{arm_names[arm]} {row['between-seed sd']:.2f} ({formatting.p_value(row['between-seed p-value'])})"
        for arm, row in components.iterrows()
    ]
    if shifted.empty:
        verdict = "no arm shows a seed that moves all five folds together beyond the seed-by-fold scatter"
    else:
        verdict = (
            f"only {formatting.listing([arm_names[arm] for arm in shifted.index])} "
            "shows seeds that move all five folds together, beyond the seed-by-fold scatter"
        )
    return f"Between-seed standard deviations, in points: {'; '.join(parts)}; {verdict}."


def fold_order_text(orders: dict[str, dict], arm_names: dict[str, str]) -> str:
    """Return, in words, whether each arm's seeds repeat the paper's order of folds (values of `fold_order`)."""
    chance = 1 / len(paper.TABLE_ONE_TEST_ACCURACY)
    papers_best = next(iter(orders.values()))["paper's easiest fold"]
    parts = [
        f"{arm_names[arm]}, easiest again in {order['share of seeds it is easiest']:.0%} of {order['seeds']} seeds, "
        f"rank correlation of the fold means {order['rank correlation of fold means']:+.2f} "
        f"({formatting.p_value(order['rank correlation p-value'])})"
        for arm, order in orders.items()
    ]
    repeated = [arm for arm, order in orders.items() if order["rank correlation p-value"] < SIGNIFICANCE_LEVEL and order["rank correlation of fold means"] > 0]
    verdict = (
        "No arm's fold means order the folds as the paper's one draw did beyond what five folds leave to chance"
        if not repeated
        else f"The fold means of {formatting.listing([arm_names[arm] for arm in repeated])} order the folds as the paper's draw did"
    )
    return (
        f"The paper's easiest fold is fold {papers_best} (chance alone makes it the easiest in {chance:.0%} of runs): "
        + "; ".join(parts)
        + f". {verdict}; with five folds a rank correlation must reach about ±0.9 to count."
    )


def seed_counts(values) -> str:
    """Return how often each value occurs (here: in how many seeds), most frequent first: "load not recorded (5); quiet (2)"."""
    counts = pd.Series(list(values)).value_counts()
    return "; ".join(f"{value} ({count})" for value, count in counts.items())


def source_table(found_runs: list, arm_names: dict[str, str]) -> pd.DataFrame:
    """Return, per arm, how many seeds were computed here or read from records, and where, on what processor kind, under what load and with what."""
    rows = {}
    for config, found, folds in found_runs:
        row = rows.setdefault(
            config.trainer,
            {"seeds": 0, "computed here": 0, "recorded": 0, "CPU": set(), "processor kind": [], "timing": [], "TensorFlow": set(), "finished (UTC)": ""},
        )
        row["seeds"] += 1
        row["computed here" if found.source == "computed" else "recorded"] += 1
        row["processor kind"].append(timing.processor_kind(folds))
        row["timing"].append(timing.run_state(folds))
        for fold in folds:
            row["CPU"].add(fold["provenance"]["cpu"])
            row["TensorFlow"].add(fold["provenance"]["packages"]["tensorflow"])
            row["finished (UTC)"] = max(row["finished (UTC)"], fold["provenance"]["date"][:10])
    for row in rows.values():
        row["CPU"] = "; ".join(sorted(row["CPU"]))
        row["processor kind"] = seed_counts(row["processor kind"])
        row["timing"] = seed_counts(row["timing"])
        row["TensorFlow"] = ", ".join(sorted(row["TensorFlow"]))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return frame.rename(index=arm_names).rename_axis("arm")


def recheck_table(rows: list[dict] | None) -> pd.DataFrame:
    """Return recomputed folds beside their records (rows of `records.compare`, judged where they carry a tolerance), readable."""
    names = {
        "recorded": "recorded (%)",
        "recomputed": "recomputed (%)",
        "difference": "difference (points)",
        "tolerance": "caught above (points)",
        "recorded_on": "recorded on",
    }
    if not rows:
        return pd.DataFrame(columns=list(names.values())).rename_axis("result")
    frame = pd.DataFrame(rows).set_index("result")
    frame.index = [name.replace("fold-", "fold ") for name in frame.index]
    frame["recorded_on"] = frame["recorded_on"].str[:10]
    if "same_processor" in frame:
        frame["same processor kind"] = frame["same_processor"].map(formatting.yes_no)
        names["same processor kind"] = "same processor kind"
    chosen = [name for name in names if name in frame.columns]
    return frame[chosen].rename(columns=names).rename_axis("result")


def recheck_text(rows: list[dict] | None) -> str:
    """Return, in words, what recomputing recorded folds found, and the smallest difference the check would catch (judged rows)."""
    if rows is None:
        return "There is no record of this arm at these settings, so nothing was recomputed."
    if not rows:
        return "No fold was recomputed in this build."
    largest = max(abs(row["difference"]) for row in rows)
    text = f"{formatting.count(len(rows), 'fold')} recomputed in this build; the largest difference from the record is {largest:.2f} points."
    if all("tolerance" in row for row in rows):
        text += " " + detection_text(rows)
    return text


def detection_text(rows: list[dict]) -> str:
    """Return, in words, the smallest difference from its record each recomputed result would be caught at (judged rows)."""
    same = [row for row in rows if row["same_processor"]]
    other = [row for row in rows if not row["same_processor"]]
    parts = []
    if same:
        parts.append(
            f"{len(same)} recomputed on the processor kind that recorded them, where a rerun repeats its record, "
            f"and would be caught by any difference above {same[0]['tolerance']:.2f} points"
        )
    if other:
        parts.append(
            f"{len(other)} recomputed on another processor kind, where a rerun is another random draw, and would be "
            f"caught only by a difference above {other[0]['tolerance']:.2f} points (two draws' seed noise)"
        )
    return "Of these, " + "; ".join(parts) + "."


def headline_text(study: list[Run] | None, arm_name: str) -> str:
    """Return the reproduction's verdict, resting on one arm's seeds: consistent with the paper's draw, and equivalent to it or not."""
    if study is None:
        return (
            "**The reproduction's seed-to-seed noise has not been measured at these settings** "
            "(`fmnist seeds` measures it), so the difference below is judged by the fixed tolerance alone."
        )
    row = study_row(study)
    consistent = "is consistent" if row["consistent"] else "is not consistent"
    equivalent = "equivalent" if row["equivalent"] else "not shown to be equivalent"
    return (
        f"**The reproduction {consistent} with the paper, and its mean is {equivalent} to the paper's number.** "
        f"Over {int(row['seeds'])} seeds, {arm_name} gives a Table I mean held-out accuracy of {row['mean']:.2f}% "
        f"(95% interval of the mean {row['mean 95% low']:.2f}% to {row['mean 95% high']:.2f}%, seed standard deviation "
        f"{row['seed sd']:.2f} points). The paper's {row['paper']:.2f}% lies {'inside' if row['consistent'] else 'outside'} "
        f"the range in which 95% of such runs fall ({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%), at "
        f"the {ordinal(row['paper percentile'])} percentile of our seeds, and our mean lies within "
        f"±{row['smallest margin']:.2f} points of it at the 5% level, against a declared margin of ±{row['margin']:.2f} "
        "points (the paper's own fold standard deviation)."
    )


def short_verdict(study: list[Run] | None) -> str:
    """Return the reproduction's verdict over seeds as a clause for a summary."""
    if study is None:
        return "the reproduction has not been measured over seeds at these settings (`fmnist seeds` measures it)"
    row = study_row(study)
    consistent = "is consistent" if row["consistent"] else "is not consistent"
    inside = "inside" if row["consistent"] else "outside"
    equivalent = "is equivalent" if row["equivalent"] else "is not shown to be equivalent"
    return (
        f"the paper's {row['paper']:.2f}% {consistent} with our runs (it lies {inside} the 95% range of a single run), "
        f"and our mean {equivalent} to it within the declared ±{row['margin']:.2f} points"
    )


def reproduction_title(study: list[Run] | None) -> str:
    """Return the reproduction's verdict over seeds as a title: reproduces (consistent and equivalent), consistent only, or not."""
    if study is None:
        return "Table I is not yet judged over seeds"
    row = study_row(study)
    if row["consistent"] and row["equivalent"]:
        return "Table I reproduces"
    if row["consistent"]:
        return "Table I is consistent with our runs, but equivalence is not shown"
    return "Table I does not reproduce"


def gap_paragraph(study: list[Run] | None) -> str:
    """Return, in words, what the seeds of every arm say about our loop against the paper's library and the paper's draw."""
    if study is None:
        return (
            "The noise study has no runs at these settings, so this page cannot compare the training loops; "
            "`fmnist seeds` (with `--trainer keras2-fit` for the paper's library) makes them."
        )
    means = seed_means(study)
    table = arm_table(means)
    comparison = arm_differences(means, ARM_PAIRS).loc[("fmnist", "keras2-fit")]
    ours, keras2 = table.loc["fmnist"], table.loc["keras2-fit"]
    return " ".join(
        [
            f"Our loop's seeds scatter with a standard deviation of {ours['seed sd']:.2f} points and Keras 2's "
            f"with {keras2['seed sd']:.2f}; the paper's {ours['paper']:.2f}% lies at the "
            f"{ordinal(ours['paper percentile'])} percentile of ours and the {ordinal(keras2['paper percentile'])} of Keras 2's, "
            f"inside the one-run range of {'both' if ours['consistent'] and keras2['consistent'] else 'not both'}.",
            comparison_text(comparison, "Our loop", "Keras 2's model.fit"),
            "A difference this far inside the noise is not split further into parts.",
        ]
    )


def gap_answer(study: list[Run] | None) -> str:
    """Return, as a phrase for a summary, what the seeds say of our loop against Keras 2's `model.fit`."""
    if study is None:
        return "not measured at these settings"
    means = seed_means(study)
    comparison = arm_differences(means, ARM_PAIRS).loc[("fmnist", "keras2-fit")]
    verdict = "are equivalent" if comparison["equivalent"] else "differ by no measurable amount, though equivalence cannot be shown"
    if comparison["significant"]:
        verdict = "differ"
    return (
        f"our loop and Keras 2's model.fit {verdict} within the declared ±{comparison['margin']:.2f} points "
        f"(difference {comparison['difference']:+.2f}, 95% interval {comparison['95% low']:+.2f} to "
        f"{comparison['95% high']:+.2f}; equivalence would hold from ±{comparison['smallest margin']:.2f})"
    )


def arm_sd(study: list[Run]) -> float:
    """Return the seed standard deviation of Table I's mean for a one-arm study (its own)."""
    return float(study_row(study)["seed sd"])


def single_run_floor(study: list[Run] | None) -> float | None:
    """Return the smallest difference between two single-seed Table I means of the study's model that stands out from seed noise (None without a study)."""
    return None if study is None else difference_floor(arm_sd(study))


def difference_noise_text(study: list[Run] | None, against: pd.DataFrame) -> str:
    """Return, in words, the noise floor of single-seed differences and how many configurations rise above it."""
    if study is None:
        return "The noise study has no runs at these settings, so no noise floor is given here (`fmnist seeds` makes them)."
    sd = arm_sd(study)
    floor = single_run_floor(study)
    above = int((against["mean difference"].abs() >= floor).sum())
    return (
        f"At the paper's settings Table I's mean moves by {sd:.2f} points from seed to seed "
        f"({len(study)} seeds of the paper's model, the only configuration measured at many seeds; the others are "
        f"taken to be as noisy). A difference of two single-seed runs carries both runs' noise, "
        f"{math.hypot(sd, sd):.2f} points, so it needs about {floor:.2f} points ({NOISE_FLOOR_SDS:.0f} of those) to stand "
        f"out. Configurations that differ from the paper's model by that much: {above} of {len(against)}."
    )


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


def ablation_noise_text(fold_noise: dict, ablation: pd.DataFrame) -> str:
    """Return, in words, the ablation's noise floor (two single runs) and which kept choices rest on a gain below it."""
    if fold_noise["seed sd"] is None:
        return "The noise study has no runs at these settings, so no noise floor is given."
    kept = ablation[ablation["kept"]].iloc[1:]
    below = [name.removeprefix("+ ") for name, row in kept.iterrows() if not row["above noise"]]
    text = (
        f"Fold {fold_noise['fold']}'s held-out accuracy moves by {fold_noise['seed sd']:.2f} points from seed to "
        f"seed ({fold_noise['seeds']} seeds of the paper's model, the only model of this walk measured at many seeds). "
        f"A step's gain is the difference of two single runs and carries both runs' noise, so it needs about "
        f"{fold_noise['floor']:.2f} points ({NOISE_FLOOR_SDS:.0f} × √2 × {fold_noise['seed sd']:.2f}) to stand out."
    )
    if not below:
        return text + " Every kept choice was kept on a gain above that."
    share = "every one" if len(below) == len(kept) else f"{len(below)} of {len(kept)}"
    return text + (
        f" Kept choices whose gain was smaller, within seed noise: {share}, "
        f"{formatting.listing(below)}. The walk kept them as its best guess; the kept steps trained again at more "
        "seeds, below, say which gains hold."
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
