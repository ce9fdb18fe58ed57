"""What can go wrong in ``pemilu-recap`` before or around the notebook runs, and the exit codes.

The bottom of :mod:`helpers.batch`: every other module of the package may import it, it imports
none of them.
"""

from __future__ import annotations

#: Exit codes of ``pemilu-recap``: every run succeeded, a notebook failed, bad command line or input,
#: interrupted (Ctrl-C/SIGTERM; the previous report is unchanged).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A problem with the command line or its inputs; reported without a traceback (exit 2)."""
