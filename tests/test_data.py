"""Finding, verifying and downloading the data."""

import gzip
import os
import shutil

import numpy as np
import pytest

from conftest import TINY_TEST, TINY_TRAIN, serve_folder, write_tiny_dataset
from fmnist.data import fashion_mnist, idx


def test_loads_from_a_named_folder(tiny_dataset):
    folder, spec = tiny_dataset
    dataset = fashion_mnist.load(folder, spec=spec)
    assert dataset.train_images.shape == (TINY_TRAIN, 28, 28)
    assert dataset.train_images.dtype == np.uint8
    assert dataset.test_labels.shape == (TINY_TEST,)
    assert dataset.folder == folder
    assert dataset.checksums == spec.checksums()


def test_environment_variable_names_the_folder(tiny_dataset, no_default_folders, monkeypatch):
    folder, spec = tiny_dataset
    monkeypatch.setenv(fashion_mnist.ENV_DATA_DIR, str(folder))
    assert fashion_mnist.load(spec=spec).folder == folder


def test_keras_cache_comes_before_debian(tmp_path, no_default_folders):
    spec = write_tiny_dataset(no_default_folders)
    write_tiny_dataset(fashion_mnist.DEBIAN_DIR, seed=1)
    assert fashion_mnist.load(spec=spec).folder == no_default_folders


def test_debian_folder_is_used_when_the_cache_is_empty(tmp_path, no_default_folders):
    spec = write_tiny_dataset(fashion_mnist.DEBIAN_DIR)
    assert fashion_mnist.load(spec=spec, download=False).folder == fashion_mnist.DEBIAN_DIR


def test_named_folder_without_files_says_how_to_get_them(tmp_path, no_default_folders):
    with pytest.raises(fashion_mnist.DataUnavailableError) as caught:
        fashion_mnist.load(tmp_path / "empty")
    message = str(caught.value)
    assert str(tmp_path / "empty") in message
    assert "train-images-idx3-ubyte.gz" in message
    assert "apt-get install dataset-fashion-mnist" in message


def test_unpacked_files_are_found_and_verified_as_the_gzipped_ones(tiny_dataset):
    folder, spec = tiny_dataset
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (folder / name.removesuffix(".gz")).write_bytes(gzip.decompress((folder / name).read_bytes()))
        (folder / name).unlink()
    dataset = fashion_mnist.load(folder, spec=spec)
    assert dataset.checksums == spec.checksums()
    assert dataset.train_images.shape == (TINY_TRAIN, 28, 28)


def test_the_real_data_unpacked_has_the_published_checksums(tmp_path):
    debian = fashion_mnist.DEBIAN_DIR
    if not fashion_mnist.holds_all(debian):
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    for file in fashion_mnist.FASHION_MNIST.files():
        (tmp_path / file.name.removesuffix(".gz")).write_bytes(gzip.decompress((debian / file.name).read_bytes()))
    dataset = fashion_mnist.load(tmp_path)
    assert dataset.folder == tmp_path and dataset.train_images.shape == (60000, 28, 28)


def test_an_unpacked_file_that_is_damaged_is_named(tiny_dataset):
    folder, spec = tiny_dataset
    labels = folder / "train-labels-idx1-ubyte.gz"
    payload = bytearray(gzip.decompress(labels.read_bytes()))
    payload[-1] ^= 0xFF
    (folder / "train-labels-idx1-ubyte").write_bytes(bytes(payload))
    labels.unlink()
    with pytest.raises(idx.DataFileError, match="SHA-256") as caught:
        fashion_mnist.load(folder, spec=spec)
    assert str(folder / "train-labels-idx1-ubyte") in str(caught.value)


def test_a_folder_without_the_files_names_both_names_it_looks_for(tmp_path, no_default_folders):
    with pytest.raises(fashion_mnist.DataUnavailableError) as caught:
        fashion_mnist.load(tmp_path)
    assert "train-images-idx3-ubyte.gz or train-images-idx3-ubyte" in str(caught.value)


