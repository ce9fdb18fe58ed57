"""``index.html``, the page a batch report opens with: overview, headline figures, status, links.

``index.html`` is rendered from the Jinja2 template ``templates/index.html.j2`` (autoescaped: every
string from data, parameters, file names or error messages is text; links are quoted with
:func:`urllib.parse.quote`) in the language of the run (the ``language`` parameter, default
Bahasa Indonesia), with the words and number formats of :mod:`helpers.core.text`.  Its headline
figures are the key figures of the notebooks' reader reports (:mod:`helpers.reports.spec`),
else the ``*.figures.json`` files the notebooks write; the rest comes from the run manifest
(:mod:`helpers.batch.manifest`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from helpers.core import text
from helpers.batch.manifest import report_area, run_language
from helpers.maps.page import read_map_info
from helpers.reports import render as reader_report
from helpers.reports import spec as report_spec
from helpers.reports.render import environment

#: File kinds shown in the report, by suffix (labels ``kind_*`` of :mod:`helpers.core.text`).
KINDS = {".ipynb": "ipynb", ".html": "html", ".csv": "table", ".xlsx": "table", ".gpkg": "gis", ".geojson": "gis",
         ".png": "figure", ".svg": "figure", ".pdf": "pdf", ".json": "data"}


def read_figures(folder: Path) -> dict[str, dict]:
    """``{notebook stem: figures}`` from the ``*.figures.json`` files of one scope folder.

    Parameters
    ----------
    folder : Path
        One scope folder of a report.

    Returns
    -------
    dict
        ``{notebook stem: {figure name: value}}``; a file that cannot be read yields
        ``{"_error": message}``.
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


def fmt(value: Any, language: str = "en") -> str:
    """Display text of a headline figure (:func:`helpers.core.text.fmt_value`; not yet escaped).

    Parameters
    ----------
    value : Any
        A JSON value of a ``*.figures.json`` file.
    language : str
        ``"en"`` or ``"id"``.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt(30766), fmt(0.12345), fmt(True), fmt(None), fmt([1, 2]), fmt(30766, "id")
    ('30,766', '0.123', 'Yes', '–', '1, 2', '30.766')
    """
    return text.fmt_value(value, language)


def _gap_text(item: Any, language: str = "en") -> str:
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
                where = next((str(item[k]) for k in ("where", "kelurahan", "kecamatan", "kota", "site_id")
                              if item.get(k)), "")
                return f"{where}: {item[key]}" if where and where not in item[key] else item[key]
        return "; ".join(f"{k}: {fmt(v, language)}" for k, v in item.items())
    return fmt(item, language)


def _size(n: int, language: str = "en") -> str:
    """Human file size.

    Examples
    --------
    >>> _size(23), _size(277758), _size(5 * 1024 ** 2), _size(5 * 1024 ** 2, "id")
    ('23 B', '271 KiB', '5.0 MiB', '5,0 MiB')
    """
    if n < 1024:
        return f"{n} B"
    if n < 1024 ** 2:
        return f"{text.fmt_number(n / 1024, language)} KiB"
    return f"{text.fmt_number(n / 1024 ** 2, language, 1)} MiB"


def _href(path: str) -> str:
    return quote(path)


def _seconds(value, language: str) -> str:
    return "" if value is None else text.fmt_number(value, language, 1)


def _gaps(specs: dict, figures: dict, stem: str) -> list | None:
    """The gap list of one notebook in one scope: its reader report's (in the run's language), else
    its figures JSON's; None when it lists none."""
    gaps = specs[stem].get("gaps") if stem in specs else figures.get(stem, {}).get("gaps")
    return gaps if isinstance(gaps, list) else None


def _headline(manifest: dict, figures: dict, specs: dict, language: str) -> list[dict]:
    """Per notebook: its key figures (from the reader report spec, else the figures JSON) per scope,
    the number of gaps and the gap lists."""
    scopes = manifest["scopes"]
    blocks = []
    for stem in manifest["notebooks"]:
        have_spec = [s for s in scopes if stem in specs[s["slug"]]]
        have_fig = [s for s in scopes if stem in figures[s["slug"]]]
        if not have_spec and not have_fig:
            continue
        rows: dict[str, list] = {}
        for i, s in enumerate(scopes):
            spec = specs[s["slug"]].get(stem)
            if spec is not None:
                items = [(f["label"], f["value"], any(ch.isdigit() for ch in f["value"])) for f in spec["figures"]]
            else:
                data = figures[s["slug"]].get(stem, {})
                items = [(k, fmt(v, language), isinstance(v, (int, float)) and not isinstance(v, bool))
                         for k, v in data.items() if k not in ("gaps", "_error")]
            for name, value, num in items:
                rows.setdefault(name, [{"text": "", "num": False} for _ in scopes])[i] = {"text": value, "num": num}
        gap_lists, counts = [], []
        for s in scopes:
            gaps = _gaps(specs[s["slug"]], figures[s["slug"]], stem)
            counts.append({"text": str(len(gaps)) if gaps is not None else "", "num": True})
            if gaps:
                gap_lists.append({"summary": text.label("gaps_of", language, scope=s["label"], n=len(gaps)),
                                  "items": [_gap_text(g, language) for g in gaps]})
        table = [{"label": k, "cells": v} for k, v in rows.items()]
        if not have_spec and any(c["text"] for c in counts):  # a reader report lists its own count
            table.append({"label": text.label("gaps_count", language), "cells": counts})
        title = next((specs[s["slug"]][stem]["name"] for s in have_spec), None)
        blocks.append({"title": title or stem, "rows": table, "gaps": gap_lists})
    return blocks


