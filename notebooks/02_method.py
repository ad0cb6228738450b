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
# # The method
#
# *Before this page: [The data](01_data.ipynb); what a convolution and a dense layer are. Reading time: about READING_MINUTES minutes.*
#
# The paper (its Section II) classifies the images with a small convolutional network built
# with Keras's sequential API: one convolution, one max-pooling, two dense layers and a
# softmax output, trained by stochastic gradient descent with momentum. This page builds
# that network with `fmnist.engine.model` and draws it.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# Filters of the convolution (the paper: 32).
filters = 32
# Padding of the convolution, "valid" (the paper: no padding) or "same".
padding = "valid"

# %% tags=["remove-cell"]
from IPython.display import Markdown
from myst_nb import glue

from fmnist import page, paper, parameters
from fmnist.analysis import figures, model_summary, noise, significance
from fmnist.engine import model
from fmnist.config import CVConfig
from fmnist.store import usage

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

# The parameters above, validated: a bad value stops here with a message naming it.
cnn = model.build_model(CVConfig(filters=filters, padding=padding))
layers = model.layer_table(cnn)

# %% [markdown]
# ## The layers
#
# 1. A 2D convolution with 3 x 3 kernels and ReLU activation, its weights drawn from a
#    Glorot (Xavier) normal distribution. Without padding, each 28 x 28 image shrinks by
#    one pixel on every side.
# 2. Max pooling over 2 x 2 windows halves each side.
# 3. Flatten turns the feature maps into one vector.
# 4. Two dense ReLU layers of 128 and 64 units.
# 5. A dense softmax layer of 10 units gives a probability for each class.
#
# The loss is categorical cross-entropy on one-hot labels, the optimizer SGD with learning
# rate 0.01 and momentum 0.9, and the metric accuracy.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-layers", "caption": "The network's layers, each with the shape of its output for one image and its number of trainable parameters.\n\nMade by `fmnist.analysis.model_summary.layer_frame` from the model `fmnist.engine.model.build_model` builds."}}
model_summary.layer_frame(layers)

# %% [markdown]
# ## The classifier, drawn
#
# The diagram is drawn from the model Keras built, so its shapes and counts are the
# model's own.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-classifier", "caption": "The classifier (the paper's Fig. 2), drawn from the model Keras built: each layer with its output shape and parameters.\n\nDrawn by `fmnist.analysis.figures.model.model_diagram` from the model `fmnist.engine.model.build_model` builds."}, "image": {"alt": "A diagram of the network from input to output: a 28 by 28 image, a 3 by 3 convolution, 2 by 2 max pooling, flatten, dense layers of 128 and 64 units and a softmax of 10."}}
figure = figures.model.model_diagram(layers)

# %% [markdown]
# ## Parameter count

# %% tags=["hide-input"]
num_parameters = cnn.count_params()
at_paper_settings = (filters, padding) == (paper.FILTERS, paper.PADDING)
glue("num_parameters", num_parameters, display=False)
glue("paper_num_parameters", paper.NUM_PARAMETERS, display=False)
glue("dense_share", layers[3]["parameters"] / num_parameters * 100, display=False)
if at_paper_settings and num_parameters != paper.NUM_PARAMETERS:
    raise ValueError(f"the model has {num_parameters:,} parameters, the paper's {paper.NUM_PARAMETERS:,}")
Markdown(f"Trainable parameters: {num_parameters:,} (the paper's model: {paper.NUM_PARAMETERS:,}).")

