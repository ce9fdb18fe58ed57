"""pytest plugin for the nbval runs of ``tests/conftest.py``: nbval's kernel on Unix sockets.

nbval starts its kernel with jupyter_client's default TCP transport, whose ports are picked by one
process and bound a moment later by the kernel: on a busy machine running tests in parallel another
process can take one in between and the kernel dies before its first reply (nteract/papermill#511).
This plugin gives nbval's kernel the transport the batch uses (:mod:`helpers.batch.execute`): IPC
sockets in a private folder of the kernel, where ZeroMQ has them; elsewhere nbval is left as it is.
Loaded with ``-p nbval_ipc`` (``tests/`` on ``PYTHONPATH``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

import nbval.kernel
from jupyter_client.manager import KernelManager

from helpers.batch.execute import kernel_transport, socket_base


def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
    """nbval's ``start_new_kernel`` with the kernel's channels on IPC sockets of its own."""
    folder = tempfile.mkdtemp(prefix="dki-recap-k-", dir=socket_base())
    atexit.register(shutil.rmtree, folder, True)
    km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=nbval.kernel.NbvalKernelspecManager(),
                       transport="ipc", connection_file=f"{folder}/kernel.json", ip=f"{folder}/k")
    km.start_kernel(**kwargs)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=startup_timeout)
    except RuntimeError:
        kc.stop_channels()
        km.shutdown_kernel()
        raise
    return km, kc


if kernel_transport() == "ipc":
    nbval.kernel.start_new_kernel = start_new_kernel
