"""Read a spreadsheet as an office keeps it: find the sheet, the header row and the data rows.

Offices' lists are rarely a clean table: a title line or two above the header, a merged
"Koordinat" cell over "Lintang" and "Bujur", hidden rows, a ``JUMLAH`` row at the bottom, note and
footer lines under the table (``Sumber: ...``, ``Keterangan``, ``Dicetak tanggal ...``, a signature
block with a place and date, ``Mengetahui``, ``(ttd)``, names with their NIP), empty trailing rows,
several sheets.  :func:`read_sheet` returns the header and the data rows as
strings together with the spreadsheet row number of every data row (so messages name the row a
person sees) and notes on what it skipped.

Excel workbooks are read with ``python-calamine`` (Rust; a 100,000-row sheet in about a second,
where openpyxl takes 15 s).  Neither calamine nor openpyxl's fast read-only mode report hidden
rows, so :func:`_hidden_rows` reads the ``hidden`` attribute of the sheet's ``<row>`` elements
from the workbook XML itself (a streaming scan, no full parse).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from helpers.io.schema import header_key, recognise, score
from python_calamine import CalamineWorkbook

#: Rows searched for the header row.
HEADER_SEARCH_ROWS = 20
#: Labels that make a row a totals row (the start of the row's first text cell, any case).
_TOTAL = re.compile(r"^\s*(jumlah|total|sub[\s-]*total|grand[\s-]*total)\b", re.I)
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")
_MONTHS = (r"jan\w*|feb\w*|mar\w*|apr\w*|mei|may|jun\w*|jul\w*|agu\w*|aug\w*|sep\w*|okt\w*|oct\w*|nov\w*|"
           r"des\w*|dec\w*")
#: The start of a note or footer line (the row's first text cell, any case).  "Sumber" and "Kepala" begin
#: hundreds of desa names (Sumber Jaya, Kepala Sungai): a source line needs its colon, a signature title its office.
_NOTE = re.compile(r"""^\s*(?:
      (?:sumber|source)(?:\s+data)?\s*:                        # Sumber: BPS 2024
    | (?:keterangan|ket\.?|catatan|nb\.?|notes?)\s*(?::|$)     # Keterangan:  / a lone "Catatan"
    | \*+\)?\s                                                # *) footnote
    | (?:dicetak|printed|diunduh|diekspor|dibuat|disusun|mengetahui|menyetujui|disetujui|diperiksa|disahkan
       |ditetapkan)\b
    | \(?\s*(?:ttd|t\.t\.d)\b\.?                                # (ttd)
    | tanda\s*tangan | cap\s*(?:dan|&|/)\s*(?:tanda|ttd)
    | \(\s*[._\-\s]{3,}\)\s*$                                   # ( ............ ) a name to sign
    | (?:ketua|kepala|sekretaris|plh\.?|plt\.?|a\.?\s?n\.?)\s+(?:ppk|pps|kpps|kpu|bawaslu|panwas\w*|panitia|kecamatan
       |kelurahan|desa|dinas|badan|bagian|sub\w*|seksi|divisi|komisi|tim|pokja)\b
    )""", re.I | re.X)
#: A date (14 Februari 2024, 14-02-2024, 2024-02-14), as in "Maba, 14 Februari 2024" above a signature.
_DATE = re.compile(rf"\b\d{{1,2}}[\s\-/.]+(?:\d{{1,2}}|{_MONTHS})[\s\-/.]+\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.I)
#: A civil servant's number under a name: "NIP. 19800101 200501 1 001".
_NIP = re.compile(r"\b(?:NIP|NRP|NIK)\b\.?\s*:?\s*\d", re.I)
#: The fields whose values a data row has and a note line has not (coordinates; the TPS counts).
VALUE_FIELDS = {"sites": ("lat", "lon", "coordinates"), "facilities": ("lat", "lon", "coordinates"),
                "tps": ("tps_total", "tps_reguler", "tps_khusus", "dpt")}


class SheetError(Exception):
    """The file cannot be read as a table; the message says why and ``fix`` what to do."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


