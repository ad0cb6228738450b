"""The command line: options, errors and the tables it prints."""

import pytest

from fmnist import cli
from conftest import fold, official_result


@pytest.mark.parametrize(
    "argv, message",
    [
        (["cv", "--epochs", "0"], "epochs must be an integer >= 1"),
        (["cv", "--padding", "full"], "padding must be one of valid, same"),
        (["cv", "--momentum", "1.5"], "momentum"),
        (["cv", "--epochs", "ten"], "invalid int value"),
        (["cv", "--workers", "0"], "workers"),
        (["table", "--folds", "1"], "folds must be an integer >= 2"),
        (["test", "--dropout", "1.5"], "dropout must be a number with 0 <= dropout < 1"),
        (["test", "--lr-schedule", "step"], "lr_schedule must be one of constant, cosine"),
        (["test", "--conv-blocks", "4"], "conv_blocks must be an integer from 1 to 3"),
        (["sweep", "--paddings", "full"], "paddings must each be one of valid, same"),
        (["sweep", "--filters", "0"], "expected an integer >= 1"),
        (["ablation", "--epochs", "0"], "epochs must be an integer >= 1"),
        (["cv", "--trainer", "keras4"], "trainer must be one of fmnist, keras3-fit, keras2-fit"),
        (["cv", "--trainer", "keras2-fit", "--batch-norm"], "trains the paper's model only"),
        (["seeds", "--seeds", "1-x"], "seeds must be a comma-separated list of seeds and ranges"),
        (["seeds", "--seeds", "5-2"], "runs backwards; write it as 2-5"),
        (["seeds", "--seeds", ""], "seeds must be a comma-separated list"),
        (["test", "--trainer", "keras2-fit"], "the official-test run trains with the project's own loop"),
        (["ladder", "--longer-epochs", "-1"], "longer_epochs must be an integer >= 0"),
        (["ladder", "--final-seeds", "2-0"], "runs backwards; write it as 0-2"),
    ],
)
def test_bad_option_is_one_line_not_a_traceback(argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        cli.main(["cv", "--help"])
    text = capsys.readouterr().out
    for option in ("--folds", "--epochs", "--batch-size", "--filters", "--padding", "--subset", "--results", "--workers"):
        assert option in text


def test_missing_data_is_one_clear_error(tmp_path, no_default_folders, capsys):
    status = cli.main(["data", "--data-dir", str(tmp_path / "nowhere"), "--no-download"])
    assert status == cli.EXIT_FAILURE
    error = capsys.readouterr().err
    assert error.startswith("fmnist: error: Fashion-MNIST is not in")
    assert "apt-get install dataset-fashion-mnist" in error


@pytest.mark.parametrize("command", ["cv", "test"])
def test_unwritable_results_folder_is_one_clear_error(tmp_path, capsys, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    status = cli.main([command, "--subset", "600", "--epochs", "1", "--results", str(blocker / "results")])
    assert status == cli.EXIT_FAILURE
    assert "cannot write results under" in capsys.readouterr().err


def test_table_of_a_run_never_made_says_what_to_do(tmp_path, capsys):
    status = cli.main(["table", "--results", str(tmp_path)])
    assert status == cli.EXIT_FAILURE
    assert "run `fmnist cv` first" in capsys.readouterr().err


@pytest.mark.slow
def test_cv_prints_table_one_beside_the_papers_and_table_reads_it_back(tmp_path, capsys):
    argv = ["--folds", "2", "--epochs", "1", "--subset", "600", "--results", str(tmp_path)]
    assert cli.main(["cv", *argv]) == 0
    printed = capsys.readouterr().out
    assert "paper" in printed and "ours" in printed and "difference" in printed
    assert "91.21%" in printed  # The paper's first fold.
    assert "Mean held-out accuracy" in printed
    assert cli.main(["table", *argv]) == 0
    assert "2 of 2 folds finished" in capsys.readouterr().out


@pytest.mark.slow
def test_tiny_sweep_prints_one_row_per_configuration(tmp_path, capsys):
    argv = ["sweep", "--filters", "4", "8", "--folds", "2", "--epochs", "1", "--subset", "200", "--results", str(tmp_path)]
    assert cli.main(argv) == 0
    # The table's last column is "timing" (whether the machine was quiet while each trained).
    summary = capsys.readouterr().out.split("timing")[-1].strip().splitlines()
    # A header line (padding, filters), then same 4, 8 and valid 4, 8.
    assert [line.split()[0] for line in summary[1:]] == ["same", "8", "valid", "8"]
    assert len(list(tmp_path.glob("k2-e1-b32-f*-n200-*"))) == 4


def test_a_missing_keras2_is_one_clear_error_before_any_work(tmp_path, monkeypatch, capsys):
    from fmnist.engine import baselines

    monkeypatch.setattr(baselines.importlib.util, "find_spec", lambda name: None)
    results = tmp_path / "results"
    status = cli.main(["cv", "--trainer", "keras2-fit", "--subset", "600", "--epochs", "1", "--results", str(results)])
    assert status == cli.EXIT_FAILURE
    error = capsys.readouterr().err
    assert error.startswith("fmnist: error: the trainer 'keras2-fit' needs Keras 2 (the tf_keras package)")
    assert "pip install --no-deps" in error
    assert not results.exists(), "a run folder was made for a run that cannot start"


@pytest.mark.parametrize("recorded_here", [True, False])
def test_ci_retrains_a_final_run_only_on_the_processor_kind_that_recorded_it(tmp_path, monkeypatch, capsys, recorded_here):
    from fmnist import provenance
    from fmnist.data import fashion_mnist
    from fmnist.experiments import better_cnn, testset
    from fmnist.store import records, results

    start = better_cnn.ladder_start()
    step = better_cnn.LadderStep(
        "first walk's CNN", start, (fold(test_accuracy=0.92, num_parameters=1, wall_seconds=60.0),), kept=True
    )
    monkeypatch.setattr(better_cnn, "ladder", lambda start, fold_result: [step])
    trained = []

    def run_test(config, **options):
        trained.append(config)
        return tmp_path, official_result(test_accuracy=0.93, test_accuracy_flip_averaged=0.9, training_seconds=60.0)

    monkeypatch.setattr(testset, "run_test", run_test)
    (final,) = better_cnn.final_configs(start, (0,))
    kind = provenance.cpu_kind() if recorded_here else "GenuineIntel family 6 model 106; avx2 fma avx512f"
    folder = results.open_run(tmp_path / "made", final, fashion_mnist.FASHION_MNIST.checksums())
    results.save_test(folder, {"test_accuracy": 0.93, "provenance": {"cpu": "Intel Xeon", "cpu_kind": kind}})
    records.record(folder, tmp_path / "records")
    monkeypatch.setenv(records.ENV_RECORDS_DIR, str(tmp_path / "records"))

    argv = ["ladder", "--final-seeds", "0", "--results", str(tmp_path / "results")]
    assert cli.main(argv + ["--only-on-recorded-kind"]) == 0
    output = capsys.readouterr().out
    if recorded_here:
        assert trained == [final] and "seed 0, on the official test set: 93.00%" in output
    else:
        assert trained == [] and "seed 0: not retrained here. Its record was made on Intel Xeon" in output
        assert "Leave out --only-on-recorded-kind" in output
    trained.clear()
    assert cli.main(argv) == 0
    assert trained == [final], "without the option, the run is retrained on any processor"


def test_the_ladder_trains_the_longer_run_only_when_asked(tmp_path, monkeypatch, capsys):
    from fmnist.experiments import better_cnn, testset

    start = better_cnn.ladder_start()
    step = better_cnn.LadderStep(
        "first walk's CNN", start, (fold(test_accuracy=0.92, num_parameters=1, wall_seconds=60.0),), kept=True
    )
    monkeypatch.setattr(better_cnn, "ladder", lambda start, fold_result: [step])
    obtained = []

    def recording_fold(*arguments):
        def obtain(config):
            obtained.append(config)
            return fold(test_accuracy=0.94, wall_seconds=1800.0, source="recorded")

        return obtain

    monkeypatch.setattr(better_cnn, "recording_fold", recording_fold)
    monkeypatch.setattr(testset, "run_test", lambda config, **options: (tmp_path, official_result(test_accuracy=0.93, test_accuracy_flip_averaged=0.9, training_seconds=60.0)))
    argv = ["ladder", "--final-seeds", "0", "--results", str(tmp_path / "results")]
    assert cli.main(argv) == 0 and obtained == []
    assert cli.main(argv + ["--longer-epochs", "3"]) == 0
    assert obtained == [better_cnn.longer_training(start, 3)]
    assert "mirrored and shifted images, 3 epochs on fold 1: 94.00% held out after 30.0 minutes" in capsys.readouterr().out


def test_a_stopped_run_says_what_is_saved_and_what_starts_again():
    import argparse

    args = argparse.Namespace(command="test", results="/tmp/r")
    line = cli.stopped_message(args, KeyboardInterrupt())
    assert line.startswith("fmnist: stopped by Ctrl-C; every finished fold and official-test result is saved under /tmp/r")
    assert "(an official-test run or a plain model.fit fold starts again)" in line and "\n" not in line
    assert cli.stopped_message(args, cli.Terminated()).startswith("fmnist: stopped by SIGTERM;")
    assert cli.stopped_message(argparse.Namespace(command="table"), KeyboardInterrupt()) == "fmnist: stopped by Ctrl-C; nothing was being written."


@pytest.mark.parametrize("value, message", [("2-1", "runs backwards"), ("x", "seeds must be a comma-separated list")])
def test_the_ablations_further_seeds_are_checked_before_any_work(value, message, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["ablation", "--seeds", value])
    assert caught.value.code == cli.EXIT_USAGE
    assert message in capsys.readouterr().err
