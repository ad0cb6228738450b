"""The book's own Sphinx extension: numbered output tables, and buttons that follow the repository setting.

- A notebook cell whose output is a table gives it a caption and a name starting with
  ``tbl-`` in its ``mystnb.figure`` metadata. myst-nb wraps the output in a figure node;
  this extension turns such a figure into an ``output_table`` node that Sphinx numbers
  as a *table* ("Table 3: ..."), so ``{numref}`` and ``{ref}`` link to it as one.
- A caption's legend paragraph that says what made the figure or table ("Made by
  `fmnist...` from ...") is for the curious: it goes behind a collapsed "Where this
  comes from", and the plain phrase above it (when and on what the runs were made) stays
  in view.
- Each page opens with a line of what to read first and its reading time; the page writes
  ``READING_MINUTES`` where the time goes, and the time is counted here from the page's
  prose and tables (code, logs and provenance left out) at ``WORDS_PER_MINUTE``, with
  ``MINUTES_PER_FIGURE`` for each figure.
- ``_config.yml`` sets the repository's address in one place (``repository.url``), and
  sets none until the project has a public one. Where it is set, the pages get their
  launch (Binder, Colab: each opens ``notebooks/NAME.ipynb``, the page's paired notebook),
  repository and issue buttons; where it is not, they get none, rather than buttons that
  lead nowhere. Either way the substitution ``{{ repository_sentence }}`` says where the
  code is, or how to set its address.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

TABLE_NAME_PREFIX = "tbl-"
# How the legend paragraph that names what made a figure or table begins.
PROVENANCE_OPENINGS = ("Made by", "Drawn by", "The published numbers are quoted")
PROVENANCE_SUMMARY = "Where this comes from"
LAUNCH_BUTTONS = {
    "notebook_interface": "jupyterlab",
    "binderhub_url": "https://mybinder.org",
    "colab_url": "https://colab.research.google.com",
}
READING_PLACEHOLDER = "READING_MINUTES"
WORDS_PER_MINUTE = 200
MINUTES_PER_FIGURE = 0.3
UNSET_REPOSITORY_SENTENCE = (
    "This build names no repository address: set `repository.url` in the book's `_config.yml` "
    "to give the book its launch, repository and issue buttons and this page the address."
)


class output_table(nodes.figure):  # noqa: N801 (docutils names node classes in lower case)
    """A notebook output shown as a numbered table with its caption."""


class provenance(nodes.General, nodes.Element):  # noqa: N801
    """The collapsed "Where this comes from" of a figure or table: the function, run folders and records behind it."""


def visit_provenance(translator: HTML5Translator, node: provenance) -> None:
    """Open a closed details element with its summary."""
    translator.body.append(f'<details class="provenance"><summary>{PROVENANCE_SUMMARY}</summary>')


def depart_provenance(translator: HTML5Translator, node: provenance) -> None:
    """Close the details element."""
    translator.body.append("</details>")


class CollapseProvenance(SphinxTransform):
    """Put each figure's and table's provenance paragraph behind a collapsed "Where this comes from"."""

    default_priority = 501

    def apply(self, **kwargs) -> None:
        """Wrap the legend paragraphs that begin with one of PROVENANCE_OPENINGS."""
        for legend in list(self.document.findall(nodes.legend)):
            for paragraph in list(legend.children):
                if isinstance(paragraph, nodes.paragraph) and paragraph.astext().startswith(PROVENANCE_OPENINGS):
                    wrapper = provenance()
                    paragraph.replace_self(wrapper)
                    wrapper += paragraph


def reading_minutes(document: nodes.document) -> int:
    """Return the minutes a reader takes over a page: its words at WORDS_PER_MINUTE, and MINUTES_PER_FIGURE a figure."""
    words = 0
    for text in document.findall(nodes.Text):
        if not any(isinstance(parent, (nodes.literal_block, nodes.raw, provenance)) for parent in ancestors(text)):
            words += len(text.astext().split())
    figures = sum(1 for node in document.findall(nodes.figure) if not isinstance(node, output_table))
    return max(1, round(words / WORDS_PER_MINUTE + figures * MINUTES_PER_FIGURE))


def ancestors(node: nodes.Node):
    """Yield a node's parents, nearest first."""
    while node.parent is not None:
        node = node.parent
        yield node


class FillReadingTime(SphinxTransform):
    """Write each page's reading time where its first line says READING_MINUTES."""

    default_priority = 502

    def apply(self, **kwargs) -> None:
        """Replace the placeholder with the page's reading minutes."""
        placeholders = [text for text in self.document.findall(nodes.Text) if READING_PLACEHOLDER in text.astext()]
        if not placeholders:
            return
        minutes = str(reading_minutes(self.document))
        for text in placeholders:
            text.parent.replace(text, nodes.Text(text.astext().replace(READING_PLACEHOLDER, minutes)))


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


def follow_repository_setting(app: Sphinx, config) -> None:
    """Give the pages launch, repository and issue buttons only where _config.yml sets the repository's address."""
    theme_options = config.html_theme_options
    address = theme_options.get("repository_url") or ""
    if address:
        theme_options.update(use_repository_button=True, use_issues_button=True, launch_buttons=dict(LAUNCH_BUTTONS))
        sentence = f"The code, the notebooks and the records are at <{address}>."
    else:
        theme_options.update(use_repository_button=False, use_issues_button=False, launch_buttons={})
        sentence = UNSET_REPOSITORY_SENTENCE
    config.myst_substitutions = {**config.myst_substitutions, "repository_sentence": sentence}


def setup(app: Sphinx) -> dict:
    """Register the output tables and the buttons that follow the repository setting."""
    app.add_enumerable_node(
        output_table,
        "table",
        caption_text,
        html=(visit_output_table, depart_output_table),
        latex=(lambda self, node: self.visit_figure(node), lambda self, node: self.depart_figure(node)),
        text=(lambda self, node: None, lambda self, node: None),
    )
    app.add_transform(NumberOutputTables)
    skip = (lambda self, node: None, lambda self, node: None)
    app.add_node(provenance, html=(visit_provenance, depart_provenance), latex=skip, text=skip)
    app.add_transform(CollapseProvenance)
    app.add_transform(FillReadingTime)
    app.connect("config-inited", follow_repository_setting)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
