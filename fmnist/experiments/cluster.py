"""Running the experiments' tasks on a Dask cluster: one whole fold, or one official-test run, per task.

With a scheduler address (`--scheduler`, `$FMNIST_SCHEDULER`, or a notebook's `scheduler`
parameter), every fold that has no saved result becomes one Dask task, a plain function of
(settings, fold index) that returns the fold's result. The client saves each result into
the results folder atomically as it arrives, so the workers need no shared file system,
and a run stopped part-way goes on from the folds it saved. A worker that dies in the
middle of a fold loses only that task, which the scheduler gives to another worker; since
a fold's numbers depend only on its settings, they are the same wherever it ran.

Each worker should run one task at a time (`dask worker ADDRESS --nthreads 1`) and finds
the data as `fmnist data` does. It trains in a child process of its own (`child`), with
one TensorFlow thread per op and one op at a time (`fmnist.engine.backend`); a worker
that a nanny started (Dask's default, `LocalCluster`'s and dask-jobqueue's) may start it
too (`children_allowed`). Before any
work, `client_for` checks that a scheduler answers and that every worker runs the same
engine code and library versions as this process and finds the same data; a worker that
does not gets one clear error.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
from typing import Callable

from fmnist.config import CVConfig
from fmnist.experiments import executor

ENV_SCHEDULER = "FMNIST_SCHEDULER"
# How long to wait for a scheduler to answer, and for its first worker to join.
CONNECT_TIMEOUT_SECONDS = 10
WORKERS_TIMEOUT_SECONDS = 60
# How long a stopped cluster process may take to end before it is killed.
STOP_TIMEOUT_SECONDS = 20
HOW_TO_START = (
    "start one with `dask scheduler`, then workers with `dask worker ADDRESS --nthreads 1 --nworkers N` "
    "where the project and its data are installed; or leave the scheduler out to train on this machine"
)

# How often a worker passes its child's progress lines on to the client.
PROGRESS_POLL_SECONDS = 0.5

_clients: dict[str, object] = {}
# Each worker's child processes that train, one per arithmetic, with the queue of their progress lines (see `child`).
_child: dict[tuple[int, bool], tuple] = {}
_lines = None


class ClusterError(RuntimeError):
    """The Dask cluster cannot run the project's tasks."""


def scheduler_address(chosen: str | None = None) -> str | None:
    """Return the scheduler to use: the one chosen, else $FMNIST_SCHEDULER, else None (this machine)."""
    return chosen or os.environ.get(ENV_SCHEDULER) or None


def checked_scheduler(chosen: str | None = None) -> str | None:
    """Return the scheduler to use (as `scheduler_address`), connecting to it and checking its workers now if there is one."""
    address = scheduler_address(chosen)
    if address:
        client_for(address)
    return address


def client_for(address: str):
    """Return a Dask client of the scheduler at `address`, connected once and checked (see `check_workers`)."""
    client = _clients.get(address)
    if client is not None and client.status == "running":
        return client
    import distributed

    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"no Dask scheduler answers at {address} ({error}); {HOW_TO_START}") from None
    try:
        check_workers(client, address)
    except BaseException:
        client.close()
        raise
    _clients[address] = client
    return client


def close_clients() -> None:
    """Close every client this process opened; one whose scheduler is gone closes without logging its reconnection's traceback."""
    import logging

    while _clients:
        _, client = _clients.popitem()
        if client.status != "running":
            # Its scheduler is lost and the user has been told so in one line; Dask's client would
            # log its cancelled reconnection as an error with a traceback, now or as the process ends.
            logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
        client.close()


def worker_facts() -> dict:
    """Return, on a worker, what decides its numbers: the engine's code, the library versions and the data."""
    from fmnist.data import fashion_mnist
    from fmnist.store import results

    facts = {"engine code": results.code_fingerprint(), "libraries": results.library_versions()}
    try:
        # Loaded and dropped: the worker's child process, which trains, loads its own copy.
        facts["data"] = fashion_mnist.load().checksums
    except (OSError, RuntimeError, ValueError) as error:
        facts["data error"] = str(error).splitlines()[0]
    facts["data expected"] = fashion_mnist.FASHION_MNIST.checksums()
    return facts


