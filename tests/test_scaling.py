"""Wall time on a cluster from measured task times: the greedy schedule and the table."""

import pytest

from fmnist.analysis import scaling
from fmnist.config import CVConfig


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


def test_the_table_gives_minutes_and_skips_empty_workloads():
    table = scaling.scaling_table({"sweep": [60.0] * 4, "nothing": []}, worker_counts=(1, 2, 8))
    assert list(table.index) == ["sweep"]
    assert table.loc["sweep", "tasks"] == 4
    assert table.loc["sweep", "total task time"] == pytest.approx(4.0)
    assert (table.loc["sweep", "1 workers"], table.loc["sweep", "2 workers"], table.loc["sweep", "8 workers"]) == (
        pytest.approx(4.0), pytest.approx(2.0), pytest.approx(1.0)
    )


def test_the_workloads_are_told_apart_by_their_settings():
    assert scaling.is_sweep_run(CVConfig(filters=128, padding="same"))
    assert not scaling.is_sweep_run(CVConfig(seed=3))
    assert scaling.is_noise_run(CVConfig(seed=3, trainer="keras2-fit"))
    assert not scaling.is_noise_run(CVConfig(filters=64))
    assert not scaling.is_noise_run(CVConfig(conv_blocks=3))


def test_the_records_hold_both_workloads():
    workloads = scaling.recorded_workloads()
    assert len(workloads["Future Work sweep"]) == 40
    assert len(workloads["noise study"]) % 5 == 0 and len(workloads["noise study"]) >= 10


def test_the_page_facts_read_both_workloads_off_the_table():
    table = scaling.scaling_table({"Future Work sweep": [60.0] * 40, "noise study": [120.0] * 50})
    facts = scaling.page_facts(table)
    assert (facts["sweep_tasks"], facts["noise_tasks"], facts["most_workers"]) == (40, 50, 40)
    assert facts["sweep_two_workers_minutes"] == pytest.approx(20.0)
    assert facts["noise_most_workers_minutes"] == pytest.approx(4.0)
    assert facts["noise_floor_minutes"] == pytest.approx(2.0)
