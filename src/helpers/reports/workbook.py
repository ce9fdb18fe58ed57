"""The readers' workbook of a report: ``NN-name.xlsx`` next to ``NN-name.report.json``, one sheet per table.

A report's tables show their first rows and link the full table.  The CSV files a notebook writes are for machines
and scripts: code column names (``tps_mean``) and a decimal point, which a spreadsheet set to Bahasa Indonesia
reads as text or as thousands.  The workbook is for readers: each table of the report on a sheet of its own with
*every* row, the report's column headers in the report's language, numbers stored as numbers with a number format
(``#,##0.0``, ``0.0%``) so that Excel or LibreOffice shows them with the reader's own separators (30.766 and
98,8 % on an Indonesian computer), and a first sheet naming the scope, the date, the sources, the parameters and what
each sheet holds.  The CSV files are kept, unchanged.

It is built generically from the report spec (:mod:`helpers.reports.spec`): every table block
(:class:`helpers.reports.spec.Table`) keeps, out of the JSON, the rows and formats it was built from, and
:func:`helpers.reports.render.write_spec` calls :func:`write_workbook` before writing the spec, which then names the
workbook (``spec["workbook"]``) and each table its sheet (``block["sheet"]``) -- no report module writes it itself.
openpyxl writes it (a dependency already: the loaders read ``.xlsx`` with it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from numbers import Number
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Alignment, Font

from helpers.core import text
from helpers.core.text import label

#: The suffix of the workbook next to a spec (``02-coverage-gaps.report.json`` -> ``02-coverage-gaps.xlsx``).
SUFFIX = ".xlsx"
#: Excel number formats by the kind of a column (:func:`helpers.reports.spec.table`); Excel shows them in the
#: reader's locale (the format's ``,`` and ``.`` are the thousands and decimal separators of the computer).
NUMBER_FORMATS = {"int": "#,##0", "float1": "#,##0.0", "km": "#,##0.0", "float2": "#,##0.00", "pct": "0.0%",
                  "pct100": "0.0%"}
_MAX_SHEET = 31  # Excel's limit on a sheet name
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


def tables_of(spec: dict) -> list[tuple[str, dict]]:
    """``[(section heading, table block)]`` of the spec's tables that keep their rows (built by
    :func:`helpers.reports.spec.table` in this process; a spec read back from JSON has none)."""
    return [(s["heading"], b) for s in spec.get("sections", []) for b in s.get("blocks", [])
            if b.get("type") == "table" and getattr(b, "frame", None) is not None]


def sheet_names(titles: list[str], taken: set[str]) -> list[str]:
    """Excel sheet names for ``titles``: the characters Excel refuses removed, at most 31 characters, unique
    (case-insensitive, as Excel compares them) among themselves and ``taken``.

    Examples
    --------
    >>> sheet_names(["Per kota", "Per kota", "Daftar celah: a/b [x]", "x" * 40], {"tentang"})
    ['Per kota', 'Per kota (2)', 'Daftar celah – a-b -x-', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
    >>> sheet_names(["Dua pemilihan: Pemilu dan Pilkada 2024", "Internet: rendah, tengah, tinggi"], set())
    ['Dua pemilihan – Pemilu dan', 'Internet – rendah, tengah']
    """
    used, out = {t.lower() for t in taken}, []
    for title in titles:
        base = _BAD_SHEET.sub("-", " ".join(str(title).replace(": ", " – ").split())).strip("' ") or "-"
        if len(base) > _MAX_SHEET:  # cut at a word, without a dangling comma or dash
            cut = base[: _MAX_SHEET + 1].rsplit(" ", 1)[0]
            base = (cut if len(cut) > _MAX_SHEET // 2 else base[:_MAX_SHEET]).rstrip(" ,;–-")
        name, n = base[:_MAX_SHEET], 1
        while name.lower() in used:
            n += 1
            tail = f" ({n})"
            name = base[: _MAX_SHEET - len(tail)] + tail
        used.add(name.lower())
        out.append(name)
    return out


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if value is not None and not isinstance(value, (str, list, tuple, dict)) and bool(value != value):
            return None  # pandas NA / NaT
    except (TypeError, ValueError):
        pass
    return value


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool) and math.isfinite(float(value))


def cell(value, kind, language: str) -> tuple[object, str | None, str | None]:
    """``(value, number format, web address)`` of one table cell in the workbook.

    Numbers stay numbers with the format of their kind (:data:`NUMBER_FORMATS`; a percentage as a share); a
    column formatted by a function keeps the number when the function only writes it with some decimals, else
    its words; yes/no in words; a link its text and address; anything else as text.

    Examples
    --------
    >>> cell(1591, "int", "id"), cell(50.0, "pct100", "id"), cell(True, "bool", "id")
    ((1591, '#,##0', None), (0.5, '0.0%', None), ('Ya', None, None))
    >>> cell(0.0512, lambda v: text.fmt_number(v, "id", 3), "id"), cell(float("nan"), "km", "en")
    ((0.0512, '#,##0.000', None), (None, None, None))
    >>> cell(("Okezone, 21 Februari 2024", "https://news.okezone.com/x"), "link", "id")
    ('Okezone, 21 Februari 2024', None, 'https://news.okezone.com/x')
    """
    value = _plain(value)
    if kind == "link":
        words, href = value if isinstance(value, (tuple, list)) else (value, None)
        href = href if isinstance(href, str) and href.startswith(("https://", "http://")) else None
        return (None if _plain(words) is None else str(words)), None, href
    if value is None:
        return None, None, None
    if kind in NUMBER_FORMATS and _is_number(value):
        return (value / 100 if kind == "pct100" else value), NUMBER_FORMATS[kind], None
    if kind == "bool":
        return text.fmt_bool(value, language), None, None
    if callable(kind):
        words = kind(value)
        if isinstance(words, dict):  # a link
            return words.get("text"), None, words.get("href")
        if _is_number(value):
            for digits in range(4):
                if text.fmt_number(value, language, digits) == str(words):
                    return value, "#,##0" + ("." + "0" * digits if digits else ""), None
        return str(words), None, None
    if kind is None and _is_number(value):
        return value, ("#,##0" if float(value).is_integer() and abs(value) >= 1000 else None), None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(), None, None
    if isinstance(value, (list, tuple, dict)):
        return text.fmt_value(value, language), None, None
    return str(value), None, None


def _widths(ws, columns: int, rows) -> None:
    longest = [0] * columns
    for r in rows:
        for i, v in enumerate(r[:columns]):
            longest[i] = max(longest[i], len(str(v)) if v is not None else 0)
    for i, n in enumerate(longest, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(max(n + 2, 8), 60)


def _table_sheet(ws, block: dict) -> None:
    labels = [c["label"] for c in block["columns"]]
    ws.append(labels)
    for c in ws[1]:
        c.font, c.alignment = _BOLD, Alignment(wrap_text=True, vertical="top")
    frame, formats, language = block.frame, block.formats, block.language
    sample = [labels]
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        shown = []
        for col, (name, value) in enumerate(zip(frame.columns, row), start=1):
            v, fmt, href = cell(value, formats.get(name), language)
            target = ws.cell(row=r, column=col, value=v)
            if isinstance(v, str) and v.startswith("="):  # a text from the data, never a formula
                target.data_type = "s"
            if fmt:
                target.number_format = fmt
            if href:
                target.hyperlink = href
            shown.append(v if fmt is None else f"{v:,.2f}" if isinstance(v, float) else v)
        if r < 300:
            sample.append(shown)
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions
    _widths(ws, len(labels), sample)


def _about(ws, spec: dict, sheets: list[tuple[str, str, int]]) -> None:
    lang = spec["language"]
    L = lambda key, **kw: label(key, lang, **kw)  # noqa: E731
    ws.append([spec["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    params = "; ".join(f"{p['label']}: {p['value']}" for p in spec.get("parameters") or []) or L("none")
    for key, value in (("scope", spec["scope"]), ("run_date", text.fmt_datetime(spec.get("created"), lang)),
                       ("sources", "; ".join(spec.get("sources") or [])), ("parameters", params)):
        ws.append([L(key), value])
        ws.cell(row=ws.max_row, column=1).font = _BOLD
    ws.append([])
    ws.append([L("xl_sheets")])
    ws.cell(row=ws.max_row, column=1).font = _BOLD
    ws.append([L("xl_sheet"), L("xl_holds"), L("xl_rows")])
    for c in ws[ws.max_row]:
        c.font = _BOLD
    for name, holds, n in sheets:
        ws.append([name, holds, n])
        ws.cell(row=ws.max_row, column=1).hyperlink = "#'{}'!A1".format(name.replace("'", "''"))
        ws.cell(row=ws.max_row, column=3).number_format = "#,##0"
    ws.append([])
    ws.append([L("xl_numbers")])
    csvs = sorted({b["csv"] for _, b in tables_of(spec)})
    ws.append([L("xl_machines", files=", ".join(csvs))])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 34, 90, 10
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(c.value, str) and c.value.startswith("="):  # a name from the data, never a formula
                c.data_type = "s"


def workbook_name(spec_path) -> str:
    """``NN-name.xlsx`` for ``NN-name.report.json``."""
    name = Path(spec_path).name
    return (name[: -len(".report.json")] if name.endswith(".report.json") else Path(name).stem) + SUFFIX


def write_workbook(spec: dict, spec_path) -> Path | None:
    """Write the readers' workbook of ``spec`` next to ``spec_path`` and name it in the spec.

    Sets ``spec["workbook"]`` (its file name) and each table's ``sheet``; returns the file, or None when the spec
    has no table with its rows (then nothing is written and any workbook of the same name is removed, so a rerun
    leaves none stale).  The file is written whole or not at all (a temporary file, then renamed).
    """
    target = Path(spec_path).with_name(workbook_name(spec_path))
    found = tables_of(spec)
    if not found:
        spec.pop("workbook", None)
        target.unlink(missing_ok=True)
        return None
    lang = spec["language"]
    about = label("xl_about", lang)
    titles = []  # a sheet is named by its section's heading; tables sharing a heading by their caption
    for i, (heading, block) in enumerate(found, start=1):
        shared = sum(h == heading for h, _ in found) > 1
        titles.append((block.get("caption") if shared else None) or heading or label("xl_table", lang, n=i))
    names = sheet_names(titles, {about})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = about
    sheets = []
    for name, (heading, block) in zip(names, found):
        block["sheet"] = name
        _table_sheet(wb.create_sheet(name), block)
        holds = heading if not block.get("caption") or block["caption"] == heading else f"{heading}: {block['caption']}"
        sheets.append((name, holds, block["total_rows"]))
    spec["workbook"] = target.name
    _about(ws, spec, sheets)
    created = _created(spec.get("created"))
    wb.properties.title, wb.properties.creator, wb.properties.language = spec["title"], "pemilu-recap", lang
    wb.properties.created = wb.properties.modified = created
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        wb.save(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _created(when) -> dt.datetime:
    """The report's date as a naive UTC datetime (the workbook's own date), else now."""
    try:
        t = dt.datetime.fromisoformat(str(when))
    except ValueError:
        t = dt.datetime.now(dt.timezone.utc)
    return (t.astimezone(dt.timezone.utc) if t.tzinfo else t).replace(tzinfo=None)