def worker_problems(name: str, facts: object) -> list[str]:
    """Return what keeps one worker from giving this process's numbers, given its `worker_facts` (or the error it raised)."""
    from fmnist.store import results

    if isinstance(facts, BaseException):
        return [f"worker {name} cannot run fmnist ({type(facts).__name__}: {facts}): install the project there"]
    problems = []
    if facts["engine code"] != results.code_fingerprint():
        problems.append(f"worker {name} runs other fmnist engine code: install this checkout's version there")
    ours = results.library_versions()
    for library, version in facts["libraries"].items():
        if version != ours.get(library):
            problems.append(f"worker {name} has {library} {version}, this process {ours.get(library)}: install the same version")
    if "data error" in facts:
        problems.append(f"worker {name} has no Fashion-MNIST: {facts['data error']}; run `fmnist data` there")
    elif facts["data"] != facts["data expected"]:
        problems.append(f"worker {name} has other Fashion-MNIST files: run `fmnist data` there")
    return problems


def check_workers(client, address: str) -> None:
    """Raise ClusterError, naming each worker and what it lacks, unless every worker can run the tasks."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_SECONDS)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {address} has no workers after {WORKERS_TIMEOUT_SECONDS} s; {HOW_TO_START}") from None
    reports = client.run(worker_facts, on_error="return")
    problems = [problem for name, facts in sorted(reports.items()) for problem in worker_problems(name, facts)]
    if problems:
        raise ClusterError("the Dask cluster cannot give this checkout's numbers:\n- " + "\n- ".join(problems))


def forward(line: str) -> None:
    """Print a line of a task's progress on the client that submitted it, and in the worker's log."""
    import distributed

    distributed.print(line, flush=True)


def start_child(lines, worker: int, threads: int = 1, onednn: bool = False) -> None:
    """Start a worker's child process with a run's arithmetic, progress lines sent back on `lines`.

    The child ends itself when its `worker` process is gone, so that a killed worker
    leaves no training behind.
    """
    global _lines
    executor.start_worker(os.cpu_count() or 1, threads, onednn, parent=worker)
    _lines = lines


def report_to_worker(line: str) -> None:
    """Send a progress line from the child process to the worker that runs it."""
    _lines.put(line)


def fold_in_child(config: CVConfig, fold_index: int) -> dict:
    """Train one whole fold in the worker's child process and return its result."""
    from fmnist.engine import fold_training

    return fold_training.run_fold(config, fold_index, executor.load_in_worker(None), report=report_to_worker)


def test_in_child(config: CVConfig) -> dict:
    """Train on all training images in the worker's child process, score the official test images and return the result."""
    from fmnist.engine import official_test

    return official_test.train_and_test(config, executor.load_in_worker(None), report=report_to_worker)


def child(config: CVConfig):
    """Return this worker's child process pool for a config's arithmetic (started on first use) and the queue of its progress lines.

    The training runs in a child process, not in the worker's own task thread: Keras draws
    the seeds of new layers from Python's global `random`, which Dask's own threads in the
    worker draw from too, at moments that vary, so a fold trained in the worker itself can
    give other numbers from run to run (`tests/test_cluster.py` checks the child's runs
    against a local run, bit for bit). The child has no other threads, like every worker process
    of a run on one machine, and gives the local numbers to the last bit. A run that
    computes otherwise (more threads per op, oneDNN's kernels) gets a child of its own,
    started with that arithmetic.
    """
    arithmetic = (config.threads, config.onednn)
    if arithmetic not in _child:
        import concurrent.futures.process
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        lines = context.SimpleQueue()
        pool = concurrent.futures.ProcessPoolExecutor(
            1, mp_context=context, initializer=start_child, initargs=(lines, os.getpid(), *arithmetic)
        )
        _child[arithmetic] = (pool, lines)
    return _child[arithmetic]


