"""The results folder: one sub-folder per run, keyed by everything that decides its numbers.

A run's folder holds `run.json` (its config and key), one `fold-<k>.json` per
finished fold, `fold-<k>-state.npz` for a fold still under way (its training state
after its last epoch) and, once the model has been trained on all training images
and scored on the official test images, `test.json`. Every file is written
atomically, so an interrupted run leaves only whole files, and a resumed run reads
finished folds back instead of retraining them.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import importlib.metadata
import json
import os
import pathlib
import platform
import tempfile

from fmnist.config import CVConfig

ENV_RESULTS_DIR = "FMNIST_RESULTS_DIR"
RUN_FILE = "run.json"
PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
# The modules whose code decides the numbers: a change to any of them starts a new run.
TRAINING_MODULES = ("data.py", "model.py", "training.py", "checkpoints.py", "cv.py", "testset.py", "backend.py", "baselines.py")
TEST_RESULT = "test"
KEY_LENGTH = 12


class ResultsFolderError(RuntimeError):
    """The results folder cannot be used."""


def default_results_dir() -> pathlib.Path:
    """Return $FMNIST_RESULTS_DIR, else `results/` of the source checkout, else `./results`.

    The checkout's folder is shared by the command line, papermill and JupyterLab,
    whatever folder each of them runs in.
    """
    named = os.environ.get(ENV_RESULTS_DIR)
    if named:
        return pathlib.Path(named).expanduser()
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "results"
    return pathlib.Path("results")


def package_version(*names: str) -> str | None:
    """Return the installed version of the first of the named distributions found."""
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def code_fingerprint() -> str:
    """Return the SHA-256 of the source of the modules that train."""
    digest = hashlib.sha256()
    for name in TRAINING_MODULES:
        digest.update(name.encode())
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def run_key(config: CVConfig, checksums: dict[str, str]) -> dict:
    """Return everything that decides a run's numbers."""
    return {
        "config": config.to_dict(),
        "data_sha256": dict(sorted(checksums.items())),
        "code_sha256": code_fingerprint(),
        "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
        "keras": package_version("keras"),
    }


def run_folder(root: str | os.PathLike, config: CVConfig, checksums: dict[str, str]) -> pathlib.Path:
    """Return the folder of the run with this config and data under a results root."""
    key = run_key(config, checksums)
    key_hash = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return pathlib.Path(root) / f"{config.label()}-{key_hash[:KEY_LENGTH]}"


def saved_run_folder(config: CVConfig, root: str | os.PathLike | None = None) -> pathlib.Path:
    """Return where a run of this config on the published Fashion-MNIST files is saved."""
    from fmnist.data import FASHION_MNIST

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
        saved = json.loads(run_file.read_text())
        if saved.get("key") != key:
            raise ResultsFolderError(
                f"{run_file} belongs to a different configuration; "
                "move that folder away rather than mixing two runs."
            )
    else:
        write_json_atomic(run_file, {"key": key, "created": now_utc()})
    return folder


def fold_path(folder: pathlib.Path, fold_index: int) -> pathlib.Path:
    """Return the file of one fold's result."""
    return folder / f"fold-{fold_index}.json"


def fold_state_path(folder: pathlib.Path, fold_index: int) -> pathlib.Path:
    """Return the file of an unfinished fold's training state (`fmnist.checkpoints`)."""
    return folder / f"fold-{fold_index}-state.npz"


def test_path(folder: pathlib.Path) -> pathlib.Path:
    """Return the file of the official test set's result."""
    return folder / f"{TEST_RESULT}.json"


def read_fold(folder: pathlib.Path, fold_index: int) -> dict | None:
    """Return a finished fold's result, or None if the fold has not finished."""
    return read_result(fold_path(folder, fold_index))


def read_test(folder: pathlib.Path) -> dict | None:
    """Return the official test set's result, or None if it has not finished."""
    return read_result(test_path(folder))


def save_test(folder: pathlib.Path, result: dict) -> None:
    """Save the official test set's result atomically."""
    write_json_atomic(test_path(folder), result)


def read_result(path: pathlib.Path) -> dict | None:
    """Return a saved result, or None if there is none."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        # Writes are atomic, so this is damage from outside: train the fold again.
        return None


def save_fold(folder: pathlib.Path, result: dict) -> None:
    """Save one fold's result atomically."""
    write_json_atomic(fold_path(folder, result["fold_index"]), result)


def load_run(folder: str | os.PathLike) -> tuple[CVConfig, list[dict]]:
    """Return a saved run's config and its finished folds, in fold order."""
    folder = pathlib.Path(folder)
    run_file = folder / RUN_FILE
    if not run_file.is_file():
        raise ResultsFolderError(
            f"{folder} holds no saved run ({RUN_FILE} is missing); "
            "run `fmnist cv` first or pass the folder of a run."
        )
    config = CVConfig.from_dict(json.loads(run_file.read_text())["key"]["config"])
    folds = [read_fold(folder, index) for index in range(1, config.folds + 1)]
    return config, [fold for fold in folds if fold is not None]


def now_utc() -> str:
    """Return the current time in UTC, ISO 8601."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def cpu_name() -> str:
    """Return the processor's model name."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# Instruction-set features that decide which kernels TensorFlow runs, and so its rounding.
NUMBER_CHANGING_CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")


def cpu_kind() -> str:
    """Return the processor's kind as far as the numbers go: vendor, family, model and vector instruction sets.

    Two processors with one model name ("AMD EPYC", say) may run other kernels, and so
    round differently: a run on each is then another random draw (`fmnist.records`).
    """
    fields: dict[str, str] = {}
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    except OSError:
        return f"{platform.machine()} {platform.processor()}".strip()
    flags = set(fields.get("flags", "").split())
    features = " ".join(flag for flag in NUMBER_CHANGING_CPU_FLAGS if flag in flags) or "no vector extensions"
    return f"{fields.get('vendor_id', '?')} family {fields.get('cpu family', '?')} model {fields.get('model', '?')}; {features}"


def provenance() -> dict:
    """Return where and with what a result was computed."""
    return {
        "date": now_utc(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_name(),
        "cpu_kind": cpu_kind(),
        "cpu_count": os.cpu_count(),
        "packages": {
            "fmnist": package_version("fmnist"),
            "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
            "keras": package_version("keras"),
            "tf_keras": package_version("tf-keras", "tf_keras"),
            "numpy": package_version("numpy"),
            "scikit-learn": package_version("scikit-learn"),
        },
    }
