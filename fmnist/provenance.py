"""Where and with what a result was computed: the date, the machine, the processor kind, its load and the libraries.

Every saved result carries this, and a record is judged against a recomputation by its
processor kind (`fmnist.store.records`). The machine's load when a result finished says
whether its wall time was the machine's own or shared with other work
(`fmnist.analysis.timing`).
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import pathlib
import platform


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


def machine_load() -> dict:
    """Return the machine's load now: its 1-, 5- and 15-minute load averages and its training processes."""
    try:
        averages = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        averages = None
    return {"load_average": averages, "training_processes": training_processes()}


def provenance() -> dict:
    """Return where and with what a result was computed."""
    return {
        "date": now_utc(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_name(),
        "cpu_kind": cpu_kind(),
        "cpu_count": os.cpu_count(),
        "load": machine_load(),
        "packages": {
            "fmnist": package_version("fmnist"),
            "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
            "keras": package_version("keras"),
            "tf_keras": package_version("tf-keras", "tf_keras"),
            "numpy": package_version("numpy"),
            "scikit-learn": package_version("scikit-learn"),
        },
    }
