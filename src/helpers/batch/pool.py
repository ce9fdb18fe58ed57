"""The local engine of ``dki-recap``: a process pool running notebooks, the ones of a scope in order.

``--jobs N`` runs up to ``N`` notebooks at a time, each in a worker process (started with
``spawn``) that calls :func:`helpers.batch.execute.run_one`; the notebooks of one scope run in
notebook order, one after the other, and the scopes side by side.  ``--jobs 1`` runs everything in
the ``dki-recap`` process.  A worker that dies (killed, out of memory) fails the runs in flight,
which are reported, and the pool is renewed for the others.  On Ctrl-C/SIGTERM the workers are
told to stop (SIGTERM: papermill shuts their kernel down) and killed after 20 s.

The Dask engine (:mod:`helpers.batch.cluster`) has the same semantics.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from . import execute, interrupts


def _worker_died(task: dict) -> dict:
    """Result of a run whose worker process died (the pool cannot say which run caused it)."""
    executed = Path(task["out_dir"]) / f"{Path(task['notebook']).stem}.ipynb"
    return execute.Run(scope=task["scope"], notebook=Path(task["notebook"]).stem, status="failed",
                       error="the process running this notebook died unexpectedly (killed, e.g. for lack of "
                             "memory; runs in flight at the same moment are reported the same way)",
                       warnings=list(task.get("warnings", [])),
                       duration_s=(round(time.perf_counter() - task["submitted"], 2) if "submitted" in task
                                   else None),
                       executed=executed.name if executed.exists() else None).__dict__


def schedule(tasks: list[dict], jobs: int, on_done: Callable[[dict], None]) -> None:
    """Run tasks, the ones of one scope in order, up to ``jobs`` at a time.

    Parameters
    ----------
    tasks : list of dict
        The tasks of :func:`helpers.batch.execute.run_one`, in order (``submitted`` is added).
    jobs : int
        Runs at a time; 1: one after the other, in this process.
    on_done : callable
        Called with each run's result (a :class:`~helpers.batch.execute.Run` as a dict), in the
        order the runs finish.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C/SIGTERM, after the workers were stopped.
    """
    queues: dict[str, list[dict]] = {}
    for task in tasks:
        queues.setdefault(task["scope"], []).append(task)
    if jobs <= 1:
        for task in tasks:
            on_done(execute.run_one(task))
            interrupts.check_stop()
        return
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=min(jobs, len(queues)),
                                   initializer=interrupts.init_pool_worker,
                                   mp_context=multiprocessing.get_context("spawn"))

    def submit(scope: str) -> None:
        if queues[scope]:
            task = queues[scope].pop(0)
            task["submitted"] = time.perf_counter()
            pending[pool.submit(execute.run_one, task)] = task

    pool = new_pool()
    pending: dict = {}
    try:
        for scope in queues:
            submit(scope)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken, result = True, _worker_died(task)
                on_done(result)
                if not broken:
                    submit(task["scope"])
            if broken:  # a worker died (killed, out of memory): the runs in flight died with it
                for task in pending.values():
                    on_done(_worker_died(task))
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                for scope in queues:
                    submit(scope)
    except BaseException:
        # SIGTERM: each worker interrupts its run, papermill shuts the kernel down, the worker
        # exits (see interrupts.init_pool_worker); a worker still alive after 20 s is killed (its
        # kernel then exits by itself: ipykernel polls its parent process).
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 20
        for process in processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
        raise
    pool.shutdown(wait=True)
