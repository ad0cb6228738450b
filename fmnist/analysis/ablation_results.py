"""The better CNN's ablation as a table: each step's accuracy, its gain, whether it was kept and its cost.

It reads the steps' saved fold results only (`fmnist.experiments.better_cnn` walks the
choices); a gain is judged against the seed noise of two single runs on one fold (`fmnist.analysis.noise`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from fmnist import PERCENT, SECONDS_PER_MINUTE
from fmnist.analysis import formatting, significance, timing
from fmnist.store import result_types
from fmnist.config import CVConfig


def ablation_table(steps: list, noise_floor: float | None = None) -> pd.DataFrame:
    """Return each ablation step's accuracy, its gain over the best step before it, whether it was kept, and its cost.

    `steps` are `fmnist.experiments.better_cnn.Step`s, in the order they were tried. With `noise_floor`,
    the smallest difference of two single runs on the fold that stands out from seed noise
    (`fmnist.analysis.noise.fold_noise_floor`), the column "above noise" says whether a gain reaches it. The
    "source" column says where each result came from ("computed" or "recorded").
    """
    rows = []
    best = None
    for step in steps:
        accuracy = step.result.held_out_accuracy * PERCENT
        gain = float("nan") if best is None else accuracy - best
        row = {
            "step": step.name,
            "parameters": step.result.num_parameters,
            "train accuracy": step.result.train_accuracy * PERCENT,
            "held-out accuracy": accuracy,
            "gain": gain,
            "kept": step.kept,
            "round": step.round,
            "training minutes": step.result.wall_seconds / SECONDS_PER_MINUTE,
            "timed on": step.result.provenance.cpu,
            "timing": timing.load_state(step.result),
            "source": step.result.source,
        }
        if noise_floor is not None:
            # The first step has no gain to judge.
            row["above noise"] = None if best is None else bool(gain >= noise_floor)
        rows.append(row)
        if step.kept:
            best = accuracy
    return pd.DataFrame(rows).set_index("step")


def ladder_table(steps: list) -> pd.DataFrame:
    """Return each ladder step's held-out accuracy over its seeds (mean, spread), its gain, its flip-averaged score and cost.

    `steps` are `fmnist.experiments.better_cnn.LadderStep`s. The gain is over the last
    kept step before it, with its 95% interval from the seed standard deviation pooled
    over all the steps (`pooled_seed_sd`); "flip-averaged" is the mean held-out accuracy
    with flip test-time augmentation, a score of its own.
    """
    rows = []
    best = None
    sd, df = pooled_seed_sd(steps)
    for step in steps:
        accuracies = step_accuracies(step)
        means = seed_averages(step.results)
        row = {
            "step": step.name,
            "parameters": step.results[0].num_parameters,
            "seeds": len(accuracies),
            "held-out accuracy": means["held-out accuracy"],
            "seed sd": float(np.std(accuracies, ddof=1)) if len(accuracies) > 1 else float("nan"),
            **gain_columns(accuracies, best, sd, df),
            "flip-averaged": means["flip-averaged"],
            "kept": step.kept,
            "training minutes": means["training minutes"],
            "timed on": means["timed on"],
            "timing": timing.run_state(step.results),
            "source": ", ".join(sorted({result.source for result in step.results})),
        }
        rows.append(row)
        if step.kept:
            best = accuracies
    return pd.DataFrame(rows).set_index("step")


def seeded_table(steps: list) -> pd.DataFrame:
    """Return the first walk's kept steps over their seeds: mean, spread, gain over the kept step before with its 95% interval, and whether that interval lies above zero.

    `steps` are `fmnist.experiments.better_cnn.seeded_steps`'s; the interval comes from the
    seed standard deviation pooled over these steps (the models the gains compare), as on
    the second walk. A gain "holds over seeds" when its whole interval lies above zero.
    """
    table = ladder_table(steps).drop(columns=["flip-averaged", "kept"])
    sd, df = pooled_seed_sd(steps)
    holds = [None]
    for previous, step in zip(steps, steps[1:]):
        low, _ = gain_interval(step_accuracies(step), step_accuracies(previous), sd, df)
        holds.append(bool(low > 0))
    table.insert(table.columns.get_loc("gain interval") + 1, "holds over seeds", holds)
    return table


def seeded_facts(steps: list, table: pd.DataFrame) -> dict:
    """Return the facts the page states about the first walk's kept steps over seeds, by glue name (`table` is `seeded_table`'s)."""
    sd, df = pooled_seed_sd(steps)
    judged = table.iloc[1:]
    return {
        "walk_seed_count": len(steps[0].results) if steps else 0,
        "walk_sd": sd,
        "walk_df": df,
        "walk_holding": formatting.listing([name.removeprefix("+ ") for name in judged.index[judged["holds over seeds"].astype(bool)]]) or "none",
        "walk_not_holding": formatting.listing([name.removeprefix("+ ") for name in judged.index[~judged["holds over seeds"].astype(bool)]]) or "none",
    }


# How the walks' tables show each column on the page.
PAGE_FORMATS = {
    "parameters": "{:,}",
    "seeds": "{:d}",
    "epochs": "{:d}",
    "train accuracy": "{:.2f}",
    "held-out accuracy": "{:.2f}",
    "seed sd": "{:.2f}",
    "gain": "{:+.2f}",
    "flip-averaged": "{:.2f}",
    "training minutes": "{:.1f}",
    "minutes on all images": "{:.1f}",
    "above noise": formatting.yes_no_or_dash,
    "holds over seeds": formatting.yes_no_or_dash,
    "kept": formatting.yes_no,
    "within budget": formatting.yes_no,
}


def for_page(table: pd.DataFrame) -> tuple:
    """Return a walk's table styled for the page, its run columns said once, and the phrase that says them (for the caption)."""
    shown, runs = formatting.split_runs(table)
    return formatting.styled(shown, PAGE_FORMATS, na_rep="-"), runs


