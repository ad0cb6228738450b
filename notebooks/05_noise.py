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
# # How much is noise?
#
# *Before this page: [The experiment](03_experiment.ipynb); a confidence interval and a t-test. Reading time: about READING_MINUTES minutes.*
#
# Table I, the paper's and ours, is one random draw. The paper's notebook fixes no seed,
# so every rerun of it starts from other initial weights and visits the images in
# another order, and gives other numbers. Whether our 5-fold result "agrees" with the
# paper's can only be judged against how far such reruns scatter. This page measures
# that scatter: the paper's whole experiment (its folds, its settings) repeated at many
# seeds, under three training loops, the *arms* of the study:
#
# - **this project's loop** (Keras 3; a new batch order every epoch, drawn from the seed
#   and the epoch), whose seed 0 is the Table I of [the experiment](03_experiment.ipynb);
# - **Keras 2's `model.fit`**, the library of the paper's notebook (the `tf.keras` of
#   2022, run on current TensorFlow as the `tf_keras` package), trained exactly as the
#   notebook did;
# - **Keras 3's `model.fit`** on arrays, which under a fixed seed repeats one batch order
#   every epoch.
#
# Each seed is a run of its own, saved and reused like every run. The seeds were computed
# once and recorded with the date, processor and versions that made them; the statistics
# come from `fmnist.analysis.noise`.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The paper's experiment; every seed of every arm uses these settings.
folds = 5
epochs = 10
batch_size = 32
learning_rate = 0.01
momentum = 0.9
filters = 32
padding = "valid"
split_seed = 1
# Use only the first `subset` training images, for quick runs; None uses all 60,000.
subset = None
# The seeds of each arm, as a list of seeds and ranges such as "0-9" or "0,2,5-7";
# "recorded" takes every recorded seed, and seed 0, with a finished run.
seeds = "recorded"
keras2_seeds = "recorded"
keras3_seeds = "recorded"
# Folds of the Keras 2 arm's seed 0 computed again in this build and set beside their
# record (the execution report then checks them too); [] for none.
recompute_keras2_folds = [1]
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Records folder; None is $FMNIST_RECORDS_DIR, else records/ of the checkout.
records_dir = None
# Folder holding the four IDX files; None searches the usual places.
data_dir = None
# True trains the seeds that have neither results nor a record (hours on 2 cores).
compute_missing = False
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None

# %% tags=["remove-cell"]
import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from fmnist import page, paper, parameters
from fmnist.analysis import claims, figures, formatting, noise, noise_text
from fmnist.experiments import cluster, seeds as seed_study
from fmnist.config import CVConfig
from fmnist.store import usage
from fmnist.store.places import Places

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
base = CVConfig.from_namespace(globals())
places = Places(results_dir, records_dir, data_dir, cluster.checked_scheduler(scheduler))
seed_parameters = {"fmnist": "seeds", "keras2-fit": "keras2_seeds", "keras3-fit": "keras3_seeds"}
seed_texts = {"fmnist": seeds, "keras2-fit": keras2_seeds, "keras3-fit": keras3_seeds}
arm_seeds = {
    trainer: seed_study.resolve_seeds(seed_texts[trainer], base, trainer, places, name)
    for trainer, name in seed_parameters.items()
}
seed_study.check_enough(arm_seeds, base, seed_parameters)
configs = [
    config
    for trainer, chosen in arm_seeds.items()
    for config in seed_study.seed_configs(seed_study.arm_config(trainer, base), chosen)
]
keras2_check = seed_study.arm_config("keras2-fit", base)
found_runs = seed_study.find_runs(configs, places, compute_missing)
runs = [(config, folds) for config, _, folds in found_runs]
arm_names = seed_study.ARM_NAMES

# %% [markdown]
# ## Where each number comes from
#
# How many seeds of each arm this build computed and how many it read from their records,
# the machine, processor kind and versions that computed them, and in how many seeds the
# machine was quiet while they trained (the records older than the load record say
# nothing of it). The accuracies do not depend on the load; the training times do, and
# this page uses none.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-noise-sources", "caption": "Where the noise study's runs come from: per arm, how many seeds, how many computed in this build and how many read from their records, with the processor, processor kind (seeds of each), machine load while training (seeds of each), TensorFlow version and date that made them.\n\nMade by `fmnist.analysis.noise_text.source_table` from the runs' saved results in `results/` and `records/`."}}
sources = noise_text.source_table(found_runs, arm_names)
glue("num_runs", len(found_runs), display=False)
glue("num_folds", base.folds, display=False)
glue("paper_mean", paper.TABLE_ONE_MEAN["Test Accuracy"], display=False)
glue("num_computed_runs", int(sources["computed here"].sum()), display=False)
sources

