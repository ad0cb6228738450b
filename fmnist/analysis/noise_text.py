"""The noise study in words and tables for the pages: verdicts, sentences and the facts the pages glue.

`fmnist.analysis.noise` computes the numbers (the one noise model); this module says
them, so that every page words a verdict the same way and glues the same facts under the
same names (`arm_facts`). It reads saved results only.
"""

from __future__ import annotations

import math

import pandas as pd

from fmnist import paper
from fmnist.analysis import formatting, noise, significance, timing


def ordinal(value: float) -> str:
    """Return a percentile rounded to a whole number as an English ordinal: 1st, 2nd, 33rd, 50th."""
    number = int(round(value))
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def one_run_range(row: pd.Series) -> str:
    """Return where the paper's draw lies against the range in which 95% of single runs fall, with that range, in words."""
    inside = "inside" if row["consistent"] else "outside"
    return f"{inside} the range in which 95% of single runs fall ({row['one run 95% low']:.2f}% to {row['one run 95% high']:.2f}%)"


def position_text(row: pd.Series, arm_name: str) -> str:
    """Return, in words, where the paper's value falls in one arm's seed distribution (a row of `noise.arm_table`)."""
    return (
        f"Among {int(row['seeds'])} seeds of {arm_name}, the paper's {row['paper']:.2f}% lies at the "
        f"{ordinal(row['paper percentile'])} percentile, {row['paper sds from mean']:+.1f} of this arm's own seed standard "
        f"deviations ({row['seed sd']:.2f} points) from their mean of {row['mean']:.2f}%, and {one_run_range(row)}."
    )


def agreement_text(row: pd.Series, arm_name: str) -> str:
    """Return, in words, the two verdicts on the paper's number for one arm (a row of `noise.arm_table`): consistent, and equivalent."""
    consistent = "consistent" if row["consistent"] else "not consistent"
    equivalent = "is" if row["equivalent"] else "cannot be shown to be"
    return (
        f"{formatting.sentence_start(arm_name)} is **{consistent}** with the paper: its one draw, {row['paper']:.2f}%, lies "
        f"{one_run_range(row)}. Its mean over {int(row['seeds'])} seeds, "
        f"{row['mean']:.2f}%, {equivalent} **equivalent** to the paper's within the declared ±{row['margin']:.2f} points "
        f"(two one-sided tests, {formatting.p_value(row['equivalence p-value'])}); the smallest margin at which it "
        f"would be is ±{row['smallest margin']:.2f} points."
    )


def comparison_text(row: pd.Series, first_name: str, second_name: str) -> str:
    """Return, in words, one row of `noise.arm_differences`: the difference, its interval, the test and the equivalence."""
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


def spread_text(folds: pd.DataFrame, arm: str, arm_name: str, paper_fold_sd: float) -> str:
    """Return, in words, the spread over folds within one run beside the paper's (the same quantity), and the seed noise of the mean."""
    seed_means_sd, _ = noise.seed_sd(folds[folds["arm"] == arm].groupby("seed")["held-out"].mean())
    within = noise.fold_spread(folds, arm)
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
    if variances["p-value"] < significance.SIGNIFICANCE_LEVEL:
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
    shifted = components[components["between-seed p-value"] < significance.SIGNIFICANCE_LEVEL]
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
    """Return, in words, whether each arm's seeds repeat the paper's order of folds (values of `noise.fold_order`)."""
    chance = 1 / len(paper.TABLE_ONE_TEST_ACCURACY)
    papers_best = next(iter(orders.values()))["paper's easiest fold"]
    parts = [
        f"{arm_names[arm]}, easiest again in {order['share of seeds it is easiest']:.0%} of {order['seeds']} seeds, "
        f"rank correlation of the fold means {order['rank correlation of fold means']:+.2f} "
        f"({formatting.p_value(order['rank correlation p-value'])})"
        for arm, order in orders.items()
    ]
    repeated = [arm for arm, order in orders.items() if order["rank correlation p-value"] < significance.SIGNIFICANCE_LEVEL and order["rank correlation of fold means"] > 0]
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
        facts = timing.run_facts(folds)
        row["seeds"] += 1
        row["computed here" if found.source == "computed" else "recorded"] += 1
        row["processor kind"].append(facts["processor kind"])
        row["timing"].append(facts["timing"])
        row["CPU"].update(facts["CPU"].split("; "))
        row["TensorFlow"].update(facts["TensorFlow"].split(", "))
        row["finished (UTC)"] = max(row["finished (UTC)"], facts["finished"][:10])
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


