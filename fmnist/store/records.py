"""Recorded results: runs too long for every build, saved once in `records/` and checked by CI.

A record is a copy of a finished run folder (`run.json` and its result files, each
with its provenance). The book reads a configuration's results from the results
folder when this build computed them, and from its record otherwise, and says
which. `compare` and `check` recompute nothing: they set the runs that a build
did compute beside their records, so CI fails if the code no longer reproduces
what was recorded.

A run recomputed on the processor kind that recorded it (`results.cpu_kind`) repeats its
numbers to the last digit, so it must match within DEFAULT_TOLERANCE_POINTS. On another
kind, or where the record does not say its kind, the arithmetic rounds differently and
the run is another random draw: it must then match within the seed noise of a
difference of two draws, which the noise study measures (`fmnist.analysis.noise`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import shutil
import tempfile

from fmnist import PERCENT, provenance
from fmnist.store import results, usage
from fmnist.store.places import Places
from fmnist.store.result_types import FoldResult, Provenance, TestResult
from fmnist.config import CVConfig

ENV_RECORDS_DIR = "FMNIST_RECORDS_DIR"
# Two runs of the same code on the same kind of processor give the same numbers to the
# last digit; this allows a little, in accuracy points.
DEFAULT_TOLERANCE_POINTS = 0.25


@dataclasses.dataclass(frozen=True)
class Found:
    """A configuration's saved run: its folder and whether this build computed it or it was recorded; it reads its results."""

    folder: pathlib.Path
    source: str  # "computed" or "recorded"

    def folds(self) -> list[FoldResult]:
        """Return the run's finished folds, in fold order."""
        return results.load_run(self.folder, self.source)[1]

    def fold(self, fold_index: int) -> FoldResult:
        """Return one finished fold's result (ValueError if it has not finished)."""
        result = results.read_fold(self.folder, fold_index, source=self.source)
        if result is None:
            raise ValueError(f"{self.folder.name} has no finished fold {fold_index}")
        return result

    def test(self) -> TestResult:
        """Return the run's official-test result (ValueError if it has none)."""
        result = results.read_test(self.folder, self.source)
        if result is None:
            raise ValueError(f"{self.folder.name} has no official-test result")
        return result


def default_records_dir() -> pathlib.Path:
    """Return $FMNIST_RECORDS_DIR, else `records/` of the source checkout."""
    named = os.environ.get(ENV_RECORDS_DIR)
    if named:
        return pathlib.Path(named).expanduser()
    return results.CHECKOUT_DIR / "records"


