"""The official test set: one training on all training images, scored once on the test images."""

import pytest

from fmnist.data import fashion_mnist
from fmnist.engine import official_test
from fmnist.experiments import executor, testset
from fmnist.store import results
from fmnist.config import CVConfig

QUICK = CVConfig(epochs=1, subset=600)


@pytest.mark.slow
def test_result_is_saved_once_and_reused(tmp_path, monkeypatch):
    folder, result = testset.run_test(QUICK, results_dir=tmp_path, report=lambda line: None)
    assert results.test_path(folder).is_file()
    assert (result.num_train, result.num_test) == (600, 10_000)
    assert len(result.predicted_labels) == len(result.confidences) == 10_000
    assert all(0 <= label <= 9 for label in result.predicted_labels)
    assert all(0.1 <= confidence <= 1 for confidence in result.confidences)
    assert 0 < result.training_seconds <= result.wall_seconds
    # It says how much of the machine other processes used while it trained.
    other_work = result.provenance.load["other_work"]
    assert other_work["seconds"] >= round(result.training_seconds, 1) and other_work["other_cores"] >= 0

    def refuse(*args, **kwargs):
        raise AssertionError("a saved result was trained again")

    monkeypatch.setattr(executor, "worker_pool", refuse)
    again_folder, again = testset.run_test(QUICK, results_dir=tmp_path, report=lambda line: None)
    assert (again_folder, again) == (folder, result)


@pytest.mark.slow
def test_same_config_gives_the_same_predictions():
    dataset = fashion_mnist.load()
    first = official_test.train_and_test(QUICK, dataset)
    second = official_test.train_and_test(QUICK, dataset)
    assert first["predicted_labels"] == second["predicted_labels"]
    assert first["test_accuracy"] == second["test_accuracy"]


def test_official_test_seed_is_not_a_fold_seed():
    from fmnist.engine import fold_training

    assert official_test.test_seed(QUICK) not in {fold_training.fold_seed(QUICK, k) for k in range(1, QUICK.folds + 1)}


def test_a_damaged_official_test_result_is_named_set_aside_and_trained_again(tmp_path, monkeypatch):
    import concurrent.futures
    import contextlib

    folder = results.open_run(tmp_path, QUICK, fashion_mnist.FASHION_MNIST.checksums())
    results.test_path(folder).write_text('{"test_accuracy": 0.9')
    trained = {"test_accuracy": 0.91, "training_seconds": 1.0}

    class Pool:
        def submit(self, *args):
            future = concurrent.futures.Future()
            future.set_result(trained)
            return future

    monkeypatch.setattr(executor, "worker_pool", lambda *args: contextlib.nullcontext(Pool()))
    lines = []
    _, result = testset.run_test(QUICK, results_dir=tmp_path, report=lines.append)
    assert result == results.read_test(folder) and (result.test_accuracy, result.training_seconds) == (0.91, 1.0)
    assert lines[0] == (
        f"{results.test_path(folder)} is not valid JSON, cut short or edited (Expecting ',' delimiter at line 1): "
        "set aside as test.json.damaged; the official-test run is trained again"
    )
    assert (folder / "test.json.damaged").read_text() == '{"test_accuracy": 0.9'
