"""The speed page's numbers, from the benchmarks' saved reports only.

`benchmarks/train_speed.py` writes one report (the whole experiment the straightforward
Keras way and the project's way, alternating), `benchmarks/epoch_speed.py` another
(single epochs of fold 1 run in other ways) and `benchmarks/cluster_speed.py` a third
(this machine's worker pool against a Dask cluster of as many workers). The functions here read them and return
the tables and the facts the page glues; nothing here times anything.
"""

from __future__ import annotations

import json
import os
import pathlib

import pandas as pd

from fmnist import PERCENT
from fmnist.analysis import formatting
from fmnist.store import results, usage

BENCHMARK_RESULTS = results.CHECKOUT_DIR / "benchmarks" / "results"
TRAIN_REPORT = "latest.json"
# The benchmark report's names, as the page shows them.
WAYS_COLUMNS = {
    "seconds_per_fold_epoch": "s per fold-epoch",
    "training_images_per_second": "training images per s",
    "gflops_per_second": "GFLOP/s",
    "peak_memory_gib": "peak memory (GiB)",
    "threads": "threads per op",
}
# The report's machine and setup names that the page words otherwise (the rest show as they are).
MACHINE_ROWS = {
    "cpu": "CPU",
    "cores": "CPU cores",
    "python": "Python",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "epochs": "epochs per fold",
    "repeats": "runs of each way",
}
EPOCH_REPORT = "epoch_speed.json"
FRONTIER_REPORT = "frontier_speed.json"
SCREENING_REPORT = "screening_speed.json"
CLUSTER_REPORT = "cluster_speed.json"
# The cluster benchmark's jobs, as the page names them.
CLUSTER_JOBS = {"table_one": "Table I", "sweep": "a sweep of two configurations"}
# The variants of one epoch that the page names, with the glue label of each.
OTHER_WAYS = {"two threads per op": "threads", "oneDNN off": "eigen", "XLA": "xla"}


def read_report(chosen: str | os.PathLike | None, default_name: str, script: str) -> dict:
    """Return a benchmark's JSON report (the committed one unless `chosen`), refusing a path that does not exist."""
    path = pathlib.Path(chosen) if chosen else BENCHMARK_RESULTS / default_name
    if not path.is_file():
        raise ValueError(f"{path.name} does not exist: run `python benchmarks/{script}` first")
    return json.loads(path.read_text())


def report_location(chosen: str | os.PathLike | None, default_name: str) -> str:
    """Return where a benchmark report was read from, relative to the checkout, for a caption."""
    return usage.location(pathlib.Path(chosen) if chosen else BENCHMARK_RESULTS / default_name)


def ways_table(report: dict) -> pd.DataFrame:
    """Return one row per way of training: times, throughput, memory, share of the matmul peak and each fold's accuracy."""
    ways = pd.DataFrame(report["ways"]).set_index("way")
    ways["share of matmul peak (%)"] = PERCENT * ways["gflops_per_second"] / report["matmul_peak_gflops"]
    accuracy = pd.DataFrame(ways["held_out_accuracy"].tolist(), index=ways.index).mul(PERCENT)
    accuracy.columns = [f"held-out accuracy, fold {fold} (%)" for fold in accuracy.columns]
    return ways.drop(columns=["wall_seconds", "held_out_accuracy"]).rename(columns=WAYS_COLUMNS).join(accuracy)


def machine_table(report: dict) -> pd.DataFrame:
    """Return the benchmark's machine and setup as one labelled column of text."""
    facts = {**report["machine"], **report["setup"]}
    if "date" in facts:
        facts["date"] = formatting.minute_of(facts["date"])
    facts["matmul peak (GFLOP/s)"] = f"{report['matmul_peak_gflops']:.1f}"
    return pd.DataFrame({"benchmark": {MACHINE_ROWS.get(name, name): str(value) for name, value in facts.items()}})


def ways_facts(report: dict) -> dict:
    """Return the facts the page states about the whole-experiment benchmark, by glue name."""
    ways = ways_table(report)
    accuracy = ways.filter(like="held-out accuracy")
    repeats = report["setup"]["repeats"]
    return {
        "speedup": report["speedup"],
        "runs_each": "one run each" if repeats == 1 else f"best of {repeats} runs each",
        "repeat_sentence": repeat_sentence(report["speedup_per_repeat"]),
        "benchmark_date": report["machine"]["date"][:10],
        "benchmark_cpu": formatting.with_article(report["machine"]["cpu"]),
        "straightforward_seconds": float(ways.loc["straightforward", WAYS_COLUMNS["seconds_per_fold_epoch"]]),
        "project_seconds": float(ways.loc["project", WAYS_COLUMNS["seconds_per_fold_epoch"]]),
        "project_memory": float(ways.loc["project", WAYS_COLUMNS["peak_memory_gib"]]),
        "project_share": float(ways.loc["project", "share of matmul peak (%)"]),
        "straightforward_accuracy": float(accuracy.loc["straightforward"].mean()),
        "project_accuracy": float(accuracy.loc["project"].mean()),
    }


