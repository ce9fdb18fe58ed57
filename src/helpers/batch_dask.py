"""Run the notebook runs of ``dki-recap`` on a Dask distributed cluster.

``dki-recap --scheduler tcp://HOST:PORT`` submits the runs to an existing cluster;
``dki-recap --dask-workers N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes with one thread each on this machine (loopback only, no dashboard) and closes it at the
end.  Everything else is :mod:`helpers.batch`: the build folder, the atomic publish, the manifest,
the reader reports.  This module replaces only the local process pool (``batch._schedule``).

Semantics (the same as the process pool)
----------------------------------------
* **Each run isolated.**  A task is :func:`run_task`, which calls :func:`helpers.batch.run_one`
  in a worker thread: papermill starts a kernel (a process of its own) for every run.
* **The notebooks of one scope in order.**  A scope's next notebook is submitted when its previous
  one has finished (whatever its status); different scopes run side by side.
* **A lost worker: one retry.**  Each start of a run is recorded as a small file in the build
  folder (``.dask-attempts/<scope>/<notebook>.start-<n>.json``, removed before publishing).  A
  run whose worker died is started again once, and its result then carries a warning naming the
  worker that died; a run that would start a third time is reported failed (its worker died
  twice).  This holds whatever the scheduler's ``distributed.scheduler.allowed-failures``: with
  the cluster started here it is 0, so every loss comes back to this process as
  :class:`distributed.KilledWorker` and the run is resubmitted from here; an existing
  scheduler (default 3) reruns the task by itself, and the task counts its own starts.  A worker
  that dies before the run started is not counted.
* **Interrupts.**  Ctrl-C/SIGTERM reach :func:`helpers.batch.run_batch` as before (the previous
  report stays untouched); here the futures are cancelled, the client and the cluster started
  here are closed, and ``.dask-attempts`` is removed: a run still executing on a worker of an
  existing cluster sees it gone and kills its kernel (workers with one thread), so nothing keeps
  computing for a batch that is over.
* **No signal handling in workers.**  Tasks run in threads of the worker process, where
  ``signal.signal`` raises ``ValueError``; nothing here installs a handler, and
  ``batch._check_stop`` is a no-op there (``batch._STOP`` is only set by handlers installed in
  the main thread of the ``dki-recap`` process or of a process-pool worker).

What workers need
-----------------
The package (same version) installed in the workers' Python, the notebooks at the same absolute
path (the repository checkout, or a shared folder), and the build folder ``<output>.tmp-<pid>``
visible at the same path (``--output`` on a shared filesystem).  A task checks the last two and
fails its run with a clear error instead of writing its outputs where nobody reads them.  Each
worker process writes its own kernelspec (a temporary folder pointing at the worker's own Python,
put first on ``JUPYTER_PATH`` once per process), so a worker on another machine never depends on
the ``kernel_dir`` of the machine that runs ``dki-recap``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from .batch import execute
from .batch.errors import UsageError

#: Seconds to wait for the scheduler (and for its first worker) before giving up (--connect-timeout).
CONNECT_TIMEOUT_S = 10.0
#: Folder of the build where each start of a run is recorded (removed before publishing).
ATTEMPTS = ".dask-attempts"
#: Starts of a run: the first one and one retry after a lost worker.
MAX_STARTS = 2
#: Resubmissions from this process after KilledWorker, counting workers lost before the run started.
MAX_RESUBMITS = 4
#: Seconds between two checks of a running task that its batch is still going on.
WATCH_S = 1.0


class SchedulerUnreachable(UsageError):
    """The scheduler cannot be reached, or has no worker; reported as one line (exit 2)."""


# ---------------------------------------------------------------------------------------------
# the worker side
# ---------------------------------------------------------------------------------------------
_KERNEL_LOCK = threading.Lock()
_KERNEL_DIR: Path | None = None


def worker_kernel_dir() -> Path:
    """This process's kernelspec folder (``python3`` -> this Python), created once and put first on
    ``JUPYTER_PATH`` for the life of the process.

    Kept on ``JUPYTER_PATH`` for good rather than per run: :func:`helpers.batch.run_one` sets and
    restores the variable around its run, and on a worker with several threads the restores of one
    run could otherwise remove the folder while another run starts its kernel.
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
        from distributed import get_worker

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
    """The recorded starts of ``task``'s run, oldest first."""
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


def _failed(task: dict, error: str, duration_s: float | None = None) -> dict:
    executed = Path(task["out_dir"]) / f"{Path(task['notebook']).stem}.ipynb"
    return execute.Run(scope=task["scope"], notebook=Path(task["notebook"]).stem, status="failed", error=error,
                     warnings=list(task.get("warnings", [])), duration_s=duration_s,
                     executed=executed.name if executed.exists() else None).__dict__


