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
# # Future Work, one configuration: filters and padding
#
# *Before this page: [The experiment](03_experiment.ipynb) and [the method's "How we judge a difference"](02_method.ipynb). Reading time: about READING_MINUTES minutes.*
#
# The paper closes (its Section IV-A) with two changes it expects to help and does not try:
# more filters in the convolution, evaluated over an increasing number of them, and padding,
# so that the 3x3 filters also cover the border pixels of an image. This page runs one such
# configuration through the paper's whole experiment (the same five folds, the same training)
# and compares it with the paper's model fold by fold.
#
# It is a parameterized notebook: for 64 filters with padding, run
#
# ```
# papermill notebooks/07_filters_padding.ipynb out.ipynb -p filters 64 -p padding same
# ```
#
# The book shows its default, the paper's 32 filters with `same` padding: padding alone.
# [The next page](08_sweep.ipynb) sets all eight configurations side by side.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The configuration to run; the paper's model has 32 filters and "valid" (no) padding.
filters = 32
padding = "same"
# The rest are the paper's settings, shared with the model it is compared with.
folds = 5
epochs = 10
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
# Folds trained at once, one process each; None is one per core. The numbers do not depend on it.
workers = None
# True trains the configuration when it has neither results nor a record (a quarter of an
# hour on two cores); False stops with a message instead.
compute_missing = True
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None

# %% tags=["remove-cell"]
import dataclasses

from myst_nb import glue

from fmnist import page, paper, parameters
from fmnist.analysis import figures, model_summary, significance, sweep_results
from fmnist.engine import model
from fmnist.experiments import cluster, runs
from fmnist.store import usage
from fmnist.store.places import Places
from fmnist.config import CVConfig

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
config = CVConfig.from_namespace(globals())
places = Places(results_dir, records_dir, data_dir, cluster.checked_scheduler(scheduler))
baseline_config = dataclasses.replace(config, filters=paper.FILTERS, padding=paper.PADDING)
glue("filters", config.filters, display=False)
glue("padding", config.padding, display=False)

# %% [markdown]
# ## The model
#
# With `same` padding the convolution keeps the 28x28 size, so the dense layer after it
# receives more inputs; more filters multiply them too. Most of the parameters sit in
# that first dense layer.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-config-layers", "caption": "The configuration's layers, each with the shape of its output for one image and its trainable parameters.\n\nMade by `fmnist.analysis.model_summary.layer_frame` from the model `fmnist.engine.model.build_model` builds."}}
layers = model.layer_table(model.build_model(config))
parameters = sum(row["parameters"] for row in layers)
glue("parameters", parameters, display=False)
glue("parameter_ratio", parameters / paper.NUM_PARAMETERS, display=False)
model_summary.layer_frame(layers)

# %% [markdown]
# {glue:text}`parameters:,` parameters, {glue:text}`parameter_ratio:.2f` times the
# paper's model.
#
# ## Cross-validation
#
# The folds are read back from this build's results, or else from the record that
# [the sweep](08_sweep.ipynb) made of this configuration; a configuration with neither is
# trained here, exactly as for Table I.

# %% tags=["hide-input"]
found = runs.obtain(
    config, places, compute_missing=compute_missing, how_to_make="run `fmnist cv` with the same settings", workers=workers
)
fold_results = found.folds()
glue("config_source_line", usage.source_line(found.folder), display=False)
glue("config_when", usage.plain_line(found.folder), display=False)

# %% [markdown]
# ## Against the paper's model, fold by fold
#
# Both models are scored on the same held-out folds, so the fair comparison is the
# difference on each fold: it removes the part of the spread that comes from which images a
# fold holds. The paper's model comes from this build's Table I run, or from its record
# when this build did not compute it.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-paired-differences", "caption": "The configuration minus the paper's model on each held-out fold, in accuracy points.\n\n{glue:text}`config_when`; {glue:text}`baseline_when`.\n\nMade by `fmnist.analysis.sweep_results.fold_differences` from {glue:text}`config_source_line` and {glue:text}`baseline_source_line`."}}
baseline = runs.obtain(baseline_config, places, how_to_make="run the experiment page (or `fmnist cv`) with the same parameters first")
baseline_folds = baseline.folds()
page.glue_facts(significance.paired_facts(fold_results, baseline_folds))
glue("baseline_source_line", usage.source_line(baseline.folder), display=False)
glue("baseline_when", usage.plain_line(baseline.folder), display=False)
sweep_results.fold_differences([(config, fold_results)], baseline_folds).style.format("{:+.2f}")

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-paired-folds", "caption": "Held-out accuracy on each fold, the paper's model beside the configuration, a line joining each fold's pair.\n\n{glue:text}`config_when`; {glue:text}`baseline_when`.\n\nDrawn by `fmnist.analysis.figures.sweep.paired_folds` from {glue:text}`config_source_line` and {glue:text}`baseline_source_line`."}, "image": {"alt": "Points of held-out accuracy for each fold, the paper's model on the left and the configuration on the right, each fold's pair joined by a line."}}
figure = figures.sweep.paired_folds(
    significance.held_out(fold_results),
    significance.held_out(baseline_folds),
    f"{config.filters} filters, '{config.padding}'",
    f"the paper's model (our run): {paper.FILTERS} filters, '{paper.PADDING}'",
)

# %% [markdown]
# With {glue:text}`filters` filters and {glue:text}`padding` padding the mean held-out accuracy is {glue:text}`config_mean:.2f`%, against {glue:text}`baseline_mean:.2f`% for the
# paper's model: {glue:text}`config_difference:+.2f`
# points on average, better on {glue:text}`folds_better` of {glue:text}`config_folds` folds.
# The five folds share three quarters of their training images, so they are not five
# independent samples: by the corrected resampled t-test of Nadeau and Bengio on the
# per-fold differences, which allows for that, the difference {glue:text}`config_significance`
# significant at the 5% level ({glue:text}`config_p_text`). With five folds of one seed the test
# has little power: a real difference of a few tenths of a point can go undetected, and
# the [sweep](08_sweep.ipynb) sets the decisive comparison against more seeds.
#
# ## Summary
#
# - One Future Work configuration, {glue:text}`filters` filters with
#   {glue:text}`padding` padding, ran through the paper's whole 5-fold experiment.
# - Mean held-out accuracy {glue:text}`config_mean:.2f`%, {glue:text}`config_difference:+.2f`
#   points against the paper's model on the same folds (corrected resampled t-test,
#   {glue:text}`config_p_text`).
# - Any configuration runs the same way: `papermill ... -p filters 64 -p padding same`.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
