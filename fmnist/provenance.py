"""Where and with what a result was computed: the date, the machine, the processor kind, its load and the libraries.

Every saved result carries this, and a record is judged against a recomputation by its
processor kind (`fmnist.store.records`). The CPU that other processes used while a run
trained, or where that was not measured the machine's load when it finished, says whether
its wall time was the machine's own or shared with other work (`fmnist.analysis.timing`).
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import pathlib
import platform
import time


def package_version(*names: str) -> str | None:
    """Return the installed version of the first of the named distributions found."""
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def now_utc() -> str:
    """Return the current time in UTC, ISO 8601."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def cpu_name() -> str:
    """Return the processor's model name."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# Instruction-set features that decide which kernels TensorFlow runs, and so its rounding.
NUMBER_CHANGING_CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")


def cpu_kind() -> str:
    """Return the processor's kind as far as the numbers go: vendor, family, model and vector instruction sets.

    Two processors with one model name ("AMD EPYC", say) may run other kernels, and so
    round differently: a run on each is then another random draw (`fmnist.store.records`).
    """
    fields: dict[str, str] = {}
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    except OSError:
        return f"{platform.machine()} {platform.processor()}".strip()
    flags = set(fields.get("flags", "").split())
    features = " ".join(flag for flag in NUMBER_CHANGING_CPU_FLAGS if flag in flags) or "no vector extensions"
    return f"{fields.get('vendor_id', '?')} family {fields.get('cpu family', '?')} model {fields.get('model', '?')}; {features}"


# What training worker processes call themselves (Linux's process name, as `top` and `ps -C` show it).
TRAINING_PROCESS_NAME = "fmnist-train"


def name_training_process() -> None:
    """Name this process TRAINING_PROCESS_NAME, so that other trainings on the machine can count it (Linux only)."""
    try:
        pathlib.Path("/proc/self/comm").write_text(TRAINING_PROCESS_NAME)
    except OSError:
        pass


def training_processes() -> int:
    """Return how many training worker processes run on this machine now, this one included if it is one."""
    count = 0
    for comm in pathlib.Path("/proc").glob("[0-9]*/comm"):
        try:
            count += comm.read_text().strip() == TRAINING_PROCESS_NAME
        except OSError:
            continue
    return count


def cpu_seconds() -> dict | None:
    """Return the CPU seconds the whole machine has been busy since it started and this process's own, with a clock (None where /proc/stat is missing).

    Two of these, taken before and after some work, say how much of the machine other
    processes used meanwhile (`other_work`).
    """
    try:
        fields = pathlib.Path("/proc/stat").read_text().splitlines()[0].split()
        user, nice, system, _idle, _iowait, irq, softirq = (int(value) for value in fields[1:8])
    except (OSError, IndexError, ValueError):
        return None
    own = os.times()
    return {
        "machine": (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK"),
        "process": own.user + own.system,
        "clock": time.monotonic(),
    }


def other_work(since: dict | None) -> dict | None:
    """Return how much CPU other processes used since a `cpu_seconds` snapshot: its seconds, and the cores they kept busy on average.

    The machine's busy time less this process's own (all its threads) is the other
    processes' work; None where either snapshot is missing.
    """
    now = None if since is None else cpu_seconds()
    if now is None:
        return None
    seconds = now["clock"] - since["clock"]
    other = max(0.0, (now["machine"] - since["machine"]) - (now["process"] - since["process"]))
    return {
        "seconds": round(seconds, 1),
        "other_cpu_seconds": round(other, 1),
        "other_cores": round(other / seconds, 3) if seconds > 0 else 0.0,
    }


def machine_load(since: dict | None = None) -> dict:
    """Return the machine's load now: its 1-, 5- and 15-minute load averages and its training processes.

    With a `cpu_seconds` snapshot taken when some work began, it also holds the CPU
    that other processes used since then (`other_work`).
    """
    try:
        averages = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        averages = None
    load = {"load_average": averages, "training_processes": training_processes()}
    other = other_work(since)
    if other is not None:
        load["other_work"] = other
    return load


def provenance(since: dict | None = None) -> dict:
    """Return where and with what a result was computed; `since` is a `cpu_seconds` snapshot from when its work began."""
    return {
        "date": now_utc(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_name(),
        "cpu_kind": cpu_kind(),
        "cpu_count": os.cpu_count(),
        "load": machine_load(since),
        "packages": {
            "fmnist": package_version("fmnist"),
            "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
            "keras": package_version("keras"),
            "tf_keras": package_version("tf-keras", "tf_keras"),
            "numpy": package_version("numpy"),
            "scikit-learn": package_version("scikit-learn"),
        },
    }