#: Kinds of file a reader opens (listed by title); the others are files for machines and scripts (by name).
READER_KINDS = ("report", "html", "pdf", "workbook", "figure")


def titles(specs: dict) -> dict[str, str]:
    """``{file name: title}`` of the files the reader reports of one scope name: each report (its name), each map
    (the title its report gives it) and each report's workbook ("name (Excel)")."""
    out: dict[str, str] = {}
    for stem, spec in specs.items():
        out[f"{stem}{report_spec.HTML_SUFFIX}"] = spec["name"]
        if spec.get("workbook"):
            out[spec["workbook"]] = spec["name"]
        for section in spec.get("sections", []):
            for block in section.get("blocks", []):
                if block.get("type") == "map":
                    out.setdefault(block["href"], block["title"])
    return out


def _map_title(path: Path) -> str | None:
    """The title a saved map shows (:func:`helpers.maps.page.read_map_info`), or None."""
    try:
        info = read_map_info(path)
    except (OSError, ValueError):
        return None
    title = (info or {}).get("title")
    return str(title) if title else None


def _short(title: str | None, scope: str) -> str | None:
    """A map's title without the scope it ends with (the row names the scope).

    Examples
    --------
    >>> _short("Celah jaringan rekapitulasi PPK — DKI Jakarta", "DKI Jakarta"), _short("Peta — Aceh", "Bali")
    ('Celah jaringan rekapitulasi PPK', 'Peta — Aceh')
    """
    if title and " — " in title:
        head, tail = title.rsplit(" — ", 1)
        if tail.startswith(scope):
            return head
    return title


def _kind(f: Path) -> str:
    if f.name.endswith(".report.html"):
        return "report"
    if f.name.endswith(".report.json"):
        return "spec"
    if f.name.endswith(".figures.json"):
        return "figures"
    if f.suffix.lower() == ".xlsx":
        return "workbook"
    return KINDS.get(f.suffix.lower(), "file")


def _scope_files(folder: Path, slug: str, language: str, named: dict[str, str]) -> list[dict]:
    """The files of one scope folder: ``href``, ``name`` (the title for a reader's file when its report names it,
    else the file name), ``kind`` (in words), ``size`` and ``reader`` (a file a reader opens)."""
    base = Path(folder) / slug
    files = sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")) if base.is_dir() else []
    out = []
    for f in files:
        kind, rel = _kind(f), f.relative_to(base).as_posix()
        reader = kind in READER_KINDS
        out.append({"href": _href(f.relative_to(folder).as_posix()),
                    "name": named.get(rel, rel) if reader else rel, "file": rel, "reader": reader,
                    "kind": text.label(f"kind_{kind}", language), "size": _size(f.stat().st_size, language)})
    return out