def test_corrupt_file_is_named(tiny_dataset):
    folder, spec = tiny_dataset
    labels = folder / "train-labels-idx1-ubyte.gz"
    payload = bytearray(gzip.decompress(labels.read_bytes()))
    payload[-1] ^= 0xFF
    labels.write_bytes(gzip.compress(bytes(payload)))
    with pytest.raises(idx.DataFileError, match="SHA-256") as caught:
        fashion_mnist.load(folder, spec=spec)
    assert str(labels) in str(caught.value)


def test_truncated_file_is_named(tiny_dataset):
    folder, spec = tiny_dataset
    images = folder / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:100])
    with pytest.raises(idx.DataFileError, match="not a complete gzip file") as caught:
        fashion_mnist.load(folder, spec=spec)
    assert str(images) in str(caught.value)


def test_downloads_from_a_mirror_into_the_keras_cache(tmp_path, no_default_folders):
    spec = write_tiny_dataset(tmp_path / "mirror")
    with serve_folder(tmp_path / "mirror") as url:
        dataset = fashion_mnist.load(mirror=url, spec=spec)
    assert dataset.folder == no_default_folders
    assert sorted(os.listdir(no_default_folders)) == sorted(f.name for f in spec.files())


def test_corrupt_download_is_discarded(tmp_path, no_default_folders):
    spec = write_tiny_dataset(tmp_path / "mirror")
    served = tmp_path / "mirror" / "t10k-labels-idx1-ubyte.gz"
    served.write_bytes(gzip.compress(b"not an idx file"))
    with serve_folder(tmp_path / "mirror") as url:
        with pytest.raises(idx.DataFileError, match="discarded"):
            fashion_mnist.load(mirror=url, spec=spec)
    # The good files are kept, the bad one is gone, and no scratch file is left.
    assert "t10k-labels-idx1-ubyte.gz" not in os.listdir(no_default_folders)
    assert not [name for name in os.listdir(no_default_folders) if name.startswith(".")]


def test_unreachable_mirror_lists_the_ways_to_get_the_data(tmp_path, no_default_folders):
    spec = write_tiny_dataset(tmp_path / "mirror")
    with serve_folder(tmp_path / "mirror") as url:
        pass  # The server is closed again: its port refuses connections.
    with pytest.raises(fashion_mnist.DataUnavailableError, match="apt-get install dataset-fashion-mnist"):
        fashion_mnist.load(mirror=url, spec=spec)
    assert os.listdir(no_default_folders) == []


def test_a_second_load_does_not_download_again(tmp_path, no_default_folders):
    spec = write_tiny_dataset(tmp_path / "mirror")
    with serve_folder(tmp_path / "mirror") as url:
        fashion_mnist.load(mirror=url, spec=spec)
    shutil.rmtree(tmp_path / "mirror")
    assert fashion_mnist.load(spec=spec, download=False).folder == no_default_folders


def test_preprocessing_matches_the_paper():
    images = np.full((3, 28, 28), 255, dtype=np.uint8)
    inputs = fashion_mnist.to_model_inputs(images)
    assert inputs.shape == (3, 28, 28, 1)
    assert inputs.dtype == np.float32
    assert inputs.max() == 1.0
    one_hot = fashion_mnist.to_one_hot(np.array([9, 0]))
    np.testing.assert_array_equal(one_hot.argmax(axis=1), [9, 0])
    assert one_hot.sum() == 2


@pytest.mark.slow
def test_real_data_matches_the_facts():
    dataset = fashion_mnist.load()
    assert dataset.train_images.shape == (60000, 28, 28)
    assert dataset.test_images.shape == (10000, 28, 28)
    assert dataset.train_labels[0] == 9
    assert np.bincount(dataset.train_labels).tolist() == [6000] * 10
    assert np.bincount(dataset.test_labels).tolist() == [1000] * 10


def test_one_hot_rows_are_those_of_keras_to_categorical():
    from fmnist.engine.backend import keras

    labels = np.array([0, 9, 3, 3, 7], dtype=np.uint8)
    ours = fashion_mnist.to_one_hot(labels)
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours, keras.utils.to_categorical(labels, fashion_mnist.NUM_CLASSES).astype(np.float32))
