"""Recomputed runs against their records, judged as `fmnist check-records` judges them.

A result recomputed on the processor kind that recorded it must repeat its record within
a fixed tolerance; one recomputed on another kind is another random draw and must agree
within the seed noise of a difference of two draws, which the noise study measures. The
command line and the execution report page both call `judged`.
"""

from __future__ import annotations

import math
import os

import scipy.stats

from fmnist.analysis import noise, significance
from fmnist.config import CVConfig
from fmnist.experiments import seeds
from fmnist.store import records
from fmnist.store.places import Places


def judged(
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
    tolerance: float = records.DEFAULT_TOLERANCE_POINTS,
) -> tuple[list[dict], str | None]:
    """Return every recomputed result beside its record with its tolerance and verdict, and a note if the fixed tolerance stood in."""
    rows = records.recomputed(results_dir, records_dir)
    other_kind = [row for row in rows if not row["same_processor"]]
    study = seeds.recorded_study(CVConfig(), Places(results_dir, records_dir)) if other_kind else None
    other_kind_tolerance = other_processor_tolerance(study, len(other_kind))
    note = None
    if other_kind and other_kind_tolerance is None:
        note = "The noise study has too few seeds for another processor kind's tolerance; using the fixed one for every result."
    return records.judge(rows, tolerance, other_kind_tolerance), note


def other_processor_tolerance(study: list[noise.Run] | None, num_comparisons: int, level: float = significance.SIGNIFICANCE_LEVEL) -> float | None:
    """Return how far a result recomputed on another processor kind may lie from its record, in points.

    There it is another random draw, so the difference of two draws, √2 times a fold's
    seed standard deviation (pooled over the study's folds), is the scale; the bound is
    two-sided at `level`, Bonferroni-corrected over the comparisons. None without a study.
    """
    if study is None or num_comparisons < 1:
        return None
    z = scipy.stats.norm.ppf(1 - level / (2 * num_comparisons))
    return float(z * math.sqrt(2) * noise.pooled_fold_sd(noise.fold_frame(study), study[0][0].trainer))
