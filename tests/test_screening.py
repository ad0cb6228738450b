"""The 10-minute budget's candidates: their configs and epochs, their screening on fold 1, what the page says of them, and the command line."""

from __future__ import annotations

import math

import pytest

from fmnist import budgets, cli
from fmnist.analysis import screening_results, speed
from fmnist.experiments import better_cnn, frontier, screening
from conftest import fold

FIRST, SMOOTHED, SECOND, DOUBLED = budgets.CANDIDATES
REPORT = {"models": [{"model": candidate.name, "seconds_per_epoch": 24.0} for candidate in budgets.CANDIDATES]}


def screened(candidate: budgets.Candidate, seed: int, accuracy: float | None, seconds: float = 480.0) -> budgets.ScreenedRun:
    """Return a made-up fold-1 run of a candidate at a seed (not trained where `accuracy` is None)."""
    config = screening.candidate_config(candidate, frontier.model_configs(), seed)
    result = None if accuracy is None else fold(test_accuracy=accuracy, wall_seconds=seconds, num_train=48_000)
    return budgets.ScreenedRun(candidate, config, result)


def test_the_first_candidate_is_the_ten_minute_budgets_earlier_model_as_recorded_and_each_other_adds_one_thing():
    models = frontier.model_configs()
    assert (FIRST.name, FIRST.epochs) == (budgets.FIRST_WALK_CNN, better_cnn.FIRST_WALK_EPOCHS)
    assert screening.candidate_config(FIRST, models, seed=2) == better_cnn.seeded(better_cnn.ladder_start(better_cnn.CVConfig(epochs=FIRST.epochs)), 2)
    smoothed = screening.candidate_config(SMOOTHED, models)
    assert smoothed.label_smoothing == better_cnn.LABEL_SMOOTHING and smoothed.batch_size == 32
    second = screening.candidate_config(SECOND, models)
    assert (second.batch_size, second.nesterov, second.flip, second.augment) == (better_cnn.LADDER_BATCH_SIZE, True, False, False)
    assert screening.candidate_config(DOUBLED, models).convs_per_block == 2
    # Every candidate trains as the frontier's runs do: both cores, oneDNN's kernels.
    assert all((config.threads, config.onednn) == (2, True) for config in map(lambda candidate: screening.candidate_config(candidate, models), budgets.CANDIDATES))


def test_each_candidate_trains_the_most_epochs_that_fit_the_budget_at_its_measured_quiet_epoch():
    report = speed.read_report(None, speed.SCREENING_REPORT, "frontier_speed.py --screening")
    seconds = {model["model"]: model["seconds_per_epoch"] for model in report["models"]}
    for candidate in budgets.CANDIDATES:
        assert screening_results.fits_budget(candidate.epochs, seconds[candidate.name]), candidate.name
        if candidate.model == budgets.FIRST_WALK_CNN:
            # The first walk's CNN keeps the epochs its records were trained at, with or without smoothing.
            assert candidate.epochs == better_cnn.FIRST_WALK_EPOCHS, candidate.name
        else:
            assert not screening_results.fits_budget(candidate.epochs + 1, seconds[candidate.name]), candidate.name


def test_screening_trains_every_candidate_at_every_seed_through_the_recording_lookup(monkeypatch):
    trained = []
    monkeypatch.setattr(better_cnn, "recording_fold", lambda record, places, report: lambda config: trained.append((config, record)) or fold(test_accuracy=0.93))
    runs = screening.run_screening(seeds=(0, 3), record=True)
    assert [(run.candidate, run.config.seed) for run in runs] == [(candidate, seed) for candidate in budgets.CANDIDATES for seed in (0, 3)]
    assert all(record for _, record in trained) and [config.epochs for config, _ in trained[::2]] == [candidate.epochs for candidate in budgets.CANDIDATES]


