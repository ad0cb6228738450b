"""Tables that set runs beside each other: the Future Work sweep and the better CNN's ablation.

Everything here reads saved results only. Two runs of the same folds are compared
fold by fold (paired differences), which removes the part of the spread that
comes from which images each fold holds. Several configurations compared in one
family get Holm's correction for multiple comparisons (statsmodels' `multipletests`):
a configuration is significantly different only if its corrected p-value is.
"""

from __future__ import annotations

import pandas as pd
import scipy.stats
from statsmodels.stats import multitest

from fmnist import paper
from fmnist.config import CVConfig

PERCENT = 100.0
SECONDS_PER_MINUTE = 60.0
SIGNIFICANCE_LEVEL = 0.05


def held_out(folds: list[dict]) -> pd.Series:
    """Return each fold's held-out accuracy in percent, indexed by fold."""
    return pd.Series(
        {fold["fold_index"]: fold["test_accuracy"] * PERCENT for fold in folds}, name="held-out accuracy"
    ).sort_index()


def sweep_summary(runs: list[tuple[CVConfig, list[dict]]]) -> pd.DataFrame:
    """Return one row per configuration: parameters, accuracies (mean, population std) and training time."""
    rows = []
    for config, folds in runs:
        accuracy = held_out(folds)
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
                "training minutes": sum(fold["wall_seconds"] for fold in folds) / SECONDS_PER_MINUTE,
            }
        )
    return pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index()


def paired_difference(folds: list[dict], baseline: list[dict]) -> dict:
    """Compare two runs on the same folds: mean paired difference, folds better, paired t-test."""
    ours, theirs = held_out(folds), held_out(baseline)
    if list(ours.index) != list(theirs.index):
        raise ValueError(
            f"paired comparison needs the same folds, got {list(ours.index)} and {list(theirs.index)}"
        )
    difference = ours - theirs
    if difference.nunique() == 1:
        # No spread in the differences: the t statistic is 0 (all equal) or infinite.
        p_value = 1.0 if difference.iloc[0] == 0 else 0.0
    else:
        p_value = float(scipy.stats.ttest_rel(ours, theirs).pvalue)
    return {
        "mean difference": float(difference.mean()),
        "smallest difference": float(difference.min()),
        "largest difference": float(difference.max()),
        "folds better": int((difference > 0).sum()),
        "p-value": p_value,
        "significant": p_value < SIGNIFICANCE_LEVEL,
    }


def holm(p_values) -> list[float]:
    """Return Holm's adjusted p-values of one family of comparisons, in the order given."""
    p_values = list(p_values)
    if not p_values:
        return []
    return [float(value) for value in multitest.multipletests(p_values, method="holm")[1]]


def with_holm(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Return one family's comparisons with Holm's adjusted p-values; "significant" then follows those."""
    corrected = comparisons.copy()
    corrected["p-value (Holm)"] = holm(corrected["p-value"])
    corrected["significant"] = corrected["p-value (Holm)"] < SIGNIFICANCE_LEVEL
    return corrected


def sweep_against_baseline(
    runs: list[tuple[CVConfig, list[dict]]], baseline: list[dict], baseline_config: CVConfig | None = None
) -> pd.DataFrame:
    """Return every other configuration's paired comparison with the baseline run, Holm-corrected as one family.

    A run of `baseline_config` (default: the paper's 32 filters without padding) is the
    baseline itself and is left out.
    """
    baseline_key = key_of(baseline_config or CVConfig())
    rows = [
        {"padding": config.padding, "filters": config.filters, **paired_difference(folds, baseline)}
        for config, folds in runs
        if key_of(config) != baseline_key
    ]
    if not rows:
        raise ValueError("no configuration besides the baseline to compare with it")
    return with_holm(pd.DataFrame(rows).set_index(["padding", "filters"]).sort_index())


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
                **paired_difference(by_key[first], by_key[second]),
            }
            for first, second in pairs
        ]
        frames.append(with_holm(pd.DataFrame(rows)))
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
    baseline_accuracy = held_out(baseline)
    columns = {(config.padding, config.filters): held_out(folds) - baseline_accuracy for config, folds in runs}
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["padding", "filters"])
    frame.index.name = "k"
    return frame


# A gain counts as above the noise when it is at least this many seed standard deviations.
NOISE_FLOOR_SDS = 2.0


def ablation_table(steps: list, noise_sd: float | None = None) -> pd.DataFrame:
    """Return each ablation step's accuracy, its gain over the best step before it, whether it was kept, and its cost.

    `steps` are `fmnist.improved.Step`s, in the order they were tried. With `noise_sd`, the
    measured seed standard deviation of one fold's held-out accuracy, the column "above
    noise" says whether a gain is at least NOISE_FLOOR_SDS times it. Results that say where
    they came from ("computed" or "recorded", as `improved.obtained_fold` gives them) add a
    "source" column.
    """
    rows = []
    best = None
    for step in steps:
        accuracy = step.result["test_accuracy"] * PERCENT
        gain = float("nan") if best is None else accuracy - best
        row = {
            "step": step.name,
            "parameters": step.result["num_parameters"],
            "train accuracy": step.result["train_accuracy"] * PERCENT,
            "held-out accuracy": accuracy,
            "gain": gain,
            "kept": step.kept,
            "round": step.round,
            "training minutes": step.result["wall_seconds"] / SECONDS_PER_MINUTE,
        }
        if noise_sd is not None:
            # The first step has no gain to judge.
            row["above noise"] = None if best is None else bool(gain >= NOISE_FLOOR_SDS * noise_sd)
        if "source" in step.result:
            row["source"] = step.result["source"]
        rows.append(row)
        if step.kept:
            best = accuracy
    return pd.DataFrame(rows).set_index("step")
