"""Open the built book in headless Chromium and check what a reader sees.

Serves the site from a local HTTP server on 127.0.0.1, opens the experiment page,
checks that Table I shows both the paper's and our numbers and that every image
has loaded, and saves a screenshot. Usage:

    python scripts/check_site.py _build/html build/screenshots/experiment.png
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import pathlib
import sys
import threading

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
# Each page, and whether it shows figures.
PAGES = {
    "build/notebooks/01_data.html": True,
    "build/notebooks/02_method.html": True,
    "build/notebooks/03_experiment.html": True,
    "build/notebooks/04_report.html": False,
    "build/notebooks/05_noise.html": True,
    "build/notebooks/06_test_set.html": True,
    "build/notebooks/07_filters_padding.html": True,
    "build/notebooks/08_sweep.html": True,
    "build/notebooks/09_better_cnn.html": True,
    "build/notebooks/10_speed.html": False,
}
RESULTS_PAGE = "build/notebooks/03_experiment.html"
PAGE_TIMEOUT_MS = 30_000


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


def check_site(site: pathlib.Path, screenshot: pathlib.Path) -> list[str]:
    """Return the problems a reader would see; save a screenshot of the results page."""
    from playwright.sync_api import sync_playwright

    problems = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, has_figures in PAGES.items():
            page.goto(url + name, wait_until="load", timeout=PAGE_TIMEOUT_MS)
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
            problems += [f"{name}: image did not load: {src}" for src in broken]
            if has_figures and page.locator("main img").count() == 0:
                problems.append(f"{name}: shows no figure")
            if page.locator(".output.error, .output.traceback").count():
                problems.append(f"{name}: shows an error output")
            if "Summary" not in page.inner_text("main"):
                problems.append(f"{name}: has no summary")
        page.goto(url + RESULTS_PAGE, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        tables = page.locator("table").all_inner_texts()
        table_one = next((text for text in tables if "paper" in text and "ours" in text), None)
        if table_one is None:
            problems.append(f"{RESULTS_PAGE}: no table with both 'paper' and 'ours' columns")
        elif "91.21" not in table_one or "mean" not in table_one:
            problems.append(f"{RESULTS_PAGE}: Table I lacks the paper's fold 1 (91.21) or the mean row")
        if "The reproduction" not in page.inner_text("main"):
            problems.append(f"{RESULTS_PAGE}: no verdict")
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return problems


def main() -> int:
    """Check the site named on the command line; return 1 if a reader would see a problem."""
    site, screenshot = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    problems = check_site(site, screenshot)
    for line in problems:
        print(f"site: {line}", file=sys.stderr)
    print(f"screenshot of {RESULTS_PAGE} saved to {screenshot}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
