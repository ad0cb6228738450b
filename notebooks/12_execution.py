# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Execution report
#
# *Before this page: none; this page is for readers who rerun the book. Reading time: about READING_MINUTES minutes.*
#
# Every page of this book is a notebook that papermill executed before the book was built.
# This page reads those executed notebooks back and reports, for each, how long it ran and
# with which parameters, and every saved run it used: computed in this build, computed
# earlier by the same code, or read from `records/`, with the processor and date that made
# it. It then sets the runs this build recomputed beside their records, as `make
# check-records` does, and offers the exact environment of the build for download.

# %% tags=["remove-cell"]
# Setup: the fmnist package comes from `make install` in a clone of the project (open the
# notebooks with `make lab`). Once _config.yml names the project's repository, this cell
# also installs it where it is missing (Colab, Binder) and fetches the data.
import importlib.util

if importlib.util.find_spec("fmnist") is None:
    raise ModuleNotFoundError("the fmnist package is not installed: run `make install` in a clone of the project and open the notebooks with `make lab`")

# %% tags=["parameters"]
# Folder of the executed notebooks, relative to notebooks/ (where papermill runs them).
executed_dir = "../book/notebooks"
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Records folder; None is $FMNIST_RECORDS_DIR, else records/ of the checkout.
records_dir = None

# %% tags=["remove-cell"]
from IPython.display import Markdown, display
from myst_nb import glue

from fmnist import lockfile, page, parameters, provenance, record_checks
from fmnist.analysis import execution_report, noise_text

# A parameter this page does not take (a misspelt one, say) stops it here.
parameters.check_this_notebook()
# What later cells print (a run's progress) shows collapsed under one line; figures are drawn sharp.
page.start()

executed = execution_report.read_executed(executed_dir, leave_out="12_execution")
pages = execution_report.pages_table(executed)
glue("num_pages", len(pages), display=False)
glue("total_minutes", float(pages["run time (s)"].sum()) / 60, display=False)

# %% [markdown]
# ## The pages
#
# The run time is the wall time papermill measured for the whole notebook; a page that
# reads its results back takes seconds, one that trains takes minutes.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-pages", "caption": "Each page's execution: when it started, how long it ran, the parameters papermill gave it and how many saved runs it used.\n\nMade by `fmnist.analysis.execution_report.pages_table` from the metadata papermill wrote into the executed notebooks."}}
pages.style.format({"run time (s)": "{:.1f}"})

# %% [markdown]
# The {glue:text}`num_pages` pages ran for {glue:text}`total_minutes:.1f` minutes in all.
#
# ## The runs each page used
#
# "trained in this run" is a run trained, in part or in whole, while its page executed;
# "computed earlier by this code" is a run the same code had already saved in the results
# folder; "read from records/" a run recorded once, with the processor and date shown.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-runs-used", "caption": "Every saved run each page used, where its numbers came from, and the processor and date of its results.\n\nMade by `fmnist.analysis.execution_report.results_table` from the list of saved runs each executed page keeps."}}
execution_report.results_table(executed).style

# %% [markdown]
# ## Recomputed runs against their records
#
# A run that this build computed again and that also has a record is set beside it. On the
# processor kind that recorded it a run repeats its numbers, so it must match within a small
# fixed tolerance; on another kind it is another random draw, held to the seed noise of a
# difference of two draws.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-records-check", "caption": "Each recomputed result beside its record, the tolerance it is held to and whether it matches.\n\nMade by `fmnist.analysis.execution_report.records_check_table` from `fmnist.record_checks.judged`, which reads `results/` and `records/`."}}
checked, note = record_checks.judged(results_dir, records_dir)
glue("num_checked", len(checked), display=False)
glue("num_matching", sum(row["matches"] for row in checked), display=False)
glue("library_line", execution_report.library_changes_text(checked), display=False)
glue("detection_line", noise_text.detection_text(checked) if checked else "", display=False)
if note:
    display(Markdown(note))
execution_report.records_check_table(checked).rename(
    columns={"difference (points)": "difference", "tolerance (points)": "tolerance", "same processor kind": "same kind"}
).style.format({"recorded (%)": "{:.2f}", "recomputed (%)": "{:.2f}", "difference": "{:+.2f}", "tolerance": "{:.2f}"})

# %% [markdown]
# Recomputed results that match their records: {glue:text}`num_matching` of
# {glue:text}`num_checked`. {glue:text}`detection_line` A match says only that the difference is below
# what its check catches. {glue:text}`library_line`
#
# ## The machine and the environment

# %% tags=["remove-cell"]
build = provenance.provenance()
lock = lockfile.summary()
book_version = provenance.package_version("jupyter-book")
glue("lock_line", execution_report.lock_text(lock), display=False)
glue("versions_line", execution_report.versions_text(build, book_version), display=False)

# %% [markdown]
# The project pins every package it installs, with the hashes of its files, in a lock that
# `make lock` writes from `pyproject.toml` and `make install` installs. This build installed
# {glue:text}`lock_line`. Its numbers were computed, and the book built, with
# {glue:text}`versions_line`.

# %% tags=["hide-input"] mystnb={"figure": {"name": "tbl-build-machine", "caption": "The machine, the lock and the library versions this page ran on.\n\nMade by `fmnist.analysis.execution_report.machine_table` from `fmnist.provenance.provenance` and `fmnist.lockfile.summary`."}}
execution_report.machine_table(build, lock, book_version)

# %% tags=["remove-input"]
frozen = execution_report.write_environment(executed_dir)
Markdown(f"Every Python distribution installed in this build, {len(frozen.read_text().splitlines())} of them, as `pip freeze` lists them:")

# %% [markdown]
# {download}`environment.txt <environment.txt>`.
#
# ## Rerunning the book
#
# From a clone of the repository, on Linux x86-64 with Python 3.11 (the one the lock, `requirements.txt`, pins every package for):
#
# ```bash
# make book        # install into .venv, get the data, run everything, build _build/html
# make test        # the fast tests, in minutes
# make test-all    # every test, then the book and its checks, as CI runs them
# ```
#
# Each page is a notebook that papermill can run with other parameters, for instance a
# quick run of 3 folds of 2 epochs on 5,000 images:
#
# ```bash
# .venv/bin/papermill --cwd notebooks notebooks/03_experiment.ipynb out.ipynb \
#     -p folds 3 -p epochs 2 -p subset 5000
# ```
#
# or in JupyterLab (`make lab`), where the paired `.py` files open as notebooks too. Each
# page has a download button for the notebook as this build executed it; where the book's
# settings name the project's repository, a launch button (the rocket at its top) opens the
# page's notebook in Binder or Colab too. The command line does the same work without
# notebooks:
#
# ```bash
# .venv/bin/fmnist cv --folds 5 --epochs 10     # the paper's settings; prints Table I
# .venv/bin/fmnist cv --help
# ```
#
# Results are saved under `results/`, one folder per configuration; a run with the same
# settings reads them back instead of training again.
#
# ## Summary
#
# - The {glue:text}`num_pages` pages ran for {glue:text}`total_minutes:.1f` minutes in all;
#   {numref}`tbl-pages` gives each one's time and parameters.
# - {numref}`tbl-runs-used` names every saved run each page used and whether it was
#   computed in this build or read from its record.
# - Results this build recomputed that match their records: {glue:text}`num_matching` of
#   {glue:text}`num_checked`.
# - The build installed {glue:text}`lock_line`, and ran {glue:text}`versions_line`.
