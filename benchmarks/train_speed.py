"""Benchmark: the paper's cross-validation the straightforward Keras way against the project's way.

Both ways train the paper's model with the paper's settings (batch 32, SGD 0.01 with
momentum 0.9, the held-out fold evaluated after every epoch) on the same folds, in
one run, alternating:

- straightforward: the author's loop, one fold after another in one process with
  TensorFlow's default threads and Keras's defaults: `model.fit(x, y, batch_size=32,
  validation_data=...)`, then `evaluate` with batch 32.
- project: `fmnist.experiments.cv.run_cv`, the folds' epochs shared out evenly between worker
  processes with one TensorFlow thread per op (a fold may start in one worker and
  end in the other, `fmnist.experiments.schedule`), each batch gathered inside the training
  step (`fmnist.engine.training`), a whole epoch per call into TensorFlow and evaluation
  in batches of 1,024.

It reports seconds per fold-epoch, images per second, the ratio, the arithmetic
rate against a float32 matrix-multiply peak measured on the spot, the peak memory
of each way's whole process tree, and each fold's held-out accuracy.

    python benchmarks/train_speed.py                    # 2 folds x 2 epochs, twice each way
    python benchmarks/train_speed.py --full             # Table I: 5 folds x 10 epochs, once each way
    python benchmarks/train_speed.py --full --repeats 2 # the same, twice each way, alternating

The speed-up compares each way's best run; the report also gives the ratio of each
pair of runs made one after the other, which shows how much the machine's load moved it.

This is a benchmark, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUTPUT = HERE / "results" / "latest.json"
MATMUL_SIZE = 2048
MATMUL_REPEATS = 5
MEMORY_SAMPLE_SECONDS = 0.2
KIB = 1024
# Training costs about three times the forward pass: forward, then gradients for inputs and weights.
TRAINING_PASSES = 3


def forward_flops_per_image() -> int:
    """Return the multiply-adds (counted as 2 FLOPs) of one forward pass of the paper's model."""
    conv = 26 * 26 * 32 * (3 * 3 * 1) * 2
    dense = (13 * 13 * 32 * 128 + 128 * 64 + 64 * 10) * 2
    return conv + dense


def matmul_peak_gflops() -> float:
    """Return the best float32 matrix-multiply rate numpy reaches here, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE), dtype=np.float32)
    b = rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE), dtype=np.float32)
    a @ b  # Warm up.
    best = float("inf")
    for _ in range(MATMUL_REPEATS):
        started = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - started)
    return 2 * MATMUL_SIZE**3 / best / 1e9


def tree_rss_kib(pid: int) -> int:
    """Return the resident memory of a process and all its descendants, in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = pathlib.Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in pathlib.Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, StopIteration):
            continue
    return total


