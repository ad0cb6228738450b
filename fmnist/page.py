"""What a book page's cells share: how a page starts, and gluing its facts for its text to quote.

`start`, called once near a page's top, collapses what later cells print under one line
(`fmnist.notebook_log`) and draws inline figures at twice their pixels, so that they stay
sharp when the book scales them to its column. A page states its numbers in prose through
myst-nb's `glue`; an analysis function returns them as a dict of glue names and values
(`fmnist.analysis.noise_text.arm_facts`, say), and `glue_facts` glues every one, so that
a page's cell reads as a sequence of calls.
"""

from __future__ import annotations


def start() -> None:
    """Set a page up in IPython: printed output collapsed, figures as sharp ("retina") PNGs; outside IPython, nothing."""
    import IPython

    if IPython.get_ipython() is None:
        return
    from matplotlib_inline import backend_inline

    from fmnist import notebook_log

    notebook_log.collapse_printed_output()
    backend_inline.set_matplotlib_formats("retina")


def glue_facts(facts: dict) -> None:
    """Glue every fact under its name, for the page's text (not shown where the cell is)."""
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value, display=False)
