"""Recorded results: found by config, copied whole, and checked against a recomputation."""

import json

import pytest

from fmnist import cli, provenance
from fmnist.data import fashion_mnist
from fmnist.store import records, results
from fmnist.store.result_types import Provenance
from fmnist.config import CVConfig
from fmnist.store.places import Places

CONFIG = CVConfig(folds=2, epochs=1, subset=200)


def write_run(root, config, accuracies, date="2026-11-24T00:00:00+00:00", cpu_kind=None, packages=None):
    """Write a finished run folder with the given held-out accuracy per fold, as training would."""
    folder = results.open_run(root, config, fashion_mnist.FASHION_MNIST.checksums())
    provenance = {"date": date} if cpu_kind is None else {"date": date, "cpu_kind": cpu_kind}
    if packages is not None:
        provenance["packages"] = packages
    for index, accuracy in enumerate(accuracies, start=1):
        results.save_fold(folder, {"fold_index": index, "test_accuracy": accuracy, "provenance": provenance})
    return folder


def test_record_copies_the_run_and_find_prefers_the_computed_one(tmp_path):
    computed = write_run(tmp_path / "results", CONFIG, [0.8, 0.9])
    recorded = records.record(computed, tmp_path / "records")
    assert sorted(path.name for path in recorded.iterdir()) == ["fold-1.json", "fold-2.json", "run.json"]
    assert records.find_record(CONFIG, tmp_path / "records") == recorded

    found = records.find(CONFIG, Places(tmp_path / "results", tmp_path / "records"))
    assert found == records.Found(computed, "computed")
    assert [fold.source for fold in found.folds()] == ["computed", "computed"]
    found = records.find(CONFIG, Places(tmp_path / "elsewhere", tmp_path / "records"))
    assert found == records.Found(recorded, "recorded")
    assert [fold.held_out_accuracy for fold in found.folds()] == [0.8, 0.9] and found.fold(2).source == "recorded"
    with pytest.raises(ValueError, match="has no official-test result"):
        found.test()
    assert records.find(CONFIG, Places(tmp_path / "r", tmp_path / "records"), test=True) is None
    assert records.find(CVConfig(folds=3), Places(tmp_path / "r", tmp_path / "records")) is None


def test_recording_again_replaces_the_old_record(tmp_path):
    first = write_run(tmp_path / "first", CONFIG, [0.8, 0.9])
    records.record(first, tmp_path / "records")
    second = write_run(tmp_path / "second", CONFIG, [0.7, 0.7])
    records.record(second, tmp_path / "records")
    (only,) = records.recorded_runs(tmp_path / "records")
    assert json.loads((only / "fold-1.json").read_text())["test_accuracy"] == 0.7
    assert not list((tmp_path / "records").glob(".recording-*"))


def test_recording_a_run_that_lacks_a_recorded_result_keeps_that_result(tmp_path):
    records.record(write_run(tmp_path / "first", CONFIG, [0.8, 0.9]), tmp_path / "records")
    tested_only = results.open_run(tmp_path / "second", CONFIG, fashion_mnist.FASHION_MNIST.checksums())
    results.save_test(tested_only, {"test_accuracy": 0.93})
    (only,) = [records.record(tested_only, tmp_path / "records")]
    assert sorted(path.name for path in only.iterdir()) == ["fold-1.json", "fold-2.json", "run.json", "test.json"]
    assert records.recorded_runs(tmp_path / "records") == [only]
    assert json.loads((only / "fold-2.json").read_text())["test_accuracy"] == 0.9


def test_recording_a_folder_without_a_run_is_refused(tmp_path):
    with pytest.raises(results.ResultsFolderError, match="holds no saved run"):
        records.record(tmp_path, tmp_path / "records")


def test_check_passes_on_equal_numbers_and_fails_beyond_the_tolerance(tmp_path):
    records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9]), tmp_path / "records")
    write_run(tmp_path / "same", CONFIG, [0.8, 0.9])
    matches, rows = records.check(tmp_path / "same", tmp_path / "records")
    assert matches and [row["result"] for row in rows] == ["fold-1", "fold-2"]
    assert all(row["difference"] == 0 for row in rows)

    write_run(tmp_path / "drifted", CONFIG, [0.8, 0.9 + 0.003])
    matches, rows = records.check(tmp_path / "drifted", tmp_path / "records", tolerance=0.25)
    assert not matches
    assert [row["matches"] for row in rows] == [True, False]
    assert rows[1]["difference"] == pytest.approx(0.3)


