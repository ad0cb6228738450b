"""The 10-minute budget's candidates read back: their fold-1 held-out accuracy over seeds, and the one that earns the budget.

It reads saved results and the screening benchmark's report only: `fmnist.budgets` says which
candidates there are and `fmnist.experiments.screening` trains them. Each candidate's gain is
over the first candidate, the model the budget had before the screening, with a 95% interval
from Welch's t-test over the seeds: each candidate keeps its own seed noise. At two seeds each
the interval is wide, so the screening chooses by the mean, and the chosen model's
official-test runs at three seeds then judge it against the earlier model's.
"""

from __future__ import annotations

import math
import statistics

import pandas as pd

from fmnist import PERCENT, SECONDS_PER_MINUTE, budgets
from fmnist.analysis import better_cnn_results, formatting, frontier_results, significance, timing
from fmnist.config import NUM_TRAIN_IMAGES

# The share of the budget an epoch count may fill at the quiet epoch time: the rest is margin
# for the epoch's spread on one machine (22 to 27 s seen within one quiet run of 24 s epochs).
FILLED_SHARE = 0.95


def held_out_scores(runs: list[budgets.ScreenedRun]) -> dict[str, list[float]]:
    """Return each candidate's held-out accuracies (percent) at its trained seeds, by name, in the candidates' order."""
    scores: dict[str, list[float]] = {candidate.name: [] for candidate in budgets.CANDIDATES}
    for run in runs:
        if run.result is not None:
            scores[run.candidate.name].append(run.result.held_out_accuracy * PERCENT)
    return scores


def gain_interval(scores: list[float], baseline: list[float]) -> tuple[float, float]:
    """Return the 95% interval of a mean gain over the baseline by Welch's t-test (nan unless both have two seeds or more)."""
    if min(len(scores), len(baseline)) < 2:
        return math.nan, math.nan
    welch = significance.welch_difference(scores, baseline)
    return welch["low"], welch["high"]


def full_training_minutes(runs: list[budgets.ScreenedRun], name: str) -> float:
    """Return a candidate's mean fold-1 training minutes scaled to all 60,000 images (nan before any run)."""
    seconds = [run.result.wall_seconds * NUM_TRAIN_IMAGES / run.result.num_train for run in runs if run.candidate.name == name and run.result is not None]
    return statistics.fmean(seconds) / SECONDS_PER_MINUTE if seconds else math.nan


def quiet_minutes(report: dict) -> dict[str, float]:
    """Return each candidate's quiet minutes for its epochs on all 60,000 images, from the screening benchmark's epoch times."""
    return {candidate.name: frontier_results.quiet_minutes(candidate.name, candidate.epochs, report) for candidate in budgets.CANDIDATES}


def screening_table(runs: list[budgets.ScreenedRun], report: dict) -> pd.DataFrame:
    """Return one row per candidate: epochs, quiet minutes, minutes as timed and their load, seeds trained, held-out accuracy (mean and per seed) and gain over the first candidate with its interval."""
    scores = held_out_scores(runs)
    trained = {candidate.name: [run.result for run in runs if run.candidate == candidate and run.result is not None] for candidate in budgets.CANDIDATES}
    baseline = scores[budgets.CANDIDATES[0].name]
    minutes = quiet_minutes(report)
    rows = []
    for candidate in budgets.CANDIDATES:
        mine = scores[candidate.name]
        is_baseline = candidate is budgets.CANDIDATES[0]
        low, high = (math.nan, math.nan) if is_baseline else gain_interval(mine, baseline)
        rows.append(
            {
                "candidate": candidate.name,
                "epochs": candidate.epochs,
                "quiet minutes": minutes[candidate.name],
                "minutes as timed": full_training_minutes(runs, candidate.name),
                "timing": timing.run_state(trained[candidate.name]) if trained[candidate.name] else "-",
                "seeds trained": f"{len(mine)} of {len(budgets.SCREENING_SEEDS)}",
                "held-out accuracy": statistics.fmean(mine) if mine else math.nan,
                "each seed": ", ".join(f"{score:.2f}" for score in mine) or "not trained yet",
                "gain": math.nan if is_baseline or not mine or not baseline else statistics.fmean(mine) - statistics.fmean(baseline),
                "gain interval": "" if math.isnan(low) else f"{low:+.2f} to {high:+.2f}",
            }
        )
    return pd.DataFrame(rows).set_index("candidate")


