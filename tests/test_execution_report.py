"""The execution report reads executed notebooks: durations, parameters and the runs each page used."""

import json

import nbformat
import pytest

from fmnist.analysis import execution_report

USED = [
    {"run": "k5-e10-run", "source": "read from records/", "results": 5, "cpu": "AMD EPYC",
     "first_date": "2026-11-25T05:00:00+00:00", "last_date": "2026-11-25T06:00:00+00:00"},
]


def glue_output(name: str, value: object) -> nbformat.NotebookNode:
    """Return the output myst_nb.glue(name, value, display=False) leaves in a notebook."""
    return nbformat.v4.new_output(
        "display_data",
        data={execution_report.RECORD_PREFIX + "text/plain": repr(value)},
        metadata={"scrapbook": {"name": name, "mime_prefix": execution_report.RECORD_PREFIX}},
    )


def write_executed(folder, name, title, seconds, parameters, used):
    """Write an executed notebook as papermill leaves it, with a glued list of the runs it used."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nText."), nbformat.v4.new_code_cell("glue(...)")]
    notebook.cells[1].outputs = [glue_output("answer", 42), glue_output(execution_report.RESULTS_USED_KEY, json.dumps(used))]
    notebook.metadata["papermill"] = {
        "duration": seconds,
        "start_time": "2026-11-26T10:00:00.5+00:00",
        "parameters": parameters,
        "exception": None,
    }
    nbformat.write(notebook, folder / f"{name}.ipynb")


def test_pages_and_runs_are_read_off_the_executed_notebooks(tmp_path):
    write_executed(tmp_path, "01_data", "The data", 12.5, {}, [])
    write_executed(tmp_path, "03_experiment", "The experiment", 300.0, {"epochs": 2}, USED)
    write_executed(tmp_path, "11_execution", "Execution report", 1.0, {}, [])
    executed = execution_report.read_executed(tmp_path, leave_out="11_execution")
    pages = execution_report.pages_table(executed)
    assert list(pages.index) == ["The data", "The experiment"]
    assert pages.loc["The experiment", "run time (s)"] == 300.0
    assert pages.loc["The experiment", "parameters"] == "epochs = 2"
    assert pages.loc["The data", "parameters"] == "its defaults"
    assert pages.loc["The data", "started"] == "2026-11-26 10:00 UTC"
    runs = execution_report.results_table(executed)
    assert runs.loc[("The experiment", "k5-e10-run"), "source"] == "read from records/"
    assert runs.loc[("The experiment", "k5-e10-run"), "last result"] == "2026-11-25"
    assert len(runs) == 1


def test_glued_values_read_back_as_python_values(tmp_path):
    write_executed(tmp_path, "01_data", "The data", 1.0, {}, USED)
    notebook = json.loads((tmp_path / "01_data.ipynb").read_text())
    assert execution_report.glued(notebook, "answer") == 42
    assert execution_report.glued(notebook, "missing") is None


def test_a_folder_without_executed_notebooks_says_how_to_make_them(tmp_path):
    with pytest.raises(ValueError, match="run `make notebooks` first"):
        execution_report.read_executed(tmp_path / "nothing")


def test_the_records_check_reads_yes_or_no():
    rows = [{"config": "k5", "result": "fold-1", "recorded": 90.84, "recomputed": 90.84, "difference": 0.0,
             "tolerance": 0.25, "recorded_on": "2026-11-26", "same_processor": True, "matches": True}]
    table = execution_report.records_check_table(rows)
    assert table.loc[("k5", "fold-1"), "matches"] == "yes"
    assert table.loc[("k5", "fold-1"), "same processor kind"] == "yes"


def test_the_frozen_environment_lists_installed_distributions():
    frozen = execution_report.frozen_environment().splitlines()
    assert any(line.startswith("pandas==") for line in frozen)
    assert frozen == sorted(frozen, key=str.lower)


def test_the_environment_file_is_readable_by_all(tmp_path):
    path = execution_report.write_environment(tmp_path)
    assert path.stat().st_mode & 0o044 == 0o044
    assert "pandas==" in path.read_text()
