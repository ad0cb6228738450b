"""The noise study's runs: seed lists, arms, finding saved runs, and the plain model.fit trainers."""

import pytest

from fmnist import baselines, cv, records, schedule, seeds
from fmnist.config import CVConfig

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
        cv.run_fold(CVConfig(trainer="keras3-fit", folds=3, epochs=2, subset=900), 1, until_epoch=1)


def test_a_missing_keras2_names_the_package_and_the_install(monkeypatch):
    monkeypatch.setattr(baselines.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(baselines.MissingLibraryError, match=r"pip install --no-deps 'tf-keras==X\.Y\.\*'"):
        baselines.check_installed(CVConfig(trainer="keras2-fit"))
    baselines.check_installed(CVConfig(trainer="keras3-fit"))  # Keras 3 is always there.


def test_a_seed_with_neither_results_nor_record_says_how_to_make_it(tmp_path):
    config = CVConfig(trainer="keras2-fit", seed=7, subset=600)
    with pytest.raises(ValueError, match=r"run `fmnist seeds --seeds 7 --trainer keras2-fit`"):
        seeds.find_runs([config], results_dir=tmp_path / "results", records_dir=tmp_path / "records")


def test_recomputing_no_folds_needs_no_record(tmp_path):
    assert seeds.recompute_folds(CVConfig(trainer="keras2-fit"), [], records_dir=tmp_path) == []
    with pytest.raises(ValueError, match="has no record to check"):
        seeds.recompute_folds(CVConfig(trainer="keras2-fit"), [1], records_dir=tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("trainer", ["keras2-fit", "keras3-fit"])
def test_a_plain_trainer_repeats_its_numbers_and_trains_the_papers_model(tmp_path, trainer):
    config = CVConfig(folds=3, epochs=2, subset=900, trainer=trainer)
    folder, folds = cv.run_cv(config, results_dir=tmp_path, workers=2, report=lambda line: None)
    again = cv.run_fold(config, 2)
    assert again["history"] == folds[1]["history"]
    assert again["train_loss"] == folds[1]["train_loss"]
    assert {fold["num_parameters"] for fold in folds} == {701_578}
    assert len(folds[0]["history"]["val_accuracy"]) == 2
    assert not list(folder.glob("*state*")), "a plain trainer saves no training state"


@pytest.mark.slow
def test_a_recomputed_fold_is_set_beside_its_record(tmp_path):
    config = CVConfig(folds=3, epochs=1, subset=900, trainer="keras2-fit")
    folder, _ = cv.run_cv(config, results_dir=tmp_path / "first", workers=1, report=lambda line: None, only_folds=[1])
    records.record(folder, tmp_path / "records")
    rows = seeds.recompute_folds(config, [1], results_dir=tmp_path / "again", records_dir=tmp_path / "records", report=lambda line: None)
    assert [row["result"] for row in rows] == ["fold-1"]
    assert rows[0]["difference"] == 0.0
