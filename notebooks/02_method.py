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
# The paper (its Section II) classifies the images with a small convolutional network built
# with Keras's sequential API: one convolution, one max-pooling, two dense layers and a
# softmax output, trained by stochastic gradient descent with momentum. This page builds
# that network with `fmnist.engine.model` and draws it.

# %% tags=["parameters"]
# Filters of the convolution (the paper: 32).
filters = 32
# Padding of the convolution, "valid" (the paper: no padding) or "same".
padding = "valid"

# %% tags=["remove-cell"]
from myst_nb import glue

from fmnist import paper, parameters
from fmnist.analysis import figures, model_summary
from fmnist.engine import model
from fmnist.config import CVConfig
from fmnist.store import usage

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()

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
print(f"trainable parameters: {num_parameters:,} (the paper's model: {paper.NUM_PARAMETERS:,})")

# %% [markdown]
# The model has {glue:text}`num_parameters:,` trainable parameters; the paper's
# architecture has {glue:text}`paper_num_parameters:,`. Almost all of them,
# {glue:text}`dense_share:.1f`%, sit in the first dense layer, which connects every
# pooled feature to 128 units. The convolution itself is tiny, which is why the paper's
# Future Work (more filters, padding) changes the size of the dense layer more than that of
# the convolution.
#
# ## Summary
#
# - The classifier is one 3 x 3 convolution, 2 x 2 max pooling, dense layers of 128 and 64
#   units and a softmax over 10 classes, trained with SGD (0.01, momentum 0.9).
# - Built with Keras 3, it has the paper's {glue:text}`paper_num_parameters:,` parameters.
# - The number of filters and the padding are parameters of this page and of `fmnist.engine.model`.

# %% tags=["remove-cell"]
# For the execution report: this page builds a model and reads no saved run.
glue("results_used", usage.as_json(), display=False)
