"""The book's own Sphinx extension: numbered output tables, and launch links to the paired notebooks.

- A notebook cell whose output is a table gives it a caption and a name starting with
  ``tbl-`` in its ``mystnb.figure`` metadata. myst-nb wraps the output in a figure node;
  this extension turns such a figure into an ``output_table`` node that Sphinx numbers
  as a *table* ("Table 3: ..."), so ``{numref}`` and ``{ref}`` link to it as one.
- The pages are built from the executed copies in ``build/notebooks/``; a reader who
  launches a page in Binder or Colab should get the repository's paired notebook in
  ``notebooks/`` instead, so the launch links are pointed there.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

TABLE_NAME_PREFIX = "tbl-"
BUILT_NOTEBOOKS = "build/notebooks/"
SOURCE_NOTEBOOKS = "notebooks/"


class output_table(nodes.figure):  # noqa: N801 (docutils names node classes in lower case)
    """A notebook output shown as a numbered table with its caption."""


def caption_text(node: nodes.Element) -> str:
    """Return the text of a table's caption, for references that quote it."""
    caption = next(iter(node.findall(nodes.caption)), None)
    return caption.astext() if caption is not None else ""


class NumberOutputTables(SphinxTransform):
    """Turn each figure named ``tbl-...`` into an output table, numbered among the tables."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        """Replace the figure nodes whose name marks them as tables."""
        for figure in list(self.document.findall(nodes.figure)):
            if not any(name.startswith(TABLE_NAME_PREFIX) for name in figure["names"]):
                continue
            table = output_table(figure.rawsource, *figure.children, **figure.attributes)
            table["classes"].append("output-table")
            figure.replace_self(table)
            for node_id in table["ids"]:
                self.document.ids[node_id] = table
            for name in table["names"]:
                if self.document.nameids.get(name) in table["ids"]:
                    self.document.nametypes.setdefault(name, True)


def visit_output_table(translator: HTML5Translator, node: output_table) -> None:
    """Write an output table as the figure it was, with its table number in the caption."""
    translator.visit_figure(node)


def depart_output_table(translator: HTML5Translator, node: output_table) -> None:
    """Close what visit_output_table opened."""
    translator.depart_figure(node)


def point_launch_links_at_sources(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Make the header's launch links open notebooks/NAME.ipynb rather than the build folder's copy."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if "url" in button:
                button["url"] = button["url"].replace(BUILT_NOTEBOOKS, SOURCE_NOTEBOOKS)


def setup(app: Sphinx) -> dict:
    """Register the output tables and the launch-link fix."""
    app.add_enumerable_node(
        output_table,
        "table",
        caption_text,
        html=(visit_output_table, depart_output_table),
        latex=(lambda self, node: self.visit_figure(node), lambda self, node: self.depart_figure(node)),
        text=(lambda self, node: None, lambda self, node: None),
    )
    app.add_transform(NumberOutputTables)
    # After sphinx-book-theme adds its launch buttons (priority 501).
    app.connect("html-page-context", point_launch_links_at_sources, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
