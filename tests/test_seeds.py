"""The noise study's runs: seed lists, arms, finding saved runs, and the plain model.fit trainers."""

import dataclasses

import pytest

from fmnist.analysis import noise_text
from fmnist.engine import baselines, fold_training
from fmnist.experiments import cv, schedule, seeds
from fmnist.store import records, results
from fmnist.config import CVConfig
from fmnist.store.places import Places

TINY_ARM = CVConfig(folds=3, epochs=2, subset=900)


@pytest.mark.parametrize(
    "text, expected",
    [("0-9", list(range(10))), ("3", [3]), ("0,2,5-7", [0, 2, 5, 6, 7]), (" 4 - 5 , 1 ", [1, 4, 5]), ("2,2,1-2", [1, 2])],
)
def test_seed_lists_name_seeds_and_ranges(text, expected):
    assert seeds.parse_seeds(text) == expected


@pytest.mark.parametrize("text, message", [("", "comma-separated"), ("1-", "comma-separated"), ("a", "comma-separated"), ("-1", "comma-separated"), ("9-3", "write it as 3-9")])
def test_bad_seed_lists_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        seeds.parse_seeds(text)


def test_each_seed_is_a_configuration_of_its_own():
    configs = seeds.seed_configs(seeds.arm_config("keras2-fit"), [0, 3])
    assert [config.seed for config in configs] == [0, 3]
    assert all(config.trainer == "keras2-fit" for config in configs)
    assert configs[1].label() == "k5-e10-b32-f32-valid-keras2-fit-s3"
    assert configs[0].label() == "k5-e10-b32-f32-valid-keras2-fit"
    with pytest.raises(ValueError, match="at least one seed"):
        seeds.seed_configs(CVConfig(), [])


def test_an_arm_must_be_a_known_trainer():
    with pytest.raises(ValueError, match="trainer must be one of"):
        seeds.arm_config("keras1")


def test_only_the_projects_loop_saves_epochs():
    assert CVConfig().saves_epochs
    assert not CVConfig(trainer="keras2-fit").saves_epochs
    assert not CVConfig(trainer="keras3-fit").saves_epochs


def test_plain_trainers_train_whole_folds_dealt_out_in_turn():
    lanes = schedule.whole_folds([1, 2, 3, 4, 5], epochs=10, workers=2)
    assert lanes == [
        [schedule.Segment(1, 0, 10), schedule.Segment(3, 0, 10), schedule.Segment(5, 0, 10)],
        [schedule.Segment(2, 0, 10), schedule.Segment(4, 0, 10)],
    ]
    assert schedule.whole_folds([2], epochs=3, workers=4) == [[schedule.Segment(2, 0, 3)]]
    with pytest.raises(ValueError, match="workers"):
        schedule.whole_folds([1], epochs=3, workers=0)


def test_a_plain_trainer_cannot_stop_after_an_epoch():
    with pytest.raises(ValueError, match="trains a fold in one go"):
        fold_training.run_fold(CVConfig(trainer="keras3-fit", folds=3, epochs=2, subset=900), 1, until_epoch=1)


