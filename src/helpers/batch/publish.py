"""The output folder of a batch: checked before anything runs, built aside, published at once.

* **Atomic report.**  Everything is built in the sibling folder ``<output>.tmp-<pid>``
  (:func:`create_build`) and moved into place only when every run has finished
  (:func:`publish`: the previous report is renamed to ``<output>.old-<pid>``, the new one renamed
  into place, then the old one deleted).  An interrupted run (Ctrl-C, SIGTERM) leaves the previous
  report untouched.  An existing ``<output>`` that is not a dki-recap report (no manifest written
  by this tool) is never replaced (:func:`check_output`), and folders left by dead runs are
  cleaned up (:func:`remove_stale`).
* **One line per problem.**  A folder that cannot be written, a disk full, a previous report
  that cannot be removed: :func:`output_error` says what, where and what to do, without a
  traceback, and nothing is left behind.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import shutil
import stat
from pathlib import Path

from .. import paths
from .errors import UsageError


def _is_report(folder: Path) -> bool:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("tool") == "dki-recap"
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
        folder that is not a dki-recap report; or when the previous report cannot be moved
        aside and removed.  Checked with :func:`os.access`, which the superuser passes: the
        operations themselves are guarded too (:func:`create_build`, :func:`publish`).
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
    if (output.is_dir() and any(output.iterdir()) and not _is_report(output)
            and output.resolve() != Path(paths.OUTPUT).resolve()):
        raise UsageError(f"--output {output} is a non-empty folder that is not a dki-recap report "
                         "(no manifest.json written by this tool); it would be replaced - choose "
                         "another folder or remove it first")
    _check_replaceable(output)


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


def _check_replaceable(output: Path) -> None:
    """Raise :class:`UsageError` if the previous report ``output`` could not be replaced."""
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
    kept = f"; the previous report {output} {previous}" if previous and _is_report(output) else ""
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


def build_folder(output: Path) -> Path:
    """The sibling folder ``<output>.tmp-<pid>`` where this run builds the report.

    Parameters
    ----------
    output : Path
        The ``--output`` folder.

    Returns
    -------
    Path
        ``<output>.tmp-<pid of this process>``.

    Examples
    --------
    >>> import os
    >>> build_folder(Path("/r/out")) == Path(f"/r/out.tmp-{os.getpid()}")
    True
    """
    return output.parent / f"{output.name}.tmp-{os.getpid()}"


def create_build(output: Path) -> Path:
    """Create an empty build folder for ``output`` (removing one left by this pid).

    Parameters
    ----------
    output : Path
        The ``--output`` folder (absolute).

    Returns
    -------
    Path
        The build folder, :func:`build_folder` of ``output``.

    Raises
    ------
    UsageError
        If it cannot be created (permissions, a file in the way, disk full); nothing is left.
    """
    build = build_folder(output)
    try:
        if build.exists():
            shutil.rmtree(build)
        build.mkdir(parents=True)
    except OSError as exc:
        shutil.rmtree(build, ignore_errors=True)
        raise output_error(exc, output, f"create the build folder {build.name}") from None
    return build


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(output: Path) -> None:
    """Clean up after dead runs of this tool (killed before they could clean up).

    Their ``<output>.tmp-<pid>`` build folders are deleted.  A previous report one of them had
    moved aside (``<output>.old-<pid>``) is put back in place when ``output`` is missing (the
    run died between the two renames of :func:`publish`), else deleted.  Only folders holding a
    dki-recap manifest whose process is gone are touched; a failure here is not an error.

    Parameters
    ----------
    output : Path
        The ``--output`` folder (absolute).
    """
    for kind in ("old", "tmp"):
        try:
            folders = sorted(output.parent.glob(f"{glob.escape(output.name)}.{kind}-*"))
        except OSError:
            continue
        for folder in folders:
            pid = folder.name.rsplit("-", 1)[-1]
            if not (pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid))
                    and _is_report(folder)):
                continue
            if kind == "old" and not output.exists():
                try:
                    folder.rename(output)
                    continue
                except OSError:
                    pass
            shutil.rmtree(folder, ignore_errors=True)


def _put_back(source: Path, target: Path) -> bool:
    """Rename ``source`` to ``target`` (a report back in place); True if it worked."""
    try:
        source.rename(target)
    except OSError:
        return False
    return True


def publish(build: Path, output: Path) -> None:
    """Move the finished report ``build`` to ``output``, replacing the previous report.

    The previous report is renamed to ``<output>.old-<pid>``, ``build`` renamed to ``output``,
    then the old one deleted.  If a step fails, the previous report is put back in place and
    ``build`` deleted, so that no ``.tmp-``/``.old-`` folder is left behind.

    Parameters
    ----------
    build : Path
        The finished report, :func:`build_folder` of ``output``.
    output : Path
        The ``--output`` folder (absolute).

    Raises
    ------
    UsageError
        One line naming the folder and what to do, when a step fails (permissions, disk full).
    """
    old = output.parent / f"{output.name}.old-{os.getpid()}"
    moved = False
    try:
        if output.exists():
            _check_replaceable(output)
            doing = f"move the previous report {output.name} aside to {old.name}"
            output.rename(old)
            moved = True
        doing = f"move the new report {build.name} to {output.name}"
        build.rename(output)
    except (OSError, UsageError) as exc:
        back = not moved or _put_back(old, output)
        shutil.rmtree(build, ignore_errors=True)
        if isinstance(exc, UsageError):
            raise
        error = output_error(exc, output, doing, previous="was left unchanged" if back else None)
        if not back:
            error = UsageError(f"{error}; the previous report is in {old}")
        raise error from None
    if not moved:
        return
    try:
        shutil.rmtree(old)
    except OSError as exc:
        # put the previous report back rather than leave what is left of it next to the new one
        back = _put_back(output, build) and _put_back(old, output)
        if back:
            shutil.rmtree(build, ignore_errors=True)
        elif build.exists():
            _put_back(build, output)  # the new report stays in place
        error = output_error(exc, output, f"remove the previous report (moved aside to {old.name})",
                             previous="was put back in place" if back else None, fix=output)
        if not back:
            error = UsageError(f"{error}; the new report is in {output}, what is left of the previous one in {old}")
        raise error from None
