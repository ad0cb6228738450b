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
# # The official test set
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

# %%
import numpy as np
from myst_nb import glue

from fmnist import paper, parameters
from fmnist.analysis import figures, significance, table_one, test_scores
from fmnist.data import fashion_mnist
from fmnist.experiments import cluster, runs
from fmnist.store import records, results
from fmnist.config import CVConfig, check_int

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()

# The parameters above, validated: a bad value stops here with a message naming it.
config = CVConfig.from_namespace(globals())
scheduler = cluster.checked_scheduler(scheduler)
check_int("num_pairs", num_pairs, minimum=1, maximum=45)
check_int("images_per_row", images_per_row, minimum=1, maximum=20)
dataset = fashion_mnist.load(data_dir)
test_labels = dataset.test_labels
config

# %% [markdown]
# ## Training on all training images
#
# One model, the same settings as every fold of Table I, but trained on all 60,000 images
# instead of 48,000. Its result is read back from this build's results, or else from its
# record; a configuration with neither is trained here.

# %%
test_run = runs.obtain(
    config,
    folds=[],
    test=True,
    compute_missing=compute_missing,
    how_to_make="run `fmnist test` with the same settings",
    results_dir=results_dir,
    records_dir=records_dir,
    data_dir=data_dir,
    scheduler=scheduler,
)
result = results.read_test(test_run.folder)
scores = test_scores.summary(test_labels, result)
cv_run = records.require(
    config,
    "run the experiment page (or `fmnist cv`) with the same parameters first",
    results_dir=results_dir,
    records_dir=records_dir,
)
_, cv_folds = results.load_run(cv_run.folder)
cv_accuracy = significance.held_out(cv_folds)
matrix = test_scores.confusion(test_labels, result)
per_class = test_scores.per_class_scores(test_labels, result)
pairs = test_scores.confused_pairs(matrix, top=num_pairs)
for name, value in test_scores.page_facts(scores, result, per_class, pairs, cv_accuracy).items():
    glue(name, value, display=False)
glue("paper_cv_mean", paper.TABLE_ONE_MEAN["Test Accuracy"], display=False)
glue("test_source", test_run.source, display=False)
scores

# %% [markdown]
# The model gets {glue:text}`test_accuracy:.2f`% of the {glue:text}`test_images` test
# images right ({glue:text}`test_errors` mistakes) after
# {glue:text}`training_minutes:.1f` minutes of training on {glue:text}`num_train` images
# ({glue:text}`test_source` run).
#
# How does that compare with the cross-validation estimate? Table I's held-out folds are
# also images the model did not train on, so the two numbers estimate the same thing; the
# test set is a different sample of images, though, and the final model saw 25% more
# training images than each fold's model.

# %%
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

# %%
figure = figures.test_set.confusion_matrix(matrix)

# %% [markdown]
# ## Precision, recall and F1 per class
#
# Precision: of the images the model put in a class, the share that belong there. Recall:
# of the images of a class, the share the model found. F1 is their harmonic mean. All in
# percent, from scikit-learn's `precision_recall_fscore_support`.

# %%
per_class.style.format({"precision": "{:.2f}", "recall": "{:.2f}", "F1": "{:.2f}", "images": "{:.0f}"})

# %% [markdown]
# The hardest class is {glue:text}`worst_class` (F1 {glue:text}`worst_f1:.2f`%), the
# easiest {glue:text}`best_class` (F1 {glue:text}`best_f1:.2f`%).
#
# ## The pairs it confuses most
#
# Mistakes between two classes, counted both ways:

# %%
pairs.drop(columns=["first", "second"]).set_index("pair")

# %% [markdown]
# {glue:text}`top_pair` alone accounts for {glue:text}`top_pair_mistakes` mistakes,
# {glue:text}`top_pair_share:.0f`% of all of them. Below are the mistaken images of these
# pairs, each way, the most confident mistakes first: many are hard to call for a person
# too, at 28 by 28 pixels.

# %%
galleries = test_scores.mistake_galleries(test_labels, result, pairs, images_per_row)
figure = figures.test_set.mistakes_gallery(dataset.test_images, galleries, np.asarray(result["confidences"]))

# %% [markdown]
# ## Summary
#
# - Trained once on all {glue:text}`num_train` training images with the paper's settings,
#   the paper's model scores {glue:text}`test_accuracy:.2f`% on the official test set
#   (macro F1 {glue:text}`macro_f1:.2f`%), {glue:text}`test_minus_cv:+.2f` points from
#   its cross-validation estimate of {glue:text}`cv_mean:.2f`%.
# - Most mistakes fall between classes of similar shape: {glue:text}`top_pair` first.
# - {glue:text}`worst_class` is the hardest class, {glue:text}`best_class` the easiest.