def seed_averages(results: list[result_types.FoldResult]) -> dict:
    """Return a training's held-out and flip-averaged accuracy (percent) and minutes, averaged over its seeds' results, and its processor."""
    flipped = [result.held_out_accuracy_flip_averaged for result in results]
    return {
        "held-out accuracy": float(np.mean([result.held_out_accuracy for result in results])) * PERCENT,
        "flip-averaged": float(np.mean(flipped)) * PERCENT if None not in flipped else float("nan"),
        "training minutes": float(np.mean([result.wall_seconds for result in results])) / SECONDS_PER_MINUTE,
        "timed on": results[0].provenance.cpu,
    }


def gain_columns(accuracies: list[float], baseline: list[float] | None, sd: float, df: int) -> dict:
    """Return the gain of a mean of seeds over a baseline's and its 95% interval as text (blank without a baseline)."""
    if baseline is None:
        return {"gain": float("nan"), "gain interval": ""}
    return {
        "gain": float(np.mean(accuracies) - np.mean(baseline)),
        "gain interval": interval_text(gain_interval(accuracies, baseline, sd, df)),
    }


def ladder_facts(steps: list, table: pd.DataFrame) -> dict:
    """Return the facts the page states about the ladder, by glue name (`table` is `ladder_table`'s)."""
    sd, df = pooled_seed_sd(steps)
    later = table.iloc[1:]
    return {
        "ladder_sd": sd,
        "ladder_df": df,
        "ladder_first": float(table["held-out accuracy"].iloc[0]),
        "ladder_best": float(table.loc[table["kept"], "held-out accuracy"].iloc[-1]),
        "ladder_kept": formatting.listing([name.removeprefix("+ ") for name in later.index[later["kept"]]]),
        "ladder_dropped": formatting.listing([name.removeprefix("+ ") for name in later.index[~later["kept"]]]),
    }


def step_accuracies(step) -> list[float]:
    """Return a ladder step's held-out accuracy at each seed, in percent."""
    return [result.held_out_accuracy * PERCENT for result in step.results]


def pooled_seed_sd(steps: list) -> tuple[float, int]:
    """Return the seed standard deviation of the held-out accuracy pooled over the steps, and its degrees of freedom."""
    return significance.pooled_sd(step_accuracies(step) for step in steps)


