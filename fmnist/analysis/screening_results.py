"""The 10-minute budget's candidates read back: their fold-1 held-out accuracy over seeds, and the one that earns the budget.

It reads saved results and the screening benchmark's report only; `fmnist.experiments.screening`
says which runs they are and trains them. Each candidate's gain is over the first candidate,
the model the budget had before the screening, with a 95% interval from Welch's t-test over
the seeds: each candidate keeps its own seed noise. At two seeds each the interval is wide, so
the screening chooses by the mean, and the chosen model's official-test runs at three seeds
then judge it against the earlier model's.
"""

from __future__ import annotations

import math
import statistics

import pandas as pd
import scipy.stats

from fmnist import PERCENT, SECONDS_PER_MINUTE
from fmnist.analysis import formatting
from fmnist.experiments import better_cnn, screening

# The budget the candidates compete for, in minutes, and the share of it an epoch count may fill
# at the quiet epoch time: the rest is margin for the epoch's spread on one machine (22 to 27 s
# seen within one quiet run of 24 s epochs).
BUDGET_MINUTES = 10
FILLED_SHARE = 0.95


def held_out_scores(runs: list[screening.ScreenedRun]) -> dict[str, list[float]]:
    """Return each candidate's held-out accuracies (percent) at its trained seeds, by name, in the candidates' order."""
    scores: dict[str, list[float]] = {candidate.name: [] for candidate in screening.CANDIDATES}
    for run in runs:
        if run.result is not None:
            scores[run.candidate.name].append(run.result.held_out_accuracy * PERCENT)
    return scores


def gain_interval(scores: list[float], baseline: list[float]) -> tuple[float, float]:
    """Return the 95% interval of a mean gain over the baseline by Welch's t-test (nan unless both have two seeds or more)."""
    if min(len(scores), len(baseline)) < 2:
        return math.nan, math.nan
    low, high = scipy.stats.ttest_ind(scores, baseline, equal_var=False).confidence_interval(0.95)
    return float(low), float(high)


def full_training_minutes(runs: list[screening.ScreenedRun], name: str) -> float:
    """Return a candidate's mean fold-1 training minutes scaled to all 60,000 images (nan before any run)."""
    seconds = [run.result.wall_seconds for run in runs if run.candidate.name == name and run.result is not None]
    return statistics.fmean(seconds) * better_cnn.FULL_TRAINING_SCALE / SECONDS_PER_MINUTE if seconds else math.nan


def quiet_minutes(report: dict) -> dict[str, float]:
    """Return each candidate's quiet minutes for its epochs on all 60,000 images, from the screening benchmark's epoch times."""
    seconds = {model["model"]: model["seconds_per_epoch"] for model in report["models"]}
    return {candidate.name: candidate.epochs * seconds[candidate.name] / SECONDS_PER_MINUTE for candidate in screening.CANDIDATES}


def screening_table(runs: list[screening.ScreenedRun], report: dict) -> pd.DataFrame:
    """Return one row per candidate: epochs, quiet minutes, seeds trained, held-out accuracy (mean and per seed) and gain over the first candidate with its interval."""
    scores = held_out_scores(runs)
    baseline = scores[screening.CANDIDATES[0].name]
    minutes = quiet_minutes(report)
    rows = []
    for candidate in screening.CANDIDATES:
        mine = scores[candidate.name]
        is_baseline = candidate is screening.CANDIDATES[0]
        low, high = (math.nan, math.nan) if is_baseline else gain_interval(mine, baseline)
        rows.append(
            {
                "candidate": candidate.name,
                "epochs": candidate.epochs,
                "quiet minutes": minutes[candidate.name],
                "minutes as timed": full_training_minutes(runs, candidate.name),
                "seeds trained": f"{len(mine)} of {len(screening.SEEDS)}",
                "held-out accuracy": statistics.fmean(mine) if mine else math.nan,
                "each seed": ", ".join(f"{score:.2f}" for score in mine) or "not trained yet",
                "gain": math.nan if is_baseline or not mine or not baseline else statistics.fmean(mine) - statistics.fmean(baseline),
                "gain interval": "" if math.isnan(low) else f"{low:+.2f} to {high:+.2f}",
            }
        )
    return pd.DataFrame(rows).set_index("candidate")


def chosen(table: pd.DataFrame) -> str | None:
    """Return the candidate with the highest mean held-out accuracy once every candidate has all its seeds, else None."""
    if (table["seeds trained"] != f"{len(screening.SEEDS)} of {len(screening.SEEDS)}").any():
        return None
    return str(table["held-out accuracy"].idxmax())


def fits_budget(epochs: int, seconds_per_epoch: float) -> bool:
    """Return whether so many epochs of a quiet epoch fill at most FILLED_SHARE of the budget."""
    return epochs * seconds_per_epoch <= FILLED_SHARE * BUDGET_MINUTES * SECONDS_PER_MINUTE


def page_facts(runs: list[screening.ScreenedRun], report: dict) -> dict:
    """Return the facts the frontier page states about the screening, by glue name."""
    table = screening_table(runs, report)
    winner = chosen(table)
    return {
        "screening_seeds": formatting.listing([str(seed) for seed in screening.SEEDS]),
        "screening_chosen": winner or "not known until every candidate has all its seeds",
        "screening_filled_percent": FILLED_SHARE * PERCENT,
    }
