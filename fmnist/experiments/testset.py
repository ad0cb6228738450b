"""The official-test run of a configuration: trained once in a worker process, saved, then reused.

The training and scoring themselves are `fmnist.engine.official_test`.
"""

from __future__ import annotations

import os
import pathlib

from fmnist.config import CVConfig
from fmnist.data import fashion_mnist
from fmnist.engine import fold_training, official_test
from fmnist.experiments import cluster, executor
from fmnist.store import result_types, results, usage


def _train_and_test_in_worker(config: CVConfig, data_folder: str) -> dict:
    """Load the data in a worker process and run the official-test training there."""
    return official_test.train_and_test(config, fashion_mnist.load(data_folder), report=executor.print_flushed)


def run_test(
    config: CVConfig,
    results_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    report: fold_training.Report = print,
    scheduler: str | None = None,
) -> tuple[pathlib.Path, result_types.TestResult]:
    """Return the run's folder and its official-test result, training only if none is saved.

    The training runs in a fresh worker process on this machine, or as one task on the Dask
    cluster of a `scheduler` address (`fmnist.experiments.cluster`).
    """
    if not config.saves_epochs:
        raise ValueError(
            f"the official-test run trains with the project's own loop; drop trainer {config.trainer!r} "
            "(the plain fit loops are for the cross-validation's noise study)"
        )
    client = cluster.client_for(scheduler) if scheduler else None
    dataset = fashion_mnist.load(data_dir)
    folder = results.open_run(results_dir or results.default_results_dir(), config, dataset.checksums)
    saved = results.read_or_set_aside(
        lambda: results.read_test(folder), results.test_path(folder), report, "the official-test run is trained again"
    )
    if saved is not None:
        usage.note(folder, usage.COMPUTED_EARLIER)
        report(f"run {folder.name}: the official-test result is already saved (read back, not trained again)")
        return folder, saved
    usage.note(folder, usage.TRAINED_NOW)
    report(f"run {folder.name}: training on {config.num_images} images, then scoring the 10,000 test images")
    if client is not None:
        result = cluster.run_test(client, config)
    else:
        with executor.worker_pool(1, config) as pool:
            result = pool.submit(_train_and_test_in_worker, config, str(dataset.folder)).result()
    results.save_test(folder, result)
    tested = result_types.TestResult.from_saved(result)
    report(f"official test set: accuracy {tested.test_accuracy:.4f} after {tested.training_seconds:.0f} s of training")
    return folder, tested
