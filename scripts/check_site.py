"""Open the built book in headless Chromium and check what a reader sees.

Serves the site from a local HTTP server on 127.0.0.1 and reads every page of the book as
a reader would, in light and in dark colours:

- every internal link leads to a page that exists, and every anchor to an element on it;
- every image has loaded and has alt text that describes it (not a file name);
- every figure and every output table carries a number ("Figure 3", "Table 2");
- no text shows a path of the build machine or a numpy repr;
- every notebook page offers its executed notebook for download; where _config.yml sets the
  repository, its Binder and Colab links open `notebooks/NAME.ipynb`, a notebook that
  exists in the checkout, and where it sets none, there are no launch links;
- no page shows an error output, and every page ends with a summary;
- no page shows plumbing: a host name, papermill's injected-parameters cell, a comment
  about environment variables or a scheduler's address, or a training log (printed
  output that is not collapsed);
- no table is wider than the page's column, and the text of captions, provenance lines
  and tables has a contrast of at least 4.5:1 against its background (WCAG AA).

It checks that the experiment page shows Table I with the paper's and our numbers, and
saves a screenshot of every page in light and dark colours beside the one it is given.
Usage:

    python scripts/check_site.py _build/html build/screenshots/experiment.png
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import pathlib
import re
import sys
import threading
import urllib.parse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
# Each page, and whether it shows figures.
PAGES = {
    "intro.html": False,
    "notebooks/01_data.html": True,
    "notebooks/02_method.html": True,
    "notebooks/03_experiment.html": True,
    "notebooks/04_report.html": False,
    "notebooks/05_noise.html": True,
    "notebooks/06_test_set.html": True,
    "notebooks/07_filters_padding.html": True,
    "notebooks/08_sweep.html": True,
    "notebooks/09_better_cnn.html": True,
    "notebooks/10_frontier.html": True,
    "notebooks/11_speed.html": False,
    "notebooks/12_execution.html": False,
    "references.html": False,
    "cite.html": False,
}
RESULTS_PAGE = "notebooks/03_experiment.html"
PAGE_TIMEOUT_MS = 30_000
# What a page must not show: a path on the build machine, or a numpy or pandas repr.
MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|root|tmp|usr|var|opt|mnt|Users)/[\w.-]+")
RAW_REPR = re.compile(r"np\.(?:int|float|bool|str)\w*\(|dtype: \w+|\bdtype\(|\d\.\d+e[+-]\d\d\b|<fmnist\.|CVConfig\(")
IMAGE_FILE_NAME = re.compile(r"^[\w./-]+\.(?:png|svg|jpe?g|gif)$", re.IGNORECASE)
LAUNCH_HOSTS = ("mybinder.org", "colab.research.google.com")
# What only plumbing shows: a platform string with the host's kernel, an environment variable, a scheduler's address.
HOST_NAME = re.compile(r"\bLinux-\d+\.\d+[\w.+-]*")
PLUMBING = re.compile(r"\$FMNIST_\w+|tcp://host\b|# Parameters\b")
# The smallest contrast of text against its background (WCAG 2 level AA, normal text).
MINIMUM_CONTRAST = 4.5
# The elements whose text contrast is measured: captions, their provenance lines, tables, the page's prose.
CONTRAST_SELECTOR = "main figcaption, main figcaption *, main table th, main table td, main p, main li, main summary"
# Returns, for every element of CONTRAST_SELECTOR with text of its own, its text and contrast against what lies behind it.
CONTRAST_SCRIPT = """
(selector) => {
  const rgba = (text) => { const v = text.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const blend = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((under, layer) => blend(layer, under), [255, 255, 255, 1]);
  };
  const luminance = (c) => { const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const found = [];
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest('.headerlink')) continue;
    const own = Array.from(element.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!own || !element.getClientRects().length) continue;
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
    const behind = background(element);
    const colour = rgba(getComputedStyle(element).color);
    const shown = blend([colour[0], colour[1], colour[2], colour[3] * opacity], behind);
    const [light, dark] = [luminance(shown), luminance(behind)].sort((a, b) => b - a);
    found.push({text: own.slice(0, 40), contrast: (light + 0.05) / (dark + 0.05)});
  }
  return found;
}
"""
# Returns the tables of the page that are wider than the box that holds them (which scrolls, or cuts them off).
WIDE_TABLES_SCRIPT = """
() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.getClientRects().length && t.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => { const f = t.closest('figure'); return (f && f.id) || t.id || t.innerText.slice(0, 40); })
"""
# Returns the printed outputs (streams) a reader sees without opening anything.
VISIBLE_LOGS_SCRIPT = """
() => Array.from(document.querySelectorAll('main .output.stream, main .output.text_plain pre'))
  .filter(o => o.getClientRects().length && !o.closest('details:not([open])'))
  .map(o => o.innerText.trim().split('\\n')[0].slice(0, 60))
