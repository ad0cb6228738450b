"""The better CNN's ablation: each choice is kept only if it raises the fold's held-out accuracy in budget."""

import dataclasses

import pytest

from fmnist.experiments import better_cnn
from fmnist.config import CVConfig
from fmnist.store import result_types
from fmnist.store.places import Places
from conftest import fold, official_result

FAST_SECONDS = 60.0


def scorer(gains: dict, seconds: float = FAST_SECONDS, together: dict | None = None):
    """Return a fold_result that adds a gain for every choice a config holds (and for pairs held together)."""
    asked = []

    def fold_result(config: CVConfig) -> result_types.FoldResult:
        asked.append(config)
        held = {field for field in gains if getattr(config, field) != getattr(improved_base(), field)}
        accuracy = 0.90 + sum(gains[field] for field in held)
        for pair, gain in (together or {}).items():
            if set(pair) <= held:
                accuracy += gain
        return fold(test_accuracy=accuracy, wall_seconds=seconds)

    return fold_result, asked


def improved_base() -> CVConfig:
    """Return the ablation's base config."""
    return CVConfig(epochs=15)


def every_choice(**gains) -> dict:
    """Return a gain for every choice's field, zero unless given."""
    fields = ("padding", "conv_blocks", "batch_norm", "dropout", "lr_schedule", "augment", "epochs")
    return {field: gains.get(field, 0.0) for field in fields}


def test_only_choices_that_help_are_kept():
    gains = every_choice(padding=0.002, conv_blocks=0.02, batch_norm=-0.001, dropout=0.004, lr_schedule=0.003, augment=-0.002)
    fold_result, asked = scorer(gains)
    steps = better_cnn.ablation(improved_base(), fold_result)
    first_round = [step for step in steps if step.round == 1]
    assert first_round[0].name == "paper's model"
    assert [step.kept for step in first_round] == [True, True, True, False, True, True, False, False]
    better = better_cnn.better_config(steps)
    assert (better.padding, better.conv_blocks, better.batch_norm) == ("same", 3, False)
    assert (better.dropout, better.lr_schedule, better.augment, better.epochs) == (0.3, "cosine", False, 15)
    # A dropped choice is not carried into the next step.
    assert first_round[4].config.batch_norm is False
    # Only batch normalization has new choices under it since it was tried; then the walk stops.
    assert [step.name for step in steps if step.round == 2] == ["+ batch normalization (round 2)"]
    assert len(asked) == len(steps) == 1 + len(better_cnn.CHOICES) + 1


def test_a_choice_that_pays_only_with_a_later_one_is_kept_in_the_next_round():
    gains = every_choice(batch_norm=-0.002, lr_schedule=0.003)
    fold_result, _ = scorer(gains, together={("batch_norm", "lr_schedule"): 0.005})
    steps = better_cnn.ablation(improved_base(), fold_result)
    kept = [step.name for step in steps if step.kept]
    assert kept == ["paper's model", "+ cosine learning rate", "+ batch normalization (round 2)"]
    assert better_cnn.better_config(steps).batch_norm is True


def test_a_choice_over_the_time_budget_is_dropped():
    budget_seconds = better_cnn.TRAINING_BUDGET_MINUTES * 60 / better_cnn.FULL_TRAINING_SCALE
    fold_result, _ = scorer(every_choice(padding=0.01), seconds=budget_seconds + 1)
    steps = better_cnn.ablation(improved_base(), fold_result)
    assert [step.kept for step in steps] == [True] + [False] * len(better_cnn.CHOICES)


def test_a_tie_is_not_a_gain():
    fold_result, _ = scorer(every_choice())
    steps = better_cnn.ablation(improved_base(), fold_result)
    assert [step.kept for step in steps] == [True] + [False] * len(better_cnn.CHOICES)
    assert better_cnn.better_config(steps) == improved_base()


def test_the_walk_starts_from_the_papers_model():
    with pytest.raises(ValueError, match="starts from the paper's model"):
        better_cnn.ablation(dataclasses.replace(CVConfig(), batch_norm=True), scorer({})[0])


def test_a_choice_is_not_tried_twice_on_top_of_the_same_choices():
    gains = every_choice(batch_norm=-0.002, augment=-0.001, lr_schedule=0.003)
    fold_result, asked = scorer(gains, together={("batch_norm", "lr_schedule"): 0.005})
    steps = better_cnn.ablation(improved_base(), fold_result)
    assert len(asked) == len(set(asked)) == len(steps)
    # Round 2 keeps batch normalization, so round 3 tries the others on top of it once more.
    assert max(step.round for step in steps) == 3
    assert all(not step.kept for step in steps if step.round == 3)


