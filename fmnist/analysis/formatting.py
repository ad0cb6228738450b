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


ARCHITECTURES = ("x86_64", "aarch64", "arm64", "AMD64", "ppc64le", "s390x")


def operating_system(platform_text: str) -> str:
    """Return the system and architecture of a `platform.platform()` string, without the kernel's build name (which names the host)."""
    parts = platform_text.split("-")
    architecture = next((part for part in parts if part in ARCHITECTURES), "")
    return f"{parts[0]} {architecture}".strip()


def yes_no_or_dash(value: bool | None) -> str:
    """Return "yes" or "no", or "-" where there is nothing to judge (None)."""
    return "-" if value is None else yes_no(value)


def styled(frame: pd.DataFrame, formats: dict, **options):
    """Return a table's Styler with each column's format from `formats` (the columns it lacks are left out)."""
    return frame.style.format({column: form for column, form in formats.items() if column in frame.columns}, **options)


def count(number: int, noun: str, plural: str | None = None) -> str:
    """Return a count with its noun in the right number: "1 fold", "2 folds" ("1 class", "2 classes" with `plural`)."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


RUN_COLUMNS = ("source", "timed on", "timing")


def split_runs(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return a table for the page without its "source", "timed on" and "timing" columns, and a phrase that says them.

    Where every row says the same, the phrase says it once (for the caption) and the columns
    go; where rows differ, they are joined into one "run" column, so the table still fits.
    """
    parts = [column for column in RUN_COLUMNS if column in frame.columns]
    if not parts:
        return frame, ""
    joined = frame[parts].astype(str).apply(lambda row: ", ".join(value for value in row if value and value != "nan"), axis=1)
    shown = frame.drop(columns=parts)
    if joined.nunique() == 1:
        return shown, f"Every row: {joined.iloc[0]}"
    return shown.assign(run=joined), "Each row's run, processor and timing in its last column"


def as_rows(frame: pd.DataFrame, formats: dict[str, object], default: str = "{:.2f}") -> pd.DataFrame:
    """Return a table turned on its side for the page, each quantity a row with its own format (a format string or a function)."""
    shown = {}
    for column in frame.columns:
        form = formats.get(column, default)
        apply = form if callable(form) else (lambda value, form=form: form.format(value) if isinstance(value, (int, float)) else str(value))
        shown[column] = [apply(value) for value in frame[column]]
    return pd.DataFrame(shown, index=list(frame.index)).T
