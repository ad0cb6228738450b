"""The results folder: one sub-folder per run, keyed by everything that decides its numbers.

A run's folder holds `run.json` (its config and key), one `fold-<k>.json` per
finished fold, `fold-<k>-state.npz` for a fold still under way (its training state after
its last epoch, which `fmnist.engine.checkpoints` names, writes, reads and deletes) and,
once the model has been trained on all training images and scored on the official test
images, `test.json`. Every file is written
atomically, so an interrupted run leaves only whole files, and a resumed run reads
finished folds back instead of retraining them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pathlib
import tempfile
from typing import Callable

from fmnist import provenance
from fmnist.config import CVConfig
from fmnist.store.result_types import FoldResult, TestResult

ENV_RESULTS_DIR = "FMNIST_RESULTS_DIR"
RUN_FILE = "run.json"
# The fmnist package's folder, and the checkout's above it.
PACKAGE_DIR = pathlib.Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PACKAGE_DIR.parent
# The code that decides the numbers, relative to the package: the data layer and the engine
# as whole folders (a module added there joins the key by itself), the settings and the
# paper's architecture. A change to any of it starts a new run; the experiments (which
# schedule and log the work) and the analysis do not.
CODE_DECIDING_NUMBERS = ("data", "engine", "config.py", "paper.py")
# The libraries whose versions decide the numbers, each under the names it installs as.
LIBRARIES_DECIDING_NUMBERS = {
    "tensorflow": ("tensorflow", "tensorflow-cpu"),
    "keras": ("keras",),
    "tf_keras": ("tf-keras", "tf_keras"),
    "numpy": ("numpy",),
    "scikit-learn": ("scikit-learn",),
}
TEST_RESULT = "test"
KEY_LENGTH = 12


class ResultsFolderError(RuntimeError):
    """The results folder cannot be used."""


class DamagedResultError(ResultsFolderError):
    """A saved result cannot be read, or was written for another run: its message names the file and why."""


def default_results_dir() -> pathlib.Path:
    """Return $FMNIST_RESULTS_DIR, else `results/` of the source checkout, else `./results`.

    The checkout's folder is shared by the command line, papermill and JupyterLab,
    whatever folder each of them runs in.
    """
    named = os.environ.get(ENV_RESULTS_DIR)
    if named:
        return pathlib.Path(named).expanduser()
    if (CHECKOUT_DIR / "pyproject.toml").is_file():
        return CHECKOUT_DIR / "results"
    return pathlib.Path("results")


def code_files(package_dir: pathlib.Path = PACKAGE_DIR) -> list[pathlib.Path]:
    """Return the source files that decide the numbers (CODE_DECIDING_NUMBERS), in a fixed order."""
    files = []
    for name in CODE_DECIDING_NUMBERS:
        path = package_dir / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def code_fingerprint(package_dir: pathlib.Path = PACKAGE_DIR) -> str:
    """Return the SHA-256 of the code that decides the numbers, each file's path and bytes in turn."""
    digest = hashlib.sha256()
    for path in code_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_key(config: CVConfig, checksums: dict[str, str]) -> dict:
    """Return everything that decides a run's numbers."""
    return {
        "config": config.to_dict(),
        "data_sha256": dict(sorted(checksums.items())),
        "code_sha256": code_fingerprint(),
        **library_versions(),
    }


def library_versions() -> dict[str, str | None]:
    """Return the installed version of each library that decides the numbers (None where it is missing)."""
    return {library: provenance.package_version(*names) for library, names in LIBRARIES_DECIDING_NUMBERS.items()}


def run_folder(root: str | os.PathLike, config: CVConfig, checksums: dict[str, str]) -> pathlib.Path:
    """Return the folder of the run with this config and data under a results root."""
    key = run_key(config, checksums)
    key_hash = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return pathlib.Path(root) / f"{config.label()}-{key_hash[:KEY_LENGTH]}"


def saved_run_folder(config: CVConfig, root: str | os.PathLike | None = None) -> pathlib.Path:
    """Return where a run of this config on the published Fashion-MNIST files is saved."""
    from fmnist.data.fashion_mnist import FASHION_MNIST

    return run_folder(root or default_results_dir(), config, FASHION_MNIST.checksums())


