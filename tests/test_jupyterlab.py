"""The path a reader takes in JupyterLab: open a page's notebook, run all its cells, see no error.

JupyterLab runs on 127.0.0.1 with a token, on a copy of notebooks/ (so nothing it saves
touches the checkout), and headless Chromium drives it as a person would: open the data
page, Run > Run All Cells, wait for every cell to finish.
"""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT / "scripts"))
import check_site  # noqa: E402

NOTEBOOK = "01_data.ipynb"
START_TIMEOUT_SECONDS = 90
RUN_TIMEOUT_SECONDS = 300

SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}

pytestmark = pytest.mark.slow


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """Start JupyterLab on a copy of the notebooks; yield its base URL and token; stop it."""
    root = tmp_path / "notebooks"
    shutil.copytree(CHECKOUT / "notebooks", root, ignore=shutil.ignore_patterns("*.py"))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        # Nothing outside 127.0.0.1: no news, no update check.
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    # Every cell rendered (no windowing), so that every prompt and output can be read; no news pop-up.
    settings = tmp_path / "lab-settings"
    for plugin, value in SETTINGS.items():
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / plugin).write_text(json.dumps(value))
    environment = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
                time.sleep(1)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_a_reader_runs_every_cell_of_the_data_page_in_jupyterlab(lab, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

    base, token = lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=check_site.CHROMIUM, args=check_site.CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # A fresh JupyterLab asks which kernel to start: the notebook's own, as a person would choose.
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        try:
            dialog.wait_for(timeout=15_000)
            dialog.click()
        except PlaywrightTimeout:
            pass
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        while True:
            prompts = [prompt.strip() for prompt in page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()]
            if prompts and all(prompt[1:2].isdigit() for prompt in prompts):
                break
            if time.monotonic() > deadline:
                page.screenshot(path=str(tmp_path / "lab.png"))
                pytest.fail(f"cells still running or never run: {prompts} (screenshot: {tmp_path / 'lab.png'})")
            time.sleep(1)
        outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
        images = page.locator(".jp-OutputArea-output img").count()
        browser.close()
    assert "Traceback" not in outputs and "Error" not in outputs, outputs[-3000:]
    assert "Fashion-MNIST verified" in outputs
    assert images >= 2