@contextlib.contextmanager
def children_allowed():
    """Within the block, let this process start child processes even if it is a daemon.

    A Dask worker started by a nanny (`dask worker` and `LocalCluster` by default,
    dask-jobqueue's workers too) is a daemonic process, and Python refuses a daemon
    children ("daemonic processes are not allowed to have children"), because a daemon is
    ended without waiting for them. The training child ends itself once its worker is
    gone (`fmnist.experiments.executor.end_with_parent`), which is what the rule guards.
    The flag lives in the process's `_config`, where `multiprocessing` reads it.
    """
    import multiprocessing

    config = multiprocessing.current_process()._config
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def run_in_child(function: Callable, config: CVConfig, *args) -> dict:
    """Run a training function of a config in the worker's child process, forwarding its progress lines to the client."""
    import concurrent.futures.process

    pool, lines = child(config)
    with children_allowed():
        # The pool starts its process on the first task it is given.
        future = pool.submit(function, config, *args)
    while True:
        done, _ = concurrent.futures.wait([future], timeout=PROGRESS_POLL_SECONDS)
        while not lines.empty():
            forward(lines.get())
        if done:
            try:
                return future.result()
            except concurrent.futures.process.BrokenProcessPool:
                _child.pop((config.threads, config.onednn), None)  # The child died (out of memory, say): the next task starts a new one.
                raise
        if task_cancelled():
            # The client stopped (Ctrl-C) or gave the task up: stop training now rather than at the fold's end.
            executor.end_pool(_child.pop((config.threads, config.onednn))[0])
            raise TaskCancelled("the client cancelled this task; its training child was stopped")


class TaskCancelled(RuntimeError):
    """A task's client cancelled it while it trained."""


def task_cancelled() -> bool:
    """Return whether the Dask task this thread runs has been cancelled by its client (False outside a task)."""
    import distributed

    try:
        worker = distributed.get_worker()
    except ValueError:
        return False
    task = worker.state.tasks.get(worker.get_current_task())
    return task is None or task.state in ("cancelled", "released", "forgotten")


def fold_task(config: CVConfig, fold_index: int) -> dict:
    """Train one whole fold on a worker (in its child process) and return its result."""
    return run_in_child(fold_in_child, config, fold_index)


def test_task(config: CVConfig) -> dict:
    """Train on all training images on a worker (in its child process) and return the official-test result."""
    return run_in_child(test_in_child, config)


def run_folds(client, folds: list[tuple[CVConfig, int]], record: Callable[[CVConfig, dict], None]) -> None:
    """Run each (config, fold index) as a task on the cluster; record each result as it arrives, in any order."""
    import distributed

    futures = {client.submit(fold_task, config, fold_index, pure=False): config for config, fold_index in folds}
    saved = 0
    try:
        with cluster_failures(client, lambda: saved):
            for future in distributed.as_completed(futures, loop=client.loop):
                record(futures[future], future.result())
                saved += 1
    finally:
        cancel(client, list(futures))


def run_test(client, config: CVConfig) -> dict:
    """Run a config's official-test training as one task on the cluster and return its result."""
    future = client.submit(test_task, config, pure=False)
    try:
        with cluster_failures(client, lambda: 0):
            return future.result()
    finally:
        cancel(client, [future])


def cancel(client, futures: list) -> None:
    """Cancel tasks that are still waiting or running (Ctrl-C, an error), if the scheduler can still be told."""
    if client.status == "running":
        with contextlib.suppress(Exception):
            client.cancel(futures)


