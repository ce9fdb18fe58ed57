"""The Dask task of ``pemilu-recap``: one notebook run on a worker, counting its own starts.

:func:`run_task` is what :mod:`helpers.batch.cluster` submits: it calls
:func:`helpers.batch.execute.run_one` in a worker thread (papermill starts a kernel, a process of
its own, for every run), so each run is isolated.

* **A lost worker: one retry.**  Each start of a run is recorded as a small file in the build
  folder (``.dask-attempts/<scope>/<notebook>.start-<n>.json``, removed before publishing).  A
  run that starts a second time (its worker died) says so in its ``retries``, naming the worker
  that died; a run that would start a third time is reported failed without running
  (:func:`died_twice`).  This holds whatever the scheduler's
  ``distributed.scheduler.allowed-failures``: an existing scheduler reruns a task by itself.
* **A batch that is over.**  While a run goes on, a thread watches ``.dask-attempts``; once an
  interrupted ``pemilu-recap`` has removed it, the run's kernel is killed (on workers with one
  thread, where the kernel started since the run began is surely its own), so nothing keeps
  computing for a batch that is over.
* **No signal handling in workers.**  Tasks run in threads of the worker process, where
  ``signal.signal`` raises ``ValueError``; nothing here installs a handler, and
  :func:`helpers.batch.interrupts.check_stop` does nothing there (the stop flag is only set by
  handlers installed in the main thread of the ``pemilu-recap`` process or of a process-pool
  worker).  :func:`dask_setup` is the preload of the workers of a cluster started by
  ``--dask-workers``: they ignore Ctrl-C, which ``pemilu-recap`` handles.

What workers need
-----------------
The package (same version) installed in the workers' Python, the notebooks at the same absolute
path (the repository checkout, or a shared folder), and the build folder ``<output>.tmp-<pid>``
visible at the same path (``--output`` on a shared filesystem).  A task checks the last two and
fails its run with a clear error instead of writing its outputs where nobody reads them.  Each
worker process writes its own kernelspec (a temporary folder pointing at the worker's own Python,
put first on ``JUPYTER_PATH`` once per process, :func:`worker_kernel_dir`), so a worker on another
machine never depends on the ``kernel_dir`` of the machine that runs ``pemilu-recap``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from helpers.batch import execute
import psutil
import signal

#: Starts of a run: the first one and one retry after a lost worker.
MAX_STARTS = 2
#: Seconds between two checks of a running task that its batch is still going on.
WATCH_S = 1.0

_KERNEL_LOCK = threading.Lock()
_KERNEL_DIR: Path | None = None


def worker_kernel_dir() -> Path:
    """This process's kernelspec folder (``python3`` -> this Python), created once and put first on
    ``JUPYTER_PATH`` for the life of the process.

    Kept on ``JUPYTER_PATH`` for good rather than per run: :func:`helpers.batch.execute.run_one` sets
    and restores the variable around its run, and on a worker with several threads the restores of
    one run could otherwise remove the folder while another run starts its kernel.

    Returns
    -------
    Path
        The folder (removed when the process exits).
    """
    global _KERNEL_DIR
    with _KERNEL_LOCK:
        if _KERNEL_DIR is None or not (_KERNEL_DIR / "kernels" / "python3" / "kernel.json").is_file():
            folder = execute.write_kernelspec(Path(tempfile.mkdtemp(prefix="dki-recap-kernel-")))
            atexit.register(shutil.rmtree, folder, True)
            old = os.environ.get("JUPYTER_PATH")
            os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder), old]))
            _KERNEL_DIR = folder
        return _KERNEL_DIR


def _where() -> dict:
    """Which worker this is: address, host and process id."""
    try:
        from distributed import get_worker  # here: only on a Dask worker

        worker = get_worker()
        address, nthreads = worker.address, worker.state.nthreads
    except (ImportError, ValueError, AttributeError):  # not in a dask worker (direct calls, tests)
        address, nthreads = None, None
    return {"worker": address, "host": socket.gethostname(), "pid": os.getpid(), "nthreads": nthreads}


def _name(where: dict) -> str:
    return f"{where.get('worker') or 'pid ' + str(where.get('pid'))} on host {where.get('host')}"


def _starts_folder(task: dict) -> Path:
    return Path(task["attempts_dir"]) / task["scope"]


def read_starts(task: dict) -> list[dict]:
    """The recorded starts of ``task``'s run, oldest first.

    Parameters
    ----------
    task : dict
        The task (``attempts_dir``, ``scope``, ``notebook``).

    Returns
    -------
    list of dict
        Per start: the worker's address, host, process id and thread count, and the time; ``{}``
        for a record half-written by a worker that died on it.
    """
    folder, stem = _starts_folder(task), Path(task["notebook"]).stem
    starts = []
    for n in range(1, 100):
        try:
            starts.append(json.loads((folder / f"{stem}.start-{n}.json").read_text(encoding="utf-8")))
        except FileNotFoundError:
            break
        except (OSError, ValueError):  # half-written by a worker that died on it: a start all the same
            starts.append({})
    return starts


def _record_start(task: dict, where: dict) -> list[dict]:
    """Record one more start of ``task``'s run; return the starts recorded before it."""
    folder, stem = _starts_folder(task), Path(task["notebook"]).stem
    folder.mkdir(exist_ok=True)
    for n in range(1, 100):
        try:
            fd = os.open(folder / f"{stem}.start-{n}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**where, "time": time.time()}, fh)
        return read_starts(task)[: n - 1]
    raise RuntimeError(f"too many starts recorded for {task['scope']}/{stem}")


def failed_result(task: dict, error: str, duration_s: float | None = None) -> dict:
    """The result of a run that failed on the cluster, or was not run at all.

    Parameters
    ----------
    task : dict
        The task (``notebook``, ``scope``, ``out_dir``, ``warnings``).
    error : str
        What happened.
    duration_s : float, optional
        Seconds it took, when known.

    Returns
    -------
    dict
        A :class:`~helpers.batch.execute.Run` as a dict, status ``failed``, naming the executed
        notebook when one was written.
    """
    executed = Path(task["out_dir"]) / f"{Path(task['notebook']).stem}.ipynb"
    return execute.Run(scope=task["scope"], notebook=Path(task["notebook"]).stem, status="failed", error=error,
                       warnings=list(task.get("warnings", [])), duration_s=duration_s,
                       executed=executed.name if executed.exists() else None).__dict__


def died_twice(task: dict, starts: list[dict]) -> dict:
    """Result of a run whose worker died on its first start and again on its retry.

    Parameters
    ----------
    task : dict
        The task.
    starts : list of dict
        Its recorded starts (:func:`read_starts`); the workers that died are named.

    Returns
    -------
    dict
        A failed :class:`~helpers.batch.execute.Run` as a dict (:func:`failed_result`).
    """
    names = "; then ".join(_name(s) for s in starts if s) or "unknown workers"
    first = min((s["time"] for s in starts if s.get("time")), default=None)
    return failed_result(task, f"the dask worker running this notebook died twice (killed, e.g. for lack of memory, "
                               f"or the notebook ended its own process): {names}; it was retried once and is not "
                               "tried again",
                         round(max(0.0, time.time() - first), 2) if first else None)


def _kill_my_kernels(since: float) -> None:
    """Kill the kernels this worker process started since ``since`` (its run's kernel)."""

    for child in psutil.Process().children():
        try:
            if child.create_time() >= since - 1 and "ipykernel_launcher" in " ".join(child.cmdline()):
                child.kill()
        except psutil.Error:
            pass


def _watch(task: dict, where: dict, since: float, done: threading.Event) -> None:
    """While the run goes on: once the batch is over (its ``.dask-attempts`` folder removed by an
    interrupted ``pemilu-recap``), kill the run's kernel so that papermill returns at once, and keep doing
    so until the run has returned (a kernel still starting when the batch ended appears later).  Only
    on workers with one thread, where a kernel started since the run began is surely its own."""
    attempts = Path(task["attempts_dir"])
    while not done.wait(WATCH_S):
        if not attempts.is_dir():
            if where.get("nthreads") != 1:
                return
            _kill_my_kernels(since)


def run_task(task: dict) -> dict:
    """A dask task: one notebook run for one scope (:func:`helpers.batch.execute.run_one`) on a worker.

    Never raises for a notebook failure.  Fails the run, without running it, when the build folder
    or the notebook is not visible on this worker (no shared filesystem, another checkout path), and
    when the run's worker already died twice; records the retry in the run's warnings.

    Parameters
    ----------
    task : dict
        A task of :func:`helpers.batch.execute.run_one` with ``attempts_dir`` (the build's
        ``.dask-attempts`` folder); its ``kernel_dir`` is replaced by this worker's own.

    Returns
    -------
    dict
        A :class:`~helpers.batch.execute.Run` as a dict.
    """
    where = _where()
    build, attempts = Path(task["out_dir"]).parent, Path(task["attempts_dir"])
    if not attempts.is_dir():
        if build.is_dir():  # the batch is over (interrupted): nobody waits for this result
            return failed_result(task, "not run: the batch was stopped")
        return failed_result(task, f"the build folder {build} is not visible on the dask worker {_name(where)}: "
                                   "--output must be on a filesystem shared by every worker, at the same path")
    if not Path(task["notebook"]).is_file():
        return failed_result(task, f"the notebook {task['notebook']} does not exist on the dask worker "
                                   f"{_name(where)}: every worker needs the repository (or the notebooks folder) "
                                   "at the same path")
    previous = _record_start(task, where)
    if len(previous) >= MAX_STARTS:
        return died_twice(task, previous)
    task = dict(task, kernel_dir=str(worker_kernel_dir()))
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(task, where, time.time(), done), daemon=True)
    watcher.start()
    try:
        result = execute.run_one(task)
    finally:
        done.set()
    if previous:
        result["retries"] = [*result.get("retries", []),
                             {"kind": "worker_died", "detail": f"the dask worker running this notebook died "
                                                               f"({_name(previous[-1])}); it was retried once, on "
                                                               f"{_name(where)}, and this is the retry's result"}]
    return result


def dask_setup(worker: Any) -> None:
    """Preload of the workers of the LocalCluster started by ``--dask-workers``: ignore SIGINT.

    Ctrl-C in a terminal reaches the whole process group, the worker processes too; they leave it
    to ``pemilu-recap``, which cancels the runs and closes the cluster (no traceback from each worker).
    Runs in the worker process's main thread, the only one where ``signal.signal`` may be called.

    Parameters
    ----------
    worker : distributed.Worker
        The worker being started (unused).
    """

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