# %% [markdown]
# {glue:text}`num_runs` runs of {glue:text}`num_folds` folds each; computed in this build:
# {glue:text}`num_computed_runs`; the others were read from their records.
#
# ## Table I's mean, seed by seed
#
# Each dot is one seed's whole cross-validation, summarised as Table I summarises it: the
# mean held-out accuracy over its folds.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-seed-strip", "caption": "Table I's mean held-out accuracy at each seed, per arm; the dashed line is the paper's 90.70%.\n\nDrawn by `fmnist.analysis.figures.noise.seed_strip` from the saved fold results of the runs in {numref}`tbl-noise-sources`."}, "image": {"alt": "Dots of each seed's mean held-out accuracy, one column per arm, each arm's mean beside them as a black square with error bars for its 95% interval, and a dashed line at the paper's 90.70 percent."}}
means = noise.seed_means(runs)
figure = figures.noise.seed_strip(means, arm_names)

# %% [markdown]
# ## Each arm's spread, and where the paper falls
#
# Per arm: the mean of Table I's mean held-out accuracy over seeds, its own seed-to-seed
# standard deviation with its degrees of freedom (seeds less one), a 95% t interval for
# the arm's mean, the 95% range in which one more run would fall (a prediction interval),
# and where the paper's mean lies: its percentile among the seeds and its distance from
# their mean in the arm's seed standard deviations. Every interval uses the arm's own
# spread, not one pooled over the arms: nothing shows the arms' spreads to be one
# (below), and pooling would lend one arm's noise to another.
#
# Two verdicts on the paper's number, each in its own sense:
#
# - **consistent**: the paper's one draw lies inside the arm's range for one run;
# - **equivalent**: the arm's mean lies within a margin of the paper's number, by two
#   one-sided tests at the 5% level. The margin is declared, not drawn from these seeds:
#   ±{glue:text}`margin:.2f` points, the standard deviation over folds that the paper
#   itself prints beside its mean. Means closer than the spread the paper's own table
#   shows are ones its table could not tell apart. "smallest margin" is the margin at
#   which equivalence would just hold.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-arm-spread", "caption": "Each arm's Table I mean held-out accuracy over seeds: mean, its own seed standard deviation and degrees of freedom, lowest and highest seed, 95% interval of the mean and 95% range for one more run.\n\nMade by `fmnist.analysis.noise.arm_table` from the runs in {numref}`tbl-noise-sources`."}}
held_out = noise.arm_table(means, "held-out")
table_format = {
    "seeds": "{:.0f}",
    "df": "{:.0f}",
    "paper percentile": "{:.0f}",
    "paper sds from mean": "{:+.1f}",
    "consistent": formatting.yes_no,
    "equivalent": formatting.yes_no,
    "equivalence p-value": formatting.p_number,
}
held_out[noise.SPREAD_COLUMNS].rename(index=arm_names).style.format(table_format, precision=2)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-arm-verdicts", "caption": "Where the paper's 90.70% falls in each arm's seeds (percentile, distance in the arm's own seed standard deviations), and the two verdicts on it: consistent (inside the range for one more run), and equivalent (the arm's mean within the declared margin, by two one-sided tests), with the smallest margin that would hold.\n\nMade by `fmnist.analysis.noise.arm_table` from the runs in {numref}`tbl-noise-sources`."}}
held_out[noise.VERDICT_COLUMNS].rename(index=arm_names).style.format(table_format, precision=2)

# %% tags=["remove-input"]
margin = noise.EQUIVALENCE_MARGINS["held-out"]
glue("margin", margin, display=False)
page.glue_facts(noise_text.arm_facts(held_out.loc["fmnist"]))
held_out_claim = claims.agreement_claim(held_out.loc["fmnist"], "mean held-out accuracy")
page.glue_facts(claims.glue_names("claim_held_out", held_out_claim))
glue("paper_fold_sd", paper.TABLE_ONE_STD["Test Accuracy"], display=False)
Markdown(
    "\n\n".join(
        [" ".join(noise_text.position_text(held_out.loc[arm], arm_names[arm]) for arm in held_out.index)]
        + [noise_text.agreement_text(held_out.loc[arm], arm_names[arm]) for arm in held_out.index]
    )
)

