"""Reader reports: what a notebook found, for people who never open a notebook.

A notebook's last cell writes ``<output_dir>/NN-name.report.json``, a *report spec* in the run's
language, built by its analysis module (:func:`helpers.maps.recap_report.report_spec`,
:func:`helpers.coverage_outputs.report_spec`, :func:`helpers.planning_report.report_spec`) from the
building blocks here: a header (scope, date, data sources, parameters -- :func:`run_info`), a lead
paragraph, key figures as (label in words, formatted value) pairs, and sections of paragraphs,
short tables that link to the full CSV, charts and map links.  Every number is formatted for the
language when the spec is built (:mod:`helpers.text`); files are named relative to the spec.

:func:`render` turns specs into HTML with one Jinja2 template (``templates/report.html.j2``,
autoescaped: a data string is always text), :func:`render_folder` renders every spec of a folder
into ``NN-name.report.html`` (``dki-recap`` does this for each scope), and :func:`write_pdf` prints
a folder's reports, one after another, into ``report.pdf`` with headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from . import text
from .text import fmt_bool, fmt_km, fmt_number, fmt_percent, fmt_value, label

FORMAT = "dki-recap-report/1"
SPEC_SUFFIX, HTML_SUFFIX, PDF_NAME = ".report.json", ".report.html", "report.pdf"
#: Rows shown in a report table; the full table is the linked CSV.
MAX_ROWS = 15
TEMPLATES = Path(__file__).with_name("templates")
#: Parameters not shown in the header (the scope is shown on its own).
_HIDDEN = {"kota", "output_dir", "language"}
#: Data files and their default source (``None``: no file unless the user gives one).
_SOURCES = {"kota_path": "src_boundaries", "kecamatan_path": "src_boundaries", "kelurahan_path": "src_boundaries",
            "tps_path": "src_tps", "offices_path": "src_offices", "dpt_path": "src_dpt", "sites_path": "src_sites",
            "press_path": "src_press", "facilities_path": None, "candidates_path": None}


class ReportError(Exception):
    """A report spec that cannot be rendered, or a PDF that could not be printed."""


# ---------------------------------------------------------------------------------------------
# building a spec
# ---------------------------------------------------------------------------------------------
def _file_name(path) -> str:
    """The file name only: a spec names files next to it, never by an absolute path."""
    return PurePosixPath(str(path).replace("\\", "/")).name


def _param_value(name: str, value, language: str) -> str:
    if name.endswith("_path") or name.endswith("_dir"):
        return _file_name(value)
    if name.endswith("_km") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_km(value, language, 0 if float(value).is_integer() else 1)
    return fmt_value(value, language)


def run_info(language: str = "id", **parameters) -> dict:
    """Header of a report: date of the run, data sources and the parameters that are set.

    Parameters
    ----------
    language : {"id", "en"}
    **parameters
        The notebook's parameters.  Data files (``*_path``) name their source: the shipped
        source's short name, or "user file <name>" (never a folder).  Parameters that are None
        are left out, and so are ``kota`` (shown as the scope), ``output_dir`` and ``language``.

    Examples
    --------
    >>> info = run_info("en", sites_path="/home/x/lokasi-ppk.xlsx", max_distance_km=5.0, tps_path=None)
    >>> info["sources"][:2], info["parameters"][0]
    (['HDX COD-AB / BPS (boundaries)', 'KPU via KawalPemilu (TPS counts)'], {'name': 'sites_path', \
'label': 'Sites file', 'value': 'lokasi-ppk.xlsx'})
    >>> "user file lokasi-ppk.xlsx (PPK sites)" in info["sources"], info["parameters"][1]["value"]
    (True, '5 km')
    """
    text.check_language(language)
    sources: list[str] = []
    defaults = dict(_SOURCES)
    provinsi = parameters.get("provinsi")
    if provinsi is not None:
        from .province import DKI_KODE, resolve_provinsi

        if resolve_provinsi(provinsi)[0] != DKI_KODE:  # the national layer; no office points, DPT or press
            defaults.update(kota_path="src_national_boundaries", kecamatan_path="src_national_boundaries",
                            kelurahan_path="src_national_boundaries", tps_path="src_national_tps",
                            offices_path=None, dpt_path=None, press_path=None, sites_path="src_national_sites")
    for name, default in defaults.items():
        value = parameters.get(name)
        if value not in (None, ""):
            kind = label(f"src_kind_{name[:-len('_path')]}", language)
            entry = f"{label('user_file', language, name=_file_name(value))} ({kind})"
        else:
            entry = label(default, language) if default else None
        if entry and entry not in sources:
            sources.append(entry)
    created = dt.datetime.now().astimezone().replace(microsecond=0)
    return {"created": created.isoformat(), "sources": sources, "parameters": parameter_rows(language, **parameters)}


def parameter_rows(language: str = "id", **parameters) -> list[dict]:
    """``[{"name", "label", "value"}]`` of the parameters that are set, labelled and formatted."""
    return [{"name": k, "label": label(f"param_{k}", language) if f"param_{k}" in text.LABELS else k,
             "value": _param_value(k, v, language)}
            for k, v in parameters.items() if v is not None and k not in _HIDDEN]


def with_parameters(run: dict | None, language: str, **analysis) -> dict:
    """``run`` (:func:`run_info`) with the analysis parameters an analysis module knows itself
    (thresholds, radius, ...) listed first."""
    run = dict(run or run_info(language))
    names = set(analysis)
    run["parameters"] = parameter_rows(language, **analysis) + [p for p in run["parameters"] if p["name"] not in names]
    return run


def figure(label_text: str, value: str) -> dict:
    """One key figure: its label in words and its formatted value."""
    return {"label": str(label_text), "value": str(value)}


def paragraph(words: str) -> dict:
    return {"type": "paragraph", "text": str(words)}


def image(path, alt: str, caption: str | None = None) -> dict:
    """A chart (PNG) next to the report."""
    return {"type": "image", "src": _file_name(path), "alt": str(alt), "caption": caption}


def map_link(path, title: str, words: str | None = None) -> dict:
    """A saved map (standalone HTML) next to the report: shown in a frame, with a link."""
    return {"type": "map", "href": _file_name(path), "title": str(title), "text": words}


def file_list(items, intro: str | None = None) -> dict:
    """Links to files next to the report: ``[(path, description), ...]``."""
    return {"type": "files", "text": intro, "items": [{"href": _file_name(p), "text": str(d)} for p, d in items]}


_NUMERIC = {"int", "float1", "float2", "km", "pct", "pct100"}


def _cell(value, kind, language: str) -> str:
    if callable(kind):
        return str(kind(value))
    if kind == "int":
        return fmt_number(value, language)
    if kind in ("float1", "km"):
        return fmt_number(value, language, 1)
    if kind == "float2":
        return fmt_number(value, language, 2)
    if kind == "pct":
        return fmt_percent(value, language)
    if kind == "pct100":
        return fmt_percent(None if value is None else value / 100, language)
    if kind == "bool":
        return fmt_bool(value, language)
    if value is None or (isinstance(value, float) and value != value):
        return text.DASH
    return str(value)


def table(df, columns: dict, *, csv, language: str = "id", formats: dict | None = None,
          caption: str | None = None, max_rows: int = MAX_ROWS) -> dict:
    """A short table: the first ``max_rows`` rows of ``df``, formatted, with a link to the full CSV.

    Parameters
    ----------
    df : DataFrame
        Rows in the order to show.
    columns : dict
        ``{column: header in words}``, in display order.
    csv : path-like
        The CSV the notebook wrote with every row (only its file name is kept).
    formats : dict, optional
        ``{column: kind}``, kind one of ``int``, ``float1``, ``float2``, ``km`` (a number of km),
        ``pct`` (a share), ``pct100`` (a percentage), ``bool``, ``code`` (an identifier, never
        wrapped) or a function ``value -> text``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = table(pd.DataFrame({"k": ["A", "B"], "n": [1591, 2]}), {"k": "Kota", "n": "TPS"},
    ...           csv="/tmp/x/t.csv", formats={"n": "int"}, max_rows=1)
    >>> t["rows"], t["total_rows"], t["csv"], [c["numeric"] for c in t["columns"]]
    ([['A', '1.591']], 2, 't.csv', [False, True])
    """
    formats = formats or {}
    shown = df.head(max_rows)
    rows = [[_cell(None if _isna(v) else v, formats.get(c), language) for c, v in zip(columns, r)]
            for r in shown[list(columns)].itertuples(index=False, name=None)]
    return {"type": "table", "caption": caption,
            "columns": [{"label": str(h), "numeric": formats.get(c) in _NUMERIC, "code": formats.get(c) == "code"}
                        for c, h in columns.items()],
            "rows": rows, "total_rows": int(len(df)), "csv": _file_name(csv)}


def _isna(value) -> bool:
    try:
        return bool(value != value) or value is None
    except (TypeError, ValueError):
        return False


def section(heading: str, *blocks) -> dict:
    return {"heading": str(heading), "blocks": [b for b in blocks if b]}


def new_spec(*, name: str, scope: str, language: str, lead: str, figures: list[dict], sections: list[dict],
             run: dict | None = None, gaps: list[dict] | None = None) -> dict:
    """A report spec.  ``name`` is the report's short title (the title adds the scope); ``gaps``
    (``[{"where": ..., "text": ...}]``) are listed per scope in ``index.html``."""
    text.check_language(language)
    run = run or run_info(language)
    return {"format": FORMAT, "language": language, "name": name, "title": f"{name} — {scope}", "scope": scope,
            "created": run["created"], "sources": run["sources"], "parameters": run["parameters"], "lead": lead,
            "figures": figures, "sections": [s for s in sections if s and s["blocks"]], "gaps": gaps}


def write_spec(spec: dict, path, *, html: bool = True) -> Path:
    """Write ``spec`` as JSON to ``path`` (``NN-name.report.json``) and, with ``html``, the reader
    report next to it (``NN-name.report.html``), so a notebook run by hand has it too."""
    check_spec(spec)
    path = Path(path)
    if not path.name.endswith(SPEC_SUFFIX):
        raise ValueError(f"a report spec file ends in {SPEC_SUFFIX}: {path.name}")
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if html:
        path.with_name(path.name[: -len(SPEC_SUFFIX)] + HTML_SUFFIX).write_text(render(spec), encoding="utf-8")
    return path


_LINK_KEYS = {"image": "src", "map": "href", "table": "csv"}


def _links(spec: dict):
    for s in spec.get("sections", []):
        for b in s.get("blocks", []):
            if b.get("type") in _LINK_KEYS:
                yield b.get(_LINK_KEYS[b["type"]])
            for item in b.get("items", []) if b.get("type") == "files" else []:
                yield item.get("href")


def check_spec(spec: dict) -> None:
    """Raise :class:`ReportError` for a spec that is not a report spec or names a file by an
    absolute path, a URL or a path outside its folder."""
    if not isinstance(spec, dict) or spec.get("format") != FORMAT:
        raise ReportError(f"not a report spec (format {FORMAT!r} expected)")
    text.check_language(spec.get("language"))
    for link in _links(spec):
        s = "" if link is None else str(link)
        if not s or s.startswith(("/", "\\")) or ":" in s or ".." in PurePosixPath(s).parts:
            raise ReportError(f"a report names files next to it, not {s!r}")


# ---------------------------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------------------------
def environment():
    """The Jinja2 environment of the report templates (autoescape on for every template)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = lambda name: quote(str(name))
    return env


