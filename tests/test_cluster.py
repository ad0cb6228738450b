"""The cluster engine: folds as tasks on a real Dask scheduler and workers, started here on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Callable

import psutil
import pytest

from conftest import comparable, wait_for
from fmnist import cli
from fmnist.config import CVConfig
from fmnist.experiments import cluster, cv, sweep
from fmnist.store import results
from fmnist.store.places import Places

START_TIMEOUT_SECONDS = 120
STOP_SECONDS = 15
TINY = CVConfig(folds=3, epochs=1, subset=900)
README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> tuple[str, str]:
    """Return the commands the README gives users to start a scheduler and a worker by hand."""
    lines = [line.split("#")[0].strip() for line in README.read_text().splitlines()]
    scheduler = next(line for line in lines if line.startswith("dask scheduler"))
    worker = next(line for line in lines if line.startswith("dask worker"))
    return scheduler, worker


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dask_cluster(tmp_path: pathlib.Path, workers: dict[str, dict[str, str]], processes_per_worker: int = 1):
    """Start a scheduler and a worker command per name on 127.0.0.1, as the README starts them; stop them all afterwards."""
    scheduler, worker = readme_commands()
    return cluster.local_cluster(
        tmp_path / "dask",
        workers,
        timeout=START_TIMEOUT_SECONDS,
        processes_per_worker=processes_per_worker,
        scheduler_command=scheduler,
        worker_command=worker,
    )


def test_the_readme_starts_a_cluster_with_the_commands_the_project_runs():
    assert readme_commands() == (cluster.SCHEDULER_COMMAND, cluster.WORKER_COMMAND)
    assert "--no-nanny" not in cluster.WORKER_COMMAND  # Users' workers have nannies: so do the tests'.


def test_a_worker_command_is_run_on_127_0_0_1_with_the_address_and_processes_given():
    argv = cluster.worker_argv("dask worker tcp://HOST:8786 --nthreads 1 --nworkers 4", "tcp://127.0.0.1:5000", 2)
    assert argv[1:] == ["worker", "tcp://127.0.0.1:5000", "--nthreads", "1", "--nworkers", "2", "--host", "127.0.0.1"]
    with pytest.raises(ValueError, match="names tcp://HOST:8786 and --nworkers"):
        cluster.worker_argv("dask worker tcp://other:1 --nthreads 1", "tcp://127.0.0.1:5000", 2)


def test_a_daemonic_process_may_start_its_training_child_and_stays_a_daemon():
    import multiprocessing

    process = multiprocessing.current_process()
    process._config["daemon"] = True
    try:
        with cluster.children_allowed():
            assert not process.daemon
        assert process.daemon
    finally:
        del process._config["daemon"]


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
    local_sweep = sweep.run_sweep(configs, Places(results_dir=tmp_path / "local"), report=lambda line: None)
    with dask_cluster(tmp_path, {"w": {}}, processes_per_worker=2) as address:
        lines = []
        folder, remote = cv.run_cv(TINY, results_dir=tmp_path / "cluster", report=lines.append, scheduler=address)
        remote_sweep = sweep.run_sweep(configs, Places(results_dir=tmp_path / "cluster", scheduler=address), report=lambda line: None)
    assert [comparable(fold) for fold in remote] == [comparable(fold) for fold in local]
    assert [[comparable(fold) for fold in folds] for _, _, folds in remote_sweep] == [
        [comparable(fold) for fold in folds] for _, _, folds in local_sweep
    ]
    assert sorted(path.name for path in folder.glob("fold-*.json")) == ["fold-1.json", "fold-2.json", "fold-3.json"]
    assert sum("saved: held-out accuracy" in line for line in lines) == TINY.folds
    # Each fold's epoch line, once from the local workers and once forwarded from the cluster's.
    assert capfd.readouterr().out.count("fold 1/3 epoch 1/1") == 2


@pytest.mark.slow
def test_a_local_cluster_with_its_default_nanny_workers_gives_the_local_numbers(tmp_path):
    import distributed

    _, local = cv.run_cv(TINY, results_dir=tmp_path / "local", report=lambda line: None)
    # LocalCluster's defaults (worker processes under nannies), but for the worker count and no dashboard port.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as local_cluster:
        try:
            _, remote = cv.run_cv(TINY, results_dir=tmp_path / "cluster", report=lambda line: None, scheduler=local_cluster.scheduler_address)
        finally:
            cluster.close_clients()
    assert [comparable(fold) for fold in remote] == [comparable(fold) for fold in local]


@pytest.mark.slow
def test_workers_started_by_a_dask_jobqueue_job_script_give_the_local_numbers(tmp_path):
    import shlex

    from dask_jobqueue import SLURMCluster

    _, local = cv.run_cv(TINY, results_dir=tmp_path / "local", report=lambda line: None)
    # The README's SLURM cluster, at its defaults but for its size; its scheduler listens on 127.0.0.1.
    with SLURMCluster(cores=2, processes=2, memory="4GB", scheduler_options={"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}) as slurm:
        # What a SLURM job would run: the job script's worker command line (nanny workers, as jobqueue starts them).
        worker_line = slurm.job_script().strip().splitlines()[-1]
        assert "--nanny" in worker_line and slurm.scheduler_address in worker_line
        with (tmp_path / "job.log").open("w") as log:
            job = subprocess.Popen(shlex.split(worker_line), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            cluster.wait_for_workers(slurm.scheduler_address, 2, START_TIMEOUT_SECONDS)
            _, remote = cv.run_cv(TINY, results_dir=tmp_path / "cluster", report=lambda line: None, scheduler=slurm.scheduler_address)
        finally:
            cluster.close_clients()
            cluster.stop([job])
    assert [comparable(fold) for fold in remote] == [comparable(fold) for fold in local]


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


def scheduler_process(address: str) -> psutil.Process:
    """Return the process of the scheduler listening at `address` (one `local_cluster` started)."""
    port = address.rsplit(":", 1)[1]
    (process,) = [
        process for process in psutil.process_iter(["cmdline"])
        if "scheduler" in (process.info["cmdline"] or []) and port in (process.info["cmdline"] or [])
    ]
    return process


def client_command(results: pathlib.Path, address: str, epochs: int) -> list[str]:
    """Return the command line of a small cross-validation on the cluster at `address`, saving into `results`."""
    return [sys.executable, "-m", "fmnist", "cv", "--folds", "4", "--epochs", str(epochs), "--subset", "8000", "--results", str(results), "--scheduler", address]


@contextlib.contextmanager
def running_client(tmp_path: pathlib.Path, epochs: int, started: Callable[[pathlib.Path, pathlib.Path], bool]):
    """Start a cluster as the README does and `fmnist cv` on it in a process; yield (address, process, results folder) once `started(results, worker log)`."""
    results = tmp_path / "results"
    with dask_cluster(tmp_path, {"w": {}}, processes_per_worker=2) as address:
        run = subprocess.Popen(client_command(results, address, epochs), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: started(results, tmp_path / "dask" / "w.log"), "start of the run", START_TIMEOUT_SECONDS)
            yield address, run, results
        finally:
            run.kill()


def a_fold_is_saved(results: pathlib.Path, worker_log: pathlib.Path) -> bool:
    """Return whether the run has saved a fold."""
    return any(results.rglob("fold-*.json"))


def training_is_under_way(results: pathlib.Path, worker_log: pathlib.Path) -> bool:
    """Return whether a worker has trained a first epoch and goes on."""
    return " epoch 1/" in worker_log.read_text()


@pytest.mark.slow
def test_a_scheduler_lost_in_the_middle_of_a_run_is_one_line_and_the_saved_folds_stay(tmp_path):
    with running_client(tmp_path, 3, a_fold_is_saved) as (address, run, results):
        scheduler_process(address).kill()
        _, errors = run.communicate(timeout=START_TIMEOUT_SECONDS)
    assert run.returncode == cli.EXIT_FAILURE
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) == 1, errors
    assert lines[0].startswith(f"fmnist: error: lost the Dask scheduler at {address} in the middle of the run")
    assert "saved: run the same command to train only the rest" in lines[0]
    saved = list(results.rglob("fold-*.json"))
    assert saved and all(json.loads(path.read_text())["fold_index"] for path in saved)


@pytest.mark.slow
def test_ctrl_c_on_the_client_stops_the_workers_training_in_seconds(tmp_path):
    import distributed

    # Folds of 30 epochs: each still trains long after the first epoch, whatever the load.
    with running_client(tmp_path, 30, training_is_under_way) as (address, run, results):
        with distributed.Client(address, set_as_default=False) as watcher:
            workers = watcher.run(os.getpid)
            children = [child for pid in workers.values() for child in psutil.Process(pid).children(recursive=True)]
            assert children, "the workers trained in no child process"
            run.send_signal(signal.SIGINT)
            _, errors = run.communicate(timeout=STOP_SECONDS)
            _, alive = psutil.wait_procs(children, timeout=STOP_SECONDS)
            assert alive == [], "a worker's training child went on after its client stopped"
            assert watcher.run(os.getpid) == workers, "the workers themselves stay, for the next run"
    assert run.returncode == cli.EXIT_INTERRUPTED
    assert errors.strip().splitlines()[-1].startswith("fmnist: stopped by Ctrl-C;")
    assert "Traceback" not in errors
    assert not any(results.rglob("fold-*.json")), "no fold of 30 epochs can have ended"


class FakeClient:
    """A client whose scheduler is at a fixed address, for `cluster_failures`."""

    scheduler = type("Scheduler", (), {"address": "tcp://127.0.0.1:8786"})()


def test_workers_that_keep_dying_are_one_error_line_naming_the_scheduler_and_what_is_saved():
    import distributed

    with pytest.raises(cluster.ClusterError) as caught:
        with cluster.cluster_failures(FakeClient(), lambda: 2):
            last_worker = type("WorkerState", (), {"address": "tcp://127.0.0.1:4000"})()
            raise distributed.KilledWorker("fold_task-1", last_worker, 3)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("workers of the Dask scheduler at tcp://127.0.0.1:8786 died one after another")
    assert message.endswith("the 2 folds that arrived before are saved: run the same command to train only the rest, "
                            "on a cluster that is up again or, without --scheduler, on this machine")


def test_a_lost_scheduler_is_one_error_line_and_counts_one_fold_right():
    import distributed

    with pytest.raises(cluster.ClusterError) as caught:
        with cluster.cluster_failures(FakeClient(), lambda: 1):
            raise distributed.client.FutureCancelledError("fold_task-1", reason="scheduler-connection-lost")
    assert str(caught.value).startswith("lost the Dask scheduler at tcp://127.0.0.1:8786 in the middle of the run (")
    assert "the 1 fold that arrived before is saved:" in str(caught.value)
