"""Sharing a run's epochs out between workers: even lanes, each fold's epochs once and in order."""

import itertools
import math

import pytest

from fmnist.experiments import schedule
from fmnist.experiments.schedule import Segment


def test_five_folds_on_two_workers_split_the_third_fold():
    lanes = schedule.plan_lanes({fold: 0 for fold in range(1, 6)}, epochs=10, workers=2)
    assert lanes == [
        [Segment(1, 0, 10), Segment(2, 0, 10), Segment(3, 5, 10)],
        [Segment(3, 0, 5), Segment(4, 0, 10), Segment(5, 0, 10)],
    ]


def test_a_single_fold_is_never_split():
    assert schedule.plan_lanes({1: 0}, epochs=10, workers=2) == [[Segment(1, 0, 10)]]


def test_folds_that_fill_the_workers_evenly_are_not_split():
    lanes = schedule.plan_lanes({1: 0, 2: 0, 3: 0, 4: 0}, epochs=10, workers=2)
    assert lanes == [[Segment(1, 0, 10), Segment(2, 0, 10)], [Segment(3, 0, 10), Segment(4, 0, 10)]]


def test_an_interrupted_fold_goes_on_from_its_saved_epoch():
    lanes = schedule.plan_lanes({1: 4, 2: 0}, epochs=10, workers=2)
    assert lanes == [[Segment(1, 4, 10), Segment(2, 6, 10)], [Segment(2, 0, 6)]]


def test_finished_folds_get_no_lane():
    assert schedule.plan_lanes({1: 10, 2: 10}, epochs=10, workers=2) == []
    assert schedule.plan_lanes({}, epochs=10, workers=2) == []


def lane_epochs(lane: list[Segment]) -> int:
    """Return how many epochs a lane trains."""
    return sum(segment.num_epochs for segment in lane)


@pytest.mark.parametrize(
    "num_folds, epochs, workers, done",
    [
        (num_folds, epochs, workers, done)
        for num_folds, epochs, workers in itertools.product(range(1, 8), (1, 2, 3, 10), range(1, 6))
        for done in ("none", "some")
    ],
)
def test_lanes_are_even_and_train_every_epoch_once_in_order(num_folds, epochs, workers, done):
    epochs_done = {fold: (fold * 3) % epochs if done == "some" else 0 for fold in range(1, num_folds + 1)}
    lanes = schedule.plan_lanes(epochs_done, epochs, workers)
    left = [epochs - n for n in epochs_done.values() if n < epochs]

    assert len(lanes) <= workers
    longest = max(math.ceil(sum(left) / workers), max(left))
    assert all(lane_epochs(lane) <= longest for lane in lanes)
    for fold, first in epochs_done.items():
        segments = sorted((s for lane in lanes for s in lane if s.fold_index == fold), key=lambda s: s.first_epoch)
        # Every epoch left once, in consecutive segments, split at most once.
        assert [s.first_epoch for s in segments[:1]] == ([first] if first < epochs else [])
        assert all(a.last_epoch == b.first_epoch for a, b in zip(segments, segments[1:]))
        assert sum(s.num_epochs for s in segments) == epochs - first
        assert len(segments) <= 2
        if len(segments) == 2:
            head, tail = segments
            head_lane = next(i for i, lane in enumerate(lanes) if head in lane)
            # The head opens the next lane and the tail closes the one before, so the tail starts later.
            assert lanes[head_lane][0] == head and lanes[head_lane - 1][-1] == tail
            assert head.num_epochs <= lane_epochs(lanes[head_lane - 1]) - tail.num_epochs


@pytest.mark.parametrize("epochs, workers", [(0, 2), (10, 0), (-1, 1)])
def test_bad_counts_are_refused(epochs, workers):
    with pytest.raises(ValueError, match="epochs and workers must be >= 1"):
        schedule.plan_lanes({1: 0}, epochs, workers)
