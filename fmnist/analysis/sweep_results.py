"""The Future Work sweep's numbers: each configuration's summary, its difference from the paper's model, and the conjecture's verdict.

Everything here reads saved results only. Each configuration is compared with the
paper's model fold by fold by the corrected resampled t-test, with Holm's correction over
the family (`fmnist.analysis.significance`); a gain counts only above the seed noise
floor, and where a comparison was run at several seeds the seeds decide.
"""

from __future__ import annotations

import pandas as pd
import scipy.stats

from fmnist import PERCENT, SECONDS_PER_MINUTE, paper
from fmnist.analysis import formatting, significance, timing
from fmnist.store import result_types
from fmnist.config import CVConfig

def timed_on(folds: list[result_types.FoldResult]) -> str:
    """Return the processor(s) that trained these folds, as their results name them."""
    return ", ".join(sorted({fold.provenance.cpu for fold in folds}))


def sweep_summary(
    runs: list[tuple[CVConfig, result_types.FoldResult]], timed_folds: dict[CVConfig, result_types.FoldResult] | None = None
) -> pd.DataFrame:
    """Return one row per configuration: parameters, accuracies (mean, population std) and training time.

    The time comes from `timed_folds`' folds for a configuration where given (the records,
    so that every time was measured on one machine), else from the run's own; "timed on"
    names the processor that measured it and "timing" whether the machine was quiet
    (`fmnist.analysis.timing`).
    """
    rows = []
    for config, folds in runs:
        timed = (timed_folds or {}).get(config, folds)
        accuracy = significance.held_out(folds)
        train = pd.Series([fold.train_accuracy * PERCENT for fold in folds])
        rows.append(
            {
                "filters": config.filters,
                "padding": config.padding,
                "parameters": folds[0].num_parameters,
                "folds": len(folds),
                "held-out mean": accuracy.mean(),
                "held-out std": accuracy.std(ddof=0),
                "train mean": train.mean(),
                "training minutes": sum(fold.wall_seconds for fold in timed) / SECONDS_PER_MINUTE,
                "timed on": timed_on(timed),
                "timing": timing.run_state(timed),
            }
        )
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


# How the tables of paired comparisons show each column on the page.
COMPARISON_FORMATS = {
    "mean difference": "{:+.2f}",
    "smallest difference": "{:+.2f}",
    "largest difference": "{:+.2f}",
    "p-value": formatting.p_number,
    "p-value (Holm)": formatting.p_number,
    "significant": formatting.yes_no,
}


def sweep_against_baseline(
    runs: list[tuple[CVConfig, result_types.FoldResult]], baseline: result_types.FoldResult, baseline_config: CVConfig | None = None
) -> pd.DataFrame:
    """Return every other configuration's paired comparison with the baseline run, Holm-corrected as one family.

    A run of `baseline_config` (default: the paper's 32 filters without padding) is the
    baseline itself and is left out.
    """
    baseline_key = key_of(baseline_config or CVConfig())
    rows = [
        {"padding": config.padding, "filters": config.filters, **significance.paired_difference(folds, baseline)}
        for config, folds in runs
        if key_of(config) != baseline_key
    ]
    if not rows:
        raise ValueError("no configuration besides the baseline to compare with it")
    return significance.with_holm(pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index())


def best_configuration(summary: pd.DataFrame, against: pd.DataFrame) -> dict:
    """Return the sweep's best configuration by mean held-out accuracy, with its comparison with the baseline.

    `summary` is `sweep_summary`'s table, `against` `sweep_against_baseline`'s; the
    baseline itself, if best, has no gain and no p-value.
    """
    padding, filters = summary["held-out mean"].idxmax()
    row = summary.loc[(padding, filters)]
    compared = (padding, filters) in against.index
    return {
        "padding": padding,
        "filters": int(filters),
        "mean": float(row["held-out mean"]),
        "std": float(row["held-out std"]),
        "parameters": int(row["parameters"]),
        "training minutes": float(row["training minutes"]),
        "gain": float(against.loc[(padding, filters), "mean difference"]) if compared else 0.0,
        "p-value": float(against.loc[(padding, filters), "p-value"]) if compared else float("nan"),
        "p-value (Holm)": float(against.loc[(padding, filters), "p-value (Holm)"]) if compared else float("nan"),
    }


