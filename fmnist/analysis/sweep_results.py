"""The Future Work sweep's numbers: each configuration's summary, its difference from the paper's model, and the conjecture's verdict.

Everything here reads saved results only. Each configuration is compared with the
paper's model fold by fold, with Holm's correction over the family
(`fmnist.analysis.significance`); a gain counts only above the seed noise floor.
"""

from __future__ import annotations

import pandas as pd

from fmnist import PERCENT, SECONDS_PER_MINUTE, paper
from fmnist.analysis import formatting, significance
from fmnist.config import CVConfig

def timed_on(folds: list[dict]) -> str:
    """Return the processor(s) that trained these folds, as their results name them."""
    return ", ".join(sorted({fold.get("provenance", {}).get("cpu", "unknown") for fold in folds}))


def sweep_summary(
    runs: list[tuple[CVConfig, list[dict]]], timing: dict[CVConfig, list[dict]] | None = None
) -> pd.DataFrame:
    """Return one row per configuration: parameters, accuracies (mean, population std) and training time.

    The time comes from `timing`'s folds for a configuration where given (the records, so
    that every time was measured on one machine), else from the run's own; "timed on"
    names the processor that measured it.
    """
    rows = []
    for config, folds in runs:
        timed = (timing or {}).get(config, folds)
        accuracy = significance.held_out(folds)
        train = pd.Series([fold["train_accuracy"] * PERCENT for fold in folds])
        rows.append(
            {
                "filters": config.filters,
                "padding": config.padding,
                "parameters": folds[0]["num_parameters"],
                "folds": len(folds),
                "held-out mean": accuracy.mean(),
                "held-out std": accuracy.std(ddof=0),
                "train mean": train.mean(),
                "training minutes": sum(fold["wall_seconds"] for fold in timed) / SECONDS_PER_MINUTE,
                "timed on": timed_on(timed),
            }
        )
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def sweep_against_baseline(
    runs: list[tuple[CVConfig, list[dict]]], baseline: list[dict], baseline_config: CVConfig | None = None
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


def conjecture_families(runs: list[tuple[CVConfig, list[dict]]]) -> pd.DataFrame:
    """Return the conjecture's two families of paired comparisons, each Holm-corrected on its own.

    "more filters": each filter count above the paper's against the paper's count, at the
    same padding. "padding": `same` against `valid`, at the same filter count.
    """
    by_key = {key_of(config): folds for config, folds in runs}
    families = {
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
    frames = []
    for family, pairs in families.items():
        if not pairs:
            continue
        rows = [
            {
                "family": family,
                "comparison": f"{first[1]} filters, {first[0]} against {second[1]} filters, {second[0]}",
                **significance.paired_difference(by_key[first], by_key[second]),
            }
            for first, second in pairs
        ]
        frames.append(significance.with_holm(pd.DataFrame(rows)))
    if not frames:
        raise ValueError("the sweep holds no pair of configurations that differ in filters or padding alone")
    return pd.concat(frames).set_index(["family", "comparison"])


def significantly_better(against: pd.DataFrame, noise_floor: float | None = None) -> pd.DataFrame:
    """Return the comparisons significantly better than their baseline (after the correction the frame carries).

    With a `noise_floor`, the smallest gain that stands out from the measured seed noise,
    a gain must also reach it.
    """
    better = against[against["significant"] & (against["mean difference"] > 0)]
    if noise_floor is not None:
        better = better[better["mean difference"] >= noise_floor]
    return better


def conjecture_outcome(families: pd.DataFrame, noise_floor: float | None = None) -> str:
    """Return "held", "held in part" or "did not hold": in how many families a choice is better (see `significantly_better`)."""
    better = significantly_better(families, noise_floor).index.get_level_values("family").unique()
    tried = families.index.get_level_values("family").unique()
    if len(better) == 0:
        return "did not hold"
    return "held" if len(better) == len(tried) else "held in part"


def conjecture_verdict(families: pd.DataFrame, noise_floor: float | None = None) -> str:
    """Return, in words, what the Holm-corrected paired comparisons (and the noise floor, if given) say about more filters and padding."""
    parts = []
    for family, group in families.groupby(level="family", sort=False):
        better = significantly_better(group)
        worse = group[group["significant"] & (group["mean difference"] < 0)]
        span = f"{group['mean difference'].min():+.2f} to {group['mean difference'].max():+.2f} points"
        part = f"{family}, {len(better)} of {len(group)} comparisons significantly better (paired differences {span}"
        if noise_floor is not None and not better.empty:
            part += f"; {len(significantly_better(group, noise_floor))} of them by at least the {noise_floor:.2f}-point seed-noise floor"
        if not worse.empty:
            part += f"; {len(worse)} significantly worse"
        parts.append(part + ")")
    rule = "" if noise_floor is None else " A choice counts as better only if it is significantly better and gains at least the floor."
    return (
        f"**The conjecture {conjecture_outcome(families, noise_floor)}.** After Holm's correction within each family: "
        + "; ".join(parts)
        + "."
        + rule
    )


def fold_differences(runs: list[tuple[CVConfig, list[dict]]], baseline: list[dict]) -> pd.DataFrame:
    """Return each configuration's held-out accuracy minus the baseline's, fold by fold."""
    baseline_accuracy = significance.held_out(baseline)
    columns = {(config.padding, config.filters): significance.held_out(folds) - baseline_accuracy for config, folds in runs}
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["padding", "filters"])
    frame.index.name = "k"
    return frame




def sources_table(runs: list[tuple[CVConfig, list[dict]]], sources: dict[CVConfig, str]) -> pd.DataFrame:
    """Return where each configuration's numbers come from ("computed" or "recorded"), when, on what and with which TensorFlow."""
    rows = [
        {
            "padding": config.padding,
            "filters": config.filters,
            "source": sources[config],
            "finished": formatting.minute_of(max(fold["provenance"]["date"] for fold in folds)),
            "CPU": folds[0]["provenance"]["cpu"],
            "TensorFlow": folds[0]["provenance"]["packages"]["tensorflow"],
        }
        for config, folds in runs
    ]
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def page_facts(
    summary: pd.DataFrame,
    against: pd.DataFrame,
    families: pd.DataFrame,
    baseline_row: pd.Series,
    noise_floor: float | None = None,
) -> dict:
    """Return the facts the sweep page states, by glue name: the best configuration, the counts and the gaps.

    `baseline_row` is the paper's model's row of `sweep_summary`; `noise_floor` the seed
    noise of a difference of two single-seed runs, where the noise study measured it.
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
        "best_time_ratio": best["training minutes"] / float(baseline_row["training minutes"]),
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
        "conjecture_outcome": conjecture_outcome(families, noise_floor),
    }


def time_ratio_text(row: pd.Series, baseline_row: pd.Series) -> str:
    """Return how a configuration's training time compares with the baseline's, only if one processor timed both."""
    if row["timed on"] != baseline_row["timed on"]:
        return (
            f"a training time measured on another processor ({row['timed on']}, against "
            f"{baseline_row['timed on']} for the paper's model), so not compared"
        )
    return f"{row['training minutes'] / baseline_row['training minutes']:.1f} times its training time (both on {row['timed on']})"
