"""Find, verify, download and preprocess Fashion-MNIST.

The four IDX files are looked for, in order, in: the folder the caller names,
`$FMNIST_DATA_DIR`, Keras's cache (`~/.keras/datasets/fashion-mnist`) and the folder
of Debian's package `dataset-fashion-mnist`. When none holds them, they are
downloaded from the public mirror into Keras's cache. Each file may be gzipped, as
published (`train-images-idx3-ubyte.gz`), or unpacked (`train-images-idx3-ubyte`), as
several loaders leave it; either way it is checked against the SHA-256 of its
decompressed payload and its IDX header before use.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import tempfile
import urllib.request

import numpy as np

from fmnist.data import idx

ENV_DATA_DIR = "FMNIST_DATA_DIR"
ENV_MIRROR = "FMNIST_MIRROR"
# The mirror that keras.datasets.fashion_mnist.load_data() downloads from.
DEFAULT_MIRROR = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_CACHE_DIR = pathlib.Path("~/.keras/datasets/fashion-mnist")
DEBIAN_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_TIMEOUT_SECONDS = 60

IMAGE_SIZE = 28
NUM_CLASSES = 10
PIXEL_MAX = 255.0


@dataclasses.dataclass(frozen=True)
class FileSpec:
    """One IDX file: its name, the shape it holds and the SHA-256 of its decompressed payload."""

    name: str
    shape: tuple[int, ...]
    sha256: str

    def names(self) -> tuple[str, ...]:
        """Return the names the file is looked for under: as published (gzipped), then unpacked."""
        return (self.name, self.name.removesuffix(".gz")) if self.name.endswith(".gz") else (self.name,)

    def found_in(self, folder: pathlib.Path) -> pathlib.Path | None:
        """Return the file in `folder` under the first of its names there, or None."""
        return next((folder / name for name in self.names() if (folder / name).is_file()), None)


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """The four files of a dataset: train images, train labels, test images, test labels."""

    train_images: FileSpec
    train_labels: FileSpec
    test_images: FileSpec
    test_labels: FileSpec

    def files(self) -> tuple[FileSpec, ...]:
        """Return the four file specs in a fixed order."""
        return (self.train_images, self.train_labels, self.test_images, self.test_labels)

    def checksums(self) -> dict[str, str]:
        """Return each file's name and the SHA-256 of its decompressed payload."""
        return {file.name: file.sha256 for file in self.files()}


