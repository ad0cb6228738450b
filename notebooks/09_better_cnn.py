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
# # A better small CNN
#
# *Before this page: [The experiment](03_experiment.ipynb) and [How much is noise?](05_noise.ipynb); batch normalization, dropout and data augmentation. Reading time: about READING_MINUTES minutes.*
#
# [The sweep](08_sweep.ipynb) showed that the paper's network gains little from more
# filters or padding. This page keeps the paper's spirit (a few convolutions, SGD with
# momentum, trainable in minutes on a laptop CPU) and changes the network and its training
# in two walks, one measured step at a time.
#
# - **The first walk** starts from the paper's model and tries padding, more convolution
#   blocks, batch normalization, dropout, shifted copies of the training images, a learning
#   rate that decays to zero, and longer training, one run per step.
# - **The second walk** starts where the first ended and aims higher: at least
#   {glue:text}`target_accuracy:.1f`% mean accuracy over {glue:text}`num_final_seeds` seeds on
#   the official test set (stretch goal {glue:text}`stretch_accuracy:.1f`%), within
#   {glue:text}`budget_minutes:.0f` minutes of training on a 2-core machine. It borrows
#   from fast CIFAR-10 training {cite}`jordan2024`: mirrored images, label smoothing,
#   Nesterov momentum with a warm-up, a larger batch, weight decay, and both cores at work.
#   Every step is trained at several seeds and judged against their spread.
#
# Every choice is measured on fold 1 of the paper's cross-validation (48,000 images to
# train, 12,000 held out), never on the test set. Only the final model is then trained on
# all 60,000 training images and scored on the official test set, once per seed.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# Every step of the first walk trains this many epochs, the paper's model included.
epochs = 15
# Further seeds at which the first walk's kept steps are scored again, as a list such as
# "1,2"; "none" judges them by the noise floor alone.
ablation_seeds = "1,2"
# Every step of the second walk trains this many epochs, and so does the final model.
ladder_epochs = 8
# Seeds of the final model's official-test runs, as a list such as "0-2" or "0,2".
final_seeds = "0-2"
# The better CNN is also trained this many epochs with mirrored and shifted images on fold 1,
# beyond the budget, to show what more time buys.
longer_epochs = 30
# The paper's model on the official test set, as the test-set page trained it, for comparison.
paper_epochs = 10
# The paper's settings that every step shares; fold 1 of its folds measures the choices.
folds = 5
batch_size = 32
learning_rate = 0.01
momentum = 0.9
seed = 0
split_seed = 1
# Use only the first `subset` training images, for quick runs; None uses all 60,000.
subset = None
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Records folder; None is $FMNIST_RECORDS_DIR, else records/ of the checkout.
records_dir = None
# Folder holding the four IDX files; None searches the usual places.
data_dir = None
# True trains the steps of both walks, the longer training and the final official-test runs
# where they have neither results nor a record (hours on 2 cores).
compute_missing = False
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None

# %% tags=["remove-cell"]
import dataclasses

from myst_nb import glue

from fmnist import page, parameters
from fmnist.analysis import ablation_results, better_cnn_results, figures, formatting, noise, noise_text, test_scores
from fmnist.data import fashion_mnist
from fmnist.engine import model
from fmnist.experiments import better_cnn, cluster, runs, seeds
from fmnist.store import records, usage
from fmnist.store.places import Places
from fmnist.config import CVConfig, check_int

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
base = CVConfig.from_namespace(globals())
check_int("ladder_epochs", ladder_epochs, minimum=1)
check_int("paper_epochs", paper_epochs, minimum=1)
ladder_start = better_cnn.ladder_start(dataclasses.replace(base, epochs=ladder_epochs))
final_seed_list = tuple(seeds.parse_seeds(final_seeds, "final_seeds"))
ablation_seed_list = () if str(ablation_seeds).strip() == "none" else tuple(seeds.parse_seeds(ablation_seeds, "ablation_seeds"))
check_int("longer_epochs", longer_epochs, minimum=1)
places = Places(results_dir, records_dir, data_dir, cluster.checked_scheduler(scheduler))
fold_lookup = better_cnn.obtained_fold(places, compute_missing)
glue("final_seed_count", len(final_seed_list), display=False)
glue("budget_minutes", better_cnn.TRAINING_BUDGET_MINUTES, display=False)

