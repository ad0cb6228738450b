# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Speed: how Table I is computed in minutes
#
# The cross-validation is the expensive part of every build of this book. The paper's
# author ran it the straightforward way: `model.fit` with Keras's defaults, one fold after
# another. This project computes exactly the same experiment (batch 32, SGD with momentum,
# the same folds, the held-out fold scored after every epoch) in a different way:
#
# - **Folds in parallel processes**, one thread per TensorFlow op. A fold is a plain
#   function of (settings, fold index), so folds are independent tasks; one thread per op
#   also makes a fold's numbers the same whether it runs alone or beside another.
#   Processes that train side by side run one op at a time each, because a second busy
#   thread in each would only compete for the same cores.
# - **The epochs shared out evenly** (`fmnist.experiments.schedule`). Five folds of ten epochs on
#   two cores would take three rounds of whole folds, with one core idle in the last.
#   Instead each worker gets 25 epochs: one fold's first epochs train in one worker at
#   the start and its last epochs in the other at the end, going on from the training
#   state saved after every epoch (`fmnist.engine.checkpoints`: weights, momentum, step count
#   and random-seed states). Trained on from a saved state, a fold gives the numbers of
#   an uninterrupted run to the last bit, and so does a run stopped and started again.
# - **Batches gathered inside the training step** (`fmnist.engine.training`). Given arrays,
#   `model.fit` gathers each batch in background threads and hands it over to the thread
#   that trains. The project feeds the model only each batch's sample indices and gathers
#   the images inside the training step, so no step waits on another thread. Each epoch
#   has its own order, drawn from the fold's seed and the epoch's number, as the paper's
#   Keras 2 `fit` shuffled anew every epoch; the numbers are those of `model.fit` fed the
#   same batches, to the last bit.
# - **Images kept as bytes**: a worker holds its folds' images as uint8 pixels and scales
#   each gathered batch inside the step with the same table of 256 values that
#   `fmnist.data.fashion_mnist.to_model_inputs` uses, so the numbers are the same while the images take
#   a quarter of the memory. This keeps the peak memory of both workers together low.
# - **A whole epoch per call into TensorFlow** (`steps_per_execution`), which removes
#   Python's per-step overhead for a model this small.
# - **Evaluation in batches of 1,024**: evaluation trains nothing, so a larger batch only
#   saves time. The final model's held-out score is the last epoch's evaluation, the
#   same to the last bit, rather than a second pass over the held-out images.
#
# `benchmarks/train_speed.py` trains both ways on the same folds in one run, alternating,
# and records its figures in `benchmarks/results/latest.json`; `benchmarks/epoch_speed.py`
# times single epochs run in other ways and records them in
# `benchmarks/results/epoch_speed.json`. This page shows the latest of both; it measures
# nothing itself.

# %% tags=["parameters"]
# The benchmark reports to show; None is the report in benchmarks/results/ of the checkout.
report_path = None
epoch_report_path = None

# %%
import json
import pathlib

import pandas as pd
from myst_nb import glue

BENCHMARK_RESULTS = pathlib.Path("..") / "benchmarks" / "results"


def read_report(chosen: str | None, default_name: str, script: str) -> dict:
    """Return a benchmark's JSON report, refusing a path that does not exist."""
    path = pathlib.Path(chosen) if chosen else BENCHMARK_RESULTS / default_name
    if not path.is_file():
        raise ValueError(f"{path} does not exist: run `python benchmarks/{script}` first")
    return json.loads(path.read_text())


report = read_report(report_path, "latest.json", "train_speed.py")
epoch_report = read_report(epoch_report_path, "epoch_speed.json", "epoch_speed.py")
machine = report["machine"]
setup = report["setup"]
pd.Series({**machine, **setup, "matmul peak (GFLOP/s)": round(report["matmul_peak_gflops"], 1)}, name="benchmark")

# %%
ways = pd.DataFrame(report["ways"]).set_index("way")
ways["share of matmul peak (%)"] = 100 * ways["gflops_per_second"] / report["matmul_peak_gflops"]
accuracy = pd.DataFrame(ways["held_out_accuracy"].tolist(), index=ways.index).mul(100)
accuracy.columns = [f"held-out accuracy, fold {fold} (%)" for fold in accuracy.columns]
shown = ways.drop(columns=["wall_seconds", "held_out_accuracy"]).join(accuracy)
glue("speedup", report["speedup"], display=False)
glue("runs_each", "one run each" if setup["repeats"] == 1 else f"best of {setup['repeats']} runs each", display=False)
glue("speedup_per_repeat", ", ".join(f"{ratio:.2f}" for ratio in report["speedup_per_repeat"]), display=False)
glue("benchmark_date", machine["date"][:10], display=False)
glue("benchmark_cpu", machine["cpu"], display=False)
glue("straightforward_seconds", float(ways.loc["straightforward", "seconds_per_fold_epoch"]), display=False)
glue("project_seconds", float(ways.loc["project", "seconds_per_fold_epoch"]), display=False)
glue("project_memory", float(ways.loc["project", "peak_memory_gib"]), display=False)
glue("project_share", float(ways.loc["project", "share of matmul peak (%)"]), display=False)
glue("straightforward_accuracy", float(accuracy.loc["straightforward"].mean()), display=False)
glue("project_accuracy", float(accuracy.loc["project"].mean()), display=False)
shown.style.format(precision=2)