def key_of(config: CVConfig) -> tuple[str, int]:
    """Return a sweep configuration's (padding, filters)."""
    return (config.padding, config.filters)


def conjecture_family(runs: list[tuple[CVConfig, result_types.FoldResult]]) -> pd.DataFrame:
    """Return the conjecture's paired comparisons as one family, Holm-corrected together.

    The paper conjectures two things, and its verdict rests on both, so they are one
    family: "more filters", each filter count above the paper's against the paper's
    count at the same padding, and "padding", `same` against `valid` at the same filter
    count. Each comparison is the corrected resampled t-test over the five folds.
    """
    by_key = {key_of(config): folds for config, folds in runs}
    questions = {
        "more filters": [
            ((padding, filters), (padding, paper.FILTERS))
            for padding, filters in sorted(by_key)
            if filters > paper.FILTERS and (padding, paper.FILTERS) in by_key
        ],
        "padding": [
            (("same", filters), ("valid", filters))
            for padding, filters in sorted(by_key)
            if padding == "same" and ("valid", filters) in by_key
        ],
    }
    rows = [
        {
            "question": question,
            "comparison": f"{first[1]} filters, {first[0]} against {second[1]} filters, {second[0]}",
            **significance.paired_difference(by_key[first], by_key[second]),
        }
        for question, pairs in questions.items()
        for first, second in pairs
    ]
    if not rows:
        raise ValueError("the sweep holds no pair of configurations that differ in filters or padding alone")
    return significance.with_holm(pd.DataFrame(rows)).set_index(["question", "comparison"])


def significantly_better(against: pd.DataFrame, noise_floor: float | None = None) -> pd.DataFrame:
    """Return the comparisons significantly better than their baseline (after the correction the frame carries).

    With a `noise_floor`, the smallest gain that stands out from the measured seed noise,
    a gain must also reach it.
    """
    better = against[against["significant"] & (against["mean difference"] > 0)]
    if noise_floor is not None:
        better = better[better["mean difference"] >= noise_floor]
    return better


def seed_comparison(first: list[tuple[CVConfig, result_types.FoldResult]] | None, second: list[tuple[CVConfig, result_types.FoldResult]] | None) -> dict | None:
    """Compare two configurations over the seeds both ran: each seed's Table I mean difference, its mean, interval and t-test.

    The unit is a seed (a whole cross-validation), so the folds' overlap does not enter;
    the seeds are paired (the same seed draws both runs' weights and batch orders). None
    when fewer than two seeds are common.
    """
    if not first or not second:
        return None
    means = [{config.seed: float(significance.held_out(folds).mean()) for config, folds in runs} for runs in (first, second)]
    common = sorted(set(means[0]) & set(means[1]))
    if len(common) < 2:
        return None
    differences = pd.Series({seed: means[0][seed] - means[1][seed] for seed in common})
    test = scipy.stats.ttest_1samp(differences, 0.0)
    low, high = test.confidence_interval(0.95)
    return {
        "seeds": len(common),
        "seed list": formatting.listing([str(seed) for seed in common]),
        "mean difference": float(differences.mean()),
        "sd of differences": float(differences.std(ddof=1)),
        "95% low": float(low),
        "95% high": float(high),
        "p-value": float(test.pvalue),
        "significant": bool(test.pvalue < significance.SIGNIFICANCE_LEVEL),
        "differences": differences,
    }


