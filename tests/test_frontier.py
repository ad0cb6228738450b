"""The budget frontier: its budgets and their runs, what the page says of them, and its command line."""

from __future__ import annotations

import dataclasses
import math

import pytest

from fmnist import budgets, cli
from fmnist.analysis import frontier_results, timing
from fmnist.experiments import better_cnn, frontier
from fmnist.store import records
from conftest import official_result

TEN, THIRTY, SIXTY = budgets.BUDGETS
REPORT = {
    "machine": {
        "date": "2026-12-06T15:00:00+00:00",
        "cpu": "AMD EPYC",
        "cores": 2,
        "cpu_kind": "AuthenticAMD family 25 model 17; avx2",
        "load_before": {"load_average": [0.1, 0.2, 0.3]},
        "load_after": {"load_average": [2.0, 1.9, 1.5]},
    },
    "models": [
        {"model": budgets.SECOND_WALK_CNN, "seconds_per_epoch": 24.0},
        {"model": budgets.AUGMENTED_CNN, "seconds_per_epoch": 29.0},
        {"model": budgets.FIRST_WALK_CNN, "seconds_per_epoch": 27.0},
    ],
}


def run(budget, seed: int, accuracy: float | None, flip: float = 0.93) -> budgets.FrontierRun:
    """Return a made-up frontier run of a budget at a seed (not trained where `accuracy` is None)."""
    config = dataclasses.replace(better_cnn.ladder_start(), epochs=budget.epochs, seed=seed)
    provenance = {"cpu": "AMD EPYC", "cpu_kind": "AuthenticAMD family 25 model 17; avx2", "cpu_count": 2, "load": {"load_average": [2.0, 2.9, 2.5]}}
    result = None if accuracy is None else official_result(test_accuracy=accuracy, test_accuracy_flip_averaged=flip, training_seconds=600.0, num_parameters=249_834, provenance=provenance)
    return budgets.FrontierRun(budget, budget.model, config, result)


def test_budgets_are_read_from_minutes_and_a_wrong_one_names_the_budgets():
    assert budgets.parse_budgets("all") == list(budgets.BUDGETS)
    assert budgets.parse_budgets("60,10") == [SIXTY, TEN]
    with pytest.raises(ValueError, match="there is no 15-minute budget; the budgets are 10, 30, 60 minutes"):
        budgets.parse_budgets("15")
    with pytest.raises(ValueError, match="budgets must be minutes such as 10,30,60 or all"):
        budgets.parse_budgets("ten")


def test_each_budget_fits_its_minutes_at_the_committed_quiet_epoch_times():
    from fmnist.analysis import speed

    report = frontier_results.with_screened_models(
        speed.read_report(None, speed.FRONTIER_REPORT, "frontier_speed.py"), speed.read_report(None, speed.SCREENING_REPORT, "frontier_speed.py --screening")
    )
    for budget in budgets.BUDGETS:
        assert frontier_results.quiet_minutes(budget.model, budget.epochs, report) <= budget.minutes, budget.name


def test_the_ten_minute_runs_are_the_screened_candidates_recorded_runs_and_the_earlier_models_are_kept_beside_them():
    models = frontier.model_configs()
    [chosen] = [candidate for candidate in budgets.CANDIDATES if candidate.model == TEN.model and not candidate.change]
    assert TEN.epochs == chosen.epochs
    for config in frontier.budget_configs(TEN, models):
        assert records.find_record(config) is not None, config.label()
        assert (config.batch_size, config.nesterov, config.flip, config.threads, config.onednn) == (better_cnn.LADDER_BATCH_SIZE, True, False, 2, True)
    # The first walk's CNN held the budget before the screening: its recorded runs stay on the page.
    earlier = frontier.earlier_configs(models)
    assert [config.seed for _, config in earlier] == list(TEN.seeds)
    assert all(config.epochs == better_cnn.FIRST_WALK_EPOCHS and records.find_record(config) is not None for _, config in earlier)
    [curve] = frontier.curve_configs(models)
    assert records.find_record(curve) is not None
    assert curve.flip and curve.augment and curve.epochs == better_cnn.LONGER_EPOCHS
    # The longer budgets train the same model longer, the schedule laid out over their epochs.
    [thirty] = frontier.budget_configs(THIRTY, models)
    assert dataclasses.replace(thirty, epochs=curve.epochs) == curve
    places = [run.budget_name for run in frontier.frontier_runs()]
    assert places.count(budgets.BEFORE_SCREENING) == len(TEN.seeds) and places.count(budgets.BEYOND) == len(budgets.CURVE_EPOCHS)


