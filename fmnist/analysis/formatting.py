"""Numbers and words as a reader should see them: p-values, articles, yes and no, dates."""

from __future__ import annotations

import pandas as pd

SMALLEST_SHOWN_P = 0.001


def p_value(p: float) -> str:
    """Return "p = 0.012", or "p < 0.001" where three decimals would round to zero."""
    return f"p < {SMALLEST_SHOWN_P}" if p < SMALLEST_SHOWN_P else f"p = {p:.3f}"


def p_number(p: float) -> str:
    """Return a p-value for a table cell: "0.012", or "< 0.001"."""
    return f"< {SMALLEST_SHOWN_P}" if p < SMALLEST_SHOWN_P else f"{p:.3f}"


def with_article(noun: str) -> str:
    """Return the noun with "a" or "an" before it, by its first letter ("an AMD EPYC", "a Xeon")."""
    return f"{'an' if noun[:1].upper() in 'AEIOU' else 'a'} {noun}"


def sentence_start(text: str) -> str:
    """Return text with its first letter in capitals, to open a sentence ("this project" -> "This project")."""
    return text[:1].upper() + text[1:]


def yes_no(value: bool) -> str:
    """Return "yes" or "no"."""
    return "yes" if value else "no"


def minute_of(timestamp: str) -> str:
    """Return an ISO timestamp as "2026-11-25 05:38 UTC"."""
    moment = pd.Timestamp(timestamp)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")



def listing(items: list[str]) -> str:
    """Return items as a comma-separated list, or "none"."""
    return ", ".join(items) or "none"