"""
COLOUR_SCHEMES = ("light", "dark")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging each request."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextlib.contextmanager
def serve(folder: pathlib.Path):
    """Serve a folder on 127.0.0.1 and yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class IdCollector(html.parser.HTMLParser):
    """Collect every id an HTML file defines."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        """Note the id of each element."""
        self.ids.update(value for name, value in attrs if name == "id" and value)


@functools.lru_cache(maxsize=None)
def ids_of(path: pathlib.Path) -> frozenset[str]:
    """Return the ids defined in one HTML file of the site."""
    collector = IdCollector()
    collector.feed(path.read_text(errors="replace"))
    return frozenset(collector.ids)


def broken_links(site: pathlib.Path, page_name: str, hrefs: list[str]) -> list[str]:
    """Return the internal links of a page that lead to no file, or to no element of their anchor."""
    problems = []
    page_path = site / page_name
    for href in hrefs:
        parts = urllib.parse.urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = page_path if not parts.path else (page_path.parent / urllib.parse.unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"{page_name}: link to a missing page: {href}")
        elif parts.fragment and target.suffix == ".html" and urllib.parse.unquote(parts.fragment) not in ids_of(target):
            problems.append(f"{page_name}: link to a missing anchor: {href}")
    return problems


def launch_problems(page_name: str, launch_links: list[str], checkout: pathlib.Path, repository_set: bool = True) -> list[str]:
    """Return what is wrong with a notebook page's Binder and Colab links: none where no repository is set, the page's notebook where one is."""
    if not repository_set:
        return [f"{page_name}: a launch link, though _config.yml sets no repository: {link}" for link in launch_links]
    expected = f"notebooks/{pathlib.Path(page_name).stem}.ipynb"
    problems = []
    for host in LAUNCH_HOSTS:
        links = [link for link in launch_links if host in link]
        if not links:
            problems.append(f"{page_name}: no launch link to {host}")
        for link in links:
            named = re.search(r"(?:/tree|/blob/[^/]+)/([\w./-]+\.ipynb)", urllib.parse.unquote(link))
            if named is None or named.group(1) != expected:
                problems.append(f"{page_name}: the {host} link does not open {expected}: {link}")
            elif not (checkout / named.group(1)).is_file():
                problems.append(f"{page_name}: the {host} link opens {named.group(1)}, which the checkout lacks")
    return problems


def text_problems(page_name: str, text: str) -> list[str]:
    """Return the machine paths, raw reprs, host names and plumbing that a page's text shows."""
    problems = [f"{page_name}: shows a path of the build machine: {match}" for match in sorted(set(MACHINE_PATH.findall(text)))]
    problems += [f"{page_name}: shows a raw repr: {match}" for match in sorted(set(RAW_REPR.findall(text)))]
    problems += [f"{page_name}: shows a host name: {match}" for match in sorted(set(HOST_NAME.findall(text)))]
    problems += [f"{page_name}: shows plumbing: {match}" for match in sorted(set(PLUMBING.findall(text)))]
    return problems


def layout_problems(page, page_name: str, scheme: str) -> list[str]:
    """Return the visible logs, tables wider than the column and low-contrast text of the open page."""
    problems = [f"{page_name}: shows a training log or printed output: {line!r}" for line in page.evaluate(VISIBLE_LOGS_SCRIPT)]
    problems += [f"{page_name}: a table wider than the page's column: {which}" for which in page.evaluate(WIDE_TABLES_SCRIPT)]
    low = [item for item in page.evaluate(CONTRAST_SCRIPT, CONTRAST_SELECTOR) if item["contrast"] < MINIMUM_CONTRAST]
    problems += [f"{page_name}: text with contrast {item['contrast']:.1f}:1 in {scheme} mode: {item['text']!r}" for item in low]
    return problems


