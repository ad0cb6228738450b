"""The notebooks' parameters cells, which papermill needs, name CVConfig's settings with CVConfig's defaults."""

import dataclasses
import pathlib

import pytest

from fmnist import paper
from fmnist.config import CVConfig
from fmnist.experiments import better_cnn

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
SETTINGS = {field.name: field.default for field in dataclasses.fields(CVConfig)}
# Where a page's default is not CVConfig's, on purpose: what the page is about.
PAGE_DEFAULTS = {
    ("07_filters_padding", "padding"): "same",  # the page's default configuration is padding alone
    ("09_better_cnn", "epochs"): better_cnn.EPOCHS,  # every ablation step trains this long
}


def parameters(script: pathlib.Path) -> dict:
    """Return the values a notebook's parameters cell assigns, by running that cell alone."""
    cell = script.read_text().split('# %% tags=["parameters"]\n', 1)[1].split("\n# %%", 1)[0]
    values: dict = {}
    exec(cell, {}, values)
    return values


SCRIPTS = sorted(NOTEBOOKS.glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_every_setting_a_notebook_takes_has_the_default_of_cvconfig(script):
    values = parameters(script)
    for name, value in values.items():
        if name in SETTINGS:
            assert value == PAGE_DEFAULTS.get((script.stem, name), SETTINGS[name]), f"{script.stem}: {name} = {value!r}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_a_notebooks_settings_make_a_valid_config(script):
    CVConfig.from_namespace(parameters(script))


def test_the_page_defaults_that_differ_still_name_real_settings():
    assert {name for _, name in PAGE_DEFAULTS} <= set(SETTINGS)
    assert PAGE_DEFAULTS[("07_filters_padding", "padding")] in paper.PADDINGS


def test_the_experiment_pages_take_every_setting_of_the_paper():
    paper_settings = {"folds", "epochs", "batch_size", "learning_rate", "momentum", "filters", "padding", "seed", "subset"}
    for stem in ("03_experiment", "06_test_set", "07_filters_padding"):
        assert paper_settings <= set(parameters(NOTEBOOKS / f"{stem}.py")), stem
