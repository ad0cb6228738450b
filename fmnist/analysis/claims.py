"""A verdict on each of the paper's claims, computed from the numbers the pages show.

The book's first page sets each claim of the paper beside what we found, as ReScience
reports do: reproduced, partly reproduced, not reproduced, or not tested. Each function
here decides one claim from the numbers that decide it and says why in one sentence;
the page that computes those numbers glues both, as `<claim>_verdict` and `<claim>_why`.
"""

from __future__ import annotations

import pandas as pd

REPRODUCED = "reproduced"
PARTLY = "partly reproduced"
NOT_REPRODUCED = "not reproduced"
NOT_TESTED = "not tested"
VERDICTS = (REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTED)
# The accuracy range the paper gives for popular Kaggle models (its Section III).
KAGGLE_RANGE = (90.0, 92.0)


def claim(verdict: str, why: str) -> dict:
    """Return a verdict and its reason, checking the verdict is one of VERDICTS."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
    return {"verdict": verdict, "why": why}


def agreement_claim(row: pd.Series, what: str) -> dict:
    """Judge a Table I number by one arm's seeds (a row of `noise.arm_table`): consistent and equivalent, or less."""
    where = f"the paper's {what} lies {'inside' if row['consistent'] else 'outside'} the range of one more run of ours"
    if row["consistent"] and row["equivalent"]:
        return claim(REPRODUCED, f"{where}, and our mean is within the declared ±{row['margin']:.2f}-point margin of it")
    if row["consistent"]:
        return claim(
            PARTLY,
            f"{where}, but our mean cannot be shown within the declared ±{row['margin']:.2f}-point margin "
            f"(it would be within ±{row['smallest margin']:.2f})",
        )
    return claim(NOT_REPRODUCED, f"{where}")


def fitting_claim(best_loss_epoch: float, num_epochs: int, train_gap: float) -> dict:
    """Judge "neither overfitting nor underfitting": the held-out loss should be lowest near the last epoch."""
    lowest = f"the held-out loss is lowest after epoch {best_loss_epoch:.1f} of {num_epochs} on average"
    gap = f"training accuracy ends {train_gap:.1f} points above held-out"
    if best_loss_epoch >= num_epochs - 1:
        return claim(REPRODUCED, f"{lowest}, and {gap}: no sign of either")
    return claim(PARTLY, f"no underfitting ({gap}), but {lowest} and rises after it: the last epochs overfit mildly")


def range_claim(accuracy: float, low: float = KAGGLE_RANGE[0], high: float = KAGGLE_RANGE[1]) -> dict:
    """Judge "comparable to the 90-92% of popular Kaggle models" by the official test accuracy."""
    inside = low <= accuracy <= high
    return claim(
        REPRODUCED if inside else NOT_REPRODUCED,
        f"{accuracy:.2f}% on the official test set lies {'inside' if inside else 'outside'} {low:.0f}-{high:.0f}%; "
        "the Kaggle models themselves were not rerun",
    )


def joined(items: list[str], word: str) -> str:
    """Return items as prose: "a", "a and b", "a, b and c" (or "or")."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def conjecture_claim(question_gains: dict[str, bool]) -> dict:
    """Judge the Future Work's conjecture from whether each question (more filters, padding) showed a gain."""
    questions = list(question_gains)
    shown = [question for question in questions if question_gains[question]]
    if not questions:
        return claim(NOT_TESTED, "no configuration of the sweep was run")
    if len(shown) == len(questions):
        return claim(REPRODUCED, f"a gain is established for {joined(questions, 'and')}")
    if shown:
        missing = [question for question in questions if question not in shown]
        return claim(PARTLY, f"a gain is established for {joined(shown, 'and')}, none for {joined(missing, 'or')}")
    return claim(NOT_REPRODUCED, f"no gain is established for {joined(questions, 'or')}")


def glue_names(name: str, judged: dict) -> dict:
    """Return a claim's verdict and reason under the glue names `<name>_verdict` and `<name>_why`."""
    return {f"{name}_verdict": judged["verdict"], f"{name}_why": judged["why"]}
