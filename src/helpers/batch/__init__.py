"""Run every notebook for all of DKI Jakarta and for each kota, and build a browsable report.

``dki-recap`` (or ``python -m helpers.batch``) executes each notebook of ``notebooks/`` with
papermill once per *scope* -- ``dki`` (the whole province, ``kota=None``) and the six
kota/kabupaten administrasi -- and writes::

    <output>/
        index.html                  links to every output, headline figures, status, errors
        manifest.json               parameters, versions, input hashes, git commit, durations
        <scope-slug>/               dki, kepulauan-seribu, jakarta-pusat, ...
            NN-name.ipynb           the executed notebook (kept, partially executed, on failure)
            NN-name.report.json     the reader report's content, written by the notebook's last cell
            NN-name.report.html     the reader report rendered from it (helpers.reader_report)
            NN-name.figures.json    headline figures written by the notebook
            report.pdf              with --pdf: the scope's reader reports, printed by Chromium
            ...                     maps, tables and figures written by the notebook

Design choices
--------------
* **Atomic report.**  Everything is built in the sibling folder ``<output>.tmp-<pid>`` and
  moved into place only when every run has finished (the previous report is renamed to
  ``<output>.old-<pid>``, the new one renamed into place, then the old one deleted).  An
  interrupted run (Ctrl-C, SIGTERM) leaves the previous report untouched and the partial
  folder's ``manifest.json`` says ``"status": "incomplete"``.  An existing ``<output>`` that is
  not a dki-recap report (no manifest written by this tool) is never replaced.
* **The kernel is this environment's Python.**  Jupyter finds kernels by name in a search path
  where a user-level ``python3`` spec (``~/.local/share/jupyter/kernels``) wins over the
  environment's own, so a run could silently use another interpreter.  The runner therefore
  writes a throw-away kernelspec ``python3`` whose ``argv`` is ``sys.executable -m
  ipykernel_launcher`` and puts its folder first on ``JUPYTER_PATH`` of the process that starts
  the kernel.  Nothing is registered anywhere; the executed notebooks still name the portable
  kernel ``python3``.
* **Silent failures.**  After papermill returns, :func:`helpers.report.verify_executed` checks
  that every non-empty code cell has an execution count and papermill's ``completed`` status (papermill
  can lose output on an IOPub timeout and still return normally, nteract/papermill#426); the
  runner also asks nbclient to raise on an IOPub timeout instead of dropping output.
* **Parallelism.**  Runs are spread over a process pool (``--jobs``, default: the number of
  cores); the notebooks of one scope run in notebook order, one after the other.  With
  ``--scheduler``/``--dask-workers`` they run on a Dask distributed cluster instead, with the same
  semantics (:mod:`helpers.batch_dask`).
* **Reader reports, not notebook dumps.**  When every run has finished, each scope folder's
  ``*.report.json`` (a report spec in the run's language) is rendered with one template into
  ``*.report.html`` (:func:`helpers.reader_report.render_folder`); with ``--pdf`` the scope's
  reports are printed into ``report.pdf`` by headless Chromium.

``index.html`` is built by :mod:`helpers.report`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import glob
import json
import logging
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import paths
from ..input_check import CheckedInputs, InputsRejected, check_inputs
from ..names import kota_short, name_key, slug
from ..scopes import is_dki

#: Parameters the runner sets itself for every run (set them with the options instead).
RESERVED = {"kota": "--kota", "output_dir": "--output", "offline": "--offline/--online"}
#: Exit codes.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Seconds nbclient waits for the last output messages of a cell (nbclient's default is 4 s,
#: too short on a busy 2-core machine); a timeout then raises instead of dropping output.
IOPUB_TIMEOUT_S = 30


class UsageError(Exception):
    """A problem with the command line or its inputs; reported without a traceback (exit 2)."""


class Interrupted(KeyboardInterrupt):
    """Raised in the parent process on SIGTERM, like KeyboardInterrupt on Ctrl-C."""


@dataclass(frozen=True)
class Scope:
    """One geographic scope: the whole province (``kota=None``) or one kota."""

    slug: str
    label: str
    kota: str | None = None


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


# ---------------------------------------------------------------------------------------------
# scopes and parameters
# ---------------------------------------------------------------------------------------------
#: The scope of the notebooks that cover all of Indonesia (notebook metadata ``dki_recap.scope =
#: "national"``): they run once, in this scope, and never per DKI scope.
NATIONAL = Scope("national", "Indonesia", None)
#: Words that select the national scope in ``--kota``.
NATIONAL_WORDS = {"national", "nasional", "indonesia", "seluruhindonesia"}


def notebook_scope(notebook: Path) -> str:
    """``"national"`` for a notebook that covers all of Indonesia (its metadata says
    ``{"dki_recap": {"scope": "national"}}``), else ``"dki"``: the batch reads what a notebook
    declares and never names a notebook file."""
    import nbformat

    try:
        meta = nbformat.read(notebook, as_version=4).metadata
    except Exception:  # an unreadable notebook is reported when it runs
        return "dki"
    return "national" if (meta.get("dki_recap") or {}).get("scope") == "national" else "dki"


def runs_of(scopes: list[Scope], notebooks: list[Path]) -> list[tuple[Scope, Path]]:
    """The (scope, notebook) pairs to run: DKI notebooks for every DKI scope, national notebooks once
    in the national scope."""
    kinds = {nb: notebook_scope(nb) for nb in notebooks}
    return [(s, nb) for s in scopes for nb in notebooks if (s.slug == NATIONAL.slug) == (kinds[nb] == "national")]


def available_scopes(kota_path: str | Path | None = None) -> list[Scope]:
    """The ``dki`` scope followed by one scope per kota, in Kemendagri code order.

    Examples
    --------
    >>> [s.slug for s in available_scopes()][:3]
    ['dki', 'kepulauan-seribu', 'jakarta-pusat']
    """
    from ..loaders import load_boundaries

    kota = load_boundaries("kota", kota_path).sort_values("kode")
    scopes = [Scope("dki", "DKI Jakarta", None)]
    for name in kota["nama"]:
        short = kota_short(name)
        scopes.append(Scope(slug(short), short, short))
    return scopes


def select_scopes(names: list[str] | None, scopes: list[Scope]) -> list[Scope]:
    """Scopes named in ``--kota`` (lenient matching), or all scopes when none are named.

    Raises
    ------
    UsageError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> scopes = [Scope("dki", "DKI Jakarta"), Scope("jakarta-pusat", "Jakarta Pusat", "Jakarta Pusat")]
    >>> [s.slug for s in select_scopes(["Kota Adm. Jakarta Pusat", "all"], scopes)]
    ['dki', 'jakarta-pusat']
    """
    if not names:
        return list(scopes)
    wanted: set[str] = set()
    unknown = []
    by_key = {name_key(s.kota): s.slug for s in scopes if s.kota}
    by_key.update({s.slug.replace("-", ""): s.slug for s in scopes})
    for raw in names:
        for name in (p.strip() for p in str(raw).split(",")):
            if not name:
                continue
            plain = "".join(ch for ch in name.lower() if ch.isalnum())
            if plain in NATIONAL_WORDS and any(s.slug == NATIONAL.slug for s in scopes):
                wanted.add(NATIONAL.slug)
            elif is_dki(name):
                wanted.add("dki")
            elif name_key(name) in by_key:
                wanted.add(by_key[name_key(name)])
            elif plain in by_key:
                wanted.add(by_key[plain])
            else:
                unknown.append(name)
    if unknown:
        valid = ", ".join(f'"{s.kota}"' for s in scopes if s.kota)
        raise UsageError(f"unknown kota {', '.join(repr(u) for u in unknown)}; valid kota are {valid} "
                         '(or "dki" for the whole province)')
    return [s for s in scopes if s.slug in wanted]


def parse_value(text: str):
    """A ``-p`` value: YAML (numbers, booleans, lists, dicts), with ``None`` as in Python.

    Examples
    --------
    >>> parse_value("3"), parse_value("true"), parse_value("None"), parse_value("Jakarta Pusat")
    (3, True, None, 'Jakarta Pusat')
    >>> parse_value("[a, 2]"), parse_value("{x: 1}")
    (['a', 2], {'x': 1})
    """
    if text.strip() in ("None", "none", "null", "~"):
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"cannot read the value {text!r} as YAML: {_yaml_message(exc)}") from None
    return _plain(value)


def _yaml_message(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())


def _plain(value):
    """YAML dates become ISO strings (papermill writes parameters as Python literals)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def load_parameters(files: list[str] | None, pairs: list[list[str]] | None,
                    cwd: Path | None = None) -> dict:
    """Merge ``-f params.yaml`` files and ``-p NAME VALUE`` pairs (later ones win).

    Parameters whose name ends in ``_path`` or ``_dir`` and whose value is a relative path that
    exists relative to ``cwd`` (the folder the command was started from) are made absolute,
    because the notebooks run with the notebooks folder as working directory.
    """
    cwd = Path(cwd or Path.cwd())
    params: dict = {}
    for file in files or []:
        path = Path(file)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read parameter file {file}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise UsageError(f"parameter file {file} is not valid YAML: {_yaml_message(exc)}") from None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise UsageError(f"parameter file {file} must hold a mapping 'name: value', "
                             f"not a {type(data).__name__}")
        params.update({str(k): _plain(v) for k, v in data.items()})
    for name, value in pairs or []:
        params[name] = parse_value(value)
    for name in params:
        if not name.isidentifier():
            raise UsageError(f"parameter name {name!r} is not a valid Python name")
        if name in RESERVED:
            raise UsageError(f"parameter {name!r} is set by the runner; use {RESERVED[name]} instead")
    for name, value in params.items():
        if (name.endswith(("_path", "_dir")) and isinstance(value, str) and value
                and not Path(value).is_absolute() and (cwd / value).exists()):
            params[name] = str((cwd / value).resolve())
    return params