@dataclass
class Sheet:
    """A table read from a file.

    Attributes
    ----------
    frame : pandas.DataFrame
        Data rows as strings (empty cells are ``""``), columns named by the file's headers.
    rows : list of int
        Spreadsheet row number of each data row (1 = the first line of the file).
    sheet : str or None
        Sheet name of a workbook.
    notes : list of tuple
        ``(rows, message, fix)`` for what was skipped or looks odd (reported as warnings).
    """

    frame: pd.DataFrame
    rows: list[int]
    sheet: str | None = None
    header_row: int = 1
    notes: list[tuple[list[int], str, str]] = field(default_factory=list)


def cell_text(value) -> str:
    """A cell as text: whole floats without ``.0``, dates as ISO dates, booleans as true/false.

    Examples
    --------
    >>> cell_text(61.0), cell_text(-6.170687), cell_text(None), cell_text(True), cell_text(" Gambir ")
    ('61', '-6.170687', '', 'true', 'Gambir')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


# ---------------------------------------------------------------------------------------------
# raw grids
# ---------------------------------------------------------------------------------------------
def csv_grid(text: str) -> list[list[str]]:
    """Rows of a CSV text; the separator (comma, semicolon or tab) is the one most used in the
    first lines, so a title line without separators does not decide it.  Rows may have any
    number of fields (a title line has one), which :mod:`csv` allows and pandas does not."""
    head = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    sep = max([",", ";", "\t"], key=lambda s: sum(line.count(s) for line in head))
    try:
        return [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), delimiter=sep,
                                                                 skipinitialspace=True, strict=True)]
    except csv.Error as exc:
        raise SheetError(f"the CSV cannot be parsed ({str(exc).strip()})",
                         "check that the quotes of every field are closed") from None


def excel_sheets(path) -> list[tuple[str, bool]]:
    """``(name, visible)`` of every worksheet of a workbook."""

    wb = CalamineWorkbook.from_path(str(path))
    return [(m.name, str(m.visible).endswith("Visible") and "Hidden" not in str(m.visible))
            for m in wb.sheets_metadata if "WorkSheet" in str(m.typ)]


def excel_grid(path, sheet: str) -> tuple[list[list], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Cell values and merged ranges ``((row0, col0), (row1, col1))`` (0-based) of one sheet."""

    wb = CalamineWorkbook.from_path(str(path))
    ws = wb.get_sheet_by_name(sheet)
    grid = ws.to_python(skip_empty_area=False)
    merged = list(ws.merged_cell_ranges or [])
    return grid, merged