def chosen(scores: dict[str, list[float]]) -> str | None:
    """Return the candidate with the highest mean held-out accuracy (`held_out_scores`) once every candidate has all its seeds, else None."""
    if any(len(accuracies) < len(budgets.SCREENING_SEEDS) for accuracies in scores.values()):
        return None
    return max(scores, key=lambda name: statistics.fmean(scores[name]))


def fits_budget(epochs: int, seconds_per_epoch: float) -> bool:
    """Return whether so many epochs of a quiet epoch fill at most FILLED_SHARE of the budget."""
    return epochs * seconds_per_epoch <= FILLED_SHARE * budgets.SCREENING_BUDGET_MINUTES * SECONDS_PER_MINUTE


def outcome_text(winner: str | None, runs: list[budgets.FrontierRun]) -> str:
    """Return, in words, what the screening changed: whether the budget's model is the chosen one, and how the two compare on the official test set.

    `runs` are the frontier's (`fmnist.experiments.frontier.frontier_runs`): the budget's runs
    and those of its model before the screening. The two models' difference is judged by
    Welch's t-test over seeds, each model keeping its own noise.
    """
    earlier = budgets.CANDIDATES[0].name
    budget_model = budgets.budget_named(budgets.SCREENING_BUDGET_MINUTES).model
    if winner is None:
        return f"Until then the budget keeps {earlier}."
    if winner == earlier:
        return f"No candidate beat {earlier} on fold 1, so it keeps the budget."
    if budget_model != winner:
        return f"{formatting.sentence_start(winner)} is to train on all images at the budget's seeds; until its official-test runs are recorded, the budget keeps {budget_model}."
    places = {winner: f"{budgets.SCREENING_BUDGET_MINUTES} minutes", earlier: budgets.BEFORE_SCREENING}
    scores = {
        name: [run.result.test_accuracy * PERCENT for run in runs if run.model == name and run.budget_name == place and run.result is not None]
        for name, place in places.items()
    }
    said = (
        f"{formatting.sentence_start(winner)} is now the budget's model. On the official test set it scored "
        f"{mean_text(scores[winner])}% over {formatting.count(len(scores[winner]), 'seed')}, "
        f"against {mean_text(scores[earlier])}% for {earlier} over {formatting.count(len(scores[earlier]), 'seed')}"
    )
    if min(len(scores[winner]), len(scores[earlier])) < 2:
        return f"{said}; with one seed of either, the difference is not judged against seed noise."
    welch = significance.welch_difference(scores[winner], scores[earlier])
    judged = "an established gain" if welch["established"] else "not established over the seed noise"
    return (
        f"{said}: {welch['difference']:+.2f} points, 95% interval {welch['low']:+.2f} to {welch['high']:+.2f} "
        f"(Welch's t-test over seeds, {formatting.p_value(welch['p'])}), {judged}."
    )


def mean_text(scores: list[float]) -> str:
    """Return a mean of seeds with their standard deviation in points (the mean alone for one seed), as `better_cnn_results.mean_text` writes it."""
    spread = statistics.stdev(scores) if len(scores) > 1 else math.nan
    return better_cnn_results.mean_text({"seeds": len(scores), "mean": statistics.fmean(scores), "sd": spread})


def page_facts(runs: list[budgets.ScreenedRun], frontier_runs: list[budgets.FrontierRun]) -> dict:
    """Return the facts the frontier page states about the screening, by glue name (`frontier_runs` hold the official-test runs that judge its choice)."""
    winner = chosen(held_out_scores(runs))
    return {
        "screening_seeds": formatting.listing([str(seed) for seed in budgets.SCREENING_SEEDS]),
        "screening_chosen": winner or "not known until every candidate has all its seeds",
        "screening_outcome": outcome_text(winner, frontier_runs),
        "screening_filled_percent": FILLED_SHARE * PERCENT,
    }
