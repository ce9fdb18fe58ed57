"""Reader reports: what a notebook found, for people who never open a notebook -- the building blocks.

A notebook's last cell writes ``<output_dir>/NN-name.report.json``, a *report spec* in the run's
language, built by its report module (:func:`helpers.reports.recap.report_spec`,
:func:`helpers.reports.coverage.report_spec`, :func:`helpers.reports.planning.report_spec`,
:func:`helpers.reports.overview.report_spec`, :func:`helpers.reports.quality.report_spec`) from the
building blocks here: a header (scope, date, data sources, parameters -- :func:`run_info`), a lead
paragraph, key figures as (label in words, formatted value) pairs, and sections of paragraphs,
short tables that link to the full CSV, charts and map links.  Every number is formatted for the
language when the spec is built (:mod:`helpers.core.text`); files are named relative to the spec.
Rendering specs into HTML and PDF is :mod:`helpers.reports.render`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path, PurePosixPath

from helpers.core import parameters as parameters_table
from helpers.core import text
from helpers.core.scope import Scope
from helpers.core.text import fmt_bool, fmt_km, fmt_number, fmt_percent, fmt_value, label

FORMAT = "dki-recap-report/1"
SPEC_SUFFIX, HTML_SUFFIX, PDF_NAME = ".report.json", ".report.html", "report.pdf"
#: Rows shown in a report table; the full table is the linked CSV.
MAX_ROWS = 15
#: Parameters not shown in the header (the scope is shown on its own).
_HIDDEN = {"kota", "output_dir", "language", "prepared_inputs"}
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
    """A parameter's value for readers: in words where it is a code (:func:`helpers.core.parameters.value_words`),
    a file by its name, a distance in km, else formatted for the language."""
    words = parameters_table.value_words(name, value)
    if words is not None:
        return label(words, language)
    if name.endswith("_path") or name.endswith("_dir"):
        return _file_name(value)
    if name == "window" and isinstance(value, (list, tuple)) and len(value) == 2:  # two dates, in words
        try:
            return " – ".join(text.fmt_datetime(f"{dt.date.fromisoformat(str(d))}T00:00", language).split(",")[0]
                              for d in value)
        except ValueError:
            return fmt_value(value, language)
    if name.endswith("_km") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_km(value, language, 0 if float(value).is_integer() else 1)
    return fmt_value(value, language)


def run_info(language: str = "id", scope: Scope | None = None, **parameters) -> dict:
    """Header of a report: date of the run, data sources and the parameters that are set.

    Parameters
    ----------
    language : {"id", "en"}
    scope : Scope, optional
        The scope of the run: outside DKI Jakarta the sources are the national layer's (None:
        DKI Jakarta).
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
    if scope is not None and not scope.is_dki:  # the national layer; no office points, DPT or press
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
    """``[{"name", "label", "value"}]`` of the parameters that are set, labelled and formatted.

    A reader's page shows the label and the value only; ``name`` stays in the spec (JSON) for scripts.  A
    parameter without a label of its own (``param_<name>``) is labelled by the words of ``op_param_<name>``, else
    "Parameter" (never its code name; ``tests/test_report_words.py`` checks each notebook's parameters have one).
    A parameter that is None is left out unless its None has words (:data:`helpers.core.parameters.VALUE_WORDS`).
    """
    def words(k: str) -> str:
        key = next((f"{p}{k}" for p in ("param_", "op_param_") if f"{p}{k}" in text.LABELS), "parameters")
        return label(key, language)
    return [{"name": k, "label": words(k), "value": _param_value(k, v, language)}
            for k, v in parameters.items()
            if k not in _HIDDEN and (v is not None or parameters_table.value_words(k, None) is not None)]


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


def _cell(value, kind, language: str):
    if kind == "link":  # (text, address): a link when the address is a web address, else the text
        words, href = value if isinstance(value, (tuple, list)) else (value, None)
        words = text.DASH if _isna(words) else str(words)
        return {"text": words, "href": href} if isinstance(href, str) and href.startswith(("https://", "http://")) \
            else words
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
        wrapped), ``link`` (a pair (text, web address): the text linked to the address) or a function
        ``value -> text``.

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
    block = Table({"type": "table", "caption": caption,
                   "columns": [{"label": str(h), "numeric": formats.get(c) in _NUMERIC,
                                "code": formats.get(c) == "code"} for c, h in columns.items()],
                   "rows": rows, "total_rows": int(len(df)), "csv": _file_name(csv)})
    block.frame, block.formats, block.language = df[list(columns)], {c: formats.get(c) for c in columns}, language
    return block


class Table(dict):
    """A table block: in the spec (JSON) a plain dict; besides, out of the JSON, every row of the table
    (``frame``: the columns shown, unformatted), its ``formats`` and ``language``, from which
    :func:`helpers.reports.workbook.write_workbook` writes the readers' workbook when the spec is written."""

    frame = None
    formats: dict = {}
    language = "id"


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


def write_figures(figures: dict, path) -> Path:
    """Write a notebook's headline figures (``NN-name.figures.json``, read by ``pemilu-recap``'s
    ``index.html``): JSON, UTF-8, one value per line, no NaN (write None).

    Examples
    --------
    >>> import tempfile
    >>> p = write_figures({"n_sites": 44, "kota": "Jakarta Pusat"}, Path(tempfile.mkdtemp()) / "x.figures.json")
    >>> print(p.read_text(encoding="utf-8"), end="")
    {
     "n_sites": 44,
     "kota": "Jakarta Pusat"
    }
    """
    path = Path(path)
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return path


_LINK_KEYS = {"image": "src", "map": "href", "table": "csv"}


def _links(spec: dict):
    if "workbook" in spec:
        yield spec["workbook"]
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