def saved_config(folder: pathlib.Path) -> CVConfig | None:
    """Return the config of the run saved in a folder, or None if it holds none."""
    run_file = folder / results.RUN_FILE
    if not run_file.is_file():
        return None
    try:
        return CVConfig.from_dict(json.loads(run_file.read_text())["key"]["config"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise results.DamagedResultError(
            f"{run_file} cannot be read as a run's settings ({type(error).__name__}: {error}): restore it from the "
            f"repository (git checkout -- {folder}) or move that folder away"
        ) from None


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


def find(config: CVConfig, places: Places = Places(), folds: list[int] | None = None, test: bool = False) -> Found | None:
    """Return where a config's results are: computed by this code if complete, else recorded, else None.

    `folds` names the fold results needed (default: all; [] for none) and `test`
    whether the official-test result is needed too. Pages and commands look runs up
    through `fmnist.experiments.runs.obtain`, which calls this and can train what is missing.
    """
    computed = results.saved_run_folder(config, places.results_dir)
    if is_complete(computed, config, folds, test):
        usage.note(computed, usage.COMPUTED_EARLIER)
        return Found(computed, "computed")
    recorded = find_record(config, places.records_dir)
    if recorded is not None and is_complete(recorded, config, folds, test):
        usage.note(recorded, usage.RECORDED)
        return Found(recorded, "recorded")
    return None


def record(folder: str | os.PathLike, records_dir: str | os.PathLike | None = None) -> pathlib.Path:
    """Copy a finished run folder into the records, replacing an older record of its config.

    The results that the older record holds and the run does not (a fold read from the
    record while only the official-test run was trained, say) are kept: recording never
    loses a recorded result. Each result file carries its own provenance.
    """
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
            for path in sorted(old.glob("*.json")):
                if not (scratch / path.name).exists():
                    shutil.copy2(path, scratch / path.name)
            shutil.rmtree(old)
        if target.exists():
            shutil.rmtree(target)
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def recorded_test_provenance(config: CVConfig, records_dir: str | os.PathLike | None = None) -> Provenance | None:
    """Return the provenance of a config's recorded official-test result, or None if it has none."""
    folder = find_record(config, records_dir)
    if folder is None or not results.test_path(folder).is_file():
        return None
    return Provenance.from_saved(read_recorded(results.test_path(folder)).get("provenance"))


def recorded_on_another_kind(config: CVConfig, records_dir: str | os.PathLike | None = None) -> Provenance | None:
    """Return the provenance of a config's recorded official-test result if another processor kind than this one made it.

    None where the config has no such record or this processor is of the recording's kind.
    """
    recorded = recorded_test_provenance(config, records_dir)
    if recorded is None or same_processor_kind(recorded, Provenance(cpu_kind=provenance.cpu_kind())):
        return None
    return recorded


def recorded_runs(records_dir: str | os.PathLike | None = None) -> list[pathlib.Path]:
    """Return every recorded run folder."""
    root = pathlib.Path(records_dir or default_records_dir())
    if not root.is_dir():
        return []
    return [folder for folder in sorted(root.iterdir()) if saved_config(folder) is not None]


def same_processor_kind(recorded: Provenance, recomputed: Provenance) -> bool:
    """Return whether two results say they were computed on the same kind of processor."""
    return recorded.cpu_kind is not None and recorded.cpu_kind == recomputed.cpu_kind


def read_recorded(path: pathlib.Path) -> dict:
    """Return a recorded result; raise DamagedResultError naming it and how to restore it if it cannot be read."""
    try:
        return results.read_result(path)
    except results.DamagedResultError as error:
        raise results.DamagedResultError(
            f"the record {error}: restore it from the repository (git checkout -- {path.parent}) or record the run again"
        ) from None


def library_changes(recorded: Provenance, recomputed: Provenance) -> list[str]:
    """Return "name recorded-version -> recomputed-version" for each library whose version differs between two results."""
    before, after = recorded.packages, recomputed.packages
    names = sorted((before.keys() | after.keys()) - {"fmnist"})
    return [f"{name} {before.get(name) or 'unrecorded'} -> {after.get(name) or 'unrecorded'}" for name in names if before.get(name) != after.get(name)]


def compare(recorded: pathlib.Path, computed: pathlib.Path) -> list[dict]:
    """Return, for each result held by both folders, its recorded and recomputed accuracy."""
    rows = []
    for path in sorted(recorded.glob("*.json")):
        if path.name == results.RUN_FILE or not (computed / path.name).is_file():
            continue
        # A fold's file and the official test's both keep their accuracy under Keras's "test_accuracy".
        old = read_recorded(path)
        new = results.read_result(computed / path.name)
        old_provenance, new_provenance = (Provenance.from_saved(result.get("provenance")) for result in (old, new))
        rows.append(
            {
                "result": path.stem,
                "recorded": PERCENT * old["test_accuracy"],
                "recomputed": PERCENT * new["test_accuracy"],
                "difference": PERCENT * (new["test_accuracy"] - old["test_accuracy"]),
                "recorded_on": old_provenance.date,
                "same_processor": same_processor_kind(old_provenance, new_provenance),
                "library_changes": library_changes(old_provenance, new_provenance),
            }
        )
    return rows


def against_record(config: CVConfig, found: Found, records_dir: str | os.PathLike | None = None) -> list[dict]:
    """Return `compare`'s rows for a run this build computed and its record (none if it was read from its record or has none)."""
    if found.source != "computed":
        return []
    recorded = find_record(config, records_dir)
    return compare(recorded, found.folder) if recorded is not None else []


def recomputed(results_dir: str | os.PathLike | None = None, records_dir: str | os.PathLike | None = None) -> list[dict]:
    """Return every recorded result that this build recomputed, beside its record."""
    rows = []
    for recorded in recorded_runs(records_dir):
        config = saved_config(recorded)
        computed = results.saved_run_folder(config, results_dir)
        if computed.is_dir():
            rows += [{"config": config.label(), **row} for row in compare(recorded, computed)]
    return rows


def judge(rows: list[dict], tolerance: float = DEFAULT_TOLERANCE_POINTS, other_kind_tolerance: float | None = None) -> list[dict]:
    """Return the rows with the tolerance each is held to and whether it matches.

    Rows recomputed on the recording's processor kind are held to `tolerance`; the others
    to `other_kind_tolerance` (by default `tolerance` too).
    """
    judged = []
    for row in rows:
        allowed = tolerance if row["same_processor"] or other_kind_tolerance is None else other_kind_tolerance
        judged.append({**row, "tolerance": allowed, "matches": abs(row["difference"]) <= allowed})
    return judged


def check(
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
    tolerance: float = DEFAULT_TOLERANCE_POINTS,
    other_kind_tolerance: float | None = None,
) -> tuple[bool, list[dict]]:
    """Compare every recorded result that this build recomputed; return (all match, rows)."""
    rows = judge(recomputed(results_dir, records_dir), tolerance, other_kind_tolerance)
    return bool(rows) and all(row["matches"] for row in rows), rows