def test_check_with_nothing_recomputed_fails_on_the_command_line(tmp_path, capsys):
    records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9]), tmp_path / "records")
    assert records.check(tmp_path / "empty", tmp_path / "records") == (False, [])
    argv = ["check-records", "--results", str(tmp_path / "empty"), "--records", str(tmp_path / "records")]
    assert cli.main(argv) == cli.EXIT_FAILURE
    assert "no recorded result has been recomputed here" in capsys.readouterr().err


def test_check_on_the_command_line_prints_each_comparison(tmp_path, capsys):
    records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9]), tmp_path / "records")
    write_run(tmp_path / "new", CONFIG, [0.8, 0.95])
    argv = ["check-records", "--results", str(tmp_path / "new"), "--records", str(tmp_path / "records")]
    assert cli.main(argv) == cli.EXIT_FAILURE
    captured = capsys.readouterr()
    assert "fold-1: recorded 80.00%" in captured.out and "matches" in captured.out
    assert "DOES NOT MATCH" in captured.out
    assert "differs from its record" in captured.err


def test_obtain_names_the_config_and_how_to_make_it(tmp_path):
    from fmnist.experiments import runs

    with pytest.raises(runs.MissingRunError, match="k2-e1-b32-f32-valid-n200 has neither results nor a record: run it, or set compute_missing = True"):
        runs.obtain(CONFIG, Places(tmp_path / "r", tmp_path / "records"), how_to_make="run it")


ZEN3 = "AuthenticAMD family 25 model 1; avx2 fma"
ZEN4 = "AuthenticAMD family 25 model 17; avx2 fma avx512f"


def test_another_processor_kind_is_held_to_the_noise_tolerance(tmp_path):
    records.record(write_run(tmp_path / "old", CONFIG, [0.80, 0.90], cpu_kind=ZEN4), tmp_path / "records")
    write_run(tmp_path / "here", CONFIG, [0.80, 0.905], cpu_kind=ZEN3)
    rows = records.recomputed(tmp_path / "here", tmp_path / "records")
    assert [row["same_processor"] for row in rows] == [False, False]
    judged = records.judge(rows, tolerance=0.25, other_kind_tolerance=1.0)
    assert [row["tolerance"] for row in judged] == [1.0, 1.0] and all(row["matches"] for row in judged)
    assert not records.judge(rows, tolerance=0.25)[1]["matches"]  # Without a noise tolerance, the fixed one.


def test_the_same_processor_kind_is_held_to_the_fixed_tolerance(tmp_path):
    records.record(write_run(tmp_path / "old", CONFIG, [0.80, 0.90], cpu_kind=ZEN3), tmp_path / "records")
    write_run(tmp_path / "here", CONFIG, [0.80, 0.905], cpu_kind=ZEN3)
    judged = records.judge(records.recomputed(tmp_path / "here", tmp_path / "records"), 0.25, other_kind_tolerance=1.0)
    assert [row["same_processor"] for row in judged] == [True, True]
    assert [row["matches"] for row in judged] == [True, False]


def test_a_record_that_does_not_name_its_processor_kind_counts_as_another():
    assert not records.same_processor_kind(Provenance(), Provenance(cpu_kind=ZEN3))
    assert records.same_processor_kind(Provenance(cpu_kind=ZEN3), Provenance(cpu_kind=ZEN3))
    assert "family" in provenance.cpu_kind() and "family" in provenance.provenance()["cpu_kind"]


def test_a_computed_run_is_set_against_its_record_and_a_recorded_one_is_not(tmp_path):
    config = CONFIG
    computed = write_run(tmp_path / "results", config, [0.91, 0.92])
    recorded = records.record(computed, tmp_path / "records")
    rows = records.against_record(config, records.Found(computed, "computed"), tmp_path / "records")
    assert [row["result"] for row in rows] == ["fold-1", "fold-2"] and all(row["difference"] == 0 for row in rows)
    assert records.against_record(config, records.Found(recorded, "recorded"), tmp_path / "records") == []
    assert records.against_record(config, records.Found(computed, "computed"), tmp_path / "none") == []


