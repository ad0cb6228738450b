"""The notebooks and the book: hygiene, parameters, the whole pipeline and a real browser."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import unittest.mock

import nbformat
import papermill
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import check_notebooks  # noqa: E402  (scripts/ is not a package)
import execute_notebooks  # noqa: E402
import check_site  # noqa: E402

NOTEBOOKS = (
    "01_data",
    "02_method",
    "03_experiment",
    "04_report",
    "05_noise",
    "06_test_set",
    "07_filters_padding",
    "08_sweep",
    "09_better_cnn",
    "10_frontier",
    "11_speed",
    "12_execution",
)
TINY = {"folds": 2, "epochs": 1, "subset": 600}
# The long pages compute what a tiny run has no record of.
TINY_EXTRA = {
    "05_noise": {"seeds": "0-1", "keras2_seeds": "0-1", "keras3_seeds": "0-1", "recompute_keras2_folds": [], "compute_missing": True},
    "08_sweep": {"filters_list": [8, 16], "compute_missing": True},
    "09_better_cnn": {"compute_missing": True, "paper_epochs": TINY["epochs"], "ladder_epochs": TINY["epochs"], "longer_epochs": 2},
}
KERNEL = "python3"


def test_notebook_pairs_are_in_sync_without_outputs_and_parameterised():
    assert check_notebooks.problems() == []


def a_pair_in(folder: pathlib.Path, name: str = "02_method") -> pathlib.Path:
    """Copy one notebook pair and the jupytext settings into `folder`; return the .py."""
    folder.mkdir()
    for file_name in (f"{name}.ipynb", f"{name}.py", "jupytext.toml"):
        shutil.copy2(ROOT / "notebooks" / file_name, folder / file_name)
    return folder / f"{name}.py"


def test_the_pair_check_passes_when_only_the_jupytext_version_differs(tmp_path):
    script = a_pair_in(tmp_path / "notebooks")
    header = "#       format_version: '1.3'\n"
    assert header in script.read_text()
    script.write_text(script.read_text().replace(header, header + "#       jupytext_version: 9.99.0\n"))
    assert check_notebooks.problems(tmp_path / "notebooks") == []


def test_the_pair_check_fails_when_a_cell_differs(tmp_path):
    script = a_pair_in(tmp_path / "notebooks")
    text = script.read_text()
    script.write_text(text.replace("# %% [markdown]\n# # ", "# %% [markdown]\n# # Changed: ", 1))
    assert check_notebooks.problems(tmp_path / "notebooks") == [
        "02_method.ipynb is not in sync with its pair: run `jupytext --sync notebooks/*.py`"
    ]


def test_jupytext_writes_no_version_into_a_pair(tmp_path):
    script = a_pair_in(tmp_path / "notebooks")
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(script)], check=True)
    notebook = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    assert "jupytext_version:" not in script.read_text()
    assert "jupytext_version" not in notebook.metadata["jupytext"].get("text_representation", {})


def test_each_notebook_is_given_only_the_parameters_it_declares(tmp_path, monkeypatch):
    runs = []
    monkeypatch.setattr(execute_notebooks.papermill, "execute_notebook", lambda source, target, parameters, **options: runs.append((pathlib.Path(source).stem, parameters)) or shutil.copy(source, target))
    execute_notebooks.execute(["01_data", "02_method"], tmp_path, {"filters": 8, "data_dir": "/data"}, extra={"02_method": {"padding": "same"}})
    assert runs == [("01_data", {"data_dir": "/data"}), ("02_method", {"filters": 8, "padding": "same"})]


def test_the_execution_report_is_told_where_the_other_notebooks_were_executed(tmp_path, monkeypatch):
    runs = []
    monkeypatch.setattr(execute_notebooks.papermill, "execute_notebook", lambda source, target, parameters, **options: runs.append(parameters) or shutil.copy(source, target))
    execute_notebooks.execute(["12_execution"], tmp_path / "executed", {})
    executed_dir = runs[0]["executed_dir"]
    assert not pathlib.Path(executed_dir).is_absolute()
    assert (execute_notebooks.NOTEBOOKS / executed_dir).resolve() == (tmp_path / "executed").resolve()


def test_a_parameter_no_notebook_declares_stops_the_build_before_it_runs(tmp_path, capsys):
    assert execute_notebooks.main([str(tmp_path), "01_data", "03_experiment", "-p", "epoch", "3"]) == 1
    assert "no notebook takes the parameter(s) epoch" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_parameter_values_are_read_as_papermill_reads_them():
    assert [execute_notebooks.parse_value(text) for text in ("True", "None", "3", "0.5", "0-9")] == [True, None, 3, 0.5, "0-9"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_sets_itself_up_then_checks_its_parameters_in_its_first_cells(name):
    cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
    code = [cell for cell in cells if cell.cell_type == "code"]
    assert code[0].source.strip() == check_notebooks.setup_cell().strip()
    assert "parameters" in code[1].metadata.get("tags", [])
    assert "parameters.check_this_notebook()" in code[2].source


def test_the_setup_cell_installs_from_the_repository_the_settings_name_and_nothing_without_one(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text('repository:\n  url: ""\n  branch: main\n')
    assert check_notebooks.repository(config) == (None, "main")
    without = check_notebooks.setup_cell(config)
    assert "make install" in without and "pip" not in without and "REPOSITORY" not in without
    config.write_text("repository:\n  url: https://github.com/someone/fmnist\n  branch: trunk\n")
    cell = check_notebooks.setup_cell(config)
    assert "REPOSITORY = 'https://github.com/someone/fmnist'" in cell and "@trunk" in cell
    namespace = {}
    exec(without, namespace)  # fmnist is installed here: the cell does nothing
    missing = {"importlib": __import__("importlib")}
    with unittest.mock.patch("importlib.util.find_spec", return_value=None), pytest.raises(ModuleNotFoundError, match="run `make install`"):
        exec(without, missing)


def test_a_notebook_whose_setup_cell_names_another_repository_is_reported(tmp_path):
    script = a_pair_in(tmp_path / "notebooks")
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/someone/fmnist\n")
    assert any("is not the setup cell" in line for line in check_notebooks.problems(tmp_path / "notebooks", config))
    check_notebooks.write_setup_cells(tmp_path / "notebooks", config)
    assert check_notebooks.problems(tmp_path / "notebooks", config) == []
    assert "someone/fmnist" in script.read_text()


def test_a_built_page_hides_the_parameters_cells_and_shows_the_values_it_ran_with():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A page"),
        nbformat.v4.new_code_cell("# Epochs.\nepochs = 10\n# Results folder; None is $FMNIST_RESULTS_DIR.\nresults_dir = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("# Parameters\nepochs = 2\nresults_dir = '/tmp/x'\n", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("print(epochs)"),
    ]
    cells = execute_notebooks.for_the_page(notebook).cells
    assert "remove-cell" in cells[1].metadata.tags and "remove-cell" in cells[2].metadata.tags
    assert cells[3].source == "# Epochs.\nepochs = 2" and cells[3].metadata.tags == [execute_notebooks.PAGE_PARAMETERS]
    assert cells[4].source == "print(epochs)"


def test_a_cell_added_to_a_script_is_reported_out_of_sync(tmp_path):
    script = a_pair_in(tmp_path / "notebooks")
    script.write_text(script.read_text() + "\n# %%\nprint('new cell')\n")
    assert any("not in sync" in line for line in check_notebooks.problems(tmp_path / "notebooks"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "notebook, parameters, message",
    [
        ("03_experiment", {"epochs": 0}, "epochs must be an integer >= 1"),
        ("03_experiment", {"padding": "full"}, "padding must be one of valid, same"),
        ("04_report", {"folds": 1}, "folds must be an integer >= 2"),
        ("05_noise", {"seeds": "0-x"}, "seeds must be a comma-separated list"),
        ("05_noise", {"keras2_seeds": "4-1"}, "runs backwards"),
        ("05_noise", {"epochs": 10, "folds": 3, "subset": 900}, "a spread needs at least 2"),
        ("02_method", {"filters": -3}, "filters must be an integer >= 1"),
        ("01_data", {"data_dir": "/nonexistent"}, "apt-get install dataset-fashion-mnist"),
        ("06_test_set", {"num_pairs": 0}, "num_pairs must be an integer from 1 to 45"),
        ("07_filters_padding", {"padding": "full"}, "padding must be one of valid, same"),
        ("08_sweep", {"filters_list": [16, 0]}, "each of filters_list must be an integer >= 1"),
        ("08_sweep", {"filters_list": "16, 64"}, "filters_list must be a non-empty list"),
        ("09_better_cnn", {"epochs": 0}, "epochs must be an integer >= 1"),
        ("09_better_cnn", {"ladder_epochs": 0}, "ladder_epochs must be an integer >= 1"),
        ("09_better_cnn", {"final_seeds": "2-0"}, "runs backwards"),
        ("09_better_cnn", {"longer_epochs": 0}, "longer_epochs must be an integer >= 1"),
        ("10_frontier", {"frontier_report_path": "/nonexistent.json"}, "run `python benchmarks/frontier_speed.py` first"),
        ("10_frontier", {"screening_report_path": "/nonexistent.json"}, "run `python benchmarks/frontier_speed.py --screening` first"),
        ("10_frontier", {"budgets": "10"}, "unknown parameter(s) budgets: this notebook takes compute_missing, data_dir, frontier_report_path"),
        ("11_speed", {"report_path": "/nonexistent.json"}, "run `python benchmarks/train_speed.py` first"),
        ("11_speed", {"epoch_report_path": "/nonexistent.json"}, "run `python benchmarks/epoch_speed.py` first"),
        ("11_speed", {"cluster_report_path": "/nonexistent.json"}, "run `python benchmarks/cluster_speed.py` first"),
        ("03_experiment", {"scheduler": "tcp://127.0.0.1:1"}, "no Dask scheduler answers at tcp://127.0.0.1:1"),
        ("03_experiment", {"epoch": 3}, "unknown parameter(s) epoch: this notebook takes batch_size, data_dir, epochs"),
        ("11_speed", {"no_such_parameter": 1}, "unknown parameter(s) no_such_parameter: this notebook takes cluster_report_path"),
    ],
)
def test_bad_parameter_fails_in_the_first_cells_with_one_message(tmp_path, notebook, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / f"{notebook}.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters=parameters,
            cwd=str(ROOT / "notebooks"),
            kernel_name=KERNEL,
            progress_bar=False,
        )
    assert message in caught.value.evalue
    # The cells before it: markdown, setup, parameters, injected parameters, then the first code cell.
    assert caught.value.cell_index <= 4


def build_book(tmp_path: pathlib.Path, parameters: dict) -> pathlib.Path:
    """Run the whole pipeline on a copy of the book's sources; return the site's folder."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    # The pages around the notebooks; this build executes its own notebooks into book/notebooks.
    shutil.copytree(ROOT / "book", tmp_path / "book", ignore=shutil.ignore_patterns("notebooks"))
    executed = tmp_path / "book" / "notebooks"
    execute_notebooks.execute(list(NOTEBOOKS), executed, parameters, extra=TINY_EXTRA)
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    # As `make book` builds it: book/ is the source, the settings at the root.
    build = subprocess.run(
        [
            str(jupyter_book), "build", str(tmp_path / "book"), "--config", str(tmp_path / "_config.yml"),
            "--toc", str(tmp_path / "_toc.yml"), "--path-output", str(tmp_path), "-W", "-n", "--keep-going",
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    assert "warning" not in build.stderr.lower(), build.stderr[-4000:]
    return tmp_path / "_build" / "html"


@pytest.mark.slow
@pytest.mark.pipeline
def test_tiny_pipeline_builds_a_book_a_browser_can_read(tmp_path, monkeypatch):
    monkeypatch.setenv("FMNIST_RESULTS_DIR", str(tmp_path / "results"))
    # The results folder comes from the environment, so that no parameter shows a machine's path.
    site = build_book(tmp_path, TINY)
    experiment = (site / check_site.RESULTS_PAGE).read_text()
    assert "91.21" in experiment and "The reproduction" in experiment
    screenshot = ROOT / "build" / "screenshots" / "experiment-tiny.png"
    assert check_site.check_site(site, screenshot) == []
    assert screenshot.stat().st_size > 0
