"""The execution report: how long each page took, with which parameters, and where its numbers came from.

It reads the notebooks papermill executed (papermill records each one's duration and
parameters in its metadata) and, from each, the list of saved runs the page used, which
its last cell glued as `results_used` (`fmnist.store.usage`). It trains and recomputes
nothing.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import pathlib

import pandas as pd

from fmnist.analysis import formatting

RESULTS_USED_KEY = "results_used"
RECORD_PREFIX = "application/papermill.record/"


def title_of(notebook: dict) -> str:
    """Return a notebook's title: the first level-one heading of its markdown."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "(untitled)"


def glued(notebook: dict, key: str) -> object | None:
    """Return the value a notebook glued under `key` (as its text form reads back), or None."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") != key:
                continue
            text = "".join(output["data"][RECORD_PREFIX + "text/plain"])
            return ast.literal_eval(text)
    return None


def read_notebook(path: pathlib.Path) -> dict:
    """Return what the report shows of one executed notebook."""
    notebook = json.loads(path.read_text())
    papermill = notebook["metadata"].get("papermill", {})
    return {
        "name": path.stem,
        "title": title_of(notebook),
        "seconds": papermill.get("duration"),
        "started": papermill.get("start_time"),
        "parameters": papermill.get("parameters") or {},
        "results_used": json.loads(glued(notebook, RESULTS_USED_KEY) or "[]"),
    }


def read_executed(folder: str | pathlib.Path, leave_out: str = "") -> list[dict]:
    """Return the executed notebooks in `folder` but `leave_out`, in name order; raise ValueError if there are none."""
    folder = pathlib.Path(folder)
    found = sorted(path for path in folder.glob("*.ipynb") if path.stem != leave_out) if folder.is_dir() else []
    if not found:
        raise ValueError(
            f"no executed notebook of this book is in {folder.name or folder}: run `make notebooks` first, "
            "or set executed_dir to the folder papermill wrote them to"
        )
    return [read_notebook(path) for path in found]


def shown_parameters(parameters: dict) -> str:
    """Return the parameters papermill gave a notebook, or "its defaults"."""
    return ", ".join(f"{name} = {value!r}" for name, value in sorted(parameters.items())) or "its defaults"


def pages_table(executed: list[dict]) -> pd.DataFrame:
    """Return one row per page: when it ran, how long, and with which parameters."""
    return pd.DataFrame(
        [
            {
                "page": page["title"],
                "started": formatting.minute_of(page["started"]) if page["started"] else "-",
                "run time (s)": page["seconds"],
                "parameters": shown_parameters(page["parameters"]),
                "runs used": len(page["results_used"]),
            }
            for page in executed
        ]
    ).set_index("page")


def results_table(executed: list[dict]) -> pd.DataFrame:
    """Return one row per saved run each page used: where it is, where its numbers came from, when and on what."""
    rows = [
        {
            "page": page["title"],
            "run": used["run"],
            "source": used["source"],
            "result files": used["results"],
            "computed on": used["cpu"],
            "last result": used["last_date"][:10] if used.get("last_date") else "-",
        }
        for page in executed
        for used in page["results_used"]
    ]
    columns = ["page", "run", "source", "result files", "computed on", "last result"]
    return pd.DataFrame(rows, columns=columns).set_index(["page", "run"])


def records_check_table(rows: list[dict]) -> pd.DataFrame:
    """Return `fmnist.record_checks.judged`'s rows as the report shows them."""
    columns = {
        "config": "run",
        "result": "result",
        "recorded": "recorded (%)",
        "recomputed": "recomputed (%)",
        "difference": "difference (points)",
        "tolerance": "tolerance (points)",
        "recorded_on": "recorded on",
    }
    frame = pd.DataFrame(rows, columns=[*columns, "same_processor", "matches"]).rename(columns=columns)
    frame["recorded on"] = frame["recorded on"].map(lambda date: formatting.minute_of(date) if date else "-")
    frame["same processor kind"] = frame.pop("same_processor").map(formatting.yes_no)
    frame["matches"] = frame.pop("matches").map(formatting.yes_no)
    return frame.set_index(["run", "result"])


def lock_text(lock: dict | None) -> str:
    """Return one phrase naming the lock this build installed (its digest and date) and whether the install matches it."""
    if lock is None:
        return "no lock file beside the package (installed from elsewhere than a checkout)"
    date = f", committed {lock['date']}" if lock["date"] else ""
    named = f"{lock['file']} (sha256 {lock['sha256']}{date}), {lock['packages']:,} packages"
    if not lock["differing"]:
        return f"{named}, every one installed at its locked version"
    count = len(lock["differing"])
    return f"{named}; {count} installed at {'another version' if count == 1 else 'other versions'}: " + "; ".join(lock["differing"])


def versions_text(provenance: dict, book_version: str | None) -> str:
    """Return the versions of the libraries that made the numbers and the book, in one phrase."""
    packages = provenance["packages"]
    named = {"TensorFlow": packages["tensorflow"], "Keras": packages["keras"], "NumPy": packages["numpy"], "Jupyter Book": book_version}
    return ", ".join(f"{name} {version or 'not installed'}" for name, version in named.items())


def library_changes_text(rows: list[dict]) -> str:
    """Return one sentence on the library versions of the recomputed results against their records' (`fmnist.record_checks.judged`'s rows)."""
    changes: dict[str, list[str]] = {}
    for row in rows:
        for change in row.get("library_changes", []):
            changes.setdefault(row["config"], [])
            if change not in changes[row["config"]]:
                changes[row["config"]].append(change)
    if not changes:
        return "Every recomputed result ran with the library versions of its record."
    named = "; ".join(f"{config}: {', '.join(found)}" for config, found in changes.items())
    return f"The library versions that differ from a record's (record -> this build) are {named}."


def installed_as_locked(lock: dict | None) -> str:
    """Return, for a table cell, whether every package is installed at its locked version."""
    if lock is None:
        return "-"
    return f"no: {len(lock['differing'])} differ" if lock["differing"] else "yes"


def machine_table(provenance: dict, lock: dict | None = None, book_version: str | None = None) -> pd.DataFrame:
    """Return the machine, the lock and the library versions this build ran on, one row each."""
    facts = {
        "date": formatting.minute_of(provenance["date"]),
        "CPU": provenance["cpu"],
        "processor kind": provenance["cpu_kind"],
        "CPU cores": provenance["cpu_count"],
        "operating system": formatting.operating_system(provenance["platform"]),
        "Python": provenance["python"],
        "lock": f"{lock['file']}, sha256 {lock['sha256']}" if lock else "none beside the package",
        "installed as locked": installed_as_locked(lock),
        **{name: version or "not installed" for name, version in provenance["packages"].items()},
        "jupyter-book": book_version or "not installed",
    }
    return pd.DataFrame({"this build": {name: str(value) for name, value in facts.items()}})


def write_environment(folder: str | pathlib.Path, name: str = "environment.txt") -> pathlib.Path:
    """Write `frozen_environment()` into a file in `folder`, readable by all, and return its path."""
    path = pathlib.Path(folder) / name
    path.write_text(frozen_environment())
    path.chmod(0o644)
    return path


def frozen_environment() -> str:
    """Return every installed distribution as `pip freeze` writes it ("name==version"), sorted by name."""
    lines = {
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    }
    return "\n".join(sorted(lines, key=str.lower)) + "\n"
