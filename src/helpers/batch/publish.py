"""Building a batch report aside and publishing it at once, in place of the previous one.

* **Atomic report.**  Everything is built in the sibling folder ``<output>.tmp-<pid>``
  (:func:`create_build`) and moved into place only when every run has finished
  (:func:`publish`: the previous report is renamed to ``<output>.old-<pid>``, the new one renamed
  into place, then the old one deleted).  An interrupted run (Ctrl-C, SIGTERM) leaves the previous
  report untouched.  Folders left by dead runs are cleaned up (:func:`remove_stale`).
* **Nothing left behind.**  If a step fails, the previous report is put back in place and the
  build folder deleted; the error is one line (:func:`helpers.batch.output_folder.output_error`).
* **Nothing good is lost.**  A batch in which no run succeeded does not replace a previous
  report: it is kept beside it, in ``<output>.failed`` (:func:`failed_folder`,
  :func:`publish_aside`), and ``pemilu-recap`` says where.
* **Paths of the final report.**  The notebooks ran in the build folder and printed its path;
  :func:`relocate_paths` replaces it by the final one before publishing.

Whether ``--output`` may be used at all is checked before anything runs
(:mod:`helpers.batch.output_folder`).
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

from helpers.batch.errors import UsageError
from helpers.batch.output_folder import check_replaceable, is_report, output_error


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
    pemilu-recap manifest whose process is gone are touched; a failure here is not an error.

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
                    and is_report(folder)):
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
            check_replaceable(output)
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


def failed_folder(output: Path) -> Path:
    """Where a batch in which no run succeeded is kept when a previous report is in ``output``:
    the sibling folder ``<output>.failed`` (the one of the last such batch).

    Examples
    --------
    >>> failed_folder(Path("/r/out"))
    PosixPath('/r/out.failed')
    """
    return output.parent / f"{output.name}.failed"


def publish_aside(build: Path, target: Path) -> None:
    """Move the finished report ``build`` to ``target`` (:func:`failed_folder`), replacing the one
    a previous failed batch left there; the report in ``--output`` is not touched.

    Parameters
    ----------
    build : Path
        The finished report.
    target : Path
        :func:`failed_folder` of ``--output``.

    Raises
    ------
    UsageError
        One line naming the folder when it cannot be written; ``build`` is then deleted.
    """
    try:
        if target.exists():
            if not (target.is_dir() and is_report(target)):
                raise UsageError(f"{target} exists and is not a pemilu-recap report: move it away, then run again "
                                 f"(the previous report in {target.parent / target.name[:-len('.failed')]} "
                                 "was left unchanged)")
            shutil.rmtree(target)
        build.rename(target)
    except OSError as exc:
        shutil.rmtree(build, ignore_errors=True)
        raise output_error(exc, target, f"keep this run's report in {target.name}") from None
    except UsageError:
        shutil.rmtree(build, ignore_errors=True)
        raise


def relocate_paths(build: Path, output: Path) -> int:
    """Replace the build folder's path by the final one in the executed notebooks, their HTML
    reports and the headline figures (notebooks print where they saved their files).

    Parameters
    ----------
    build : Path
        The build folder.
    output : Path
        The ``--output`` folder it becomes.

    Returns
    -------
    int
        The number of files changed.
    """
    old, new = str(build), str(output)
    changed = 0
    for file in sorted(build.rglob("*")):
        if file.is_file() and (file.suffix == ".ipynb" or file.name.endswith((".report.html", ".figures.json"))):
            text = file.read_text(encoding="utf-8")
            if old in text:
                file.write_text(text.replace(old, new), encoding="utf-8")
                changed += 1
    return changed
