"""The better CNN's ablation: each choice is kept only if it raises the fold's held-out accuracy."""

import dataclasses

import pytest

from fmnist import improved
from fmnist.config import CVConfig


def scorer(gains: dict):
    """Return a fold_result whose accuracy adds a fixed gain for every choice a config holds."""
    asked = []

    def fold_result(config: CVConfig) -> dict:
        asked.append(config)
        accuracy = 0.90
        for field, gain in gains.items():
            if getattr(config, field) != getattr(CVConfig(), field):
                accuracy += gain
        return {"test_accuracy": accuracy}

    return fold_result, asked


def test_only_choices_that_help_are_kept():
    gains = {"padding": 0.002, "conv_blocks": 0.02, "batch_norm": -0.001, "dropout": 0.004, "lr_schedule": 0.003, "augment": -0.002}
    fold_result, asked = scorer(gains)
    steps = improved.ablation(CVConfig(epochs=15), fold_result)
    assert [step.name for step in steps][0] == "paper's model"
    assert [step.kept for step in steps] == [True, True, True, False, True, True, False]
    better = improved.better_config(steps)
    assert (better.padding, better.conv_blocks, better.batch_norm) == ("same", 3, False)
    assert (better.dropout, better.lr_schedule, better.augment) == (0.3, "cosine", False)
    # A dropped choice is not carried into the next step.
    assert steps[4].config.batch_norm is False
    assert len(asked) == 1 + len(improved.CHOICES)


def test_a_tie_is_not_a_gain():
    fold_result, _ = scorer({})
    steps = improved.ablation(CVConfig(), fold_result)
    assert [step.kept for step in steps] == [True] + [False] * len(improved.CHOICES)
    assert improved.better_config(steps) == CVConfig()


def test_the_walk_starts_from_the_papers_model():
    with pytest.raises(ValueError, match="starts from the paper's model"):
        improved.ablation(dataclasses.replace(CVConfig(), batch_norm=True), scorer({})[0])