# %% [markdown]
# On {glue:text}`benchmark_date`, on a {glue:text}`benchmark_cpu`, one fold-epoch took
# {glue:text}`straightforward_seconds:.2f` seconds the straightforward way and
# {glue:text}`project_seconds:.2f` seconds the project's way (wall time divided by the
# number of fold-epochs, {glue:text}`runs_each`): **{glue:text}`speedup:.2f`
# times faster**, with a peak memory of {glue:text}`project_memory:.2f` GiB for all
# processes together. The two ways ran alternately; each pair of runs made one after the
# other gave a ratio of {glue:text}`speedup_per_repeat`, which shows how much the load of
# this shared machine moves the figure. The project's way uses
# {glue:text}`project_share:.0f`% of the float32 matrix-multiply rate that numpy reaches on
# the same machine. The mean held-out accuracy over the folds is
# {glue:text}`straightforward_accuracy:.2f`% the straightforward way and
# {glue:text}`project_accuracy:.2f`% the project's. The procedure is the same; the
# straightforward way fixes no seed, so its weights and batch orders are other random
# draws, and its folds differ from the project's by that noise.
#
# ## One epoch, run in other ways
#
# Where does the time go, and would other kernels do better? `benchmarks/epoch_speed.py`
# times the epochs of fold 1 (48,000 images in batches of 32, then the 12,000 held-out
# images) in fresh processes, each variant in turn, leaving out the first epoch, which
# traces the step. "Same numbers as alone" says whether a variant's held-out losses are
# those of the project's step alone to the last bit.

# %%
variants = pd.DataFrame(epoch_report["variants"]).set_index("variant")
alone_seconds = variants.loc["alone", "seconds_per_epoch"]
variants["time relative to alone"] = variants["seconds_per_epoch"] / alone_seconds
variants["held_out_accuracy"] *= 100
side_by_side = variants.loc["side by side"]
glue("epoch_date", epoch_report["machine"]["date"][:10], display=False)
glue("epoch_repeats", epoch_report["setup"]["repeats"], display=False)
glue("epoch_epochs", epoch_report["setup"]["epochs"], display=False)
glue("alone_seconds", float(alone_seconds), display=False)
glue("side_seconds", float(side_by_side["seconds_per_epoch"]), display=False)
glue("side_gain", float(side_by_side["processes"] * alone_seconds / side_by_side["seconds_per_epoch"]), display=False)
for name, label in (("two threads per op", "threads"), ("oneDNN off", "eigen"), ("XLA", "xla")):
    glue(f"{label}_relative", float(variants.loc[name, "time relative to alone"]), display=False)
single_fold_others = variants[(variants["processes"] == 1) & (variants.index != "alone")]
faster = single_fold_others.index[single_fold_others["time relative to alone"] < 1].tolist()
glue(
    "others_verdict",
    f"{', '.join(faster)} ran faster than the project's step alone" if faster else "none ran faster than the project's step alone",
    display=False,
)
variants[["seconds_per_epoch", "seconds_per_fold_epoch", "time relative to alone", "same_numbers_as_alone", "held_out_accuracy"]].rename(
    columns={
        "seconds_per_epoch": "s per epoch (each process)",
        "seconds_per_fold_epoch": "s per fold-epoch (all processes)",
        "same_numbers_as_alone": "same numbers as alone",
        "held_out_accuracy": f"held-out accuracy after {epoch_report['setup']['epochs']} epochs (%)",
    }
).style.format(precision=2)

# %% [markdown]
# In this run ({glue:text}`epoch_date`, the median epoch of {glue:text}`epoch_repeats`
# runs of {glue:text}`epoch_epochs` epochs each) one epoch of the project's step took
# {glue:text}`alone_seconds:.2f` s alone and {glue:text}`side_seconds:.2f` s beside a
# second fold, so the two cores together train {glue:text}`side_gain:.2f` times as many
# epochs as one core. Within a fold, a batch of 32 images is little arithmetic for one
# thread, while every step reads and writes the first dense layer's 692,000 weights,
# their momentum and their gradient: two folds side by side compete for the memory and
# the shared cache as much as for the cores. Each worker process also has to start
# TensorFlow before its first fold.
#
# Of the other ways to run one fold, {glue:text}`others_verdict`: TensorFlow's default
# two threads per op took {glue:text}`threads_relative:.2f` times as long, Eigen's
# kernels instead of oneDNN's {glue:text}`eigen_relative:.2f` times, and the step compiled
# by XLA (without deterministic ops, whose max-pooling gradient XLA refuses)
# {glue:text}`xla_relative:.2f` times. The table shows which of them change the fold's
# numbers.
#
# ## Summary
#
# - In the latest benchmark the project computes the cross-validation
#   {glue:text}`speedup:.2f` times faster than the straightforward Keras loop on the same
#   machine, with the same settings and folds.
# - Parallel folds with one thread per op, the epochs shared out evenly between the
#   workers, batches gathered inside the training step, a whole epoch per call into
#   TensorFlow and large evaluation batches do it; none changes a single number of the
#   experiment.
# - Two folds side by side each run slower than one fold alone: they share the memory and
#   the cache as well as the cores. Of the other ways to run a fold (two threads per op,
#   Eigen's kernels, XLA), {glue:text}`others_verdict`.
