"""The result at a glance, computed from the recorded runs alone: the README's first table.

A newcomer reads the project's result before anything else, so the README opens with it.
Its numbers are not typed in: `markdown` computes them from `records/` (never from a
build's results, which differ from machine to machine where a build recomputes a run),
`python -m fmnist.glance` prints the table, and a test fails when the README's copy
differs from it. The book computes the same quantities, with every caveat, on its pages.
"""

from __future__ import annotations

import os
import pathlib
import tempfile

from fmnist import PERCENT, paper
from fmnist.analysis import better_cnn_results, noise_text, table_one
from fmnist.config import CVConfig
from fmnist.experiments import better_cnn, runs, seeds
from fmnist.store import records
from fmnist.store.places import Places

# Where the README holds the table, between these two lines.
START = "<!-- at a glance: made by `python -m fmnist.glance`; tests/test_readme.py checks it -->"
END = "<!-- end of at a glance -->"


def facts(records_dir: str | os.PathLike | None = None) -> dict:
    """Return the headline numbers, read from the recorded runs only."""
    with tempfile.TemporaryDirectory() as nothing:
        places = Places(results_dir=nothing, records_dir=records_dir)

        def recorded(config: CVConfig, **run) -> records.Found:
            """Return a config's recorded run."""
            return runs.obtain(config, places, how_to_make="record it first (see the Makefile's records)", **run)

        study = seeds.recorded_study(CVConfig(), places)
        steps = better_cnn.ladder(better_cnn.ladder_start(), better_cnn.obtained_fold(places))
        final_configs = better_cnn.final_configs(better_cnn.ladder_config(steps))
        seed_rows = [(config.seed, recorded(config, folds=[], test=True).test()) for config in final_configs]
        verdict = table_one.verdict(recorded(CVConfig()).folds())
        return {
            "ours_seed_0": verdict["our_mean"],
            "ours_seed_0_sd": verdict["our_std"],
            "study": noise_text.study_facts(study),
            "verdict": f"{noise_text.reproduction_title(study)}: {noise_text.short_verdict(study)}",
            "test_accuracy": recorded(CVConfig(), folds=[], test=True).test().test_accuracy * PERCENT,
            "better": better_cnn_results.summary(better_cnn_results.seed_table(seed_rows)),
        }


def markdown(found: dict | None = None) -> str:
    """Return the README's table of the result at a glance, between its START and END lines."""
    found = facts() if found is None else found
    study, better = found["study"], found["better"]
    rows = [
        "| | the paper | this reproduction |",
        "| --- | --- | --- |",
        f"| Table I: mean held-out accuracy over 5 folds | {paper.TABLE_ONE_MEAN['Test Accuracy']:.2f}% ± "
        f"{paper.TABLE_ONE_STD['Test Accuracy']:.2f} | {found['ours_seed_0']:.2f}% ± {found['ours_seed_0_sd']:.2f} at seed 0; "
        f"{study['ours_mean']:.2f}% over {study['num_ours_seeds']} seeds (95% interval {study['ours_low']:.2f} to {study['ours_high']:.2f}) |",
        f"| Verdict, against the seed-to-seed noise | | {found['verdict']} |",
        f"| The paper's model on the official test set | not used by the paper | {found['test_accuracy']:.2f}% |",
        f"| A better small CNN on the official test set | | {better['mean']:.2f} ± {better['sd']:.2f}% over {better['seeds']} seeds, "
        f"at most {better['longest_minutes']:.1f} minutes of training on 2 cores |",
    ]
    return "\n".join([START, *rows, END])


def in_readme(readme: pathlib.Path) -> str:
    """Return the table the README holds, between its START and END lines (empty if it has none)."""
    text = readme.read_text()
    if START not in text or END not in text:
        return ""
    return text[text.index(START) : text.index(END) + len(END)]


if __name__ == "__main__":
    print(markdown())
