"""Execute the book's notebooks with papermill, each given the parameters it declares.

`make notebooks PARAMS="-p folds 2 -p epochs 1 -p subset 600"` passes one set of
parameters to every notebook. A notebook stops on a parameter its parameters cell does
not declare (`fmnist.parameters`), so each one is given only those it declares; a
parameter that no notebook declares (a misspelt one, say) is an error here, before
anything runs.

The executed copies are what the book shows. In each, the parameters cell and the cell
papermill injects are hidden from the page (tagged `remove-cell`; the notebook keeps both),
and a cell showing the values the page ran with, without the parameters that only say
where things live or run (`fmnist.parameters.page_source`), takes their place.

    python scripts/execute_notebooks.py book/notebooks 01_data 03_experiment -p epochs 2
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

import nbformat
import papermill

from fmnist import parameters as notebook_parameters

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
# The parameter of a notebook that reads the other executed notebooks (the execution report).
EXECUTED_DIR = "executed_dir"
HIDDEN = "remove-cell"
# The tag of the cell that shows a page's parameters (`for_the_page`).
PAGE_PARAMETERS = "page-parameters"


def parse_value(text: str) -> object:
    """Read a parameter's value as papermill's `-p` does: True, False, None, an int, a float, else the text."""
    constants = {"True": True, "False": False, "None": None}
    if text in constants:
        return constants[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def declared(name: str) -> set[str]:
    """Return the parameters a notebook's parameters cell declares."""
    return set(papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb")))


def check_known(names: list[str], parameters: dict) -> None:
    """Raise ValueError naming the parameters that none of the notebooks declares."""
    known = set().union(*(declared(name) for name in names))
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ValueError(f"no notebook takes the parameter(s) {', '.join(unknown)}; they take {', '.join(sorted(known))}")


def execute(names: list[str], output: pathlib.Path, parameters: dict, extra: dict[str, dict] | None = None) -> None:
    """Execute each notebook into `output`, in order, with the parameters it declares; stop at the first that fails.

    `extra` adds parameters for single notebooks, by name; each notebook must declare its own.
    """
    check_known(names, parameters)
    output.mkdir(parents=True, exist_ok=True)
    for name in names:
        own = {key: value for key, value in parameters.items() if key in declared(name)} | (extra or {}).get(name, {})
        if EXECUTED_DIR in declared(name):
            # The execution report reads the notebooks executed before it, wherever they were written;
            # the path is relative to notebooks/, where papermill runs it, so no machine's path shows.
            own.setdefault(EXECUTED_DIR, os.path.relpath(output.resolve(), NOTEBOOKS))
        papermill.execute_notebook(
            str(NOTEBOOKS / f"{name}.ipynb"),
            str(output / f"{name}.ipynb"),
            parameters=own,
            cwd=str(NOTEBOOKS),
            progress_bar=False,
        )
        executed = output / f"{name}.ipynb"
        nbformat.write(for_the_page(nbformat.read(executed, as_version=4)), executed)


def tags(cell) -> list[str]:
    """Return a cell's tags, creating the list where it has none."""
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def for_the_page(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Hide the parameters and injected-parameters cells of an executed notebook; show the values it ran with instead."""
    cells = notebook.cells
    declared = next((index for index, cell in enumerate(cells) if "parameters" in tags(cell)), None)
    if declared is None:
        return notebook
    injected = next((cell for cell in cells if "injected-parameters" in tags(cell)), None)
    for cell in filter(None, [cells[declared], injected]):
        if HIDDEN not in tags(cell):
            tags(cell).append(HIDDEN)
    shown = notebook_parameters.page_source(cells[declared].source, injected.source if injected else "")
    if shown:
        position = cells.index(injected) + 1 if injected else declared + 1
        cells.insert(position, nbformat.v4.new_code_cell(shown, metadata={"tags": [PAGE_PARAMETERS]}))
    return notebook


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and execute the notebooks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=pathlib.Path, help="folder for the executed notebooks")
    parser.add_argument("notebooks", nargs="+", help="notebook names, without .ipynb, in the order to run them")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"), help="a parameter, as papermill's -p")
    args = parser.parse_args(argv)
    try:
        execute(args.notebooks, args.output, {name: parse_value(value) for name, value in args.parameter})
    except ValueError as error:
        print(f"execute_notebooks: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
