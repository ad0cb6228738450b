"""Where a build's runs live and train: one small object handed to every lookup instead of four folders and an address."""

from __future__ import annotations

import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class Places:
    """The results folder, the records folder, the data folder and the Dask scheduler of a build.

    None means the default: the results folder `fmnist.store.results.default_results_dir`
    names, the records `fmnist.store.records.default_records_dir` names, the published
    Fashion-MNIST files (`fmnist.data.fashion_mnist.load`), and training on this machine.
    """

    results_dir: str | os.PathLike | None = None
    records_dir: str | os.PathLike | None = None
    data_dir: str | os.PathLike | None = None
    scheduler: str | None = None