# %% [markdown]
# ## Why each arm keeps its own spread
#
# Bartlett's test asks whether the arms' seed variances could be one; the two-way
# analysis of variance of each arm's fold results (seed and fold as factors) splits its
# spread into a between-seed part, a seed that moves all five folds together, and the
# seed-by-fold scatter within seeds.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-noise-components", "caption": "Each arm's spread split by a two-way analysis of variance of its fold results: the between-seed and within-seed standard deviations, the p-value of the between-seed part, and the standard deviation of one seed's Table I mean they imply.\n\nMade by `fmnist.analysis.noise.components_table` from the runs in {numref}`tbl-noise-sources`."}}
fold_values = noise.fold_frame(runs)
components = noise.components_table(fold_values)
variances = noise.variance_test(means)
glue("bartlett_p", formatting.p_value(variances["p-value"]), display=False)
glue("variance_text", noise_text.variance_text(variances, components, arm_names), display=False)
components.rename(index=arm_names).style.format({"seeds": "{:.0f}", "between-seed p-value": formatting.p_number}, precision=2)

# %% [markdown]
# {glue:text}`variance_text`

# %% tags=["remove-input"]
Markdown(noise_text.spread_text(fold_values, "fmnist", arm_names["fmnist"], paper.TABLE_ONE_STD["Test Accuracy"]))

# %% [markdown]
# The paper's {glue:text}`paper_mean:.2f`% is one draw from such a distribution, so it is judged by where it
# falls in it, not by whether it equals our one draw.
#
# ## Between the arms
#
# Differences of the arms' means over seeds, with Welch's 95% interval and test (each arm
# with its own variance; the three comparisons are one family, so Holm's correction is
# applied), and an equivalence test: two one-sided tests of whether the difference lies
# within the declared margin of ±{glue:text}`margin:.2f` points, with the smallest margin
# at which it would.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-arm-differences", "caption": "Differences between the arms' means over seeds: Welch's 95% interval and test, Holm's correction over the three pairs, and the equivalence test within the declared margin, with the smallest margin that would hold.\n\nMade by `fmnist.analysis.noise.arm_differences` from the runs in {numref}`tbl-noise-sources`."}}
differences = noise.arm_differences(means, noise.ARM_PAIRS, margin=margin)
# One column per pair of arms, one row per quantity: the table fits the page.
formatting.as_rows(
    differences.set_axis([f"{arm_names[first]} minus {arm_names[second]}" for first, second in differences.index]),
    {
        "difference": "{:+.2f}",
        "95% low": "{:+.2f}",
        "95% high": "{:+.2f}",
        "p-value": formatting.p_number,
        "p-value (Holm)": formatting.p_number,
        "equivalence p-value": formatting.p_number,
        "significant": formatting.yes_no,
        "equivalent": formatting.yes_no,
    },
)

# %% tags=["remove-input"]
page.glue_facts(noise_text.arm_differences_facts(differences))
Markdown(
    "\n\n".join(
        [
            noise_text.comparison_text(differences.loc[(first, second)], arm_names[first], arm_names[second])
            for first, second in noise.ARM_PAIRS
        ]
    )
)

# %% [markdown]
# Keras 3's own `model.fit` trains on one batch order ten times over; our loop draws a new
# order every epoch, as Keras 2's `fit` did. Against our loop it scores
# {glue:text}`quirk_cost:+.2f` points (95% interval {glue:text}`quirk_low:+.2f` to
# {glue:text}`quirk_high:+.2f`): what a plain port of the paper's notebook to Keras 3
# would change.
#
# ## Fold by fold
#
# Each fold holds the same 12,000 images in every seed and in the paper, so each of the
# paper's five numbers can be set against its own fold's seed distribution.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-fold-boxes", "caption": "Each fold's held-out accuracy over our loop's seeds, with the paper's number for that fold.\n\nDrawn by `fmnist.analysis.figures.noise.fold_boxes` from the saved fold results of the runs in {numref}`tbl-noise-sources`."}, "image": {"alt": "Box plots of held-out accuracy over seeds, one per fold, each with a marker at the paper's value for that fold."}}
figure = figures.noise.fold_boxes(fold_values, "fmnist")

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-fold-spread", "caption": "Each fold's held-out accuracy over seeds, per arm, and where the paper's number for that fold falls.\n\nMade by `fmnist.analysis.noise.fold_table` from the runs in {numref}`tbl-noise-sources`."}}
fold_format = {
    "seeds": "{:.0f}",
    "paper percentile": "{:.0f}",
    "paper sds from mean": "{:+.1f}",
    "paper inside prediction interval": formatting.yes_no,
}
pd.concat(
    {arm_names[arm]: noise.fold_table(fold_values, arm) for arm in ("fmnist", "keras2-fit")}, names=["arm"]
).style.format(fold_format, precision=2)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-fold-order", "caption": "Whether the paper's order of the folds comes back over seeds: how often its easiest fold is the easiest again, and rank correlations with its five numbers.\n\nMade by `fmnist.analysis.noise.fold_order` from the runs in {numref}`tbl-noise-sources`."}}
orders = {arm: noise.fold_order(fold_values, arm) for arm in arm_seeds}
glue("best_share", orders["fmnist"]["share of seeds it is easiest"] * 100, display=False)
pd.DataFrame(orders).T.rename(index=arm_names).style.format(
    {"seeds": "{:.0f}", "paper's easiest fold": "{:.0f}", "share of seeds it is easiest": "{:.0%}"}, precision=2
)

