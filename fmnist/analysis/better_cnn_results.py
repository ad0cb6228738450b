"""The better CNN's official-test runs, one per seed: their scores, the anchors beside them, and the recomputation.

It reads saved results only; `fmnist.experiments.better_cnn` says which runs they are.
The plain score and the flip-averaged one (test-time augmentation) are kept apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fmnist import PERCENT, SECONDS_PER_MINUTE, anchors
from fmnist.analysis import formatting, significance, test_scores, timing
from fmnist.store import result_types


# How a training's time was taken, in words (`fmnist.analysis.timing`'s states).
TIMING_WORDS = {timing.QUIET: "timed on a quiet machine", timing.UNDER_LOAD: "timed under load", timing.NOT_RECORDED: "its load not recorded"}
SEED_COLUMNS = ["seed", "test accuracy", "with flip averaging", "mistakes", "training minutes", "epochs", "timed on", "timing", "source"]


def seed_table(runs: list[tuple[int, result_types.TestResult]]) -> pd.DataFrame:
    """Return one row per seed: plain and flip-averaged test accuracy, training minutes, processor, whether the machine was quiet, and source.

    `runs` holds (seed, official-test result) for each seed.
    """
    rows = [
        {
            "seed": seed,
            "test accuracy": result.test_accuracy * PERCENT,
            "with flip averaging": (result.test_accuracy_flip_averaged or float("nan")) * PERCENT,
            "mistakes": round(result.num_test * (1 - result.test_accuracy)),
            "training minutes": result.training_seconds / SECONDS_PER_MINUTE,
            "epochs": len(result.history.get("loss", [])),
            "timed on": result.provenance.cpu,
            "timing": timing.load_state(result),
            "source": result.source,
        }
        for seed, result in runs
    ]
    return pd.DataFrame(rows, columns=SEED_COLUMNS).set_index("seed")


def summary(table: pd.DataFrame) -> dict | None:
    """Return the mean and seed standard deviation of both scores, the epochs, the longest training and its timing, from `seed_table` (None for no runs)."""
    if table.empty:
        return None

    def sd(column: str) -> float:
        return float(table[column].std(ddof=1)) if len(table) > 1 else float("nan")

    return {
        "seeds": len(table),
        "mean": float(table["test accuracy"].mean()),
        "sd": sd("test accuracy"),
        "flip_mean": float(table["with flip averaging"].mean()),
        "flip_sd": sd("with flip averaging"),
        "longest_minutes": float(table["training minutes"].max()),
        "cpus": ", ".join(sorted(set(table["timed on"]))),
        "epochs": int(table["epochs"].max()),
        "timing": timing.joint_state(table["timing"]),
    }


def anchor_table(better: dict, paper_accuracy: float, first_walk: dict | None = None) -> pd.DataFrame:
    """Return the published anchors beside the better CNN (plain and flip-averaged), the first walk's CNN and the paper's model, in percent.

    `better` and `first_walk` are `summary`'s of their official-test runs (the first walk's
    CNN's where any is recorded).
    """
    rows = [
        {"network": anchor.network, "test accuracy": anchor.accuracy_text(), "training": anchor.training, "source": "published"}
        for anchor in anchors.ANCHORS
    ]
    rows += [
        {"network": "the better CNN", "test accuracy": mean_text(better), "training": training_text(better), "source": "this book"},
        {
            "network": "the better CNN, flip-averaged",
            "test accuracy": f"{better['flip_mean']:.2f} ± {better['flip_sd']:.2f}",
            "training": "the same runs, each test image averaged with its mirror image",
            "source": "this book",
        },
    ]
    if first_walk is not None:
        rows.append({"network": "the first walk's CNN", "test accuracy": mean_text(first_walk), "training": training_text(first_walk), "source": "this book"})
    rows.append({"network": "the paper's model", "test accuracy": f"{paper_accuracy:.2f}", "training": "10 epochs, the paper's settings", "source": "this book"})
    return pd.DataFrame(rows).set_index("network")


def mean_text(runs: dict) -> str:
    """Return a model's mean test accuracy over its seeds with their standard deviation (the mean alone for one seed)."""
    return f"{runs['mean']:.2f}" if runs["seeds"] < 2 else f"{runs['mean']:.2f} ± {runs['sd']:.2f}"


