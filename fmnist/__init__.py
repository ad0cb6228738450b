"""Reproduce "Classifying Fashion Images Using a Convolutional Neural Network" (Kugler, 2022).

The package is grouped by layer, each building on the ones before it:

- `fmnist.data`: find, verify, download and scale Fashion-MNIST.
- `fmnist.store`: the results folder (atomic writes, the cache key) and the records.
- `fmnist.engine`: the only code that imports TensorFlow: the model, the training loop,
  one fold, the official-test run. Its code keys the cache.
- `fmnist.experiments`: cross-validation, test set, sweep, ablation, noise study, and the
  worker processes that run them.
- `fmnist.analysis`: tables, statistics and figures from saved results only.

At the top: `config` (the validated settings of one run), `paper` (the paper's
architecture and numbers), `provenance` (where a result was computed) and `cli` (the
`fmnist` command line).
"""

__version__ = "0.1.0"

# Accuracies are saved as fractions and shown in percent.
PERCENT = 100.0
SECONDS_PER_MINUTE = 60.0

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
