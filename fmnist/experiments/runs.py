"""The one way to get a configuration's results: computed here, else recorded, else computed now if asked.

Every page and command that shows a run goes through `obtain`, so that "where do these
numbers come from" has one answer: the results folder when this build (or an earlier one
of the same code) computed the run, the `records/` folder otherwise, and a fresh
computation only when the caller asks for it. Where those folders are, and where a
computation trains, is one `fmnist.store.places.Places`.
"""

from __future__ import annotations

from fmnist.config import CVConfig
from fmnist.store import records
from fmnist.store.places import Places


class MissingRunError(ValueError):
    """A run that has neither results nor a record, and was not to be computed."""


def compute(config: CVConfig, places: Places, folds: list[int] | None, test: bool, workers: int | None) -> None:
    """Train what a config's run needs: the folds asked for, then the official-test run if asked."""
    from fmnist.experiments import cv, testset

    if folds is None or folds:
        cv.run_cv(
            config, results_dir=places.results_dir, data_dir=places.data_dir, workers=workers, only_folds=folds, scheduler=places.scheduler
        )
    if test:
        testset.run_test(config, results_dir=places.results_dir, data_dir=places.data_dir, scheduler=places.scheduler)


def obtain(
    config: CVConfig,
    places: Places = Places(),
    folds: list[int] | None = None,
    test: bool = False,
    compute_missing: bool = False,
    how_to_make: str = "",
    workers: int | None = None,
) -> records.Found:
    """Return where a config's results are (a `records.Found`, which reads them): computed, else recorded, else trained now if `compute_missing`.

    `folds` names the fold results needed (default: all; [] for none) and `test` whether
    the official-test result is needed. A run that is missing and not to be computed
    raises MissingRunError, naming `how_to_make` it and the `compute_missing` switch. A
    computation runs on this machine, or on the Dask cluster of `places.scheduler`.
    """
    found = records.find(config, places, folds=folds, test=test)
    if found is not None:
        return found
    if not compute_missing:
        advice = f"{how_to_make}, or set compute_missing = True" if how_to_make else "set compute_missing = True"
        raise MissingRunError(f"{config.label()} has neither results nor a record: {advice}")
    compute(config, places, folds, test, workers)
    found = records.find(config, places, folds=folds, test=test)
    if found is None:
        raise MissingRunError(f"{config.label()}: its computation saved no result")
    return found