def render(specs, *, index_href: str | None = None, printable: bool = False) -> str:
    """HTML of one report spec, or of several one after another (``printable``: for the PDF)."""
    specs = [specs] if isinstance(specs, dict) else list(specs)
    if not specs:
        raise ReportError("no report spec to render")
    for spec in specs:
        check_spec(spec)
    language = specs[0]["language"]
    views = [{**s, "created_text": text.fmt_datetime(s.get("created"), s["language"])} for s in specs]
    return environment().get_template("report.html.j2").render(
        specs=views, L=text.labels(language), language=language, index_href=index_href, printable=printable)


def read_specs(folder) -> dict[str, dict]:
    """``{stem: spec}`` of the ``*.report.json`` files of ``folder`` (name order); a file that is
    not a readable spec maps to a :class:`ReportError`."""
    specs: dict = {}
    for file in sorted(Path(folder).glob(f"*{SPEC_SUFFIX}")):
        stem = file.name[: -len(SPEC_SUFFIX)]
        try:
            spec = json.loads(file.read_text(encoding="utf-8"))
            check_spec(spec)
            specs[stem] = spec
        except (OSError, ValueError, ReportError) as exc:
            specs[stem] = ReportError(f"{file.name}: {exc}")
    return specs


def render_folder(folder, *, index_href: str | None = "../index.html") -> tuple[dict[str, str], dict[str, str]]:
    """Render every ``*.report.json`` of ``folder`` into ``*.report.html``.

    Returns ``({stem: html file name}, {stem: problem})``.
    """
    done, problems = {}, {}
    for stem, spec in read_specs(folder).items():
        if isinstance(spec, Exception):
            problems[stem] = str(spec)
            continue
        target = Path(folder) / f"{stem}{HTML_SUFFIX}"
        try:
            target.write_text(render(spec, index_href=index_href), encoding="utf-8")
        except Exception as exc:  # a template error must not lose the run's other outputs
            problems[stem] = f"the reader report could not be rendered: {type(exc).__name__}: {exc}"
            continue
        done[stem] = target.name
    return done, problems


