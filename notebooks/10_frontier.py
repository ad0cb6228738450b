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
# # What minutes buy: a budget frontier
#
# *Before this page: [A better small CNN](09_better_cnn.ipynb). Reading time: about READING_MINUTES minutes.*
#
# [The better CNN](09_better_cnn.ipynb) was built for one budget: 10 minutes of training
# on a 2-core machine. This page asks what 10, 30 and 60 minutes buy, a question that
# published tables, timed on GPUs, do not answer for a CPU. Each budget has one model,
# chosen on fold 1 of the cross-validation:
#
# - **10 minutes**: the second walk's CNN (the first walk's three convolution blocks with
#   batch normalization and dropout, trained on batches of 128 by Nesterov SGD with a
#   warm-up, a cosine decay, weight decay and label smoothing), trained
#   {glue:text}`budget_10_epochs` epochs. A screening of candidates on fold 1 chose it over
#   the first walk's CNN, which held this budget before ({ref}`below <frontier-screening>`).
# - **30 and 60 minutes**: the better CNN shown mirrored and shifted training images. On
#   fold 1, that augmentation cost the second walk's short training more than it taught,
#   and paid once the training was longer ([What more time buys](09_better_cnn.ipynb)). It trains
#   {glue:text}`budget_30_epochs` and {glue:text}`budget_60_epochs` epochs, its learning
#   rate's warm-up and cosine decay laid out over each length.
#
# A budget is wall time on a quiet machine of the processor kind that trained the runs.
# Its epochs come from a quiet epoch, timed by `benchmarks/frontier_speed.py`; a run that
# shared the machine with other work keeps its score, and its own time is shown as taken
# under load. Each model trains from scratch on all 60,000 training images, once per seed,
# and is scored once on the 10,000 official test images: plainly, and with flip averaging
# (each test image classified together with its mirror image) reported beside it, never
# instead of it.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The frontier benchmark's report; None is the report in benchmarks/results/ of the checkout.
frontier_report_path = None
# The screening benchmark's report (the 10-minute candidates' epoch times); None is the
# report in benchmarks/results/ of the checkout.
screening_report_path = None
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Records folder; None is $FMNIST_RECORDS_DIR, else records/ of the checkout.
records_dir = None
# Folder holding the four IDX files; None searches the usual places.
data_dir = None
# True trains every budget's runs and every screened candidate's that have neither results nor
# a record (hours on 2 cores: each official-test run takes its budget).
compute_missing = False
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None

# %% tags=["remove-cell"]
from myst_nb import glue

from fmnist import budgets, page, parameters
from fmnist.analysis import figures, formatting, frontier_results, screening_results, speed
from fmnist.experiments import cluster, frontier, screening
from fmnist.store import usage
from fmnist.store.places import Places

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

places = Places(results_dir, records_dir, data_dir, cluster.checked_scheduler(scheduler))
screening_report = speed.read_report(screening_report_path, speed.SCREENING_REPORT, "frontier_speed.py --screening")
report = frontier_results.with_screened_models(
    speed.read_report(frontier_report_path, speed.FRONTIER_REPORT, "frontier_speed.py"), screening_report
)
glue("frontier_report_file", speed.report_location(frontier_report_path, speed.FRONTIER_REPORT), display=False)
glue("screening_report_file", speed.report_location(screening_report_path, speed.SCREENING_REPORT), display=False)
if compute_missing:
    screening.run_screening(places)
    frontier.run_frontier(list(budgets.BUDGETS), places, skip_recorded=True)
runs = frontier.frontier_runs(places)
screened = screening.screened_runs(places)
page.glue_facts(frontier_results.page_facts(runs, report))
page.glue_facts(screening_results.page_facts(screened, runs))

# %% [markdown]
# ## The budgets
#
# On {glue:text}`speed_date`, on {glue:text}`speed_cpu` ({glue:text}`speed_kind`),
# {glue:text}`speed_state`, one epoch over all 60,000 training images took
# {glue:text}`epoch_seconds_augmented:.1f` s for the better CNN with mirrored and shifted
# images and {glue:text}`epoch_seconds_first_walk:.1f` s for the first walk's CNN (the
# median of the timed epochs after the first, which traces the model).
# {glue:text}`screened_timing_text` Each
# budget's epochs times its model's quiet epoch give its minutes on a quiet machine of this kind. The
# runs themselves were trained on {glue:text}`run_kinds`.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-frontier", "caption": "Each budget's model on the official test set: its parameters, the epochs that fit the budget and their minutes on a quiet machine, the seeds trained of those planned, the mean test accuracy \u00b1 seed standard deviation (the mean alone for one seed), plainly and with flip averaging, the budget's target and whether it is met, and the processor that trained the runs.\n\nMade by `fmnist.analysis.frontier_results.budget_table` from the runs of {numref}`tbl-frontier-runs` and the quiet epoch times in {glue:text}`frontier_report_file` and {glue:text}`screening_report_file`."}}
# One column per budget, one row per quantity: the table fits the page.
frontier_results.budget_rows(frontier_results.budget_table(runs, report)).style

