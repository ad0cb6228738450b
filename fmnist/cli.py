"""The `fmnist` command line: get the data, run the experiments, print their tables."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import signal
import sys
import threading

from fmnist import budgets
from fmnist.data import fashion_mnist, idx
from fmnist.engine import baselines
from fmnist.experiments import better_cnn, cluster, frontier, screening, seeds, sweep
from fmnist.store import records, result_types, results
from fmnist.store.places import Places
from fmnist.config import CVConfig, check_int

EXIT_USAGE = 2
EXIT_FAILURE = 1
# A run stopped by a signal exits as a shell reports one: 128 plus the signal's number.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM: it stops as on Ctrl-C, and says which."""


def raise_terminated(signal_number: int, frame: object) -> None:
    """Stop the run on SIGTERM as Ctrl-C stops it."""
    raise Terminated()


@contextlib.contextmanager
def stopping_on_sigterm():
    """While in the block, SIGTERM stops the process as Ctrl-C does (in the main thread, where signals are handled)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped_message(args: argparse.Namespace, error: KeyboardInterrupt) -> str:
    """Return the one line a stopped run prints: what stopped it, what is saved and how to go on."""
    how = "stopped by SIGTERM" if isinstance(error, Terminated) else "stopped by Ctrl-C"
    if args.command in ("data", "table", "check-records"):
        return f"fmnist: {how}; nothing was being written."
    folder = getattr(args, "results", None) or results.default_results_dir()
    return (
        f"fmnist: {how}; every finished fold and official-test result is saved under {folder}, and so is the last "
        "finished epoch of each unfinished fold that the project's own loop trains (an official-test run or a plain "
        "model.fit fold starts again): run the same command to go on from there."
    )


def positive_int(text: str) -> int:
    """Parse an integer >= 1 for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


# How the command line reads each type of CVConfig field.
OPTION_TYPES = {"int": int, "float": float, "str": str, "int | None": int}


def add_config_options(
    parser: argparse.ArgumentParser,
    exclude: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    defaults: dict | None = None,
) -> None:
    """Add one option per field of CVConfig, made from the field's type, default and help.

    `exclude` leaves some fields out, `only` keeps only some, and `defaults` replaces
    some fields' defaults (a command that varies a setting itself, say).
    """
    groups: dict[str, argparse._ArgumentGroup] = {}
    for field in dataclasses.fields(CVConfig):
        if field.name in exclude or (only is not None and field.name not in only):
            continue
        default = (defaults or {}).get(field.name, field.default)
        group_name = field.metadata["group"]
        if group_name not in groups:
            groups[group_name] = parser.add_argument_group(group_name)
        option = "--" + field.name.replace("_", "-")
        if field.type == "bool":
            groups[group_name].add_argument(option, action="store_true", help=field.metadata["help"])
        else:
            shown = "all" if default is None else "%(default)s"
            groups[group_name].add_argument(
                option, type=OPTION_TYPES[field.type], default=default, help=f"{field.metadata['help']} (default: {shown})"
            )


# The settings that the sweep's and the ablation's commands take; they vary the others themselves.
SWEEP_SETTINGS = ("folds", "epochs", "subset")
ABLATION_SETTINGS = ("epochs", "subset")


def config_from_args(args: argparse.Namespace, only: tuple[str, ...] | None = None) -> CVConfig:
    """Build the validated config from parsed options (only some, if `only`); a setting without an option keeps its default."""
    names = [field.name for field in dataclasses.fields(CVConfig) if only is None or field.name in only]
    return CVConfig(**{name: getattr(args, name) for name in names if hasattr(args, name)})


