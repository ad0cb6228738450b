"""The budget frontier's runs read back: what 10, 30 and 60 minutes of training buy, beside published networks.

It reads saved results and the frontier benchmark's report only: `fmnist.budgets` says which
runs they are and `fmnist.experiments.frontier` trains them. A budget's minutes are its
epochs times the quiet epoch time that `benchmarks/frontier_speed.py` measured, so that a
run timed under load still has its place on the frontier; the time each run took is shown
beside it, with its load. The plain score and the flip-averaged one (test-time
augmentation) are kept apart.
"""

from __future__ import annotations

import math

import pandas as pd

from fmnist import PERCENT, SECONDS_PER_MINUTE, anchors, budgets
from fmnist.analysis import better_cnn_results, formatting, significance, timing

# A mean accuracy in percent is compared with a target at this many decimals: a mean of
# seeds is a multiple of 1/30 of a point, far coarser, so only float error is rounded off.
ROUNDING_DIGITS = 6
RUN_COLUMNS = ["budget", "model", "seed", "epochs", "test accuracy", "with flip averaging", "training minutes", "timing", "processor"]


def report_state(report: dict) -> str:
    """Return whether the frontier benchmark ran on a quiet machine: quiet only if the load was that of its own training, before and after."""
    cores = report["machine"]["cores"]
    averages = [report["machine"][moment]["load_average"] for moment in ("load_before", "load_after")]
    return timing.QUIET if all(timing.quiet_load(average, cores) for average in averages) else timing.UNDER_LOAD


def with_screened_models(report: dict, screening_report: dict) -> dict:
    """Return the frontier benchmark's report with each budget's model it did not time taken from the screening benchmark's report.

    The screening chose the 10-minute budget's model after the frontier benchmark ran; the
    same script (`benchmarks/frontier_speed.py --screening`) timed it the same way, on the same
    processor kind. Each model taken over says so (`timed_by`).
    """
    timed = {model["model"] for model in report["models"]}
    needed = {budget.model for budget in budgets.BUDGETS} - timed
    taken = [{**model, "timed_by": "screening"} for model in screening_report["models"] if model["model"] in needed]
    return {**report, "models": report["models"] + taken, "screening_date": screening_report["machine"]["date"]}


def epoch_seconds(report: dict) -> dict[str, float]:
    """Return each frontier model's quiet seconds per epoch on all 60,000 training images, from the benchmark's report."""
    return {model["model"]: model["seconds_per_epoch"] for model in report["models"]}


def quiet_minutes(model: str, epochs: int, report: dict) -> float:
    """Return how many minutes a model's training of `epochs` takes on a quiet machine, from the benchmark's epoch time."""
    return epochs * epoch_seconds(report)[model] / SECONDS_PER_MINUTE


def runs_table(runs: list[budgets.FrontierRun]) -> pd.DataFrame:
    """Return one row per trained run: its budget, model, seed, epochs, plain and flip-averaged test accuracy, minutes as timed, load and processor."""
    rows = [
        {
            "budget": run.budget_name,
            "model": run.model,
            "seed": run.config.seed,
            "epochs": run.config.epochs,
            "test accuracy": run.result.test_accuracy * PERCENT,
            "with flip averaging": (run.result.test_accuracy_flip_averaged or math.nan) * PERCENT,
            "training minutes": run.result.training_seconds / SECONDS_PER_MINUTE,
            "timing": timing.load_state(run.result),
            "processor": timing.short_kind(run.result.provenance.kind),
        }
        for run in runs
        if run.result is not None
    ]
    return pd.DataFrame(rows, columns=RUN_COLUMNS)


def budget_summaries(runs: list[budgets.FrontierRun]) -> dict[str, dict | None]:
    """Return each budget's summary over its trained seeds (`better_cnn_results.summary`), None where none is trained yet."""
    return {
        budget.name: better_cnn_results.summary(
            better_cnn_results.seed_table([(run.config.seed, run.result) for run in runs if run.budget == budget and run.result is not None])
        )
        for budget in budgets.BUDGETS
    }


def target_text(budget: budgets.Budget) -> str:
    """Return a budget's target in words ("none set" where it has none)."""
    if budget.target is None:
        return "none set (one seed draws the curve)"
    flip = f"; {budget.target_flip_averaged:.1f} with flip averaging" if budget.target_flip_averaged is not None else ""
    return f"{budget.target:.1f}{flip}"