def died_twice(task: dict, starts: list[dict]) -> dict:
    """Result of a run whose worker died on its first start and again on its retry."""
    names = "; then ".join(_name(s) for s in starts if s) or "unknown workers"
    first = min((s["time"] for s in starts if s.get("time")), default=None)
    return _failed(task, f"the dask worker running this notebook died twice (killed, e.g. for lack of memory, or "
                         f"the notebook ended its own process): {names}; it was retried once and is not tried "
                         "again",
                   round(max(0.0, time.time() - first), 2) if first else None)


def _kill_my_kernels(since: float) -> None:
    """Kill the kernels this worker process started since ``since`` (its run's kernel)."""
    import psutil

    for child in psutil.Process().children():
        try:
            if child.create_time() >= since - 1 and "ipykernel_launcher" in " ".join(child.cmdline()):
                child.kill()
        except psutil.Error:
            pass


def _watch(task: dict, where: dict, since: float, done: threading.Event) -> None:
    """While the run goes on: once the batch is over (its ``.dask-attempts`` folder removed by an
    interrupted ``dki-recap``), kill the run's kernel so that papermill returns at once.  Only on
    workers with one thread, where the kernel started since the run began is surely its own."""
    attempts = Path(task["attempts_dir"])
    while not done.wait(WATCH_S):
        if not attempts.is_dir():
            if where.get("nthreads") == 1:
                _kill_my_kernels(since)
            return


def run_task(task: dict) -> dict:
    """A dask task: one notebook run for one scope (:func:`helpers.batch.run_one`) on a worker.

    Never raises for a notebook failure.  Fails the run, without running it, when the build folder
    or the notebook is not visible on this worker (no shared filesystem, another checkout path), and
    when the run's worker already died twice; records the retry in the run's warnings.
    """
    where = _where()
    build, attempts = Path(task["out_dir"]).parent, Path(task["attempts_dir"])
    if not attempts.is_dir():
        if build.is_dir():  # the batch is over (interrupted): nobody waits for this result
            return _failed(task, "not run: the batch was stopped")
        return _failed(task, f"the build folder {build} is not visible on the dask worker {_name(where)}: "
                             "--output must be on a filesystem shared by every worker, at the same path")
    if not Path(task["notebook"]).is_file():
        return _failed(task, f"the notebook {task['notebook']} does not exist on the dask worker {_name(where)}: "
                             "every worker needs the repository (or the notebooks folder) at the same path")
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
        result["warnings"] = [*result.get("warnings", []),
                              f"the dask worker running this notebook died ({_name(previous[-1])}); it was "
                              f"retried once, on {_name(where)}, and this is the retry's result"]
    return result


def dask_setup(worker) -> None:
    """Preload of the workers of the LocalCluster started by ``--dask-workers``: ignore SIGINT.

    Ctrl-C in a terminal reaches the whole process group, the worker processes too; they leave it
    to ``dki-recap``, which cancels the runs and closes the cluster (no traceback from each worker).
    Runs in the worker process's main thread, the only one where ``signal.signal`` may be called.
    """
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