def repository_is_set(checkout: pathlib.Path) -> bool:
    """Return whether the checkout's _config.yml sets the repository's address."""
    import yaml

    config = checkout / "_config.yml"
    settings = yaml.safe_load(config.read_text()) if config.is_file() else {}
    return bool((settings.get("repository") or {}).get("url"))


def read_page(page, url: str, name: str, has_figures: bool, site: pathlib.Path, checkout: pathlib.Path, scheme: str, repository_set: bool) -> list[str]:
    """Return the problems a reader would see on one page."""
    page.goto(url + name, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    problems = []
    images = page.evaluate(
        "Array.from(document.querySelectorAll('main img')).map(i => ({src: i.getAttribute('src'),"
        " alt: i.getAttribute('alt') || '', loaded: i.complete && i.naturalWidth > 0}))"
    )
    for image in images:
        if not image["loaded"]:
            problems.append(f"{name}: image did not load: {image['src']}")
        if not image["alt"].strip() or IMAGE_FILE_NAME.match(image["alt"].strip()):
            problems.append(f"{name}: image without alt text that says what it shows: {image['src']}")
    if has_figures and not images:
        problems.append(f"{name}: shows no figure")
    unnumbered = page.evaluate(
        "Array.from(document.querySelectorAll('main figure')).filter(f => !f.querySelector('.caption-number'))"
        ".map(f => f.id || f.className)"
    )
    problems += [f"{name}: a figure or table without a number: {which}" for which in unnumbered]
    if page.locator(".output.error, .output.traceback").count():
        problems.append(f"{name}: shows an error output")
    text = page.inner_text("main")
    if "Summary" not in text:
        problems.append(f"{name}: has no summary")
    problems += text_problems(name, text)
    problems += layout_problems(page, name, scheme)
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    problems += broken_links(site, name, hrefs)
    if name.startswith("notebooks/"):
        if not any(href.endswith(".ipynb") and "_sources" in href for href in hrefs):
            problems.append(f"{name}: offers no download of its executed notebook")
        launch_links = [href for href in hrefs if any(host in href for host in LAUNCH_HOSTS)]
        problems += launch_problems(name, launch_links, checkout, repository_set)
    return problems


def table_one_problems(page) -> list[str]:
    """Return what is missing from Table I on the experiment page (the page must be open)."""
    tables = page.locator("table").all_inner_texts()
    table_one = next((text for text in tables if "paper" in text and "ours" in text), None)
    if table_one is None:
        return [f"{RESULTS_PAGE}: no table with both 'paper' and 'ours' columns"]
    problems = []
    if "91.21" not in table_one or "mean" not in table_one:
        problems.append(f"{RESULTS_PAGE}: Table I lacks the paper's fold 1 (91.21) or the mean row")
    if "The reproduction" not in page.inner_text("main"):
        problems.append(f"{RESULTS_PAGE}: no verdict")
    return problems


def check_site(
    site: pathlib.Path,
    screenshot: pathlib.Path,
    pages: dict[str, bool] | None = None,
    checkout: pathlib.Path = CHECKOUT,
    repository_set: bool | None = None,
) -> list[str]:
    """Return the problems a reader would see; save screenshots of every page, light and dark, beside `screenshot`.

    `repository_set` says whether the pages should have launch links; None reads it from the checkout's _config.yml.
    """
    from playwright.sync_api import sync_playwright

    pages = PAGES if pages is None else pages
    repository_set = repository_is_set(checkout) if repository_set is None else repository_set
    problems = []
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for scheme in COLOUR_SCHEMES:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for name, has_figures in pages.items():
                found = read_page(page, url, name, has_figures, site, checkout, scheme, repository_set)
                problems += [problem for problem in found if problem not in problems]
                page.screenshot(path=str(screenshot.parent / f"{pathlib.Path(name).stem}-{scheme}.png"), full_page=True)
            if RESULTS_PAGE in pages:
                page.goto(url + RESULTS_PAGE, wait_until="load", timeout=PAGE_TIMEOUT_MS)
                problems += [problem for problem in table_one_problems(page) if problem not in problems]
                if scheme == "light":
                    page.screenshot(path=str(screenshot), full_page=True)
            page.close()
        browser.close()
    return problems


def main() -> int:
    """Check the site named on the command line; return 1 if a reader would see a problem."""
    site, screenshot = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    problems = check_site(site, screenshot)
    for line in problems:
        print(f"site: {line}", file=sys.stderr)
    print(f"screenshots of every page, light and dark, saved in {screenshot.parent}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