def test_kept_and_dropped_choices_are_named_without_their_round():
    gains = every_choice(padding=0.01, batch_norm=-0.01, lr_schedule=0.01)
    fold_result, _ = scorer(gains, together={("batch_norm", "lr_schedule"): 0.02})
    steps = better_cnn.ablation(improved_base(), fold_result)
    names = dict(better_cnn.CHOICES)
    assert "batch normalization" in better_cnn.kept_choices(steps)
    assert better_cnn.kept_choices(steps)[:2] == ["padding", "cosine learning rate"]
    assert set(better_cnn.kept_choices(steps)) | set(better_cnn.dropped_choices(steps)) == set(names)
    assert not set(better_cnn.kept_choices(steps)) & set(better_cnn.dropped_choices(steps))


def test_obtained_fold_says_where_each_step_came_from(tmp_path):
    from fmnist.store import records
    from test_records import write_run

    config = improved_base()
    records.record(write_run(tmp_path / "elsewhere", config, [0.9]), tmp_path / "records")
    obtain = better_cnn.obtained_fold(Places(tmp_path / "results", tmp_path / "records"))
    obtained = obtain(config)
    assert (obtained.fold_index, obtained.held_out_accuracy, obtained.provenance.date, obtained.source) == (1, 0.9, "2026-11-24T00:00:00+00:00", "recorded")
    with pytest.raises(ValueError, match="make ablation"):
        obtain(dataclasses.replace(config, padding="same"))


def ladder_scorer(gains: dict, seconds: float = FAST_SECONDS, seed_step: float = 0.001):
    """Return a fold_result for the ladder: a gain per changed field, plus a small step per seed (the noise)."""
    asked = []
    start = better_cnn.ladder_start()

    def fold_result(config: CVConfig) -> result_types.FoldResult:
        asked.append(config)
        held = {field for field in gains if getattr(config, field) != getattr(start, field)}
        accuracy = 0.92 + sum(gains[field] for field in held) + seed_step * config.seed
        return fold(test_accuracy=accuracy, wall_seconds=seconds, num_parameters=1, test_accuracy_flip_averaged=accuracy + 0.001)

    return fold_result, asked


def test_the_ladder_starts_from_the_first_walks_cnn_with_the_fast_arithmetic():
    start = better_cnn.ladder_start()
    assert (start.conv_blocks, start.batch_norm, start.dropout, start.lr_schedule) == (3, True, 0.3, "cosine")
    assert (start.threads, start.onednn, start.epochs) == (2, True, better_cnn.LADDER_EPOCHS)


def test_every_ladder_step_trains_at_every_seed_and_keeps_only_a_higher_mean():
    fold_result, asked = ladder_scorer({"batch_size": 0.004, "flip": -0.002, "label_smoothing": 0.001})
    steps = better_cnn.ladder(better_cnn.ladder_start(), fold_result, seeds=(0, 1, 2))
    assert len(asked) == 3 * (1 + len(better_cnn.LADDER))
    assert [step.kept for step in steps] == [True, True, False, True]
    assert [len(step.results) for step in steps] == [3] * 4
    better = better_cnn.ladder_config(steps)
    assert better.seed == 0 and better.batch_size == better_cnn.LADDER_BATCH_SIZE
    assert not better.flip and better.label_smoothing == better_cnn.LABEL_SMOOTHING
    assert [config.seed for config in better_cnn.final_configs(better)] == list(better_cnn.FINAL_SEEDS)


def test_a_ladder_step_over_the_budget_is_not_kept():
    budget_seconds = better_cnn.TRAINING_BUDGET_MINUTES * 60 / better_cnn.FULL_TRAINING_SCALE
    fold_result, _ = ladder_scorer({"batch_size": 0.01}, seconds=budget_seconds + 1)
    steps = better_cnn.ladder(better_cnn.ladder_start(), fold_result)
    assert [step.kept for step in steps] == [True] + [False] * len(better_cnn.LADDER)


def test_the_ladder_needs_a_seed():
    with pytest.raises(ValueError, match="at least one seed"):
        better_cnn.ladder(better_cnn.ladder_start(), ladder_scorer({})[0], seeds=())


def test_the_ladder_keeps_the_epochs_and_subset_it_is_given():
    start = better_cnn.ladder_start(CVConfig(epochs=1, subset=600))
    assert (start.epochs, start.subset, start.conv_blocks) == (1, 600, 3)


