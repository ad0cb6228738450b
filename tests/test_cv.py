"""Cross-validation: the paper's folds, determinism, resume after an interruption."""

import contextlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from conftest import comparable
from fmnist.analysis import table_one
from fmnist.data import fashion_mnist
from fmnist.engine import arithmetic, backend, checkpoints, fold_training
from fmnist.experiments import cv, executor, schedule
from fmnist.store import result_types, results
from fmnist.config import CVConfig

QUICK = CVConfig(folds=3, epochs=1, subset=900)
INTERRUPT_TIMEOUT_SECONDS = 300


def test_folds_are_the_papers_kfold():
    splits = fold_training.fold_indices(CVConfig())
    assert len(splits) == 5
    assert all((len(train), len(test)) == (48_000, 12_000) for train, test in splits)
    held_out = sorted(index for _, test in splits for index in test)
    assert held_out == list(range(60_000))


def test_fold_seeds_differ_by_fold_and_seed():
    seeds = {fold_training.fold_seed(CVConfig(seed=s), k) for s in range(3) for k in range(1, 6)}
    assert len(seeds) == 15


def test_fold_index_out_of_range_is_refused():
    with pytest.raises(ValueError, match="fold_index"):
        fold_training.run_fold(QUICK, 4)


@pytest.mark.parametrize("only_folds", [[], [0], [4], [1, 9]])
def test_fold_selection_outside_the_folds_is_refused(only_folds):
    with pytest.raises(ValueError, match="only_folds must name folds from 1 to 3"):
        cv.check_fold_selection(QUICK, only_folds)


def test_fold_selection_is_sorted_and_unique():
    assert cv.check_fold_selection(QUICK, [3, 1, 3]) == [1, 3]
    assert cv.check_fold_selection(QUICK, None) == [1, 2, 3]


@pytest.mark.slow
def test_only_the_selected_folds_are_trained(tmp_path):
    folder, folds = cv.run_cv(QUICK, results_dir=tmp_path, report=lambda line: None, only_folds=[2])
    assert [fold.fold_index for fold in folds] == [2]
    assert sorted(path.name for path in folder.glob("fold-*.json")) == ["fold-2.json"]
    assert folds[0].num_parameters == 701_578


@pytest.mark.slow
def test_same_config_gives_the_same_numbers():
    dataset = fashion_mnist.load()
    first = fold_training.run_fold(QUICK, 2, dataset)
    second = fold_training.run_fold(QUICK, 2, dataset)
    assert first["history"] == second["history"]
    assert first["test_accuracy"] == second["test_accuracy"]
    assert first["train_loss"] == second["train_loss"]
    assert (first["num_train"], first["num_test"]) == (600, 300)


ONE_OP_AT_A_TIME = """
import json, sys
from fmnist.engine import backend
backend.tf.config.threading.set_inter_op_parallelism_threads(1)
from fmnist.engine import fold_training
from fmnist.experiments import cv, executor
from fmnist.config import CVConfig
fold = fold_training.run_fold(CVConfig(folds=3, epochs=1, subset=900), 2)
json.dump({"history": fold["history"], "train_loss": fold["train_loss"]}, sys.stdout)
"""


@pytest.mark.slow
def test_ops_running_at_once_change_no_number():
    assert backend.CONCURRENT_OPS == (os.cpu_count() or 1)
    alone = json.loads(
        subprocess.run([sys.executable, "-c", ONE_OP_AT_A_TIME], capture_output=True, text=True, check=True).stdout
    )
    concurrent = fold_training.run_fold(QUICK, 2, fashion_mnist.load())
    assert concurrent["history"] == alone["history"]
    assert concurrent["train_loss"] == alone["train_loss"]


SPLIT = CVConfig(folds=3, epochs=2, subset=900)  # On two workers, fold 2's epochs are split between them.


@pytest.mark.slow
def test_a_fold_split_between_workers_gives_the_numbers_of_one_worker(tmp_path):
    assert schedule.plan_lanes({1: 0, 2: 0, 3: 0}, SPLIT.epochs, workers=2)[1][0] == schedule.Segment(2, 0, 1)
    lines = []
    split_folder, split = cv.run_cv(SPLIT, results_dir=tmp_path / "split", workers=2, report=lines.append)
    _, alone = cv.run_cv(SPLIT, results_dir=tmp_path / "alone", workers=1, report=lambda line: None)
    assert [comparable(fold) for fold in split] == [comparable(fold) for fold in alone]
    assert len(split[1].history["val_accuracy"]) == SPLIT.epochs
    assert not list(split_folder.glob("*state*")), "a finished fold's training state was left behind"
    assert sum("saved: held-out accuracy" in line for line in lines) == SPLIT.folds


@pytest.mark.slow
def test_a_run_goes_on_from_a_folds_saved_epoch(tmp_path):
    dataset = fashion_mnist.load()
    folder = results.open_run(tmp_path, SPLIT, dataset.checksums)
    checkpoint = checkpoints.fold_state_path(folder, 3)
    assert fold_training.run_fold(SPLIT, 3, dataset, checkpoint=checkpoint, until_epoch=1) is None
    lines = []
    _, folds = cv.run_cv(SPLIT, results_dir=tmp_path, report=lines.append, only_folds=[3])
    assert "fold 3 goes on after epoch 1" in lines[0]
    assert comparable(folds[0]) == comparable(result_types.FoldResult.from_saved(fold_training.run_fold(SPLIT, 3, dataset)))
    assert not checkpoint.exists()