def find_notebooks(items: list[str | Path] | None) -> list[Path]:
    """Notebook files named, or found (``*.ipynb``, sorted by name) in the folders named."""
    found: list[Path] = []
    for item in items or [paths.NOTEBOOKS]:
        item = Path(item)
        if item.is_dir():
            found.extend(sorted(p for p in item.glob("*.ipynb") if not p.name.startswith((".", "_"))))
        elif item.suffix == ".ipynb" and item.is_file():
            found.append(item)
        else:
            raise UsageError(f"{item} is neither a notebook (.ipynb) nor a folder")
    if not found:
        raise UsageError(f"no notebooks (*.ipynb) in {', '.join(str(i) for i in items or [paths.NOTEBOOKS])}")
    stems = [p.stem for p in found]
    dup = sorted({s for s in stems if stems.count(s) > 1})
    if dup:
        raise UsageError(f"two notebooks share the name {', '.join(dup)}: their outputs would collide")
    return [p.resolve() for p in found]


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (empty set without one).

    Read with :mod:`ast` rather than ``papermill.inspect_notebook``, whose line parser skips
    assignments followed by some comments (``kota = None  # None = all of DKI Jakarta``).
    """
    import ast

    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # a notebook that cannot be read: report it, not a traceback
        raise UsageError(f"cannot read notebook {notebook}: {exc}") from None
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as exc:
            raise UsageError(f"the parameters cell of {notebook} is not valid Python: {exc}") from None
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                names.update(t.id for t in elts if isinstance(t, ast.Name))
    return names


# ---------------------------------------------------------------------------------------------
# running one notebook (in a worker process)
# ---------------------------------------------------------------------------------------------
def write_kernelspec(folder: Path, python: str | None = None) -> Path:
    """Write a kernelspec ``python3`` that starts ``python`` (default: this interpreter).

    Returns the folder to put first on ``JUPYTER_PATH``.
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


def _error_text(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f'{exc.ename}: {exc.evalue} (in code cell "In [{exc.exec_count}]")'
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_one(task: dict) -> dict:
    """Execute one notebook for one scope; never raises for a notebook failure.

    ``task`` holds ``notebook``, ``scope``, ``out_dir``, ``parameters``, ``kernel_dir`` and
    ``timeout``; the result is a :class:`Run` as a dict.
    """
    import nbformat
    import papermill

    from .. import report

    nb_path, out_dir = Path(task["notebook"]), Path(task["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{nb_path.stem}.ipynb"
    run = Run(scope=task["scope"], notebook=nb_path.stem, warnings=list(task.get("warnings", [])))
    old_path = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [task["kernel_dir"], old_path]))
    pm_logger = logging.getLogger("papermill")
    pm_level = pm_logger.level
    pm_logger.setLevel(logging.ERROR)  # "Passed unknown parameter" etc.: the runner checks itself
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(nb_path), str(executed), parameters=task["parameters"], kernel_name="python3",
            cwd=str(nb_path.parent), progress_bar=False, request_save_on_cell_execute=True,
            execution_timeout=task.get("timeout"), iopub_timeout=IOPUB_TIMEOUT_S,
            raise_on_iopub_timeout=True,
            # kill the kernel after the last cell instead of a graceful shutdown: saves ~0.3 s per
            # run once geopandas/folium are loaded (benchmarks/bench_notebooks.py); notebooks
            # close every file they write, so no atexit handler is needed
            shutdown_kernel="immediate")
        run.status = "ok"
    except Exception as exc:  # any failure of this run is recorded, the batch goes on
        run.status, run.error = "failed", _error_text(exc)
    finally:
        run.duration_s = round(time.perf_counter() - start, 2)
        pm_logger.setLevel(pm_level)
        if old_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old_path
        _check_stop()
    nb = None
    if executed.exists():
        run.executed = executed.name
        try:
            nb = nbformat.read(executed, as_version=4)
        except Exception as exc:  # a half-written file
            unreadable = f"the executed notebook cannot be read: {_error_text(exc)}"
            run.status, run.error = "failed", f"{run.error}; {unreadable}" if run.error else unreadable
    if nb is not None:
        problems = report.verify_executed(nb)
        if problems and run.status == "ok":
            run.status = "failed"
            run.error = ("papermill returned normally but the notebook did not run completely: "
                         + "; ".join(problems))
    elif run.status == "ok" and not executed.exists():
        run.status, run.error = "failed", "papermill did not write the executed notebook"
    return run.__dict__


#: Set by the SIGTERM/SIGINT handlers: stop after the current run (see _raise_interrupt).
_STOP = False
#: True in pool worker processes.
_WORKER = False


def _worker_init() -> None:
    """Pool workers leave Ctrl-C to the parent; SIGTERM (sent by the parent when the batch is
    interrupted) interrupts the run so papermill shuts the kernel down, then the worker exits."""
    global _WORKER
    _WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum, frame):
    global _STOP
    _STOP = True
    raise Interrupted(f"signal {signum}")


