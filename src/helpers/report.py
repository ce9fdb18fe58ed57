"""The report of a batch run (see :mod:`helpers.batch`): checks and code-free HTML exports of
executed notebooks, the run manifest and ``index.html``.

Every string that comes from data, parameters, file names or error messages is escaped with
:func:`html.escape` (links additionally with :func:`urllib.parse.quote`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from . import paths

#: Distributions whose versions go into the manifest.
PACKAGES = ["pemilu-dki-recap", "pandas", "numpy", "geopandas", "pyogrio", "shapely", "pyproj", "folium",
            "branca", "matplotlib", "scipy", "spopt", "highspy", "openpyxl", "papermill", "nbclient",
            "nbconvert", "nbformat", "ipykernel", "jupyter_client", "tqdm", "PyYAML"]
#: File kinds shown in the report, by suffix.
KINDS = {".ipynb": "executed notebook", ".html": "map / page", ".csv": "table", ".xlsx": "table",
         ".gpkg": "GIS layer", ".geojson": "GIS layer", ".png": "figure", ".svg": "figure",
         ".pdf": "document", ".json": "data"}


def verify_executed(nb) -> list[str]:
    """Problems showing that an executed notebook did not run all its code cells.

    A non-empty code cell must carry an execution count and, when papermill ran it, papermill's
    status ``completed``.

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


def export_html(nb, target: Path) -> None:
    """Code-free HTML export of an executed notebook (inputs and prompts hidden)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


def relocate_paths(build: Path, output: Path) -> int:
    """Replace the build folder's path by the final one in the executed notebooks, their HTML
    reports and the headline figures (notebooks print where they saved their files).

    Returns the number of files changed.
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


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file.

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
    """SHA-256 and size of the processed data, the notebooks and files named in parameters."""
    files = sorted(p for p in paths.PROCESSED.glob("*") if p.is_file()) if paths.PROCESSED.is_dir() else []
    files += list(notebooks)
    for name, value in sorted(parameters.items()):
        if isinstance(value, str) and name.endswith(("_path", "_dir")) and Path(value).is_file():
            files.append(Path(value))
    return {_display(p): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files}


def git_state(root: Path | None = None) -> dict:
    """Commit and dirty flag of the repository, or ``{"commit": None}`` without git."""
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
    """Installed versions of :data:`PACKAGES` (``None`` when not installed)."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def new_manifest(notebooks, scopes, output: Path, parameters: dict, *, jobs: int, offline: bool,
                 timeout, command) -> dict:
    """The manifest at the start of a run (status ``incomplete`` until it is finished)."""
    return {
        "tool": "dki-recap",
        "status": "incomplete",
        "started": _now(),
        "finished": None,
        "wall_time_s": None,
        "command": command,
        "output": str(output),
        "options": {"scopes": [s.slug for s in scopes], "jobs": jobs, "offline": offline, "timeout_s": timeout},
        "parameters": parameters,
        "scopes": [{"slug": s.slug, "label": s.label, "kota": s.kota} for s in scopes],
        "notebooks": [nb.stem for nb in notebooks],
        "runs": [],
        "environment": {"python": sys.version.split()[0], "executable": sys.executable,
                        "platform": platform.platform(), "cpu_count": os.cpu_count(),
                        "packages": package_versions()},
        "git": git_state(),
        "inputs": input_hashes(notebooks, parameters),
        "_t0": dt.datetime.now(dt.timezone.utc).timestamp(),
    }


def finish_manifest(manifest: dict, runs, status: str) -> dict:
    """Manifest with the runs, the final status and the wall time."""
    out = dict(manifest)
    out["runs"] = [dict(r.__dict__) for r in runs]
    out["status"] = status
    out["finished"] = _now()
    out["wall_time_s"] = round(dt.datetime.now(dt.timezone.utc).timestamp() - manifest["_t0"], 1)
    return out


def write_manifest(folder: Path, manifest: dict) -> Path:
    """Write ``manifest.json`` (without private keys)."""
    target = Path(folder) / "manifest.json"
    public = {k: v for k, v in manifest.items() if not k.startswith("_")}
    target.write_text(json.dumps(public, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return target


def read_figures(folder: Path) -> dict[str, dict]:
    """``{notebook stem: figures}`` from the ``*.figures.json`` files of one scope folder.

    A file that cannot be read yields ``{"_error": message}``.
    """
    figures = {}
    for file in sorted(Path(folder).glob("*.figures.json")):
        stem = file.name[: -len(".figures.json")]
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            figures[stem] = data if isinstance(data, dict) else {"_error": "not a JSON object"}
        except (OSError, ValueError) as exc:
            figures[stem] = {"_error": f"unreadable: {exc}"}
    return figures


def fmt(value) -> str:
    """Display text of a headline figure (not yet escaped).

    Examples
    --------
    >>> fmt(30766), fmt(0.12345), fmt(True), fmt(None), fmt([1, 2])
    ('30,766', '0.123', 'yes', '-', '[1, 2]')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _gap_text(item) -> str:
    """One gap as text: its sentence when it has one, else its fields.

    Examples
    --------
    >>> _gap_text({"kelurahan": "Pulau Kelapa", "sentence": "Kantor PPS tidak ada."})
    'Pulau Kelapa: Kantor PPS tidak ada.'
    >>> _gap_text({"kelurahan": "Gambir", "distance_m": 5400})
    'kelurahan: Gambir; distance_m: 5,400'
    """
    if isinstance(item, dict):
        for key in ("sentence", "message", "text", "description"):
            if isinstance(item.get(key), str) and item[key]:
                where = next((str(item[k]) for k in ("kelurahan", "kecamatan", "kota", "site_id") if item.get(k)), "")
                return f"{where}: {item[key]}" if where and where not in item[key] else item[key]
        return "; ".join(f"{k}: {fmt(v)}" for k, v in item.items())
    return fmt(item)


