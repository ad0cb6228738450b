"""Remake the lock files from pyproject.toml: `make lock` runs this.

The lock pins every package that `make install` puts in .venv, with the hashes of its
files, for the one Python and platform the project tests (see `TARGET`). uv resolves it,
because it resolves for a target Python and platform other than the one it runs on (so a
maintainer on a laptop makes the same lock as CI would) and writes hashes for every file.

Two files come out:

- `requirements.txt`: the project's dependencies with all its extras (`extras`) and the
  build system's requirements, closed under their dependencies. Installable as it is
  (`pip install --require-hashes -r requirements.txt`), which is what Binder and conda do.
- `requirements-keras2.txt`: Keras 2 (`tf-keras`) at the locked TensorFlow's version, for
  the noise study's keras2-fit arm. It is locked without its dependencies and installed
  with `pip install --no-deps`, because `tf-keras` asks for the full `tensorflow` package,
  which would land beside `tensorflow-cpu`.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fmnist import lockfile  # noqa: E402  (the standard library only: it runs before any install)
from fmnist.lockfile import KERAS2_LOCK, LOCK  # noqa: E402
# The Python and platform the lock is for: what CI and the tests run.
TARGET = ("--python-version", "3.11", "--python-platform", "x86_64-manylinux_2_28")
COMMAND = "make lock"


def build_requirements(pyproject: pathlib.Path = ROOT / "pyproject.toml") -> list[str]:
    """Return the build system's requirements, so that the editable install needs nothing unlocked."""
    return tomllib.loads(pyproject.read_text())["build-system"]["requires"]


def extras(pyproject: pathlib.Path = ROOT / "pyproject.toml") -> list[str]:
    """Return the names of the project's extras, all of which the lock holds."""
    return sorted(tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"])


def keras2_requirement(lock_text: str) -> str:
    """Return the requirement of Keras 2 at the locked TensorFlow's major and minor version."""
    tensorflow = lockfile.locked_versions(lock_text)["tensorflow-cpu"]
    major, minor = tensorflow.split(".")[:2]
    return f"tf-keras=={major}.{minor}.*"


def uv_compile(uv: str, sources: list[str], output: pathlib.Path, *options: str) -> None:
    """Run `uv pip compile` on the sources into `output` for the project's target, with hashes."""
    command = [uv, "pip", "compile", *sources, *TARGET, "--generate-hashes", "--custom-compile-command", COMMAND, "--quiet", "-o", str(output), *options]
    subprocess.run(command, check=True, cwd=ROOT)


def lock(uv: str, upgrade: bool = True) -> None:
    """Write both lock files, taking the newest releases that pyproject.toml allows when `upgrade`."""
    upgrade_options = ["--upgrade"] if upgrade else []
    with tempfile.TemporaryDirectory() as scratch:
        build = pathlib.Path(scratch) / "build-system.txt"
        build.write_text("\n".join(build_requirements()) + "\n")
        extra_options = [option for name in extras() for option in ("--extra", name)]
        uv_compile(uv, ["pyproject.toml", str(build)], LOCK, *extra_options, *upgrade_options)
        keras2 = pathlib.Path(scratch) / "keras2.txt"
        keras2.write_text(keras2_requirement(LOCK.read_text()) + "\n")
        uv_compile(uv, [str(keras2)], KERAS2_LOCK, "--no-deps", *upgrade_options)
    # The scratch file names are no one's business in a committed file.
    for path in (LOCK, KERAS2_LOCK):
        path.write_text(re.sub(r"(-r )\S*/(build-system|keras2)\.txt", r"\1\2", path.read_text()))


def main(argv: list[str] | None = None) -> int:
    """Remake the lock files, or print what `make` needs from them; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default="uv", help="the uv program to run (default: uv on the PATH)")
    parser.add_argument("--keep", action="store_true", help="keep the locked versions that still satisfy pyproject.toml rather than taking the newest")
    parser.add_argument("--extras", action="store_true", help="print the project's extras, comma-separated, and stop")
    parser.add_argument("--keras2-requirement", action="store_true", help="print Keras 2's requirement at the locked TensorFlow's version, and stop")
    parser.add_argument("--diff", action="store_true", help="print how this interpreter's packages differ from the lock, and stop")
    args = parser.parse_args(argv)
    if args.extras:
        print(",".join(extras()))
        return 0
    if args.keras2_requirement:
        print(keras2_requirement(LOCK.read_text()))
        return 0
    if args.diff:
        lines = lockfile.differences(lockfile.all_locked(), lockfile.installed_versions())
        print(f"{len(lines)} package(s) differ from the lock:" if lines else "Every package is at its locked version.")
        print("\n".join(f"  {line}" for line in lines))
        return 0
    lock(args.uv, upgrade=not args.keep)
    versions = lockfile.locked_versions(LOCK.read_text())
    print(f"{LOCK.name}: {len(versions)} packages pinned for Python {TARGET[1]} on Linux x86-64")
    print(f"{KERAS2_LOCK.name}: tf-keras {lockfile.locked_versions(KERAS2_LOCK.read_text())['tf-keras']} pinned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
