"""The book's figures by subject, drawn with matplotlib from the data and saved results only."""

from fmnist.analysis.figures import ablation, cross_validation, data, frontier, model, noise, sweep, test_set

__all__ = ["ablation", "cross_validation", "data", "frontier", "model", "noise", "sweep", "test_set"]