# ---------------------------------------------------------------------------------------------
# the client side
# ---------------------------------------------------------------------------------------------
class DaskSession:
    """A client connected to a cluster: an existing one (``scheduler``) or a LocalCluster of
    ``n_workers`` processes started here.  :meth:`close` closes what was opened here only."""

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT_S):
        import logging

        import dask
        from distributed import Client, LocalCluster

        self.cluster = self.client = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
            except Exception as exc:  # OSError (refused, timed out), ValueError (bad address) ...
                raise SchedulerUnreachable(
                    f"cannot connect to the Dask scheduler {scheduler} within {connect_timeout:g} s "
                    f"({_one_line(exc)}); no notebook was run, the previous report (if any) is unchanged - check the address, that `dask scheduler` runs "
                    "there and that this machine can reach it, or use --dask-workers N for a local cluster"
                ) from None
            try:
                self.client.wait_for_workers(1, timeout=connect_timeout)
            except Exception:
                self.close()
                raise SchedulerUnreachable(
                    f"the Dask scheduler {scheduler} has no worker (waited {connect_timeout:g} s); no notebook "
                    f"was run - start some with `dask worker {scheduler}` (or raise --connect-timeout while a "
                    "job queue starts them)") from None
        else:
            # allowed-failures 0: every lost worker comes back here as KilledWorker (one retry, from
            # here); worker-saturation 1.0: one run per 1-thread worker, the others wait on the
            # scheduler, so a worker that frees up takes the next run (no queue behind a long one);
            # no worker profiler: it samples the thread that runs papermill every 10 ms, which made
            # every run ~35 % slower with 2 workers on 2 cores (benchmarks/bench_dask.py)
            # scheduler: loopback only; no dashboard, its HTTP routes (health, metrics) on a free port
            # rather than 8787 (taken by another cluster: a warning); workers: Ctrl-C left to dki-recap
            try:
                with dask.config.set({"distributed.scheduler.worker-saturation": 1.0,
                                      "distributed.worker.profile.enabled": False}):
                    self.cluster = LocalCluster(
                        n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, silence_logs=logging.CRITICAL, preload=[__name__],
                        scheduler_kwargs={"allowed_failures": 0, "dashboard": False,
                                          "dashboard_address": "127.0.0.1:0"})
                self.client = Client(self.cluster, set_as_default=False)
                self.client.wait_for_workers(n_workers, timeout=120)
            except Exception as exc:
                self.close()
                raise SchedulerUnreachable(f"cannot start a local Dask cluster of {n_workers} workers: "
                                           f"{_one_line(exc)}; no notebook was run") from None
        self.address = self.client.scheduler.address
        nthreads = self.client.nthreads()  # {worker address: threads}
        self.n_workers, self.n_threads = len(nthreads), sum(nthreads.values())

    def options(self) -> dict:
        """What the manifest records about the cluster (``options`` of ``manifest.json``)."""
        return {"jobs": self.n_threads, "engine": "dask", "scheduler": self.address,
                "dask_workers": self.n_workers, "dask_threads": self.n_threads,
                "dask_cluster": "local (started by dki-recap)" if self.cluster is not None else "existing"}

    def close(self) -> None:
        for thing in (self.client, self.cluster):
            if thing is None:
                continue
            try:
                thing.close(timeout=10) if thing is self.client else thing.close(timeout=30)
            except Exception:  # closing is best effort: the batch's outcome is already decided
                pass
        self.client = self.cluster = None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def schedule(tasks: list[dict], on_done, *, options: dict, scheduler: str | None = None,
             n_workers: int | None = None, connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Run ``tasks`` on a Dask cluster, the ones of one scope in order; ``on_done(result)`` per run.

    ``options`` (the manifest's) gets the scheduler address and the worker count.  Raises
    :class:`SchedulerUnreachable` before any run when the cluster cannot be used.
    """
    session = DaskSession(scheduler, n_workers, connect_timeout)
    options.update(session.options())
    attempts = Path(tasks[0]["out_dir"]).parent / ATTEMPTS if tasks else None
    pending: dict = {}
    try:
        if attempts is not None:
            attempts.mkdir(exist_ok=True)
            _run(session.client, tasks, on_done, attempts, pending)
    finally:
        if attempts is not None:
            shutil.rmtree(attempts, ignore_errors=True)  # tells runs still going on that the batch is over
        if pending:
            try:
                session.client.cancel(list(pending), force=True)
            except Exception:
                pass
        session.close()


def _run(client, tasks: list[dict], on_done, attempts: Path, pending: dict) -> None:
    from concurrent.futures import CancelledError

    from distributed import KilledWorker, as_completed

    queues: dict[str, list[dict]] = {}
    for task in tasks:
        queues.setdefault(task["scope"], []).append(dict(task, attempts_dir=str(attempts)))
    futures = as_completed(loop=client.loop)

    def submit(task: dict, resubmits: int = 0) -> None:
        key = f"dki-recap-{task['scope']}-{Path(task['notebook']).stem}-{uuid.uuid4().hex[:12]}"
        future = client.submit(run_task, task, key=key, pure=False)
        pending[future] = (task, resubmits)
        futures.add(future)

    def submit_next(scope: str) -> None:
        if queues[scope]:
            submit(queues[scope].pop(0))

    for scope in queues:
        submit_next(scope)
    lost, address = False, client.scheduler.address
    for future in futures:
        task, resubmits = pending.pop(future)
        label = f"{task['scope']}/{Path(task['notebook']).stem}"
        try:
            result = future.result()
        except KilledWorker as exc:
            starts = read_starts(task)
            if len(starts) < MAX_STARTS and resubmits < MAX_RESUBMITS:
                dead = getattr(getattr(exc, "last_worker", None), "address", "?")
                what = "retrying it once" if starts else "it had not started; submitting it again"
                print(f"dki-recap: {label}: the dask worker running it ({dead}) died; {what}", file=sys.stderr)
                submit(task, resubmits + 1)
                continue
            result = died_twice(task, starts) if len(starts) >= MAX_STARTS else _failed(
                task, f"not run: {resubmits + 1} dask workers died before it could start ({_one_line(exc)})")
        except Exception as exc:  # the cluster could not run the task (lost scheduler, package missing...)
            if isinstance(exc, CancelledError) or client.status != "running":
                lost = True
                result = _failed(task, f"the connection to the Dask scheduler {address} was lost "
                                       f"while this notebook ran ({getattr(exc, 'reason', None) or client.status})")
            else:
                hint = (" - is this package installed in the workers' Python?"
                        if isinstance(exc, ModuleNotFoundError) else "")
                result = _failed(task, f"the Dask cluster could not run this notebook: {_one_line(exc)}{hint}")
        finally:
            future.release()
        on_done(result)
        if not lost:
            submit_next(task["scope"])
            continue
        for rest in queues.values():  # the scheduler is gone: what is left cannot run
            for queued in rest:
                on_done(_failed(queued, "not run: the connection to the Dask scheduler was lost"))
            rest.clear()
