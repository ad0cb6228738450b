"""Whether a result's wall time is the machine's own: taken on a quiet machine, under load, or with its load unknown.

An official-test run records the CPU that other processes used while it trained
(`fmnist.provenance.other_work`): its time is the machine's own if they kept at most
OTHER_WORK_MARGIN of a core busy on average. A fold, which may train beside the other
folds of its run, records the machine's load when it finished
(`fmnist.provenance.machine_load`): the 1-, 5- and 15-minute load averages and the
training processes then running. Its wall time is the machine's own only if no other
work waited for the cores while it trained: the 5-minute load average (about a fold's
length) at most the machine's cores plus QUIET_MARGIN. A time taken under load, or by a
result older than these records (no load saved), is shown as such and left out of speed,
scaling and cost claims.
"""

from __future__ import annotations

from fmnist.store import result_types

# A fold's or an official test run's result: both carry their provenance.
Result = result_types.SavedResult

QUIET = "quiet"
UNDER_LOAD = "under load"
NOT_RECORDED = "load not recorded"
# Runnable work beyond the cores, averaged over 5 minutes, that still counts as a quiet machine.
QUIET_MARGIN = 0.5
# Cores that other processes kept busy on average while a run trained, and the machine still
# counts as quiet: the shell and the system's own services, not a test suite or another training.
OTHER_WORK_MARGIN = 0.1


def load_state(result: Result) -> str:
    """Return whether one result was timed on a quiet machine, under load, or with its load not recorded."""
    other_work = (result.provenance.load or {}).get("other_work")
    if other_work is not None:
        return QUIET if other_work["other_cores"] <= OTHER_WORK_MARGIN else UNDER_LOAD
    averages = (result.provenance.load or {}).get("load_average")
    cores = result.provenance.cpu_count
    if not averages or not cores:
        return NOT_RECORDED
    return QUIET if quiet_load(averages, cores) else UNDER_LOAD


def quiet_load(load_average: list[float], cores: int) -> bool:
    """Return whether 1-, 5- and 15-minute load averages say no work waited for the cores: the 5-minute one at most cores plus QUIET_MARGIN."""
    return load_average[1] <= cores + QUIET_MARGIN


def run_state(results: list[Result]) -> str:
    """Return the state of a run's timing: quiet only if every result was, under load if any was, else not recorded."""
    return joint_state(load_state(result) for result in results)


def joint_state(states) -> str:
    """Return the timing state of several timings together: quiet only if every one was, under load if any was, else not recorded."""
    states = set(states)
    if states == {QUIET}:
        return QUIET
    return UNDER_LOAD if UNDER_LOAD in states else NOT_RECORDED


def processor_kind(results: list[Result]) -> str:
    """Return the processor kind(s) that computed these results, as their provenance names them ("not recorded" where it does not)."""
    kinds = {result.provenance.kind for result in results}
    return "; ".join(sorted(kinds))


def short_kind(kind: str) -> str:
    """Return a processor kind without the instruction sets that follow its semicolon ("AuthenticAMD family 25 model 17")."""
    return kind.split(";")[0]


def run_facts(results: list[Result]) -> dict:
    """Return what made a run's results, as the source tables show it: when it finished, the processor, its kind, TensorFlow, the load."""
    return {
        "finished": max(result.provenance.date or "" for result in results),
        "CPU": "; ".join(sorted({result.provenance.cpu for result in results})),
        "processor kind": processor_kind(results),
        "TensorFlow": ", ".join(sorted({result.provenance.packages.get("tensorflow") or "not recorded" for result in results})),
        "timing": run_state(results),
    }
