"""Each figure's alt text names only kinds of marks the figure draws: no "bars" where it draws lines.

The alt text lives in the notebook's cell metadata; the figure comes from its function in
`fmnist.analysis.figures`, drawn here from small made-up data of the shape the page
gives it. The kinds of marks are read from matplotlib's artists.
"""

from __future__ import annotations

import pathlib
import re

import jupytext
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import container, image, patches

from fmnist import CLASS_NAMES, budgets
from fmnist.analysis import ablation_results
from fmnist.config import CVConfig

matplotlib.use("Agg")

from fmnist.analysis import figures  # noqa: E402  (after choosing the backend)
from fmnist.experiments import better_cnn  # noqa: E402
from conftest import fold

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
# The words of an alt text that name a kind of mark, by kind ("error bars" is read before "bars").
KIND_WORDS = {
    "error bars": r"error bars?",
    "bars": r"\bbars?\b|bar chart",
    "lines": r"\blines?\b|\bcurves?\b",
    "points": r"\bdots?\b|\bpoints?\b|\bcircles?\b|\bsquares?\b|\bdiamonds?\b|\bmarkers?\b",
    "image": r"\bmatrix\b|\bphotographs?\b|\bgrayscale\b",
}


def alt_texts() -> dict[str, str]:
    """Return every figure's alt text in the notebooks, by figure name."""
    texts = {}
    for path in sorted(NOTEBOOKS.glob("*.py")):
        for cell in jupytext.read(path).cells:
            settings = cell.metadata.get("mystnb", {})
            if "figure" in settings and "image" in settings:
                texts[settings["figure"]["name"]] = settings["image"]["alt"]
    return texts


def named_kinds(alt: str) -> set[str]:
    """Return the kinds of marks an alt text names."""
    text, kinds = alt.lower(), set()
    for kind, pattern in KIND_WORDS.items():
        if re.search(pattern, text):
            kinds.add(kind)
            text = re.sub(pattern, "", text)
    return kinds


def drawn_kinds(figure) -> set[str]:
    """Return the kinds of marks a figure's axes draw, read from their artists."""
    kinds = set()
    for axis in figure.axes:
        if any(isinstance(item, container.ErrorbarContainer) for item in axis.containers):
            kinds.add("error bars")
        if any(isinstance(item, patches.Rectangle) and item.get_width() and item.get_height() for item in axis.patches):
            kinds.add("bars")
        for line in axis.lines:
            if line.get_linestyle() not in ("None", "", " ") and len(line.get_xdata()) >= 2:
                kinds.add("lines")
            if line.get_marker() not in ("None", "", " ", None):
                kinds.add("points")
        if axis.collections and any(type(item).__name__ == "PathCollection" for item in axis.collections):
            kinds.add("points")
        if any(isinstance(item, image.AxesImage) for item in axis.images):
            kinds.add("image")
    return kinds


def folds_with_history(num_folds: int = 5, num_epochs: int = 3) -> list:
    """Return made-up fold results with their per-epoch history."""
    rising = np.linspace(0.85, 0.9, num_epochs)
    history = {"accuracy": list(rising + 0.02), "val_accuracy": list(rising), "loss": list(1 - rising), "val_loss": list(1.05 - rising)}
    return [fold(fold_index=k, test_accuracy=rising[-1], history=history) for k in range(1, num_folds + 1)]


def ladder_steps() -> list:
    """Return two made-up steps of a walk, one kept and one dropped."""
    results = tuple(fold(test_accuracy=a, num_parameters=5, wall_seconds=120.0) for a in (0.92, 0.921))
    return [better_cnn.LadderStep("start", CVConfig(), results, True), better_cnn.LadderStep("+ a", CVConfig(), results, False)]


def seed_means() -> pd.DataFrame:
    """Return made-up Table I means of two arms at three seeds."""
    index = pd.MultiIndex.from_product([["fmnist", "keras2-fit"], [0, 1, 2]], names=["arm", "seed"])
    return pd.DataFrame({"held-out mean": [90.8, 90.9, 90.7, 90.6, 90.8, 90.9], "train mean": [95.6, 95.7, 95.5, 95.4, 95.6, 95.7]}, index=index)