def _hidden_rows(path, sheet: str) -> list[int]:
    """1-based numbers of the rows marked hidden in a sheet of an .xlsx workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = None
            for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
                tag = m.group(0)
                name = re.search(r'\bname="([^"]*)"', tag)
                if name and _xml_unescape(name.group(1)) == sheet:
                    rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', tag)
                    rid = rid.group(1) or rid.group(2) if rid else None
            target = None
            for m in re.finditer(r"<Relationship\b[^>]*>", rels):
                tag = m.group(0)
                if rid and f'Id="{rid}"' in tag:
                    target = re.search(r'Target="([^"]*)"', tag).group(1)
            if target is None:
                return []
            member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            hidden = []
            with z.open(member) as fh:
                tail = b""
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    data = tail + chunk
                    for m in re.finditer(rb"<row\b[^>]*>", data):
                        tag = m.group(0)
                        if re.search(rb'\bhidden="(1|true)"', tag):
                            r = re.search(rb'\br="(\d+)"', tag)
                            if r:
                                hidden.append(int(r.group(1)))
                    cut = data.rfind(b"<")
                    tail = data[cut:] if cut >= 0 and b">" not in data[cut:] else b""
            return sorted(set(hidden))
    except (KeyError, zipfile.BadZipFile, OSError, AttributeError):
        return []


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


# ---------------------------------------------------------------------------------------------
# from a grid to a table
# ---------------------------------------------------------------------------------------------
def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def find_header(grid: list[list[str]], kind: str | None) -> tuple[int, int]:
    """Index of the header row and its score: the best-scoring of the first rows for ``kind``
    (at least two recognised headers), else the first non-empty row."""
    first = next((i for i, row in enumerate(grid) if any(row)), None)
    if first is None:
        return -1, 0
    if kind is None:
        return first, 0
    best, best_score = first, 0
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        s = score(row, kind)
        if s > best_score:
            best, best_score = i, s
    return (best, best_score) if best_score >= 2 else (first, best_score)


def table_from_grid(grid: list[list], kind: str | None, merged=(), hidden=()) -> Sheet:
    """Header, data rows and notes from a raw grid of cells (see :class:`Sheet`)."""
    grid = [[v if type(v) is str else cell_text(v) for v in row] for row in grid]  # CSV cells are text already
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    h, _ = find_header(grid, kind)
    if h < 0:
        raise SheetError("the sheet is empty", "put the table (a header row and the data rows) on it")
    notes: list[tuple[list[int], str, str]] = []
    header = list(grid[h])
    # merged header cells: a cell merged across columns names each of them; a second header row
    # under it ("Koordinat" over "Lintang" | "Bujur") gives the names of the columns below
    for (r0, c0), (r1, c1) in merged:
        if r0 <= h <= r1 and c1 > c0:
            for c in range(c0 + 1, min(c1 + 1, width)):
                if not header[c]:
                    header[c] = header[c0]
    start = h + 1
    if kind is not None and start < len(grid):
        below = grid[start]
        if score(below, kind) >= 1 and not any(_NUMBER.match(v.replace(" ", "")) for v in below if v):
            header = [b if b else a for a, b in zip(header, below)]
            notes.append(([h + 1, h + 2], "the header spans two rows (merged cells); the lower row names "
                          "the columns under a merged cell", "nothing, if the columns were read right"))
            start += 1
    if h > 0 and any(any(r) for r in grid[:h]):
        title = " ".join(v for r in grid[:h] for v in r if v)[:80]
        notes.append(([], f"the header was found on row {h + 1}; the {h} row(s) above it were skipped "
                      f"('{title}')", "nothing, if row " f"{h + 1} is the header"))
    # names: empty headers of columns holding data get a letter, repeated headers a number
    names, seen = [], {}
    keep = []
    for c, name in enumerate(header):
        data = any(r[c] for r in grid[start:])
        if not name and not data:
            continue
        if not name:
            name = f"kolom {_column_letter(c)}"
        key = header_key(name) or name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        names.append(name)
        keep.append(c)
    rows = [(i + 1, [grid[i][c] for c in keep]) for i in range(start, len(grid))]
    rows = [(n, r) for n, r in rows if any(r)]  # empty rows (also trailing ones) carry nothing
    totals = [n for n, r in rows if _is_total(r)]
    if totals:
        label = next(v for v in dict(rows)[totals[0]] if v and not _NUMBER.match(v.replace(" ", "")))
        notes.append((totals, f"totals row(s) ('{label[:40]}') were left out", "nothing; totals are computed"))
        rows = [(n, r) for n, r in rows if n not in set(totals)]
    footer = note_rows(rows, names, kind)
    if footer:
        quoted = "; ".join(f"row {n} '{_row_text(r)}'" for n, r in rows if n in footer[:8])
        value = "its TPS count" if kind == "tps" else "its coordinates"
        notes.append((footer, f"note or footer line(s) were skipped: {quoted}{' ...' if len(footer) > 8 else ''}",
                      f"nothing, if these are notes; a data row needs {value} to be read as one"))
        rows = [(n, r) for n, r in rows if n not in set(footer)]
    hidden_data = sorted(set(hidden) & {n for n, _ in rows})
    if hidden_data:
        notes.append((hidden_data, "these rows are hidden in the workbook; they were read like the others",
                      "delete the rows that should not count, or unhide them to check"))
    frame = pd.DataFrame([r for _, r in rows], columns=names, dtype=str) if rows else pd.DataFrame(
        columns=names, dtype=str)
    return Sheet(frame, [n for n, _ in rows], header_row=h + 1, notes=notes)


def _row_text(row: list[str], limit: int = 70) -> str:
    text = " | ".join(v for v in row if v)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def note_rows(rows: list[tuple[int, list[str]]], names: list[str], kind: str | None) -> list[int]:
    """Spreadsheet numbers of the note and footer lines among the data rows of a ``kind`` of file.

    A note line has no value where the data rows have them (:data:`VALUE_FIELDS`; else the columns
    filled in 80 % of the rows) and either starts like a note (``Sumber:``, ``Keterangan``,
    ``Catatan``, ``Dicetak``, ``Mengetahui``, ``(ttd)``, ``Ketua PPK ...``, a place and date) or holds
    an NIP, or it follows such a line with at most two cells filled (the names of a signature
    block).  A row with values ends the footer: rows after it are data again, checked as any.

    Examples
    --------
    >>> rows = [(5, ["1", "Maba", "0.9", "128.2"]), (6, ["Sumber: KPU Kab. Halmahera Timur", "", "", ""]),
    ...         (7, ["", "Maba, 14 Februari 2024", "", ""]), (8, ["", "Drs. Ahmad", "", ""]),
    ...         (9, ["", "NIP. 19800101 200501 1 001", "", ""]), (10, ["2", "Sumber", "", ""])]
    >>> note_rows(rows, ["No", "Kecamatan", "Lintang", "Bujur"], "sites")
    [6, 7, 8, 9]
    """
    if kind not in VALUE_FIELDS or not rows:
        return []
    found = recognise(names, kind).found
    value_cols = [names.index(found[f]) for f in VALUE_FIELDS[kind] if f in found]
    if not value_cols:
        value_cols = [c for c in range(len(names)) if sum(bool(r[c]) for _, r in rows) >= 0.8 * len(rows)]
    number = names.index(found["row_number"]) if "row_number" in found else None
    out, in_footer = [], False
    for n, r in rows:
        if any(r[c] for c in value_cols) or (number is not None and _NUMBER.match(r[number].replace(" ", ""))):
            in_footer = False
            continue
        filled = [v for v in r if v]
        first = filled[0] if filled else ""
        if _NOTE.match(first) or _DATE.search(first) or any(_NIP.search(v) for v in filled) \
                or (in_footer and len(filled) <= 2):
            out.append(n)
            in_footer = True
    return out


def _is_total(row: list[str]) -> bool:
    """Whether the row's first text cell (not a number) is a totals label such as ``JUMLAH``."""
    for v in row:
        if v and not _NUMBER.match(v.replace(" ", "")):
            return bool(_TOTAL.match(v))
    return False