def reaches(accuracy: float, target: float) -> bool:
    """Return whether a mean accuracy in percent reaches a target, rounding off float error (94.3 must reach 94.3)."""
    return round(accuracy, ROUNDING_DIGITS) >= target


def target_verdict(budget: budgets.Budget, summary: dict | None) -> str:
    """Return whether a budget's model meets its target over all its seeds, or why that is not known yet."""
    if budget.target is None:
        return "no target"
    trained = summary["seeds"] if summary else 0
    if trained < len(budget.seeds):
        return f"not yet known: {trained} of {len(budget.seeds)} seeds trained"
    met = reaches(summary["mean"], budget.target)
    if budget.target_flip_averaged is not None:
        met = met and reaches(summary["flip_mean"], budget.target_flip_averaged)
    return "met" if met else "not met"


def budget_table(runs: list[budgets.FrontierRun], report: dict) -> pd.DataFrame:
    """Return one row per budget: its model, parameters, epochs, seeds trained, quiet minutes, plain and flip-averaged test accuracy, its target and the processor."""
    summaries = budget_summaries(runs)
    rows = []
    for budget in budgets.BUDGETS:
        summary = summaries[budget.name]
        trained = [run for run in runs if run.budget == budget and run.result is not None]
        minutes = quiet_minutes(budget.model, budget.epochs, report)
        rows.append(
            {
                "budget": budget.name,
                "model": budget.model,
                "parameters": trained[0].result.num_parameters if trained else math.nan,
                "epochs": budget.epochs,
                "seeds trained": f"{len(trained)} of {len(budget.seeds)}",
                "quiet minutes": minutes,
                "within the budget": formatting.yes_no(minutes <= budget.minutes),
                "test accuracy": better_cnn_results.mean_text(summary) if summary else "not trained yet",
                "with flip averaging": flip_text(summary),
                "target": target_text(budget),
                "target met": target_verdict(budget, summary),
                "processor": "; ".join(sorted({timing.short_kind(run.result.provenance.kind) for run in trained})) or "none yet",
            }
        )
    return pd.DataFrame(rows).set_index("budget")


def budget_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return `budget_table` on its side for the page: one column per budget, one row per quantity."""
    formats = {
        "parameters": lambda value: "-" if math.isnan(value) else f"{value:,.0f}",
        "epochs": "{:d}",
        "quiet minutes": "{:.1f}",
    }
    return formatting.as_rows(table, formats)


def flip_text(summary: dict | None) -> str:
    """Return the flip-averaged mean (± seed sd) of a budget's runs, or that there is none."""
    if not summary:
        return "not trained yet"
    return better_cnn_results.mean_text({"seeds": summary["seeds"], "mean": summary["flip_mean"], "sd": summary["flip_sd"]})


def anchor_table() -> pd.DataFrame:
    """Return the published networks the frontier is set against: parameters, training, epochs, hardware, test accuracy and source."""
    rows = [
        {
            "network": anchor.network,
            "parameters": anchor.parameters,
            "training": anchor.training,
            "epochs": anchor.epochs,
            "hardware": anchor.hardware,
            "test accuracy": anchor.accuracy_text(),
            "source": anchor.source,
        }
        for anchor in anchors.TIMED_ANCHORS
    ]
    return pd.DataFrame(rows).set_index("network")


def gain_text(runs: list[budgets.FrontierRun], longer: budgets.Budget, shorter: budgets.Budget) -> str:
    """Return, in words, what the longer budget buys over the shorter one: the difference of their mean test accuracies, judged over seeds where both have two or more.

    Each budget keeps its own seed noise (Welch's t-test); with one seed of either, the
    difference is given without an interval, since one run has no noise of its own to judge it by.
    """
    scores = {
        budget: [run.result.test_accuracy * PERCENT for run in runs if run.budget == budget and run.result is not None] for budget in (longer, shorter)
    }
    if not scores[longer] or not scores[shorter]:
        missing = longer if not scores[longer] else shorter
        return f"The {missing.minutes}-minute budget has no run yet, so what {longer.name} buy over {shorter.name} is not known."
    difference = sum(scores[longer]) / len(scores[longer]) - sum(scores[shorter]) / len(scores[shorter])
    said = f"{longer.name.capitalize()} buy {difference:+.2f} points over {shorter.name}"
    counts = f"({formatting.count(len(scores[longer]), 'seed')} against {formatting.count(len(scores[shorter]), 'seed')})"
    if min(len(scores[longer]), len(scores[shorter])) < 2:
        return f"{said} {counts}; with one seed of either, the difference is not judged against seed noise."
    welch = significance.welch_difference(scores[longer], scores[shorter])
    judged = "an established gain" if welch["established"] else "not established over the seed noise"
    return f"{said} {counts}: 95% interval {welch['low']:+.2f} to {welch['high']:+.2f}, Welch's t-test over seeds, {formatting.p_value(welch['p'])}; {judged}."


