"""The README's result at a glance is computed from the records, never typed in."""

import pathlib

from fmnist import glance

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_holds_the_result_at_a_glance_as_the_records_give_it():
    assert glance.in_readme(README) == glance.markdown(), "the README's table is stale: paste `python -m fmnist.glance` into it"


def test_the_result_at_a_glance_comes_before_the_commands():
    text = README.read_text()
    assert text.index(glance.START) < text.index("## Two commands") < text.index("## Where to go next")


def test_a_readme_without_the_table_is_reported_empty(tmp_path):
    other = tmp_path / "README.md"
    other.write_text("# Something else\n")
    assert glance.in_readme(other) == ""