# %% [markdown]
# The model has {glue:text}`num_parameters:,` trainable parameters; the paper's
# architecture has {glue:text}`paper_num_parameters:,`. Almost all of them,
# {glue:text}`dense_share:.1f`%, sit in the first dense layer, which connects every
# pooled feature to 128 units. The convolution itself is tiny, which is why the paper's
# Future Work (more filters, padding) changes the size of the dense layer more than that of
# the convolution.
#
# ## How we judge a difference
#
# Every result of this book is a random draw: another seed gives other weights and another
# batch order, and so other numbers. So a difference is judged against the seed-to-seed
# noise measured on [How much is noise?](05_noise.ipynb), and every page takes its
# intervals, ranges and floors from one module, `fmnist.analysis.noise`. Its rules:
#
# - **Each model its own noise.** A training loop's seed standard deviation is its own,
#   with its own degrees of freedom, never one pooled over loops whose spreads differ.
# - **A difference of two runs carries both runs' noise**: it stands out when it reaches
#   {glue:text}`floor_sds:.0f` × √(σ₁² + σ₂²), not {glue:text}`floor_sds:.0f` σ.
# - **Folds overlap.** Any two of the five folds share three quarters of their training
#   images, so fold-by-fold comparisons use the corrected resampled t-test of Nadeau and
#   Bengio, and where a decision rests on it, the comparison is run at more seeds and the
#   seeds decide.
# - **One correction per family**: the comparisons that feed one verdict are corrected
#   together (Holm's method).
# - **Margins are declared, not fitted**: "equivalent" means within
#   ±{glue:text}`margin:.2f` points, the standard deviation over folds the paper prints
#   beside its mean, fixed before it is applied; each page also gives the smallest margin
#   at which equivalence would hold.
#
# ```{list-table} Which test for which claim, its unit, its family and its margin or floor.
# :header-rows: 1
# :name: tbl-how-we-judge
#
# * - Claim
#   - Test
#   - Unit
#   - Family
#   - Margin or floor
# * - The paper's number is *consistent* with our runs
#   - 95% prediction interval for one run, from the arm's own seed spread
#   - a seed (one whole cross-validation)
#   - one verdict per arm
#   - none
# * - Our mean is *equivalent* to the paper's number
#   - two one-sided t-tests at the {glue:text}`level_percent:.0f`% level
#   - a seed
#   - one verdict per arm
#   - the declared margin
# * - Two training loops differ, or are equivalent
#   - Welch's t-test and two one-sided tests, each loop its own variance
#   - a seed
#   - the three pairs of loops (Holm)
#   - the declared margin
# * - A Future Work configuration beats the paper's model
#   - corrected resampled t-test on the paired fold differences
#   - a fold (five that overlap)
#   - the seven configurations (Holm)
#   - two single runs' noise floor
# * - More filters, or padding, improve the model (the paper's conjecture)
#   - corrected resampled t-test; padding at 64 filters also a paired t-test over seeds
#   - a fold; a seed where seeds were run
#   - all eight comparisons (Holm)
#   - two single runs' noise floor
# * - A step of the better CNN's first walk pays
#   - its gain against the noise floor of two single runs on fold 1
#   - one run on fold 1
#   - none: each step is a decision of the walk
#   - {glue:text}`floor_sds:.0f` × √2 × fold 1's seed spread
# * - A step of the second walk pays
#   - t interval of the gain over seeds, from the walk's own seed spread
#   - a seed
#   - none: each step is a decision of the walk
#   - none
# * - A recomputed result matches its record
#   - a fixed tolerance on the recording processor kind, two draws' noise on another
#   - a fold
#   - the recomputed results (Bonferroni)
#   - the tolerance, which is the smallest difference the check catches
# ```
#
# ## Summary
#
# - The classifier is one 3 x 3 convolution, 2 x 2 max pooling, dense layers of 128 and 64
#   units and a softmax over 10 classes, trained with SGD (0.01, momentum 0.9).
# - Built with Keras 3, it has the paper's {glue:text}`paper_num_parameters:,` parameters.
# - The number of filters and the padding are parameters of this page and of `fmnist.engine.model`.
# - A difference is judged against measured seed noise, each model's own, with both runs'
#   noise in a difference, the folds' overlap allowed for, one correction per family and
#   a margin declared from the paper's own table ({numref}`tbl-how-we-judge`).

# %% tags=["remove-cell"]
# The rules' constants, from the module every page takes its statistics from.
glue("floor_sds", significance.NOISE_FLOOR_SDS, display=False)
glue("margin", noise.EQUIVALENCE_MARGINS["held-out"], display=False)
glue("level_percent", significance.SIGNIFICANCE_LEVEL * 100, display=False)

# %% tags=["remove-cell"]
# For the execution report: this page builds a model and reads no saved run.
glue("results_used", usage.as_json(), display=False)
