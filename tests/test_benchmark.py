"""The speed benchmark's bookkeeping (the benchmark itself is run by hand, never timed in tests)."""

import importlib.util
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("train_speed", ROOT / "benchmarks" / "train_speed.py")
train_speed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train_speed)


def test_arithmetic_per_image_matches_the_papers_model():
    # Convolution 26x26x32 outputs of 3x3 taps; dense 5408x128, 128x64, 64x10; 2 FLOPs per multiply-add.
    assert train_speed.forward_flops_per_image() == 2 * (26 * 26 * 32 * 9 + 5408 * 128 + 128 * 64 + 64 * 10)
    # About 5.4 MFLOP an image to train, as the issue estimates.
    assert train_speed.TRAINING_PASSES * train_speed.forward_flops_per_image() == pytest.approx(5.4e6, rel=0.01)


def test_memory_of_this_process_is_counted():
    assert train_speed.tree_rss_kib(os.getpid()) > 10_000
    assert train_speed.tree_rss_kib(2**22 + 7) == 0  # No such process.


def test_summary_divides_by_fold_epochs_and_keeps_the_best_run():
    runs = [({"accuracies": {"1": 0.9}, "threads": "x"}, 40.0, 1024 * 1024), ({"accuracies": {"1": 0.91}, "threads": "x"}, 20.0, 512)]
    summary = train_speed.summarise("project", runs, folds=[1, 2], epochs=5)
    assert summary["seconds_per_fold_epoch"] == pytest.approx(2.0)
    assert summary["training_images_per_second"] == pytest.approx(10 * 48_000 / 20.0)
    assert summary["peak_memory_gib"] == pytest.approx(1.0)
    assert summary["held_out_accuracy"] == {"1": 0.91}


def test_each_repeat_gives_its_own_ratio():
    slow = [({}, 300.0, 0), ({}, 260.0, 0)]
    fast = [({}, 120.0, 0), ({}, 130.0, 0)]
    assert train_speed.paired_ratios(slow, fast) == [pytest.approx(2.5), pytest.approx(2.0)]


@pytest.mark.parametrize(
    "argv", [["--folds", "6"], ["--epochs", "0"], ["--repeats", "0"], ["--full", "--repeats", "11"]]
)
def test_bad_setting_is_refused(argv, capsys):
    with pytest.raises(SystemExit):
        train_speed.main(argv)
    assert "must be from" in capsys.readouterr().err