def index_context(folder: Path, manifest: dict) -> dict:
    """Everything ``index.html`` shows, as plain values for the template (not yet escaped).

    Parameters
    ----------
    folder : Path
        The report (or build) folder, one subfolder per scope.
    manifest : dict
        Its manifest, with the runs.

    Returns
    -------
    dict
        The variables of ``templates/index.html.j2``.
    """

    folder = Path(folder)
    language = run_language(manifest)
    L = text.labels(language)
    scopes = manifest["scopes"]
    runs = manifest["runs"]
    figures = {s["slug"]: read_figures(folder / s["slug"]) for s in scopes}
    specs = {s["slug"]: {k: v for k, v in reader_report.read_specs(folder / s["slug"]).items()
                         if not isinstance(v, Exception)} for s in scopes}
    status = manifest["status"]
    labels_of = {s["slug"]: s["label"] for s in scopes}
    n_ok = sum(r["status"] == "ok" for r in runs)
    status_word = lambda st: L.get(f"status_{st}", st)  # noqa: E731
    scope_rows = []
    for scope in scopes:
        slug = scope["slug"]
        mine = [r for r in runs if r["scope"] == slug]
        named = titles(specs[slug])
        ok = sum(r["status"] == "ok" for r in mine)
        gaps = [len(g) for g in (_gaps(specs[slug], figures[slug], stem) for stem in {*specs[slug], *figures[slug]})
                if g is not None]
        base = folder / slug
        maps = sorted(p.name for p in base.glob("*.html")
                      if not p.name.endswith(".report.html") and not p.name.startswith(".")) if base.is_dir() else []
        for m in maps:  # a map by its own title, else its report's words for it, else its file name
            named[m] = _short(_map_title(base / m), scope["label"]) or named.get(m) or m[:-5]
        pdf = base / reader_report.PDF_NAME
        # the runs' reports, then any other report of the folder (the data-quality page)
        runs_of = {r["report_html"]: r["notebook"] for r in mine if r.get("report_html")}
        more = [f"{stem}{report_spec.HTML_SUFFIX}" for stem in specs[slug]
                if (base / f"{stem}{report_spec.HTML_SUFFIX}").is_file()]
        scope_rows.append({
            "slug": slug, "label": scope["label"], "anchor": quote(slug), "n_ok": ok, "n_runs": len(mine),
            "all_ok": ok == len(mine), "gaps": text.fmt_number(sum(gaps), language) if gaps else text.DASH,
            "seconds": text.fmt_number(sum(r["duration_s"] or 0 for r in mine), language, 1),
            "reports": [{"href": _href(f"{slug}/{html}"), "text": named.get(html, runs_of.get(html, html))}
                        for html in dict.fromkeys([*runs_of, *more])],
            "maps": [{"href": _href(f"{slug}/{m}"), "text": named[m]} for m in maps],
            "workbooks": [{"href": _href(f"{slug}/{s['workbook']}"), "text": s["name"]} for s in specs[slug].values()
                          if s.get("workbook") and (base / s["workbook"]).is_file()],
            "pdf": _href(f"{slug}/{pdf.name}") if pdf.is_file() else None,
            "runs": [{"notebook": named.get(r.get("report_html") or "", r["notebook"]), "status": r["status"], "status_text": status_word(r["status"]),
                      "retries": [{"text": L.get(f"retry_{x.get('kind')}", str(x.get("kind"))),
                                   "detail": x.get("detail")} for x in r.get("retries") or []],
                      "seconds": _seconds(r["duration_s"], language), "error": r.get("error"),
                      "warnings": r.get("warnings") or [],
                      "report": _href(f"{slug}/{r['report_html']}") if r.get("report_html") else None,
                      "executed": _href(f"{slug}/{r['executed']}") if r.get("executed") else None,
                      "executed_name": r.get("executed")} for r in mine],
            "files": _scope_files(folder, slug, language, named)})
    env = manifest.get("environment") or {}
    options = manifest.get("options") or {}
    return {
        "language": language, "L": L, "status": status, "status_text": status_word(status),
        "title": text.label("index_title", language, area=report_area(manifest)),
        "retried_text": (text.label("runs_retried", language, n=sum(bool(r.get("retries")) for r in runs))
                         if any(r.get("retries") for r in runs) else None),
        "runs_text": text.label("runs_succeeded", language, ok=n_ok, n=len(runs)),
        "time_text": text.label("run_time", language, start=text.fmt_datetime(manifest.get("started"), language),
                                end=text.fmt_datetime(manifest.get("finished"), language),
                                seconds=text.fmt_value(manifest.get("wall_time_s"), language)),
        "failed": [{"scope": labels_of.get(r["scope"], r["scope"]), "notebook": r["notebook"], "anchor": quote(r["scope"])}
                   for r in runs if r["status"] != "ok"],
        "scopes": scope_rows,
        "pdfs": [{"href": s["pdf"], "label": s["label"]} for s in scope_rows if s["pdf"]],
        "parameters": [(p["label"], p["value"]) for p in report_spec.parameter_rows(
            language, **{k: v for k, v in (manifest.get("parameters") or {}).items()
                         if v is not None and k != "language"})],
        "input_warnings": manifest.get("input_warnings") or [], "input_notes": manifest.get("input_notes") or [],
        "headline": _headline(manifest, figures, specs, language),
        "footer": text.label("footer", language, cores=env.get("cpu_count", "?"),
                             jobs=options.get("jobs", "?"), offline=text.fmt_value(options.get("offline"), language)),
    }


def render_index(folder: Path, manifest: dict) -> str:
    """HTML text of ``index.html`` for the report in ``folder``.

    Parameters
    ----------
    folder : Path
        The report (or build) folder.
    manifest : dict
        Its manifest, with the runs.

    Returns
    -------
    str
    """

    return environment().get_template("index.html.j2").render(**index_context(folder, manifest))


def write_index(folder: Path, manifest: dict) -> Path:
    """Write ``index.html`` into ``folder``.

    Parameters
    ----------
    folder : Path
        The report (or build) folder.
    manifest : dict
        Its manifest, with the runs.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(folder) / "index.html"
    target.write_text(render_index(folder, manifest), encoding="utf-8")
    return target
