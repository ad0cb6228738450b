"""Property-based tests (Hypothesis): any combination of the command line's options starts the run, or stops it with one line that names an option the user gave."""

from __future__ import annotations

import argparse
import contextlib
import io
import pathlib
import re
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmnist import cli
from fmnist.data import fashion_mnist

# The commands that train; `table`, `data` and `check-records` read what is there.
COMMANDS = ("cv", "test", "sweep", "seeds", "ablation", "ladder")
# Options that point elsewhere rather than set the run: each test gives its own results folder.
NOT_GENERATED = {"--help", "--results", "--data-dir", "--scheduler", "--record", "--records"}
EXAMPLES_PER_COMMAND = 150


class Started(BaseException):
    """The command got past its checks and went for the data: the run would start."""


def subparser(command: str) -> argparse.ArgumentParser:
    """Return the parser of one `fmnist` command."""
    parser = cli.build_parser()
    (commands,) = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return commands.choices[command]


def generated_options(command: str) -> list[argparse.Action]:
    """Return the options of a command that the tests generate values for."""
    return [
        action for action in subparser(command)._actions
        if action.option_strings and action.dest != "help" and action.option_strings[0] not in NOT_GENERATED
    ]


def value_strategy(action: argparse.Action) -> st.SearchStrategy[list[str]]:
    """Return a strategy for the words that follow one option: valid values, values out of range and words of the wrong kind."""
    if action.nargs == 0:
        return st.just([])
    wrong_kind = st.sampled_from(["abc", "", "1.5.2", "-"])
    if action.type is int or action.type is cli.positive_int:
        one = st.one_of(st.integers(-3, 12).map(str), st.integers(13, 70_000).map(str), wrong_kind)
    elif action.type is float:
        one = st.one_of(st.floats(-1.0, 2.0, allow_nan=False).map(lambda value: f"{value:.3g}"), st.sampled_from(["nan", "inf"]), wrong_kind)
    elif action.dest in ("seeds", "final_seeds"):
        one = st.sampled_from(["0", "0-2", "1,3", "3-1", "-1", "a-b", "0-99999", ""])
    else:
        one = st.one_of(st.sampled_from(["valid", "same", "constant", "cosine", "warmup-cosine", "dense", "pooled", "fmnist", "keras2-fit", "keras3-fit"]), wrong_kind)
    if action.nargs == "+":
        return st.lists(one, min_size=1, max_size=3)
    return one.map(lambda word: [word])


@st.composite
def command_lines(draw, command: str) -> tuple[list[str], list[str]]:
    """Draw a command line of `command`: some of its options, each with a value; return it and the options given."""
    chosen = draw(st.lists(st.sampled_from(generated_options(command)), max_size=5, unique_by=lambda action: action.dest))
    argv, given = [command], []
    for action in chosen:
        argv += [action.option_strings[0], *draw(value_strategy(action))]
        given.append(action.option_strings[0])
    return argv, given


def names_of(option: str) -> tuple[str, str]:
    """Return the ways a message may name an option: `--batch-size` and `batch_size`."""
    return option, option.removeprefix("--").replace("-", "_")


def run_until_started(argv: list[str], results: str, monkeypatch) -> tuple[str, int | None]:
    """Run `fmnist ARGV` until it would load the data; return its standard error and its exit status (None if it started)."""
    def start(*args, **kwargs):
        raise Started()

    monkeypatch.setattr(fashion_mnist, "load", start)
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = cli.main([*argv, "--results", results])
        except Started:
            return errors.getvalue(), None
        except SystemExit as stopped:
            status = stopped.code
    return errors.getvalue(), status