def training_text(runs: dict) -> str:
    """Return how a model's official-test runs were trained: seeds, epochs, the longest training on 2 cores and how it was timed."""
    timed = TIMING_WORDS[runs["timing"]]
    seeds = "one seed" if runs["seeds"] < 2 else f"mean of {runs['seeds']} seeds"
    return f"{seeds}, {formatting.count(runs['epochs'], 'epoch')}, at most {runs['longest_minutes']:.1f} minutes on 2 cores, {timed}"


def first_walk_facts(first_walk: list[tuple[int, result_types.TestResult]], better: list[tuple[int, result_types.TestResult]]) -> dict:
    """Return the first walk's CNN's official-test runs set against the better CNN's, by glue name ((seed, result) of each run).

    The difference of the two means is judged by Welch's t-test over seeds, so each model
    keeps its own seed noise; with fewer than two seeds of either, it is not judged. Their
    training times are set side by side only where one processor kind took both.
    """
    if not first_walk:
        return {"first_walk_text": "The first walk's CNN has no official-test run recorded at these settings, so it is not set beside the better CNN here."}
    ours, theirs = seed_table(first_walk), seed_table(better)
    first_summary, better_summary = summary(ours), summary(theirs)
    kinds = {name: timing.processor_kind([result for _, result in runs]) for name, runs in (("first", first_walk), ("better", better))}
    text = (
        f"Trained as the better CNN is (both cores, oneDNN's kernels) on all 60,000 images, the first walk's CNN scores "
        f"{mean_text(first_summary)}% ({training_text(first_summary)}) and the better CNN {mean_text(better_summary)}% "
        f"({training_text(better_summary)})."
    )
    if kinds["first"] != kinds["better"]:
        first, other = (timing.short_kind(kinds[name]) for name in ("first", "better"))
        text += f" Their times come from two processor kinds ({first} and {other}), so they are not compared."
    if len(ours) < 2 or len(theirs) < 2:
        return {"first_walk_text": text + " With one seed of either, their difference is not judged against seed noise."}
    welch = significance.welch_difference(ours["test accuracy"], theirs["test accuracy"])
    difference = welch["difference"]
    judged = "an established difference" if welch["established"] else "not established over the seed noise"
    return {
        "first_walk_difference": difference,
        "first_walk_text": (
            f"{text} The first walk's CNN scores {abs(difference):.2f} points {'more' if difference > 0 else 'less'} "
            f"(95% interval {welch['low']:+.2f} to {welch['high']:+.2f}, Welch's t-test over seeds, {formatting.p_value(welch['p'])}): {judged}."
        ),
    }


def per_class_comparison(labels: np.ndarray, better_result: result_types.TestResult, paper_result: result_types.TestResult) -> pd.DataFrame:
    """Return each class's F1 (percent) for the better CNN and the paper's model, and how many of its images each misclassifies."""
    better = test_scores.per_class_scores(labels, better_result)
    paper = test_scores.per_class_scores(labels, paper_result)
    table = pd.DataFrame({"F1, better CNN": better["F1"], "F1, paper's model": paper["F1"], "F1 gain": better["F1"] - paper["F1"]})
    for name, result in (("better CNN", better_result), ("paper's model", paper_result)):
        matrix = test_scores.confusion(labels, result).to_numpy()
        missed = matrix.sum(axis=1) - np.diag(matrix)
        table[f"missed, {name}"] = [*missed, missed.sum()]
    return table.rename(index={"macro average": "all classes (F1: macro average)"})


