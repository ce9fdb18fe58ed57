"""The ``--output`` folder: is it usable, before any notebook runs, and one line for each problem.

:func:`check_output` refuses a folder that cannot be written or replaced -- a file in the way, a
parent without write permission, a non-empty folder that is not a pemilu-recap report (one with a
manifest written by this tool, :func:`is_report`), a previous report that could not be removed --
before anything runs.  An ``OSError`` met later on the output folder or the disk (disk full,
quota, read-only file system) becomes one line saying what, where and what to do
(:func:`output_error`), never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from helpers.core import paths
from helpers.batch.errors import UsageError

#: The ``tool`` a report's ``manifest.json`` names: this tool, by its name and by its earlier one.
TOOL_NAMES = ("pemilu-recap", "dki-recap")


def is_report(folder: Path) -> bool:
    """Whether ``folder`` holds a report of this tool (its ``manifest.json`` says ``"tool": "pemilu-recap"``,
    or ``"pemilu-recap"``, the tool's name before it covered every province).

    Parameters
    ----------
    folder : Path
        A folder (or any path).

    Returns
    -------
    bool
        False too when the manifest is missing or unreadable.
    """
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("tool") in TOOL_NAMES
    except (OSError, ValueError, AttributeError):
        return False


def check_output(output: Path) -> None:
    """Refuse an ``--output`` that cannot be written or replaced, before any notebook runs.

    The project's own output folder (``paths.OUTPUT``, gitignored, where the notebooks write by
    default when run by hand) may always be replaced, even if it is not a report.

    Parameters
    ----------
    output : Path
        The report folder asked for (absolute).

    Raises
    ------
    UsageError
        When ``output`` is a file or lies below one; when the folder that holds it cannot be
        written (the build folder ``<output>.tmp-<pid>`` is made there); when it is a non-empty
        folder that is not a pemilu-recap report; or when the previous report cannot be moved
        aside and removed.  Checked with :func:`os.access`, which the superuser passes: the
        operations themselves are guarded too (:mod:`helpers.batch.publish`).
    """
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} exists and is not a folder - choose another --output")
    holder = _nearest_existing(output.parent)
    if not holder.is_dir():
        raise UsageError(f"--output {output} cannot be created: {holder} is a file, not a folder - "
                         "choose another --output")
    if not os.access(holder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write in {holder}, where --output {output} goes (permission denied) - "
                         "choose another --output or fix its permissions")
    if (output.is_dir() and any(output.iterdir()) and not is_report(output)
            and output.resolve() != Path(paths.OUTPUT).resolve()):
        raise UsageError(f"--output {output} is a non-empty folder that is not a pemilu-recap report "
                         "(no manifest.json written by this tool); it would be replaced - choose "
                         "another folder or remove it first")
    check_replaceable(output)


def _nearest_existing(path: Path) -> Path:
    """``path`` or the closest of its parents that exists (possibly a file)."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(path.anchor or "/")


def _not_removable(folder: Path) -> Path | None:
    """The first path that stops this process from renaming and deleting ``folder``, or None.

    Renaming needs write access to the parent (and, with the sticky bit set on it, to own the
    parent or the folder); deleting the tree needs read, write and search access to each of its
    folders.  Symbolic links are not followed (:func:`shutil.rmtree` removes the link only).
    """
    if not folder.is_dir() or folder.is_symlink():
        return None
    parent = folder.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        return parent
    euid = os.geteuid() if hasattr(os, "geteuid") else 0
    if parent.stat().st_mode & stat.S_ISVTX and euid not in (0, parent.stat().st_uid, folder.lstat().st_uid):
        return folder
    unreadable: list[Path] = []
    for root, _dirs, _files in os.walk(folder, onerror=lambda exc: unreadable.append(Path(exc.filename))):
        if not os.access(root, os.R_OK | os.W_OK | os.X_OK):
            return Path(root)
    return unreadable[0] if unreadable else None


def check_replaceable(output: Path) -> None:
    """Raise :class:`UsageError` if the previous report ``output`` could not be replaced.

    Parameters
    ----------
    output : Path
        The ``--output`` folder (absolute); nothing is checked when it is not a folder.

    Raises
    ------
    UsageError
        Naming the first path that stops this process from renaming and deleting it.
    """
    blocked = _not_removable(output)
    if blocked is not None:
        raise UsageError(f"the previous report {output} cannot be replaced: {blocked} is not writable "
                         "(permission denied) - fix its permissions or choose another --output")


def _reason(exc: OSError, fix: Path) -> tuple[str, str]:
    """What went wrong, and what to do about it, for an OSError met on the output folder."""
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk", "free some space or choose another --output on another disk"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded", "free some space or choose another --output on another disk"
    if exc.errno == errno.EROFS:
        return "read-only file system", "choose another --output"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{exc.strerror} (a file is in the way)", "choose another --output"
    return exc.strerror or type(exc).__name__, f"choose another --output or fix the permissions of {fix}"


def output_error(exc: OSError, output: Path, doing: str, *, previous: str | None = "was left unchanged",
                 fix: Path | None = None) -> UsageError:
    """One clear line for an OSError met while building or publishing the report.

    Parameters
    ----------
    exc : OSError
        The error; its ``filename`` is named when it is an absolute path not named already.
    output : Path
        The ``--output`` folder.
    doing : str
        What was being done, e.g. ``"create the build folder out.tmp-12"``.
    previous : str or None
        What became of the previous report, said when there is one (None: not said).
    fix : Path, optional
        The folder whose permissions to fix (default: the folder holding ``output``).

    Returns
    -------
    UsageError
        The error to raise (or print), naming the folder, the reason and what to do.

    Examples
    --------
    >>> import errno
    >>> str(output_error(OSError(errno.ENOSPC, "No space left on device", "/r/out.tmp-7/a.csv"),
    ...                  Path("/r/out"), "write the report"))  # doctest: +NORMALIZE_WHITESPACE
    'cannot write the report in /r (/r/out.tmp-7/a.csv): no space left on the disk - free some
     space or choose another --output on another disk'
    >>> str(output_error(PermissionError(errno.EACCES, "Permission denied", "/r/out.tmp-7"),
    ...                  Path("/r/out"), "create the build folder out.tmp-7"))  # doctest: +NORMALIZE_WHITESPACE
    'cannot create the build folder out.tmp-7 in /r: Permission denied - choose another --output
     or fix the permissions of /r'
    """
    reason, advice = _reason(exc, fix or output.parent)
    name = str(exc.filename or "")
    where = f" ({name})" if os.path.isabs(name) and Path(name).name not in doing.split() else ""
    kept = f"; the previous report {output} {previous}" if previous and is_report(output) else ""
    return UsageError(f"cannot {doing} in {output.parent}{where}: {reason}{kept} - {advice}")


def is_output_error(exc: OSError, output: Path) -> bool:
    """Whether an OSError is about the disk or the output folder (not a bug elsewhere).

    Parameters
    ----------
    exc : OSError
        The error met.
    output : Path
        The ``--output`` folder (absolute).

    Returns
    -------
    bool
        True for a full disk, an exceeded quota, a read-only file system, or an error naming
        ``output``, a path below it, its build or old folder, or the folder that holds it.
    """
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return True
    name = str(exc.filename or "")
    return bool(name) and (name == str(output.parent) or name.startswith(f"{output}.")
                           or name.startswith(f"{output}{os.sep}") or name == str(output))