@pytest.mark.parametrize("command", COMMANDS)
def test_any_options_start_the_run_or_stop_it_naming_an_option_the_user_gave(command, monkeypatch):
    results = tempfile.mkdtemp(prefix="fmnist-properties-")

    @settings(max_examples=EXAMPLES_PER_COMMAND, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(command_lines(command))
    def check(line: tuple[list[str], list[str]]) -> None:
        argv, given_options = line
        errors, status = run_until_started(argv, results, monkeypatch)
        if status in (None, 0):
            return  # It started, or had nothing to do and said so.
        assert status in (cli.EXIT_USAGE, cli.EXIT_FAILURE), (argv, status, errors)
        lines = [text for text in errors.splitlines() if text.strip() and not text.startswith("usage:") and not text.startswith(" ")]
        assert len(lines) == 1, (argv, errors)
        assert "Traceback" not in errors
        named = [option for option in given_options if any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", lines[0]) for name in names_of(option))]
        assert named, f"{' '.join(argv)}: {lines[0]}"

    check()


# The notebooks' parameters: the same property, for the values papermill injects. A page's
# first code cell after its parameters checks them; it is run here in this process with the
# first piece of real work (loading data, reading saved runs) replaced by `Started`.
NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK_NAMES = sorted(path.stem for path in NOTEBOOKS.glob("*.py"))
# Parameters that point at folders, files or a scheduler rather than set the page.
WHERE = ("_dir", "_path", "scheduler")
WORDS = ["valid", "same", "recorded", "0", "0-2", "3-1", "1,3", "constant", "abc", "", "-1"]
EXAMPLES_PER_NOTEBOOK = 60


def first_cells(name: str) -> tuple[str, str]:
    """Return the source of a notebook's parameters cell and of the code cell after it, which checks them."""
    import jupytext

    code = [cell for cell in jupytext.read(NOTEBOOKS / f"{name}.py").cells if cell.cell_type == "code"]
    return code[0].source, code[1].source


def parameter_defaults(source: str) -> dict[str, object]:
    """Return the parameters a parameters cell declares, with their default values."""
    import ast

    defaults = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
    return defaults


def parameter_value(default: object) -> st.SearchStrategy:
    """Return a strategy for values papermill could inject in place of a default: right and wrong kinds, in and out of range."""
    numbers = st.one_of(st.integers(-2, 70_000), st.floats(-1.0, 2.0, allow_nan=False))
    words = st.sampled_from(WORDS)
    if isinstance(default, bool):
        return st.one_of(st.booleans(), numbers, words)
    if isinstance(default, list):
        return st.one_of(st.lists(st.one_of(st.integers(-2, 256), words), max_size=3), numbers, words)
    return st.one_of(numbers, words, st.none(), st.booleans())


@st.composite
def injected_parameters(draw, defaults: dict[str, object]) -> dict[str, object]:
    """Draw some of a notebook's parameters (not its folders) with values papermill could inject."""
    names = [name for name in defaults if not name.endswith(WHERE)]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)) if names else []
    return {name: draw(parameter_value(defaults[name])) for name in chosen}


def started_at_the_first_work(monkeypatch) -> None:
    """Replace each notebook's first piece of real work with raising `Started`."""
    from fmnist.analysis import execution_report, speed
    from fmnist.engine import model
    from fmnist.experiments import runs, seeds
    from fmnist.store import records

    def start(*args, **kwargs):
        raise Started()

    for module, name in [(fashion_mnist, "load"), (records, "find"), (runs, "obtain"), (seeds, "find_runs"),
                         (speed, "read_report"), (execution_report, "read_executed"), (model, "build_model")]:
        monkeypatch.setattr(module, name, start)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_any_parameters_start_a_page_or_stop_it_naming_a_parameter_the_user_gave(name, monkeypatch):
    parameters_cell, checking_cell = first_cells(name)
    defaults = parameter_defaults(parameters_cell)
    started_at_the_first_work(monkeypatch)
    # Every run of the page here finds the cluster unset, and no results of its own.
    monkeypatch.delenv("FMNIST_SCHEDULER", raising=False)
    monkeypatch.setenv("FMNIST_RESULTS_DIR", tempfile.mkdtemp(prefix="fmnist-properties-"))

    @settings(max_examples=EXAMPLES_PER_NOTEBOOK, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(injected_parameters(defaults))
    def check(injected: dict[str, object]) -> None:
        namespace: dict[str, object] = {}
        exec(parameters_cell, namespace)
        namespace.update(injected)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(checking_cell, namespace)
        except Started:
            return
        except (ValueError, RuntimeError) as error:
            message = str(error).splitlines()[0]
            named = [parameter for parameter in injected if re.search(rf"(?<![\w-]){re.escape(parameter)}(?![\w-])", message)]
            assert named, f"{name} with {injected}: {type(error).__name__}: {message}"

    check()
