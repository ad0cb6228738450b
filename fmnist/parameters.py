"""A notebook's parameters: papermill may inject only the names its parameters cell declares.

Papermill runs a notebook with its own values by inserting a cell, headed `# Parameters`,
right after the cell tagged "parameters". A name the notebook does not declare (a typo
such as `epoch` for `epochs`) would then be set and ignored, and the notebook would run
with its default. `check_injected` reads the kernel's input history (IPython's `In`), sets
the injected names beside the declared ones, and stops the notebook in its first cell
with one line naming the unknown ones. Run by hand (JupyterLab), nothing is injected and
nothing is checked.

`page_source` is what the book shows of a parameters cell: the values the page ran with
(papermill's injected ones in place of the defaults), without the parameters that say
where things live or run (folders, files, workers, a scheduler), which change no number.
"""

from __future__ import annotations

import ast

# How papermill heads the cell it injects (`papermill.translators.PythonTranslator.codify`).
INJECTED_HEADER = "# Parameters\n"
# The parameters that say where things live or run: the notebooks keep them, the pages do not show them.
PLUMBING = frozenset(
    {"results_dir", "records_dir", "data_dir", "executed_dir", "workers", "scheduler", "report_path", "epoch_report_path", "cluster_report_path"}
)


def assigned_names(source: str) -> set[str]:
    """Return the names a cell's source assigns at its top level."""
    names = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def check_injected(history: list[str]) -> None:
    """Raise ValueError, naming them and the declared parameters, if papermill injected names the parameters cell does not declare.

    `history` is the kernel's input history, cell by cell (`In` in a notebook); the
    parameters cell is the one run just before the injected one.
    """
    injected_at = next((index for index, source in enumerate(history) if source.startswith(INJECTED_HEADER)), None)
    if injected_at is None or injected_at == 0:
        return
    declared = assigned_names(history[injected_at - 1])
    unknown = sorted(assigned_names(history[injected_at]) - declared)
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(unknown)}: this notebook takes {', '.join(sorted(declared))}"
        )


def check_this_notebook() -> None:
    """Run `check_injected` on the running notebook's input history; outside IPython, check nothing."""
    import IPython

    shell = IPython.get_ipython()
    if shell is not None:
        check_injected(list(shell.user_ns.get("In", [])))


def assignments(source: str) -> list[tuple[str, str, str]]:
    """Return each top-level assignment of a cell as (name, the comment lines above it, the statement)."""
    lines = source.splitlines()
    found = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        if not names:
            continue
        first = node.lineno - 1
        while first > 0 and lines[first - 1].lstrip().startswith("#"):
            first -= 1
        statement = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        found.append((names[0], "\n".join(lines[first : node.lineno - 1]), statement))
    return found


def page_source(parameters_source: str, injected_source: str = "") -> str:
    """Return the parameters cell as a page shows it: injected values in place of the defaults, no plumbing parameters."""
    injected = {name: statement for name, _, statement in assignments(injected_source)}
    kept = []
    for name, comments, statement in assignments(parameters_source):
        if name not in PLUMBING:
            kept.append("\n".join(filter(None, [comments, injected.get(name, statement)])))
    return "\n".join(kept)