def gain_interval(accuracies: list[float], baseline: list[float], sd: float, df: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the 95% interval of the difference of two means of seeds, from a pooled seed sd (nan where there is none)."""
    difference = float(np.mean(accuracies) - np.mean(baseline))
    return significance.t_interval_about(difference, sd, df, math.sqrt(1 / len(accuracies) + 1 / len(baseline)), confidence)


def interval_text(interval: tuple[float, float]) -> str:
    """Return a difference's 95% interval as text, in points."""
    low, high = interval
    return "" if np.isnan(low) else f"{low:+.2f} to {high:+.2f}"


def longer_training_table(
    steps: list, longer_config: CVConfig, longer: result_types.FoldResult, budget_minutes: float, full_training_scale: float
) -> pd.DataFrame:
    """Return the last step the ladder kept beside the same CNN trained longer with mirrored and shifted images.

    `steps` are the ladder's steps, `longer_config` and `longer` the longer training's config
    and fold result. Each row has its held-out accuracy (mean over its seeds), the longer
    training's gain over the kept step with a 95% interval from the ladder's pooled seed
    noise, the flip-averaged score, the training minutes, those minutes scaled to all
    training images (`full_training_scale`) and whether they fit `budget_minutes`.
    """
    kept = [step for step in steps if step.kept][-1]
    sd, df = pooled_seed_sd(steps)
    trainings = [
        (f"last kept step, {formatting.count(kept.config.epochs, 'epoch')}", kept.config.epochs, list(kept.results), None),
        (f"+ mirror and shift, {formatting.count(longer_config.epochs, 'epoch')}", longer_config.epochs, [longer], step_accuracies(kept)),
    ]
    rows = []
    for name, epochs, results, baseline in trainings:
        means = seed_averages(results)
        accuracies = [result.held_out_accuracy * PERCENT for result in results]
        rows.append(
            {
                "training": name,
                "epochs": epochs,
                "seeds": len(results),
                "held-out accuracy": means["held-out accuracy"],
                **gain_columns(accuracies, baseline, sd, df),
                "flip-averaged": means["flip-averaged"],
                "training minutes": means["training minutes"],
                "minutes on all images": means["training minutes"] * full_training_scale,
                "within budget": means["training minutes"] * full_training_scale <= budget_minutes,
                "timed on": means["timed on"],
                "timing": timing.run_state(results),
            }
        )
    return pd.DataFrame(rows).set_index("training")


def longer_training_facts(table: pd.DataFrame, budget_minutes: float) -> dict:
    """Return the facts the page states about the longer training, by glue name (`table` is `longer_training_table`'s)."""
    longer = table.iloc[-1]
    return {
        "longer_epochs": int(longer["epochs"]),
        "longer_accuracy": float(longer["held-out accuracy"]),
        "longer_gain": float(longer["gain"]),
        "longer_interval": longer["gain interval"],
        "longer_flip": float(longer["flip-averaged"]),
        "longer_minutes": float(longer["minutes on all images"]),
        "longer_budgets": float(longer["minutes on all images"]) / budget_minutes,
        "longer_cpu": formatting.with_article(longer["timed on"]),
    }


def page_facts(table: pd.DataFrame, kept: list[str], dropped: list[str]) -> dict:
    """Return the facts the better-CNN page states about its ablation, by glue name.

    `table` is `ablation_table`'s; `kept` and `dropped` name the choices the ablation kept
    and never kept (`fmnist.experiments.better_cnn.kept_choices` and `dropped_choices`).
    """
    largest = table["gain"].idxmax()
    sources = table["source"] if "source" in table.columns else pd.Series(dtype=object)
    return {
        "num_recorded_steps": int((sources == "recorded").sum()),
        "ablation_first": float(table["held-out accuracy"].iloc[0]),
        "ablation_best": float(table.loc[table["kept"], "held-out accuracy"].iloc[-1]),
        "kept_choices": ", ".join(kept) or "none",
        "dropped_choices": ", ".join(dropped) or "none",
        "largest_step": largest,
        "largest_step_gain": float(table.loc[largest, "gain"]),
    }


def published_baseline_text(table: pd.DataFrame, fold_noise: dict) -> str:
    """Return the ablation's gain against the paper's model as published (its own epochs), not its first step."""
    first = float(table["held-out accuracy"].iloc[0])
    best = float(table.loc[table["kept"], "held-out accuracy"].iloc[-1])
    if fold_noise.get("mean") is None:
        return f"The ablation starts from the paper's model trained as long as the steps, at {first:.2f}% on this fold."
    return (
        f"The ablation starts from the paper's model trained as long as the steps ({first:.2f}% on fold "
        f"{fold_noise['fold']}); at the paper's own {formatting.count(fold_noise['epochs'], 'epoch')} that fold scores {fold_noise['mean']:.2f}% on average "
        f"over {formatting.count(fold_noise['seeds'], 'seed')} (the noise study), so against the paper's model as published the kept "
        f"choices gain {best - fold_noise['mean']:+.2f} points, not {best - first:+.2f}."
    )
