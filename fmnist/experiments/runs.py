"""One call to get a configuration's results: computed here, else recorded, else computed now if asked.

Every page that shows a run goes through `obtain`, so that "where do these numbers
come from" has one answer: the results folder when this build (or an earlier one of
the same code) computed the run, the `records/` folder otherwise, and a fresh
computation only when the caller asks for it.
"""

from __future__ import annotations

import os

from fmnist.store import records
from fmnist.config import CVConfig


class MissingRunError(ValueError):
    """A run that has neither results nor a record, and was not to be computed."""


def compute(
    config: CVConfig,
    folds: list[int] | None,
    test: bool,
    results_dir: str | os.PathLike | None,
    data_dir: str | os.PathLike | None,
    workers: int | None,
    scheduler: str | None = None,
) -> None:
    """Train what a config's run needs: the folds asked for, then the official-test run if asked."""
    from fmnist.experiments import cv, testset

    if folds is None or folds:
        cv.run_cv(config, results_dir=results_dir, data_dir=data_dir, workers=workers, only_folds=folds, scheduler=scheduler)
    if test:
        testset.run_test(config, results_dir=results_dir, data_dir=data_dir, scheduler=scheduler)


def obtain(
    config: CVConfig,
    folds: list[int] | None = None,
    test: bool = False,
    compute_missing: bool = False,
    how_to_make: str = "",
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> records.Found:
    """Return where a config's results are: computed, else recorded, else trained now if `compute_missing`.

    `folds` names the fold results needed (default: all; [] for none) and `test` whether
    the official-test result is needed. A run that is missing and not to be computed
    raises MissingRunError, naming `how_to_make` it and the `compute_missing` switch. A
    computation runs on this machine, or on the Dask cluster of a `scheduler` address.
    """
    found = records.find(config, folds=folds, test=test, results_dir=results_dir, records_dir=records_dir)
    if found is not None:
        return found
    if not compute_missing:
        advice = f"{how_to_make}, or set compute_missing = True" if how_to_make else "set compute_missing = True"
        raise MissingRunError(f"{config.label()} has neither results nor a record: {advice}")
    compute(config, folds, test, results_dir, data_dir, workers, scheduler)
    return records.require(
        config, "its computation saved no result", folds=folds, test=test, results_dir=results_dir, records_dir=records_dir
    )
