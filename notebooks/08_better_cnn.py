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
# # A better small CNN
#
# [The sweep](07_sweep.ipynb) showed that the paper's network gains little from more
# filters or padding. This page keeps the paper's spirit (a few convolutions, SGD with
# momentum, trainable in minutes on a laptop CPU) and changes the network itself, one
# measured choice at a time: padding, more convolution blocks, batch normalization,
# dropout, shifted copies of the training images, and a learning rate that decays to zero.
#
# The choices are measured on fold 1 of the paper's cross-validation (48,000 images to
# train, 12,000 held out), never on the test set. Only the final model is then trained on
# all 60,000 training images and scored, once, on the official test set. The goal:
# at least 93.5% test accuracy with at most 10 minutes of training on this 2-core machine,
# above the two-convolution entries of Zalando's benchmark table (91.6% to 93.9%).

# %% tags=["parameters"]
# Every ablation step trains this many epochs, the paper's model included.
epochs = 15
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
# True trains the ablation steps that have neither results nor a record (about half an hour).
compute_missing = False

# %%
from myst_nb import glue

from fmnist import comparisons, data, evaluation, figures, figures_beyond, improved, model, paper, records, results, testset
from fmnist.config import CVConfig

# The parameters above, validated: a bad value stops here with a message naming it.
base = CVConfig.from_namespace(globals())
steps = improved.ablation_steps(base)
better = improved.better_config(base)
better

# %% [markdown]
# ## The better CNN
#
# Three convolution blocks (32, 64 and 128 filters of 3x3, `same` padding, each followed by
# batch normalization, ReLU and 2x2 max pooling) feed the paper's own dense layers (128
# and 64 units), with dropout before the first two. During training each image is shifted
# at random by up to two pixels each way.

# %%
layers = model.layer_table(model.build_model(better))
parameters = sum(row["parameters"] for row in layers)
glue("better_parameters", parameters, display=False)
figure = figures.model_diagram(layers)

# %% [markdown]
# ## The ablation
#
# Each row adds one choice to the row above it, and is trained for
# {glue:text}`ablation_epochs` epochs on fold 1 and scored on its 12,000 held-out images.
# Single runs: a difference of about 0.2 points between two rows is within what another
# seed could give.

# %%
found = {}
for name, config in steps:
    found[name] = records.find(config, folds=[improved.ABLATION_FOLD], results_dir=results_dir, records_dir=records_dir)
missing = [name for name, place in found.items() if place is None]
if missing and compute_missing:
    improved.run_ablation(steps, results_dir=results_dir, data_dir=data_dir)
    found = {name: records.find(config, folds=[improved.ABLATION_FOLD], results_dir=results_dir, records_dir=records_dir) for name, config in steps}
elif missing:
    raise ValueError(f"no results or record for {', '.join(missing)}: run `make ablation`, or set compute_missing = True")
step_results = [
    (name, config, results.read_fold(found[name].folder, improved.ABLATION_FOLD)) for name, config in steps
]
ablation = comparisons.ablation_table(step_results)
ablation["source"] = [found[name].source for name, _ in steps]
glue("ablation_epochs", epochs, display=False)
glue("num_recorded_steps", int((ablation["source"] == "recorded").sum()), display=False)
glue("ablation_first", float(ablation["held-out accuracy"].iloc[0]), display=False)
glue("ablation_last", float(ablation["held-out accuracy"].iloc[-1]), display=False)
largest = ablation["gain"].idxmax()
glue("largest_step", largest, display=False)
glue("largest_gain", float(ablation.loc[largest, "gain"]), display=False)
ablation.style.format(
    {"parameters": "{:,}", "train accuracy": "{:.2f}", "held-out accuracy": "{:.2f}", "gain": "{:+.2f}", "training minutes": "{:.1f}"},
    na_rep="-",
)

# %%
figure = figures_beyond.ablation(ablation)

# %% [markdown]
# On fold 1 the choices together take the held-out accuracy from
# {glue:text}`ablation_first:.2f`% to {glue:text}`ablation_last:.2f`%; the largest single
# gain, {glue:text}`largest_gain:+.2f` points, comes from "{glue:text}`largest_step`".
# {glue:text}`num_recorded_steps` of the steps were read from their records rather than
# computed in this build.
#
# ## The official test set
#
# The last step is the better CNN. It is trained once on all 60,000 training images and
# scored on the 10,000 test images, as the paper's model was on
# [the test-set page](05_test_set.ipynb).

# %%
dataset = data.load(data_dir)
run_folder, better_result = testset.run_test(better, results_dir=results_dir, data_dir=data_dir)
better_scores = evaluation.summary(dataset.test_labels, better_result)
paper_config = CVConfig.from_namespace({**globals(), "epochs": paper.EPOCHS})
paper_run = records.find(paper_config, folds=[], test=True, results_dir=results_dir, records_dir=records_dir)
if paper_run is None:
    raise ValueError("the paper's model has no official-test result: run the test-set page first")
paper_scores = evaluation.summary(dataset.test_labels, results.read_test(paper_run.folder))
training_minutes = better_result["training_seconds"] / 60
glue("better_accuracy", better_scores["accuracy"], display=False)
glue("better_errors", better_scores["errors"], display=False)
glue("paper_accuracy", paper_scores["accuracy"], display=False)
glue("paper_errors", paper_scores["errors"], display=False)
glue("error_reduction", 100 * (1 - better_scores["errors"] / paper_scores["errors"]), display=False)
glue("better_minutes", training_minutes, display=False)
glue("target_accuracy", improved.TARGET_TEST_ACCURACY, display=False)
glue("budget_minutes", improved.TRAINING_BUDGET_MINUTES, display=False)
met = better_scores["accuracy"] >= improved.TARGET_TEST_ACCURACY and training_minutes <= improved.TRAINING_BUDGET_MINUTES
glue("target_met", "meets" if met else "does not meet", display=False)
{"better CNN": better_scores, "paper's model": paper_scores}

# %% [markdown]
# The better CNN scores {glue:text}`better_accuracy:.2f`% on the official test set
# ({glue:text}`better_errors` mistakes) against {glue:text}`paper_accuracy:.2f`%
# ({glue:text}`paper_errors`) for the paper's model: {glue:text}`error_reduction:.0f`% fewer
# mistakes, after {glue:text}`better_minutes:.1f` minutes of training on one core. It
# therefore {glue:text}`target_met` the goal of {glue:text}`target_accuracy:.1f`% within
# {glue:text}`budget_minutes:.0f` minutes.

# %%
better_matrix = evaluation.confusion(dataset.test_labels, better_result)
figure = figures_beyond.confusion_matrix(better_matrix)

# %%
per_class = evaluation.per_class_scores(dataset.test_labels, better_result)
per_class.style.format({"precision": "{:.2f}", "recall": "{:.2f}", "F1": "{:.2f}", "images": "{:.0f}"})

# %% [markdown]
# ## Summary
#
# - Seven cumulative steps, measured on fold 1, turn the paper's network into a
#   three-block CNN with batch normalization, dropout, shift augmentation and a cosine
#   learning rate: {glue:text}`ablation_first:.2f`% to {glue:text}`ablation_last:.2f`%
#   held-out accuracy.
# - On the official test set it scores {glue:text}`better_accuracy:.2f`% against the
#   paper's model's {glue:text}`paper_accuracy:.2f`%, with {glue:text}`better_minutes:.1f`
#   minutes of training; it {glue:text}`target_met` the {glue:text}`target_accuracy:.1f`%
#   goal.
# - The test set was used once per model; every choice was made on fold 1.