def question_verdicts(family: pd.DataFrame, padding_seeds: dict | None, noise_floor: float | None = None) -> dict[str, str]:
    """Return a phrase per question of the conjecture, worded as its evidence allows."""
    verdicts = {}
    for question, group in family.groupby(level="question", sort=False):
        better = significantly_better(group, noise_floor)
        span = f"{group['mean difference'].min():+.2f} to {group['mean difference'].max():+.2f} points"
        if not better.empty:
            verdicts[question] = f"{question}: a gain shown in {len(better)} of {len(group)} comparisons (fold differences {span})"
        else:
            rule = "significant after the correction" if noise_floor is None else f"both significant after the correction and at least the {noise_floor:.2f}-point floor"
            verdicts[question] = f"{question}: no gain shown (fold differences {span}, none {rule})"
    if "padding" in verdicts and padding_seeds is not None:
        interval = f"95% interval {padding_seeds['95% low']:+.2f} to {padding_seeds['95% high']:+.2f}"
        over = f"over {padding_seeds['seeds']} seeds"
        if padding_seeds["significant"] and padding_seeds["mean difference"] > 0:
            verdicts["padding"] = f"padding: a gain of {padding_seeds['mean difference']:+.2f} points {over} ({interval}), established"
        else:
            verdicts["padding"] = (
                f"padding: about {padding_seeds['mean difference']:+.2f} points {over} ({interval}), not established at this power"
            )
    return verdicts


def question_gains(family: pd.DataFrame, padding_seeds: dict | None, noise_floor: float | None = None) -> dict[str, bool]:
    """Return, per question of the conjecture, whether a gain is shown: by the corrected folds, or for padding by its seeds where it has them."""
    gains = {
        question: not significantly_better(group, noise_floor).empty for question, group in family.groupby(level="question", sort=False)
    }
    if "padding" in gains and padding_seeds is not None:
        gains["padding"] = bool(padding_seeds["significant"] and padding_seeds["mean difference"] > 0)
    return gains


def conjecture_outcome(family: pd.DataFrame, padding_seeds: dict | None = None, noise_floor: float | None = None) -> str:
    """Return the conjecture's verdict as a phrase: each question's, joined."""
    return "; ".join(question_verdicts(family, padding_seeds, noise_floor).values())


def conjecture_verdict(family: pd.DataFrame, padding_seeds: dict | None = None, noise_floor: float | None = None) -> str:
    """Return, in words, what the one-family corrected comparisons and the seeds say about more filters and padding."""
    rule = (
        f" A gain counts only if its comparison is significant after Holm's correction over all {len(family)} "
        "comparisons (one family, since one verdict rests on them)"
        + ("" if noise_floor is None else f" and it reaches the {noise_floor:.2f}-point seed-noise floor")
        + "; where a comparison was run at several seeds, the seeds decide, each seed's whole cross-validation one unit."
    )
    verdicts = question_verdicts(family, padding_seeds, noise_floor)
    return "**What the sweep shows.** " + " ".join(text[0].upper() + text[1:] + "." for text in verdicts.values()) + rule


def seed_comparison_text(comparison: dict | None, filters: int) -> str:
    """Return, in words, `seed_comparison` of `same` against `valid` padding at one filter count."""
    if comparison is None:
        return (
            f"Padding at {filters} filters has fewer than two seeds of both paddings at these settings, so it is judged "
            f"by the folds of one seed alone (`fmnist seeds --filters {filters} --padding same` and `--padding valid` add seeds)."
        )
    per_seed = ", ".join(f"{value:+.2f}" for value in comparison["differences"])
    return (
        f"At {filters} filters, `same` minus `valid` padding over seeds {comparison['seed list']} ({per_seed} points, one "
        f"whole cross-validation each): {comparison['mean difference']:+.2f} points on average, 95% interval "
        f"{comparison['95% low']:+.2f} to {comparison['95% high']:+.2f} (t-test over seeds, "
        f"{formatting.p_value(comparison['p-value'])})."
    )


def fold_differences(runs: list[tuple[CVConfig, result_types.FoldResult]], baseline: result_types.FoldResult) -> pd.DataFrame:
    """Return each configuration's held-out accuracy minus the baseline's, fold by fold."""
    baseline_accuracy = significance.held_out(baseline)
    columns = {(config.padding, config.filters): significance.held_out(folds) - baseline_accuracy for config, folds in runs}
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["padding", "filters"])
    frame.index.name = "k"
    return frame