# %% [markdown]
# ## The first walk
#
# Starting from the paper's model, each choice in turn is added to the choices kept so
# far, trained on fold 1 ({glue:text}`ablation_epochs` epochs unless the choice is to train
# longer) and scored on its 12,000 held-out images. It is kept if it raises the held-out
# accuracy and its training, scaled to 60,000 images, stays within the
# {glue:text}`budget_minutes:.0f`-minute budget; it is dropped otherwise. Two choices can pay
# only together, so the dropped choices are tried again, in a second round, on top of
# everything kept since, until a round keeps nothing.
#
# Every step is a single run on one fold, and its gain is the difference of two single
# runs, so it carries the seed noise of both. The noise is the one measured on [How much
# is noise?](05_noise.ipynb): the seed-to-seed standard deviation of fold 1's held-out
# accuracy for the paper's model (at the paper's 10 epochs), the only model of this walk
# trained at many seeds. The column "above noise" says whether a step's gain reaches
# twice the noise of such a difference (2 × √2 standard deviations).

# %% tags=["remove-input"]
steps = better_cnn.ablation(base, fold_lookup)
noise_study = seeds.recorded_study(CVConfig(subset=subset), places)
fold_noise = noise.fold_noise_floor(noise_study, better_cnn.ABLATION_FOLD)
ablation = ablation_results.ablation_table(steps, noise_floor=fold_noise["floor"])
glue("ablation_epochs", base.epochs, display=False)
glue("num_choices", len(better_cnn.CHOICES), display=False)
page.glue_facts(ablation_results.page_facts(ablation, better_cnn.kept_choices(steps), better_cnn.dropped_choices(steps)))
glue("fold_noise_text", noise_text.ablation_noise_text(fold_noise, ablation), display=False)
glue("published_baseline_text", ablation_results.published_baseline_text(ablation, fold_noise), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-ablation", "caption": "The ablation on fold 1: each step's parameters, training and held-out accuracy, its gain over the last kept step, whether it was kept and whether its gain stands above seed noise, its training time with the processor that measured it, and where its numbers come from.\n\n{glue:text}`ablation_runs`.\n\nMade by `fmnist.analysis.ablation_results.ablation_table` from the steps' fold-1 results in `results/` and `records/`."}}
ablation_styled, ablation_runs = ablation_results.for_page(ablation)
glue("ablation_runs", ablation_runs, display=False)
ablation_styled

# %% [markdown]
# "gain" is a step's held-out accuracy minus that of the last kept step before it;
# "round" is the pass over the choices in which the step was tried. The line under the
# table says where the steps' numbers come from, on what processor they were timed and
# whether the machine was quiet then (see [the noise page](05_noise.ipynb)), and so whether
# their minutes are their own; where steps differ in that, a last column says it for each.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-ablation", "caption": "Held-out accuracy on fold 1 after each step of the first walk, kept steps in blue, dropped ones in grey, and each step's training time.\n\nDrawn by `fmnist.analysis.figures.ablation.ablation` from {numref}`tbl-ablation`."}, "image": {"alt": "Diamonds of held-out accuracy on fold 1, one row per step of the first walk, blue where the step was kept and grey where it was dropped, beside a panel of bars of training minutes."}}
figure = figures.ablation.ablation(ablation)

# %% [markdown]
# On fold 1 the kept choices take the held-out accuracy from
# {glue:text}`ablation_first:.2f`% to {glue:text}`ablation_best:.2f`%; the largest single
# gain, {glue:text}`largest_step_gain:+.2f` points, comes from "{glue:text}`largest_step`".
# Kept: {glue:text}`kept_choices`. Never kept, because they did not raise the held-out
# accuracy on top of the others (or would break the time budget): {glue:text}`dropped_choices`.
# Steps read from their records rather than computed in this build:
# {glue:text}`num_recorded_steps`. {glue:text}`fold_noise_text` {glue:text}`published_baseline_text`
#
# ## The kept choices, over seeds
#
# The walk took each decision on one run. Its kept steps were then trained again on the
# same fold at more seeds, so that each kept choice's gain rests on seeds and is set
# against the seed noise of these very models: the seed standard deviation pooled over
# the kept steps, {glue:text}`walk_sd:.2f` points ({glue:text}`walk_df` degrees of
# freedom). A gain holds over seeds when its whole 95% interval lies above zero.

# %% tags=["remove-input"]
walk_seeded = better_cnn.seeded_steps(steps, fold_lookup, ablation_seed_list)
walk_table = ablation_results.seeded_table(walk_seeded)
page.glue_facts(ablation_results.seeded_facts(walk_seeded, walk_table))

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-ablation-seeds", "caption": "The first walk's kept steps on fold 1 over their seeds: mean held-out accuracy, seed standard deviation, the gain over the kept step before with its 95% interval from the seed noise pooled over these steps, and whether it holds over seeds.\n\n{glue:text}`walk_runs`.\n\nMade by `fmnist.analysis.ablation_results.seeded_table` from the steps' fold-1 results at each seed in `results/` and `records/`."}}
walk_table_styled, walk_runs = ablation_results.for_page(walk_table)
glue("walk_runs", walk_runs, display=False)
walk_table_styled

# %% [markdown]
# Over {glue:text}`walk_seed_count` seeds, the gains that hold: {glue:text}`walk_holding`.
# Not shown to hold: {glue:text}`walk_not_holding`.
#
# ## The second walk
#
# The second walk starts from the first walk's CNN, trained {glue:text}`ladder_epochs`
# epochs with both cores and oneDNN's kernels: the same model and data, other roundings,
# and less time on processors where TensorFlow leaves oneDNN off. Each step adds one change to the
# steps kept so far and is trained once per seed, at {glue:text}`ladder_seed_count` seeds;
# it is kept if it raises the mean held-out accuracy and its training, scaled to 60,000
# images, stays within the budget. Each gain comes with its 95% interval, from the seed
# standard deviation pooled over every step ({glue:text}`ladder_sd:.2f` points,
# {glue:text}`ladder_df` degrees of freedom). "flip-averaged" is the held-out accuracy when
# each image is classified together with its mirror image (test-time augmentation): a
# score of its own, never used to choose.

# %% tags=["remove-input"]
ladder_steps = better_cnn.ladder(ladder_start, fold_lookup)
ladder = ablation_results.ladder_table(ladder_steps)
better_config = better_cnn.ladder_config(ladder_steps)
glue("ladder_epochs", ladder_start.epochs, display=False)
glue("ladder_seed_count", len(better_cnn.LADDER_SEEDS), display=False)
ladder_facts = ablation_results.ladder_facts(ladder_steps, ladder)
page.glue_facts(ladder_facts)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-ladder", "caption": "The second walk on fold 1: each step's mean held-out accuracy over its seeds and their standard deviation, its gain over the last kept step with a 95% interval, the flip-averaged accuracy, whether it was kept, and its training time on 2 cores with the processor that measured it.\n\n{glue:text}`ladder_runs`.\n\nMade by `fmnist.analysis.ablation_results.ladder_table` from the steps' fold-1 results in `results/` and `records/`."}}
ladder_styled, ladder_runs = ablation_results.for_page(ladder)
glue("ladder_runs", ladder_runs, display=False)
ladder_styled

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-ladder", "caption": "The second walk: each step's held-out accuracy on fold 1 at every seed (dots) and their mean (diamond; blue where kept, grey where dropped), and its training time on 2 cores.\n\nDrawn by `fmnist.analysis.figures.ablation.ladder` from {numref}`tbl-ladder`."}, "image": {"alt": "Diamonds of mean held-out accuracy on fold 1, one row per step of the second walk, blue where the step was kept and grey where it was dropped, with dots for each seed, beside a panel of bars of training minutes."}}
figure = figures.ablation.ladder(ladder_steps, ladder)

# %% [markdown]
# On fold 1 the second walk takes the mean held-out accuracy from
# {glue:text}`ladder_first:.2f`% to {glue:text}`ladder_best:.2f`%. Kept:
# {glue:text}`ladder_kept`. Dropped: {glue:text}`ladder_dropped`. A gain whose interval
# reaches below zero is within the seed noise of {glue:text}`ladder_seed_count` seeds: the
# step was kept on its mean, and more seeds would be needed to call it a gain.
#
# ### What more time buys
#
# The budget fixes how many epochs a step may train, and a network shown mirrored and
# shifted images has more to learn than the images alone: the second walk tried that
# augmentation at {glue:text}`ladder_epochs` epochs ({numref}`tbl-ladder`). To see what more
# time would buy, the better CNN was trained once more on fold 1 with it, for
# {glue:text}`longer_epochs` epochs, at one seed. That training is beyond the budget and
# chooses nothing; it is measured against the same seed noise as the walk.

# %% tags=["remove-input"]
longer_config = better_cnn.longer_training(better_config, longer_epochs)
longer_run = runs.obtain(
    longer_config, places, folds=[better_cnn.ABLATION_FOLD], compute_missing=compute_missing, how_to_make="run `make ladder`", workers=1
)
longer_result = longer_run.fold(better_cnn.ABLATION_FOLD)
longer = ablation_results.longer_training_table(
    ladder_steps, longer_config, longer_result, better_cnn.TRAINING_BUDGET_MINUTES, better_cnn.FULL_TRAINING_SCALE
)
longer_facts = ablation_results.longer_training_facts(longer, better_cnn.TRAINING_BUDGET_MINUTES)
page.glue_facts(longer_facts)
glue("longer_source_line", usage.source_line(longer_run.folder), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-longer", "caption": "What more time buys, on fold 1: the last step the second walk kept, and the same CNN trained longer with mirrored and shifted images. Each row gives its mean held-out accuracy over its seeds, the gain over the kept step with a 95% interval from the walk's pooled seed noise, the flip-averaged accuracy, its training time on 2 cores, that time scaled to all 60,000 training images, whether it fits the budget, and the processor that measured it.\n\n{glue:text}`longer_runs`.\n\nMade by `fmnist.analysis.ablation_results.longer_training_table` from {numref}`tbl-ladder` and {glue:text}`longer_source_line`."}}
longer_styled, longer_runs = ablation_results.for_page(longer)
glue("longer_runs", longer_runs, display=False)
longer_styled

# %% [markdown]
# Trained {glue:text}`longer_epochs` epochs with mirrored and shifted images, the better CNN
# reaches {glue:text}`longer_accuracy:.2f`% on fold 1, {glue:text}`longer_gain:+.2f` points
# over the last kept step (95% interval {glue:text}`longer_interval`), and
# {glue:text}`longer_flip:.2f`% with flip averaging. On all 60,000 training images it would
# take about {glue:text}`longer_minutes:.0f` minutes on 2 cores of
# {glue:text}`longer_cpu`: {glue:text}`longer_budgets:.1f` times the budget.
#
# ## The better CNN
#
# The first walk's CNN with every step the second walk kept:

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-better-cnn", "caption": "The better CNN, drawn from the model Keras built with every kept choice.\n\nDrawn by `fmnist.analysis.figures.model.model_diagram` from the model `fmnist.engine.model.build_model` builds."}, "image": {"alt": "A diagram of the better CNN, layer by layer: three blocks of a padded 3 by 3 convolution, batch normalization and 2 by 2 max pooling, then dropout, dense layers and a softmax of 10."}}
layers = model.layer_table(model.build_model(better_config))
glue("better_parameters", sum(row["parameters"] for row in layers), display=False)
figure = figures.model.model_diagram(layers)

# %% [markdown]
# ## The official test set
#
# The better CNN has {glue:text}`better_parameters:,` parameters. It is trained from
# scratch on all 60,000 training images once per seed, {glue:text}`final_seed_count`
# times, and each model is scored once on the 10,000 test images, as the paper's model
# was on [the test-set page](06_test_set.ipynb). The training time is the wall time of the
# whole training, on both cores.

# %% tags=["remove-input"]
dataset = fashion_mnist.load(places.data_dir)
final_runs = [
    runs.obtain(config, places, folds=[], test=True, compute_missing=compute_missing, how_to_make="run `make ladder`")
    for config in better_cnn.final_configs(better_config, final_seed_list)
]
final_results = [found.test() for found in final_runs]
seed_table = better_cnn_results.seed_table(list(zip(final_seed_list, final_results)))
better_summary = better_cnn_results.summary(seed_table)
first_walk_runs = better_cnn.first_walk_runs(steps, places, final_seed_list)
page.glue_facts(better_cnn_results.first_walk_facts(first_walk_runs, list(zip(final_seed_list, final_results))))
paper_config = dataclasses.replace(base, epochs=paper_epochs)
paper_run = runs.obtain(
    paper_config, places, folds=[], test=True, how_to_make="run the test-set page (or `fmnist test`) with the same parameters first"
)
paper_result = paper_run.test()
paper_scores = test_scores.summary(dataset.test_labels, paper_result)
final_facts = better_cnn_results.final_facts(
    better_summary,
    paper_scores,
    better_cnn.TARGET_TEST_ACCURACY,
    better_cnn.STRETCH_TEST_ACCURACY,
    better_cnn.TRAINING_BUDGET_MINUTES,
)
page.glue_facts(final_facts)
recomputed_rows = [
    row
    for config, found in zip(better_cnn.final_configs(better_config, final_seed_list), final_runs)
    for row in records.against_record(config, found, places.records_dir)
]
glue("recomputation_text", better_cnn_results.recomputation_text(recomputed_rows, better_summary["cpus"]), display=False)
glue("flip_averaging_text", better_cnn_results.flip_averaging_text(better_summary, better_config.flip), display=False)
glue(
    "more_time_text",
    better_cnn_results.more_time_text(longer_facts, ladder_facts["ladder_best"], better_summary, better_cnn.TARGET_TEST_ACCURACY),
    display=False,
)
glue("final_source_lines", formatting.listing([usage.source_line(found.folder) for found in final_runs]), display=False)
glue("final_when", usage.plain_line(*(found.folder for found in final_runs)), display=False)
glue("paper_source_line", usage.source_line(paper_run.folder), display=False)
glue("paper_when", usage.plain_line(paper_run.folder), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-better-seeds", "caption": "The better CNN on the official test set, one full training per seed: the plain accuracy, the accuracy with flip averaging (test-time augmentation, reported apart), the mistakes, the training time on 2 cores with its epochs and the processor that measured it, and where each run comes from.\n\n{glue:text}`final_when`.\n\nMade by `fmnist.analysis.better_cnn_results.seed_table` from {glue:text}`final_source_lines`."}}
seed_table.style.format(
    {"test accuracy": "{:.2f}", "with flip averaging": "{:.2f}", "mistakes": "{:,}", "training minutes": "{:.1f}"}
)

# %% [markdown]
# Over {glue:text}`num_final_seeds` seeds the better CNN scores
# **{glue:text}`final_mean:.2f` ± {glue:text}`final_sd:.2f`%** on the official test set
# (mean ± seed standard deviation), and {glue:text}`final_flip_mean:.2f` ±
# {glue:text}`final_flip_sd:.2f`% with flip averaging, against
# {glue:text}`paper_accuracy:.2f`% for the paper's model: {glue:text}`error_reduction:.0f`%
# fewer mistakes. Each training took at most {glue:text}`final_longest_minutes:.1f` minutes
# on 2 cores of an {glue:text}`final_cpu`, {glue:text}`budget_met` the
# {glue:text}`budget_minutes:.0f`-minute budget. It therefore {glue:text}`target_met` the
# goal of {glue:text}`target_accuracy:.1f`% ({glue:text}`target_gap:+.2f` points).
# {glue:text}`flip_averaging_text` {glue:text}`recomputation_text`
#
# The first walk's CNN trains longer and on smaller batches. {glue:text}`first_walk_text`
#
# Would more time be enough? {glue:text}`more_time_text` [What minutes buy](10_frontier.ipynb)
# answers on the official test set, for budgets of 10, 30 and 60 minutes.
#
# The budget is wall time on one machine, and 2-core machines differ by several times in
# how fast TensorFlow trains on them: each time above is shown with the processor that
# measured it. The second walk's epochs are set so that a training fits the budget on the
# machine that ran it.
#
# ### Beside published small networks
#
# The numbers below are quoted from the benchmark table of Fashion-MNIST's repository and
# the reports it links {cite}`xiao2017`, not recomputed; they were trained for up to 300
# epochs, on faster hardware.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-anchors", "caption": "Published small networks on Fashion-MNIST's official test set beside the better CNN (mean \u00b1 seed standard deviation), the first walk's CNN (over the seeds of its recorded official-test runs) and the paper's model as this book trained them.\n\n{glue:text}`paper_when`.\n\nThe published numbers are quoted from `fmnist.anchors`; ours are made by `fmnist.analysis.better_cnn_results.anchor_table` from {numref}`tbl-better-seeds` and {glue:text}`paper_source_line`."}}
# A styled table shows every cell whole (a plain one cuts long text at 50 characters).
first_walk_summary = better_cnn_results.summary(better_cnn_results.seed_table(first_walk_runs))
better_cnn_results.anchor_table(better_summary, paper_scores["accuracy"], first_walk_summary).style

# %% [markdown]
# ### Where the mistakes are
#
# The better CNN's seed-0 model beside the paper's model, class by class:

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-better-per-class", "caption": "F1 of each class on the official test set for the better CNN (seed 0) and the paper's model, in percent, and how many of the class's 1,000 test images each misclassifies.\n\n{glue:text}`paper_when`; {glue:text}`final_when`.\n\nMade by `fmnist.analysis.better_cnn_results.per_class_comparison` from {glue:text}`final_source_lines` and {glue:text}`paper_source_line`."}}
per_class = better_cnn_results.per_class_comparison(dataset.test_labels, final_results[0], paper_result)
glue("hardest_class", per_class["F1, better CNN"].iloc[:-1].idxmin(), display=False)
per_class.style.format({"F1, better CNN": "{:.2f}", "F1, paper's model": "{:.2f}", "F1 gain": "{:+.2f}", "missed, better CNN": "{:,}", "missed, paper's model": "{:,}"})

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-better-confusion", "caption": "Confusion matrix of the better CNN (seed 0) on the 10,000 official test images.\n\n{glue:text}`final_when`.\n\nDrawn by `fmnist.analysis.figures.test_set.confusion_matrix` from the seed-0 run of {glue:text}`final_source_lines`."}, "image": {"alt": "A ten by ten confusion matrix of the better CNN, each cell shaded by its count, with a strong diagonal."}}
better_matrix = test_scores.confusion(dataset.test_labels, final_results[0])
figure = figures.test_set.confusion_matrix(better_matrix)

# %% [markdown]
# The class the better CNN still finds hardest is {glue:text}`hardest_class`.
#
# ## Summary
#
# - The first walk tried {glue:text}`num_choices` choices one at a time on fold 1, one run
#   each, and kept {glue:text}`kept_choices`, taking the held-out accuracy from
#   {glue:text}`ablation_first:.2f`% to {glue:text}`ablation_best:.2f`%.
# - Scored again at {glue:text}`walk_seed_count` seeds, the kept gains that hold over seeds:
#   {glue:text}`walk_holding`; not shown to hold: {glue:text}`walk_not_holding`.
# - The second walk trained every step at {glue:text}`ladder_seed_count` seeds and kept
#   {glue:text}`ladder_kept`, taking the mean held-out accuracy of fold 1 from
#   {glue:text}`ladder_first:.2f`% to {glue:text}`ladder_best:.2f`%.
# - Trained {glue:text}`longer_epochs` epochs with mirrored and shifted images
#   ({glue:text}`longer_budgets:.1f` times the budget), it reaches
#   {glue:text}`longer_accuracy:.2f`% on fold 1 ({glue:text}`longer_gain:+.2f` points).
# - On the official test set the better CNN scores {glue:text}`final_mean:.2f` ±
#   {glue:text}`final_sd:.2f`% over {glue:text}`num_final_seeds` seeds
#   ({glue:text}`final_flip_mean:.2f`% with flip averaging), against the paper's model's
#   {glue:text}`paper_accuracy:.2f`%, in at most {glue:text}`final_longest_minutes:.1f`
#   minutes of training on 2 cores; it {glue:text}`target_met` the
#   {glue:text}`target_accuracy:.1f`% goal.
# - The test set was used once per final model and seed; every choice was made on fold 1.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
