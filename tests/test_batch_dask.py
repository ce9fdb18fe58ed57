"""Tests of ``dki-recap --scheduler`` / ``--dask-workers`` (helpers.batch.cluster): the notebook runs on a
Dask distributed cluster, with the semantics of the local process pool.

Every cluster listens on 127.0.0.1 only.  One cluster of two worker processes (1 thread each) is
started for the module (as ``dask scheduler`` + ``dask worker`` would be) and reached with
``--scheduler``; ``--dask-workers 2`` starts and closes its own.  The tests run in one xdist group,
so that the module's cluster is started once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from helpers import batch, paths
from helpers.batch import cluster_task
from helpers.batch.cluster import ATTEMPTS, DaskSession

FIXTURES = Path(__file__).parent / "fixtures" / "batch_notebooks"
OK = FIXTURES / "ok"
KILLS_WORKER = FIXTURES / "failing" / "03-kills-worker.ipynb"

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("dask")]


@pytest.fixture(scope="module")
def cluster():
    """An existing cluster: a scheduler and two worker processes (nanny-managed, as `dask worker`)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard": False,
                                                                "dashboard_address": "127.0.0.1:0"}) as c:
        yield c


def _worker_pids(cluster) -> dict[str, int]:
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)
        return client.run(os.getpid)


def _kernels(pid: int) -> list:
    """The kernels running under the process ``pid``."""
    found = []
    try:
        children = psutil.Process(pid).children()
    except psutil.Error:
        return found
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _runs(out: Path) -> dict:
    return {(r["scope"], r["notebook"]): r for r in _manifest(out)["runs"]}


def _check_report(out: Path, tmp_path: Path, runs: int) -> dict:
    manifest = _manifest(out)
    assert manifest["status"] == "complete"
    assert len(manifest["runs"]) == runs and all(r["status"] == "ok" for r in manifest["runs"])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{runs} dari {runs} run notebook berhasil" in index
    for scope in ("dki", "jakarta-pusat"):
        figures = json.loads((out / scope / "01-count.figures.json").read_text(encoding="utf-8"))
        assert figures["scope_name"] == ("DKI Jakarta" if scope == "dki" else "Jakarta Pusat")
        # the kernel is the worker's Python (this environment's: the workers run it)
        assert Path(figures["python"]).resolve() == Path(sys.executable).resolve()
        assert (out / scope / "02-gaps.ipynb").is_file()
    assert not (out / ATTEMPTS).exists()  # the start records are not published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no tmp/old folders left
    return manifest


