"""Print the built book as one PDF, for reading offline: `make pdf` runs this after `make book`.

The pages are read in the order of the table of contents (`_toc.yml`), each page's
article is set into one HTML document with the book's own styles, and headless Chromium
prints that document. Links between pages do not follow into the PDF; figures, tables and
their captions do. Collapsed parts (code, logs, "Where this comes from") stay collapsed.

    python scripts/make_pdf.py _build/html _build/pdf/fmnist-book.pdf
"""

from __future__ import annotations

import pathlib
import re
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import check_site  # noqa: E402  (scripts/ is not a package; its server and Chromium flags are shared)

ROOT = pathlib.Path(__file__).resolve().parent.parent
PRINT_PAGE = "print-the-book.html"
ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.DOTALL)
STYLESHEETS = re.compile(r'<link[^>]*rel="stylesheet"[^>]*>|<style[^>]*>.*?</style>', re.DOTALL)
RELATIVE_URL = re.compile(r'(src|href)="(?![a-z]+:|#|/)([^"]*)"')
# What the printed page leaves out or keeps together: the anchors' "#", a break before each page.
PRINT_STYLE = """<style>
.bd-main, .bd-article { max-width: 100% !important; width: 100% !important; margin: 0 !important; padding: 0 !important; }
.headerlink { display: none; }
section.book-page { break-before: page; }
figure, table { break-inside: avoid; }
</style>"""


def page_order(toc: pathlib.Path) -> list[str]:
    """Return the book's pages in the table of contents' order, as paths of the built site."""
    contents = yaml.safe_load(toc.read_text())
    files = [contents["root"]]
    for part in contents.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [f"{name}.html" for name in files]


def rebased(html: str, page: str) -> str:
    """Return a page's HTML with its relative links made relative to the site's root, where the print page lies."""
    folder = pathlib.PurePosixPath(page).parent

    def root_relative(match: re.Match) -> str:
        target = pathlib.PurePosixPath(folder, match.group(2))
        parts = []
        for part in target.parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part != ".":
                parts.append(part)
        return f'{match.group(1)}="{"/".join(parts)}"'

    return RELATIVE_URL.sub(root_relative, html)


def print_document(site: pathlib.Path, pages: list[str]) -> str:
    """Return one HTML document holding every page's article, in order, with the book's styles."""
    missing = [page for page in pages if not (site / page).is_file()]
    if missing:
        raise FileNotFoundError(f"the built book lacks {', '.join(missing)}: run `make book` first")
    first = (site / pages[0]).read_text()
    styles = "\n".join(rebased(style, pages[0]) for style in STYLESHEETS.findall(first))
    articles = []
    for page in pages:
        found = ARTICLE.search((site / page).read_text())
        if found is None:
            raise ValueError(f"{page} has no article: is {site} a Jupyter Book site?")
        articles.append(f'<section class="book-page">{rebased(found.group(1), page)}</section>')
    return (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">{styles}{PRINT_STYLE}</head>'
        f'<body><main class="bd-main"><article class="bd-article">{"".join(articles)}</article></main></body></html>'
    )


def make_pdf(site: pathlib.Path, output: pathlib.Path, toc: pathlib.Path = ROOT / "_toc.yml") -> pathlib.Path:
    """Print the built book in `site` into one PDF at `output`; return its path."""
    from playwright.sync_api import sync_playwright

    document = site / PRINT_PAGE
    document.write_text(print_document(site, page_order(toc)))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".pdf.partial")
    try:
        with check_site.serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=check_site.CHROMIUM, args=check_site.CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(url + PRINT_PAGE, wait_until="load", timeout=check_site.PAGE_TIMEOUT_MS)
            page.pdf(path=str(partial), format="A4", print_background=True, margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
            browser.close()
        partial.replace(output)
    finally:
        document.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return output


def main() -> int:
    """Print the site named on the command line into the PDF named after it."""
    site, output = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    try:
        path = make_pdf(site, output)
    except (FileNotFoundError, ValueError) as error:
        print(f"make_pdf: error: {error}", file=sys.stderr)
        return 1
    print(f"The book as one PDF: {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
