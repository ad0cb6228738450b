# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Speed: how Table I is computed in minutes
#
# *Before this page: [The experiment](03_experiment.ipynb); what threads and a matrix multiplication are. Reading time: about READING_MINUTES minutes.*
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

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The benchmark reports to show; None is the report in benchmarks/results/ of the checkout.
report_path = None
epoch_report_path = None
cluster_report_path = None

# %% tags=["remove-cell"]
from myst_nb import glue

from fmnist import page, parameters
from fmnist.analysis import formatting, scaling, speed
from fmnist.store import usage

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

report = speed.read_report(report_path, speed.TRAIN_REPORT, "train_speed.py")
epoch_report = speed.read_report(epoch_report_path, speed.EPOCH_REPORT, "epoch_speed.py")
cluster_report = speed.read_report(cluster_report_path, speed.CLUSTER_REPORT, "cluster_speed.py")
glue("train_report_file", speed.report_location(report_path, speed.TRAIN_REPORT), display=False)
glue("epoch_report_file", speed.report_location(epoch_report_path, speed.EPOCH_REPORT), display=False)
glue("cluster_report_file", speed.report_location(cluster_report_path, speed.CLUSTER_REPORT), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-speed-machine", "caption": "The machine and the setup of the whole-experiment benchmark.\n\nMade by `fmnist.analysis.speed.machine_table` from {glue:text}`train_report_file`."}}
speed.machine_table(report)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-speed-ways", "caption": "The cross-validation trained the straightforward way and the project's way, on the same machine in one run: time per fold-epoch, throughput, memory, threads, share of the machine's matrix-multiply peak, and each fold's held-out accuracy.\n\nMade by `fmnist.analysis.speed.ways_table` from {glue:text}`train_report_file`."}}
page.glue_facts(speed.ways_facts(report))
# One column per way, one row per quantity: the table fits the page.
formatting.as_rows(speed.ways_table(report), {"training images per s": "{:,.0f}", "threads per op": str})

# %% [markdown]
# On {glue:text}`benchmark_date`, on {glue:text}`benchmark_cpu`, one fold-epoch took
# {glue:text}`straightforward_seconds:.2f` seconds the straightforward way and
# {glue:text}`project_seconds:.2f` seconds the project's way (wall time divided by the
# number of fold-epochs, {glue:text}`runs_each`): **{glue:text}`speedup:.2f`
# times faster**, with a peak memory of {glue:text}`project_memory:.2f` GiB for all
# processes together. {glue:text}`repeat_sentence` The project's way uses
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

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-speed-variants", "caption": "One epoch of fold 1 run in other ways, each time relative to the project's step alone, and whether it gives the same numbers.\n\nMade by `fmnist.analysis.speed.variants_table` from {glue:text}`epoch_report_file`."}}
page.glue_facts(speed.variants_facts(epoch_report))
speed.variants_table(epoch_report).style.format(precision=2)

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
# ## On a cluster
#
# The same work can go to a Dask cluster (see the README, "On a cluster"): each fold
# without a saved result becomes one task, trained by a worker in a child process of its
# own. `benchmarks/cluster_speed.py` runs the same cross-validations both ways on this
# machine, with as many single-threaded Dask workers as the pool has processes.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-speed-cluster", "caption": "The same cross-validations on the project's process pool and on a Dask cluster of as many workers on one machine: wall time, ratio, and whether every number matched.\n\nMade by `fmnist.analysis.speed.cluster_table` from {glue:text}`cluster_report_file`."}}
page.glue_facts(speed.cluster_facts(cluster_report))
speed.cluster_table(cluster_report).style.format(precision=2)

# %% [markdown]
# On {glue:text}`cluster_date`, on {glue:text}`cluster_cpu` with
# {glue:text}`cluster_workers` workers either way, Table I (5 folds of
# {glue:text}`cluster_table_one_epochs` epochs) took {glue:text}`cluster_table_one_ratio:.2f`
# times as long on the Dask cluster as on the project's pool, and the sweep of two
# configurations {glue:text}`cluster_sweep_ratio:.2f` times; every fold's numbers were
# {glue:text}`cluster_same` both ways. The pool shares a fold's epochs out between its
# workers, so two workers finish five folds together; a Dask task is a whole fold, so
# the fifth fold of Table I trains while the other worker waits. The sweep's folds, all
# sent to the cluster at once, keep both workers busy, where the pool runs one
# configuration after the other. On one machine the pool stays the default; a cluster
# pays off where there are many more workers than a machine has cores.
#
# How much, the records tell: each recorded fold says how long it trained, and how loaded
# the machine was then. With one single-core worker per task the wall time of a workload
# is at least its longest task; the table gives the wall time of the usual greedy
# schedule (longest task first, to the first free worker), in minutes, from the fold
# times taken on a quiet machine only: a fold that shared its cores with other training
# took longer than the fold itself needs.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-speed-scaling", "caption": "Wall time in minutes of the recorded workloads on more workers, from the folds timed on a quiet machine: how many tasks, how many were timed quiet, the total task time, the longest task (a floor no number of workers can beat) and a greedy schedule on 2, 10 and 40 single-core workers; blank where no fold was timed quiet.\n\nMade by `fmnist.analysis.scaling.scaling_table` from the fold times and machine loads of the runs in `records/`."}}
scaling_table = scaling.scaling_table(scaling.recorded_folds())
glue("scaling_text", scaling.scaling_text(scaling_table), display=False)
scaling_table.style.format({"tasks": "{:.0f}", "timed quiet": "{:.0f}"}, precision=1, na_rep="-")

# %% [markdown]
# {glue:text}`scaling_text`
#
# ## Summary
#
# - In the latest benchmark the project computes the cross-validation
#   {glue:text}`speedup:.2f` times faster than the straightforward Keras loop on the same
#   machine, with the same settings and folds.
# - Parallel folds with one thread per op, the epochs shared out evenly between the
#   workers, batches gathered inside the training step, a whole epoch per call into
#   TensorFlow and large evaluation batches do it. None changes the experiment's procedure;
#   only the larger evaluation batch can move a held-out accuracy, and only by float rounding
#   (see the reproduction report).
# - On a Dask cluster of as many workers on this machine, Table I took
#   {glue:text}`cluster_table_one_ratio:.2f` times as long as on the pool, and the numbers
#   were {glue:text}`cluster_same`. What more workers would buy is worked out from the
#   recorded fold times taken on a quiet machine only ({numref}`tbl-speed-scaling`).
# - Two folds side by side each run slower than one fold alone: they share the memory and
#   the cache as well as the cores. Of the other ways to run a fold (two threads per op,
#   Eigen's kernels, XLA), {glue:text}`others_verdict`.

# %% tags=["remove-cell"]
# For the execution report: this page reads benchmark reports and the records' fold times only.
glue("results_used", usage.as_json(), display=False)
