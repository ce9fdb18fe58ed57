"""A user's file before it is parsed: its size (:func:`check_size`) and the encoding of a text file (:func:`decode_text`).

**Size.**  Parsing a text table costs many times its size in memory (a 60 MB CSV took 952 MiB
to parse in full before it was refused, issue 21).  A user's file is therefore measured first:
its bytes (:data:`MAX_BYTES`, by format) and a quick count of its rows -- the line breaks of a
text file, the last row a workbook's sheets declare, the features a GeoPackage declares -- against
:data:`MAX_ROWS` (by kind of file).  Above either, the file is refused before it is read, with
the limit and the way around it in the message.  Both limits can be raised for one run with the
environment variables :data:`ENV_MB` and :data:`ENV_ROWS` (the lists of a province stay far below
them: 8,494 desa in Jawa Timur); a sites file keeps its 10,000 rows (7,277 kecamatan in all Indonesia).

**Encoding.**  Excel saves "CSV UTF-8" with a byte-order mark, "CSV (Comma delimited)" in the
Windows ANSI code page (Windows-1252 on Indonesian and English Windows) and "Unicode Text" as
UTF-16 with a byte-order mark, tab separated.  :func:`decode_text` reads UTF-8 as is and asks
charset-normalizer for anything else, among these encodings only: left free it names code pages
of other scripts for short Indonesian files (cp1250, iso8859_14), which would turn ``°`` or
``–`` into other letters.
"""

from __future__ import annotations

import codecs
import os
import re
import zipfile
from pathlib import Path

import charset_normalizer
import pyogrio

#: Environment variables that raise the limits of :func:`check_size` for one run (a number).
ENV_MB, ENV_ROWS = "PEMILU_RECAP_MAX_INPUT_MB", "PEMILU_RECAP_MAX_INPUT_ROWS"
#: Largest file accepted, in MB (10^6 bytes), by format: text (CSV, GeoJSON, KML and the KML inside a
#: KMZ), workbooks (.xlsx/.ods: compressed XML, ~10x smaller than the CSV of the same rows) and GeoPackage.
MAX_BYTES = {"text": 40e6, "workbook": 15e6, "gpkg": 100e6}
#: Most data rows accepted by kind of file; a sites file lists one site per kecamatan (7,277 in Indonesia).
MAX_ROWS = {"sites": 10_000, "facilities": 200_000, "tps": 200_000}
#: Encodings charset-normalizer may choose among (see the module docstring), Python codec names.
TEXT_ENCODINGS = ["utf_8", "cp1252", "latin_1", "utf_16", "utf_16_le", "utf_16_be"]
#: How an encoding is named in messages.
ENCODING_NAMES = {"utf_8": "UTF-8", "cp1252": "Windows-1252 (Excel 'CSV (Comma delimited)' on Windows)",
                  "latin_1": "Latin-1 (ISO-8859-1)", "utf_16": "UTF-16 (Excel 'Unicode Text')",
                  "utf_16_le": "UTF-16 LE", "utf_16_be": "UTF-16 BE"}
_TEXT = {".csv", ".txt", ".tsv", ".geojson", ".json", ".kml"}
_WORKBOOK = {".xlsx", ".xlsm", ".ods"}
_WHY = {"sites": "a sites file lists one PPK site per kecamatan",
        "facilities": "a facilities list of a province is far shorter",
        "tps": "a TPS file has one row per kelurahan/desa (8,494 in Jawa Timur, the largest province)"}
_FIX = {"sites": "give the list of PPK recapitulation sites (is this a TPS or facility list? use tps_path or "
                 "facilities_path)",
        "facilities": "keep only the facilities of the province (or kab/kota) of the run",
        "tps": "give one row per kelurahan/desa with its number of TPS (Jumlah TPS), for the province of the run"}


