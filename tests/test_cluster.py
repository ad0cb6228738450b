"""The cluster engine: folds as tasks on a real Dask scheduler and workers, started here on 127.0.0.1."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import threading
import time

import psutil
import pytest

from fmnist import cli
from fmnist.config import CVConfig
from fmnist.experiments import cluster, cv, sweep
from fmnist.store import results

START_TIMEOUT_SECONDS = 120
TINY = CVConfig(folds=3, epochs=1, subset=900)


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def comparable(fold: dict) -> dict:
    """Return a fold's result without what depends on when and where it ran."""
    return {key: value for key, value in fold.items() if key not in ("wall_seconds", "provenance")}


def dask_cluster(tmp_path: pathlib.Path, workers: dict[str, dict[str, str]]):
    """Start a scheduler and one single-threaded worker per name on 127.0.0.1; stop them all afterwards."""
    return cluster.local_cluster(tmp_path / "dask", workers, timeout=START_TIMEOUT_SECONDS)


def test_an_unreachable_scheduler_gets_one_clear_error_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_SECONDS", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(cluster.ClusterError, match="no Dask scheduler answers at " + address) as caught:
        cluster.client_for(address)
    assert "dask scheduler" in str(caught.value) and "dask worker" in str(caught.value)
    status = cli.main(["cv", "--folds", "3", "--epochs", "1", "--subset", "900", "--results", str(tmp_path), "--scheduler", address])
    assert status == cli.EXIT_FAILURE
    assert "no Dask scheduler answers" in capsys.readouterr().err
    assert not any(tmp_path.iterdir()), "nothing is written when the cluster cannot be reached"


def test_the_scheduler_comes_from_the_environment_unless_chosen(monkeypatch):
    monkeypatch.setenv(cluster.ENV_SCHEDULER, "tcp://10.0.0.1:8786")
    assert cluster.scheduler_address(None) == "tcp://10.0.0.1:8786"
    assert cluster.scheduler_address("tcp://127.0.0.1:1") == "tcp://127.0.0.1:1"
    monkeypatch.delenv(cluster.ENV_SCHEDULER)
    assert cluster.scheduler_address(None) is None


def test_a_worker_report_names_each_problem():
    good = cluster.worker_facts()
    assert cluster.worker_problems("w1", good) == []
    other = {**good, "engine code": "0" * 64, "libraries": {**good["libraries"], "tensorflow": "1.0"}}
    problems = cluster.worker_problems("w1", other)
    assert any("other fmnist engine code" in problem for problem in problems)
    assert any("tensorflow 1.0" in problem for problem in problems)
    missing = {key: value for key, value in good.items() if key != "data"} | {"data error": "Fashion-MNIST is not in /x"}
    assert any("run `fmnist data` there" in problem for problem in cluster.worker_problems("w1", missing))
    assert "install the project there" in cluster.worker_problems("w1", ModuleNotFoundError("No module named 'fmnist'"))[0]


@pytest.mark.slow
def test_folds_and_a_sweep_on_the_cluster_equal_a_local_run_bit_for_bit(tmp_path, capfd):
    _, local = cv.run_cv(TINY, results_dir=tmp_path / "local", report=lambda line: None)
    configs = [CVConfig(folds=2, epochs=1, subset=600, filters=8), CVConfig(folds=2, epochs=1, subset=600, filters=8, padding="same")]
    local_sweep = sweep.run_sweep(configs, results_dir=tmp_path / "local", report=lambda line: None)
    with dask_cluster(tmp_path, {"w1": {}, "w2": {}}) as address:
        lines = []
        folder, remote = cv.run_cv(TINY, results_dir=tmp_path / "cluster", report=lines.append, scheduler=address)
        remote_sweep = sweep.run_sweep(configs, results_dir=tmp_path / "cluster", report=lambda line: None, scheduler=address)
    assert [comparable(fold) for fold in remote] == [comparable(fold) for fold in local]
    assert [[comparable(fold) for fold in folds] for _, _, folds in remote_sweep] == [
        [comparable(fold) for fold in folds] for _, _, folds in local_sweep
    ]
    assert sorted(path.name for path in folder.glob("fold-*.json")) == ["fold-1.json", "fold-2.json", "fold-3.json"]
    assert sum("saved: held-out accuracy" in line for line in lines) == TINY.folds
    # Each fold's epoch line, once from the local workers and once forwarded from the cluster's.
    assert capfd.readouterr().out.count("fold 1/3 epoch 1/1") == 2