def difference_intervals(runs: list[tuple[CVConfig, result_types.FoldResult]], baseline: result_types.FoldResult) -> pd.DataFrame:
    """Return each configuration's mean paired difference from the baseline with the corrected resampled t-test's 95% interval."""
    rows = []
    for config, folds in runs:
        difference = significance.held_out(folds) - significance.held_out(baseline)
        low, high = significance.corrected_interval(difference, significance.test_train_ratio(folds))
        rows.append({"padding": config.padding, "filters": config.filters, "mean difference": float(difference.mean()), "95% low": low, "95% high": high})
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def sources_table(runs: list[tuple[CVConfig, result_types.FoldResult]], sources: dict[CVConfig, str]) -> pd.DataFrame:
    """Return where each configuration's numbers come from ("computed" or "recorded"), when, on what and with which TensorFlow."""
    rows = []
    for config, folds in runs:
        facts = timing.run_facts(folds)
        rows.append(
            {
                "padding": config.padding,
                "filters": config.filters,
                "source": sources[config],
                "finished": formatting.minute_of(facts["finished"]),
                **{name: facts[name] for name in ("CPU", "processor kind", "TensorFlow")},
            }
        )
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def page_facts(
    summary: pd.DataFrame,
    against: pd.DataFrame,
    family: pd.DataFrame,
    baseline_row: pd.Series,
    noise_floor: float | None = None,
    padding_seeds: dict | None = None,
) -> dict:
    """Return the facts the sweep page states, by glue name: the best configuration, the counts and the gaps.

    `baseline_row` is the paper's model's row of `sweep_summary`; `noise_floor` the seed
    noise of a difference of two single-seed runs, where the noise study measured it;
    `padding_seeds` the padding comparison over seeds (`seed_comparison`), if any.
    """
    best = best_configuration(summary, against)
    train_gap = summary["train mean"] - summary["held-out mean"]
    paddings = summary.index.get_level_values("padding")
    return {
        "best_padding": best["padding"],
        "best_filters": best["filters"],
        "best_mean": best["mean"],
        "best_std": best["std"],
        "best_gain": best["gain"],
        "best_p": best["p-value"],
        "best_p_holm": best["p-value (Holm)"],
        "best_p_text": formatting.p_value(best["p-value"]),
        "best_p_holm_text": formatting.p_value(best["p-value (Holm)"]),
        "best_parameter_ratio": best["parameters"] / float(baseline_row["parameters"]),
        "best_time_text": time_ratio_text(summary.loc[(best["padding"], best["filters"])], baseline_row),
        "paper_model_mean": float(baseline_row["held-out mean"]),
        "num_significant_better": len(significantly_better(against, noise_floor)),
        "num_significant_worse": int((against["significant"] & (against["mean difference"] < 0)).sum()),
        "num_others": len(against),
        "largest_gain": float(against["mean difference"].max()),
        # The mean held-out accuracy of the configurations with padding minus that of those without.
        "padding_gain": float(
            summary.loc[paddings == "same", "held-out mean"].mean() - summary.loc[paddings == "valid", "held-out mean"].mean()
        ),
        "filters_span": float(summary["held-out mean"].max() - summary["held-out mean"].min()),
        "train_gap_min": float(train_gap.min()),
        "train_gap_max": float(train_gap.max()),
        "conjecture_outcome": conjecture_outcome(family, padding_seeds, noise_floor),
    }


def time_ratio_text(row: pd.Series, baseline_row: pd.Series) -> str:
    """Return how a configuration's training time compares with the baseline's, only if one processor timed both on a quiet machine."""
    if row["timing"] != timing.QUIET or baseline_row["timing"] != timing.QUIET:
        return (
            f"a training time not compared with the paper's model's: the times were taken with the machine's load "
            f"{'not recorded' if timing.NOT_RECORDED in (row['timing'], baseline_row['timing']) else 'above its cores'}, "
            "so they hold other work as well as the training"
        )
    if row["timed on"] != baseline_row["timed on"]:
        return (
            f"a training time measured on another processor ({row['timed on']}, against "
            f"{baseline_row['timed on']} for the paper's model), so not compared"
        )
    return f"{row['training minutes'] / baseline_row['training minutes']:.1f} times its training time (both on {row['timed on']})"