class TooLarge(Exception):
    """The file is above a limit of :func:`check_size`; the message says which, ``fix`` the way around."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def limits(kind: str) -> tuple[dict[str, float], int]:
    """The byte limits (by format) and the row limit of ``kind``, with :data:`ENV_MB`/:data:`ENV_ROWS` applied.

    Examples
    --------
    >>> limits("tps")[1], limits("sites")[0]["text"]
    (200000, 40000000.0)
    """
    size, rows = dict(MAX_BYTES), MAX_ROWS[kind]
    mb, n = _env_number(ENV_MB), _env_number(ENV_ROWS)
    if mb:
        size = {k: max(v, mb * 1e6) for k, v in size.items()}
    if n and kind != "sites":  # a sites file has one row per kecamatan whatever the limit
        rows = max(rows, int(n))
    return size, rows


def _env_number(name: str) -> float | None:
    try:
        value = float(os.environ.get(name, "") or "nan")
    except ValueError:
        return None
    return value if value > 0 else None


def _format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return ("text" if suffix in _TEXT else "workbook" if suffix in _WORKBOOK else "gpkg" if suffix == ".gpkg"
            else "kmz" if suffix == ".kmz" else None)


def check_size(path: Path, kind: str) -> int | None:
    """Refuse a user's file of ``kind`` that is too large to check, before it is parsed.

    Returns the quick row count (None where the format declares none).

    Raises
    ------
    TooLarge
        With the file's size or rows, the limit, and the way around it.
    """
    size, max_rows = limits(kind)
    form = _format(path)
    if form is None:
        return None
    nbytes = path.stat().st_size
    if form == "kmz":  # the KML inside the zip is what is parsed
        nbytes = _kmz_inner_size(path)
    limit = size["text" if form == "kmz" else form]
    around = (f"or, to check it anyway, set the environment variable {ENV_MB} (e.g. {ENV_MB}={int(nbytes / 1e6) + 1}; "
              f"checking takes about 15 times the file's size in memory)")
    if nbytes > limit:
        raise TooLarge(f"the file is {nbytes / 1e6:,.1f} MB, above the {limit / 1e6:,.0f} MB the toolkit checks "
                       f"({_WHY[kind]}); it was not read", f"{_FIX[kind]}; {around}")
    rows = (_text_rows(path) if form == "text" and path.suffix.lower() in (".csv", ".txt", ".tsv")
            else _workbook_rows(path) if form == "workbook" else _gpkg_rows(path) if form == "gpkg" else None)
    if rows is not None and rows - 1 > max_rows:
        anyway = "" if kind == "sites" else (f"; or, to check it anyway, set the environment variable {ENV_ROWS} "
                                             f"(e.g. {ENV_ROWS}={rows})")
        raise TooLarge(f"the file has about {rows - 1:,} rows, above the {max_rows:,} of a {kind} file "
                       f"({_WHY[kind]}); it was not read", f"{_FIX[kind]}{anyway}")
    return rows


def _text_rows(path: Path) -> int:
    """Lines of a text file (its line breaks, counted in 1 MB chunks: no parsing, little memory)."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
            last = chunk[-2:]
    return n + (0 if last.endswith(b"\n") or last.endswith(b"\n\x00") else 1)


def _workbook_rows(path: Path) -> int | None:
    """The last row any sheet of an .xlsx declares (``<dimension ref="A1:H120">``), from the start of
    each sheet's XML; None for other workbooks or when no sheet declares one."""
    try:
        with zipfile.ZipFile(path) as z:
            last = None
            for name in z.namelist():
                if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                    continue
                with z.open(name) as fh:
                    head = fh.read(4096).decode("utf-8", "replace")
                m = re.search(r'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
                if m and m.group(1):
                    last = max(last or 0, int(m.group(1)))
            return last
    except (zipfile.BadZipFile, OSError, KeyError):
        return None  # the reader says what is wrong with the file


def _gpkg_rows(path: Path) -> int | None:
    """Features of the first layer a GeoPackage declares (its header, no feature read), plus the header."""
    try:
        return int(pyogrio.read_info(path)["features"]) + 1
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the reader
        return None


def _kmz_inner_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as z:
            return sum(i.file_size for i in z.infolist() if i.filename.lower().endswith(".kml"))
    except (zipfile.BadZipFile, OSError):
        return path.stat().st_size


def decode_text(raw: bytes) -> tuple[str, str]:
    """Text of a file and the name of its encoding (see the module docstring).

    Raises
    ------
    UnicodeError
        When the bytes are not text in any of :data:`TEXT_ENCODINGS` (a binary file).

    Examples
    --------
    >>> decode_text("Lintang;Bujur\\n-6,2;106,8\\n".encode("utf-8-sig"))
    ('Lintang;Bujur\\n-6,2;106,8\\n', 'UTF-8 with a byte-order mark')
    >>> decode_text("Nama\\tKeterangan\\nPos – 1\\tcafé\\n".encode("utf-16"))[1]
    "UTF-16 (Excel 'Unicode Text')"
    >>> decode_text("Nama;Ket\\nGudang – Maba;6°10'S\\n".encode("cp1252"))
    ("Nama;Ket\\nGudang – Maba;6°10'S\\n", "Windows-1252 (Excel 'CSV (Comma delimited)' on Windows)")
    """
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 with a byte-order mark"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and raw[:4096].count(b"\x00") < len(raw[:4096]) // 4:
        raise UnicodeError("binary data (NUL bytes) in a text file")
    best = charset_normalizer.from_bytes(raw, cp_isolation=TEXT_ENCODINGS).best()
    tried = [best.encoding] if best is not None else []
    if not tried or not tried[0].startswith("utf_16"):  # a byte undefined in cp1252 is Latin-1
        tried += [e for e in ("cp1252", "latin_1") if e not in tried]
    for encoding in tried:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf_16"):
            text = text.lstrip("\ufeff")
        if _binary(text):
            break
        return text, ENCODING_NAMES.get(encoding, encoding)
    raise UnicodeError("not text in UTF-8, UTF-16, Windows-1252 or Latin-1")


def _binary(text: str) -> bool:
    """Whether decoded text holds control characters no table has (a binary file read as text)."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f") + sample.count("\x7f")
    return bad > max(2, len(sample) // 200)