def add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    """Add --scheduler: the Dask scheduler whose workers train, instead of this machine's processes."""
    parser.add_argument(
        "--scheduler",
        default=None,
        help=f"address of a Dask scheduler (tcp://host:8786) whose workers train the folds; "
        f"default: ${cluster.ENV_SCHEDULER}, else this machine",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the `fmnist` command and its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="fmnist",
        description="Reproduce Table I of 'Classifying Fashion Images Using a CNN' (Kugler, 2022).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data_parser = commands.add_parser("data", help="verify (and if needed download) Fashion-MNIST and print where it is")
    data_parser.add_argument("--data-dir", help=f"folder holding the four IDX files (default: ${fashion_mnist.ENV_DATA_DIR}, Keras's cache, then Debian's)")
    data_parser.add_argument("--no-download", action="store_true", help="fail instead of downloading when the data is not on this machine")

    cv_parser = commands.add_parser("cv", help="run the k-fold cross-validation and print Table I beside the paper's")
    add_config_options(cv_parser)
    cv_parser.set_defaults(subparser=cv_parser)
    cv_parser.add_argument("--results", default=None, help=f"results folder; finished folds there are reused (default: ${results.ENV_RESULTS_DIR}, else results/ of the checkout)")
    cv_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(cv_parser)
    cv_parser.add_argument("--workers", type=positive_int, default=None, help="worker processes training folds at once (default: one per core, at most one per fold); the numbers do not depend on it")

    table_parser = commands.add_parser("table", help="print Table I of a saved run beside the paper's (trains nothing)")
    add_config_options(table_parser)
    table_parser.set_defaults(subparser=table_parser)
    table_parser.add_argument("--results", default=None, help="results folder (default: as for `fmnist cv`)")
    table_parser.add_argument("--require-agreement", action="store_true", help="exit with status 1 unless all folds are saved and the mean held-out accuracy is within 1 point of the paper's")

    test_parser = commands.add_parser("test", help="train on all training images and score the official test images")
    add_config_options(test_parser)
    test_parser.set_defaults(subparser=test_parser)
    test_parser.add_argument("--results", default=None, help="results folder; a saved result there is reused (default: as for `fmnist cv`)")
    test_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(test_parser)
    test_parser.add_argument("--record", action="store_true", help="also copy the run into the records folder (records/ of the checkout)")

    sweep_parser = commands.add_parser("sweep", help="the paper's Future Work: cross-validate every filters x padding")
    sweep_parser.set_defaults(subparser=sweep_parser)
    sweep_parser.add_argument("--filters", type=positive_int, nargs="+", default=list(sweep.FILTERS), help="filter counts to try (default: %(default)s)")
    sweep_parser.add_argument("--paddings", nargs="+", default=list(sweep.PADDINGS), help="paddings to try (default: %(default)s)")
    add_config_options(sweep_parser, only=SWEEP_SETTINGS)
    sweep_parser.add_argument("--results", default=None, help="results folder; finished folds there are reused (default: as for `fmnist cv`)")
    sweep_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(sweep_parser)
    sweep_parser.add_argument("--workers", type=positive_int, default=None, help="folds trained at once (default: one per core)")
    sweep_parser.add_argument("--record", action="store_true", help="also copy every finished configuration into the records folder")

    seeds_parser = commands.add_parser("seeds", help="the noise study: the cross-validation at many seeds, printing Table I's mean per seed")
    seeds_parser.set_defaults(subparser=seeds_parser)
    seeds_parser.add_argument("--seeds", default="0-9", help=f"seeds to run, {seeds.SEED_LIST_FORMAT} (default: %(default)s)")
    add_config_options(seeds_parser, exclude=("seed",))
    seeds_parser.add_argument("--results", default=None, help="results folder; finished folds there are reused (default: as for `fmnist cv`)")
    seeds_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(seeds_parser)
    seeds_parser.add_argument("--workers", type=positive_int, default=None, help="folds trained at once (default: one per core)")
    seeds_parser.add_argument("--record", action="store_true", help="also copy every finished seed's run into the records folder")
    seeds_parser.add_argument("--skip-recorded", action="store_true", help="leave out the seeds that already have a complete record (to go on with a study across machines or sessions)")

    ablation_parser = add_walk_parser(
        commands, "ablation", "the better CNN's first walk: its ablation on fold 1, then its CNN's official test score at each final seed", better_cnn.EPOCHS
    )
    ablation_parser.add_argument(
        "--seeds",
        default=",".join(str(seed) for seed in better_cnn.ABLATION_SEEDS),
        help=f"further seeds at which the kept steps are scored again, {seeds.SEED_LIST_FORMAT}, or none "
        "(default: %(default)s)",
    )
    ablation_parser.add_argument(
        "--no-test", action="store_true", help="leave out the official-test runs (the walk and its seeds only)"
    )

    ladder_parser = add_walk_parser(
        commands, "ladder", "the better CNN's second walk on fold 1 at several seeds, then its official test score at each final seed", better_cnn.LADDER_EPOCHS
    )
    ladder_parser.add_argument(
        "--longer-epochs",
        type=int,
        default=0,
        help="also train the better CNN with mirrored and shifted images this many epochs on fold 1 at seed "
        f"{better_cnn.LONGER_SEED}, beyond the budget: what more time buys (default: leave it out; the book's is "
        f"{better_cnn.LONGER_EPOCHS})",
    )
    ladder_parser.add_argument(
        "--only-on-recorded-kind",
        action="store_true",
        help="retrain a recorded final run only on the processor kind that recorded it, where the two must agree; "
        "elsewhere read its record (CI's check)",
    )

    frontier_parser = commands.add_parser(
        "frontier", help="the budget frontier: each budget's model trained on all 60,000 images and scored on the official test set, per seed"
    )
    frontier_parser.set_defaults(subparser=frontier_parser)
    frontier_parser.add_argument(
        "--budgets",
        default="all",
        help=f"budgets to train, in minutes, such as 10,60, or all ({', '.join(str(budget.minutes) for budget in budgets.BUDGETS)}) (default: %(default)s)",
    )
    frontier_parser.add_argument(
        "--seeds", default=None, help=f"seeds to train each budget's model at, {seeds.SEED_LIST_FORMAT} (default: each budget's own)"
    )
    frontier_parser.add_argument("--results", default=None, help="results folder; a saved run there is reused (default: as for `fmnist cv`)")
    frontier_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(frontier_parser)
    frontier_parser.add_argument("--record", action="store_true", help="also copy each run into the records folder as it ends")
    frontier_parser.add_argument(
        "--skip-recorded", action="store_true", help="leave out the runs already saved or recorded (to go on with a frontier across machines or sessions)"
    )
    frontier_parser.add_argument(
        "--only-on-recorded-kind",
        action="store_true",
        help="retrain a recorded run only on the processor kind that recorded it, where the two must agree; elsewhere read its record (CI's check)",
    )
    frontier_parser.add_argument(
        "--screen",
        action="store_true",
        help="instead of official-test runs, screen the 10-minute budget's candidates on fold 1, each at its epochs and at --seeds "
        f"(default: {','.join(str(seed) for seed in budgets.SCREENING_SEEDS)}); saved or recorded runs are read back, not trained again",
    )

    check_parser = commands.add_parser("check-records", help="compare the recorded results with the same runs recomputed here")
    check_parser.add_argument("--results", default=None, help="results folder of the recomputed runs (default: as for `fmnist cv`)")
    check_parser.add_argument("--records", default=None, help=f"records folder (default: ${records.ENV_RECORDS_DIR}, else records/ of the checkout)")
    check_parser.add_argument("--tolerance", type=float, default=records.DEFAULT_TOLERANCE_POINTS, help="largest accuracy difference, in points, that still matches on the processor kind that recorded it (default: %(default)s); on another kind the noise study's seed noise sets it")
    return parser


def print_tables(folds: list[result_types.FoldResult]) -> dict:
    """Print our Table I beside the paper's and the verdict; return the verdict."""
    from fmnist.analysis import table_one

    print(table_one.format_percent(table_one.comparison(folds)))
    verdict = table_one.verdict(folds)
    print(
        f"\nMean held-out accuracy: ours {verdict['our_mean']:.2f}%, paper {verdict['paper_mean']:.2f}% "
        f"(difference {verdict['difference']:+.2f} points; "
        f"{'within' if verdict['within_tolerance'] else 'outside'} {verdict['tolerance']:.0f} point)."
    )
    return verdict


def add_walk_parser(commands, name: str, help_text: str, epochs: int) -> argparse.ArgumentParser:
    """Add the command of one of the better CNN's walks, with the options both walks take: the choices, the folders, the scheduler, --record."""
    walk_parser = commands.add_parser(name, help=help_text)
    walk_parser.set_defaults(subparser=walk_parser)
    add_config_options(walk_parser, only=ABLATION_SETTINGS, defaults={"epochs": epochs})
    walk_parser.add_argument("--results", default=None, help="results folder; saved steps there are reused (default: as for `fmnist cv`)")
    walk_parser.add_argument("--data-dir", help="folder holding the four IDX files")
    add_scheduler_option(walk_parser)
    walk_parser.add_argument("--record", action="store_true", help="also copy every step trained here and each final run into the records folder as it ends")
    walk_parser.add_argument(
        "--final-seeds",
        default=",".join(str(seed) for seed in better_cnn.FINAL_SEEDS),
        help=f"seeds of the walk's CNN's official-test runs, each trained on all 60,000 images, {seeds.SEED_LIST_FORMAT} (default: %(default)s)",
    )
    return walk_parser


def scheduler_from(args: argparse.Namespace) -> str | None:
    """Return the Dask scheduler the command trains on: --scheduler, else $FMNIST_SCHEDULER, else None (this machine)."""
    return cluster.scheduler_address(args.scheduler)


def places_from(args: argparse.Namespace) -> Places:
    """Return where the command reads and writes runs and where it trains: --results, --data-dir, the scheduler; the records in their default folder."""
    return Places(results_dir=args.results, data_dir=args.data_dir, scheduler=scheduler_from(args))


def command_data(args: argparse.Namespace) -> int:
    """Verify the data and print its folder."""
    dataset = fashion_mnist.load(args.data_dir, download=not args.no_download)
    print(f"Fashion-MNIST verified in {dataset.folder}")
    return 0


def command_cv(args: argparse.Namespace) -> int:
    """Run the cross-validation and print the tables."""
    from fmnist.experiments import cv

    folder, folds = cv.run_cv(
        args.settings, results_dir=args.results, data_dir=args.data_dir, workers=args.workers, scheduler=scheduler_from(args)
    )
    print(f"\nResults in {folder}\n")
    print_tables(folds)
    return 0


def command_test(args: argparse.Namespace) -> int:
    """Train on all training images, score the official test images and print the accuracy."""
    from fmnist.experiments import testset

    folder, result = testset.run_test(args.settings, results_dir=args.results, data_dir=args.data_dir, scheduler=scheduler_from(args))
    print(
        f"\nOfficial test accuracy: {100 * result.test_accuracy:.2f}% "
        f"({result.training_seconds:.0f} s of training; results in {folder})"
    )
    if args.record:
        print(f"Recorded in {records.record(folder)}")
    return 0


def sweep_configs_from_args(args: argparse.Namespace) -> list[CVConfig]:
    """Build the validated sweep configurations from parsed options."""
    return sweep.sweep_configs(
        config_from_args(args, only=SWEEP_SETTINGS),
        filters=tuple(args.filters),
        paddings=tuple(args.paddings),
    )


def command_sweep(args: argparse.Namespace) -> int:
    """Run the Future Work sweep and print its summary."""
    from fmnist.analysis import sweep_results

    runs = sweep.run_sweep(args.settings, places_from(args), args.workers)
    summary = sweep_results.sweep_summary([(config, folds) for config, _, folds in runs])
    print_and_record(summary, [folder for _, folder, _ in runs], args.record)
    return 0


def print_and_record(table, folders: list, record: bool) -> None:
    """Print a summary table of several runs and, if asked, record each run's folder."""
    print()
    print(table.to_string(float_format=lambda value: f"{value:.2f}"))
    if record:
        for folder in folders:
            print(f"Recorded in {records.record(folder)}")


def test_config_from_args(args: argparse.Namespace) -> CVConfig:
    """Build the validated config of an official-test run, which trains with the project's own loop."""
    config = config_from_args(args)
    if not config.saves_epochs:
        raise ValueError(
            f"the official-test run trains with the project's own loop; drop --trainer {config.trainer} "
            "(the plain fit loops are for the noise study: fmnist seeds)"
        )
    return config


def seed_configs_from_args(args: argparse.Namespace) -> list[CVConfig]:
    """Build the validated configuration of every seed from parsed options."""
    return seeds.seed_configs(config_from_args(args), seeds.parse_seeds(args.seeds))


def command_seeds(args: argparse.Namespace) -> int:
    """Run the cross-validation at every seed and print each seed's mean accuracies."""
    from fmnist.analysis import noise

    configs = args.settings
    if args.skip_recorded:
        asked = len(configs)
        configs = seeds.without_records(configs)
        if not configs:
            print(f"Every seed asked for ({args.seeds}) has a complete record: nothing to run (--skip-recorded).")
            return 0
        print(f"{len(configs)} of the {asked} seeds have no complete record: running those.")
    runs = seeds.run_seeds(configs, places_from(args), args.workers)
    means = noise.seed_means([(config, folds) for config, _, folds in runs])
    print_and_record(means, [folder for _, folder, _ in runs], args.record)
    return 0


def ablation_base_from_args(args: argparse.Namespace) -> CVConfig:
    """Build the validated base config of the ablation from parsed options (checking its further and final seeds too)."""
    ablation_seeds_from_args(args)
    seeds.parse_seeds(args.final_seeds, "final_seeds")
    return config_from_args(args, only=ABLATION_SETTINGS)


def ablation_seeds_from_args(args: argparse.Namespace) -> tuple[int, ...]:
    """Return the further seeds of the ablation's kept steps ("none" for none)."""
    return () if args.seeds.strip() == "none" else tuple(seeds.parse_seeds(args.seeds, "seeds"))


def command_ablation(args: argparse.Namespace) -> int:
    """Run the better CNN's first walk (reading back recorded steps), its kept steps at further seeds, and its official-test training; print them."""
    from fmnist.analysis import ablation_results

    further_seeds = ablation_seeds_from_args(args)
    final_seeds = () if args.no_test else tuple(seeds.parse_seeds(args.final_seeds, "final_seeds"))
    done = better_cnn.run_ablation(args.settings, places_from(args), further_seeds, final_seeds, record=args.record)
    print()
    print(ablation_results.ablation_table(done.steps).to_string(float_format=lambda value: f"{value:.2f}"))
    if done.seeded:
        print(f"\nThe kept steps at seeds 0 and {', '.join(map(str, further_seeds))}:")
        print(ablation_results.seeded_table(done.seeded).to_string(float_format=lambda value: f"{value:.2f}"))
    for final in done.finals:
        print_final_run("The first walk's CNN", final)
    return 0


def print_final_run(name: str, final: better_cnn.FinalRun) -> None:
    """Print one official-test run of a walk's CNN: its scores and time, or why it was not retrained here; and where it was recorded."""
    seed = f"{name}, seed {final.config.seed}"
    if final.result is None:
        print(f"{seed}: not retrained here. {final.not_retrained_because} Leave out --only-on-recorded-kind to retrain it anyway.")
        return
    flipped = final.result.test_accuracy_flip_averaged
    with_flips = f" ({100 * flipped:.2f}% with flip test-time augmentation)" if flipped is not None else ""
    print(
        f"{seed}, on the official test set: {100 * final.result.test_accuracy:.2f}%{with_flips} "
        f"after {final.result.training_seconds / 60:.1f} minutes of training"
    )
    if final.recorded_in is not None:
        print(f"Recorded in {final.recorded_in}")


def ladder_start_from_args(args: argparse.Namespace) -> CVConfig:
    """Build the validated first step of the ladder from parsed options (checking the final seeds and longer epochs too)."""
    seeds.parse_seeds(args.final_seeds, "final_seeds")
    check_int("longer_epochs", args.longer_epochs, minimum=0)
    return better_cnn.ladder_start(config_from_args(args, only=ABLATION_SETTINGS))


def command_ladder(args: argparse.Namespace) -> int:
    """Run the better CNN's second walk (reading back recorded steps), its longer training if asked, then its official-test training at each final seed."""
    from fmnist.analysis import ablation_results

    done = better_cnn.run_ladder(
        args.settings,
        places_from(args),
        tuple(seeds.parse_seeds(args.final_seeds, "final_seeds")),
        args.longer_epochs,
        record=args.record,
        only_on_recorded_kind=args.only_on_recorded_kind,
    )
    print()
    print(ablation_results.ladder_table(done.steps).to_string(float_format=lambda value: f"{value:.2f}"))
    if done.longer is not None:
        print(
            f"\nBetter CNN with mirrored and shifted images, {args.longer_epochs} epochs on fold {better_cnn.ABLATION_FOLD}: "
            f"{100 * done.longer.held_out_accuracy:.2f}% held out after {done.longer.wall_seconds / 60:.1f} minutes of training"
        )
    for final in done.finals:
        print_final_run("Better CNN", final)
    return 0


def command_frontier(args: argparse.Namespace) -> int:
    """Train each chosen budget's official-test runs (where not skipped) and print them, or with --screen the 10-minute candidates' fold-1 runs."""
    if args.screen:
        for run in screening.run_screening(places_from(args), args.seeds or budgets.SCREENING_SEEDS, args.record):
            print(f"{run.candidate.name}, seed {run.config.seed}, {run.config.epochs} epochs: held-out accuracy {run.result.held_out_accuracy:.2%}")
        return 0
    for final in frontier.run_frontier(
        args.settings, places_from(args), args.seeds, args.record, args.skip_recorded, args.only_on_recorded_kind
    ):
        print_final_run(f"{final.config.epochs}-epoch model", final)
    return 0


def frontier_budgets_from_args(args: argparse.Namespace) -> list[budgets.Budget]:
    """Return the validated budgets, and validate the seeds (a tuple, or None for each budget's own) in place."""
    args.seeds = None if args.seeds is None else tuple(seeds.parse_seeds(args.seeds, "seeds"))
    if args.screen and args.budgets not in ("all", "10"):
        raise ValueError("--screen screens the 10-minute budget's candidates only: leave out --budgets, or give --budgets 10")
    return budgets.parse_budgets(args.budgets)


def command_check_records(args: argparse.Namespace) -> int:
    """Compare recorded results with their recomputation; fail on a mismatch or on nothing to compare."""
    from fmnist import record_checks

    rows, note = record_checks.judged(args.results, args.records, args.tolerance)
    if not rows:
        print("fmnist: error: no recorded result has been recomputed here; run one first (`make book` does)", file=sys.stderr)
        return EXIT_FAILURE
    if note:
        print(note)
    for row in rows:
        kind = "same processor kind" if row["same_processor"] else "another or unknown processor kind, another random draw"
        libraries = "; ".join(row["library_changes"]) or "the same"
        print(
            f"{row['config']} {row['result']}: recorded {row['recorded']:.2f}% on {row['recorded_on']}, "
            f"recomputed {row['recomputed']:.2f}% (difference {row['difference']:+.2f}; {kind}: "
            f"tolerance {row['tolerance']:.2f}) {'matches' if row['matches'] else 'DOES NOT MATCH'}; "
            f"library versions against the record's: {libraries}"
        )
    if not all(row["matches"] for row in rows):
        print("fmnist: error: a recomputed result differs from its record by more than its tolerance", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def command_table(args: argparse.Namespace) -> int:
    """Print the tables of a saved run."""
    config = args.settings
    folder = results.saved_run_folder(config, args.results)
    _, folds = results.load_run(folder)
    print(f"Results in {folder} ({len(folds)} of {config.folds} folds finished)\n")
    verdict = print_tables(folds)
    if args.require_agreement and not (len(folds) == config.folds and verdict["within_tolerance"]):
        print("fmnist: error: the reproduction does not agree with the paper within tolerance", file=sys.stderr)
        return EXIT_FAILURE
    return 0


COMMANDS = {
    "data": command_data,
    "cv": command_cv,
    "table": command_table,
    "test": command_test,
    "sweep": command_sweep,
    "seeds": command_seeds,
    "ablation": command_ablation,
    "ladder": command_ladder,
    "frontier": command_frontier,
    "check-records": command_check_records,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    validators = {
        "sweep": sweep_configs_from_args,
        "seeds": seed_configs_from_args,
        "ablation": ablation_base_from_args,
        "ladder": ladder_start_from_args,
        "test": test_config_from_args,
        "frontier": frontier_budgets_from_args,
    }
    if args.command in ("cv", "table", "test", "sweep", "seeds", "ablation", "ladder", "frontier"):
        # Validated once, here, so that a bad option is one usage error; the command takes the result.
        try:
            args.settings = validators.get(args.command, config_from_args)(args)
        except ValueError as error:
            args.subparser.error(str(error))
    try:
        with stopping_on_sigterm():
            return COMMANDS[args.command](args)
    except (
        ValueError,
        idx.DataFileError,
        fashion_mnist.DataUnavailableError,
        results.ResultsFolderError,
        baselines.MissingLibraryError,
        cluster.ClusterError,
    ) as error:
        print(f"fmnist: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt as error:
        print(f"\n{stopped_message(args, error)}", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(error, Terminated) else EXIT_INTERRUPTED
    finally:
        cluster.close_clients()


if __name__ == "__main__":
    sys.exit(main())
