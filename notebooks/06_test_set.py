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
# # The official test set
#
# *Before this page: [The experiment](03_experiment.ipynb); precision, recall and F1. Reading time: about READING_MINUTES minutes.*
#
# The paper measures its network only by cross-validation on the 60,000 training images;
# the 10,000 test images that Fashion-MNIST sets aside are never used. This page does what
# a reader would do next: train the paper's model once on all 60,000 training images, with
# the paper's settings, and score it on the official test images. Because the test images
# were never looked at while the model or its settings were chosen, this is the least
# biased estimate of how the model does on new images, and the number other papers on
# Fashion-MNIST report.
#
# The saved result keeps each test image's predicted class and the model's confidence in
# it, so the confusion matrix, the per-class scores and the gallery of mistakes below are
# all computed from that file.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# The defaults are the paper's model and training; folds and split_seed only name the
# cross-validation run this page compares with.
folds = 5
epochs = 10
batch_size = 32
learning_rate = 0.01
momentum = 0.9
filters = 32
padding = "valid"
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
# True trains the model when it has neither results nor a record (minutes on one core);
# False stops with a message instead.
compute_missing = True
# The gallery shows the most confused class pairs, both ways, this many images each.
num_pairs = 2
images_per_row = 8
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine. The numbers do not depend on it.
scheduler = None

# %% tags=["remove-cell"]
import numpy as np
from myst_nb import glue

from fmnist import page, paper, parameters
from fmnist.analysis import claims, figures, significance, table_one, test_scores
from fmnist.data import fashion_mnist
from fmnist.experiments import cluster, runs
from fmnist.store import usage
from fmnist.store.places import Places
from fmnist.config import CVConfig, check_int

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
config = CVConfig.from_namespace(globals())
places = Places(results_dir, records_dir, data_dir, cluster.checked_scheduler(scheduler))
check_int("num_pairs", num_pairs, minimum=1, maximum=45)
check_int("images_per_row", images_per_row, minimum=1, maximum=20)
dataset = fashion_mnist.load(data_dir)
test_labels = dataset.test_labels

# %% [markdown]
# ## Training on all training images
#
# One model, the same settings as every fold of Table I, but trained on all 60,000 images
# instead of 48,000. Its result is read back from this build's results, or else from its
# record; a configuration with neither is trained here.

