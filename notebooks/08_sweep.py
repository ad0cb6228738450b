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
# # Future Work: the whole sweep
#
# *Before this page: [Future Work, one configuration](07_filters_padding.ipynb) and [How much is noise?](05_noise.ipynb). Reading time: about READING_MINUTES minutes.*
#
# The paper conjectures (Section IV-A) that more convolution filters and padding would
# improve its model. This page answers with eight configurations: 16, 32, 64 and 128
# filters, each without padding (`valid`, the paper's choice) and with it (`same`). Every
# configuration is the paper's full 5-fold experiment on the same folds as Table I.
#
# The sweep costs many times Table I (the 128-filter models are the largest), so it is not
# recomputed in every book build. It was run once and its results recorded, each with the
# date, machine and versions that made it. This page reads a
# configuration from this build's results when the build computed it, and from its record
# otherwise, and says which. Every build recomputes the configurations of the pages before
# this one from nothing and checks them against their records (see the
# [execution report](12_execution.ipynb)).

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The sweep: every filters x padding pair; the paper's model is (32, "valid").
# From papermill's command line, pass lists as YAML: -y "filters_list: [16, 64]".
filters_list = [16, 32, 64, 128]
paddings = ["valid", "same"]
# The shared settings are the paper's.
folds = 5
epochs = 10
batch_size = 32
learning_rate = 0.01
momentum = 0.9
seed = 0
split_seed = 1
subset = None
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Records folder; None is $FMNIST_RECORDS_DIR, else records/ of the checkout.
records_dir = None
# True trains the configurations that have neither results nor a record (hours on 2 cores).
compute_missing = False
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None
# The filter count at which padding is also compared over seeds: every recorded (or
# computed) seed of both paddings at that count.
padding_seed_filters = 64

# %% tags=["remove-cell"]
from IPython.display import Markdown
from myst_nb import glue

from fmnist import page, paper, parameters
from fmnist.analysis import claims, figures, formatting, noise, noise_text, sweep_results
from fmnist.experiments import cluster, runs, seeds, sweep
from fmnist.store import usage
from fmnist.store.places import Places
from fmnist.config import CVConfig, check_int

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
base = CVConfig.from_namespace(globals())
places = Places(results_dir=results_dir, records_dir=records_dir, scheduler=cluster.checked_scheduler(scheduler))
check_int("padding_seed_filters", padding_seed_filters, minimum=1)
configs = sweep.sweep_configs(base, filters=filters_list, paddings=paddings, names=("filters_list", "paddings"))
baseline_config = CVConfig.from_namespace({**globals(), "filters": paper.FILTERS, "padding": paper.PADDING})


found = {
    config: runs.obtain(config, places, compute_missing=compute_missing, how_to_make="run `make sweep`")
    for config in [*configs, baseline_config]
}
sweep_runs = [(config, found[config].folds()) for config in configs]
baseline_found = found[baseline_config]
baseline_folds = baseline_found.folds()
timed_folds = sweep.timing_folds([*configs, baseline_config], found, places)
padding_studies = sweep.padding_studies(base, padding_seed_filters, places)

# %% [markdown]
# ## Where each number comes from

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-sweep-sources", "caption": "Where each configuration's numbers come from: computed in this build or read from its record, with the date, processor, processor kind and TensorFlow version that made them.\n\nMade by `fmnist.analysis.sweep_results.sources_table` from the configurations' folders in `results/` and `records/`."}}
sources = sweep_results.sources_table(sweep_runs, {config: found[config].source for config in configs})
glue("num_recomputed", int((sources["source"] == "computed").sum()), display=False)
glue("num_recorded", int((sources["source"] == "recorded").sum()), display=False)
glue("num_configs", len(sources), display=False)
sources

