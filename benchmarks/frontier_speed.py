"""Benchmark: a quiet epoch of each budget-frontier model on all 60,000 training images.

The budget frontier (`fmnist.experiments.frontier`) trains each model as many epochs as
fit 10, 30 or 60 minutes on a quiet 2-core machine. This benchmark measures the epoch
those epochs come from: each model trains a few epochs on all 60,000 training images in
a fresh process, exactly as its official-test run trains (its threads, its kernels, its
batches and augmentation), and the median of its epochs after the first, which includes
tracing, is its epoch time. The models run in turn, `--repeats` times. The machine's load
is recorded before and after, and the book's frontier page uses the report only if the
machine was quiet throughout. The report goes to `benchmarks/results/frontier_speed.json`.
With `--screening` it times the 10-minute budget's candidates instead
(`fmnist.experiments.screening`), whose epochs come from it, into
`benchmarks/results/screening_speed.json`.

    python benchmarks/frontier_speed.py                  # 3 epochs, twice each model
    python benchmarks/frontier_speed.py --epochs 4 --repeats 3
    python benchmarks/frontier_speed.py --screening --repeats 1

This is a benchmark, not a test: run it on a quiet machine, with nothing else running.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import sys

import train_speed

DEFAULT_OUTPUT = train_speed.HERE / "results" / "frontier_speed.json"
SCREENING_OUTPUT = train_speed.HERE / "results" / "screening_speed.json"
# The seed of every timed training (its weights, batch order and augmentation).
SEED = 0


def model_names(screening: bool) -> list[str]:
    """Return the frontier's models (the budgets', and the 10-minute budget's before the screening where it differs), or with `screening` the 10-minute budget's candidates."""
    sys.path.insert(0, str(train_speed.ROOT))
    from fmnist import budgets
    from fmnist.experiments import frontier

    if screening:
        return [candidate.name for candidate in budgets.CANDIDATES]
    earlier = [candidate.model for candidate, _ in frontier.earlier_configs(frontier.model_configs())]
    return list(dict.fromkeys([budget.model for budget in budgets.BUDGETS] + earlier))


def model_config(model: str, screening: bool = False):
    """Return the config a frontier model trains with at the epochs of its longest budget (the earlier 10-minute model at its own), or with `screening` a candidate's at its own (the schedule's length; the time per epoch does not depend on it)."""
    sys.path.insert(0, str(train_speed.ROOT))
    from fmnist import budgets
    from fmnist.experiments import frontier, screening as candidates

    models = frontier.model_configs()
    if screening:
        [candidate] = [candidate for candidate in budgets.CANDIDATES if candidate.name == model]
        return candidates.candidate_config(candidate, models)
    its_budgets = [budget for budget in budgets.BUDGETS if budget.model == model]
    if not its_budgets:
        # The 10-minute budget's model before the screening, at its own epochs (seed 0).
        return next(config for candidate, config in frontier.earlier_configs(models) if candidate.model == model)
    longest = max(its_budgets, key=lambda budget: budget.epochs)
    return models[model](longest.epochs)


def train_epochs(model: str, epochs: int, screening: bool) -> dict:
    """Train a frontier model (or with `screening` a candidate) for some epochs on all 60,000 training images; return each epoch's seconds."""
    sys.path.insert(0, str(train_speed.ROOT))
    config = model_config(model, screening)
    from fmnist.engine import arithmetic

    arithmetic.configure_before_start(config.onednn)
    from fmnist.data import fashion_mnist
    from fmnist.engine import backend, training

    # As a training worker does, before TensorFlow's first op: its threads per op.
    backend.use_cores(1, config.threads)

    dataset = fashion_mnist.load()
    x_train, y_train = training.as_tensors(
        fashion_mnist.to_model_inputs(dataset.train_images), fashion_mnist.to_one_hot(dataset.train_labels)
    )
    seconds: list[float] = []
    training.train_new_model(config, SEED, x_train, y_train, "", None, until_epoch=epochs, callbacks=[train_speed.epoch_timer(seconds)])
    return {"model": model, "config": config.label(), "num_train": int(len(x_train)), "epoch_seconds": seconds}


def run_model(model: str, epochs: int, screening: bool) -> dict:
    """Time one model in a fresh process; return what it printed."""
    command = [sys.executable, __file__, "--epochs", str(epochs), "--worker", model, *(["--screening"] if screening else [])]
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"timing {model} failed with status {completed.returncode}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine_load() -> dict:
    """Return the machine's load averages and the training processes running now."""
    sys.path.insert(0, str(train_speed.ROOT))
    from fmnist import provenance

    return provenance.machine_load()


def main(argv: list[str] | None = None) -> int:
    """Time the models in turn and write the JSON report."""
    sys.path.insert(0, str(train_speed.ROOT))
    from fmnist import provenance

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run, the first left out (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each model, in turn (default: %(default)s)")
    parser.add_argument("--screening", action="store_true", help="time the 10-minute budget's candidates instead of the frontier's models")
    parser.add_argument("--output", type=pathlib.Path, default=None, help="JSON report (default: results/frontier_speed.json, with --screening results/screening_speed.json)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    models = model_names(args.screening)
    if args.worker is not None and args.worker not in models:
        parser.error(f"--worker must be one of {', '.join(models)}, got {args.worker!r}")
    output = args.output or (SCREENING_OUTPUT if args.screening else DEFAULT_OUTPUT)
    for name, value, low, high in (("epochs", args.epochs, 2, 20), ("repeats", args.repeats, 1, 10)):
        if not low <= value <= high:
            parser.error(f"--{name} must be from {low} to {high}, got {value}")
    if args.worker:
        print(json.dumps(train_epochs(args.worker, args.epochs, args.screening)))
        return 0
    load_before = machine_load()
    runs: dict[str, list[dict]] = {model: [] for model in models}
    for repeat in range(args.repeats):
        for model in models:
            runs[model].append(run_model(model, args.epochs, args.screening))
            print(f"run {repeat + 1}/{args.repeats}, {model}: {runs[model][-1]['epoch_seconds']} s", flush=True)
    report = {
        "setup": {"epochs": args.epochs, "repeats": args.repeats, "num_train": runs[models[0]][0]["num_train"]},
        "machine": {**train_speed.machine(), "cpu_kind": provenance.cpu_kind(), "load_before": load_before, "load_after": machine_load()},
        "models": [
            {
                "model": model,
                "config": model_runs[0]["config"],
                "epoch_seconds": [run["epoch_seconds"] for run in model_runs],
                "seconds_per_epoch": statistics.median(seconds for run in model_runs for seconds in run["epoch_seconds"][1:]),
            }
            for model, model_runs in runs.items()
        ],
    }
    train_speed.write_report(report, output)
    print(json.dumps(report["models"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