def read_excel_sheet(path, kind: str | None, sheet: str | int | None = None) -> Sheet:
    """The table of a workbook: sheet ``sheet`` (name or 1-based number), or the first visible
    sheet whose header row is recognised for ``kind``, or else the first sheet with data."""
    try:
        sheets = excel_sheets(path)
    except Exception as exc:  # calamine raises its own errors for a broken file
        raise SheetError(f"the file is not a readable .xlsx workbook ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160] if str(exc) else ''})",
                         "open it in Excel or LibreOffice and save it again as .xlsx") from None
    names = [n for n, _ in sheets]
    if sheet is not None:
        if isinstance(sheet, int) or str(sheet).isdigit():
            k = int(sheet)
            if not 1 <= k <= len(names):
                raise SheetError(f"sheet number {k} does not exist; the workbook has {len(names)} sheet(s): "
                                 f"{', '.join(names)}", "give a sheet name or a number from 1")
            chosen = [names[k - 1]]
        else:
            match = [n for n in names if n.strip().lower() == str(sheet).strip().lower()]
            if not match:
                raise SheetError(f"there is no sheet '{sheet}'; the sheets are: {', '.join(names)}",
                                 "give one of these names in the sheet parameter")
            chosen = match
    else:
        chosen = [n for n, visible in sheets if visible] + [n for n, visible in sheets if not visible]
    fallback = None
    for name in chosen:
        grid, merged = excel_grid(path, name)
        text = [[cell_text(v) for v in row] for row in grid]
        if not any(any(r) for r in text):
            continue
        h, s = find_header(text, kind)
        if sheet is not None or kind is None or s >= 2:
            out = table_from_grid(grid, kind, merged, _hidden_rows(path, name))
            out.sheet = name
            first_visible = next((n for n, visible in sheets if visible), None)
            if len(names) > 1 and sheet is None and name != first_visible:
                out.notes.append(([], f"the workbook has {len(names)} sheets; sheet '{name}' was read",
                                  "give the sheet parameter to read another"))
            return out
        fallback = fallback or name
    if fallback is None:
        raise SheetError(f"the workbook has no data on any sheet ({', '.join(names)})",
                         "put the table on the first sheet, with a header row")
    grid, merged = excel_grid(path, fallback)
    out = table_from_grid(grid, kind, merged, _hidden_rows(path, fallback))
    out.sheet = fallback
    return out