def test_the_book_and_make_ladder_train_the_longer_run_as_long_as_the_constant_says():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    assert f"--longer-epochs {better_cnn.LONGER_EPOCHS}" in (root / "Makefile").read_text()
    assert f"\nlonger_epochs = {better_cnn.LONGER_EPOCHS}\n" in (root / "notebooks" / "09_better_cnn.py").read_text()


def test_the_first_walks_longer_training_and_the_second_walks_are_two_constants():
    assert better_cnn.CHOICES[-1] == (f"{better_cnn.FIRST_WALK_EPOCHS} epochs", {"epochs": better_cnn.FIRST_WALK_EPOCHS})
    assert better_cnn.FIRST_WALK_EPOCHS == 20 and better_cnn.LONGER_EPOCHS == 30
    assert better_cnn.longer_training(better_cnn.ladder_start()).epochs == better_cnn.LONGER_EPOCHS


def test_the_kept_steps_are_scored_again_at_further_seeds():
    gains = every_choice(padding=0.002, conv_blocks=0.02, batch_norm=-0.001)
    fold_result, asked = scorer(gains)
    steps = better_cnn.ablation(improved_base(), fold_result)
    seeded = better_cnn.seeded_steps(steps, fold_result, (1, 2))
    kept = [step for step in steps if step.kept]
    assert [step.name for step in seeded] == [step.name for step in kept]
    assert all(len(step.results) == 3 and step.results[0] is kept_step.result for step, kept_step in zip(seeded, kept))
    # Each kept step trained again at seeds 1 and 2, the walk itself unchanged.
    assert {config.seed for config in asked[len(steps):]} == {1, 2}
    assert len(asked) == len(steps) + 2 * len(kept)
    assert better_cnn.seeded_steps(steps, fold_result, ())[0].results == (kept[0].result,)


def test_the_first_walks_cnn_is_tested_as_the_better_cnn_is_at_each_final_seed(tmp_path, monkeypatch):
    from fmnist.experiments import testset

    fold_result, _ = scorer(every_choice(padding=0.002, conv_blocks=0.02))
    monkeypatch.setattr(better_cnn, "recording_fold", lambda record, places, report: fold_result)
    trained = []

    def run_test(config, **options):
        trained.append(config)
        return tmp_path, official_result(test_accuracy=0.93)

    monkeypatch.setattr(testset, "run_test", run_test)
    done = better_cnn.run_ablation(improved_base(), Places(tmp_path / "results", tmp_path / "records"), further_seeds=(1,), final_seeds=(0, 2))
    walked = better_cnn.better_config(done.steps)
    assert trained == [dataclasses.replace(walked, threads=2, onednn=True, seed=seed) for seed in (0, 2)]
    assert [final.result.test_accuracy for final in done.finals] == [0.93, 0.93] and done.finals[0].recorded_in is None
    assert [len(step.results) for step in done.seeded] == [2] * len(done.seeded)
    assert better_cnn.run_ablation(improved_base(), Places(tmp_path / "results"), further_seeds=(), final_seeds=()).finals == []


def test_the_ladder_run_skips_a_final_run_recorded_on_another_processor_kind_only_when_asked(tmp_path, monkeypatch):
    from fmnist.experiments import testset

    fold_result, _ = ladder_scorer({"label_smoothing": 0.002})
    monkeypatch.setattr(better_cnn, "recording_fold", lambda record, places, report: fold_result)
    monkeypatch.setattr(better_cnn, "why_not_retrained_here", lambda config: "Its record was made elsewhere.")
    monkeypatch.setattr(testset, "run_test", lambda config, **options: (tmp_path, official_result(test_accuracy=0.93)))
    start = better_cnn.ladder_start()
    done = better_cnn.run_ladder(start, Places(tmp_path / "results"), final_seeds=(0,), longer_epochs=3, only_on_recorded_kind=True)
    assert done.finals == [better_cnn.FinalRun(better_cnn.seeded(done.better, 0), None, "Its record was made elsewhere.")]
    assert done.longer.held_out_accuracy == pytest.approx(fold_result(better_cnn.longer_training(done.better, 3)).held_out_accuracy)
    retrained = better_cnn.run_ladder(start, Places(tmp_path / "results"), final_seeds=(0, 1))
    assert [final.result.test_accuracy for final in retrained.finals] == [0.93, 0.93] and retrained.longer is None
