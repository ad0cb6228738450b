"""The store's notes of which saved runs a page used, and where each came from."""

import json

import pytest

from fmnist.data import fashion_mnist
from fmnist.store import records, results, usage
from fmnist.config import CVConfig
from fmnist.store.places import Places

CONFIG = CVConfig(folds=2, epochs=1, subset=200)


@pytest.fixture(autouse=True)
def no_notes():
    """Start and end every test with no notes."""
    usage.forget()
    yield
    usage.forget()


def write_run(root, cpu="AMD EPYC", date="2026-11-24T05:00:00+00:00"):
    """Write a finished two-fold run whose results name their processor and date."""
    folder = results.open_run(root, CONFIG, fashion_mnist.FASHION_MNIST.checksums())
    for index in (1, 2):
        results.save_fold(folder, {"fold_index": index, "test_accuracy": 0.9, "provenance": {"cpu": cpu, "date": date}})
    return folder


def test_finding_a_run_notes_whether_it_was_computed_or_recorded(tmp_path):
    computed = write_run(tmp_path / "results")
    recorded = records.record(computed, tmp_path / "records")
    records.find(CONFIG, Places(tmp_path / "elsewhere", tmp_path / "records"))
    records.find(CONFIG, Places(tmp_path / "results", tmp_path / "records"))
    assert usage.source_of(recorded) == usage.RECORDED
    assert usage.source_of(computed) == usage.COMPUTED_EARLIER
    assert usage.used()[0] == {
        "run": recorded.name,
        "source": usage.RECORDED,
        "results": 2,
        "cpu": "AMD EPYC",
        "first_date": "2026-11-24T05:00:00+00:00",
        "last_date": "2026-11-24T05:00:00+00:00",
    }


def test_a_run_trained_now_stays_trained_now_when_read_again(tmp_path):
    folder = write_run(tmp_path)
    usage.note(folder, usage.TRAINED_NOW)
    usage.note(folder, usage.COMPUTED_EARLIER)
    assert usage.source_of(folder) == usage.TRAINED_NOW
    assert len(usage.used()) == 1


def test_an_unknown_source_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown source 'guessed'"):
        usage.note(tmp_path, "guessed")


def test_the_json_form_reads_back(tmp_path):
    usage.note(write_run(tmp_path), usage.COMPUTED_EARLIER)
    assert json.loads(usage.as_json()) == usage.used()


def test_locations_are_never_absolute(tmp_path):
    inside = results.CHECKOUT_DIR / "results" / "some-run"
    assert usage.location(inside) == "results/some-run"
    assert usage.location(tmp_path / "mine" / "some-run") == "mine/some-run"
    line = usage.source_line(write_run(tmp_path / "elsewhere"))
    assert not line.startswith("/") and str(tmp_path) not in line
    assert line.endswith(f"({usage.COMPUTED_EARLIER}, 2026-11-24 on AMD EPYC)")


def test_a_reader_sees_when_and_on_what_a_run_was_made_never_its_folder(tmp_path):
    recorded = write_run(tmp_path / "records", cpu="AMD EPYC", date="2026-11-25T05:00:00+00:00")
    trained = write_run(tmp_path / "results", cpu="Intel Xeon", date="2026-12-06T09:00:00+00:00")
    usage.note(recorded, usage.RECORDED)
    usage.note(trained, usage.TRAINED_NOW)
    assert usage.plain_line(recorded) == "Recorded 2026-11-25 on AMD EPYC"
    assert usage.plain_line(trained, recorded) == "Trained in this build 2026-12-06 on Intel Xeon; Recorded 2026-11-25 on AMD EPYC"
    # Two runs of one kind and date read as one phrase.
    assert usage.plain_line(recorded, recorded) == "Recorded 2026-11-25 on AMD EPYC"
    assert recorded.name not in usage.plain_line(recorded)