# %% [markdown]
# Of the {glue:text}`num_configs` configurations, this build computed
# {glue:text}`num_recomputed`; the other {glue:text}`num_recorded` come from their records,
# made on the dates shown.
#
# ## Accuracy, size and cost
#
# Mean and population standard deviation of the held-out accuracy over the five folds (in
# percent), the mean training accuracy, the parameter count, and the training time summed
# over the folds (each fold on one core). Each time is read from the configuration's
# record where it has one, even when this build computed its accuracy again; "timed on"
# names the processor that measured it and "timing" whether the machine was quiet then.
# Only times taken on a quiet machine are compared; the records older than the load
# record say nothing of the machine's load, and some of them are known to have shared
# their cores with other training, so their times show cost only roughly.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-sweep-summary", "caption": "The eight configurations: parameters, held-out accuracy (mean and standard deviation over the folds), mean training accuracy, and the training time summed over the folds with the processor that measured it and whether the machine was quiet.\n\nMade by `fmnist.analysis.sweep_results.sweep_summary` from the folders in {numref}`tbl-sweep-sources`; times from the records."}}
summary = sweep_results.sweep_summary(sweep_runs, timed_folds)
summary.style.format(
    {"parameters": "{:,}", "folds": "{:d}", "held-out mean": "{:.2f}", "held-out std": "{:.2f}", "train mean": "{:.2f}", "training minutes": "{:.1f}"}
)

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-sweep-accuracy", "caption": "Each configuration against the paper's model (32 filters, `valid`) over its number of filters: the mean paired difference over the five folds, with the 95% interval of the corrected resampled t-test (left), and the training time (right).\n\nDrawn by `fmnist.analysis.figures.sweep.sweep_accuracy` from the folders in {numref}`tbl-sweep-sources`."}, "image": {"alt": "Two panels against the number of filters: on the left, points with error bars, each configuration's held-out accuracy minus the paper's model, with a dashed line at zero; on the right, lines of training minutes, one per padding."}}
intervals = sweep_results.difference_intervals([(config, folds) for config, folds in sweep_runs if config != baseline_config], baseline_folds)
figure = figures.sweep.sweep_accuracy(intervals, summary)

# %% [markdown]
# ## Against the paper's model, fold by fold
#
# Each configuration minus the paper's model (32 filters, `valid`) on the same held-out
# fold, in accuracy points, then the mean of those paired differences, on how many folds
# the configuration did better, and the p-value of the corrected resampled t-test of
# Nadeau and Bengio: the five folds share three quarters of their training images, so a
# plain paired t-test over them would find differences too often. The seven comparisons
# with one baseline are one family, so each p-value is also given after Holm's correction
# for multiple comparisons, and "significant" follows the corrected one.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-sweep-against", "caption": "Each configuration minus the paper's model on the same folds: mean, smallest and largest paired difference in points, folds better, and the corrected resampled t-test's p-value before and after Holm's correction over the seven comparisons.\n\nMade by `fmnist.analysis.sweep_results.sweep_against_baseline` from the folders in {numref}`tbl-sweep-sources`."}}
against = sweep_results.sweep_against_baseline(sweep_runs, baseline_folds, baseline_config)
formatting.styled(against, sweep_results.COMPARISON_FORMATS)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-sweep-folds", "caption": "Each configuration minus the paper's model on each held-out fold, in accuracy points.\n\nMade by `fmnist.analysis.sweep_results.fold_differences` from the folders in {numref}`tbl-sweep-sources`."}}
differences = sweep_results.fold_differences(sweep_runs, baseline_folds)
differences.style.format("{:+.2f}")

# %% [markdown]
# ## The noise floor
#
# Every configuration here is one seed. [How much is noise?](05_noise.ipynb) measured how
# far one seed's Table I mean moves from the next at the paper's settings; the difference
# of two single-seed runs carries the noise of both.

# %% tags=["remove-input"]
noise_study = seeds.recorded_study(baseline_config, places)
noise_floor = noise.single_run_floor(noise_study)
Markdown(noise_text.difference_noise_text(noise_study, against))

