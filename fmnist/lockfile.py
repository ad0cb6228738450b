"""The lock (requirements.txt at the checkout's root): what it pins, and how the installed packages differ from it.

`make lock` writes the lock (scripts/lock.py) and `make install` installs it; the execution
report names it, and `make test-latest` prints how the newest releases differ from it.
Standard library only, so that scripts/lock.py can use it before anything is installed.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import pathlib
import re
import subprocess

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
LOCK = CHECKOUT / "requirements.txt"
KERAS2_LOCK = CHECKOUT / "requirements-keras2.txt"
# Packages whose version says nothing about the environment the lock pins.
NOT_COMPARED = ("fmnist", "pip")
DIGEST_CHARACTERS = 12


def canonical(name: str) -> str:
    """Return a package name as PEP 503 compares them: lower case, each run of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock_text: str) -> dict[str, str]:
    """Return {package name: version} for every `name==version` line of a lock, names canonical."""
    pinned = re.finditer(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", lock_text, re.MULTILINE)
    return {canonical(match[1]): match[2] for match in pinned}


def installed_versions() -> dict[str, str]:
    """Return {package name: version} for every distribution beside this interpreter, names canonical."""
    return {canonical(dist.metadata["Name"]): dist.version for dist in importlib.metadata.distributions() if dist.metadata["Name"]}


def differences(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    """Return one line per package whose installed version is not its locked one, or that only one side has."""
    locked = {canonical(name): version for name, version in locked.items()}
    installed = {canonical(name): version for name, version in installed.items()}
    lines = []
    for name in sorted((locked.keys() | installed.keys()) - set(NOT_COMPARED)):
        old, new = locked.get(name), installed.get(name)
        if old != new:
            was = "not locked" if old is None else f"locked {old}"
            now = "not installed" if new is None else f"installed {new}"
            lines.append(f"{name}: {was}, {now}")
    return lines


def all_locked(lock: pathlib.Path = LOCK, keras2_lock: pathlib.Path = KERAS2_LOCK) -> dict[str, str]:
    """Return every version the two lock files pin."""
    return {**locked_versions(lock.read_text()), **locked_versions(keras2_lock.read_text())}


def commit_date(path: pathlib.Path) -> str | None:
    """Return the day of the last commit that changed `path`, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cI", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamp = result.stdout.strip()
    return datetime.datetime.fromisoformat(stamp).date().isoformat() if result.returncode == 0 and stamp else None


def summary(lock: pathlib.Path = LOCK, keras2_lock: pathlib.Path = KERAS2_LOCK) -> dict | None:
    """Return the lock's digest, date, count of pins and the installed packages that differ; None where there is no lock."""
    if not lock.is_file() or not keras2_lock.is_file():
        return None
    locked = all_locked(lock, keras2_lock)
    # Packages installed but not locked (the interpreter's own, say) do not make an install differ.
    differing = [line for line in differences(locked, installed_versions()) if "not locked" not in line]
    return {
        "file": lock.name,
        "sha256": hashlib.sha256(lock.read_bytes()).hexdigest()[:DIGEST_CHARACTERS],
        "date": commit_date(lock),
        "packages": len(locked),
        "differing": differing,
    }