def _size(n: int) -> str:
    """Human file size.

    Examples
    --------
    >>> _size(23), _size(277758), _size(5 * 1024 ** 2)
    ('23 B', '271 KiB', '5.0 MiB')
    """
    if n < 1024:
        return f"{n} B"
    if n < 1024 ** 2:
        return f"{n / 1024:,.0f} KiB"
    return f"{n / 1024 ** 2:,.1f} MiB"


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(quote(href))}">{_e(text)}</a>'


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#11632b}.failed,.incomplete,.pending{color:#a40000;font-weight:600}
.banner{padding:.6rem 1rem;border-radius:4px;margin:1rem 0}
.banner.complete{background:#e5f4e9}.banner.failed{background:#fde8e8}
pre.error{white-space:pre-wrap;background:#fff4f4;border-left:4px solid #a40000;padding:.5rem}
small{color:#555}
"""


def _summary(manifest: dict, figures: dict[str, dict[str, dict]]) -> list[str]:
    scopes = manifest["scopes"]
    out = ["<h2>Headline figures</h2>"]
    stems = [nb for nb in manifest["notebooks"] if any(nb in figures[s["slug"]] for s in scopes)]
    if not stems:
        return out + ["<p>No notebook wrote headline figures (<code>*.figures.json</code>).</p>"]
    head = "".join(f"<th>{_e(s['label'])}</th>" for s in scopes)
    for stem in stems:
        keys: list[str] = []
        for s in scopes:
            for key in figures[s["slug"]].get(stem, {}):
                if key not in keys and key != "gaps":
                    keys.append(key)
        has_gaps = any("gaps" in figures[s["slug"]].get(stem, {}) for s in scopes)
        out.append(f"<h3>{_e(stem)}</h3><table><tr><th>figure</th>{head}</tr>")
        for key in keys:
            cells = []
            for s in scopes:
                data = figures[s["slug"]].get(stem)
                value = fmt(data[key]) if data is not None and key in data else ""
                raw = (data or {}).get(key)
                num = isinstance(raw, (int, float)) and not isinstance(raw, bool)
                cells.append(f'<td class="num">{_e(value)}</td>' if num else f"<td>{_e(value)}</td>")
            out.append(f"<tr><th>{_e(key)}</th>{''.join(cells)}</tr>")
        if has_gaps:
            cells = []
            for s in scopes:
                gaps = figures[s["slug"]].get(stem, {}).get("gaps")
                cells.append(f'<td class="num">{len(gaps) if isinstance(gaps, list) else ""}</td>')
            out.append(f"<tr><th>gaps (count)</th>{''.join(cells)}</tr>")
        out.append("</table>")
        for s in scopes:
            gaps = figures[s["slug"]].get(stem, {}).get("gaps")
            if isinstance(gaps, list) and gaps:
                items = "".join(f"<li>{_e(_gap_text(g))}</li>" for g in gaps)
                out.append(f"<details><summary>{_e(s['label'])}: {len(gaps)} gap(s)</summary>"
                           f"<ul>{items}</ul></details>")
    return out


def _overview(folder: Path, manifest: dict, figures: dict[str, dict[str, dict]]) -> list[str]:
    """One row per scope: runs that succeeded, gaps listed, time, and the readers' reports."""
    out = ["<h2>Overview</h2><table><tr><th>scope</th><th>runs ok</th><th>gaps listed</th>"
           "<th>time (s)</th><th>reports (no code)</th><th>maps</th></tr>"]
    for scope in manifest["scopes"]:
        runs = [r for r in manifest["runs"] if r["scope"] == scope["slug"]]
        ok = sum(r["status"] == "ok" for r in runs)
        gaps = [len(f["gaps"]) for f in figures[scope["slug"]].values() if isinstance(f.get("gaps"), list)]
        seconds = sum(r["duration_s"] or 0 for r in runs)
        links = " ".join(_link(f"{scope['slug']}/{r['report_html']}", r["notebook"]) for r in runs if r["report_html"])
        base = Path(folder) / scope["slug"]
        maps = sorted(p.name for p in base.glob("*.html") if not p.name.endswith(".report.html"))
        map_links = " ".join(_link(f"{scope['slug']}/{m}", m[:-5]) for m in maps)
        cls = "ok" if ok == len(runs) else "failed"
        out.append(f'<tr><td><a href="#{_e(quote(scope["slug"]))}">{_e(scope["label"])}</a></td>'
                   f'<td class="num {cls}">{ok} / {len(runs)}</td><td class="num">{sum(gaps) if gaps else "-"}</td>'
                   f'<td class="num">{seconds:.1f}</td><td>{links}</td><td>{map_links}</td></tr>')
    out.append("</table>")
    return out


def _scope_section(folder: Path, scope: dict, runs: list[dict]) -> list[str]:
    out = [f'<h2 id="{_e(scope["slug"])}">{_e(scope["label"])} <small>({_e(scope["slug"])}/)</small></h2>']
    out.append("<table><tr><th>notebook</th><th>status</th><th>time (s)</th><th>report</th>"
               "<th>executed notebook</th></tr>")
    errors = []
    for run in runs:
        status = run["status"]
        report = _link(f"{scope['slug']}/{run['report_html']}", "report (no code)") if run["report_html"] else ""
        executed = _link(f"{scope['slug']}/{run['executed']}", run["executed"]) if run["executed"] else ""
        dur = "" if run["duration_s"] is None else f"{run['duration_s']:.1f}"
        out.append(f"<tr><td>{_e(run['notebook'])}</td><td class=\"{_e(status)}\">{_e(status)}</td>"
                   f'<td class="num">{dur}</td><td>{report}</td><td>{executed}</td></tr>')
        if run["error"]:
            errors.append(f"<p><b>{_e(run['notebook'])}</b> failed:</p><pre class=\"error\">{_e(run['error'])}</pre>")
        for warning in run.get("warnings") or []:
            errors.append(f"<p><b>{_e(run['notebook'])}</b>: warning: {_e(warning)}</p>")
    out.append("</table>")
    out.extend(errors)
    base = Path(folder) / scope["slug"]
    files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
    if files:
        out.append("<p>All files:</p><ul>")
        for f in files:
            rel = f.relative_to(folder).as_posix()
            kind = "report (no code)" if f.name.endswith(".report.html") else (
                "headline figures" if f.name.endswith(".figures.json") else KINDS.get(f.suffix.lower(), "file"))
            out.append(f"<li>{_link(rel, f.relative_to(base).as_posix())} <small>{_e(kind)}, "
                       f"{_size(f.stat().st_size)}</small></li>")
        out.append("</ul>")
    return out


def _inputs(manifest: dict) -> list[str]:
    """What was read from the user's input files, and their warnings (checked once, before the runs)."""
    notes, warns = manifest.get("input_notes") or [], manifest.get("input_warnings") or []
    if not notes and not warns:
        return []
    out = ["<h2>Input files</h2>"]
    if warns:
        out.append(f"<p>{len(warns)} warning(s) about the input files (the data were used):</p><ul>"
                   + "".join(f"<li>{_e(w)}</li>" for w in warns) + "</ul>")
    if notes:
        out.append(f"<details><summary>What was read ({len(notes)} line(s))</summary><ul>"
                   + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul></details>")
    return out


def render_index(folder: Path, manifest: dict) -> str:
    """HTML text of ``index.html`` for the report in ``folder``."""
    folder = Path(folder)
    scopes = manifest["scopes"]
    figures = {s["slug"]: read_figures(folder / s["slug"]) for s in scopes}
    runs = manifest["runs"]
    n_ok = sum(r["status"] == "ok" for r in runs)
    status = manifest["status"]
    git = manifest.get("git") or {}
    commit = git.get("commit") or "unknown (no git)"
    if git.get("dirty"):
        commit += " (with uncommitted changes)"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Pemilu 2024 DKI Jakarta - recapitulation network report</title>",
           f"<style>{_CSS}</style></head><body>",
           "<h1>Pemilu 2024 DKI Jakarta: recapitulation network report</h1>",
           f'<div class="banner {_e(status)}">Status: <b>{_e(status)}</b> - {n_ok} of {len(runs)} notebook '
           f"runs succeeded. Run {_e(manifest['started'])} to {_e(manifest['finished'])} "
           f"({_e(manifest['wall_time_s'])} s), commit <code>{_e(commit)}</code>. "
           f"{_link('manifest.json', 'Run manifest')} (parameters, versions, input hashes).</div>"]
    failed = [r for r in runs if r["status"] != "ok"]
    if failed:
        out.append("<p class=\"failed\">Failed runs: " + ", ".join(
            f'<a href="#{_e(quote(r["scope"]))}">{_e(r["scope"])}/{_e(r["notebook"])}</a>' for r in failed) + "</p>")
    out.append("<p>Scopes: " + " | ".join(f'<a href="#{_e(quote(s["slug"]))}">{_e(s["label"])}</a>'
                                           for s in scopes) + "</p>")
    if manifest.get("parameters"):
        out.append("<p>Parameters: " + ", ".join(f"<code>{_e(k)} = {_e(json.dumps(v, ensure_ascii=False))}</code>"
                                                 for k, v in manifest["parameters"].items()) + "</p>")
    out.extend(_inputs(manifest))
    out.extend(_overview(folder, manifest, figures))
    out.extend(_summary(manifest, figures))
    for scope in scopes:
        out.extend(_scope_section(folder, scope, [r for r in runs if r["scope"] == scope["slug"]]))
    env = manifest["environment"]
    out.append(f"<p><small>Python {_e(env['python'])}, {_e(env['cpu_count'])} cores, jobs "
               f"{_e(manifest['options']['jobs'])}, offline {_e(manifest['options']['offline'])}. "
               "Report built by <code>dki-recap</code>.</small></p></body></html>")
    return "\n".join(out) + "\n"


def write_index(folder: Path, manifest: dict) -> Path:
    """Write ``index.html`` into ``folder``."""
    target = Path(folder) / "index.html"
    target.write_text(render_index(folder, manifest), encoding="utf-8")
    return target