# %% [markdown]
# ## What the conjecture turned out to be
#
# The paper conjectures two things, more filters (64 and 128 against 32, at the same
# padding) and padding (`same` against `valid`, at the same filter count). Both feed one
# verdict, so all their comparisons are one family with one Holm correction. A choice
# counts as better when its comparison is significant after the correction and, where the
# noise study measured it, its gain reaches the seed-noise floor above.
#
# Padding at {glue:text}`padding_seed_filters` filters, the sweep's best configuration
# against its `valid` twin, was also run at more seeds, so that it rests on seeds rather
# than on the five overlapping folds of one seed.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-sweep-families", "caption": "The conjecture's comparisons, more filters and padding, by the corrected resampled t-test over folds, with one Holm correction over all of them.\n\nMade by `fmnist.analysis.sweep_results.conjecture_family` from the folders in {numref}`tbl-sweep-sources`."}}
family = sweep_results.conjecture_family(sweep_runs + [(baseline_config, baseline_folds)])
glue("padding_seed_filters", padding_seed_filters, display=False)
formatting.styled(family, sweep_results.COMPARISON_FORMATS)

# %% tags=["remove-cell"]
padding_seeds = sweep_results.seed_comparison(padding_studies["same"], padding_studies["valid"])
baseline_row = sweep_results.sweep_summary([(baseline_config, baseline_folds)], timed_folds).iloc[0]
page.glue_facts(sweep_results.page_facts(summary, against, family, baseline_row, noise_floor, padding_seeds))

# %% tags=["remove-input"]
Markdown(sweep_results.seed_comparison_text(padding_seeds, padding_seed_filters))

# %% tags=["remove-input"]
conjecture = claims.conjecture_claim(sweep_results.question_gains(family, padding_seeds, noise_floor))
page.glue_facts(claims.glue_names("claim_conjecture", conjecture))
Markdown(sweep_results.conjecture_verdict(family, padding_seeds, noise_floor))

# %% [markdown]
# The best configuration is {glue:text}`best_filters` filters with
# {glue:text}`best_padding` padding: {glue:text}`best_mean:.2f`% ±
# {glue:text}`best_std:.2f`% mean held-out accuracy, {glue:text}`best_gain:+.2f` points
# against the paper's model on the same folds (corrected resampled t-test {glue:text}`best_p_text`,
# {glue:text}`best_p_holm_text` after Holm's correction),
# with {glue:text}`best_parameter_ratio:.1f` times its parameters and
# {glue:text}`best_time_text`. Averaged over filter counts,
# padding changes the mean held-out accuracy by {glue:text}`padding_gain:+.2f` points, and
# all configurations lie within {glue:text}`filters_span:.2f` points of each other, while
# the parameters and the training time grow with the filters ({numref}`tbl-sweep-summary`).
#
# Why so little? More filters and padding mostly enlarge the first dense layer, and this
# network does not lack capacity: in every configuration its training accuracy is
# {glue:text}`train_gap_min:.1f` to {glue:text}`train_gap_max:.1f` points above its held-out
# accuracy after ten epochs (the "train mean" column), the mark of a model that overfits
# rather than one that cannot fit. What the paper's
# conjecture aimed at, a better feature extractor, takes more than a wider single
# convolution; [the next page](09_better_cnn.ipynb) measures what does pay.
#
# ## Summary
#
# - Eight configurations, filters {16, 32, 64, 128} x padding {valid, same}, each the
#   paper's whole 5-fold experiment on the same folds; {glue:text}`num_recomputed` computed
#   in this build, {glue:text}`num_recorded` read from their records.
# - Best: {glue:text}`best_filters` filters, {glue:text}`best_padding` padding,
#   {glue:text}`best_mean:.2f`% ({glue:text}`best_gain:+.2f` points over the paper's model,
#   {glue:text}`best_p_text`).
# - The paper's conjecture, judged after one Holm correction, against the seed-noise floor
#   and, for padding, over seeds: {glue:text}`conjecture_outcome`.
#   Configurations better than the paper's model by both the correction and the floor:
#   {glue:text}`num_significant_better` of the others. All of them lie within {glue:text}`filters_span:.2f` points of each other, while their cost grows
#   with the filters.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