@pytest.mark.slow
def test_a_worker_killed_in_the_middle_of_a_fold_loses_nothing(tmp_path):
    import distributed

    config = CVConfig(folds=2, epochs=3, subset=4000)
    _, local = cv.run_cv(config, results_dir=tmp_path / "local", report=lambda line: None)
    with dask_cluster(tmp_path, {"w1": {}, "w2": {}}) as address:
        outcome = {}

        def run() -> None:
            try:
                outcome["folds"] = cv.run_cv(config, results_dir=tmp_path / "cluster", report=lambda line: None, scheduler=address)[1]
            except BaseException as error:  # Reported below, in the test's thread.
                outcome["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        with distributed.Client(address, set_as_default=False) as watcher:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            busy = []
            while not busy and time.monotonic() < deadline:
                busy = [worker for worker, tasks in watcher.processing().items() if tasks]
                time.sleep(0.2)
            assert busy, "no worker took a fold"
            time.sleep(3)  # Into the fold: TensorFlow started, training under way.
            pid = watcher.run(os.getpid, workers=[busy[0]])[busy[0]]
            children = psutil.Process(pid).children(recursive=True)
            os.kill(pid, signal.SIGKILL)
        thread.join(timeout=START_TIMEOUT_SECONDS * 3)
    assert "error" not in outcome, outcome.get("error")
    assert [comparable(fold) for fold in outcome["folds"]] == [comparable(fold) for fold in local]
    # The killed worker's child, which was training, ended with it.
    assert children, "the worker trained in no child process"
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == [], [(process.pid, process.ppid(), process.cmdline()) for process in alive]
    saved = results.saved_run_folder(config, tmp_path / "cluster")
    assert sorted(path.name for path in saved.glob("fold-*.json")) == ["fold-1.json", "fold-2.json"]


@pytest.mark.slow
def test_workers_without_fmnist_or_with_other_engine_code_are_each_named(tmp_path):
    no_fmnist = tmp_path / "no-fmnist"
    (no_fmnist / "fmnist").mkdir(parents=True)
    (no_fmnist / "fmnist" / "__init__.py").write_text("raise ImportError('this worker has no fmnist')\n")
    other_engine = tmp_path / "other-engine"
    shutil.copytree(results.PACKAGE_DIR, other_engine / "fmnist", ignore=shutil.ignore_patterns("__pycache__"))
    with (other_engine / "fmnist" / "engine" / "training.py").open("a") as source:
        source.write("\n# an edit that changes the engine's code\n")
    workers = {"without": {"PYTHONPATH": str(no_fmnist)}, "edited": {"PYTHONPATH": str(other_engine)}}
    with dask_cluster(tmp_path, workers) as address:
        with pytest.raises(cluster.ClusterError) as caught:
            cluster.client_for(address)
    message = str(caught.value)
    assert "cannot run fmnist" in message and "install the project there" in message
    assert "other fmnist engine code" in message


def test_a_worker_keeps_one_training_child_per_arithmetic(monkeypatch):
    import concurrent.futures

    started = []

    class FakePool:
        def __init__(self, workers, mp_context, initializer, initargs):
            started.append(initargs[2:])

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", FakePool)
    monkeypatch.setattr(cluster, "_child", {})
    paper, better = CVConfig(), CVConfig(threads=2, onednn=True)
    first = cluster.child(paper)
    assert cluster.child(better) is not first
    assert cluster.child(paper) is first
    assert started == [(1, False), (2, True)]
