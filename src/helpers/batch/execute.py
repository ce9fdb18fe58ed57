"""Running one notebook for one scope, in isolation: papermill, a kernel of this environment, checks.

:func:`run_one` is what every engine runs -- in the ``pemilu-recap`` process (``--jobs 1``), in a
process-pool worker (:mod:`helpers.batch.pool`) or in a Dask worker thread
(:mod:`helpers.batch.cluster_task`) -- and it never raises for a notebook failure: the result
(:class:`Run` as a dict) says what happened.

* **The kernel is this environment's Python.**  Jupyter finds kernels by name in a search path
  where a user-level ``python3`` spec (``~/.local/share/jupyter/kernels``) wins over the
  environment's own, so a run could silently use another interpreter.  The runner therefore
  writes a throw-away kernelspec ``python3`` whose ``argv`` is ``sys.executable -m
  ipykernel_launcher`` (:func:`write_kernelspec`) and puts its folder first on ``JUPYTER_PATH``
  of the process that starts the kernel.  Nothing is registered anywhere; the executed notebooks
  still name the portable kernel ``python3``.
* **Silent failures.**  After papermill returns, :func:`verify_executed` checks that every
  non-empty code cell has an execution count and papermill's ``completed`` status (papermill can
  lose output on an IOPub timeout and still return normally, nteract/papermill#426); the runner
  also asks nbclient to raise on an IOPub timeout instead of dropping output.
* **A kernel start that cannot lose a port.**  jupyter_client picks free TCP ports, releases them
  and writes them into the connection file; the kernel binds them a moment later, and on a busy
  machine another process (another run of the same batch) can take one in between
  (nteract/papermill#511, still open): the kernel dies with ``Address already in use`` before
  any cell runs.  Where ZeroMQ has IPC transport (Linux, macOS: :func:`kernel_transport`), the
  batch's kernels therefore talk over Unix sockets in a private folder made for the run
  (:func:`kernel_manager_class`): there is no port to pick, and nobody else can create a file in
  that folder, so the race cannot happen.  As a second line (and the only one where the platform
  has no IPC, e.g. older Windows builds), a kernel that dies, or does not answer, before any cell
  has started is started again with fresh ports or sockets, up to :data:`MAX_KERNEL_STARTS` times
  (:func:`never_started`): nothing ran, so nothing is repeated.  Each retry is recorded in the
  run's ``retries`` (manifest and ``index.html``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.batch import interrupts
import zmq
import tempfile
import shutil
import nbformat

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: Seconds nbclient waits for the last output messages of a cell (nbclient's default is 4 s,
#: too short on a busy 2-core machine); a timeout then raises instead of dropping output.
IOPUB_TIMEOUT_S = 30
#: Seconds a new kernel has to answer its first request (papermill's default is 60 s; a kernel
#: importing ipykernel on a 2-core machine loaded by other work was seen to need 20 s).
START_TIMEOUT_S = 180
#: Starts of a kernel that dies, or does not answer, before any cell has started: the first and two
#: retries, each with fresh ports or sockets.
MAX_KERNEL_STARTS = 3


@dataclass
class Run:
    """One notebook executed for one scope, and what came of it."""

    scope: str
    notebook: str
    status: str = "pending"  # ok | failed | pending (never started: interrupted)
    duration_s: float | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    executed: str | None = None
    report_html: str | None = None
    #: why the run was started again, one entry per retry: ``{"kind": "kernel_start", "detail": the
    #: error}`` (a kernel that died or did not answer before any cell started) or ``{"kind":
    #: "worker_died", "detail": ...}`` (the process running it died while it was in flight, see
    #: :mod:`helpers.batch.pool`); empty when it ran once
    retries: list[dict] = field(default_factory=list)


def write_kernelspec(folder: Path, python: str | None = None) -> Path:
    """Write a kernelspec ``python3`` that starts ``python`` (default: this interpreter).

    Parameters
    ----------
    folder : Path
        Where to write it (``kernels/python3/kernel.json`` below it).
    python : str, optional
        The interpreter of the kernel (default: :data:`sys.executable`).

    Returns
    -------
    Path
        ``folder``: the folder to put first on ``JUPYTER_PATH``.
    """
    spec = Path(folder) / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    # log level ERROR: ipykernel >= 7 warns on every start that local TCP is not encrypted
    kernel = {"argv": [python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                       "--IPKernelApp.log_level=ERROR"],
              "display_name": "Python 3 (ipykernel)", "language": "python",
              "metadata": {"debugger": True}}
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1), encoding="utf-8")
    return Path(folder)


def kernel_transport() -> str:
    """The ZeroMQ transport of the batch's kernels: ``"ipc"`` where ZeroMQ has it, else ``"tcp"``.

    Returns
    -------
    str

    Examples
    --------
    >>> kernel_transport() in ("ipc", "tcp")
    True
    """

    return "ipc" if zmq.has("ipc") else "tcp"


def kernel_manager_class(folder: Path, transport: str = "ipc") -> type:
    """A kernel manager class for one run whose kernel talks over ``transport``.

    With ``"ipc"`` the connection file and the kernel's five Unix sockets (``k-1`` .. ``k-5``) are
    in ``folder``, a private folder made for this run (:func:`tempfile.mkdtemp`: mode 0700, a new
    name), so no other process can hold or take them.  With ``"tcp"`` it is nbclient's default
    manager (ports picked by jupyter_client).

    Parameters
    ----------
    folder : Path
        An empty folder of this run; its path must be short (a Unix socket path has at most about
        100 bytes): :func:`run_one` makes it under :func:`socket_base`.
    transport : str
        ``"ipc"`` or ``"tcp"``.

    Returns
    -------
    type
        A subclass of :class:`jupyter_client.manager.AsyncKernelManager`.
    """
    # here: jupyter_client, traitlets and papermill (~2.5 s to import) only in the process that runs a
    # kernel, not in pemilu-recap's own when the runs go to a pool
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    if transport != "ipc":
        return AsyncKernelManager
    folder = Path(folder)

    class RunKernelManager(AsyncKernelManager):
        """A kernel on Unix sockets in a private folder of one run."""

        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("connection_file")
        def _connection_file_default(self) -> str:
            return str(folder / "kernel.json")

        @default("ip")
        def _ip_default(self) -> str:
            return str(folder / "k")

    return RunKernelManager


def socket_base() -> str:
    """A folder for the runs' socket folders whose path is short enough for Unix sockets.

    The system's temporary folder, unless its path is long (macOS: ``/var/folders/...``), then
    ``/tmp``.

    Returns
    -------
    str
    """

    base = tempfile.gettempdir()
    # a socket path is <base>/dki-recap-k-XXXXXXXX/k-5: keep it well under the 104-108 byte limit
    return base if len(base) <= 60 or not Path("/tmp").is_dir() else "/tmp"


def execute_notebook(input_path, output_path, *, transport: str | None = None, **kwargs):
    """:func:`papermill.execute_notebook` with the kernel on IPC sockets in a private folder of its own.

    What :func:`run_one` runs, without its retries and checks; for tests and benchmarks that run a
    notebook with papermill beside other work (no port to lose, see the module docstring).

    Parameters
    ----------
    input_path, output_path : path-like
        The notebook and where papermill writes the executed one.
    transport : str, optional
        ``"ipc"`` or ``"tcp"`` (default: :func:`kernel_transport`).
    **kwargs
        papermill's keywords (``parameters``, ``cwd``, ``kernel_name``, ...).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.
    """

    import papermill  # here: ~2.5 s to import, only where a kernel runs

    sockets = Path(tempfile.mkdtemp(prefix="dki-recap-k-", dir=socket_base()))
    try:
        return papermill.execute_notebook(str(input_path), str(output_path), **kwargs,
                                          kernel_manager_class=kernel_manager_class(sockets,
                                                                                    transport or kernel_transport()))
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def never_started(exc: BaseException, executed: Path) -> bool:
    """Whether a run failed while its kernel was starting, before any cell started.

    True when the error is about the kernel (it died, or did not answer, before its first reply)
    and the notebook papermill wrote shows no cell started (every code cell without an execution
    count and without papermill's ``start_time``; papermill marks the cells it never reached
    ``completed`` when it gives up, so the status alone does not tell), or papermill wrote no
    notebook.

    Parameters
    ----------
    exc : BaseException
        What papermill raised.
    executed : Path
        The executed notebook papermill writes (may be missing).

    Returns
    -------
    bool
    """
    from papermill.exceptions import PapermillExecutionError  # here: papermill, only where a kernel ran

    if isinstance(exc, PapermillExecutionError):  # a cell raised: the kernel was up
        return False
    words = f"{type(exc).__name__} {exc}".lower()
    if not any(w in words for w in ("kernel", "zmq", "timeout", "address already in use")):
        return False
    if not executed.exists():
        return True
    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:  # half-written: papermill writes it before the kernel starts
        return False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        pm = cell.get("metadata", {}).get("papermill", {})
        if cell.get("execution_count") is not None or pm.get("start_time") or pm.get("status") == "running":
            return False
    return True


def verify_executed(nb: NotebookNode) -> list[str]:
    """Problems showing that an executed notebook did not run all its code cells.

    A non-empty code cell must carry an execution count and, when papermill ran it, papermill's
    status ``completed``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.

    Returns
    -------
    list of str
        One sentence per problem; empty when every code cell ran.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1),
    ...                                      nbformat.v4.new_code_cell("2 + 2")])
    >>> verify_executed(nb)
    ['code cell 2 was not executed (no execution count)']
    """
    problems = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        if not str(cell.source).strip():
            continue
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        if cell.get("execution_count") is None:
            problems.append(f"code cell {number} was not executed (no execution count)")
        elif status is not None and status != "completed":
            problems.append(f"code cell {number} has papermill status {status!r}, not 'completed'")
    return problems


def _error_text(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError  # here: papermill, only where a kernel ran

    if isinstance(exc, PapermillExecutionError):
        return f'{exc.ename}: {exc.evalue} (in code cell "In [{exc.exec_count}]")'
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _batch_over(task: dict) -> bool:
    """Whether the batch of a run on a Dask worker is over (``pemilu-recap`` interrupted: its
    ``.dask-attempts`` folder removed, :mod:`helpers.batch.cluster_task`): then a kernel that died
    is not started again for it."""
    attempts = task.get("attempts_dir")
    return bool(attempts) and not Path(attempts).is_dir()


def run_one(task: dict) -> dict:
    """Execute one notebook for one scope; never raises for a notebook failure.

    Parameters
    ----------
    task : dict
        ``notebook``, ``scope``, ``out_dir``, ``parameters``, ``kernel_dir`` and ``timeout``
        (optional: ``warnings``, carried into the result).

    Returns
    -------
    dict
        A :class:`Run` as a dict: status ``ok`` or ``failed``, with the error, the duration and
        the name of the executed notebook.
    """

    nb_path, out_dir = Path(task["notebook"]), Path(task["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{nb_path.stem}.ipynb"
    run = Run(scope=task["scope"], notebook=nb_path.stem, warnings=list(task.get("warnings", [])),
              retries=list(task.get("retries", [])))
    transport = task.get("transport") or kernel_transport()
    old_path = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [task["kernel_dir"], old_path]))
    pm_logger = logging.getLogger("papermill")
    pm_level = pm_logger.level
    pm_logger.setLevel(logging.ERROR)  # "Passed unknown parameter" etc.: the runner checks itself
    start = time.perf_counter()
    try:
        for attempt in range(1, MAX_KERNEL_STARTS + 1):
            try:
                execute_notebook(
                    nb_path, executed, transport=transport, parameters=task["parameters"], kernel_name="python3",
                    cwd=str(nb_path.parent), progress_bar=False, request_save_on_cell_execute=True,
                    execution_timeout=task.get("timeout"), iopub_timeout=IOPUB_TIMEOUT_S,
                    raise_on_iopub_timeout=True, start_timeout=START_TIMEOUT_S,
                    # kill the kernel after the last cell instead of a graceful shutdown: saves ~0.3 s
                    # per run once geopandas/folium are loaded (benchmarks/bench_notebooks.py);
                    # notebooks close every file they write, so no atexit handler is needed
                    shutdown_kernel="immediate")
                run.status, run.error = "ok", None
                break
            except Exception as exc:  # any failure of this run is recorded, the batch goes on
                run.status, run.error = "failed", _error_text(exc)
                if (attempt == MAX_KERNEL_STARTS or interrupts.stop_requested() or _batch_over(task)
                        or not never_started(exc, executed)):
                    break
                run.retries.append({"kind": "kernel_start", "detail": run.error})
    finally:
        run.duration_s = round(time.perf_counter() - start, 2)
        pm_logger.setLevel(pm_level)
        if old_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old_path
        interrupts.check_stop()
    nb = None
    if executed.exists():
        run.executed = executed.name
        try:
            nb = nbformat.read(executed, as_version=4)
        except Exception as exc:  # a half-written file
            unreadable = f"the executed notebook cannot be read: {_error_text(exc)}"
            run.status, run.error = "failed", f"{run.error}; {unreadable}" if run.error else unreadable
    if nb is not None:
        problems = verify_executed(nb)
        if problems and run.status == "ok":
            run.status = "failed"
            run.error = ("papermill returned normally but the notebook did not run completely: "
                         + "; ".join(problems))
    elif run.status == "ok" and not executed.exists():
        run.status, run.error = "failed", "papermill did not write the executed notebook"
    return run.__dict__
