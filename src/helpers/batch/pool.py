"""The local engine of ``pemilu-recap``: a process pool running notebooks, the ones of a scope in order.

``--jobs N`` runs up to ``N`` notebooks at a time, each in a worker process (started with
``spawn``) that calls :func:`helpers.batch.execute.run_one`; the notebooks of one scope run in
notebook order, one after the other, and the scopes side by side.  ``--jobs 1`` runs everything in
the ``pemilu-recap`` process.  On Ctrl-C/SIGTERM the workers are told to stop (SIGTERM: papermill
shuts their kernel down) and killed after 20 s.

A crashed run never fails its neighbours
----------------------------------------
When a worker process dies (a notebook ended its own process, the kernel's parent was killed for
lack of memory), :class:`~concurrent.futures.ProcessPoolExecutor` breaks: every run in flight at
that moment fails with :class:`~concurrent.futures.process.BrokenProcessPool`, and the pool cannot
say which run caused it.  None of them is failed for it.  They become *suspects*, and each is run
again **alone**, in a pool of one worker of its own (:data:`MAX_STARTS`: the first start and this
one), while the other runs go on in a new pool (the suspect's slot counts towards ``--jobs``).  A
suspect whose process dies again while it runs alone is the cause: it is failed, and its error
says so and names the runs that were in flight beside it the first time.  The others' results
are those of their second start, and their ``retries`` say why they ran twice.

The pool does not always notice a dead worker by itself: with ``spawn`` it starts its workers
one by one as runs are submitted and wakes its manager thread *before* starting the new worker,
so a worker started last may be missing from the processes the manager watches; if that worker
dies, every future stays pending for ever (seen here with Python 3.11: the killed worker a
zombie, the batch hanging).  The scheduler therefore also looks at the workers itself every
:data:`WATCH_S` seconds and treats a dead one as a broken pool.  This is the Dask
engine's rule (:mod:`helpers.batch.cluster_task`: a run whose worker died is started once more,
and a run that dies twice is failed), with the culprit found instead of guessed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from helpers.batch import execute, interrupts
import multiprocessing
from concurrent.futures.process import BrokenProcessPool

#: Starts of a run whose worker process died: the first, and one more, alone.
MAX_STARTS = 2
#: Seconds between two looks at the pool's worker processes while runs are in flight (see
#: :meth:`_Pool.dead_worker`); how long a dead worker can go unnoticed, never an outcome.
WATCH_S = 2.0


def _label(task: dict) -> str:
    return f"{task['scope']}/{Path(task['notebook']).stem}"


def _died_alone(task: dict) -> dict:
    """Result of a run whose process died while it was in flight with others and again alone."""
    executed = Path(task["out_dir"]) / f"{Path(task['notebook']).stem}.ipynb"
    beside = ", ".join(task.get("in_flight_with") or []) or "no other run"
    return execute.Run(scope=task["scope"], notebook=Path(task["notebook"]).stem, status="failed",
                       error=(f"the process running this notebook died twice: first while {beside} ran beside it, "
                              "then again when it was run alone, so this notebook is the cause (it ends its own "
                              "process, or was killed, e.g. for lack of memory); the runs beside it were run again"),
                       warnings=list(task.get("warnings", [])), retries=list(task.get("retries", [])),
                       duration_s=(round(time.perf_counter() - task["submitted"], 2) if "submitted" in task
                                   else None),
                       executed=executed.name if executed.exists() else None).__dict__


def schedule(tasks: list[dict], jobs: int, on_done: Callable[[dict], None]) -> None:
    """Run tasks, the ones of one scope in order, up to ``jobs`` at a time.

    Parameters
    ----------
    tasks : list of dict
        The tasks of :func:`helpers.batch.execute.run_one`, in order (``submitted``, ``retries``
        and ``in_flight_with`` are added).
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
    _Pool(queues, jobs, on_done).run()


