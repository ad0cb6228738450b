"""Reproduce "Classifying Fashion Images Using a Convolutional Neural Network" (Kugler, 2022).

The package is split by purpose:

- `fmnist.data`: find, verify, download and preprocess Fashion-MNIST.
- `fmnist.model`: the paper's CNN.
- `fmnist.config`: the validated settings of one cross-validation run.
- `fmnist.training`: training in a new batch order every epoch, each batch gathered inside the step.
- `fmnist.cv`: k-fold cross-validation, resumable fold by fold and epoch by epoch.
- `fmnist.schedule`: which worker process trains which epochs of which fold.
- `fmnist.checkpoints`: a fold's training state, saved after every epoch.
- `fmnist.results`: the results folder (atomic writes, keys, provenance).
- `fmnist.report`: Table I and its comparison with the paper, from saved results.
- `fmnist.figures`: the book's figures, from data and saved results.
- `fmnist.cli`: the `fmnist` command line.
"""

__version__ = "0.1.0"

# The ten Fashion-MNIST classes, in label order.
CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
