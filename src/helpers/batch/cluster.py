"""The Dask engine of ``pemilu-recap``: the notebook runs on a Dask distributed cluster.

``pemilu-recap --scheduler tcp://HOST:PORT`` submits the runs to an existing cluster;
``pemilu-recap --dask-workers N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes with one thread each on this machine (loopback only, no dashboard) and closes it at the
end.  Everything else is :mod:`helpers.batch`: the build folder, the atomic publish, the manifest,
the reader reports.  This module replaces only the local process pool
(:func:`helpers.batch.pool.schedule`); what runs on a worker is :mod:`helpers.batch.cluster_task`.

Semantics (the same as the process pool)
----------------------------------------
* **Each run isolated.**  A task is :func:`helpers.batch.cluster_task.run_task`, which calls
  :func:`helpers.batch.execute.run_one` in a worker thread: papermill starts a kernel (a process
  of its own) for every run.
* **The notebooks of one scope in order.**  A scope's next notebook is submitted when its previous
  one has finished (whatever its status); different scopes run side by side.
* **A lost worker: one retry.**  Each start of a run is recorded in the build folder
  (``.dask-attempts``, :data:`ATTEMPTS`, removed before publishing).  A run whose worker died is
  started again once, and its result then carries a warning naming the worker that died; a run
  that would start a third time is reported failed (its worker died twice).  This holds whatever
  the scheduler's ``distributed.scheduler.allowed-failures``: with the cluster started here it is
  0, so every loss comes back to this process as :class:`distributed.KilledWorker` and the run is
  resubmitted from here; an existing scheduler (default 3) reruns the task by itself, and the task
  counts its own starts.  A worker that dies before the run started is not counted.
* **Interrupts.**  Ctrl-C/SIGTERM reach :func:`helpers.batch.run.run_batch` as before (the
  previous report stays untouched); here the futures are cancelled, the client and the cluster
  started here are closed, and ``.dask-attempts`` is removed: a run still executing on a worker
  of an existing cluster sees it gone and kills its kernel (workers with one thread), so nothing
  keeps computing for a batch that is over.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.batch import cluster_task
from helpers.batch.cluster_task import MAX_STARTS, died_twice, failed_result, read_starts, run_task
from helpers.batch.errors import UsageError
from concurrent.futures import CancelledError
import logging

#: Seconds to wait for the scheduler (and for its first worker) before giving up (--connect-timeout).
CONNECT_TIMEOUT_S = 10.0
#: Folder of the build where each start of a run is recorded (removed before publishing).
ATTEMPTS = ".dask-attempts"
#: Resubmissions from this process after KilledWorker, counting workers lost before the run started.
MAX_RESUBMITS = 4


class SchedulerUnreachable(UsageError):
    """The scheduler cannot be reached, or has no worker; reported as one line (exit 2)."""


class DaskSession:
    """A client connected to a cluster: an existing one (``scheduler``) or a LocalCluster of
    ``n_workers`` processes started here.  :meth:`close` closes what was opened here only.

    Parameters
    ----------
    scheduler : str, optional
        Address of the scheduler of an existing cluster (``--scheduler``).
    n_workers : int, optional
        Without ``scheduler``: worker processes of the LocalCluster to start (``--dask-workers``).
    connect_timeout : float
        Seconds to wait for the scheduler and for its first worker.

    Raises
    ------
    SchedulerUnreachable
        When the scheduler cannot be reached or has no worker, or the LocalCluster cannot start.
    """

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT_S) -> None:

        import dask  # here: ~1.5 s to import, Dask only
        from distributed import Client, LocalCluster

        self.cluster = self.client = self._lost_worker = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
            except Exception as exc:  # OSError (refused, timed out), ValueError (bad address) ...
                raise SchedulerUnreachable(
                    f"cannot connect to the Dask scheduler {scheduler} within {connect_timeout:g} s "
                    f"({_one_line(exc)}); no notebook was run, the previous report (if any) is unchanged - "
                    "check the address, that `dask scheduler` runs there and that this machine can reach it, or use --dask-workers N for a local cluster"
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
            # rather than 8787 (taken by another cluster: a warning); workers: Ctrl-C left to pemilu-recap
            # lost-worker-timeout: a killed worker's nanny starts a new one; if that one has not registered
            # within this time (15 s by default, passed on a busy machine), the cluster closes the nanny
            # and the batch loses a worker for good (seen here: the retry's new worker closed under it).
            # The setting is read when a worker is lost, so it holds for the life of this session.
            self._lost_worker = dask.config.set({"distributed.deploy.lost-worker-timeout": "600s"})
            try:
                with dask.config.set({"distributed.scheduler.worker-saturation": 1.0,
                                      "distributed.worker.profile.enabled": False}):
                    self.cluster = LocalCluster(
                        n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, silence_logs=logging.CRITICAL, preload=[cluster_task.__name__],
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
        """What the manifest records about the cluster (``options`` of ``manifest.json``).

        Returns
        -------
        dict
            ``jobs`` (worker threads), ``engine``, ``scheduler``, ``dask_workers``, ``dask_threads``
            and ``dask_cluster`` (``"existing"`` or ``"local (started by pemilu-recap)"``).
        """
        return {"jobs": self.n_threads, "engine": "dask", "scheduler": self.address,
                "dask_workers": self.n_workers, "dask_threads": self.n_threads,
                "dask_cluster": "local (started by pemilu-recap)" if self.cluster is not None else "existing"}

    def close(self) -> None:
        """Close the client, and the cluster when it was started here (best effort)."""
        for thing in (self.client, self.cluster):
            if thing is None:
                continue
            try:
                thing.close(timeout=10) if thing is self.client else thing.close(timeout=30)
            except Exception:  # closing is best effort: the batch's outcome is already decided
                pass
        self.client = self.cluster = None
        if self._lost_worker is not None:  # the dask settings of this session, undone
            self._lost_worker.__exit__(None, None, None)
            self._lost_worker = None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def schedule(tasks: list[dict], on_done: Callable[[dict], None], *, options: dict, scheduler: str | None = None,
             n_workers: int | None = None, connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Run ``tasks`` on a Dask cluster, the ones of one scope in order; ``on_done(result)`` per run.

    Parameters
    ----------
    tasks : list of dict
        The tasks of :func:`helpers.batch.execute.run_one`, in order.
    on_done : callable
        Called with each run's result (a :class:`~helpers.batch.execute.Run` as a dict).
    options : dict
        The manifest's ``options``; gets the scheduler address and the worker count
        (:meth:`DaskSession.options`).
    scheduler, n_workers, connect_timeout
        The cluster to use (:class:`DaskSession`).

    Raises
    ------
    SchedulerUnreachable
        Before any run, when the cluster cannot be used.
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


def _run(client: Any, tasks: list[dict], on_done: Callable[[dict], None], attempts: Path, pending: dict) -> None:
    """Submit the tasks, a scope's next one when its previous one is done; resubmit after a lost worker."""

    from distributed import KilledWorker, as_completed  # here: ~1.5 s to import, Dask only

    queues: dict[str, list[dict]] = {}
    for task in tasks:
        queues.setdefault(task["scope"], []).append(dict(task, attempts_dir=str(attempts)))
    futures = as_completed(loop=client.loop)

    def submit(task: dict, resubmits: int = 0) -> None:
        key = f"pemilu-recap-{task['scope']}-{Path(task['notebook']).stem}-{uuid.uuid4().hex[:12]}"
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
                print(f"pemilu-recap: {label}: the dask worker running it ({dead}) died; {what}", file=sys.stderr)
                submit(task, resubmits + 1)
                continue
            result = died_twice(task, starts) if len(starts) >= MAX_STARTS else failed_result(
                task, f"not run: {resubmits + 1} dask workers died before it could start ({_one_line(exc)})")
        except Exception as exc:  # the cluster could not run the task (lost scheduler, package missing...)
            if isinstance(exc, CancelledError) or client.status != "running":
                lost = True
                result = failed_result(task, f"the connection to the Dask scheduler {address} was lost "
                                       f"while this notebook ran ({getattr(exc, 'reason', None) or client.status})")
            else:
                hint = (" - is this package installed in the workers' Python?"
                        if isinstance(exc, ModuleNotFoundError) else "")
                result = failed_result(task, f"the Dask cluster could not run this notebook: {_one_line(exc)}{hint}")
        finally:
            future.release()
        on_done(result)
        if not lost:
            submit_next(task["scope"])
            continue
        for rest in queues.values():  # the scheduler is gone: what is left cannot run
            for queued in rest:
                on_done(failed_result(queued, "not run: the connection to the Dask scheduler was lost"))
            rest.clear()