# %% tags=["remove-input"]
Markdown(noise_text.fold_order_text(orders, arm_names))

# %% [markdown]
# The rank correlation compares the order of the five folds (Spearman's, from -1 to +1):
# per seed with the paper's order, then averaged, and for the folds' means over seeds.
#
# ## Training accuracy
#
# The same summary for Table I's mean accuracy on each fold's training part.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-arm-spread-train", "caption": "The same as {numref}`tbl-arm-spread` for Table I's mean training accuracy; the sentences below place the paper's training accuracy.\n\nMade by `fmnist.analysis.noise.arm_table` from the runs in {numref}`tbl-noise-sources`."}}
train = noise.arm_table(means, "train")
page.glue_facts(noise_text.train_facts(train))
page.glue_facts(claims.glue_names("claim_train", claims.agreement_claim(train.loc["fmnist"], "mean training accuracy")))
train[noise.SPREAD_COLUMNS].rename(index=arm_names).style.format(table_format, precision=2)

# %% tags=["remove-input"]
Markdown(" ".join(noise_text.position_text(train.loc[arm], arm_names[arm]) for arm in train.index))

# %% [markdown]
# ## Keras 2, recomputed in this build
#
# The Keras 2 arm was recorded once. So that a build shows it still reproduces, this build
# trains some of its seed-0 folds again and sets each beside its record; the build fails
# where they differ by more than its tolerance. On the processor kind
# that recorded them a rerun repeats its record, so the tolerance is small; on another
# kind a rerun is another random draw, and the check can only catch a difference larger
# than two draws' seed noise. The [execution report](12_execution.ipynb) gives the
# tolerance each recomputed result is held to, the smallest difference its check catches.

# %% tags=["remove-input"]
rechecked = seed_study.recompute_folds(keras2_check, list(recompute_keras2_folds), places)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-keras2-recheck", "caption": "Folds of the Keras 2 arm's seed 0 trained again in this build, beside their record.\n\nMade by `fmnist.analysis.noise_text.recheck_table` from the Keras 2 arm's seed-0 record in `records/` and the folds this build computed in `results/`."}}
noise_text.recheck_table(rechecked).style.format({"difference (points)": "{:+.2f}"}, precision=2)

# %% tags=["remove-input"]
Markdown(noise_text.recheck_text(rechecked))

# %% [markdown]
# ## Summary
#
# - Our loop's Table I mean held-out accuracy moves by {glue:text}`ours_sd:.2f` points
#   (its own seed standard deviation) from one seed to the next; its mean over
#   {glue:text}`num_ours_seeds` seeds is {glue:text}`ours_mean:.2f`% (95% interval
#   {glue:text}`ours_low:.2f`% to {glue:text}`ours_high:.2f`%), the paper's one draw
#   {glue:text}`paper_mean:.2f`%, our range for one run {glue:text}`one_run_low:.2f`% to
#   {glue:text}`one_run_high:.2f`%: the reproduction {glue:text}`ours_consistent`, and
#   our mean {glue:text}`ours_equivalent` within the declared ±{glue:text}`margin:.2f`
#   points.
# - Each arm is judged with its own seed spread, never one pooled over the arms
#   (Bartlett's test of one common spread: {glue:text}`bartlett_p`).
# - Our loop minus Keras 2's `model.fit`: {glue:text}`ours_keras2_difference:+.2f` points;
#   the two {glue:text}`ours_keras2_equivalent` within ±{glue:text}`margin:.2f` points
#   (equivalence would hold from ±{glue:text}`ours_keras2_smallest:.2f`).
# - Keras 3's plain `model.fit`, which repeats one batch order every epoch, costs
#   {glue:text}`quirk_cost:+.2f` points against our loop.
# - The paper's easiest fold is the easiest again in {glue:text}`best_share:.0f`% of our
#   seeds.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
