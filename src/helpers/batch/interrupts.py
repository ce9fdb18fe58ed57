"""Ctrl-C and SIGTERM during a batch: stop after the current run, in the parent and in pool workers.

The ``pemilu-recap`` process installs :func:`raise_interrupt` for SIGTERM and SIGINT while the runs go
on (:func:`install_handlers`, :func:`restore_handlers`), so SIGTERM interrupts it like Ctrl-C.  A
process-pool worker (:func:`init_pool_worker`) leaves Ctrl-C to the parent and is interrupted by
the SIGTERM the parent sends it.  papermill/nbclient may swallow the interrupt while a kernel
runs; :func:`check_stop`, called after each run, then stops for real.

In the threads of a Dask worker nothing here is installed (``signal.signal`` raises there) and the
stop flag is never set, so :func:`check_stop` does nothing.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

from helpers.batch.errors import EXIT_INTERRUPTED

#: Set by the SIGTERM/SIGINT handlers: stop after the current run (see raise_interrupt).
_STOP = False
#: True in pool worker processes.
_WORKER = False


class Interrupted(KeyboardInterrupt):
    """Raised in the parent process on SIGTERM, like KeyboardInterrupt on Ctrl-C."""


def raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """Signal handler: note that the batch must stop, and raise :class:`Interrupted`.

    Parameters
    ----------
    signum : int
        The signal received.
    frame : frame or None
        The interrupted stack frame (unused).

    Raises
    ------
    Interrupted
        Always.
    """
    global _STOP
    _STOP = True
    raise Interrupted(f"signal {signum}")


def stop_requested() -> bool:
    """Whether an interrupt was received (the batch is stopping).

    Returns
    -------
    bool
    """
    return _STOP


def check_stop() -> None:
    """After an interrupt that papermill/nbclient may have swallowed: stop for real.

    In a pool worker the process exits (status 130), else :class:`Interrupted` is raised; nothing
    happens when no interrupt was received.
    """
    if _STOP:
        if _WORKER:
            os._exit(EXIT_INTERRUPTED)  # the pool would otherwise hand this worker the next run
        raise Interrupted("interrupted")


def init_pool_worker() -> None:
    """Initializer of the process-pool workers.

    Pool workers leave Ctrl-C to the parent; SIGTERM (sent by the parent when the batch is
    interrupted) interrupts the run so papermill shuts the kernel down, then the worker exits.
    """
    global _WORKER
    _WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, raise_interrupt)


def install_handlers() -> dict:
    """Clear the stop flag and make SIGTERM and SIGINT raise :class:`Interrupted` in this process.

    Returns
    -------
    dict
        ``{signal number: previous handler}`` for :func:`restore_handlers`; empty when not called
        from the main thread (default Ctrl-C handling only).
    """
    global _STOP
    _STOP = False
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[signum] = signal.signal(signum, raise_interrupt)
        except ValueError:  # not the main thread: default Ctrl-C handling only
            pass
    return previous


def restore_handlers(previous: dict) -> None:
    """Put back the handlers :func:`install_handlers` replaced.

    Parameters
    ----------
    previous : dict
        What :func:`install_handlers` returned.
    """
    for signum, handler in previous.items():
        signal.signal(signum, handler)
