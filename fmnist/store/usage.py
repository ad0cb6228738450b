"""Which saved runs this Python process used, and where each came from: for the execution report.

Every page gets its numbers through the store (`results` folders, `records/`). Each time a
run is read or trained, the store notes it here; a page's last cell glues `as_json()` into
its executed notebook, and the execution report page reads those notes back. A run is
described by its settings' label, where its numbers came from, and the processor and
date its results files name.
"""

from __future__ import annotations

import json
import pathlib

from fmnist.store import results
from fmnist.store.result_types import NOT_RECORDED, Provenance

TRAINED_NOW = "trained in this run"
COMPUTED_EARLIER = "computed earlier by this code"
RECORDED = "read from records/"
# A stronger note replaces a weaker one for the same folder: a run first read, then trained on, was trained.
STRENGTH = {RECORDED: 0, COMPUTED_EARLIER: 1, TRAINED_NOW: 2}

_notes: dict[str, dict] = {}


def note(folder: pathlib.Path, source: str) -> None:
    """Note that this process used the run in `folder`, taken from `source` (one of STRENGTH's keys)."""
    if source not in STRENGTH:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(STRENGTH)}")
    key = str(pathlib.Path(folder).resolve())
    earlier = _notes.get(key)
    if earlier is None or STRENGTH[source] > STRENGTH[earlier["source"]]:
        _notes[key] = {"folder": pathlib.Path(folder), "source": source}


def forget() -> None:
    """Drop every note (for tests)."""
    _notes.clear()


def readable_result(path: pathlib.Path) -> dict | None:
    """Return a saved result, or None if it cannot be read (the run that reads it says so, and trains it again)."""
    try:
        return results.read_result(path)
    except results.DamagedResultError:
        return None


def describe(folder: pathlib.Path, source: str) -> dict:
    """Return what the report shows of one used run: label, source, result files, processors, dates."""
    provenances = [
        Provenance.from_saved(result["provenance"])
        for path in sorted(folder.glob("*.json"))
        if path.name != results.RUN_FILE and (result := readable_result(path)) and "provenance" in result
    ]
    dates = sorted(p.date for p in provenances if p.date)
    return {
        "run": folder.name,
        "source": source,
        "results": len(provenances),
        "cpu": ", ".join(sorted({p.cpu for p in provenances})) or NOT_RECORDED,
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
    }


def used() -> list[dict]:
    """Return a description of every run used so far, in the order first used."""
    return [describe(entry["folder"], entry["source"]) for entry in _notes.values()]


def as_json() -> str:
    """Return `used()` as JSON text, the form a page glues into its executed notebook."""
    return json.dumps(used())


def location(folder: pathlib.Path) -> str:
    """Return where a run folder is, as a reader may see it: relative to the checkout, never absolute."""
    folder = pathlib.Path(folder).resolve()
    try:
        return folder.relative_to(results.CHECKOUT_DIR.resolve()).as_posix()
    except ValueError:
        return f"{folder.parent.name}/{folder.name}"


def source_of(folder: pathlib.Path) -> str:
    """Return where this process took a run's numbers from (COMPUTED_EARLIER if it noted nothing)."""
    entry = _notes.get(str(pathlib.Path(folder).resolve()))
    return entry["source"] if entry else COMPUTED_EARLIER


def source_line(*folders: pathlib.Path) -> str:
    """Return a caption's provenance: each run folder read, and where its numbers came from."""
    return "; ".join(one_source(pathlib.Path(folder)) for folder in folders)


PLAIN_SOURCE = {TRAINED_NOW: "Trained in this build", COMPUTED_EARLIER: "Trained earlier by this code", RECORDED: "Recorded"}


def plain_line(*folders: pathlib.Path) -> str:
    """Return, for a reader, when and on what processor the runs were made, e.g. "Recorded 2026-11-25 on AMD EPYC"."""
    phrases = []
    for folder in folders:
        about = describe(pathlib.Path(folder), source_of(pathlib.Path(folder)))
        when = f" {about['last_date'][:10]} on {about['cpu']}" if about["last_date"] else ""
        phrase = PLAIN_SOURCE[about["source"]] + when
        if phrase not in phrases:
            phrases.append(phrase)
    return "; ".join(phrases)


def one_source(folder: pathlib.Path) -> str:
    """Return one run folder's place and source, e.g. records/NAME (read from records/, 2026-11-25 on AMD EPYC)."""
    about = describe(folder, source_of(folder))
    when = f", {about['last_date'][:10]} on {about['cpu']}" if about["last_date"] else ""
    return f"{location(folder)} ({about['source']}{when})"