@contextlib.contextmanager
def cluster_failures(client, saved: Callable[[], int]):
    """Turn the ways a cluster fails under a run (a lost scheduler, workers that keep dying) into one ClusterError line."""
    import concurrent.futures

    import distributed
    from distributed.comm.core import CommClosedError

    address = client.scheduler.address
    try:
        yield
    except distributed.KilledWorker as error:
        raise ClusterError(
            f"workers of the Dask scheduler at {address} died one after another while training one task "
            f"({str(error).splitlines()[0]}); {what_is_saved(saved())}"
        ) from None
    except (concurrent.futures.CancelledError, CommClosedError, TimeoutError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ClusterError(f"lost the Dask scheduler at {address} in the middle of the run ({reason}); {what_is_saved(saved())}") from None


def what_is_saved(count: int) -> str:
    """Return what a run that lost its cluster kept, and how to go on."""
    folds = "the 1 fold that arrived before is saved" if count == 1 else f"the {count} folds that arrived before are saved"
    return (
        f"{folds}: run the same command to train only the rest, "
        "on a cluster that is up again or, without --scheduler, on this machine"
    )


# The commands the README gives users to start a cluster by hand; `local_cluster` runs them
# on 127.0.0.1 (the tests read them from the README itself).
SCHEDULER_COMMAND = "dask scheduler"
WORKER_COMMAND = "dask worker tcp://HOST:8786 --nthreads 1 --nworkers 4"
PLACEHOLDER_ADDRESS = "tcp://HOST:8786"


def scheduler_argv(command: str, port: int) -> list[str]:
    """Return the scheduler's command line as `command` gives it, listening on 127.0.0.1 at `port` without a dashboard."""
    program, *arguments = command.split()
    return [str(dask_program(program)), *arguments, "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]


def worker_argv(command: str, address: str, processes: int) -> list[str]:
    """Return a worker's command line as `command` gives it, for the scheduler at `address`, with `processes` worker processes on 127.0.0.1."""
    program, *arguments = command.split()
    arguments = [address if argument == PLACEHOLDER_ADDRESS else argument for argument in arguments]
    if address not in arguments or "--nworkers" not in arguments:
        raise ValueError(f"a worker command names {PLACEHOLDER_ADDRESS} and --nworkers: {command!r}")
    arguments[arguments.index("--nworkers") + 1] = str(processes)
    return [str(dask_program(program)), *arguments, "--host", "127.0.0.1"]


def dask_program(name: str) -> pathlib.Path:
    """Return the `dask` program beside this Python."""
    import sys

    if name != "dask":
        raise ValueError(f"a cluster command starts with `dask`, not {name!r}")
    return pathlib.Path(sys.executable).parent / "dask"


@contextlib.contextmanager
def local_cluster(
    folder: pathlib.Path,
    workers: dict[str, dict[str, str]],
    timeout: float = WORKERS_TIMEOUT_SECONDS,
    processes_per_worker: int = 1,
    scheduler_command: str = SCHEDULER_COMMAND,
    worker_command: str = WORKER_COMMAND,
):
    """Start a Dask scheduler and workers on 127.0.0.1 with the README's commands, yield its address, then stop them all.

    Each entry of `workers` is one worker command (a nanny and `processes_per_worker`
    single-threaded worker processes under it), run with extra environment variables;
    the logs go to `folder`. It is for tests and benchmarks: a real cluster is started
    by hand with the same commands (see the README). Every process it started, and each
    one's children, is ended when the block is left, however it is left.
    """
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    processes = []
    with contextlib.ExitStack() as logs:
        try:
            commands = [("scheduler", scheduler_argv(scheduler_command, port), {})]
            commands += [(name, worker_argv(worker_command, address, processes_per_worker), environment) for name, environment in workers.items()]
            for name, argv, environment in commands:
                processes.append(
                    subprocess.Popen(
                        argv,
                        cwd=folder,
                        stdout=logs.enter_context((folder / f"{name}.log").open("w")),
                        stderr=subprocess.STDOUT,
                        env={**os.environ, **environment},
                        start_new_session=True,
                    )
                )
            wait_for_workers(address, len(workers) * processes_per_worker, timeout)
            yield address
        finally:
            close_clients()
            stop(processes)


def wait_for_workers(address: str, count: int, timeout: float) -> None:
    """Wait until `count` workers have joined the scheduler at `address`."""
    import time

    import distributed

    deadline = time.monotonic() + timeout
    while True:
        try:
            with distributed.Client(address, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False) as client:
                client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(PROGRESS_POLL_SECONDS)


def stop(processes: list) -> None:
    """Stop processes, each started in a session of its own, the last started first, with all their children; kill what does not stop."""
    import signal
    import subprocess

    for process in reversed(processes):
        signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        signal_group(process, signal.SIGKILL)
        process.wait()


def signal_group(process, signal_number: int) -> None:
    """Send a signal to the process group that `process` leads, if it is still there."""
    try:
        os.killpg(process.pid, signal_number)
    except ProcessLookupError:
        pass
