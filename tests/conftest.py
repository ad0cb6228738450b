"""Shared fixtures: tiny synthetic IDX datasets and a local HTTP mirror."""

from __future__ import annotations

import dataclasses
import gzip
import pathlib
import sys
import time

import numpy as np
import pytest

from fmnist.data import fashion_mnist, idx
from fmnist.store import result_types, results

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import check_site  # noqa: E402  (scripts/ is not a package)

TINY_TRAIN = 40
TINY_TEST = 10


def comparable(fold: result_types.FoldResult) -> dict:
    """Return a fold's result without what depends on when and where it ran."""
    return {key: value for key, value in dataclasses.asdict(fold).items() if key not in ("wall_seconds", "provenance")}


def fold(**saved) -> result_types.FoldResult:
    """Return a fold's result with the saved fields given (Keras's names, as on disk): fold 1, 90% held out, unless given."""
    return result_types.FoldResult.from_saved({"fold_index": 1, "test_accuracy": 0.9, **saved}, saved.get("source", "computed"))


def official_result(**saved) -> result_types.TestResult:
    """Return an official test run's result with the saved fields given (90% unless given)."""
    return result_types.TestResult.from_saved({"test_accuracy": 0.9, **saved}, saved.get("source", "computed"))


def wait_for(condition, what: str, timeout: float) -> None:
    """Wait until `condition()` is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {timeout} s")
        time.sleep(0.2)


def write_tiny_dataset(folder: pathlib.Path, seed: int = 0) -> fashion_mnist.DatasetSpec:
    """Write four small gzip IDX files and return a spec that accepts them."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (TINY_TRAIN, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": np.arange(TINY_TRAIN, dtype=np.uint8) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (TINY_TEST, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": np.arange(TINY_TEST, dtype=np.uint8) % 10,
    }
    folder.mkdir(parents=True, exist_ok=True)
    specs = []
    for name, array in arrays.items():
        payload = idx.encode(array)
        (folder / name).write_bytes(gzip.compress(payload))
        specs.append(fashion_mnist.FileSpec(name, array.shape, idx.sha256_hex(payload)))
    return fashion_mnist.DatasetSpec(*specs)


@pytest.fixture(autouse=True, scope="session")
def results_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory):
    """Point the default results folder at a scratch folder, so that no test writes into the checkout's results/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(results.ENV_RESULTS_DIR, str(tmp_path_factory.mktemp("results")))
        yield


@pytest.fixture
def tiny_dataset(tmp_path: pathlib.Path) -> tuple[pathlib.Path, fashion_mnist.DatasetSpec]:
    """A folder with a tiny valid dataset, and its spec."""
    folder = tmp_path / "tiny"
    return folder, write_tiny_dataset(folder)


@pytest.fixture
def no_default_folders(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """Point Keras's cache and Debian's folder at empty places; return the cache folder."""
    cache = tmp_path / "keras-cache" / "fashion-mnist"
    monkeypatch.setattr(fashion_mnist, "KERAS_CACHE_DIR", cache)
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", tmp_path / "debian")
    monkeypatch.delenv(fashion_mnist.ENV_DATA_DIR, raising=False)
    return cache


serve_folder = check_site.serve
