"""Check that every notebook pair is in sync, that no .ipynb carries outputs, and that each has its setup cell.

The .py percent file is the source of truth. The check syncs a copy of the notebooks
with jupytext and fails if that changes any notebook's content: its cells (type, source,
metadata) and its metadata. How a file spells that content is not compared: neither the
version of jupytext that wrote it (a new release writes another version line, or none, as
notebooks/jupytext.toml asks) nor the order of a cell's metadata keys. It never edits the
tree itself.

Each notebook's first code cell is the setup cell (`setup_cell`): where the fmnist package
is missing (Colab; a Python outside the project's .venv) it installs it from the
repository that `_config.yml` names, then fetches the data. The address is set in that one
place; `python scripts/check_notebooks.py --write-setup-cells` writes it into every
notebook after it changes. While no address is set, the cell only says how to install
the package.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_SUFFIXES = (".py", ".ipynb")
SETUP_TAGS = ["remove-cell"]
# The setup cell, as it stands in the .py percent files; `repository` and `branch` come from _config.yml.
SETUP_CELL = """\
# Setup: where the fmnist package is missing (Colab, a Python outside the project's .venv),
# install it from the project's repository, and fetch the data where it is missing; in a
# clone, `make install` does both. The address comes from _config.yml.
import importlib.util
import subprocess
import sys

REPOSITORY = {repository!r}
if importlib.util.find_spec("fmnist") is None:
    if REPOSITORY is None:
        raise ModuleNotFoundError(
            "the fmnist package is not installed: run `make install` in a clone of the project "
            "and open the notebooks with `make lab`"
        )
    # The lock is for Python 3.11; another Python (Colab's) gets the newest releases pyproject.toml allows.
    requirement = f"fmnist[book] @ git+{{REPOSITORY}}@{branch}"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--ignore-requires-python", requirement], check=True)
if REPOSITORY is not None:
    # Verifies the data, or fetches it where it is missing (Colab, Binder).
    subprocess.run([sys.executable, "-m", "fmnist", "data"], check=True)
"""
# The setup cell while _config.yml names no repository: there is nothing to install from,
# so it only says how to get the package where it is missing.
SETUP_CELL_WITHOUT_REPOSITORY = """\
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")
"""


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


def repository(config: pathlib.Path = ROOT / "_config.yml") -> tuple[str | None, str]:
    """Return the repository address _config.yml sets (None where it sets none) and its branch."""
    import yaml

    settings = yaml.safe_load(config.read_text()).get("repository") or {}
    return settings.get("url") or None, settings.get("branch", "main")


def setup_cell(config: pathlib.Path = ROOT / "_config.yml") -> str:
    """Return the setup cell's source for the repository that _config.yml names (the short one where it names none)."""
    address, branch = repository(config)
    return SETUP_CELL.format(repository=address, branch=branch) if address else SETUP_CELL_WITHOUT_REPOSITORY


def setup_cell_problem(script: pathlib.Path, expected: str) -> str | None:
    """Return what is wrong with a notebook's setup cell (it must be its first code cell), or None."""
    import jupytext

    cells = [cell for cell in jupytext.read(script).cells if cell.cell_type == "code"]
    if not cells or cells[0].source.strip() != expected.strip() or cells[0].metadata.get("tags") != SETUP_TAGS:
        return f"{script.name}: its first code cell is not the setup cell for _config.yml's repository: run `python scripts/check_notebooks.py --write-setup-cells`"
    return None


def write_setup_cells(notebooks: pathlib.Path = NOTEBOOKS, config: pathlib.Path = ROOT / "_config.yml") -> None:
    """Write the setup cell for _config.yml's repository into every notebook pair, before its parameters cell."""
    import jupytext
    import nbformat

    source = setup_cell(config)
    for script in sorted(notebooks.glob("*.py")):
        notebook = jupytext.read(script)
        code = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
        if code and notebook.cells[code[0]].source.startswith("# Setup:"):
            notebook.cells[code[0]].source = source.rstrip("\n")
        else:
            parameters = next(index for index, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
            notebook.cells.insert(parameters, nbformat.v4.new_code_cell(source.rstrip("\n"), metadata={"tags": list(SETUP_TAGS)}))
        jupytext.write(notebook, script, fmt="py:percent")
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(script)], check=True, capture_output=True)


def problems(notebooks: pathlib.Path = NOTEBOOKS, config: pathlib.Path = ROOT / "_config.yml") -> list[str]:
    """Return one line per notebook in `notebooks` that is out of sync, unpaired, has outputs or lacks its setup cell."""
    found = []
    expected_setup = setup_cell(config)
    for script in sorted(notebooks.glob("*.py")):
        problem = setup_cell_problem(script, expected_setup)
        if problem:
            found.append(problem)
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


def main(argv: list[str] | None = None) -> int:
    """Print the problems and return 1 if there are any; with --write-setup-cells, write the setup cells first."""
    if "--write-setup-cells" in (sys.argv[1:] if argv is None else argv):
        write_setup_cells()
    found = problems()
    for line in found:
        print(f"notebooks: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
