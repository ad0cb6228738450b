"""The check that the executed pages agree on every value they share (scripts/check_pages.py)."""

import importlib.util
import pathlib

import nbformat
import pytest

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "check_pages.py"
spec = importlib.util.spec_from_file_location("check_pages", SCRIPT)
check_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_pages)

# How `myst_nb.glue(name, value, display=False)` saves a value in an executed notebook.
PREFIX = "application/papermill.record/"


def page(folder, name, glued):
    """Write an executed notebook that glued these values (name -> plain-text form)."""
    outputs = [
        nbformat.v4.new_output("display_data", data={f"{PREFIX}text/plain": value}, metadata={"scrapbook": {"name": key, "mime_prefix": PREFIX}})
        for key, value in glued.items()
    ]
    cell = nbformat.v4.new_code_cell("glue(...)", outputs=outputs)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / f"{name}.ipynb")


def test_pages_that_show_one_quantity_with_one_value_agree(tmp_path, capsys):
    page(tmp_path, "03_experiment", {"ours_mean": "90.7935", "seed_verdict": "'consistent'"})
    page(tmp_path, "05_noise", {"ours_mean": "90.7935", "results_used": "'[1]'"})
    page(tmp_path, "08_sweep", {"results_used": "'[2]'"})
    assert check_pages.disagreements(tmp_path) == []
    assert check_pages.main(["check_pages.py", str(tmp_path)]) == 0
    assert "1 glued names shown on more than one page" in capsys.readouterr().out


def test_two_values_of_one_quantity_fail_naming_the_pages(tmp_path, capsys):
    page(tmp_path, "03_experiment", {"ours_low": "90.69"})
    page(tmp_path, "05_noise", {"ours_low": "90.65"})
    assert check_pages.disagreements(tmp_path) == ["ours_low: 03_experiment shows 90.69; 05_noise shows 90.65"]
    assert check_pages.main(["check_pages.py", str(tmp_path)]) == 1
    assert "pages disagree on ours_low" in capsys.readouterr().err


def test_an_empty_folder_says_how_to_make_the_pages(tmp_path):
    with pytest.raises(FileNotFoundError, match="make notebooks"):
        check_pages.disagreements(tmp_path)