def test_the_table_gives_each_candidates_gain_over_the_first_with_an_interval_only_where_both_have_two_seeds():
    runs = [
        screened(FIRST, 0, 0.930), screened(FIRST, 1, 0.932),
        screened(SMOOTHED, 0, 0.931), screened(SMOOTHED, 1, None),
        screened(SECOND, 0, 0.936), screened(SECOND, 1, 0.938, seconds=432.0),
        screened(DOUBLED, 0, None), screened(DOUBLED, 1, None),
    ]
    table = screening_results.screening_table(runs, REPORT)
    assert table.loc[SECOND.name, "held-out accuracy"] == pytest.approx(93.7)
    assert table.loc[SECOND.name, "gain"] == pytest.approx(0.6)
    # Welch over 2 seeds a side: sd 0.14 each, 2 degrees of freedom, 0.6 ± 4.30 × 0.14.
    assert table.loc[SECOND.name, "gain interval"] == "-0.01 to +1.21"
    assert table.loc[SECOND.name, "minutes as timed"] == pytest.approx(456.0 * 1.25 / 60)
    assert table.loc[SECOND.name, "quiet minutes"] == pytest.approx(SECOND.epochs * 24.0 / 60)
    assert (table.loc[SMOOTHED.name, "seeds trained"], table.loc[SMOOTHED.name, "gain interval"]) == ("1 of 2", "")
    assert table.loc[DOUBLED.name, "each seed"] == "not trained yet" and math.isnan(table.loc[DOUBLED.name, "gain"])
    assert math.isnan(table.loc[FIRST.name, "gain"])
    # Nothing is chosen until every candidate has all its seeds; then the highest mean is.
    assert screening_results.chosen(screening_results.held_out_scores(runs)) is None
    complete = [run if run.result else screened(run.candidate, run.config.seed, 0.931 + run.config.seed / 1000) for run in runs]
    assert screening_results.chosen(screening_results.held_out_scores(complete)) == SECOND.name


def test_the_frontier_command_screens_the_candidates_and_refuses_another_budget(monkeypatch, capsys):
    monkeypatch.setattr(screening, "run_screening", lambda places, seeds, record: [screened(SECOND, seed, 0.9371) for seed in seeds])
    assert cli.main(["frontier", "--screen", "--seeds", "1"]) == 0
    assert f"{SECOND.name}, seed 1, {SECOND.epochs} epochs: held-out accuracy 93.71%" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        cli.main(["frontier", "--screen", "--budgets", "60"])
    assert stopped.value.code == 2
    assert "--screen screens the 10-minute budget's candidates only" in capsys.readouterr().err


def test_the_outcome_says_whether_the_budget_changed_model_and_judges_the_two_on_the_official_test_set(monkeypatch):
    from conftest import official_result

    def runs(model: str, place: str, *accuracies) -> list[budgets.FrontierRun]:
        budget = budgets.budget_named(10) if place == "10 minutes" else None
        config = better_cnn.ladder_start()
        return [budgets.FrontierRun(budget, model, config, official_result(test_accuracy=accuracy), place) for accuracy in accuracies]

    earlier = runs(FIRST.name, budgets.BEFORE_SCREENING, 0.9309, 0.9307, 0.9312)
    test_runs = earlier + runs(SECOND.name, "10 minutes", 0.9352, 0.9361, 0.9349)
    assert screening_results.outcome_text(None, test_runs) == "Until then the budget keeps the first walk's CNN."
    assert screening_results.outcome_text(FIRST.name, test_runs) == "No candidate beat the first walk's CNN on fold 1, so it keeps the budget."
    waiting = screening_results.outcome_text(DOUBLED.name, test_runs)
    assert waiting.startswith("The second walk's CNN with two convolutions per block is to train on all images") and waiting.endswith(
        "the budget keeps the second walk's CNN."
    )
    changed = screening_results.outcome_text(SECOND.name, test_runs)
    assert changed.startswith(
        "The second walk's CNN is now the budget's model. On the official test set it scored 93.54 ± 0.06% over 3 seeds, "
        "against 93.09 ± 0.03% for the first walk's CNN over 3 seeds: +0.45 points, 95% interval"
    )
    assert changed.endswith("an established gain.")
    one_seed = screening_results.outcome_text(SECOND.name, earlier + runs(SECOND.name, "10 minutes", 0.9352))
    assert one_seed.endswith("with one seed of either, the difference is not judged against seed noise.")