def write_test_run(root, config, cpu_kind):
    """Write a finished official-test run, as `fmnist test` would, computed on a processor of cpu_kind."""
    folder = results.open_run(root, config, fashion_mnist.FASHION_MNIST.checksums())
    results.save_test(folder, {"test_accuracy": 0.93, "provenance": {"cpu": "AMD EPYC", "cpu_kind": cpu_kind}})
    return folder


def test_a_test_record_made_on_another_processor_kind_is_told_apart(tmp_path):
    here = provenance.cpu_kind()
    records.record(write_test_run(tmp_path / "other", CONFIG, here + " (another)"), tmp_path / "records")
    assert records.recorded_on_another_kind(CONFIG, tmp_path / "records").cpu_kind == here + " (another)"
    records.record(write_test_run(tmp_path / "same", CONFIG, here), tmp_path / "records")
    assert records.recorded_on_another_kind(CONFIG, tmp_path / "records") is None
    assert records.recorded_test_provenance(CONFIG, tmp_path / "records").cpu == "AMD EPYC"
    assert records.recorded_on_another_kind(CVConfig(folds=3), tmp_path / "records") is None  # No record at all.
    records.record(write_run(tmp_path / "folds", CVConfig(folds=2, epochs=2), [0.8, 0.9]), tmp_path / "records")
    assert records.recorded_test_provenance(CVConfig(folds=2, epochs=2), tmp_path / "records") is None  # Folds, no test result.


def test_check_records_says_which_library_versions_differ_from_the_record(tmp_path, capsys):
    recorded_packages = {"fmnist": "0.1.0", "tensorflow": "2.20.0", "keras": "3.15.1", "numpy": "2.4.6"}
    computed_packages = {"fmnist": "0.2.0", "tensorflow": "2.21.0", "keras": "3.15.1", "numpy": "2.4.6", "tf_keras": "2.21.0"}
    records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9], packages=recorded_packages), tmp_path / "records")
    write_run(tmp_path / "new", CONFIG, [0.8, 0.9], packages=computed_packages)
    rows = records.recomputed(tmp_path / "new", tmp_path / "records")
    assert rows[0]["library_changes"] == ["tensorflow 2.20.0 -> 2.21.0", "tf_keras unrecorded -> 2.21.0"]
    argv = ["check-records", "--results", str(tmp_path / "new"), "--records", str(tmp_path / "records")]
    assert cli.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.endswith("matches; library versions against the record's: tensorflow 2.20.0 -> 2.21.0; tf_keras unrecorded -> 2.21.0") for line in lines[-2:])


def test_check_records_says_when_the_library_versions_are_the_records(tmp_path, capsys):
    packages = {"tensorflow": "2.21.0", "numpy": "2.4.6"}
    records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9], packages=packages), tmp_path / "records")
    write_run(tmp_path / "new", CONFIG, [0.8, 0.9], packages=packages)
    assert cli.main(["check-records", "--results", str(tmp_path / "new"), "--records", str(tmp_path / "records")]) == 0
    assert capsys.readouterr().out.rstrip().endswith("library versions against the record's: the same")


@pytest.mark.parametrize("damaged_file", ["fold-1.json", "run.json"])
def test_check_records_names_a_damaged_record_and_how_to_restore_it(tmp_path, capsys, damaged_file):
    recorded = records.record(write_run(tmp_path / "old", CONFIG, [0.8, 0.9]), tmp_path / "records")
    write_run(tmp_path / "new", CONFIG, [0.8, 0.9])
    (recorded / damaged_file).write_text('{"cut short')
    argv = ["check-records", "--results", str(tmp_path / "new"), "--records", str(tmp_path / "records")]
    assert cli.main(argv) == cli.EXIT_FAILURE
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("fmnist: error: ")
    assert str(recorded / damaged_file) in errors[0]
    assert f"restore it from the repository (git checkout -- {recorded})" in errors[0]
