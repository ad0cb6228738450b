"""Whether a result's wall time was the machine's own: the load each result records, and how it is judged."""

import os
import subprocess
import sys

from fmnist import provenance
from fmnist.analysis import timing
from conftest import fold


def result(load_average, cores=2, kind="AuthenticAMD family 25 model 17; avx2 fma"):
    """Return a result whose provenance records this 5-minute load average on a machine of `cores` cores."""
    load = None if load_average is None else {"load_average": [load_average, load_average, load_average], "training_processes": 1}
    return fold(provenance={"cpu_count": cores, "cpu_kind": kind, "load": load})


def test_a_result_records_the_machines_load_and_its_training_processes():
    recorded = provenance.provenance()["load"]
    assert len(recorded["load_average"]) == 3 and all(value >= 0 for value in recorded["load_average"])
    assert recorded["training_processes"] >= 0


def test_training_workers_name_themselves_so_that_others_count_them():
    code = "from fmnist import provenance; provenance.name_training_process(); print(provenance.training_processes())"
    before = provenance.training_processes()
    counted = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert int(counted.stdout) == before + 1


def test_a_time_is_quiet_only_when_no_work_waited_for_the_cores():
    assert timing.load_state(result(2.4)) == timing.QUIET  # two folds on two cores
    assert timing.load_state(result(3.2)) == timing.UNDER_LOAD  # a third fold waiting
    assert timing.load_state(result(None)) == timing.NOT_RECORDED
    assert timing.load_state(fold()) == timing.NOT_RECORDED


def test_other_processes_work_is_the_machines_busy_time_less_this_processs_own(monkeypatch):
    snapshots = iter([{"machine": 100.0, "process": 10.0, "clock": 50.0}, {"machine": 300.0, "process": 190.0, "clock": 150.0}])
    monkeypatch.setattr(provenance, "cpu_seconds", lambda: next(snapshots))
    # 200 busy seconds in 100 s, 180 of them this process's: other processes kept 0.2 of a core busy.
    assert provenance.other_work(provenance.cpu_seconds()) == {"seconds": 100.0, "other_cpu_seconds": 20.0, "other_cores": 0.2}
    assert provenance.other_work(None) is None


def test_a_busy_process_beside_this_one_is_measured_as_other_work():
    started = provenance.cpu_seconds()
    busy = subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass"], check=True)
    measured = provenance.machine_load(since=started)["other_work"]
    assert busy.returncode == 0 and measured["other_cpu_seconds"] >= 0.9 and measured["other_cores"] > timing.OTHER_WORK_MARGIN
    assert "other_work" not in provenance.machine_load()


def test_a_run_is_quiet_only_if_other_processes_left_the_cores_to_it():
    def run(other_cores, load_average=4.0):
        load = {"load_average": [load_average] * 3, "training_processes": 1, "other_work": {"seconds": 600.0, "other_cpu_seconds": 600.0 * other_cores, "other_cores": other_cores}}
        return fold(provenance={"cpu_count": 2, "load": load})

    # The run's own threads raise the load average; only the other processes' work counts.
    assert timing.load_state(run(0.02)) == timing.QUIET
    assert timing.load_state(run(0.5, load_average=2.6)) == timing.UNDER_LOAD


def test_a_run_is_quiet_only_if_every_fold_was():
    assert timing.run_state([result(1.0), result(2.0)]) == timing.QUIET and timing.run_state([result(1.0)]) == timing.QUIET
    assert timing.run_state([result(1.0), result(4.0)]) == timing.UNDER_LOAD
    assert timing.run_state([result(1.0), result(None)]) == timing.NOT_RECORDED
    assert timing.run_state([]) != timing.QUIET


def test_the_processor_kind_is_named_or_said_to_be_unrecorded():
    assert timing.processor_kind([result(1.0), result(1.0, kind="GenuineIntel family 6 model 85; avx2 fma avx512f")]) == (
        "AuthenticAMD family 25 model 17; avx2 fma; GenuineIntel family 6 model 85; avx2 fma avx512f"
    )
    assert timing.processor_kind([fold()]) == "not recorded"