# %% [markdown]
# (frontier-screening)=
# ## Choosing the 10-minute model
#
# The first walk's CNN held the 10-minute budget before this page asked what ten minutes buy.
# Here it is screened against models built from choices the two walks measured on the
# better-CNN page. Each candidate trains on fold 1 of the cross-validation (48,000 images to
# train, 12,000 held out) once at each of seeds {glue:text}`screening_seeds`, for as many
# epochs as fit 10 minutes on all 60,000 images at its own quiet epoch, filling at most
# {glue:text}`screening_filled_percent:.0f`% of the budget: the rest is a margin for the
# epoch's spread. The first walk's CNN keeps the 20 epochs its runs were recorded at. Each
# learning-rate schedule is laid out over its model's epochs, and the official test images
# are not used.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-frontier-screening", "caption": "The 10-minute budget's candidates on fold 1: the epochs that fit the budget and their minutes on a quiet machine, the fold's training minutes as timed (scaled to all 60,000 images) and what the machine's load average said of them (a weak sign for one training on both cores, which keeps the load near the quiet mark by itself), the seeds trained, the held-out accuracy (mean, and each seed's) and the gain over the first walk's CNN with its 95% interval (Welch's t-test over the seeds).\n\nMade by `fmnist.analysis.screening_results.screening_table` from the candidates' fold-1 runs in `results/` and `records/` and the quiet epoch times in {glue:text}`screening_report_file`."}}
screening_results.screening_table(screened, screening_report).style.format(
    {"quiet minutes": "{:.1f}", "minutes as timed": "{:.1f}", "held-out accuracy": "{:.2f}", "gain": "{:+.2f}"}, na_rep="-"
)

# %% [markdown]
# A fold's minutes as timed include scoring its 12,000 held-out images after every epoch,
# which an official-test run does not do; the quiet minutes are the budget's measure. Each
# candidate keeps its own seed noise in its interval. At two seeds a side such an interval
# is wide, so the screening chooses by the mean held-out accuracy:
# {glue:text}`screening_chosen`. {glue:text}`screening_outcome`

# %% [markdown]
# ## The frontier

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-frontier", "caption": "Official test accuracy against training minutes on 2 quiet cores (left) and against epochs beside published networks trained on GPUs (right). Diamonds are the mean over a point's seeds with their standard deviation, dots the seeds, hollow diamonds the flip-averaged mean; short red dashes mark the targets.\n\nDrawn by `fmnist.analysis.figures.frontier.frontier` from {numref}`tbl-frontier-runs`, the quiet epoch times in {glue:text}`frontier_report_file` and {glue:text}`screening_report_file` and {numref}`tbl-frontier-anchors`."}, "image": {"alt": "Two panels sharing an axis of test accuracy. Left: diamonds with error bars and dots for our models at their training minutes, dashed lines at 10, 30 and 60 minutes and short red dashes at the targets. Right: the same diamonds against epochs on a log scale beside grey squares for published networks."}}
runs_table = frontier_results.runs_table(runs)
figure = figures.frontier.frontier(runs_table, report)

# %% [markdown]
# The right panel sets our runs beside published ones by epochs, not minutes: an epoch
# on a GPU takes seconds, and no published run was timed on two CPU cores. The first and
# second walks' CNNs never saw a mirrored image in training, so their flip-averaged scores
# are lower than their plain ones and are left out of the figure (they are in
# {numref}`tbl-frontier-runs`).
#
# ## Every run

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-frontier-runs", "caption": "Every official-test run of the frontier: its budget (or beyond the budgets, a further point of a model's curve; or the 10-minute budget's model before the screening), model, seed and epochs, the plain and flip-averaged test accuracy, its training time as it was taken, whether other work shared the machine while it trained, and the processor.\n\nMade by `fmnist.analysis.frontier_results.runs_table` from the runs in `results/` and `records/`."}}
runs_table.style.format(
    {"test accuracy": "{:.2f}", "with flip averaging": "{:.2f}", "training minutes": "{:.1f}"}
).hide(axis="index")

# %% [markdown]
# A run is quiet if other processes kept at most {glue:text}`quiet_other_cores:g` of a core
# busy, on average, while it trained. Runs recorded before that was measured say only the
# machine's load in the minutes before they ended, which a training on both cores keeps
# close to the quiet mark by itself: for them, quiet or under load is a weak sign either
# way. The budgets' minutes come from the quiet benchmark.
#
# ## What more time bought
#
# {glue:text}`gains_text` Each budget's runs keep their own seed noise: a difference is
# judged by Welch's t-test over seeds only where both budgets have at least two. What each
# of these models' choices bought on fold 1, each gain with its interval over seeds, is on
# [the better-CNN page](09_better_cnn.ipynb): the first walk's choices, the second walk's,
# and the augmentation trained longer.
#
# ## Beside published networks
#
# The numbers below are quoted from their sources, not recomputed. The course *Practical
# Deep Learning for Coders, part 2* {cite}`fastai2022` trained ResNets of 1.2 to 4.9
# million parameters with one-cycle AdamW on a GPU; ResNet-preact-20 {cite}`hysts2019` is
# about the size of our CNNs and trained 200 epochs.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-frontier-anchors", "caption": "Published networks on Fashion-MNIST's official test set with the training that bought their accuracy: parameters, training, epochs and hardware. The course's results are one run each, ResNet-preact-20's the median of 3.\n\nQuoted from `fmnist.anchors.TIMED_ANCHORS`, which names each source."}}
# One column per network, one row per quantity: the table fits the page.
# A styled table shows every cell whole (a plain one cuts long text at 50 characters).
formatting.as_rows(frontier_results.anchor_table(), {"epochs": "{:d}"}).style

# %% [markdown]
# ## Summary
#
# - {glue:text}`budget_10_text` Target: {glue:text}`budget_10_verdict`.
# - {glue:text}`budget_30_text`
# - {glue:text}`budget_60_text` Target: {glue:text}`budget_60_verdict`.
# - A budget's minutes are its epochs times a quiet epoch measured on
#   {glue:text}`speed_kind`; the runs' own times are shown with their load.
# - The published ResNets reach more in fewer epochs, with many times our parameters and a
#   GPU's seconds per epoch; ResNet-preact-20, about our size, trained 200 epochs.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
