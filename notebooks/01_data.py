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
# # The data
#
# *Before this page: none beyond [the introduction](../intro.md). Reading time: about READING_MINUTES minutes.*
#
# The paper (its Section I-C) trains and evaluates on Fashion-MNIST, Zalando's drop-in
# replacement for the MNIST digits: small grayscale photographs of clothes, shoes and bags,
# released under the MIT licence. This page loads the data through `fmnist.data.fashion_mnist`, which
# checks every file against its published SHA-256 before use, and looks at what the
# network will see.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# Folder holding the four IDX files; None searches $FMNIST_DATA_DIR, Keras's cache and Debian's folder.
data_dir = None
# Images shown per class in the sample grid.
samples_per_class = 8

# %% tags=["remove-input"]
from IPython.display import Markdown
from myst_nb import glue

from fmnist import CLASS_NAMES, config, page, parameters
from fmnist.analysis import dataset_summary, figures
from fmnist.data import fashion_mnist
from fmnist.store import usage

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

config.check_int("samples_per_class", samples_per_class, minimum=1)
dataset = fashion_mnist.load(data_dir)
Markdown(f"Fashion-MNIST verified: its four files, from {dataset_summary.where_found(dataset.folder)}.")

# %% [markdown]
# ## What the files hold
#
# The four gzip-compressed IDX files decode to two sets: a training set and a test set of
# 28 x 28 images with one label each. Every file's header (magic number, dimensions,
# count) and the SHA-256 of its decompressed payload were checked when it was loaded.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-arrays", "caption": "What the four files decode to: how many images and labels, and the shape and type of each.\n\nMade by `fmnist.analysis.dataset_summary.array_shapes` from the four verified IDX files."}}
glue("num_train", len(dataset.train_labels), display=False)
glue("num_test", len(dataset.test_labels), display=False)
glue("num_classes", len(CLASS_NAMES), display=False)
glue("first_label", int(dataset.train_labels[0]), display=False)
glue("first_label_name", CLASS_NAMES[dataset.train_labels[0]], display=False)
dataset_summary.array_shapes(
    {
        "training images": dataset.train_images,
        "training labels": dataset.train_labels,
        "test images": dataset.test_images,
        "test labels": dataset.test_labels,
    }
)

# %% [markdown]
# The training set holds {glue:text}`num_train:,` images and the test set
# {glue:text}`num_test:,`, in {glue:text}`num_classes` classes. The paper uses only the
# training set: its cross-validation draws both the training and the held-out images from
# it. The first training image has label {glue:text}`first_label`.

# %% [markdown]
# ## Samples of every class
#
# The paper's Fig. 1 shows a handful of images; here each row holds the first images of one
# class in the training set, with the class's label and name.

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-samples", "caption": "The first training images of each class, one row per class, with its label and name (the paper's Fig. 1 shows a few such images).\n\nDrawn by `fmnist.analysis.figures.data.sample_grid` from the training images."}, "image": {"alt": "A grid of small grayscale photographs, one row per class: T-shirts, trousers, pullovers, dresses, coats, sandals, shirts, sneakers, bags and ankle boots."}}
figure = figures.data.sample_grid(dataset.train_images, dataset.train_labels, per_class=samples_per_class)

# %% [markdown]
# Some classes are easy to tell apart (trousers, bags), while shirts, T-shirts, pullovers
# and coats share their outline and differ mostly in texture and collar. Those are the
# classes a small network will confuse most.

# %% [markdown]
# ## Class balance
#
# Every class has the same number of images in each set, so plain accuracy is a fair
# summary and no class weighting is needed.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-class-counts", "caption": "Images per class in the training and the test set.\n\nMade by `fmnist.analysis.dataset_summary.class_counts` from the training and test labels."}}
counts = dataset_summary.class_counts(dataset.train_labels, dataset.test_labels)
glue("per_class_train", int(counts["training images"].iloc[0]), display=False)
glue("per_class_test", int(counts["test images"].iloc[0]), display=False)
glue("balanced", bool(counts.nunique().max() == 1), display=False)
counts.style.format("{:,}")

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-class-balance", "caption": "Images per class in the training and the test set: every class has the same number.\n\nDrawn by `fmnist.analysis.figures.data.class_balance` from the training and test labels."}, "image": {"alt": "Bar chart of images per class: ten equal bars of 6,000 training images and ten equal bars of 1,000 test images."}}
figure = figures.data.class_balance(dataset.train_labels, dataset.test_labels)

# %% [markdown]
# ## Pixel statistics
#
# Pixels are unsigned bytes from 0 to 255, with 0 the background. The network receives
# them divided by 255, as floats in [0, 1], reshaped to 28 x 28 x 1 (one channel).

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-pixels", "caption": "Pixel statistics of each set, on the 0 to 255 scale of the files.\n\nMade by `fmnist.analysis.dataset_summary.pixel_statistics` from the training and test images."}}
pixels = dataset_summary.pixel_statistics({"training": dataset.train_images, "test": dataset.test_images})
glue("zero_share", float(pixels.loc["training", "zero pixels (%)"]), display=False)
pixels.style.format({"images": "{:,.0f}", "min": "{:.0f}", "max": "{:.0f}"}, precision=2)

# %% tags=["hide-input"]
inputs = fashion_mnist.to_model_inputs(dataset.train_images[:1])
Markdown(f"One image as the model receives it: shape {inputs.shape}, {inputs.dtype} values from {inputs.min():.1f} to {inputs.max():.1f}.")

# %% [markdown]
# About {glue:text}`zero_share:.0f`% of the training pixels are exactly zero: the garments
# sit on an empty background, which is part of why a single convolution already does well.
#
# ## Summary
#
# - Fashion-MNIST has {glue:text}`num_train:,` training and {glue:text}`num_test:,` test
#   images of 28 x 28 gray pixels in {glue:text}`num_classes` classes, every class with
#   {glue:text}`per_class_train:,` training and {glue:text}`per_class_test:,` test images.
# - The data is verified against published checksums before use, from Debian's package,
#   Keras's cache or a folder the reader names.
# - Preprocessing follows the paper: reshape to one channel and divide by 255.

# %% tags=["remove-cell"]
# For the execution report: this page reads the data files only, no saved run.
glue("results_used", usage.as_json(), display=False)
