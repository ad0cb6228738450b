"""What a book page's cells share: gluing a page's facts, by name, for its text to quote.

A page states its numbers in prose through myst-nb's `glue`; an analysis function returns
them as a dict of glue names and values (`fmnist.analysis.noise_text.arm_facts`, say), and
`glue_facts` glues every one, so that a page's cell reads as a sequence of calls.
"""

from __future__ import annotations


def glue_facts(facts: dict) -> None:
    """Glue every fact under its name, for the page's text (not shown where the cell is)."""
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value, display=False)