def compared_budgets() -> list[tuple[budgets.Budget, budgets.Budget]]:
    """Return the pairs of budgets whose difference the page gives: each budget and the next, then the shortest and the longest.

    The middle budget has one seed, so the shortest and the longest, which have several
    each, are the pair that can be judged against seed noise.
    """
    pairs = list(zip(budgets.BUDGETS, budgets.BUDGETS[1:]))
    if len(budgets.BUDGETS) > 2:
        pairs.append((budgets.BUDGETS[0], budgets.BUDGETS[-1]))
    return pairs


def page_facts(runs: list[budgets.FrontierRun], report: dict) -> dict:
    """Return the facts the frontier page states, by glue name."""
    summaries = budget_summaries(runs)
    facts: dict[str, object] = {
        "speed_cpu": formatting.with_article(report["machine"]["cpu"]),
        "speed_kind": timing.short_kind(report["machine"]["cpu_kind"]),
        "speed_state": better_cnn_results.TIMING_WORDS[report_state(report)],
        "speed_date": formatting.minute_of(report["machine"]["date"]),
        "quiet_other_cores": timing.OTHER_WORK_MARGIN,
        "run_kinds": formatting.listing(sorted({timing.short_kind(run.result.provenance.kind) for run in runs if run.result is not None})),
    }
    for model, seconds in epoch_seconds(report).items():
        facts[f"epoch_seconds_{model_key(model)}"] = seconds
    facts["screened_timing_text"] = screened_timing_text(report)
    for budget in budgets.BUDGETS:
        summary = summaries[budget.name]
        key = f"budget_{budget.minutes}"
        facts[f"{key}_epochs"] = budget.epochs
        facts[f"{key}_minutes"] = quiet_minutes(budget.model, budget.epochs, report)
        facts[f"{key}_text"] = budget_text(budget, summary)
        facts[f"{key}_verdict"] = target_verdict(budget, summary)
    facts["gains_text"] = " ".join(gain_text(runs, longer, shorter) for shorter, longer in compared_budgets())
    return facts


def screened_timing_text(report: dict) -> str:
    """Return, in words, which budgets' models the screening benchmark timed (`with_screened_models`), or nothing where none."""
    taken = [model for model in report["models"] if model.get("timed_by") == "screening"]
    if not taken:
        return ""
    said = "; ".join(f"{model['model']}, {model['seconds_per_epoch']:.1f} s" for model in taken)
    return (
        f"The screening below chose the 10-minute budget's model after that, and the same benchmark timed "
        f"the candidates the same way on {formatting.minute_of(report['screening_date'])}: {said} an epoch."
    )


def model_key(model: str) -> str:
    """Return a frontier model's short name for glue keys ("first_walk", "augmented")."""
    return {budgets.FIRST_WALK_CNN: "first_walk", budgets.SECOND_WALK_CNN: "second_walk", budgets.AUGMENTED_CNN: "augmented"}[model]


def budget_text(budget: budgets.Budget, summary: dict | None) -> str:
    """Return one budget's result in words: its model's plain and flip-averaged test accuracy over its trained seeds."""
    if summary is None:
        return f"{budget.name.capitalize()}: {budget.model}, {budget.epochs} epochs, not trained yet."
    trained, planned = summary["seeds"], len(budget.seeds)
    seeds = ("over " if trained > 1 else "at ") + formatting.count(trained, "seed")
    so_far = f" ({trained} of the {planned} planned so far)" if trained < planned else ""
    return (
        f"{budget.name.capitalize()}: {budget.model}, {budget.epochs} epochs, {better_cnn_results.mean_text(summary)}% "
        f"({flip_text(summary)}% with flip averaging) {seeds}{so_far}."
    )
