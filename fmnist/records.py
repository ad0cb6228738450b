"""Recorded results: runs too long for every build, saved once in `records/` and checked by CI.

A record is a copy of a finished run folder (`run.json` and its result files, each
with its provenance). The book reads a configuration's results from the results
folder when this build computed them, and from its record otherwise, and says
which. `compare` and `check` recompute nothing: they set the runs that a build
did compute beside their records, so CI fails if the code no longer reproduces
what was recorded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import shutil
import tempfile

from fmnist import results
from fmnist.config import CVConfig

ENV_RECORDS_DIR = "FMNIST_RECORDS_DIR"
# Two runs of the same code on this kind of machine give the same numbers to the
# last digit; this allows for another processor's rounding, in accuracy points.
DEFAULT_TOLERANCE_POINTS = 0.25
PERCENT = 100.0


@dataclasses.dataclass(frozen=True)
class Found:
    """A configuration's saved run: its folder and whether this build computed it or it was recorded."""

    folder: pathlib.Path
    source: str  # "computed" or "recorded"


def default_records_dir() -> pathlib.Path:
    """Return $FMNIST_RECORDS_DIR, else `records/` of the source checkout."""
    named = os.environ.get(ENV_RECORDS_DIR)
    if named:
        return pathlib.Path(named).expanduser()
    return results.PACKAGE_DIR.parent / "records"


def saved_config(folder: pathlib.Path) -> CVConfig | None:
    """Return the config of the run saved in a folder, or None if it holds none."""
    run_file = folder / results.RUN_FILE
    if not run_file.is_file():
        return None
    return CVConfig.from_dict(json.loads(run_file.read_text())["key"]["config"])


def find_record(config: CVConfig, records_dir: str | os.PathLike | None = None) -> pathlib.Path | None:
    """Return the recorded run of a config, or None if none was recorded."""
    root = pathlib.Path(records_dir or default_records_dir())
    if not root.is_dir():
        return None
    matches = [folder for folder in sorted(root.iterdir()) if folder.is_dir() and saved_config(folder) == config]
    return matches[-1] if matches else None


def is_complete(folder: pathlib.Path, config: CVConfig, folds: list[int] | None, test: bool) -> bool:
    """Return whether a run folder holds every result asked for."""
    fold_indices = range(1, config.folds + 1) if folds is None else folds
    has_folds = all(results.fold_path(folder, index).is_file() for index in fold_indices)
    return has_folds and (not test or results.test_path(folder).is_file())


def find(
    config: CVConfig,
    folds: list[int] | None = None,
    test: bool = False,
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
) -> Found | None:
    """Return where a config's results are: computed by this code if complete, else recorded.

    `folds` names the fold results needed (default: all; [] for none) and `test`
    whether the official-test result is needed too.
    """
    computed = results.saved_run_folder(config, results_dir)
    if is_complete(computed, config, folds, test):
        return Found(computed, "computed")
    recorded = find_record(config, records_dir)
    if recorded is not None and is_complete(recorded, config, folds, test):
        return Found(recorded, "recorded")
    return None


def require(
    config: CVConfig,
    how_to_make: str,
    folds: list[int] | None = None,
    test: bool = False,
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
) -> Found:
    """Return where a config's results are (as `find`), or raise ValueError saying how to make them."""
    found = find(config, folds=folds, test=test, results_dir=results_dir, records_dir=records_dir)
    if found is None:
        raise ValueError(f"{config.label()} has no finished results or record: {how_to_make}")
    return found


def record(folder: str | os.PathLike, records_dir: str | os.PathLike | None = None) -> pathlib.Path:
    """Copy a finished run folder into the records, replacing an older record of its config."""
    folder = pathlib.Path(folder)
    config = saved_config(folder)
    if config is None:
        raise results.ResultsFolderError(f"{folder} holds no saved run; nothing to record")
    root = pathlib.Path(records_dir or default_records_dir())
    root.mkdir(parents=True, exist_ok=True)
    old = find_record(config, root)
    # Named by the config's label, which names the seed and trainer, and the run's key.
    target = root / f"{config.label()}-{folder.name.rsplit('-', 1)[-1]}"
    # Copy into a scratch folder first, so that a record is never half-written.
    scratch = pathlib.Path(tempfile.mkdtemp(dir=root, prefix=".recording-"))
    try:
        for path in sorted(folder.glob("*.json")):
            shutil.copy2(path, scratch / path.name)
        if old is not None:
            shutil.rmtree(old)
        if target.exists():
            shutil.rmtree(target)
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def recorded_runs(records_dir: str | os.PathLike | None = None) -> list[pathlib.Path]:
    """Return every recorded run folder."""
    root = pathlib.Path(records_dir or default_records_dir())
    if not root.is_dir():
        return []
    return [folder for folder in sorted(root.iterdir()) if saved_config(folder) is not None]


def compare(recorded: pathlib.Path, computed: pathlib.Path) -> list[dict]:
    """Return, for each result held by both folders, its recorded and recomputed accuracy."""
    rows = []
    for path in sorted(recorded.glob("*.json")):
        if path.name == results.RUN_FILE or not (computed / path.name).is_file():
            continue
        old = results.read_result(path)
        new = results.read_result(computed / path.name)
        rows.append(
            {
                "result": path.stem,
                "recorded": PERCENT * old["test_accuracy"],
                "recomputed": PERCENT * new["test_accuracy"],
                "difference": PERCENT * (new["test_accuracy"] - old["test_accuracy"]),
                "recorded_on": old["provenance"]["date"],
            }
        )
    return rows


def check(
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
    tolerance: float = DEFAULT_TOLERANCE_POINTS,
) -> tuple[bool, list[dict]]:
    """Compare every recorded result that this build recomputed; return (all match, rows)."""
    rows = []
    for recorded in recorded_runs(records_dir):
        config = saved_config(recorded)
        computed = results.saved_run_folder(config, results_dir)
        if not computed.is_dir():
            continue
        for row in compare(recorded, computed):
            rows.append({"config": config.label(), **row, "matches": abs(row["difference"]) <= tolerance})
    return bool(rows) and all(row["matches"] for row in rows), rows