# %% tags=["remove-input"]
test_run = runs.obtain(
    config, places, folds=[], test=True, compute_missing=compute_missing, how_to_make="run `fmnist test` with the same settings"
)
result = test_run.test()
scores = test_scores.summary(test_labels, result)
cv_run = runs.obtain(config, places, how_to_make="run the experiment page (or `fmnist cv`) with the same parameters first")
cv_folds = cv_run.folds()
cv_accuracy = significance.held_out(cv_folds)
matrix = test_scores.confusion(test_labels, result)
per_class = test_scores.per_class_scores(test_labels, result)
pairs = test_scores.confused_pairs(matrix, top=num_pairs)
page.glue_facts(test_scores.page_facts(scores, result, per_class, pairs, cv_accuracy))
glue("paper_cv_mean", paper.TABLE_ONE_MEAN["Test Accuracy"], display=False)
page.glue_facts(claims.glue_names("claim_kaggle", claims.range_claim(scores["accuracy"])))
glue("test_source", test_run.source, display=False)
glue("test_source_line", usage.source_line(test_run.folder), display=False)
glue("test_when", usage.plain_line(test_run.folder), display=False)
glue("cv_source_line", usage.source_line(cv_run.folder), display=False)
glue("cv_when", usage.plain_line(cv_run.folder), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-test-scores", "caption": "The paper's model on the official test set: images, mistakes, accuracy and macro-averaged F1.\n\n{glue:text}`test_when`.\n\nMade by `fmnist.analysis.test_scores.summary_table` from {glue:text}`test_source_line`."}}
test_scores.summary_table({"paper's model": scores})

# %% [markdown]
# The model gets {glue:text}`test_accuracy:.2f`% of the {glue:text}`test_images:,` test
# images right ({glue:text}`test_errors:,` mistakes) after
# {glue:text}`training_minutes:.1f` minutes of training on {glue:text}`num_train:,` images
# ({glue:text}`test_when`).
#
# How does that compare with the cross-validation estimate? Table I's held-out folds are
# also images the model did not train on, so the two numbers estimate the same thing; the
# test set is a different sample of images, though, and the final model saw 25% more
# training images than each fold's model.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-cv-against-test", "caption": "Two estimates of the same accuracy: the cross-validation's held-out folds (ours and the paper's) and the official test set.\n\n{glue:text}`test_when`; {glue:text}`cv_when`.\n\nMade by `fmnist.analysis.table_one.cv_against_test` from {glue:text}`cv_source_line`, {glue:text}`test_source_line` and the paper's Table I."}}
table_one.cv_against_test(cv_accuracy, scores["accuracy"], cv_run.source).style.format(precision=2, na_rep="-")

# %% [markdown]
# Our cross-validation gave {glue:text}`cv_mean:.2f`% ± {glue:text}`cv_std:.2f`% (the
# paper's {glue:text}`paper_cv_mean:.2f`%); the official test accuracy minus that is
# {glue:text}`test_minus_cv:+.2f` points.
#
# ## Where it goes wrong: the confusion matrix
#
# Each row is a true class and each column the class the model chose; the diagonal holds
# the correct answers and every other cell a kind of mistake.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-confusion", "caption": "Confusion matrix of the paper's model on the 10,000 official test images: rows are the true classes, columns the predicted ones.\n\n{glue:text}`test_when`.\n\nDrawn by `fmnist.analysis.figures.test_set.confusion_matrix` from {glue:text}`test_source_line`."}, "image": {"alt": "A ten by ten confusion matrix, each cell shaded by its count, with a strong diagonal."}}
figure = figures.test_set.confusion_matrix(matrix)

# %% [markdown]
# ## Precision, recall and F1 per class
#
# Precision: of the images the model put in a class, the share that belong there. Recall:
# of the images of a class, the share the model found. F1 is their harmonic mean. All in
# percent, from scikit-learn's `precision_recall_fscore_support`.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-per-class", "caption": "Precision, recall and F1 of each class on the official test set, in percent, and their macro average.\n\n{glue:text}`test_when`.\n\nMade by `fmnist.analysis.test_scores.per_class_scores` from {glue:text}`test_source_line`."}}
per_class.style.format({"precision": "{:.2f}", "recall": "{:.2f}", "F1": "{:.2f}", "images": "{:.0f}"})

# %% [markdown]
# The hardest class is {glue:text}`worst_class` (F1 {glue:text}`worst_f1:.2f`%), the
# easiest {glue:text}`best_class` (F1 {glue:text}`best_f1:.2f`%).
#
# ## The pairs it confuses most
#
# Mistakes between two classes, counted both ways:

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-confused-pairs", "caption": "The class pairs the model confuses most, with the mistakes each way.\n\n{glue:text}`test_when`.\n\nMade by `fmnist.analysis.test_scores.confused_pairs` from {glue:text}`test_source_line`."}}
pairs.drop(columns=["first", "second"]).set_index("pair")

# %% [markdown]
# {glue:text}`top_pair` alone accounts for {glue:text}`top_pair_mistakes` mistakes,
# {glue:text}`top_pair_share:.0f`% of all of them. Below are the mistaken images of these
# pairs, each way, the most confident mistakes first: many are hard to call for a person
# too, at 28 by 28 pixels.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-mistakes", "caption": "Test images the model got wrong within the most confused pairs, each way, the most confident mistakes first, with the true and the predicted class.\n\n{glue:text}`test_when`.\n\nDrawn by `fmnist.analysis.figures.test_set.mistakes_gallery` from the test images and {glue:text}`test_source_line`."}, "image": {"alt": "Rows of small grayscale test images the model misclassified, each labelled with its true and predicted class."}}
galleries = test_scores.mistake_galleries(test_labels, result, pairs, images_per_row)
figure = figures.test_set.mistakes_gallery(dataset.test_images, galleries, np.asarray(result.confidences))

# %% [markdown]
# ## Summary
#
# - Trained once on all {glue:text}`num_train:,` training images with the paper's settings,
#   the paper's model scores {glue:text}`test_accuracy:.2f`% on the official test set
#   (macro F1 {glue:text}`macro_f1:.2f`%), {glue:text}`test_minus_cv:+.2f` points from
#   its cross-validation estimate of {glue:text}`cv_mean:.2f`%.
# - Most mistakes fall between classes of similar shape: {glue:text}`top_pair` first.
# - {glue:text}`worst_class` is the hardest class, {glue:text}`best_class` the easiest.

# %% tags=["remove-cell"]
# For the execution report: every saved run this page used, and where it came from.
glue("results_used", usage.as_json(), display=False)