class _Pool:
    """The state of one :func:`schedule` with ``jobs`` > 1: the shared pool, the solo pool of a
    suspect, the runs in flight and the suspects waiting to run alone."""

    def __init__(self, queues: dict[str, list[dict]], jobs: int, on_done: Callable[[dict], None]):
        self.queues, self.jobs, self.on_done = queues, jobs, on_done
        self.shared: ProcessPoolExecutor | None = None
        self.solo: ProcessPoolExecutor | None = None
        self.pending: dict[Future, tuple[dict, str]] = {}  # future -> (task, "shared" | "solo")
        self.suspects: list[dict] = []
        self.busy: set[str] = set()  # scopes with a run in flight or waiting as a suspect

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=interrupts.init_pool_worker,
                                   mp_context=multiprocessing.get_context("spawn"))

    def _submit(self, task: dict, where: str) -> None:
        task["submitted"] = time.perf_counter()
        if where == "solo":
            self.solo = self.solo or self._new_pool(1)
            future = self.solo.submit(execute.run_one, task)
        else:
            self.shared = self.shared or self._new_pool(min(self.jobs, len(self.queues)))
            future = self.shared.submit(execute.run_one, task)
        self.pending[future] = (task, where)
        self.busy.add(task["scope"])

    def _fill(self) -> None:
        """Start runs until ``jobs`` are in flight: a suspect first (alone), then the next
        notebook of each idle scope."""
        solo_busy = any(where == "solo" for _, where in self.pending.values())
        if self.suspects and not solo_busy and len(self.pending) < self.jobs:
            self._submit(self.suspects.pop(0), "solo")
        for scope, queue in self.queues.items():
            if len(self.pending) >= self.jobs:
                return
            if queue and scope not in self.busy:
                self._submit(queue.pop(0), "shared")

    def _finish(self, task: dict, result: dict) -> None:
        self.busy.discard(task["scope"])
        self.on_done(result)

    def _shared_broke(self) -> None:
        """The shared pool broke: every run in flight in it becomes a suspect, to be run alone."""
        mine = []
        for future, (task, where) in list(self.pending.items()):
            if where != "shared":
                continue
            if future.done() and not future.cancelled() and future.exception() is None:
                del self.pending[future]  # it finished before the pool broke: its result stands
                self._finish(task, future.result())
            else:
                mine.append((future, task))
        labels = [_label(t) for _, t in mine]
        for future, task in mine:
            del self.pending[future]
            others = [x for x in labels if x != _label(task)]
            task["in_flight_with"] = others
            task.setdefault("retries", []).append(
                {"kind": "worker_died", "detail": "a pool worker process died while this notebook ran"
                                                  + (f" beside {', '.join(others)}" if others else "")
                                                  + "; it was run again, alone"})
            self.suspects.append(task)
        self.shared.shutdown(wait=False, cancel_futures=True)
        self.shared = None

    def _solo_broke(self, task: dict) -> None:
        """A suspect's process died again while it ran alone: it is the cause."""
        self.solo.shutdown(wait=False, cancel_futures=True)
        self.solo = None
        self._finish(task, _died_alone(task))

    def run(self) -> None:
        try:
            self._fill()
            while self.pending:
                done, _ = wait(list(self.pending), timeout=WATCH_S, return_when=FIRST_COMPLETED)
                shared_broken = False
                if not done:  # nothing finished: did a worker die unnoticed by the pool?
                    dead = self.dead_worker()
                    if dead == "solo":
                        future = next(f for f, (_, where) in self.pending.items() if where == "solo")
                        task, _ = self.pending.pop(future)
                        self._kill_workers(self.solo)
                        self._solo_broke(task)
                    elif dead == "shared":
                        self._kill_workers(self.shared)
                        self._shared_broke()
                    self._fill()
                    continue
                for future in done:
                    if future not in self.pending:  # already taken as a suspect of a broken pool
                        continue
                    task, where = self.pending[future]
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        if where == "solo":
                            del self.pending[future]
                            self._solo_broke(task)
                        else:
                            shared_broken = True
                        continue
                    del self.pending[future]
                    self._finish(task, result)
                if shared_broken:
                    self._shared_broke()
                self._fill()
        except BaseException:
            self._stop()
            raise
        for pool in (self.shared, self.solo):
            if pool is not None:
                pool.shutdown(wait=True)

    def dead_worker(self) -> str | None:
        """``"solo"`` or ``"shared"`` when a worker process of that pool has died while it had runs in
        flight, else None (a worker never exits by itself: no ``max_tasks_per_child``)."""
        for name, pool in (("solo", self.solo), ("shared", self.shared)):
            if pool is None or not any(where == name for _, where in self.pending.values()):
                continue
            if any(p.exitcode is not None for p in list(getattr(pool, "_processes", {}).values())):
                return name
        return None

    @staticmethod
    def _kill_workers(pool: ProcessPoolExecutor | None) -> None:
        """End the live workers of a pool that is broken but did not notice (their runs are run again)."""
        for process in list(getattr(pool, "_processes", {}).values()) if pool is not None else []:
            if process.exitcode is None:
                process.kill()

    def _stop(self) -> None:
        """SIGTERM the workers: each interrupts its run, papermill shuts the kernel down, the worker
        exits (see interrupts.init_pool_worker); a worker still alive after 20 s is killed (its
        kernel then exits by itself: ipykernel polls its parent process)."""
        processes = []
        for pool in (self.shared, self.solo):
            if pool is not None:
                processes += list(getattr(pool, "_processes", {}).values())
        for process in processes:
            process.terminate()
        for pool in (self.shared, self.solo):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 20
        for process in processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