# ---------------------------------------------------------------------------------------------
# command line, no cluster
# ---------------------------------------------------------------------------------------------
def test_unreachable_scheduler_is_one_line_and_leaves_nothing(tmp_path, capsys):
    t0 = time.monotonic()
    code = batch.main(["--notebooks", str(OK), "--kota", "dki", "--output", str(tmp_path / "out"),
                       "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("dki-recap: error: cannot connect to the Dask scheduler tcp://127.0.0.1:1 within 1 s")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no report, no build folder
    assert time.monotonic() - t0 < 30


def test_scheduler_without_workers_is_an_error(tmp_path, capsys):
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None,
                      scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"}) as empty:
        code = batch.main(["--notebooks", str(OK), "--kota", "dki", "--output", str(tmp_path / "out"),
                           "--scheduler", empty.scheduler_address, "--connect-timeout", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"the Dask scheduler {empty.scheduler_address} has no worker" in err and "dask worker" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--dask-workers", "0"], "--dask-workers must be at least 1"),
    (["--dask-workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "not allowed with argument"),
])
def test_bad_dask_options(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        batch.main(["--notebooks", str(OK), "--output", str(tmp_path / "out"), *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# the task on the worker side, without a cluster: in a thread, as a dask worker runs it
# ---------------------------------------------------------------------------------------------
def test_run_task_in_a_thread_counts_its_starts_and_never_touches_signals(tmp_path, monkeypatch):
    build = tmp_path / "out.tmp-1"
    attempts = build / ATTEMPTS
    attempts.mkdir(parents=True)
    task = {"notebook": str(OK / "01-count.ipynb"), "scope": "dki", "out_dir": str(build / "dki"),
            "parameters": {"output_dir": str(build / "dki")}, "kernel_dir": str(tmp_path / "not-on-this-worker"),
            "timeout": None, "warnings": [], "attempts_dir": str(attempts)}
    # this process plays the worker: its kernelspec folder and JUPYTER_PATH are restored afterwards
    monkeypatch.setattr(cluster_task, "_KERNEL_DIR", None)
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    calls = []
    real_signal = signal.signal

    def spy(signum, handler):
        calls.append(threading.current_thread().name)
        return real_signal(signum, handler)

    monkeypatch.setattr(signal, "signal", spy)

    def in_thread(t: dict) -> dict:
        out = {}
        thread = threading.Thread(target=lambda: out.update(cluster_task.run_task(t)), name="dask-worker-thread")
        thread.start()
        thread.join(60)
        return out

    first = in_thread(task)
    assert first["status"] == "ok", first
    assert first["warnings"] == [] and first["retries"] == []
    assert (build / "dki" / "01-count.figures.json").is_file()
    # the worker wrote its own kernelspec (the given kernel_dir does not exist here) and kept it
    kernel_dir = cluster_task.worker_kernel_dir()
    assert kernel_dir.is_dir() and str(kernel_dir) in os.environ["JUPYTER_PATH"]
    # a second start of the same run = its worker died: the retry runs and says so
    second = in_thread(task)
    assert second["status"] == "ok"
    assert len(second["retries"]) == 1 and second["retries"][0]["kind"] == "worker_died"
    assert "retried once" in second["retries"][0]["detail"]
    # a third start: the worker died twice; reported failed without running
    third = in_thread(task)
    assert third["status"] == "failed" and "died twice" in third["error"]
    assert len(cluster_task.read_starts(task)) == 3
    assert calls == []  # nothing installed a signal handler (it would raise in a worker thread)

    # the batch is over (its start records removed): nothing runs
    os.rename(attempts, tmp_path / "gone")
    assert "the batch was stopped" in in_thread(task)["error"]
    # the build folder is not on this worker: a clear error, nothing created
    lost = dict(task, out_dir=str(tmp_path / "elsewhere" / "dki"), attempts_dir=str(tmp_path / "elsewhere" / "a"))
    result = in_thread(lost)
    assert result["status"] == "failed" and "is not visible on the dask worker" in result["error"]
    assert not (tmp_path / "elsewhere").exists()


# ---------------------------------------------------------------------------------------------
# batches on a cluster
# ---------------------------------------------------------------------------------------------
def test_existing_scheduler(cluster, tmp_path):
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(OK), "--kota", "dki", "jakpus", "--output", str(out),
                       "--scheduler", cluster.scheduler_address, "--no-progress"])
    assert code == 0
    options = _check_report(out, tmp_path, runs=4)["options"]
    assert options["scheduler"] == cluster.scheduler_address
    assert options["dask_workers"] == 2 and options["jobs"] == 2 and options["dask_cluster"] == "existing"
    assert len(_worker_pids(cluster)) == 2  # the cluster is not closed by the command


def test_dask_workers_starts_and_closes_a_local_cluster(tmp_path, monkeypatch):
    started: list[int] = []
    real_init = DaskSession.__init__

    def init(self, *args, **kwargs):  # note the worker processes of the cluster the command starts
        real_init(self, *args, **kwargs)
        started.extend(self.client.run(os.getpid).values())

    monkeypatch.setattr(DaskSession, "__init__", init)
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(OK), "--kota", "dki", "jakpus", "--output", str(out),
                       "--dask-workers", "2", "--no-progress"])
    assert code == 0
    options = _check_report(out, tmp_path, runs=4)["options"]
    assert options["scheduler"].startswith("tcp://127.0.0.1:")
    assert options["dask_workers"] == 2 and options["dask_cluster"].startswith("local")
    assert len(started) == 2
    deadline = time.monotonic() + 20  # the cluster is closed: its worker processes are gone
    while alive := [pid for pid in started if _running(pid)]:
        assert time.monotonic() < deadline, alive
        time.sleep(0.2)


def test_a_killed_worker_is_retried_once_and_the_batch_completes(cluster, tmp_path):
    workers = _worker_pids(cluster)
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker_running_a_kernel():
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            for pid in workers.values():
                if _kernels(pid):
                    time.sleep(1)  # in the notebook's 5 s sleep
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_a_worker_running_a_kernel)
    killer.start()
    out = tmp_path / "out"
    try:
        code = batch.main(["--notebooks", str(OK), "--kota", "dki", "jakpus", "--output", str(out),
                           "-p", "sleep_s", "5", "--scheduler", cluster.scheduler_address, "--no-progress"])
    finally:
        stop.set()
        killer.join()
    assert len(killed) == 1
    assert code == 0
    _check_report(out, tmp_path, runs=4)
    retried = [r for r in _manifest(out)["runs"] if r["retries"]]
    assert len(retried) == 1 and retried[0]["notebook"] == "01-count", _manifest(out)["runs"]
    detail = retried[0]["retries"][0]["detail"]
    assert "died" in detail and "retried once" in detail
    assert "retried once" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["dask-workers", "scheduler"])
def test_a_run_that_kills_its_worker_every_time_fails_after_one_retry(cluster, tmp_path, capsys, engine):
    # --dask-workers: allowed-failures 0, the retry is resubmitted by dki-recap; an existing
    # scheduler (allowed-failures 3 by default) reruns it by itself and the task counts its starts
    how = ["--dask-workers", "2"] if engine == "dask-workers" else ["--scheduler", cluster.scheduler_address]
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(OK / "01-count.ipynb"), str(KILLS_WORKER), str(OK / "02-gaps.ipynb"),
                       "--kota", "dki", "--output", str(out), "--no-progress", *how])
    assert code == 1
    runs = _runs(out)
    assert runs["dki", "01-count"]["status"] == "ok"
    assert runs["dki", "02-gaps"]["status"] == "ok"  # the scope goes on after the failure
    bad = runs["dki", "03-kills-worker"]
    assert bad["status"] == "failed"
    assert "died twice" in bad["error"] and "retried once" in bad["error"]
    assert bad["error"].count("tcp://127.0.0.1:") == 2  # both workers that died are named
    assert "died twice" in (out / "index.html").read_text(encoding="utf-8")
    assert _manifest(out)["status"] == "failed"
    assert not (out / ATTEMPTS).exists()
    if engine == "dask-workers":
        assert "retrying it once" in capsys.readouterr().err