def headline_text(study: list[noise.Run] | None, arm_name: str) -> str:
    """Return the reproduction's verdict, resting on one arm's seeds: consistent with the paper's draw, and equivalent to it or not."""
    if study is None:
        return (
            "**The reproduction's seed-to-seed noise has not been measured at these settings** "
            "(`fmnist seeds` measures it), so the difference below is judged by the fixed tolerance alone."
        )
    row = noise.study_row(study)
    consistent = "is consistent" if row["consistent"] else "is not consistent"
    equivalent = "equivalent" if row["equivalent"] else "not shown to be equivalent"
    return (
        f"**The reproduction {consistent} with the paper, and its mean is {equivalent} to the paper's number.** "
        f"Over {int(row['seeds'])} seeds, {arm_name} gives a Table I mean held-out accuracy of {row['mean']:.2f}% "
        f"(95% interval of the mean {row['mean 95% low']:.2f}% to {row['mean 95% high']:.2f}%, seed standard deviation "
        f"{row['seed sd']:.2f} points). The paper's {row['paper']:.2f}% lies {one_run_range(row)}, at "
        f"the {ordinal(row['paper percentile'])} percentile of our seeds, and our mean lies within "
        f"±{row['smallest margin']:.2f} points of it at the 5% level, against a declared margin of ±{row['margin']:.2f} "
        "points (the paper's own fold standard deviation)."
    )


def short_verdict(study: list[noise.Run] | None) -> str:
    """Return the reproduction's verdict over seeds as a clause for a summary."""
    if study is None:
        return "the reproduction has not been measured over seeds at these settings (`fmnist seeds` measures it)"
    row = noise.study_row(study)
    consistent = "is consistent" if row["consistent"] else "is not consistent"
    inside = "inside" if row["consistent"] else "outside"
    equivalent = "is equivalent" if row["equivalent"] else "is not shown to be equivalent"
    return (
        f"the paper's {row['paper']:.2f}% {consistent} with our runs (it lies {inside} the 95% range of a single run), "
        f"and our mean {equivalent} to it within the declared ±{row['margin']:.2f} points"
    )


def reproduction_title(study: list[noise.Run] | None) -> str:
    """Return the reproduction's verdict over seeds as a title: reproduces (consistent and equivalent), consistent only, or not."""
    if study is None:
        return "Table I is not yet judged over seeds"
    row = noise.study_row(study)
    if row["consistent"] and row["equivalent"]:
        return "Table I reproduces"
    if row["consistent"]:
        return "Table I is consistent with our runs, but equivalence is not shown"
    return "Table I does not reproduce"


def gap_paragraph(study: list[noise.Run] | None) -> str:
    """Return, in words, what the seeds of every arm say about our loop against the paper's library and the paper's draw."""
    if study is None:
        return (
            "The noise study has no runs at these settings, so this page cannot compare the training loops; "
            "`fmnist seeds` (with `--trainer keras2-fit` for the paper's library) makes them."
        )
    means = noise.seed_means(study)
    table = noise.arm_table(means)
    comparison = noise.arm_differences(means, noise.ARM_PAIRS).loc[("fmnist", "keras2-fit")]
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


