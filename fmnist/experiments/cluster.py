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
one TensorFlow thread per op and one op at a time (`fmnist.engine.backend`). Before any
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

# How often a worker passes its child's progress lines on to the client, and the child
# looks whether its worker is still alive.
PROGRESS_POLL_SECONDS = 0.5
PARENT_POLL_SECONDS = 1.0

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
    """Close every client this process opened."""
    while _clients:
        _, client = _clients.popitem()
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
    import threading

    global _lines
    threading.Thread(target=end_with_parent, args=(worker,), daemon=True).start()
    executor.start_worker(os.cpu_count() or 1, threads, onednn)
    _lines = lines


def end_with_parent(parent: int) -> None:
    """End this process as soon as its parent process is gone."""
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


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
    worker draw from too, at moments that vary; a fold trained in the worker itself gave
    other numbers from run to run (measured: 3 of 3 tiny runs on two workers differed from
    the local run in some fold). The child has no other threads, like every worker process
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


def run_in_child(function: Callable, config: CVConfig, *args) -> dict:
    """Run a training function of a config in the worker's child process, forwarding its progress lines to the client."""
    import concurrent.futures.process

    pool, lines = child(config)
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
    try:
        for future in distributed.as_completed(futures, loop=client.loop):
            record(futures[future], future.result())
    finally:
        client.cancel(list(futures))


def run_test(client, config: CVConfig) -> dict:
    """Run a config's official-test training as one task on the cluster and return its result."""
    future = client.submit(test_task, config, pure=False)
    try:
        return future.result()
    finally:
        client.cancel([future])


@contextlib.contextmanager
def local_cluster(folder: pathlib.Path, workers: dict[str, dict[str, str]], timeout: float = WORKERS_TIMEOUT_SECONDS):
    """Start a Dask scheduler and single-threaded workers on 127.0.0.1, yield its address, then stop them all.

    `workers` maps each worker's name to extra environment variables for it; the logs go
    to `folder`. It is for tests and benchmarks: a real cluster is started with `dask
    scheduler` and `dask worker` (see the README).
    """
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = pathlib.Path(sys.executable).parent / "dask"
    folder.mkdir(parents=True, exist_ok=True)
    processes = []
    with contextlib.ExitStack() as logs:
        try:
            processes.append(
                subprocess.Popen(
                    [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    stdout=logs.enter_context((folder / "scheduler.log").open("w")),
                    stderr=subprocess.STDOUT,
                )
            )
            for name, environment in workers.items():
                processes.append(
                    subprocess.Popen(
                        [str(dask), "worker", address, "--name", name, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                         "--local-directory", str(folder / f"worker-{name}")],
                        stdout=logs.enter_context((folder / f"{name}.log").open("w")),
                        stderr=subprocess.STDOUT,
                        env={**os.environ, **environment},
                    )
                )
            wait_for_workers(address, len(workers), timeout)
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
    """Stop processes, the last started first; kill any that does not stop."""
    import subprocess

    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