def _check_stop() -> None:
    """After an interrupt that papermill/nbclient may have swallowed: stop for real."""
    if _STOP:
        if _WORKER:
            os._exit(EXIT_INTERRUPTED)  # the pool would otherwise hand this worker the next run
        raise Interrupted("interrupted")


# ---------------------------------------------------------------------------------------------
# the batch
# ---------------------------------------------------------------------------------------------
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


def _is_output_error(exc: OSError, output: Path) -> bool:
    """An OSError about the disk or the output folder (not a bug elsewhere)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return True
    name = str(exc.filename or "")
    return bool(name) and (name == str(output.parent) or name.startswith(f"{output}.")
                           or name.startswith(f"{output}{os.sep}") or name == str(output))


def build_folder(output: Path) -> Path:
    """The sibling folder ``<output>.tmp-<pid>`` where this run builds the report."""
    return output.parent / f"{output.name}.tmp-{os.getpid()}"


def create_build(output: Path) -> Path:
    """Create an empty build folder for ``output`` (removing one left by this pid).

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


def _remove_stale(output: Path) -> None:
    """Clean up after dead runs of this tool (killed before they could clean up).

    Their ``<output>.tmp-<pid>`` build folders are deleted.  A previous report one of them had
    moved aside (``<output>.old-<pid>``) is put back in place when ``output`` is missing (the
    run died between the two renames of :func:`publish`), else deleted.  Only folders holding a
    dki-recap manifest whose process is gone are touched; a failure here is not an error.
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


def _worker_died(task: dict) -> dict:
    """Result of a run whose worker process died (the pool cannot say which run caused it)."""
    executed = Path(task["out_dir"]) / f"{Path(task['notebook']).stem}.ipynb"
    return Run(scope=task["scope"], notebook=Path(task["notebook"]).stem, status="failed",
               error="the process running this notebook died unexpectedly (killed, e.g. for lack of "
                     "memory; runs in flight at the same moment are reported the same way)",
               warnings=list(task.get("warnings", [])),
               duration_s=round(time.perf_counter() - task["submitted"], 2) if "submitted" in task else None,
               executed=executed.name if executed.exists() else None).__dict__


def _schedule(tasks: list[dict], jobs: int, on_done) -> None:
    """Run tasks, the ones of one scope in order, up to ``jobs`` at a time."""
    queues: dict[str, list[dict]] = {}
    for task in tasks:
        queues.setdefault(task["scope"], []).append(task)
    if jobs <= 1:
        for task in tasks:
            on_done(run_one(task))
            _check_stop()
        return
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=min(jobs, len(queues)), initializer=_worker_init,
                                   mp_context=multiprocessing.get_context("spawn"))

    def submit(scope: str) -> None:
        if queues[scope]:
            task = queues[scope].pop(0)
            task["submitted"] = time.perf_counter()
            pending[pool.submit(run_one, task)] = task

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
        # exits (see _worker_init); a worker still alive after 20 s is killed (its kernel then
        # exits by itself: ipykernel polls its parent process).
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


def run_batch(notebooks: list[Path], scopes: list[Scope], output: Path, parameters: dict | None = None,
              *, jobs: int = 1, offline: bool = True, timeout: float | None = None,
              command: list[str] | None = None, progress: bool | None = None,
              checked: CheckedInputs | None = None, pdf: bool = False, dask: dict | None = None) -> int:
    """Execute ``notebooks`` for each scope and publish the report in ``output``.

    ``checked`` holds the warnings and read notes of the up-front input check
    (:func:`helpers.input_check.check_inputs`); they are shown in ``index.html``.  ``pdf``: print
    each scope's reader reports into ``<scope>/report.pdf`` (a missing Chromium is one warning).
    ``dask``: run on a Dask cluster instead of the process pool, ``{"scheduler": address}`` or
    ``{"n_workers": n}`` (+ ``connect_timeout``), see :mod:`helpers.batch_dask`.

    Returns the exit code: 0 when every run succeeded, 1 when at least one failed, 130 when
    interrupted (the previous report is then left untouched).
    """
    from tqdm import tqdm

    from .. import report

    parameters = dict(parameters or {})
    output = Path(output).resolve()
    check_output(output)
    _remove_stale(output)
    declared = {nb.stem: declared_parameters(nb) for nb in notebooks}
    known = set().union(*declared.values())
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise UsageError(f"parameter(s) {', '.join(unknown)} are declared by none of the notebooks; "
                         f"declared parameters: {', '.join(sorted(known)) or '(none)'}")
    build = create_build(output)
    manifest = report.new_manifest(notebooks, scopes, output, parameters, jobs=jobs, offline=offline,
                                   timeout=timeout, command=command)
    if checked is not None:
        manifest["input_warnings"], manifest["input_notes"] = checked.warnings, checked.notes
    report.write_manifest(build, manifest)

    pairs = runs_of(scopes, notebooks)
    runs = {(s.slug, nb.stem): Run(scope=s.slug, notebook=nb.stem) for s, nb in pairs}
    kernel_dir = write_kernelspec(Path(tempfile.mkdtemp(prefix="dki-recap-kernel-")))
    tasks = []
    for scope, nb in pairs:
        params = {"kota": scope.kota, "output_dir": str(build / scope.slug), "offline": offline}
        params.update({k: v for k, v in parameters.items() if k in declared[nb.stem]})
        missing = [k for k in ("kota", "output_dir") if k not in declared[nb.stem]]
        warn = ([f"the notebook does not declare {' and '.join(missing)} in its parameters cell; "
                 "its results may not be scoped"] if missing else [])
        tasks.append({"notebook": str(nb), "scope": scope.slug, "out_dir": str(build / scope.slug),
                      "parameters": params, "kernel_dir": str(kernel_dir), "timeout": timeout,
                      "warnings": warn})

    # progress=None: a bar only on a terminal (tqdm's disable=None)
    bar = tqdm(total=len(tasks), unit="run", desc="dki-recap",
               disable=None if progress is None else not progress)

    def on_done(result: dict) -> None:
        run = Run(**result)
        runs[(run.scope, run.notebook)] = run
        bar.update(1)
        seconds = "?" if run.duration_s is None else f"{run.duration_s:.1f}"
        line = f"{run.scope}/{run.notebook}: {run.status} ({seconds} s)"
        if run.error:
            line += f" - {run.error}"
        bar.write(line, file=sys.stderr)

    global _STOP
    _STOP = False
    previous = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                previous[signum] = signal.signal(signum, _raise_interrupt)
            except ValueError:  # not the main thread: default Ctrl-C handling only
                pass
        if dask:
            from ..batch_dask import schedule as dask_schedule

            dask_schedule(tasks, on_done, options=manifest["options"], **dask)
        else:
            _schedule(tasks, jobs, on_done)
    except UsageError:  # the Dask scheduler cannot be reached: nothing ran, leave nothing behind
        shutil.rmtree(build, ignore_errors=True)
        raise
    except KeyboardInterrupt:
        bar.close()
        manifest = report.finish_manifest(manifest, list(runs.values()), status="incomplete")
        report.write_manifest(build, manifest)
        print(f"\ndki-recap: interrupted; the partial run is in {build} (status 'incomplete'); "
              f"{output} was not changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        bar.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        shutil.rmtree(kernel_dir, ignore_errors=True)

    results = list(runs.values())
    for run in results:
        if run.error:
            run.error = run.error.replace(str(build), str(output))
    report.relocate_paths(build, output)
    render_reports(build, scopes, runs, pdf=pdf)
    failed = [r for r in results if r.status != "ok"]
    manifest = report.finish_manifest(manifest, results, status="failed" if failed else "complete")
    report.write_manifest(build, manifest)
    report.write_index(build, manifest)
    publish(build, output)
    print(f"dki-recap: {len(results) - len(failed)} of {len(results)} runs succeeded; "
          f"report: {output / 'index.html'}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def render_reports(build: Path, scopes: list[Scope], runs: dict, *, pdf: bool = False) -> None:
    """Render the reader reports of every scope folder (``*.report.json`` -> ``*.report.html``),
    note them in ``runs`` (keyed by ``(scope, notebook)``), and with ``pdf`` print each scope's
    reports into ``report.pdf``.  Problems become run warnings; a missing Chromium is one line."""
    from .. import reader_report

    chromium = reader_report.find_chromium() if pdf else None
    if pdf and not chromium:
        print("dki-recap: warning: --pdf: Chromium was not found (install the package 'chromium' or set "
              "CHROMIUM=/path/to/chromium); the HTML reports were written, the PDFs were not", file=sys.stderr)
    for scope in scopes:
        folder = build / scope.slug
        if not folder.is_dir():
            continue
        done, problems = reader_report.render_folder(folder)
        for stem, name in done.items():
            if (scope.slug, stem) in runs:
                runs[scope.slug, stem].report_html = name
        for stem, problem in problems.items():
            if (scope.slug, stem) in runs:
                runs[scope.slug, stem].warnings.append(problem)
        if chromium and done:
            try:
                reader_report.write_pdf(folder, chromium=chromium)
            except reader_report.ReportError as exc:
                print(f"dki-recap: warning: --pdf: {scope.slug}: {exc}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dki-recap",
        description="Run every notebook for all of DKI Jakarta and for each of the 6 kota/kabupaten "
                    "administrasi with papermill, and build a browsable report (index.html) with the "
                    "executed notebooks, reader reports (HTML, optionally PDF), maps, tables and a run "
                    "manifest.",
        epilog="examples:\n"
               "  dki-recap --output output\n"
               "  dki-recap --kota jakpus \"Kepulauan Seribu\" --output /tmp/report -p language en\n"
               "  dki-recap -f params.yaml -p sites_path my_sites.xlsx --jobs 2\n"
               "  dki-recap --kota dki --pdf -p language en\n"
               "  dki-recap --dask-workers 2 --output output   (or --scheduler tcp://HOST:8786)\n"
               "exit status: 0 all runs succeeded, 1 a notebook failed (see index.html), "
               "2 bad command line or input, 130 interrupted (previous report unchanged)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kota", nargs="+", action="extend", metavar="NAME",
                        help="run only these scopes: kota names matched leniently (\"Jakarta Pusat\", "
                             "\"Kota Adm. Jakarta Pusat\", jakpus) or \"dki\" for the whole province; "
                             "default: dki and all 6 kota")
    parser.add_argument("--notebooks", nargs="+", metavar="PATH",
                        help=f"notebook files or folders (default: {paths.NOTEBOOKS})")
    parser.add_argument("--output", "-o", default=str(paths.OUTPUT), metavar="DIR",
                        help=f"report folder, replaced as a whole at the end (default: {paths.OUTPUT})")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        dest="parameters", help="notebook parameter; VALUE is read as YAML "
                        "(3, true, None, [a, b], {k: v}); may be repeated")
    parser.add_argument("-f", "--parameters-file", action="append", metavar="PARAMS.YAML", dest="files",
                        help="YAML file of notebook parameters (name: value); -p wins")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="notebook runs in parallel (default: number of cores, %(default)s here)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--offline", dest="offline", action="store_true", default=True,
                       help="maps embed Leaflet's JavaScript/CSS, so they open without a network "
                            "(basemap tiles still need one) (default)")
    group.add_argument("--online", dest="offline", action="store_false",
                       help="maps load Leaflet from a CDN (smaller files)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="fail a cell that runs longer than this (default: no limit)")
    parser.add_argument("--no-progress", dest="progress", action="store_false", default=None,
                        help="no progress bar")
    parser.add_argument("--pdf", action="store_true",
                        help="also print each scope's reader reports into <scope>/report.pdf with headless "
                             "Chromium (package chromium, or $CHROMIUM); without Chromium: a warning, no PDF")
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run the notebooks on an existing Dask distributed cluster instead of local "
                             "processes (--jobs does not apply); workers need this package, the notebooks at "
                             "the same path and --output on a shared filesystem (README, 'The batch report')")
    engine.add_argument("--dask-workers", type=int, metavar="N",
                        help="run the notebooks on a Dask LocalCluster of N worker processes (1 thread each) "
                             "started and closed by this command (--jobs does not apply)")
    parser.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="with --scheduler: give up when the scheduler, or its first worker, is not there "
                             "within this time (default: %(default)s)")
    return parser


def check_inputs_once(parameters: dict) -> CheckedInputs:
    """Validate every input file before any notebook runs; print what was read and the warnings once."""
    checked = check_inputs(parameters)
    for line in checked.notes:
        print(f"dki-recap: read {line}", file=sys.stderr)
    for line in checked.warnings:
        print(f"dki-recap: warning: {line}", file=sys.stderr)
    return checked


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``dki-recap``; returns the exit code.

    ``dki-recap template sites|facilities|tps FILE.xlsx`` writes an Excel template instead
    (:func:`helpers.template.main`).
    """
    args_in = sys.argv[1:] if argv is None else list(argv)
    if args_in[:1] == ["template"]:
        from ..template import main as template_main

        return template_main(args_in[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.dask_workers is not None and args.dask_workers < 1:
        parser.error("--dask-workers must be at least 1")
    dask = ({"scheduler": args.scheduler, "connect_timeout": args.connect_timeout} if args.scheduler else
            {"n_workers": args.dask_workers} if args.dask_workers else None)
    try:
        notebooks = find_notebooks(args.notebooks)
        parameters = load_parameters(args.files, args.parameters)
        try:
            all_scopes = available_scopes(parameters.get("kota_path"))
        except Exception as exc:  # a bad kota_path: say so without a traceback
            raise UsageError(f"cannot read the kota boundaries: {exc}") from None
        if any(notebook_scope(nb) == "national" for nb in notebooks):
            all_scopes = [*all_scopes, NATIONAL]
        scopes = select_scopes(args.kota, all_scopes)
        if not runs_of(scopes, notebooks):
            raise UsageError("nothing to run: the notebooks given cover all of Indonesia and the scopes chosen are "
                             'DKI scopes, or the reverse (use --kota national for the national overview)')
        checked = check_inputs_once(parameters)
        return run_batch(notebooks, scopes, Path(args.output), parameters, jobs=args.jobs,
                         offline=args.offline, timeout=args.timeout,
                         command=["dki-recap", *(sys.argv[1:] if argv is None else argv)],
                         progress=args.progress, checked=checked, pdf=args.pdf, dask=dask)
    except InputsRejected as exc:
        print(f"dki-recap: error: the input files have problems; no notebook was run and the previous report "
              f"(if any) is unchanged.\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"dki-recap: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # disk full or a permission met while building: one line, no traceback
        output = Path(args.output).resolve()
        if not _is_output_error(exc, output):
            raise
        shutil.rmtree(build_folder(output), ignore_errors=True)
        print(f"dki-recap: error: {output_error(exc, output, 'write the report')}", file=sys.stderr)
        return EXIT_USAGE