def repeat_sentence(ratios: list[float]) -> str:
    """Return what the benchmark's repeats say of its ratio: one run, or the ratio of each pair of runs."""
    if len(ratios) == 1:
        return (
            "The benchmark ran each way once, so this is a single ratio; the load of this shared "
            "machine moves it from one run to the next."
        )
    return (
        f"The two ways ran alternately, {len(ratios)} times each; each pair of runs gave a ratio of "
        f"{', '.join(f'{ratio:.2f}' for ratio in ratios)}, which shows how much the load of this shared machine moves it."
    )


def variants_table(epoch_report: dict) -> pd.DataFrame:
    """Return one row per way of running an epoch, with its time relative to the project's step alone."""
    variants = pd.DataFrame(epoch_report["variants"]).set_index("variant")
    variants["time relative to alone"] = variants["seconds_per_epoch"] / variants.loc["alone", "seconds_per_epoch"]
    variants["held_out_accuracy"] *= PERCENT
    columns = {
        "seconds_per_epoch": "s per epoch (each process)",
        "seconds_per_fold_epoch": "s per fold-epoch (all processes)",
        "time relative to alone": "time relative to alone",
        "same_numbers_as_alone": "same numbers as alone",
        "held_out_accuracy": f"held-out accuracy after {epoch_report['setup']['epochs']} epochs (%)",
    }
    variants["same_numbers_as_alone"] = variants["same_numbers_as_alone"].map(formatting.yes_no)
    return variants[list(columns)].rename(columns=columns)


def variants_facts(epoch_report: dict) -> dict:
    """Return the facts the page states about the one-epoch benchmark, by glue name."""
    variants = pd.DataFrame(epoch_report["variants"]).set_index("variant")
    alone = variants.loc["alone", "seconds_per_epoch"]
    side_by_side = variants.loc["side by side"]
    relative = variants["seconds_per_epoch"] / alone
    others = variants[(variants["processes"] == 1) & (variants.index != "alone")]
    faster = others.index[relative[others.index] < 1].tolist()
    return {
        "epoch_date": epoch_report["machine"]["date"][:10],
        "epoch_repeats": epoch_report["setup"]["repeats"],
        "epoch_epochs": epoch_report["setup"]["epochs"],
        "alone_seconds": float(alone),
        "side_seconds": float(side_by_side["seconds_per_epoch"]),
        "side_gain": float(side_by_side["processes"] * alone / side_by_side["seconds_per_epoch"]),
        **{f"{label}_relative": float(relative[name]) for name, label in OTHER_WAYS.items()},
        "others_verdict": (
            f"{', '.join(faster)} ran faster than the project's step alone"
            if faster
            else "none ran faster than the project's step alone"
        ),
    }


def cluster_table(cluster_report: dict) -> pd.DataFrame:
    """Return, per job of the cluster benchmark, each way's wall time, their ratio and whether the numbers matched."""
    jobs = list(cluster_report["cluster_over_pool"])
    return pd.DataFrame(
        {
            "pool (s)": [cluster_report["seconds"]["pool"][job] for job in jobs],
            "Dask cluster (s)": [cluster_report["seconds"]["cluster"][job] for job in jobs],
            "cluster / pool": [cluster_report["cluster_over_pool"][job] for job in jobs],
            "same numbers": [formatting.yes_no(cluster_report["same_numbers"][job]) for job in jobs],
        },
        index=pd.Index([CLUSTER_JOBS.get(job, job) for job in jobs], name="work"),
    )


def cluster_facts(cluster_report: dict) -> dict:
    """Return the facts the page states about the cluster benchmark, by glue name."""
    setup = cluster_report["setup"]
    same = all(cluster_report["same_numbers"].values())
    return {
        "cluster_date": cluster_report["machine"]["date"][:10],
        "cluster_cpu": formatting.with_article(cluster_report["machine"]["cpu"]),
        "cluster_workers": setup["workers"],
        "cluster_table_one_epochs": setup["table_one_epochs"],
        "cluster_table_one_ratio": cluster_report["cluster_over_pool"]["table_one"],
        "cluster_sweep_ratio": cluster_report["cluster_over_pool"]["sweep"],
        "cluster_same": "the same to the last bit" if same else "not the same",
    }
