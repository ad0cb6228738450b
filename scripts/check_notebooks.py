"""Check that every notebook pair is in sync and that no .ipynb carries outputs.

The .py percent file is the source of truth. The check syncs a copy of the notebooks
with jupytext and fails if that changes any notebook's content: its cells (type, source,
metadata) and its metadata. How a file spells that content is not compared: neither the
version of jupytext that wrote it (a new release writes another version line, or none, as
notebooks/jupytext.toml asks) nor the order of a cell's metadata keys. It never edits the
tree itself.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK_SUFFIXES = (".py", ".ipynb")


def content(path: pathlib.Path) -> object:
    """Return what a notebook file says (its cells and metadata), less the version of jupytext that wrote it; other files' bytes."""
    if path.suffix not in NOTEBOOK_SUFFIXES:
        return path.read_bytes()
    import jupytext

    notebook = jupytext.read(path)
    metadata = json.loads(json.dumps(notebook.metadata))
    metadata.get("jupytext", {}).get("text_representation", {}).pop("jupytext_version", None)
    cells = [(cell.cell_type, cell.source, json.loads(json.dumps(cell.metadata))) for cell in notebook.cells]
    return cells, metadata


def problems(notebooks: pathlib.Path = NOTEBOOKS) -> list[str]:
    """Return one line per notebook in `notebooks` that is out of sync, unpaired or has outputs."""
    found = []
    for script in sorted(notebooks.glob("*.py")):
        notebook = script.with_suffix(".ipynb")
        if not notebook.is_file():
            found.append(f"{script.name} has no paired {notebook.name}")
            continue
        cells = json.loads(notebook.read_text())["cells"]
        if any(cell.get("outputs") or cell.get("execution_count") for cell in cells if cell["cell_type"] == "code"):
            found.append(f"{notebook.name} carries outputs: clear them before committing")
        if not any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in cells):
            found.append(f"{notebook.name} has no cell tagged 'parameters'")
    with tempfile.TemporaryDirectory() as scratch:
        copy = pathlib.Path(scratch) / "notebooks"
        shutil.copytree(notebooks, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        scripts = sorted(str(path) for path in copy.glob("*.py"))
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", *scripts], check=True, capture_output=True)
        for path in sorted(copy.iterdir()):
            original = notebooks / path.name
            if path.is_file() and (not original.is_file() or content(original) != content(path)):
                found.append(f"{path.name} is not in sync with its pair: run `jupytext --sync notebooks/*.py`")
    return found


def main() -> int:
    """Print the problems and return 1 if there are any."""
    found = problems()
    for line in found:
        print(f"notebooks: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
