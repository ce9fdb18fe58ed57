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
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from helpers import batch
from helpers.core import paths
from helpers.batch import cluster_task
from helpers.batch.cluster import ATTEMPTS, DaskSession

FIXTURES = Path(__file__).parent / "fixtures" / "batch_notebooks"
OK = FIXTURES / "ok"
KILLS_WORKER = FIXTURES / "failing" / "03-kills-worker.ipynb"

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("dask")]

# Seconds: hang guards that a busy machine (CI, other jobs on its cores) never reaches, not speed
# targets; every wait ends as soon as its condition holds.  RUN_S: a batch, a run; WAIT_S: a worker
# (re)started, a process gone.
RUN_S, WAIT_S = 600, 300
#: ``sleep_s`` of a run that only an interrupt ends: longer than any bound here, so a run that was
#: not stopped still sleeps when a check gives up.
UNTIL_STOPPED_S = "3600"


@pytest.fixture(scope="module")
def cluster():
    """An existing cluster: a scheduler and two worker processes (nanny-managed, as `dask worker`)."""
    import dask
    from distributed import LocalCluster

    # a killed worker's nanny starts a new one; on a busy machine that one may take more than the 15 s of
    # distributed.deploy.lost-worker-timeout to register, and the cluster (in this process) then closes the
    # nanny and its new worker under the retried run (seen: a run "died twice")
    with dask.config.set({"distributed.deploy.lost-worker-timeout": "600s"}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                         scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"}) as c:
        yield c


def _worker_pids(cluster, when: str = "") -> dict[str, int]:
    """The module cluster's two workers, once both are up (one that a test killed comes back) and
    idle: no task executing (a cancelled one whose thread still runs counts) and no kernel.  Not
    idle within WAIT_S: the kernels are killed (not left running for the next tests) and the test
    fails."""
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False, timeout=WAIT_S) as client:
        deadline = time.monotonic() + WAIT_S
        while True:
            client.wait_for_workers(2, timeout=WAIT_S)
            pids = client.run(os.getpid)
            tasks = {w: n for w, n in client.run(lambda dask_worker: dask_worker.state.executing_count).items()
                     if n}
            kernels = [k for pid in pids.values() for k in _kernels(pid)]
            if len(pids) == 2 and not tasks and not kernels:
                return pids
            if time.monotonic() > deadline:
                for kernel in kernels:
                    kernel.kill()
                pytest.fail(f"the cluster is still busy {WAIT_S} s {when or 'on'}: tasks executing {tasks}, "
                            f"kernels {kernels}", pytrace=False)
            time.sleep(0.2)


