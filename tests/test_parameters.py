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