def test_running_the_frontier_trains_each_budgets_seeds_and_skips_what_is_saved_or_recorded(monkeypatch):
    trained = []
    monkeypatch.setattr(better_cnn, "final_run", lambda config, places, record, only_on_recorded_kind: trained.append((config, record, only_on_recorded_kind)))
    frontier.run_frontier([TEN, SIXTY], seeds=(0, 5), record=True)
    assert [(config.epochs, config.seed) for config, _, _ in trained] == [(TEN.epochs, 0), (TEN.epochs, 5), (140, 0), (140, 5)]
    assert all(record and not only_on_kind for _, record, only_on_kind in trained)
    trained.clear()
    # The 10-minute seeds 0-2 are recorded; seed 5 is not.
    frontier.run_frontier([TEN], seeds=(0, 5), skip_recorded=True, only_on_recorded_kind=True)
    assert [(config.seed, only_on_kind) for config, _, only_on_kind in trained] == [(5, True)]


def test_the_budget_table_says_what_each_budget_bought_and_whether_its_target_is_met_or_not_yet_known():
    runs = [run(TEN, 0, 0.935), run(TEN, 1, 0.937), run(TEN, 2, 0.936), run(THIRTY, 0, 0.938), run(SIXTY, 0, 0.944), run(SIXTY, 1, None)]
    table = frontier_results.budget_table(runs, REPORT)
    assert list(table.index) == ["10 minutes", "30 minutes", "60 minutes"]
    assert table.loc["10 minutes", "test accuracy"] == "93.60 ± 0.10"
    assert table.loc["10 minutes", "target met"] == "met"
    assert table.loc["10 minutes", "quiet minutes"] == pytest.approx(TEN.epochs * 24.0 / 60)
    assert table.loc["30 minutes", "target met"] == "no target"
    assert table.loc["60 minutes", "seeds trained"] == "1 of 3"
    assert table.loc["60 minutes", "target met"] == "not yet known: 1 of 3 seeds trained"
    # At the made-up 29 s an epoch, 140 epochs take 68 minutes.
    assert table.loc["30 minutes", "within the budget"] == "yes"
    assert table.loc["60 minutes", "within the budget"] == "no"
    assert frontier_results.target_verdict(TEN, {"seeds": 3, "mean": 93.4, "flip_mean": 95.0}) == "not met"
    # The 60-minute target needs both scores.
    assert frontier_results.target_verdict(SIXTY, {"seeds": 3, "mean": 94.4, "flip_mean": 94.4}) == "not met"
    # A mean exactly at its target reaches it, whatever the float error of its sum.
    exactly = (94.3 + 94.31 + 94.29) / 3
    assert exactly != 94.3 and frontier_results.target_verdict(SIXTY, {"seeds": 3, "mean": exactly, "flip_mean": 94.5}) == "met"
    assert frontier_results.target_verdict(SIXTY, {"seeds": 3, "mean": 94.29, "flip_mean": 94.6}) == "not met"
    empty = frontier_results.budget_table([run(TEN, 0, None)], REPORT)
    assert empty.loc["10 minutes", "test accuracy"] == "not trained yet"
    assert math.isnan(empty.loc["10 minutes", "parameters"])


def test_a_gain_is_judged_over_seeds_only_where_both_budgets_have_two_or_more():
    ten = [run(TEN, seed, accuracy) for seed, accuracy in enumerate((0.930, 0.931, 0.932))]
    sixty = [run(SIXTY, seed, accuracy) for seed, accuracy in enumerate((0.940, 0.941, 0.942))]
    judged = frontier_results.gain_text(ten + sixty, SIXTY, TEN)
    assert judged.startswith("60 minutes buy +1.00 points over 10 minutes (3 seeds against 3 seeds): 95% interval")
    assert "Welch's t-test over seeds" in judged and "an established gain" in judged
    one_seed = frontier_results.gain_text(ten + sixty[:1], SIXTY, TEN)
    assert "1 seed against 3 seeds" in one_seed and "not judged against seed noise" in one_seed
    assert "has no run yet" in frontier_results.gain_text(ten, THIRTY, TEN)


def test_the_page_compares_each_budget_with_the_next_and_the_shortest_with_the_longest():
    assert frontier_results.compared_budgets() == [(TEN, THIRTY), (THIRTY, SIXTY), (TEN, SIXTY)]
    ten = [run(TEN, seed, accuracy) for seed, accuracy in enumerate((0.930, 0.931, 0.932))]
    sixty = [run(SIXTY, seed, accuracy) for seed, accuracy in enumerate((0.940, 0.941, 0.942))]
    gains = frontier_results.page_facts(ten + [run(THIRTY, 0, 0.935)] + sixty, REPORT)["gains_text"]
    # The middle budget's one seed leaves its two differences unjudged; the outer pair is judged.
    assert gains.count("not judged against seed noise") == 2
    assert "60 minutes buy +1.00 points over 10 minutes (3 seeds against 3 seeds): 95% interval" in gains