# ---------------------------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------------------------
def find_chromium() -> str | None:
    """Path of a Chromium (``$CHROMIUM``, else chromium, chromium-browser, google-chrome on PATH)."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(folder, *, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print the reader reports of ``folder``, one after another, into ``folder/report.pdf``.

    The reports are rendered into one page next to them (so charts and maps load), which headless
    Chromium prints (maps as their frames render: vector layers, no tiles without a network).

    Raises
    ------
    ReportError
        No spec in the folder, no Chromium, or Chromium failed.
    """
    folder = Path(folder).resolve()
    specs = [s for s in read_specs(folder).values() if not isinstance(s, Exception)]
    if not specs:
        raise ReportError(f"no report spec (*{SPEC_SUFFIX}) in {folder.name}")
    chromium = chromium or find_chromium()
    if not chromium:
        raise ReportError("Chromium was not found (install the package 'chromium' or set CHROMIUM)")
    target = folder / PDF_NAME
    page = folder / f".print-{os.getpid()}.html"
    profile = tempfile.mkdtemp(prefix="dki-recap-chromium-")
    try:
        page.write_text(render(specs, printable=True), encoding="utf-8")
        target.unlink(missing_ok=True)
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
               f"--print-to-pdf={target}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"Chromium did not finish printing {folder.name} within {timeout:g} s") from None
        except OSError as exc:
            raise ReportError(f"cannot run {chromium}: {exc.strerror or exc}") from None
        if not target.is_file() or target.read_bytes()[:4] != b"%PDF":
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReportError(f"Chromium wrote no PDF for {folder.name} (exit {proc.returncode}: {last})")
    finally:
        page.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
    return target