FASHION_MNIST = DatasetSpec(
    train_images=FileSpec(
        "train-images-idx3-ubyte.gz",
        (60000, IMAGE_SIZE, IMAGE_SIZE),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    train_labels=FileSpec(
        "train-labels-idx1-ubyte.gz",
        (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    test_images=FileSpec(
        "t10k-images-idx3-ubyte.gz",
        (10000, IMAGE_SIZE, IMAGE_SIZE),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    test_labels=FileSpec(
        "t10k-labels-idx1-ubyte.gz",
        (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
)


class DataUnavailableError(RuntimeError):
    """No folder holds the data and it could not be downloaded."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Fashion-MNIST as uint8 arrays, with the folder it came from and its checksums."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    folder: pathlib.Path
    checksums: dict[str, str]


def how_to_get_data(spec: DatasetSpec = FASHION_MNIST) -> str:
    """Return the ways to get the data, as text for an error message."""
    names = ", ".join(file.name for file in spec.files())
    return (
        "Get the data in one of these ways:\n"
        "  - on Debian or Ubuntu, as root: apt-get install dataset-fashion-mnist\n"
        f"  - put the four files ({names}; gzipped or unpacked, without .gz) in a folder and pass it "
        f"with --data-dir or set {ENV_DATA_DIR}\n"
        f"  - connect to the internet and run `fmnist data` to download them into {KERAS_CACHE_DIR}"
    )


def holds_all(folder: pathlib.Path, spec: DatasetSpec = FASHION_MNIST) -> bool:
    """Return whether a folder holds every file of the spec, each gzipped or unpacked."""
    return all(file.found_in(folder) is not None for file in spec.files())


def candidate_folders(data_dir: str | os.PathLike | None = None) -> list[pathlib.Path]:
    """Return the folders to search, in order; a named folder is the only candidate."""
    named = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or None
    if named is not None:
        return [pathlib.Path(named).expanduser()]
    return [KERAS_CACHE_DIR.expanduser(), DEBIAN_DIR]


def verify_file(path: pathlib.Path, file: FileSpec) -> np.ndarray:
    """Check one file's checksum and IDX header and return its array."""
    payload = idx.read_payload(path)
    digest = idx.sha256_hex(payload)
    if digest != file.sha256:
        raise idx.DataFileError(
            f"{path} has SHA-256 {digest} after decompression, expected {file.sha256}: "
            "the file is corrupt, truncated or not the Fashion-MNIST file of that name. "
            "Delete it and get the data again.\n" + how_to_get_data()
        )
    return idx.parse(payload, file.shape, str(path))


def load(
    data_dir: str | os.PathLike | None = None,
    *,
    download: bool = True,
    mirror: str | None = None,
    spec: DatasetSpec = FASHION_MNIST,
) -> Dataset:
    """Return the verified dataset from the first folder that holds it, downloading if none does."""
    folders = candidate_folders(data_dir)
    folder = next((candidate for candidate in folders if holds_all(candidate, spec)), None)
    if folder is None:
        named_folder = len(folders) == 1
        if named_folder or not download:
            missing = [" or ".join(f.names()) for f in spec.files() if f.found_in(folders[0]) is None]
            where = folders[0] if named_folder else " or ".join(str(f) for f in folders)
            raise DataUnavailableError(
                f"Fashion-MNIST is not in {where} (missing: {', '.join(missing)}).\n"
                + how_to_get_data(spec)
            )
        folder = download_files(folders[0], mirror=mirror, spec=spec)
    arrays = [verify_file(file.found_in(folder), file) for file in spec.files()]
    return Dataset(*arrays, folder=folder, checksums=spec.checksums())


def download_files(
    folder: pathlib.Path, *, mirror: str | None = None, spec: DatasetSpec = FASHION_MNIST
) -> pathlib.Path:
    """Download the files into a folder; each is verified before it is moved into place."""
    base_url = mirror or os.environ.get(ENV_MIRROR) or DEFAULT_MIRROR
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    folder.mkdir(parents=True, exist_ok=True)
    for file in spec.files():
        target = folder / file.name
        if file.found_in(folder) is not None:
            continue
        # Download into a scratch folder beside the target so that a partial
        # file never sits where the next run would look for it.
        with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as scratch:
            fetched = pathlib.Path(scratch) / file.name
            try:
                with (
                    urllib.request.urlopen(base_url + file.name, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response,
                    fetched.open("wb") as copy,
                ):
                    shutil.copyfileobj(response, copy)
            except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors; a bad URL is a ValueError.
                raise DataUnavailableError(
                    f"Fashion-MNIST is not on this machine and downloading {base_url + file.name} "
                    f"failed: {error}\n" + how_to_get_data(spec)
                ) from error
            try:
                verify_file(fetched, file)
            except idx.DataFileError as error:
                raise idx.DataFileError(
                    f"the file downloaded from {base_url + file.name} is not the right file "
                    f"and was discarded: {error}"
                ) from error
            shutil.move(fetched, target)
    return folder


def to_model_inputs(images: np.ndarray) -> np.ndarray:
    """Reshape uint8 images to (N, 28, 28, 1) float32 in [0, 1], as the paper does.

    Each pixel is looked up in the table of the 256 values `float32(p) / 255`, which
    gives the same numbers as dividing every pixel, in one pass and without a temporary.
    """
    return scaled_pixel_values()[to_model_pixels(images)]


def to_model_pixels(images: np.ndarray) -> np.ndarray:
    """Reshape uint8 images to (N, 28, 28, 1) uint8, a quarter of the memory of the model's inputs."""
    return images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1)


def scaled_pixel_values() -> np.ndarray:
    """Return the model input of each pixel value 0..255: float32(p) / 255."""
    return np.arange(PIXEL_MAX + 1, dtype=np.float32) / PIXEL_MAX


def to_one_hot(labels: np.ndarray) -> np.ndarray:
    """One-hot encode integer labels as float32 rows, for categorical cross-entropy (as `keras.utils.to_categorical`)."""
    return np.eye(NUM_CLASSES, dtype=np.float32)[np.asarray(labels, dtype=np.int64)]
