"""Recomputed runs against their records, judged as `fmnist check-records` judges them.

A result recomputed on the processor kind that recorded it must repeat its record within
a fixed tolerance; one recomputed on another kind is another random draw and must agree
within the seed noise of a difference of two draws, which the noise study measures. The
command line and the execution report page both call `judged`.
"""

from __future__ import annotations

import os

from fmnist.analysis import noise
from fmnist.config import CVConfig
from fmnist.experiments import seeds
from fmnist.store import records


def judged(
    results_dir: str | os.PathLike | None = None,
    records_dir: str | os.PathLike | None = None,
    tolerance: float = records.DEFAULT_TOLERANCE_POINTS,
) -> tuple[list[dict], str | None]:
    """Return every recomputed result beside its record with its tolerance and verdict, and a note if the fixed tolerance stood in."""
    rows = records.recomputed(results_dir, records_dir)
    other_kind = [row for row in rows if not row["same_processor"]]
    study = seeds.recorded_study(CVConfig(), results_dir=results_dir, records_dir=records_dir) if other_kind else None
    other_kind_tolerance = noise.other_processor_tolerance(study, len(other_kind))
    note = None
    if other_kind and other_kind_tolerance is None:
        note = "The noise study has too few seeds for another processor kind's tolerance; using the fixed one for every result."
    return records.judge(rows, tolerance, other_kind_tolerance), note