@pytest.mark.parametrize(
    ("until_epoch", "checkpoint", "message"),
    [
        (0, "state.npz", "until_epoch must be an integer from 1 to 2, got 0"),
        (3, "state.npz", "until_epoch must be an integer from 1 to 2, got 3"),
        (1.5, "state.npz", "until_epoch must be an integer from 1 to 2, got 1.5"),
        (1, None, "needs a checkpoint file to go on from later"),
    ],
)
def test_bad_stopping_points_are_refused(tmp_path, until_epoch, checkpoint, message):
    checkpoint = tmp_path / checkpoint if checkpoint else None
    with pytest.raises(ValueError, match=message):
        fold_training.run_fold(SPLIT, 1, checkpoint=checkpoint, until_epoch=until_epoch)


@pytest.mark.slow
def test_a_fold_already_past_the_stopping_point_is_refused(tmp_path):
    checkpoint = tmp_path / "state.npz"
    dataset = fashion_mnist.load()
    fold_training.run_fold(SPLIT, 1, dataset, checkpoint=checkpoint, until_epoch=1)
    with pytest.raises(ValueError, match="has already trained 1 epochs"):
        fold_training.run_fold(SPLIT, 1, dataset, checkpoint=checkpoint, until_epoch=1)


def test_a_saved_fold_loses_the_training_state_a_stopped_run_left(tmp_path):
    folder = results.open_run(tmp_path, QUICK, fashion_mnist.FASHION_MNIST.checksums())
    for fold_index in (1, 2, 3):
        results.save_fold(folder, {"fold_index": fold_index, "test_accuracy": 0.5})
    left_behind = checkpoints.fold_state_path(folder, 2)
    left_behind.write_bytes(b"whatever a stopped run left")
    cv.run_cv(QUICK, results_dir=tmp_path, report=lambda line: None)
    assert not left_behind.exists()


def test_processes_side_by_side_share_the_cores_out(monkeypatch):
    monkeypatch.setattr(backend, "CONCURRENT_OPS", 8)
    assert [backend.concurrent_ops_per_process(n) for n in (1, 2, 3, 8, 16)] == [8, 4, 2, 1, 1]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_each_worker_runs_its_share_of_ops_at_once(workers):
    with executor.worker_pool(workers) as pool:
        concurrent_ops = pool.submit(backend.tf.config.threading.get_inter_op_parallelism_threads).result()
        threads = pool.submit(backend.tf.config.threading.get_intra_op_parallelism_threads).result()
    assert concurrent_ops == backend.concurrent_ops_per_process(workers)
    assert threads == backend.THREADS_PER_PROCESS


@pytest.mark.slow
def test_a_worker_computes_with_its_runs_arithmetic():
    with executor.worker_pool(1, CVConfig(threads=2, onednn=True)) as pool:
        threads = pool.submit(backend.tf.config.threading.get_intra_op_parallelism_threads).result()
        onednn = pool.submit(arithmetic.onednn_forced).result()
    assert (threads, onednn) == (2, True)


def test_a_process_started_with_other_arithmetic_refuses_to_train():
    with pytest.raises(RuntimeError, match="intra-op threads where this run needs 2"):
        backend.make_deterministic(0, threads=2)
    with pytest.raises(RuntimeError, match="oneDNN"):
        backend.make_deterministic(0, onednn=True)


@pytest.mark.slow
def test_saved_folds_are_reused_not_retrained(tmp_path, monkeypatch):
    folder, folds = cv.run_cv(QUICK, results_dir=tmp_path, report=lambda line: None)
    assert [fold.fold_index for fold in folds] == [1, 2, 3]

    def refuse(*args, **kwargs):
        raise AssertionError("a saved fold was trained again")

    monkeypatch.setattr(executor, "worker_pool", refuse)
    again_folder, again = cv.run_cv(QUICK, results_dir=tmp_path, report=lambda line: None)
    assert again_folder == folder and again == folds


def run_command(results_dir, *extra):
    """Return the fmnist cv command for the quick config, on two workers whatever the cores."""
    return [
        sys.executable, "-m", "fmnist", "cv", "--folds", "3", "--epochs", "1",
        "--subset", "900", "--workers", "2", "--results", str(results_dir), *extra,
    ]


def child_pids(pid):
    """Return the process ids of a process's children (Linux)."""
    children = []
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children


def wait_for(path, process, timeout):
    """Wait until a file exists while a process runs."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.02)


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_table(tmp_path):
    interrupted = tmp_path / "interrupted"
    folder = results.run_folder(interrupted, QUICK, fashion_mnist.FASHION_MNIST.checksums())
    process = subprocess.Popen(run_command(interrupted), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(results.fold_path(folder, 1), process, INTERRUPT_TIMEOUT_SECONDS)
    workers = child_pids(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # A killed parent leaves its worker processes behind; stop them as a user's shell would.
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    saved_before = {path.name for path in folder.glob("fold-*.json")}
    # Fold 2 trains after fold 1 in the same worker (fold 3 beside them), so it was cut short.
    assert schedule.plan_lanes({1: 0, 2: 0, 3: 0}, QUICK.epochs, workers=2)[0] == [
        schedule.Segment(1, 0, 1), schedule.Segment(2, 0, 1)
    ]
    assert "fold-2.json" not in saved_before

    resumed = subprocess.run(run_command(interrupted), capture_output=True, text=True, check=True)
    assert f"{len(saved_before)} of 3 folds already saved" in resumed.stdout
    _, resumed_folds = results.load_run(folder)

    _, straight_folds = cv.run_cv(QUICK, results_dir=tmp_path / "straight", report=lambda line: None)
    assert table_one.table_one(resumed_folds).equals(table_one.table_one(straight_folds))