def run_measured(command: list[str]) -> tuple[dict, float, int]:
    """Run a command that prints one JSON line last; return it, the wall seconds and peak tree memory (KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            done.wait(MEMORY_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {process.returncode}")
    return json.loads(output.strip().splitlines()[-1]), wall, peak


def straightforward(folds: list[int], epochs: int) -> None:
    """Train the folds the author's way in this process and print their held-out accuracies as JSON."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import sklearn.model_selection

    sys.path.insert(0, str(ROOT))
    from fmnist.data import fashion_mnist  # Only the data: fmnist.engine.backend is not imported, so TF keeps its default threads.

    dataset = fashion_mnist.load()
    images = fashion_mnist.to_model_inputs(dataset.train_images)
    labels = keras.utils.to_categorical(dataset.train_labels, 10)
    splits = list(sklearn.model_selection.KFold(n_splits=5, shuffle=True, random_state=1).split(images))
    accuracies = {}
    for fold in folds:
        train, test = splits[fold - 1]
        model = keras.Sequential(
            [
                keras.Input(shape=(28, 28, 1)),
                keras.layers.Conv2D(32, (3, 3), activation="relu", kernel_initializer="glorot_normal"),
                keras.layers.MaxPooling2D((2, 2)),
                keras.layers.Flatten(),
                keras.layers.Dense(128, activation="relu"),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(images[train], labels[train], epochs=epochs, batch_size=32, validation_data=(images[test], labels[test]), verbose=0)
        model.evaluate(images[train], labels[train], verbose=0)
        _, accuracy = model.evaluate(images[test], labels[test], verbose=0)
        accuracies[fold] = accuracy
    print(json.dumps({"accuracies": accuracies, "threads": "TensorFlow default"}))


def project(folds: list[int], epochs: int) -> None:
    """Train the folds with fmnist.experiments.cv in a fresh results folder and print their held-out accuracies as JSON."""
    sys.path.insert(0, str(ROOT))
    from fmnist.experiments import cv
    from fmnist.config import CVConfig

    with tempfile.TemporaryDirectory() as results_dir:
        _, results = cv.run_cv(CVConfig(epochs=epochs), results_dir=results_dir, report=lambda line: None, only_folds=folds)
    print(json.dumps({"accuracies": {fold.fold_index: fold.held_out_accuracy for fold in results}, "threads": "1 per worker"}))


def summarise(way: str, runs: list[tuple[dict, float, int]], folds: list[int], epochs: int) -> dict:
    """Return one way's figures from its runs: time per fold-epoch, rates, memory, accuracies."""
    fold_epochs = len(folds) * epochs
    train_images, held_out_images = 48_000, 12_000
    flops = fold_epochs * (train_images * TRAINING_PASSES + held_out_images) * forward_flops_per_image()
    flops += len(folds) * (train_images + held_out_images) * forward_flops_per_image()
    walls = [wall for _, wall, _ in runs]
    best = min(walls)
    return {
        "way": way,
        "wall_seconds": walls,
        "seconds_per_fold_epoch": best / fold_epochs,
        "training_images_per_second": fold_epochs * train_images / best,
        "gflops_per_second": flops / best / 1e9,
        "peak_memory_gib": max(peak for _, _, peak in runs) / KIB / KIB,
        "held_out_accuracy": runs[-1][0]["accuracies"],
        "threads": runs[-1][0]["threads"],
    }


def paired_ratios(straightforward_runs: list, project_runs: list) -> list[float]:
    """Return the straightforward run's wall time over the project's, for each repeat."""
    return [slow[1] / fast[1] for slow, fast in zip(straightforward_runs, project_runs)]


def machine() -> dict:
    """Return the processor, core count and versions this benchmark ran with."""
    sys.path.insert(0, str(ROOT))
    from fmnist import provenance

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu": provenance.cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": provenance.package_version("tensorflow", "tensorflow-cpu"),
        "keras": provenance.package_version("keras"),
    }


def epoch_timer(seconds: list[float]):
    """Return a Keras callback that appends each epoch's wall seconds to `seconds` (import it after TensorFlow is set up)."""
    sys.path.insert(0, str(ROOT))
    from fmnist.engine import backend

    started = {}

    def on_epoch_begin(epoch, logs=None):
        started["time"] = time.perf_counter()

    def on_epoch_end(epoch, logs=None):
        seconds.append(time.perf_counter() - started["time"])

    return backend.keras.callbacks.LambdaCallback(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end)


def write_report(report: dict, output: pathlib.Path) -> None:
    """Write a benchmark's report as JSON, atomically."""
    sys.path.insert(0, str(ROOT))
    from fmnist.store import results

    output.parent.mkdir(parents=True, exist_ok=True)
    results.write_json_atomic(output, report)


def markdown(report: dict) -> str:
    """Return the benchmark's figures as a Markdown table."""
    rows = [
        "| way | s per fold-epoch | training images/s | GFLOP/s (% of matmul peak) | peak memory (GiB) | held-out accuracy per fold |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for way in report["ways"]:
        accuracy = ", ".join(f"{100 * value:.2f}" for value in way["held_out_accuracy"].values())
        share = 100 * way["gflops_per_second"] / report["matmul_peak_gflops"]
        rows.append(
            f"| {way['way']} | {way['seconds_per_fold_epoch']:.2f} | {way['training_images_per_second']:,.0f} | "
            f"{way['gflops_per_second']:.1f} ({share:.0f}%) | {way['peak_memory_gib']:.2f} | {accuracy} |"
        )
    setup = report["setup"]
    return "\n".join(
        [
            f"{setup['folds']} folds x {setup['epochs']} epochs, {setup['repeats']} run(s) each way, best run shown; "
            f"{report['machine']['cpu']}, {report['machine']['cores']} cores, TensorFlow {report['machine']['tensorflow']}, "
            f"{report['machine']['date']}.",
            "",
            *rows,
            "",
            f"Speed-up: **{report['speedup']:.2f}x** (best runs; per repeat: "
            f"{', '.join(f'{ratio:.2f}x' for ratio in report['speedup_per_repeat'])}). "
            f"Matrix-multiply peak: {report['matmul_peak_gflops']:.0f} GFLOP/s.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="Table I at the paper's settings: 5 folds x 10 epochs")
    parser.add_argument("--folds", type=int, default=2, help="folds to train, from fold 1 (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per fold (default: %(default)s)")
    parser.add_argument("--repeats", type=int, help="runs of each way, alternating (default: 2, or 1 with --full)")
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT, help="JSON report (default: %(default)s)")
    parser.add_argument("--worker", choices=["straightforward", "project"], help=argparse.SUPPRESS)
    parser.add_argument("--fold-list", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        folds = [int(fold) for fold in args.fold_list.split(",")]
        (straightforward if args.worker == "straightforward" else project)(folds, args.epochs)
        return 0
    folds_count, epochs = (5, 10) if args.full else (args.folds, args.epochs)
    repeats = args.repeats if args.repeats is not None else (1 if args.full else 2)
    for name, value, low, high in (("folds", folds_count, 1, 5), ("epochs", epochs, 1, 100), ("repeats", repeats, 1, 10)):
        if not low <= value <= high:
            parser.error(f"--{name} must be from {low} to {high}, got {value}")
    folds = list(range(1, folds_count + 1))
    peak = matmul_peak_gflops()
    runs = {"straightforward": [], "project": []}
    for repeat in range(repeats):
        for way in runs:
            command = [sys.executable, __file__, "--worker", way, "--fold-list", ",".join(map(str, folds)), "--epochs", str(epochs)]
            result = run_measured(command)
            runs[way].append(result)
            print(f"run {repeat + 1}/{repeats}, {way}: {result[1]:.1f} s, peak {result[2] / KIB / KIB:.2f} GiB", flush=True)
    ways = [summarise(way, way_runs, folds, epochs) for way, way_runs in runs.items()]
    report = {
        "setup": {"folds": folds_count, "epochs": epochs, "repeats": repeats},
        "machine": machine(),
        "matmul_peak_gflops": peak,
        "ways": ways,
        "speedup": ways[0]["seconds_per_fold_epoch"] / ways[1]["seconds_per_fold_epoch"],
        "speedup_per_repeat": paired_ratios(runs["straightforward"], runs["project"]),
    }
    write_report(report, args.output)
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
