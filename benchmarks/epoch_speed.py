"""Benchmark: one fold-epoch of the paper's model, alone, side by side, and with other kernels.

`train_speed.py` times the whole of Table I. This one times a single epoch of fold 1
(48,000 images in batches of 32, then the 12,000 held-out images) in a fresh process,
so that the ways of running one epoch can be compared directly:

- alone: the project's step (one thread per op, TensorFlow's default kernels,
  deterministic ops), one fold and nothing else of the project's running;
- side by side: the same step, folds 1 and 2 in two processes at once, as `fmnist.experiments.cv`
  trains them; fold 1 must give the numbers it gives alone;
- two threads per op: one fold alone with TensorFlow's default thread count;
- oneDNN off: TensorFlow's Eigen kernels instead (`TF_ENABLE_ONEDNN_OPTS=0`);
- oneDNN on: oneDNN's kernels forced on (`TF_ENABLE_ONEDNN_OPTS=1`), which TensorFlow
  leaves off on some processors (AVX2-only ones among them) and on by default on others;
- two threads per op, oneDNN on: both, as the better CNN trains (`CVConfig.threads`, `CVConfig.onednn`);
- XLA: the training step compiled by XLA (`jit_compile`), which refuses TensorFlow's
  deterministic max-pooling gradient and so runs without deterministic ops.

Each variant trains a few epochs; the first, which includes tracing, is left out. The
variants run in turn, `--repeats` times, and each one's median epoch is reported with
its final held-out accuracy and whether its numbers are those of the alone run to the
last bit. The report goes to `benchmarks/results/epoch_speed.json`, which the book's
speed page shows.

    python benchmarks/epoch_speed.py                 # 3 epochs, twice each variant
    python benchmarks/epoch_speed.py --epochs 4 --repeats 3
    python benchmarks/epoch_speed.py --model better --variants alone "oneDNN on" "two threads per op, oneDNN on"

`--model better` times the better CNN's second walk from its start (the first walk's CNN,
batch 32) instead of the paper's model, into `benchmarks/results/epoch_speed_better.json`.

This is a benchmark, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pathlib
import statistics
import subprocess
import sys

import train_speed

DEFAULT_OUTPUT = train_speed.HERE / "results" / "epoch_speed.json"
# The seed of every variant's weights and batch order, so that their numbers can be compared.
SEED = 1
# The fold every single-process variant trains; side by side adds the next one.
FOLD_INDEX = 1


@dataclasses.dataclass(frozen=True)
class Variant:
    """One way of running an epoch: its processes, threads, kernels and compilation."""

    name: str
    description: str
    processes: int = 1
    threads_per_op: int = 1  # 0 is TensorFlow's default: one per core.
    environment: tuple[tuple[str, str], ...] = ()
    xla: bool = False

    @property
    def deterministic(self) -> bool:
        """Return whether the variant runs TensorFlow's deterministic ops (XLA refuses them)."""
        return not self.xla


ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
VARIANTS = {
    variant.name: variant
    for variant in (
        Variant("alone", "the project's step, one fold alone"),
        Variant("side by side", "the project's step, two folds in two processes at once", processes=2),
        Variant("two threads per op", "one fold alone, TensorFlow's default threads", threads_per_op=0),
        Variant("oneDNN off", "one fold alone, Eigen kernels instead of oneDNN", environment=(("TF_ENABLE_ONEDNN_OPTS", "0"),)),
        Variant("XLA", "one fold alone, the step compiled by XLA", xla=True),
        Variant("oneDNN on", "one fold alone, oneDNN's kernels forced on", environment=((ONEDNN, "1"),)),
        Variant(
            "two threads per op, oneDNN on",
            "one fold alone, two threads per op and oneDNN's kernels forced on",
            threads_per_op=2,
            environment=((ONEDNN, "1"),),
        ),
    )
}
MODELS = ("paper", "better")


def model_config(model: str, epochs: int):
    """Return the config whose model and training a run times: the paper's, or the better CNN's second walk's start."""
    from fmnist.config import CVConfig
    from fmnist.experiments import better_cnn

    if model == "paper":
        return CVConfig(epochs=epochs)
    start = better_cnn.ladder_start(CVConfig(epochs=epochs))
    # The variant sets the arithmetic itself.
    return dataclasses.replace(start, threads=1, onednn=False)


