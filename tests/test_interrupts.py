"""A run ends as a user ends it: Ctrl-C in a terminal, SIGTERM, its parent killed. It stops in seconds, says what is saved, and leaves no process behind."""

from __future__ import annotations

import os
import pathlib
import shlex
import signal
import subprocess
import sys
import time

import psutil
import pytest

from conftest import comparable, wait_for
from fmnist import cli
from fmnist.config import CVConfig
from fmnist.experiments import cv

# Three folds of four epochs on 6,000 images: a few seconds an epoch, long enough to stop in the middle.
CONFIG = CVConfig(folds=3, epochs=4, subset=6000)
OPTIONS = ["cv", "--folds", "3", "--epochs", "4", "--subset", "6000"]
STOP_SECONDS = 10
START_TIMEOUT_SECONDS = 180


def fmnist_command(results: pathlib.Path) -> list[str]:
    """Return the command line of a small cross-validation into `results`."""
    return [sys.executable, "-m", "fmnist", *OPTIONS, "--results", str(results)]


def training_has_started(results: pathlib.Path) -> bool:
    """Return whether some fold of the run in `results` has saved an epoch or its result."""
    return any(results.rglob("fold-*-state.npz")) or any(results.rglob("fold-*.json"))


def family(pid: int) -> list[psutil.Process]:
    """Return a process and all its descendants."""
    process = psutil.Process(pid)
    return [process, *process.children(recursive=True)]


def assert_all_ended(processes: list[psutil.Process], timeout: float = STOP_SECONDS) -> None:
    """Fail, naming them, if any of the processes is still running after `timeout` seconds."""
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    assert alive == [], [(process.pid, process.cmdline()) for process in alive]


@pytest.mark.slow
def test_ctrl_c_in_a_terminal_stops_a_run_in_seconds_and_the_next_run_goes_on_to_the_same_numbers(tmp_path):
    results, log, status = tmp_path / "results", tmp_path / "log.txt", tmp_path / "status.txt"
    session = f"fmnist-test-{os.getpid()}"
    shell_line = f"{shlex.join(fmnist_command(results))} > {log} 2>&1; echo $? > {status}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", shell_line], check=True)
    try:
        wait_for(lambda: "saved: held-out accuracy" in (log.read_text() if log.exists() else ""), "fold saved", START_TIMEOUT_SECONDS)
        (run,) = [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == fmnist_command(results)]
        processes = family(run.pid)
        assert len(processes) > 1, "the run trained in no worker process"
        subprocess.run(["tmux", "send-keys", "-t", session, "C-c"], check=True)
        pressed = time.monotonic()
        wait_for(lambda: status.exists() and status.read_text().strip() != "", "exit status", timeout=60)
        seconds = time.monotonic() - pressed
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    assert seconds < STOP_SECONDS, f"Ctrl-C took {seconds:.1f} s to stop the run"
    assert int(status.read_text()) == cli.EXIT_INTERRUPTED
    last_line = log.read_text().strip().splitlines()[-1]
    assert last_line.startswith("fmnist: stopped by Ctrl-C;") and "run the same command to go on" in last_line
    assert "Traceback" not in log.read_text()
    assert_all_ended(processes)
    _, resumed = cv.run_cv(CONFIG, results_dir=results, report=lambda line: None)
    _, whole = cv.run_cv(CONFIG, results_dir=tmp_path / "whole", report=lambda line: None)
    assert [comparable(fold) for fold in resumed] == [comparable(fold) for fold in whole]


@pytest.mark.slow
def test_sigterm_stops_a_run_in_seconds_with_its_own_status_and_ends_its_workers(tmp_path):
    results = tmp_path / "results"
    run = subprocess.Popen(fmnist_command(results), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(lambda: training_has_started(results), "epoch saved", START_TIMEOUT_SECONDS)
        processes = family(run.pid)
        run.send_signal(signal.SIGTERM)
        _, errors = run.communicate(timeout=STOP_SECONDS)
    finally:
        run.kill()
    assert run.returncode == cli.EXIT_TERMINATED
    assert errors.strip().splitlines()[-1].startswith("fmnist: stopped by SIGTERM;")
    assert "Traceback" not in errors
    assert_all_ended(processes)


@pytest.mark.slow
def test_workers_end_themselves_when_their_run_is_killed(tmp_path):
    results = tmp_path / "results"
    run = subprocess.Popen(fmnist_command(results), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: training_has_started(results), "epoch saved", START_TIMEOUT_SECONDS)
        workers = family(run.pid)[1:]
        assert workers, "the run trained in no worker process"
    finally:
        run.kill()
        run.wait()
    assert_all_ended(workers)


@pytest.mark.slow
def test_a_run_shows_its_progress_lines_and_none_of_tensorflows_warnings(tmp_path):
    command = [sys.executable, "-m", "fmnist", "cv", "--folds", "5", "--epochs", "2", "--subset", "3000", "--results", str(tmp_path)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    assert output.count(" saved: held-out accuracy") == 5
    assert "retracing" not in output and "WARNING" not in output, output


def sleep_for(seconds: float) -> int:
    """Sleep in a worker process, standing for a long fold; return the worker's process id."""
    time.sleep(seconds)
    return os.getpid()


def fail_in_worker() -> None:
    """Fail in a worker process, standing for a fold that breaks."""
    raise RuntimeError("a fold broke")


@pytest.mark.slow
def test_a_pool_whose_caller_fails_ends_its_workers_at_once_and_one_that_ends_well_leaves_none():
    from fmnist.experiments import executor

    with executor.worker_pool(2) as pool:
        pids = {pool.submit(sleep_for, 0).result(), pool.submit(sleep_for, 0).result()}
    assert_all_ended([psutil.Process(pid) for pid in pids if psutil.pid_exists(pid)], timeout=STOP_SECONDS)

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="a fold broke"):
        with executor.worker_pool(2) as pool:
            long_fold = pool.submit(sleep_for, 600)
            workers = [psutil.Process(process.pid) for process in pool._processes.values()]
            pool.submit(fail_in_worker).result()
    assert time.monotonic() - started < 60, "the pool waited for its long task"
    assert long_fold.cancelled() or long_fold.done()
    assert_all_ended(workers)
