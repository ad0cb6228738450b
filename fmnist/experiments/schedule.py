"""Which worker trains which epochs of which fold, so that all workers finish together.

Five folds of ten epochs on two workers would take three rounds of whole folds, and
one worker would sit idle through the last. Instead the epochs left are shared out
evenly by McNaughton's wrap-around rule (R. McNaughton, "Scheduling with deadlines
and loss functions", Management Science 6(1), 1959): the workers' lanes are filled
one after the other with whole folds, and a fold that does not fit at the end of a
lane is split. Its first epochs open the next lane and its last epochs close this
one, so they run later, after the first ones. A lane is never longer than a fold,
so each split fold is trained by at most two workers, one after the other, going
on from the state saved after its last epoch (`fmnist.engine.checkpoints`).
"""

from __future__ import annotations

import dataclasses
import math


@dataclasses.dataclass(frozen=True)
class Segment:
    """Some consecutive epochs of one fold: from `first_epoch` epochs done to `last_epoch` epochs done."""

    fold_index: int
    first_epoch: int
    last_epoch: int

    @property
    def num_epochs(self) -> int:
        """Return how many epochs the segment trains."""
        return self.last_epoch - self.first_epoch


def plan_lanes(epochs_done: dict[int, int], epochs: int, workers: int) -> list[list[Segment]]:
    """Return each worker's segments, in order, for folds that have trained some epochs of `epochs`."""
    if epochs < 1 or workers < 1:
        raise ValueError(f"epochs and workers must be >= 1, got {epochs!r} and {workers!r}")
    left = {fold: epochs - done for fold, done in epochs_done.items() if done < epochs}
    if not left:
        return []
    lane_length = max(math.ceil(sum(left.values()) / workers), max(left.values()))
    lanes: list[list[Segment]] = [[]]
    room = lane_length
    for fold, epochs_left in left.items():
        start = epochs - epochs_left
        if epochs_left > room:
            head = epochs_left - room
            if room:
                lanes[-1].append(Segment(fold, start + head, epochs))
            lanes.append([Segment(fold, start, start + head)])
            room = lane_length - head
        else:
            lanes[-1].append(Segment(fold, start, epochs))
            room -= epochs_left
        if room == 0 and len(lanes) < workers:
            lanes.append([])
            room = lane_length
    return [lane for lane in lanes if lane]


def whole_folds(folds: list[int], epochs: int, workers: int) -> list[list[Segment]]:
    """Return each worker's folds, whole, dealt out in turn, for trainers that cannot stop after an epoch."""
    if epochs < 1 or workers < 1:
        raise ValueError(f"epochs and workers must be >= 1, got {epochs!r} and {workers!r}")
    lanes = [[Segment(fold, 0, epochs) for fold in folds[lane::workers]] for lane in range(workers)]
    return [lane for lane in lanes if lane]