def recomputation_text(rows: list[dict], recorded_on: str = "") -> str:
    """Return, in words, how this build's recomputation of a final run compares with its record (rows of `records.compare`).

    `recorded_on` names the processor that made the records, for a build that recomputed none.
    """
    tests = [row for row in rows if row["result"] == "test"]
    if not tests:
        made_on = f" (made on {formatting.with_article(recorded_on)})" if recorded_on else ""
        return (
            f"This build read every final run from its record{made_on}; none was recomputed here. The project's "
            "checks retrain the seed-0 run from nothing on the processor kind that recorded it, where the two must "
            "agree to the last digits."
        )
    row = tests[0]
    where = (
        "on the processor kind that recorded it, so the two should agree to the last digits"
        if row["same_processor"]
        else "on another processor kind than the one that recorded it, so its roundings differ and the two are separate draws"
    )
    return (
        f"This build retrained the seed-0 run from nothing, {where}: {row['recomputed']:.2f}% against the recorded "
        f"{row['recorded']:.2f}% ({row['difference']:+.2f} points)."
    )


def flip_averaging_text(better: dict, trained_on_mirrored_images: bool) -> str:
    """Return, in words, what averaging each test image with its mirror image did to the better CNN's score."""
    change = better["flip_mean"] - better["mean"]
    direction = "raises" if change > 0 else "lowers"
    text = f"Flip averaging {direction} the mean test accuracy by {abs(change):.2f} points."
    if trained_on_mirrored_images:
        return text
    return (
        f"{text} The better CNN never saw a mirrored image in training (the second walk dropped mirroring), and "
        "in Fashion-MNIST every shoe and bag points the same way, so a mirrored test image is one it has not learned."
    )


def final_facts(better: dict, paper_scores: dict, target_accuracy: float, stretch_accuracy: float, budget_minutes: float) -> dict:
    """Return the facts the page states about the final runs, by glue name (`better` is `summary`'s).

    The goal is met when the mean plain test accuracy over the seeds reaches
    `target_accuracy` and every seed's training stays within `budget_minutes`.
    """
    within_budget = better["longest_minutes"] <= budget_minutes
    met = better["mean"] >= target_accuracy and within_budget
    mean_errors = (1 - better["mean"] / PERCENT) * paper_scores["images"]
    return {
        "num_final_seeds": better["seeds"],
        "final_mean": better["mean"],
        "final_sd": better["sd"],
        "final_flip_mean": better["flip_mean"],
        "final_flip_sd": better["flip_sd"],
        "final_longest_minutes": better["longest_minutes"],
        "final_cpu": better["cpus"],
        "paper_accuracy": paper_scores["accuracy"],
        "error_reduction": PERCENT * (1 - mean_errors / paper_scores["errors"]),
        "target_accuracy": target_accuracy,
        "stretch_accuracy": stretch_accuracy,
        "target_gap": better["mean"] - target_accuracy,
        "target_met": "meets" if met else "does not meet",
        "budget_met": "within" if within_budget else "over",
    }


def more_time_text(longer: dict, kept_fold_accuracy: float, better: dict, target_accuracy: float) -> str:
    """Return, in words, whether the longer training suggests that more time alone would reach the goal.

    `longer` is `ablation_results.longer_training_facts`'s, `kept_fold_accuracy` the kept
    step's mean held-out accuracy on fold 1 and `better` `summary`'s of the final runs.
    """
    drop = kept_fold_accuracy - better["mean"]
    where = (
        f"The kept step scores {kept_fold_accuracy:.2f}% on fold 1 and {better['mean']:.2f}% on the test set, "
        f"{abs(drop):.2f} points {'lower' if drop >= 0 else 'higher'}. Trained {formatting.count(longer['longer_epochs'], 'epoch')} with mirrored and shifted images "
        f"({longer['longer_budgets']:.1f} times the budget), it reaches {longer['longer_accuracy']:.2f}% on fold 1"
    )
    if longer["longer_accuracy"] < target_accuracy:
        return (
            f"{where}, {target_accuracy - longer['longer_accuracy']:.2f} points short of the {target_accuracy:.1f}% goal "
            "even before any drop to the test set: more time alone would not meet the goal with this network."
        )
    return f"{where}, at or above the {target_accuracy:.1f}% goal: with more time, this network may meet it."