def test_a_missing_keras2_names_the_package_and_the_install(monkeypatch):
    monkeypatch.setattr(baselines.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(baselines.MissingLibraryError, match=r"pip install --no-deps 'tf-keras==X\.Y\.\*'"):
        baselines.check_installed(CVConfig(trainer="keras2-fit"))
    baselines.check_installed(CVConfig(trainer="keras3-fit"))  # Keras 3 is always there.


def test_a_seed_with_neither_results_nor_record_says_how_to_make_it(tmp_path):
    config = CVConfig(trainer="keras2-fit", seed=7, subset=600)
    with pytest.raises(ValueError, match=r"run `fmnist seeds --seeds 7 --trainer keras2-fit`"):
        seeds.find_runs([config], Places(tmp_path / "results", tmp_path / "records"))


def test_without_a_record_nothing_is_recomputed(tmp_path):
    assert seeds.recompute_folds(CVConfig(trainer="keras2-fit"), [1], Places(records_dir=tmp_path)) is None
    assert "nothing was recomputed" in noise_text.recheck_text(None)
    assert noise_text.recheck_table(None).empty


@pytest.mark.slow
def test_keras2_repeats_its_numbers_and_a_recomputed_fold_matches_its_record(tmp_path):
    config = CVConfig(folds=3, epochs=2, subset=900, trainer="keras2-fit")
    folder, folds = cv.run_cv(config, results_dir=tmp_path / "first", workers=2, report=lambda line: None)
    assert {fold.num_parameters for fold in folds} == {701_578}
    assert len(folds[0].history["val_accuracy"]) == 2
    assert not list(folder.glob("*state*")), "a plain trainer saves no training state"
    records.record(folder, tmp_path / "records")
    lines = []
    rows = seeds.recompute_folds(config, [2], Places(tmp_path / "again", tmp_path / "records"), report=lines.append)
    assert [row["result"] for row in rows] == ["fold-2"]
    assert rows[0]["difference"] == 0.0, "fold 2 trained alone gave other numbers than beside fold 1"
    assert any(line.startswith("fold 2/3 saved") for line in lines)
    assert "largest difference from the record is 0.00 points" in noise_text.recheck_text(rows)
    assert noise_text.recheck_text(rows).startswith("1 fold recomputed in this build")


def fake_record(records_dir, config: CVConfig, folds: int | None = None) -> None:
    """Write a record of a config with its first `folds` folds (all by default), as `records.record` would."""
    folder = records_dir / f"{config.label()}-000000000000"
    folder.mkdir(parents=True)
    results.write_json_atomic(folder / results.RUN_FILE, {"key": {"config": config.to_dict()}})
    for index in range(1, (folds or config.folds) + 1):
        results.write_json_atomic(folder / f"fold-{index}.json", {"fold_index": index, "test_accuracy": 0.9, "train_accuracy": 0.95})


def test_the_finished_seeds_are_those_with_complete_runs(tmp_path):
    base = CVConfig(subset=900, folds=3)
    for seed in (0, 2, 5):
        fake_record(tmp_path / "records", dataclasses.replace(base, trainer="keras2-fit", seed=seed), folds=2 if seed == 5 else None)
    fake_record(tmp_path / "records", dataclasses.replace(base, seed=1))
    fake_record(tmp_path / "records", dataclasses.replace(base, trainer="keras2-fit", seed=3, epochs=2))
    places = Places(tmp_path / "results", tmp_path / "records")
    assert seeds.finished_seeds(base, "keras2-fit", places) == [0, 2]
    assert seeds.finished_seeds(base, "fmnist", places) == [1]
    assert seeds.resolve_seeds("recorded", base, "keras2-fit", places) == [0, 2]
    assert seeds.resolve_seeds("1-2", base, "keras2-fit", places) == [1, 2]
    assert seeds.recorded_study(base, places, "fmnist") is None  # One seed gives no spread.
    assert [config.seed for config, _ in seeds.recorded_study(base, places, "keras2-fit")] == [0, 2]
    configs = seeds.seed_configs(seeds.arm_config("keras2-fit", base), [0, 1, 2, 5])
    assert [config.seed for config in seeds.without_records(configs, tmp_path / "records")] == [1, 5]


def test_an_arm_with_too_few_seeds_says_how_to_make_more():
    seeds.check_enough({"fmnist": [0, 1], "keras2-fit": [0, 3]})
    with pytest.raises(ValueError, match=r"keras3-fit arm has 1 seed\(s\).*fmnist seeds --seeds 0-4 --trainer keras3-fit --record"):
        seeds.check_enough({"fmnist": [0, 1], "keras3-fit": [4]})


def test_too_few_seeds_names_the_setting_that_chose_them_and_the_settings_changed():
    base = CVConfig(folds=2)
    with pytest.raises(ValueError) as caught:
        seeds.check_enough({"fmnist": [0, 1], "keras2-fit": [0]}, base, {"keras2-fit": "keras2_seeds"})
    assert "the keras2-fit arm has 1 seed(s) (keras2_seeds chose [0]) at folds = 2," in str(caught.value)
    assert seeds.changed_settings(CVConfig(seed=4)) == "the paper's settings"