def _kernels(pid: int, recursive: bool = False) -> list:
    """The kernels running under the process ``pid`` (its children; ``recursive``: its descendants)."""
    found = []
    try:
        children = psutil.Process(pid).children(recursive=recursive)
    except psutil.Error:
        return found
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def _running_cell(executed: Path) -> str:
    """The source of the cell marked running in the notebook papermill saves at each cell's start
    ("" before the first cell, or while the file is being written)."""
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:  # not written yet, or half-written
        return ""
    return next((c.source for c in nb.cells if c.get("metadata", {}).get("papermill", {}).get("status") == "running"),
                "")


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
    assert f"{runs} dari {runs} analisis berhasil" in index
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
def test_unreachable_scheduler_is_one_line_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    import distributed

    timeouts = []  # the connect timeout the client is given (how long it then tries is distributed's)

    class Client(distributed.Client):
        def __init__(self, *args, **kwargs):
            timeouts.append(kwargs.get("timeout"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(distributed, "Client", Client)
    # a port bound here and never listening: every connection to it is refused, and no other
    # process can take it while it is held
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        code = batch.main(["--notebooks", str(OK), "--kota", "dki", "--output", str(tmp_path / "out"),
                           "--scheduler", address, "--connect-timeout", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"pemilu-recap: error: cannot connect to the Dask scheduler {address} within 1 s")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no report, no build folder
    assert timeouts == [1.0]  # --connect-timeout reaches the client


def test_scheduler_without_workers_is_an_error(tmp_path, capsys, monkeypatch):
    import distributed
    from distributed import LocalCluster

    class Client(distributed.Client):
        """The connection to the (reachable) scheduler is given time on a busy machine; the 1 s of
        --connect-timeout is left to the wait for a worker, which no time can bring."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "timeout": WAIT_S})

    monkeypatch.setattr(distributed, "Client", Client)
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
        thread.join(RUN_S)
        assert not thread.is_alive(), f"run_task did not return within {RUN_S} s"
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


@pytest.mark.notebooks
def test_a_kernel_is_not_started_again_for_a_batch_that_is_over(tmp_path, monkeypatch):
    """On a Dask worker, a kernel that dies before its first reply is not started again once the batch is
    over (its .dask-attempts folder is gone): the port collision of nteract/papermill#511 is forced as in
    test_batch.py, and the run ends failed, with no retry."""
    from jupyter_client.connect import LocalPortCache

    from helpers.batch import execute

    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken = held.getsockname()[1]
    real = LocalPortCache.find_available_port
    handed = []

    def picker(self, ip):
        if not handed:
            handed.append(taken)
            self.currently_used_ports.add(taken)
            return taken
        return real(self, ip)

    monkeypatch.setattr(LocalPortCache, "find_available_port", picker)
    task = {"notebook": str(OK / "01-count.ipynb"), "scope": "dki", "out_dir": str(tmp_path / "dki"),
            "parameters": {"output_dir": str(tmp_path / "dki")}, "timeout": 600, "transport": "tcp",
            "kernel_dir": str(execute.write_kernelspec(tmp_path / "kernel")),
            "attempts_dir": str(tmp_path / "gone" / ATTEMPTS)}
    try:
        result = execute.run_one(task)
    finally:
        held.close()
    assert handed == [taken]
    assert result["status"] == "failed" and "Kernel died" in result["error"] and result["retries"] == []


def test_the_watcher_kills_every_kernel_of_a_batch_that_is_over(tmp_path):
    """Once the batch is over, the watcher of a one-thread worker kills the run's kernel, and keeps watching
    until the run returns: a kernel that appears later (one still starting when the batch ended) is killed
    too.  Stand-ins for kernels: child processes whose command line names ipykernel_launcher."""
    task = {"attempts_dir": str(tmp_path / ATTEMPTS)}  # never created: the batch is over
    done = threading.Event()
    watcher = threading.Thread(target=cluster_task._watch, args=(task, {"nthreads": 1}, time.time(), done),
                               daemon=True)
    watcher.start()
    try:
        for _ in range(2):  # the first, then one that appears after the watcher has already killed one
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "ipykernel_launcher"])
            try:
                assert child.wait(timeout=600) == -signal.SIGKILL
            finally:
                child.kill()
            assert watcher.is_alive()
    finally:
        done.set()
        watcher.join(600)
    assert not watcher.is_alive()


# ---------------------------------------------------------------------------------------------
# batches on a cluster
# ---------------------------------------------------------------------------------------------
def test_existing_scheduler(cluster, tmp_path):
    _worker_pids(cluster)  # both workers up and idle
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
    deadline = time.monotonic() + WAIT_S  # the cluster is closed: its worker processes are gone
    while alive := [pid for pid in started if _running(pid)]:
        assert time.monotonic() < deadline, alive
        time.sleep(0.2)


def test_a_killed_worker_is_retried_once_and_the_batch_completes(cluster, tmp_path):
    workers = _worker_pids(cluster)
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker_running_a_kernel():
        # the first runs are the two scopes' 01-count (a scope's notebooks run in order), each >= 5 s
        # (-p sleep_s 5) with its kernel up: the worker is killed as soon as its kernel is seen
        deadline = time.monotonic() + RUN_S
        while not stop.is_set() and time.monotonic() < deadline:
            for pid in workers.values():
                if _kernels(pid):
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
    if engine == "scheduler":
        _worker_pids(cluster)  # both workers up and idle
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
    if engine == "scheduler":
        _worker_pids(cluster)  # both workers up and idle
    # a session of its own: on a hang, it and the cluster it started are killed together
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.batch", "--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki",
         "-p", "sleep_s", UNTIL_STOPPED_S, "--output", str(out), "--no-progress", *how],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    build = tmp_path / f"out.tmp-{proc.pid}"
    try:
        deadline = time.monotonic() + RUN_S
        # the interrupt comes while the notebook runs: in its sleep (papermill saved the cell as running)
        while "time.sleep(sleep_s)" not in _running_cell(build / "dki" / "01-count.ipynb"):
            if proc.poll() is not None or time.monotonic() > deadline:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail(f"the run did not start within {RUN_S} s: {proc.communicate()}")
            time.sleep(0.2)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=RUN_S)
    finally:
        if proc.poll() is None:  # a hang: leave nothing behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "incomplete" and manifest["options"]["engine"] == "dask"
    assert not (build / "index.html").exists()
    if engine == "scheduler":
        # the run still executing on the existing cluster stops too: its kernel (sleeping for an
        # hour otherwise) is killed and its task ends: nothing keeps computing for a batch that is over
        _worker_pids(cluster, "after the interrupt")


def test_a_province_batch_survives_a_killed_worker(cluster, tmp_path):
    """Scopes outside DKI (--provinsi) go the same way: a worker killed while it runs the real notebook
    01 for one kab/kota of Maluku Utara, the run retried once on the other worker, the batch complete."""
    workers = _worker_pids(cluster)
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker_running_a_kernel():
        # killed as soon as its kernel is seen (the notebook then loads the province for seconds)
        deadline = time.monotonic() + RUN_S
        while not stop.is_set() and time.monotonic() < deadline:
            for pid in workers.values():
                if _kernels(pid):
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
