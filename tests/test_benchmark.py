"""The speed benchmarks' bookkeeping (the benchmarks themselves are run by hand, never timed in tests)."""

import json
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The benchmarks are scripts, not a package: import them as their folder runs them.
sys.path.insert(0, str(ROOT / "benchmarks"))
import epoch_speed  # noqa: E402
import frontier_speed  # noqa: E402
import train_speed  # noqa: E402


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


def epoch_run(fold_index: int, seconds: list[float], val_loss: list[float]) -> dict:
    """Return what one worker of the epoch benchmark prints."""
    return {"fold_index": fold_index, "epoch_seconds": seconds, "val_loss": val_loss, "val_accuracy": [0.8, 0.9]}


def test_the_first_epoch_which_traces_the_step_is_left_out():
    assert epoch_speed.steady_epoch_seconds(epoch_run(1, [30.0, 5.0, 7.0, 6.0], [1.0])) == 6.0


def test_side_by_side_counts_each_process_and_checks_fold_one_against_alone():
    reference = epoch_run(1, [9.0, 5.0], [0.5, 0.4])
    runs = [[epoch_run(1, [9.0, 8.0], [0.5, 0.4]), epoch_run(2, [9.0, 10.0], [0.6, 0.3])]]
    summary = epoch_speed.summarise(epoch_speed.VARIANTS["side by side"], runs, reference)
    assert summary["seconds_per_epoch"] == pytest.approx(9.0)
    assert summary["seconds_per_fold_epoch"] == pytest.approx(4.5)
    assert summary["same_numbers_as_alone"] is True
    assert summary["held_out_accuracy"] == 0.9
    other = epoch_speed.summarise(epoch_speed.VARIANTS["XLA"], [[epoch_run(1, [9.0, 8.0], [0.5, 0.41])]], reference)
    assert other["same_numbers_as_alone"] is False


def test_only_xla_runs_without_deterministic_ops():
    assert [name for name, variant in epoch_speed.VARIANTS.items() if not variant.deterministic] == ["XLA"]
    assert epoch_speed.VARIANTS["alone"].processes == 1 and epoch_speed.VARIANTS["side by side"].processes == 2


@pytest.mark.parametrize("argv", [["--epochs", "1"], ["--epochs", "21"], ["--repeats", "0"]])
def test_bad_epoch_benchmark_setting_is_refused(argv, capsys):
    with pytest.raises(SystemExit):
        epoch_speed.main(argv)
    assert "must be from" in capsys.readouterr().err


def test_reports_are_written_whole(tmp_path):
    output = tmp_path / "results" / "report.json"
    train_speed.write_report({"speedup": 2.5}, output)
    assert json.loads(output.read_text()) == {"speedup": 2.5}
    assert [path.name for path in output.parent.iterdir()] == ["report.json"]


def test_the_frontier_benchmark_times_the_budgets_models_or_the_candidates_as_they_train():
    from fmnist import budgets
    from fmnist.experiments import frontier, screening

    models = frontier.model_configs()
    # The budgets' models, and the 10-minute budget's model before the screening chose another.
    assert frontier_speed.model_names(screening=False) == [budgets.SECOND_WALK_CNN, budgets.AUGMENTED_CNN, budgets.FIRST_WALK_CNN]
    assert frontier_speed.model_config(budgets.FIRST_WALK_CNN) == screening.candidate_config(budgets.CANDIDATES[0], models)
    assert frontier_speed.model_names(screening=True) == [candidate.name for candidate in budgets.CANDIDATES]
    for candidate in budgets.CANDIDATES:
        assert frontier_speed.model_config(candidate.name, screening=True) == screening.candidate_config(candidate, models)
    sixty = budgets.budget_named(60)
    assert frontier_speed.model_config(sixty.model) == models[sixty.model](sixty.epochs)


def test_the_frontier_benchmark_refuses_a_model_it_does_not_time(capsys):
    with pytest.raises(SystemExit) as stopped:
        frontier_speed.main(["--screening", "--worker", "the paper's CNN"])
    assert stopped.value.code == 2
    assert "--worker must be one of the first walk's CNN" in capsys.readouterr().err
