"""Papermill's injected parameters are checked against the notebook's parameters cell."""

import pytest

from fmnist import parameters

DECLARED = "# The paper's settings.\nfolds = 5\nepochs = 10\nsubset: int | None = None\n"


def test_names_assigned_at_the_top_level_are_found():
    assert parameters.assigned_names(DECLARED + "if True:\n    hidden = 1\n") == {"folds", "epochs", "subset"}


def test_declared_parameters_pass():
    parameters.check_injected(["", DECLARED, "# Parameters\nepochs = 2\nsubset = 600\n", "import fmnist"])


def test_an_unknown_parameter_is_named_with_the_declared_ones():
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) epoch: this notebook takes epochs, folds, subset"):
        parameters.check_injected(["", DECLARED, "# Parameters\nepoch = 3\n"])


def test_a_notebook_run_by_hand_injects_nothing_to_check():
    parameters.check_injected(["", DECLARED, "import fmnist"])
    parameters.check_injected([])


PARAMETERS_CELL = """# The defaults are the paper's settings.
folds = 5
epochs = 10
# Results folder; None is $FMNIST_RESULTS_DIR, else results/ of the checkout.
results_dir = None
# Address of a Dask scheduler whose workers train (tcp://host:8786); None is
# $FMNIST_SCHEDULER if set, else this machine.
scheduler = None
seeds = "0-9"
"""


def test_a_page_shows_the_values_it_ran_with_and_no_plumbing():
    injected = '# Parameters\nepochs = 2\nresults_dir = "/tmp/elsewhere"\n'
    shown = parameters.page_source(PARAMETERS_CELL, injected)
    assert shown == "# The defaults are the paper's settings.\nfolds = 5\nepochs = 2\nseeds = \"0-9\""
    for plumbing in ("results_dir", "scheduler", "FMNIST", "tcp://", "/tmp/elsewhere", "# Parameters"):
        assert plumbing not in shown


def test_a_page_run_with_its_defaults_shows_them():
    assert "epochs = 10" in parameters.page_source(PARAMETERS_CELL)