def test_the_runs_table_shows_each_trained_run_with_its_load_and_processor():
    table = frontier_results.runs_table([run(TEN, 0, 0.93), run(SIXTY, 1, None)])
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["budget"], row["seed"], row["epochs"]) == ("10 minutes", 0, TEN.epochs)
    assert row["timing"] == timing.UNDER_LOAD
    assert row["processor"] == "AuthenticAMD family 25 model 17"
    assert row["test accuracy"] == pytest.approx(93.0)


def test_the_benchmark_counts_as_quiet_only_if_the_load_was_its_own_before_and_after():
    assert frontier_results.report_state(REPORT) == timing.QUIET
    loaded = {**REPORT, "machine": {**REPORT["machine"], "load_before": {"load_average": [3.0, 3.1, 3.0]}}}
    assert frontier_results.report_state(loaded) == timing.UNDER_LOAD


def test_the_published_anchors_keep_their_sources_decimals():
    table = frontier_results.anchor_table()
    assert table.loc["ResNet-preact-20", "test accuracy"] == "94.96"
    assert table.loc["ResNets, no augmentation", "test accuracy"] == "92.8 to 93.4"
    assert set(table["source"]) == {"fast.ai course, part 2 (2022), notebook 14_augment", "hysts/pytorch_image_classification"}


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--budgets", "15"], "there is no 15-minute budget"),
        (["--budgets", "ten"], "budgets must be minutes"),
        (["--seeds", "2-0"], "runs backwards"),
    ],
)
def test_the_frontier_command_refuses_a_bad_option_with_one_usage_error(arguments, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["frontier", *arguments])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_frontier_command_prints_each_run_it_trained(monkeypatch, capsys):
    result = official_result(test_accuracy=0.9351, test_accuracy_flip_averaged=0.9402, training_seconds=540.0)
    monkeypatch.setattr(frontier, "run_frontier", lambda *args: [better_cnn.FinalRun(frontier.budget_configs(TEN, frontier.model_configs())[0], result)])
    assert cli.main(["frontier", "--budgets", "10", "--seeds", "0"]) == 0
    assert f"{TEN.epochs}-epoch model, seed 0, on the official test set: 93.51% (94.02% with flip test-time augmentation) after 9.0 minutes" in capsys.readouterr().out


def test_a_budgets_result_in_words_says_how_many_of_its_planned_seeds_are_trained():
    one = frontier_results.budget_text(SIXTY, {"seeds": 1, "mean": 94.3, "sd": math.nan, "flip_mean": 94.33, "flip_sd": math.nan})
    assert one == (
        "60 minutes: the better CNN with mirrored and shifted images, 140 epochs, 94.30% (94.33% with flip averaging) "
        "at 1 seed (1 of the 3 planned so far)."
    )
    three = frontier_results.budget_text(TEN, {"seeds": 3, "mean": 93.09, "sd": 0.03, "flip_mean": 89.83, "flip_sd": 0.48})
    assert three.endswith("93.09 ± 0.03% (89.83 ± 0.48% with flip averaging) over 3 seeds.")
    assert frontier_results.budget_text(THIRTY, None).endswith("60 epochs, not trained yet.")


def test_a_budgets_model_the_frontier_benchmark_did_not_time_takes_the_screening_benchmarks_epoch_and_the_page_says_so():
    frontier_only = {**REPORT, "models": [model for model in REPORT["models"] if model["model"] != budgets.SECOND_WALK_CNN]}
    screening_report = {
        "machine": {"date": "2026-12-06T20:50:00+00:00"},
        "models": [{"model": budgets.FIRST_WALK_CNN, "seconds_per_epoch": 26.0}, {"model": budgets.SECOND_WALK_CNN, "seconds_per_epoch": 24.4}],
    }
    combined = frontier_results.with_screened_models(frontier_only, screening_report)
    # The frontier benchmark's own times stay; only the missing budget model is taken over.
    assert frontier_results.epoch_seconds(combined) == {budgets.AUGMENTED_CNN: 29.0, budgets.FIRST_WALK_CNN: 27.0, budgets.SECOND_WALK_CNN: 24.4}
    assert frontier_results.screened_timing_text(combined).endswith("on 2026-12-06 20:50 UTC: the second walk's CNN, 24.4 s an epoch.")
    assert frontier_results.screened_timing_text(REPORT) == ""
