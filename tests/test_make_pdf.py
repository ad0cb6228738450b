"""`make pdf` prints the built book, in the table of contents' order, as one PDF."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import make_pdf  # noqa: E402  (scripts/ is not a package)

PAGE = """<html><head><link href="{up}_static/book.css" rel="stylesheet" /></head><body>
<article class="bd-article" role="main"><h1>{title}</h1><img src="{up}_images/dot.png" alt="a dot"><p>{text}</p></article>
</body></html>"""


@pytest.fixture
def site(tmp_path):
    """Return a built two-page book and its table of contents."""
    root = tmp_path / "html"
    (root / "notebooks").mkdir(parents=True)
    (root / "_static").mkdir()
    (root / "_static" / "book.css").write_text("h1 { color: #123456; }")
    (root / "intro.html").write_text(PAGE.format(up="", title="The introduction", text="First page."))
    (root / "notebooks" / "02_method.html").write_text(PAGE.format(up="../", title="The method", text="Second page."))
    toc = tmp_path / "_toc.yml"
    toc.write_text("root: intro\nparts:\n  - caption: One\n    chapters:\n      - file: notebooks/02_method\n")
    return root, toc


def test_the_pages_come_in_the_order_of_the_table_of_contents(site):
    root, toc = site
    assert make_pdf.page_order(toc) == ["intro.html", "notebooks/02_method.html"]


def test_links_of_a_page_in_a_folder_are_made_relative_to_the_site_root():
    html = '<img src="../_images/a.png"><a href="05_noise.html#x">n</a><a href="https://example.org">e</a><a href="#top">t</a>'
    assert make_pdf.rebased(html, "notebooks/03_experiment.html") == (
        '<img src="_images/a.png"><a href="notebooks/05_noise.html#x">n</a><a href="https://example.org">e</a><a href="#top">t</a>'
    )


def test_the_print_document_holds_every_article_in_order_with_the_book_styles(site):
    root, toc = site
    document = make_pdf.print_document(root, make_pdf.page_order(toc))
    assert document.index("The introduction") < document.index("The method")
    assert 'href="_static/book.css"' in document and 'src="_images/dot.png"' in document


def test_the_book_prints_as_one_pdf_a_page_break_before_each_page(site, tmp_path):
    root, toc = site
    output = make_pdf.make_pdf(root, tmp_path / "pdf" / "book.pdf", toc)
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page/") >= 2
    assert not (root / make_pdf.PRINT_PAGE).exists()
    assert [path.name for path in output.parent.iterdir()] == ["book.pdf"]


def test_an_unbuilt_book_is_named_with_the_command_that_builds_it(site, tmp_path):
    root, toc = site
    (root / "intro.html").unlink()
    with pytest.raises(FileNotFoundError, match="run `make book` first"):
        make_pdf.make_pdf(root, tmp_path / "book.pdf", toc)
    assert not (tmp_path / "book.pdf").exists()
