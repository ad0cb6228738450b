"""Wall time on a cluster from measured task times: the greedy schedule and the table."""

import pandas as pd
import pytest

from fmnist.analysis import scaling
from fmnist.config import CVConfig
from conftest import fold as saved_fold


def test_one_worker_runs_everything_in_turn():
    assert scaling.makespan([3.0, 1.0, 2.0], workers=1) == pytest.approx(6.0)


def test_more_workers_than_tasks_leaves_the_longest_task():
    assert scaling.makespan([3.0, 1.0, 2.0], workers=10) == pytest.approx(3.0)


def test_longest_first_balances_two_workers():
    # 5 | 4, then 3 to the 4, 3 to the 5: 8 and 7.
    assert scaling.makespan([3.0, 5.0, 3.0, 4.0], workers=2) == pytest.approx(8.0)


def test_no_workers_is_refused():
    with pytest.raises(ValueError, match="workers must be an integer >= 1"):
        scaling.makespan([1.0], workers=0)


def fold(seconds, load=1.9):
    """Return a recorded fold of this wall time, with this 5-minute load average on a 2-core machine (None: not recorded)."""
    averages = None if load is None else [load, load, load]
    return saved_fold(wall_seconds=seconds, provenance={"cpu_count": 2, "load": {"load_average": averages, "training_processes": 2}})


def test_the_table_gives_minutes_from_quiet_times_only():
    workloads = {"sweep": [fold(60.0)] * 4 + [fold(600.0, load=3.5)], "old": [fold(60.0, load=None)] * 3}
    table = scaling.scaling_table(workloads, worker_counts=(1, 2, 8))
    assert table.loc["sweep", "tasks"] == 5 and table.loc["sweep", "timed quiet"] == 4
    assert table.loc["sweep", "total task time"] == pytest.approx(4.0)
    assert (table.loc["sweep", "1 workers"], table.loc["sweep", "2 workers"], table.loc["sweep", "8 workers"]) == (
        pytest.approx(4.0), pytest.approx(2.0), pytest.approx(1.0)
    )
    assert table.loc["old", "timed quiet"] == 0 and pd.isna(table.loc["old", "total task time"])


def test_the_text_gives_figures_only_where_folds_were_timed_quiet():
    table = scaling.scaling_table({"Future Work sweep": [fold(60.0)] * 40, "noise study": [fold(60.0, load=None)] * 50})
    text = scaling.scaling_text(table)
    assert "The recorded Future Work sweep is 40 minutes of training: 20 minutes on two workers, 1 on 40" in text
    assert "No recorded fold time of the noise study's 50 folds was taken on a quiet machine" in text


def test_the_workloads_are_told_apart_by_their_settings():
    assert scaling.is_sweep_run(CVConfig(filters=128, padding="same"))
    assert not scaling.is_sweep_run(CVConfig(seed=3))
    assert scaling.is_noise_run(CVConfig(seed=3, trainer="keras2-fit"))
    assert not scaling.is_noise_run(CVConfig(filters=64))
    assert not scaling.is_noise_run(CVConfig(conv_blocks=3))


def test_the_records_hold_both_workloads():
    workloads = scaling.recorded_folds()
    assert len(workloads["Future Work sweep"]) == 40
    assert len(workloads["noise study"]) % 5 == 0 and len(workloads["noise study"]) >= 10