@contextlib.contextmanager
def atomic_file(path: pathlib.Path, mode: str = "w"):
    """Yield a temporary file beside path; once written, flush it to disk and rename it into place.

    If writing fails, the temporary file is removed and path is left as it was.
    """
    handle = tempfile.NamedTemporaryFile(mode, dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        pathlib.Path(handle.name).unlink(missing_ok=True)
        raise


def write_json_atomic(path: pathlib.Path, value: object) -> None:
    """Write JSON to path atomically (see `atomic_file`)."""
    with atomic_file(path) as handle:
        json.dump(value, handle, indent=2, sort_keys=True)


def open_run(root: str | os.PathLike, config: CVConfig, checksums: dict[str, str]) -> pathlib.Path:
    """Create (or reopen) a run's folder, checking that it can be written."""
    folder = run_folder(root, config, checksums)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ResultsFolderError(
            f"cannot write results under {pathlib.Path(root)}: {error.strerror or error}. "
            "Choose another folder (--results DIR, or results_dir in a notebook) "
            "or make this one writable."
        ) from error
    run_file = folder / RUN_FILE
    key = run_key(config, checksums)
    if run_file.is_file():
        try:
            saved = json.loads(run_file.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ResultsFolderError(
                f"{run_file} cannot be read ({getattr(error, 'msg', None) or error}): move that folder away "
                "(its finished folds stay in it) and run again, which starts the run afresh"
            ) from None
        if not isinstance(saved, dict) or saved.get("key") != key:
            raise ResultsFolderError(
                f"{run_file} belongs to a different configuration; "
                "move that folder away rather than mixing two runs."
            )
    else:
        write_json_atomic(run_file, {"key": key, "created": provenance.now_utc()})
    return folder


def fold_path(folder: pathlib.Path, fold_index: int) -> pathlib.Path:
    """Return the file of one fold's result."""
    return folder / f"fold-{fold_index}.json"


def test_path(folder: pathlib.Path) -> pathlib.Path:
    """Return the file of the official test set's result."""
    return folder / f"{TEST_RESULT}.json"


def read_fold(folder: pathlib.Path, fold_index: int, config: CVConfig | None = None, source: str = "computed") -> FoldResult | None:
    """Return a finished fold's result, or None if the fold has not finished.

    Raise DamagedResultError if its file cannot be read, or holds another fold or (given
    the run's `config`) a fold of a run on another number of images.
    """
    path = fold_path(folder, fold_index)
    result = read_result(path)
    if result is None:
        return None
    if result.get("fold_index") != fold_index:
        raise DamagedResultError(f"{path} holds the result of fold {result.get('fold_index')}, not of fold {fold_index}")
    images = result.get("num_train", 0) + result.get("num_test", 0)
    if config is not None and "num_train" in result and images != config.num_images:
        raise DamagedResultError(f"{path} was written for another configuration: its fold has {images:,} images, this run {config.num_images:,}")
    return FoldResult.from_saved(result, source)


def read_test(folder: pathlib.Path, source: str = "computed") -> TestResult | None:
    """Return the official test set's result, or None if it has not finished (DamagedResultError if it cannot be read)."""
    result = read_result(test_path(folder))
    return None if result is None else TestResult.from_saved(result, source)


def save_test(folder: pathlib.Path, result: dict) -> None:
    """Save the official test set's result atomically."""
    write_json_atomic(test_path(folder), result)


def read_result(path: pathlib.Path) -> dict | None:
    """Return a saved result, or None if there is none; raise DamagedResultError, naming the file and why, if it cannot be read.

    Writes are atomic, so a damaged file is damage from outside: a copy cut short, a
    disk that filled, a hand edit.
    """
    if not path.exists():
        return None
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise DamagedResultError(f"{path} cannot be read ({getattr(error, 'strerror', None) or error})") from None
    if not text.strip():
        raise DamagedResultError(f"{path} is empty")
    try:
        result = json.loads(text)
    except json.JSONDecodeError as error:
        raise DamagedResultError(f"{path} is not valid JSON, cut short or edited ({error.msg} at line {error.lineno})") from None
    if not isinstance(result, dict) or "test_accuracy" not in result:
        raise DamagedResultError(f"{path} holds no result (no test_accuracy)")
    return result


def read_or_set_aside(read: Callable[[], dict | None], path: pathlib.Path, report: Callable[[str], None], again: str) -> dict | None:
    """Return `read()`; if the result at `path` is damaged, rename it out of the way (its bytes kept for a look), say so in one line ending in `again`, and return None."""
    try:
        return read()
    except DamagedResultError as error:
        damaged = path.with_name(path.name + ".damaged")
        os.replace(path, damaged)
        report(f"{error}: set aside as {damaged.name}; {again}")
        return None


def save_fold(folder: pathlib.Path, result: dict) -> None:
    """Save one fold's result atomically."""
    write_json_atomic(fold_path(folder, result["fold_index"]), result)


def load_run(folder: str | os.PathLike, source: str = "computed") -> tuple[CVConfig, list[FoldResult]]:
    """Return a saved run's config and its finished folds, in fold order."""
    folder = pathlib.Path(folder)
    run_file = folder / RUN_FILE
    if not run_file.is_file():
        raise ResultsFolderError(
            f"{folder} holds no saved run ({RUN_FILE} is missing); "
            "run `fmnist cv` first or pass the folder of a run."
        )
    config = CVConfig.from_dict(json.loads(run_file.read_text())["key"]["config"])
    folds = [read_fold(folder, index, config, source) for index in range(1, config.folds + 1)]
    return config, [fold for fold in folds if fold is not None]


