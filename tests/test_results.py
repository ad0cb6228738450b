"""The results folder: keys, atomic writes and errors."""

import json
import shutil

import pytest

from fmnist import provenance
from fmnist.data import fashion_mnist
from fmnist.store import results
from fmnist.config import CVConfig

CHECKSUMS = fashion_mnist.FASHION_MNIST.checksums()


def test_same_config_same_folder_other_config_other_folder(tmp_path):
    first = results.run_folder(tmp_path, CVConfig(), CHECKSUMS)
    assert results.run_folder(tmp_path, CVConfig(), CHECKSUMS) == first
    assert results.run_folder(tmp_path, CVConfig(seed=1), CHECKSUMS) != first
    assert results.run_folder(tmp_path, CVConfig(momentum=0.8), CHECKSUMS) != first
    other_data = dict(CHECKSUMS, **{"train-images-idx3-ubyte.gz": "0" * 64})
    assert results.run_folder(tmp_path, CVConfig(), other_data) != first


def test_changed_training_code_starts_a_new_run(tmp_path, monkeypatch):
    first = results.run_folder(tmp_path, CVConfig(), CHECKSUMS)
    monkeypatch.setattr(results, "code_fingerprint", lambda: "changed")
    assert results.run_folder(tmp_path, CVConfig(), CHECKSUMS) != first


def test_fold_results_are_written_whole_and_read_back(tmp_path):
    folder = results.open_run(tmp_path, CVConfig(folds=2), CHECKSUMS)
    results.save_fold(folder, {"fold_index": 2, "test_accuracy": 0.9})
    assert results.read_fold(folder, 1) is None
    assert results.read_fold(folder, 2).held_out_accuracy == 0.9
    assert sorted(p.name for p in folder.iterdir()) == ["fold-2.json", "run.json"]
    config, folds = results.load_run(folder)
    assert config == CVConfig(folds=2)
    assert [fold.fold_index for fold in folds] == [2]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "fold-1.json"
    results.write_json_atomic(path, {"fold_index": 1})
    with pytest.raises(TypeError):
        results.write_json_atomic(path, {"fold_index": object()})
    assert json.loads(path.read_text()) == {"fold_index": 1}
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


GOOD_FOLD = {"fold_index": 1, "num_train": 48000, "num_test": 12000, "test_accuracy": 0.9}


def damage(path, how: str) -> str:
    """Damage a saved result file in one of the ways files are damaged from outside; return what its error says."""
    if how == "truncated":
        path.write_text(json.dumps(GOOD_FOLD)[:20])
        return "is not valid JSON"
    if how == "empty":
        path.write_text("")
        return "is empty"
    if how == "not a result":
        path.write_text("[1, 2, 3]")
        return "holds no result"
    if how == "another fold":
        path.write_text(json.dumps({**GOOD_FOLD, "fold_index": 2}))
        return "holds the result of fold 2, not of fold 1"
    if how == "another configuration":
        path.write_text(json.dumps({**GOOD_FOLD, "num_train": 800, "num_test": 200}))
        return "was written for another configuration: its fold has 1,000 images, this run 60,000"
    if how == "unreadable":
        path.mkdir()  # Even root cannot read a folder as a file.
        return "cannot be read"
    raise ValueError(how)


DAMAGES = ("truncated", "empty", "not a result", "another fold", "another configuration", "unreadable")


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_fold_file_is_named_with_what_is_wrong(tmp_path, how):
    folder = results.open_run(tmp_path, CVConfig(), CHECKSUMS)
    path = results.fold_path(folder, 1)
    expected = damage(path, how)
    with pytest.raises(results.DamagedResultError) as caught:
        results.read_fold(folder, 1, CVConfig())
    assert str(caught.value).startswith(str(path)) and expected in str(caught.value)