def train_epochs(variant: Variant, fold_index: int, epochs: int, model: str = "paper") -> dict:
    """Train one fold for some epochs the variant's way; return each epoch's seconds and held-out scores."""
    os.environ.update(dict(variant.environment))
    sys.path.insert(0, str(train_speed.ROOT))
    from fmnist.data import fashion_mnist
    from fmnist.engine import backend, fold_training, training

    backend.tf.config.threading.set_intra_op_parallelism_threads(variant.threads_per_op)
    backend.use_cores(variant.processes)
    backend.keras.utils.set_random_seed(SEED)
    if variant.deterministic:
        backend.tf.config.experimental.enable_op_determinism()
    config = model_config(model, epochs)
    x_train, y_train, x_test, y_test = fold_training.fold_data(config, fold_index, fashion_mnist.load())
    cnn = training.build_for_training(config, len(x_train))
    if variant.xla:
        cnn.jit_compile = True
    seconds: list[float] = []
    history = training.fit(
        cnn, x_train, y_train, config.batch_size, SEED, epochs=epochs, validation_data=(x_test, y_test),
        validation_batch_size=fold_training.EVAL_BATCH_SIZE, callbacks=[train_speed.epoch_timer(seconds)], verbose=0,
    )
    return {"fold_index": fold_index, "epoch_seconds": seconds, **{k: history.history[k] for k in ("val_loss", "val_accuracy")}}


def run_variant(variant: Variant, epochs: int, model: str = "paper") -> list[dict]:
    """Run a variant's processes at once; return what each printed."""
    command = [sys.executable, __file__, "--epochs", str(epochs), "--model", model, "--worker", variant.name, "--fold"]
    processes = [
        subprocess.Popen([*command, str(FOLD_INDEX + offset)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for offset in range(variant.processes)
    ]
    outputs = [process.communicate()[0] for process in processes]
    for process in processes:
        if process.returncode != 0:
            raise RuntimeError(f"variant {variant.name!r} failed with status {process.returncode}")
    return [json.loads(output.strip().splitlines()[-1]) for output in outputs]


def steady_epoch_seconds(run: dict) -> float:
    """Return the median seconds of a run's epochs after the first, which includes tracing."""
    return statistics.median(run["epoch_seconds"][1:])


def summarise(variant: Variant, runs: list[list[dict]], reference: dict) -> dict:
    """Return a variant's figures from its runs, compared with the alone run of the same fold."""
    seconds = statistics.median(steady_epoch_seconds(run) for processes in runs for run in processes)
    first_fold = runs[-1][0]
    return {
        "variant": variant.name,
        "description": variant.description,
        "processes": variant.processes,
        "seconds_per_epoch": seconds,
        "seconds_per_fold_epoch": seconds / variant.processes,
        "held_out_accuracy": first_fold["val_accuracy"][-1],
        "same_numbers_as_alone": first_fold["val_loss"] == reference["val_loss"],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the variants in turn and write the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run, the first left out (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each variant, in turn (default: %(default)s)")
    parser.add_argument("--output", type=pathlib.Path, default=None, help="JSON report (default: results/epoch_speed.json, or epoch_speed_better.json with --model better)")
    parser.add_argument("--model", choices=MODELS, default="paper", help="the model timed (default: %(default)s)")
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=None, help="the variants to run, alone first (default: all)")
    parser.add_argument("--worker", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--fold", type=int, default=FOLD_INDEX, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name, value, low, high in (("epochs", args.epochs, 2, 20), ("repeats", args.repeats, 1, 10)):
        if not low <= value <= high:
            parser.error(f"--{name} must be from {low} to {high}, got {value}")
    if args.worker:
        print(json.dumps(train_epochs(VARIANTS[args.worker], args.fold, args.epochs, args.model)))
        return 0
    names = args.variants or list(VARIANTS)
    if names[0] != "alone":
        parser.error("--variants must start with alone, the run every other one is compared with")
    output = args.output or DEFAULT_OUTPUT.with_name("epoch_speed.json" if args.model == "paper" else "epoch_speed_better.json")
    runs: dict[str, list[list[dict]]] = {name: [] for name in names}
    for repeat in range(args.repeats):
        for name in names:
            variant = VARIANTS[name]
            runs[name].append(run_variant(variant, args.epochs, args.model))
            seconds = ", ".join(f"{steady_epoch_seconds(run):.2f}" for run in runs[name][-1])
            print(f"run {repeat + 1}/{args.repeats}, {name}: {seconds} s per epoch", flush=True)
    # The first alone run: every later run of fold 1 with the same arithmetic must repeat it.
    reference = runs["alone"][0][0]
    variants = [summarise(VARIANTS[name], variant_runs, reference) for name, variant_runs in runs.items()]
    report = {
        "setup": {"fold": FOLD_INDEX, "epochs": args.epochs, "repeats": args.repeats, "model": args.model},
        "machine": train_speed.machine(),
        "variants": variants,
    }
    train_speed.write_report(report, output)
    for variant in variants:
        print(json.dumps(variant))
    return 0


if __name__ == "__main__":
    sys.exit(main())