def sweep_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return made-up difference intervals and a summary of a sweep of two paddings and two filter counts."""
    index = pd.MultiIndex.from_tuples([("same", 16), ("same", 64), ("valid", 16), ("valid", 64)], names=["padding", "filters"])
    intervals = pd.DataFrame({"mean difference": [0.4, 0.2, -0.1, 0.1], "95% low": [-0.1, -0.3, -0.6, -0.4], "95% high": [0.9, 0.7, 0.4, 0.6]}, index=index)
    summary = pd.DataFrame({"training minutes": [3.0, 9.0, 2.0, 7.0]}, index=index)
    return intervals, summary


def frontier_runs_table() -> pd.DataFrame:
    """Return made-up frontier runs: the 10-minute model at two seeds and the augmented CNN at one."""
    return pd.DataFrame(
        {
            "model": [budgets.FIRST_WALK_CNN, budgets.FIRST_WALK_CNN, budgets.AUGMENTED_CNN],
            "epochs": [20, 20, 60],
            "test accuracy": [93.0, 93.1, 93.6],
            "with flip averaging": [90.0, 90.2, 93.8],
        }
    )


FRONTIER_REPORT = {"models": [{"model": budgets.FIRST_WALK_CNN, "seconds_per_epoch": 26.0}, {"model": budgets.AUGMENTED_CNN, "seconds_per_epoch": 28.0}]}

FIGURES = {
    "fig-learning-curves": lambda: figures.cross_validation.learning_curves(folds_with_history()),
    "fig-folds-against-paper": lambda: figures.cross_validation.fold_accuracies_against_paper(
        pd.DataFrame({"Train Accuracy": [95.0] * 5, "Test Accuracy": [91.0] * 5}, index=range(1, 6))
    ),
    "fig-paired-folds": lambda: figures.sweep.paired_folds(pd.Series([91.0, 91.2], index=[1, 2]), pd.Series([90.8, 91.0], index=[1, 2]), "ours", "base"),
    "fig-sweep-accuracy": lambda: figures.sweep.sweep_accuracy(*sweep_frames()),
    "fig-ablation": lambda: figures.ablation.ablation(ablation_results.ladder_table(ladder_steps())),
    "fig-frontier": lambda: figures.frontier.frontier(frontier_runs_table(), FRONTIER_REPORT),
    "fig-ladder": lambda: figures.ablation.ladder(ladder_steps(), ablation_results.ladder_table(ladder_steps())),
    "fig-seed-strip": lambda: figures.noise.seed_strip(seed_means(), {"fmnist": "ours", "keras2-fit": "Keras 2"}),
    "fig-fold-boxes": lambda: figures.noise.fold_boxes(
        pd.DataFrame({"arm": "fmnist", "fold": [1, 1, 2, 2], "seed": [0, 1, 0, 1], "held-out": [90.5, 90.9, 91.0, 91.3]}), "fmnist"
    ),
    "fig-confusion": lambda: figures.test_set.confusion_matrix(pd.DataFrame(np.eye(10, dtype=int) * 900 + 10, index=CLASS_NAMES, columns=CLASS_NAMES)),
    "fig-class-balance": lambda: figures.data.class_balance(np.repeat(np.arange(10), 6), np.repeat(np.arange(10), 1)),
    "fig-samples": lambda: figures.data.sample_grid(np.zeros((20, 28, 28), dtype=np.uint8), np.repeat(np.arange(10), 2), per_class=2),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_alt_text_names_only_marks_the_figure_draws(name):
    alt = alt_texts()[name]
    drawn, named = drawn_kinds(FIGURES[name]()), named_kinds(alt)
    assert named, f"{name}: its alt text names no kind of mark: {alt!r}"
    assert named <= drawn, f"{name}: the alt text names {sorted(named - drawn)}, which the figure does not draw ({sorted(drawn)})"


def test_the_check_catches_bars_named_for_a_figure_of_points():
    figure = figures.cross_validation.fold_accuracies_against_paper(
        pd.DataFrame({"Train Accuracy": [95.0] * 5, "Test Accuracy": [91.0] * 5}, index=range(1, 6))
    )
    assert "bars" not in drawn_kinds(figure)
    assert named_kinds("Paired bars for folds 1 to 5") == {"bars"}
    assert named_kinds("points with error bars") == {"points", "error bars"}
