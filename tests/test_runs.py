"""Finding a configuration's run: computed here, else recorded, else computed now only if asked."""

import pytest

from fmnist.experiments import runs
from fmnist.store import records
from fmnist.store.places import Places
from fmnist.config import CVConfig
from test_records import write_run

CONFIG = CVConfig(folds=2, epochs=1, subset=200)


def test_a_computed_run_comes_before_its_record(tmp_path):
    computed = write_run(tmp_path / "results", CONFIG, [0.8, 0.9])
    records.record(write_run(tmp_path / "other", CONFIG, [0.7, 0.7]), tmp_path / "records")
    found = runs.obtain(CONFIG, Places(tmp_path / "results", tmp_path / "records"))
    assert found == records.Found(computed, "computed")


def test_a_recorded_run_is_read_when_nothing_was_computed(tmp_path):
    recorded = records.record(write_run(tmp_path / "other", CONFIG, [0.7, 0.7]), tmp_path / "records")
    found = runs.obtain(CONFIG, Places(tmp_path / "results", tmp_path / "records"))
    assert found == records.Found(recorded, "recorded")


def test_a_missing_run_names_itself_how_to_make_it_and_the_switch(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "compute", lambda *args: pytest.fail("nothing is to be trained"))
    with pytest.raises(runs.MissingRunError) as caught:
        runs.obtain(CONFIG, Places(tmp_path / "r", tmp_path / "records"), how_to_make="run `make sweep`")
    message = str(caught.value)
    assert CONFIG.label() in message and "run `make sweep`" in message and "compute_missing = True" in message


def test_a_missing_run_is_computed_when_asked_and_then_found(tmp_path, monkeypatch):
    asked = []

    def compute(config, places, folds, test, workers):
        asked.append((config, folds, test, workers))
        write_run(places.results_dir, config, [0.8, 0.9])

    monkeypatch.setattr(runs, "compute", compute)
    found = runs.obtain(CONFIG, Places(tmp_path / "results", tmp_path / "records"), compute_missing=True, workers=1)
    assert asked == [(CONFIG, None, False, 1)]
    assert found.source == "computed"


def test_a_computation_that_saves_nothing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "compute", lambda *args: None)
    with pytest.raises(ValueError, match="saved no result"):
        runs.obtain(CONFIG, Places(tmp_path / "results", tmp_path / "records"), compute_missing=True)