@pytest.mark.parametrize("how", DAMAGES)
def test_a_run_sets_a_damaged_fold_aside_says_so_in_one_line_and_trains_it_again(tmp_path, how):
    from fmnist.experiments import cv

    folder = results.open_run(tmp_path, CVConfig(), CHECKSUMS)
    results.save_fold(folder, {**GOOD_FOLD, "fold_index": 2})
    path = results.fold_path(folder, 1)
    expected = damage(path, how)
    lines = []
    dataset = type("Dataset", (), {"checksums": CHECKSUMS})()
    pending = cv.open_pending(CVConfig(), tmp_path, dataset, None, lines.append)
    assert pending.epochs_done == {1: 0, 3: 0, 4: 0, 5: 0}
    damaged = [line for line in lines if str(path) in line]
    assert len(damaged) == 1 and expected in damaged[0] and damaged[0].endswith("fold 1 is trained again")
    assert not path.exists() and (folder / "fold-1.json.damaged").exists()


def test_a_damaged_run_file_stops_the_run_with_what_to_do(tmp_path):
    folder = results.open_run(tmp_path, CVConfig(), CHECKSUMS)
    (folder / results.RUN_FILE).write_text('{"key": {"con')
    with pytest.raises(results.ResultsFolderError, match="run.json cannot be read .*: move that folder away"):
        results.open_run(tmp_path, CVConfig(), CHECKSUMS)


def test_unwritable_results_folder_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(results.ResultsFolderError, match="cannot write results under"):
        results.open_run(blocker / "results", CVConfig(), CHECKSUMS)


def test_folder_of_another_configuration_is_not_mixed(tmp_path):
    folder = results.open_run(tmp_path, CVConfig(), CHECKSUMS)
    saved = json.loads((folder / results.RUN_FILE).read_text())
    saved["key"]["config"]["epochs"] = 3
    (folder / results.RUN_FILE).write_text(json.dumps(saved))
    with pytest.raises(results.ResultsFolderError, match="different configuration"):
        results.open_run(tmp_path, CVConfig(), CHECKSUMS)


def test_loading_a_folder_without_a_run_says_what_to_do(tmp_path):
    with pytest.raises(results.ResultsFolderError, match="fmnist cv"):
        results.load_run(tmp_path)


def test_provenance_names_versions_and_cpu():
    record = provenance.provenance()
    assert record["packages"]["tensorflow"]
    assert record["packages"]["keras"].startswith("3.")
    assert record["cpu"]


def copy_of_the_package(tmp_path):
    """Copy the fmnist package's sources into a scratch folder and return that folder."""
    copy = tmp_path / "fmnist"
    shutil.copytree(results.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize(
    "edited",
    ["engine/training.py", "engine/model.py", "engine/fold_training.py", "data/fashion_mnist.py", "paper.py", "config.py"],
)
def test_a_change_in_the_code_that_decides_the_numbers_changes_the_key(tmp_path, edited):
    package = copy_of_the_package(tmp_path)
    before = results.code_fingerprint(package)
    with (package / edited).open("a") as source:
        source.write("\n# an edit\n")
    assert results.code_fingerprint(package) != before


def test_a_new_engine_module_joins_the_key_by_itself(tmp_path):
    package = copy_of_the_package(tmp_path)
    before = results.code_fingerprint(package)
    (package / "engine" / "new_layer.py").write_text("SCALE = 2\n")
    assert results.code_fingerprint(package) != before


@pytest.mark.parametrize("edited", ["experiments/cv.py", "experiments/executor.py", "analysis/table_one.py", "store/records.py", "cli.py"])
def test_log_lines_experiments_and_analysis_leave_the_key_alone(tmp_path, edited):
    package = copy_of_the_package(tmp_path)
    before = results.code_fingerprint(package)
    source = package / edited
    source.write_text(source.read_text().replace("fold", "Fold") + "\n# an edit\n")
    assert results.code_fingerprint(package) == before


def test_the_running_package_keys_with_the_same_fingerprint_as_its_copy(tmp_path):
    assert results.code_fingerprint() == results.code_fingerprint(copy_of_the_package(tmp_path))
