"""Check that the executed pages agree: every quantity glued on more than one page has one value.

A number the book shows on two pages (our mean over seeds, its interval, a noise floor)
is computed once, by one function of `fmnist.analysis`, and glued under one name on each
page that shows it (`myst_nb.glue`). This reads every executed notebook's glued values
and fails, naming the pages and values, where one name carries two values. A name that
means something of its own on each page is listed in PAGE_LOCAL with the reason.

Usage:

    python scripts/check_pages.py book/notebooks
"""

from __future__ import annotations

import pathlib
import sys

import nbformat

# Names glued on several pages whose value is each page's own.
PAGE_LOCAL = {
    "results_used": "each page lists the saved runs it read",
    "table_one_source": "each page names the run it read",
    "table_one_when": "each page says how it came by that run: trained in this build, or read back",
    "total_minutes": "each page sums the fold time of its own runs",
}


def glued_values(path: pathlib.Path) -> dict[str, str]:
    """Return the values an executed notebook glued, by name, as their plain-text form."""
    values = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            prefix = output["metadata"]["scrapbook"].get("mime_prefix", "")
            values[name] = output.get("data", {}).get(f"{prefix}text/plain", "")
    return values


def disagreements(folder: pathlib.Path) -> list[str]:
    """Return one line per glued name that carries different values on different pages."""
    pages = {path.stem: glued_values(path) for path in sorted(folder.glob("*.ipynb"))}
    if not pages:
        raise FileNotFoundError(f"no executed notebooks in {folder}: run `make notebooks` first")
    problems = []
    names = sorted({name for values in pages.values() for name in values} - set(PAGE_LOCAL))
    for name in names:
        shown = {page: values[name] for page, values in pages.items() if name in values}
        if len(set(shown.values())) > 1:
            problems.append(f"{name}: " + "; ".join(f"{page} shows {value}" for page, value in shown.items()))
    return problems


def shared_names(folder: pathlib.Path) -> int:
    """Return how many glued names (page-local ones aside) appear on more than one executed page."""
    counts: dict[str, int] = {}
    for path in folder.glob("*.ipynb"):
        for name in glued_values(path):
            counts[name] = counts.get(name, 0) + 1
    return sum(1 for name, count in counts.items() if count > 1 and name not in PAGE_LOCAL)


def main(argv: list[str]) -> int:
    """Print the disagreements between the executed pages; return 1 if there are any."""
    if len(argv) != 2:
        print(__doc__.split("Usage:")[1].strip(), file=sys.stderr)
        return 2
    folder = pathlib.Path(argv[1])
    problems = disagreements(folder)
    for problem in problems:
        print(f"pages disagree on {problem}", file=sys.stderr)
    if not problems:
        print(f"the executed pages agree: {shared_names(folder)} glued names shown on more than one page, each with one value")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
