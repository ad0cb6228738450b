"""The browser check reads pages as a reader would and reports what a reader would stumble on."""

import base64
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import check_site  # noqa: E402

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
GOOD = """<html><body><main>
<h1 id="top">A page</h1>
<figure id="fig-one"><img src="one.png" alt="A single grey pixel, standing for a chart.">
<figcaption><span class="caption-number">Figure 1 </span>A figure.</figcaption></figure>
<p>See <a href="#top">the top</a> and <a href="other.html#part">the other page</a>.</p>
<a href="../_sources/notebooks/good.ipynb">download</a>
<a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/good.ipynb">Binder</a>
<a href="https://colab.research.google.com/github/o/r/blob/main/notebooks/good.ipynb">Colab</a>
<h2>Summary</h2><p>All fine.</p>
</main></body></html>"""
BAD = """<html><body><main>
<figure id="fig-two"><img src="two.png" alt="two.png"><figcaption>No number.</figcaption></figure>
<img src="missing.png" alt="A picture that is not there.">
<p>Saved in /work/main/results/run, value np.int64(64), 9.132167e+01.</p>
<a href="nowhere.html">a broken link</a> <a href="other.html#gone">a broken anchor</a>
<a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/build/notebooks/bad.ipynb">Binder</a>
<div class="cell"><pre># Parameters
epochs = 2
# Results folder; None is $FMNIST_RESULTS_DIR.</pre></div>
<table><tr><th>Python</th><td>3.11</td></tr><tr><th>platform</th><td>Linux-6.18.44-fc-v1252-x86_64-with-glibc2.36</td></tr></table>
<div class="cell_output"><div class="output stream"><pre>fold 1 epoch 1/10 loss 0.51</pre></div></div>
<div class="cell_output"><details class="fmnist-log"><summary>Log (1 line)</summary><pre>hidden epoch line</pre></details></div>
<div style="width: 200px"><table><tr><td>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</td></tr></table></div>
<p style="color: #bbbbbb">Grey on white, hard to read.</p>
</main></body></html>"""


@pytest.fixture
def site(tmp_path):
    """Return a two-page site and the checkout it was built from."""
    pages = tmp_path / "site" / "notebooks"
    pages.mkdir(parents=True)
    (pages / "good.html").write_text(GOOD)
    (pages / "bad.html").write_text(BAD)
    (pages / "other.html").write_text('<html><body><main><p id="part">Other.</p><h2>Summary</h2></main></body></html>')
    for name in ("one.png", "two.png"):
        (pages / name).write_bytes(PIXEL)
    sources = tmp_path / "site" / "_sources" / "notebooks"
    sources.mkdir(parents=True)
    (sources / "good.ipynb").write_text("{}")
    checkout = tmp_path / "checkout"
    (checkout / "notebooks").mkdir(parents=True)
    (checkout / "notebooks" / "good.ipynb").write_text("{}")
    return tmp_path / "site", checkout


def check(site, checkout, tmp_path, name, repository_set=True):
    """Return the problems the browser check finds on one page."""
    pages = {f"notebooks/{name}.html": True}
    return check_site.check_site(site, tmp_path / "shots" / "page.png", pages=pages, checkout=checkout, repository_set=repository_set)


def test_a_clean_page_passes_and_is_photographed_light_and_dark(site, tmp_path):
    assert check(*site, tmp_path, "good") == []
    assert {path.name for path in (tmp_path / "shots").iterdir()} == {"good-light.png", "good-dark.png"}


def test_every_kind_of_problem_on_a_page_is_reported(site, tmp_path):
    problems = "\n".join(check(*site, tmp_path, "bad"))
    for expected in [
        "image did not load: missing.png",
        "image without alt text that says what it shows: two.png",
        "a figure or table without a number: fig-two",
        "shows a path of the build machine: /work/main",
        "shows a raw repr: np.int64(",
        "shows a raw repr: 9.132167e+01",
        "link to a missing page: nowhere.html",
        "link to a missing anchor: other.html#gone",
        "has no summary",
        "offers no download of its executed notebook",
        "no launch link to colab.research.google.com",
        "the mybinder.org link does not open notebooks/bad.ipynb",
        "shows a host name: Linux-6.18.44-fc-v1252-x86_64-with-glibc2.36",
        "shows plumbing: # Parameters",
        "shows plumbing: $FMNIST_RESULTS_DIR",
        "shows a training log or printed output: 'fold 1 epoch 1/10 loss 0.51'",
        "a table wider than the page's column: aaaa",
        "text with contrast 1.9:1 in light mode: 'Grey on white, hard to read.'",
        "text with contrast 1.9:1 in dark mode: 'Grey on white, hard to read.'",
    ]:
        assert expected in problems
    # A log collapsed under its summary line is one click away, not in view.
    assert "hidden epoch line" not in problems


def test_without_a_repository_a_page_must_have_no_launch_links(site, tmp_path):
    problems = check(*site, tmp_path, "good", repository_set=False)
    assert problems == [
        "notebooks/good.html: a launch link, though _config.yml sets no repository: https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/good.ipynb",
        "notebooks/good.html: a launch link, though _config.yml sets no repository: https://colab.research.google.com/github/o/r/blob/main/notebooks/good.ipynb",
    ]
