"""The run manifest of a batch, ``manifest.json``: what ran, on what, with what result.

It records the options and parameters, the scopes and notebooks, the versions of Python and of
the packages (:data:`PACKAGES`), the git commit, the SHA-256 of every input (processed data,
notebooks, files named in parameters), and per run its status, duration, error and warnings.
It is written when the build starts (``"status": "incomplete"``, which an interrupted run keeps)
and again when every run has finished (``complete`` or ``failed``).  ``pemilu-recap`` recognises a
previous report by its manifest (``"tool": "pemilu-recap"``; ``"pemilu-recap"`` in reports of its
earlier versions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core import paths, text

if TYPE_CHECKING:
    from helpers.batch.execute import Run
    from helpers.batch.scopes import Scope

#: Distributions whose versions go into the manifest.
PACKAGES = ["pemilu-pemilu-recap", "pandas", "numpy", "geopandas", "pyogrio", "shapely", "pyproj", "folium",
            "branca", "matplotlib", "scipy", "spopt", "highspy", "openpyxl", "papermill", "nbclient",
            "nbconvert", "nbformat", "ipykernel", "jupyter_client", "tqdm", "PyYAML"]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file.

    Parameters
    ----------
    path : Path
        The file, read in blocks of 1 MiB.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"; _ = p.write_bytes(b"abc")
    >>> sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def input_hashes(notebooks: list[Path], parameters: dict) -> dict:
    """SHA-256 and size of the processed data, the notebooks and files named in parameters.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks of the batch.
    parameters : dict
        The batch parameters; existing files named by ``*_path``/``*_dir`` parameters are hashed.

    Returns
    -------
    dict
        ``{path (relative to the repository when inside it): {"sha256": ..., "bytes": ...}}``.
    """
    files = sorted(p for p in paths.PROCESSED.glob("*") if p.is_file()) if paths.PROCESSED.is_dir() else []
    files += list(notebooks)
    for name, value in sorted(parameters.items()):
        if isinstance(value, str) and name.endswith(("_path", "_dir")) and Path(value).is_file():
            files.append(Path(value))
    return {_display(p): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files}


def git_state(root: Path | None = None) -> dict:
    """Commit and dirty flag of the repository, or ``{"commit": None}`` without git.

    Parameters
    ----------
    root : Path, optional
        The repository (default: this project's root).

    Returns
    -------
    dict
        ``{"commit": sha or None, "dirty": bool or None}``; tracked files only count as dirty.
    """
    root = root or paths.ROOT
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=20, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=20, check=True).stdout.strip()
        return {"commit": commit, "dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict:
    """Installed versions of :data:`PACKAGES` (``None`` when not installed).

    Returns
    -------
    dict
        ``{distribution name: version or None}``.
    """
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def new_manifest(notebooks: list[Path], scopes: list[Scope], output: Path, parameters: dict, *, jobs: int,
                 offline: bool, timeout: float | None, command: list[str] | None) -> dict:
    """The manifest at the start of a run (status ``incomplete`` until it is finished).

    Parameters
    ----------
    notebooks : list of Path
        The notebooks of the batch.
    scopes : list of Scope
        The scopes of the batch.
    output : Path
        The report folder.
    parameters : dict
        The batch parameters.
    jobs, offline, timeout
        The options of the batch, recorded in ``options``.
    command : list of str or None
        The command line.

    Returns
    -------
    dict
        The manifest; its key ``_t0`` (the start, for the wall time) is not written.
    """
    return {
        "tool": "pemilu-recap",
        "status": "incomplete",
        "started": _now(),
        "finished": None,
        "wall_time_s": None,
        "command": command,
        "output": str(output),
        "options": {"scopes": [s.slug for s in scopes], "jobs": jobs, "offline": offline, "timeout_s": timeout},
        "parameters": parameters,
        "scopes": [{"slug": s.slug, "label": s.label, "kota": s.kota, "provinsi": s.provinsi} for s in scopes],
        "notebooks": [nb.stem for nb in notebooks],
        "runs": [],
        "environment": {"python": sys.version.split()[0], "executable": sys.executable,
                        "platform": platform.platform(), "cpu_count": os.cpu_count(),
                        "packages": package_versions()},
        "git": git_state(),
        "inputs": input_hashes(notebooks, parameters),
        "_t0": dt.datetime.now(dt.timezone.utc).timestamp(),
    }


def finish_manifest(manifest: dict, runs: Iterable[Run], status: str) -> dict:
    """Manifest with the runs, the final status and the wall time.

    Parameters
    ----------
    manifest : dict
        The manifest of :func:`new_manifest` (not changed).
    runs : iterable of Run
        Every run of the batch, finished or not.
    status : str
        ``"complete"``, ``"failed"`` or ``"incomplete"``.

    Returns
    -------
    dict
        A new manifest.
    """
    out = dict(manifest)
    out["runs"] = [dict(r.__dict__) for r in runs]
    out["status"] = status
    out["finished"] = _now()
    out["wall_time_s"] = round(dt.datetime.now(dt.timezone.utc).timestamp() - manifest["_t0"], 1)
    return out


def write_manifest(folder: Path, manifest: dict) -> Path:
    """Write ``manifest.json`` (without private keys).

    Parameters
    ----------
    folder : Path
        The build (or report) folder.
    manifest : dict
        The manifest; keys starting with ``_`` are left out.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(folder) / "manifest.json"
    public = {k: v for k, v in manifest.items() if not k.startswith("_")}
    target.write_text(json.dumps(public, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return target


def run_language(manifest: dict) -> str:
    """Language of the run: its ``language`` parameter when valid, else Bahasa Indonesia.

    Parameters
    ----------
    manifest : dict
        The run manifest.

    Returns
    -------
    str
        A language of :data:`helpers.core.text.LANGUAGES`.

    Examples
    --------
    >>> run_language({"parameters": {"language": "en"}}), run_language({"parameters": {"language": "xx"}})
    ('en', 'id')
    """
    language = (manifest.get("parameters") or {}).get("language", "id")
    return language if language in text.LANGUAGES else "id"


def report_area(manifest: dict) -> str:
    """What a report covers, for its title: the province of its scopes, or Indonesia.

    Parameters
    ----------
    manifest : dict
        The run manifest (its ``scopes``, each with ``provinsi``: None for DKI Jakarta).

    Returns
    -------
    str

    Examples
    --------
    >>> report_area({"scopes": [{"slug": "dki", "provinsi": None}]})
    'DKI Jakarta'
    >>> report_area({"scopes": [{"slug": "maluku-utara", "provinsi": "Maluku Utara"},
    ...                         {"slug": "kota-ternate", "provinsi": "Maluku Utara"}]})
    'Maluku Utara'
    >>> report_area({"scopes": [{"slug": "aceh", "provinsi": "Aceh"}, {"slug": "dki", "provinsi": None}]})
    'Aceh, DKI Jakarta'
    >>> report_area({"scopes": [{"slug": "national", "provinsi": None}]})
    'Indonesia'
    """
    areas = list(dict.fromkeys("Indonesia" if s.get("slug") == "national" else (s.get("provinsi") or "DKI Jakarta")
                               for s in manifest.get("scopes") or []))
    if not areas or "Indonesia" in areas or len(areas) > 3:
        return "Indonesia"
    return ", ".join(areas)