def gap_answer(study: list[noise.Run] | None) -> str:
    """Return, as a phrase for a summary, what the seeds say of our loop against Keras 2's `model.fit`."""
    if study is None:
        return "not measured at these settings"
    means = noise.seed_means(study)
    comparison = noise.arm_differences(means, noise.ARM_PAIRS).loc[("fmnist", "keras2-fit")]
    verdict = "are equivalent" if comparison["equivalent"] else "differ by no measurable amount, though equivalence cannot be shown"
    if comparison["significant"]:
        verdict = "differ"
    return (
        f"our loop and Keras 2's model.fit {verdict} within the declared ±{comparison['margin']:.2f} points "
        f"(difference {comparison['difference']:+.2f}, 95% interval {comparison['95% low']:+.2f} to "
        f"{comparison['95% high']:+.2f}; equivalence would hold from ±{comparison['smallest margin']:.2f})"
    )


def difference_noise_text(study: list[noise.Run] | None, against: pd.DataFrame) -> str:
    """Return, in words, the noise floor of single-seed differences and how many configurations rise above it."""
    if study is None:
        return "The noise study has no runs at these settings, so no noise floor is given here (`fmnist seeds` makes them)."
    sd = noise.arm_sd(study)
    floor = noise.single_run_floor(study)
    above = int((against["mean difference"].abs() >= floor).sum())
    return (
        f"At the paper's settings Table I's mean moves by {sd:.2f} points from seed to seed "
        f"({len(study)} seeds of the paper's model, the only configuration measured at many seeds; the others are "
        f"taken to be as noisy). A difference of two single-seed runs carries both runs' noise, "
        f"{math.hypot(sd, sd):.2f} points, so it needs about {floor:.2f} points ({significance.NOISE_FLOOR_SDS:.0f} of those) to stand "
        f"out. Configurations that differ from the paper's model by that much: {above} of {len(against)}."
    )


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
        f"{fold_noise['floor']:.2f} points ({significance.NOISE_FLOOR_SDS:.0f} × √2 × {fold_noise['seed sd']:.2f}) to stand out."
    )
    if not below:
        return text + " Every kept choice was kept on a gain above that."
    share = "every one" if len(below) == len(kept) else f"{len(below)} of {len(kept)}"
    return text + (
        f" Kept choices whose gain was smaller, within seed noise: {share}, "
        f"{formatting.listing(below)}. The walk kept them as its best guess; the kept steps trained again at more "
        "seeds, below, say which gains hold."
    )


def arm_facts(row: pd.Series) -> dict:
    """Return the facts the pages state about one arm (a row of `noise.arm_table`), by glue name; every page glues them by these names."""
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


def study_facts(study: list[noise.Run] | None) -> dict:
    """Return `arm_facts` of a one-arm study's arm (nothing without a study)."""
    return {} if study is None else arm_facts(noise.study_row(study))


def arm_differences_facts(differences: pd.DataFrame) -> dict:
    """Return the facts the noise page states about the arms' differences (`noise.arm_differences`), by glue name."""
    ours_against_keras2 = differences.loc[("fmnist", "keras2-fit")]
    quirk = differences.loc[("keras3-fit", "fmnist")]
    return {
        "ours_keras2_difference": float(ours_against_keras2["difference"]),
        "ours_keras2_equivalent": "are equivalent" if ours_against_keras2["equivalent"] else "cannot be shown to be equivalent",
        "ours_keras2_smallest": float(ours_against_keras2["smallest margin"]),
        "quirk_cost": float(quirk["difference"]),
        "quirk_low": float(quirk["95% low"]),
        "quirk_high": float(quirk["95% high"]),
    }


def train_facts(train: pd.DataFrame) -> dict:
    """Return the facts the pages state about Table I's training accuracy over our loop's seeds (`noise.arm_table` of "train")."""
    ours = train.loc["fmnist"]
    return {
        "ours_train_mean": float(ours["mean"]),
        "ours_train_sd": float(ours["seed sd"]),
        "paper_train_mean": paper.TABLE_ONE_MEAN["Train Accuracy"],
        "train_percentile": float(ours["paper percentile"]),
    }