@pytest.mark.parametrize("engine, signum", [("dask-workers", signal.SIGTERM), ("scheduler", signal.SIGINT)])
def test_interrupted_dask_run_leaves_the_previous_report(cluster, tmp_path, engine, signum):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"tool": "dki-recap", "status": "complete"}), encoding="utf-8")
    (out / "index.html").write_text("previous report", encoding="utf-8")
    how = ["--dask-workers", "2"] if engine == "dask-workers" else ["--scheduler", cluster.scheduler_address]
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.batch", "--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki",
         "-p", "sleep_s", "60", "--output", str(out), "--no-progress", *how],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build = tmp_path / f"out.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not (build / "dki" / "01-count.ipynb").exists():  # papermill saved the notebook: kernel runs
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "incomplete" and manifest["options"]["engine"] == "dask"
    assert not (build / "index.html").exists()
    if engine == "scheduler":
        # the run still executing on the existing cluster stops too: its kernel is killed
        workers = _worker_pids(cluster)
        deadline = time.monotonic() + 15
        while any(_kernels(pid) for pid in workers.values()):
            assert time.monotonic() < deadline, "a kernel still runs on the cluster after the interrupt"
            time.sleep(0.2)


def test_a_province_batch_survives_a_killed_worker(cluster, tmp_path):
    """Scopes outside DKI (--provinsi) go the same way: a worker killed while it runs the real notebook
    01 for one kab/kota of Maluku Utara, the run retried once on the other worker, the batch complete."""
    workers = _worker_pids(cluster)
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker_running_a_kernel():
        deadline = time.monotonic() + 120
        while not stop.is_set() and time.monotonic() < deadline:
            for pid in workers.values():
                if _kernels(pid):
                    time.sleep(1)  # the notebook is loading the province
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_a_worker_running_a_kernel)
    killer.start()
    out = tmp_path / "out"
    try:
        code = batch.main(["--provinsi", "Maluku Utara", "--kota", "Ternate", "Tidore Kepulauan",
                           "--notebooks", str(paths.NOTEBOOKS / "01-recap-sites-map.ipynb"), "--output", str(out),
                           "--scheduler", cluster.scheduler_address, "--no-progress"])
    finally:
        stop.set()
        killer.join()
    assert len(killed) == 1
    assert code == 0
    runs = _manifest(out)["runs"]
    assert sorted((r["scope"], r["status"]) for r in runs) == [("ternate", "ok"), ("tidore-kepulauan", "ok")]
    retried = [r for r in runs if r["retries"]]
    assert len(retried) == 1 and "retried once" in retried[0]["retries"][0]["detail"]
    for scope in ("ternate", "tidore-kepulauan"):
        figures = json.loads((out / scope / "01-recap-sites-map.figures.json").read_text(encoding="utf-8"))
        assert figures["n_sites"] == figures["n_sites_approximate"] > 0
