"""The speed page's tables and facts, from the benchmarks' reports."""

import json

import pytest

from fmnist.analysis import speed


def train_report() -> dict:
    """Return a small whole-experiment report in the benchmark's format."""
    return {
        "setup": {"folds": 2, "epochs": 1, "repeats": 2},
        "machine": {"date": "2026-11-25T20:00:00+00:00", "cpu": "AMD EPYC", "cores": 2},
        "matmul_peak_gflops": 100.0,
        "ways": [
            {"way": "straightforward", "wall_seconds": 40.0, "seconds_per_fold_epoch": 20.0, "gflops_per_second": 10.0,
             "peak_memory_gib": 2.0, "held_out_accuracy": [0.80, 0.90]},
            {"way": "project", "wall_seconds": 10.0, "seconds_per_fold_epoch": 5.0, "gflops_per_second": 40.0,
             "peak_memory_gib": 1.0, "held_out_accuracy": [0.85, 0.87]},
        ],
        "speedup": 4.0,
        "speedup_per_repeat": [3.9, 4.1],
    }


def epoch_report(xla_seconds: float = 8.0) -> dict:
    """Return a small one-epoch report in the benchmark's format."""
    variant = lambda name, seconds, processes=1: {  # noqa: E731
        "variant": name, "seconds_per_epoch": seconds, "seconds_per_fold_epoch": seconds / processes,
        "processes": processes, "same_numbers_as_alone": True, "held_out_accuracy": 0.9,
    }
    return {
        "machine": {"date": "2026-11-25T21:00:00+00:00"},
        "setup": {"repeats": 3, "epochs": 2},
        "variants": [variant("alone", 4.0), variant("side by side", 5.0, 2), variant("two threads per op", 6.0),
                     variant("oneDNN off", 5.0), variant("XLA", xla_seconds)],
    }


def test_ways_facts_are_read_off_the_report():
    facts = speed.ways_facts(train_report())
    assert facts["runs_each"] == "best of 2 runs each"
    assert "each pair of runs gave a ratio of 3.90, 4.10" in facts["repeat_sentence"]
    assert facts["benchmark_date"] == "2026-11-25"
    assert facts["project_share"] == pytest.approx(40.0)
    assert facts["straightforward_accuracy"] == pytest.approx(85.0)
    assert facts["project_accuracy"] == pytest.approx(86.0)


def test_the_ways_table_has_one_accuracy_column_per_fold():
    table = speed.ways_table(train_report())
    assert list(table.filter(like="held-out").columns) == ["held-out accuracy, fold 0 (%)", "held-out accuracy, fold 1 (%)"]
    assert "wall_seconds" not in table.columns


def test_two_folds_side_by_side_are_judged_against_one_alone():
    facts = speed.variants_facts(epoch_report())
    assert facts["side_gain"] == pytest.approx(2 * 4.0 / 5.0)
    assert facts["threads_relative"] == pytest.approx(1.5)
    assert facts["others_verdict"] == "none ran faster than the project's step alone"


def test_a_faster_variant_is_named():
    assert speed.variants_facts(epoch_report(xla_seconds=3.0))["others_verdict"] == "XLA ran faster than the project's step alone"


def test_a_missing_report_says_which_benchmark_makes_it(tmp_path):
    with pytest.raises(ValueError, match=r"run `python benchmarks/train_speed.py` first"):
        speed.read_report(tmp_path / "none.json", speed.TRAIN_REPORT, "train_speed.py")


def test_the_committed_reports_give_every_fact():
    report = speed.read_report(None, speed.TRAIN_REPORT, "train_speed.py")
    epochs = speed.read_report(None, speed.EPOCH_REPORT, "epoch_speed.py")
    assert speed.ways_facts(report)["speedup"] > 0
    assert set(speed.variants_facts(epochs)) >= {"alone_seconds", "xla_relative", "others_verdict"}
    json.dumps({**speed.ways_facts(report), **speed.variants_facts(epochs)})


def cluster_report(same: bool = True) -> dict:
    """Return a small cluster report in the benchmark's format."""
    return {
        "setup": {"table_one_epochs": 2, "sweep_epochs": 1, "folds": 5, "workers": 2},
        "machine": {"date": "2026-11-26T09:30:00+00:00", "cpu": "AMD EPYC"},
        "seconds": {"pool": {"table_one": 100.0, "sweep": 50.0}, "cluster": {"table_one": 120.0, "sweep": 55.0}},
        "cluster_over_pool": {"table_one": 1.2, "sweep": 1.1},
        "same_numbers": {"table_one": True, "sweep": same},
    }


def test_the_cluster_table_names_the_work_and_the_ratio():
    table = speed.cluster_table(cluster_report())
    assert list(table.index) == ["Table I", "a sweep of two configurations"]
    assert table.loc["Table I", "cluster / pool"] == pytest.approx(1.2)
    assert (table["same numbers"] == "yes").all()


def test_the_cluster_facts_say_whether_every_number_matched():
    assert speed.cluster_facts(cluster_report())["cluster_same"] == "the same to the last bit"
    assert speed.cluster_facts(cluster_report(same=False))["cluster_same"] == "not the same"
    assert speed.cluster_facts(cluster_report())["cluster_sweep_ratio"] == pytest.approx(1.1)


def test_a_single_run_is_not_described_as_pairs():
    assert "ran each way once" in speed.repeat_sentence([2.27])
    assert "pair" not in speed.repeat_sentence([2.27])


def test_the_machine_table_shows_text_a_reader_can_read():
    table = speed.machine_table(train_report())
    assert list(table.columns) == ["benchmark"]
    assert all(isinstance(value, str) for value in table["benchmark"])
    assert "_" not in " ".join(table.index)
