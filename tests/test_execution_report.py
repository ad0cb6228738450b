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
    write_executed(tmp_path, "12_execution", "Execution report", 1.0, {}, [])
    executed = execution_report.read_executed(tmp_path, leave_out="12_execution")
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
             "tolerance": 0.25, "recorded_on": "2026-11-26", "same_processor": True, "library_changes": [], "matches": True},
            {"config": "k5", "result": "fold-2", "recorded": 90.84, "recomputed": 91.00, "difference": 0.16,
             "tolerance": 0.25, "recorded_on": "2026-11-26", "same_processor": False,
             "library_changes": ["tensorflow 2.20.0 -> 2.21.0"], "matches": True}]
    table = execution_report.records_check_table(rows)
    assert table.loc[("k5", "fold-1"), "matches"] == "yes"
    assert table.loc[("k5", "fold-1"), "same processor kind"] == "yes"
    assert table.columns[-1] == "matches" and "library_changes" not in table.columns
    assert execution_report.library_changes_text(rows) == (
        "The library versions that differ from a record's (record -> this build) are k5: tensorflow 2.20.0 -> 2.21.0."
    )
    same = [{**row, "library_changes": []} for row in rows]
    assert execution_report.library_changes_text(same) == "Every recomputed result ran with the library versions of its record."


def test_the_frozen_environment_lists_installed_distributions():
    frozen = execution_report.frozen_environment().splitlines()
    assert any(line.startswith("pandas==") for line in frozen)
    assert frozen == sorted(frozen, key=str.lower)


def test_the_environment_file_is_readable_by_all(tmp_path):
    path = execution_report.write_environment(tmp_path)
    assert path.stat().st_mode & 0o044 == 0o044
    assert "pandas==" in path.read_text()


LOCK = {"file": "requirements.txt", "sha256": "0123456789ab", "date": "2026-12-06", "packages": 1198, "differing": []}
PROVENANCE = {
    "date": "2026-12-06T10:00:00+00:00", "cpu": "AMD EPYC", "cpu_kind": "AuthenticAMD family 25 model 1; avx2 fma",
    "cpu_count": 2, "platform": "Linux", "python": "3.11.7",
    "packages": {"fmnist": "0.1.0", "tensorflow": "2.21.0", "keras": "3.15.1", "tf_keras": None, "numpy": "2.4.6", "scikit-learn": "1.8.0"},
}


def test_the_lock_is_named_by_its_digest_and_date_and_the_install_said_to_match_it():
    assert execution_report.lock_text(LOCK) == (
        "requirements.txt (sha256 0123456789ab, committed 2026-12-06), 1,198 packages, every one installed at its locked version"
    )


def test_an_install_that_differs_from_the_lock_says_which_packages_and_counts_right_for_one():
    one = execution_report.lock_text({**LOCK, "date": None, "differing": ["numpy: locked 2.4.6, installed 2.5.0"]})
    assert one.endswith("1,198 packages; 1 installed at another version: numpy: locked 2.4.6, installed 2.5.0")
    assert "committed" not in one
    two = execution_report.lock_text({**LOCK, "differing": ["a: locked 1, installed 2", "b: locked 1, not installed"]})
    assert "; 2 installed at other versions: a: locked 1, installed 2; b: locked 1, not installed" in two
    assert execution_report.lock_text(None).startswith("no lock file")


def test_the_machine_table_names_the_lock_and_the_versions_that_built_the_book():
    table = execution_report.machine_table(PROVENANCE, LOCK, "1.0.4.post1")["this build"]
    assert (table["lock"], table["installed as locked"]) == ("requirements.txt, sha256 0123456789ab", "yes")
    differing = execution_report.machine_table(PROVENANCE, {**LOCK, "differing": ["a: locked 1, installed 2"]})["this build"]
    assert differing["installed as locked"] == "no: 1 differ"
    assert (table["tensorflow"], table["keras"], table["numpy"], table["jupyter-book"]) == ("2.21.0", "3.15.1", "2.4.6", "1.0.4.post1")
    assert table["tf_keras"] == "not installed"
    assert execution_report.versions_text(PROVENANCE, "1.0.4.post1") == "TensorFlow 2.21.0, Keras 3.15.1, NumPy 2.4.6, Jupyter Book 1.0.4.post1"
