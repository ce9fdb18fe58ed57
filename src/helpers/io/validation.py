"""Reading and checking of input files, used by :mod:`helpers.io.inputs`.

Every check adds a :class:`Problem` (file, rows, column, message, fix, severity) to a
:class:`Checker`; errors are raised together as one :class:`DataValidationError`, warnings are
emitted as :class:`DataValidationWarning` and kept in ``gdf.attrs["validation_warnings"]``.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from helpers.io import spreadsheet as tables
from helpers.core.geo import WGS84
from helpers.io.filecheck import TooLarge, check_size, decode_text
from helpers.io.kml import read_kml

GEO_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".fgb", ".kml", ".kmz"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".ods"}

#: Accepted alternative column names of the boundary, DPT and press files (compared with
#: :func:`_col_key`); the user files (sites, facilities, TPS) use :mod:`helpers.io.schema`.
COLUMN_ALIASES = {
    "kode": ["kode", "kode_kemendagri", "kode_wilayah"],
    "nama": ["nama", "name"],
    "kota": ["kota", "kabupaten_kota", "kab_kota", "kota_administrasi", "nama_kota", "regency"],
    "name": ["name", "nama", "nama_fasilitas", "namobj"],
    "facility_type": ["facility_type", "jenis", "type", "tipe"],
}
#: Site within this distance (metres) outside its claimed kecamatan only gets a warning:
#: the 2020 boundaries and office points disagree by a few tens of metres along some borders.
SITE_OUTSIDE_TOLERANCE_M = 250.0
#: Rows named in one message at the most ("rows 2, 3, ... and 180 more").
MAX_ROWS_SHOWN = 20
_TRUE = {"true", "1", "yes", "ya", "y", "ada", "t", "tersedia", "sudah", "✓", "✔", "√", "v", "benar", "iya", "ok"}
_FALSE = {"false", "0", "no", "tidak", "n", "tidak ada", "f", "", "✗", "✘", "×", "-", "belum", "belum ada",
          "tidak tersedia", "salah", "tdk", "tdk ada"}


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One finding of a check: where it is and what to do about it."""

    file: str
    rows: tuple[int, ...]
    column: str | None
    message: str
    fix: str
    severity: str = "error"  # or "warning"
    #: what a row is called in the file: "row" (tables, GeoJSON features), "placemark" (KML)
    row_word: str = "row"

    def __str__(self) -> str:
        where = [self.file]
        if self.rows:
            label = self.row_word if len(self.rows) == 1 else f"{self.row_word}s"
            shown = ", ".join(map(str, self.rows[:MAX_ROWS_SHOWN]))
            if len(self.rows) > MAX_ROWS_SHOWN:
                shown += f" and {len(self.rows) - MAX_ROWS_SHOWN} more"
            where.append(f"{label} {shown}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}. Fix: {self.fix}"


class DataValidationError(ValueError):
    """A file failed validation; ``problems`` lists every error found (not only the first)."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in {self.path}:"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class DataValidationWarning(UserWarning):
    """Something in a file looks doubtful but the data can be used."""


def reading_warnings(caught) -> list[str]:
    """The messages of the warnings ``caught`` while files were read, once each, in order -- without
    :class:`ResourceWarning`: those come from the garbage collector finalising objects that have nothing to do
    with the files (an event loop or a socket left by earlier work of the same process, collected at that
    moment), are hidden by Python's default filters, and would otherwise reach the user as a warning about the
    input files whenever the collector happens to run during the reading.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("sites.xlsx, row 5: ...", DataValidationWarning)
    ...     warnings.warn("unclosed event loop", ResourceWarning)
    ...     warnings.warn("sites.xlsx, row 5: ...", DataValidationWarning)
    >>> reading_warnings(caught)
    ['sites.xlsx, row 5: ...']
    """
    return list(dict.fromkeys(str(w.message) for w in caught if not issubclass(w.category, ResourceWarning)))


class Checker:
    """Collects problems of one file; ``raise_if_errors`` raises all errors at once."""

    def __init__(self, path: Path, geo: bool):
        self.path, self.geo = Path(path), geo
        self.problems: list[Problem] = []
        #: spreadsheet row number of each data row (position in the frame -> row), set by read_table
        self.row_numbers: list[int] | None = None
        #: what the loader read, one line each ("header 'Lintang' -> lat"), for the notebooks to print
        self.info: list[str] = []
        #: what a row is called in messages ("placemark" in a KML file)
        self.row_word = "row"

    def rows(self, index) -> tuple[int, ...]:
        if self.row_numbers is not None:
            return tuple(self.row_numbers[int(i)] for i in index)
        offset = 1 if self.geo else 2  # feature numbers are 1-based; spreadsheet rows skip header
        return tuple(int(i) + offset for i in index)

    def add_rows(self, rows, column, message, fix, severity="error"):
        """Like :meth:`add`, with spreadsheet row numbers already computed."""
        self.problems.append(Problem(self.path.name, tuple(rows), column, message, fix, severity, self.row_word))

    def add(self, index, column, message, fix, severity="error"):
        self.problems.append(Problem(self.path.name, self.rows(index), column, message, fix, severity,
                                     self.row_word))

    def fatal(self, message, fix, column=None):
        self.add([], column, message, fix)
        self.raise_if_errors()

    def raise_if_errors(self):
        errors = sorted((p for p in self.problems if p.severity == "error"), key=lambda p: p.rows[:1] or (0,))
        if errors:
            raise DataValidationError(self.path, errors)

    def finish(self, gdf):
        self.raise_if_errors()
        found = [p for p in self.problems if p.severity == "warning"]
        for p in found:
            warnings.warn(str(p), DataValidationWarning, stacklevel=3)
        gdf.attrs["validation_warnings"] = [str(p) for p in found]
        gdf.attrs["source_file"] = str(self.path)
        gdf.attrs["read_notes"] = list(self.info)
        return gdf


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _col_key(name: object) -> str:
    return "".join(ch for ch in str(name).lower().strip() if ch.isalnum())


def _decode(raw: bytes, chk: Checker) -> str:
    """The text of a CSV in whatever encoding Excel saved it (:func:`helpers.io.filecheck.decode_text`);
    an encoding other than UTF-8 is named in a warning."""
    try:
        text, encoding = decode_text(raw)
    except UnicodeError:
        chk.fatal("the file is not text (it holds bytes no CSV has in UTF-8, UTF-16, Windows-1252 or Latin-1); "
                  "it may be a workbook or a binary file with a .csv name",
                  "save the table as CSV (Excel: File > Save As > CSV UTF-8) or give the workbook as .xlsx")
    if not encoding.startswith("UTF-8"):
        chk.add([], None, f"the file is not UTF-8 text; it was read as {encoding}",
                "nothing, if its accents and signs (é, °, –) read right; saving as 'CSV UTF-8' avoids any doubt",
                "warning")
    return text


def _sheet_notes(sheet, chk: Checker) -> None:
    for rows, message, fix in sheet.notes:
        chk.add_rows(rows, None, message, fix, "warning")
    if sheet.sheet is not None:
        chk.info.append(f"sheet '{sheet.sheet}', header on row {sheet.header_row}, {len(sheet.frame)} data rows")
    elif sheet.header_row != 1:
        chk.info.append(f"header on row {sheet.header_row}, {len(sheet.frame)} data rows")


def _read_csv(path: Path, chk: Checker, kind: str | None) -> pd.DataFrame:
    text = _decode(path.read_bytes(), chk)
    if not text.strip():
        chk.fatal("the file is empty", "export the data again; the file has no header and no rows")
    try:
        sheet = tables.table_from_grid(tables.csv_grid(text), kind)
    except tables.SheetError as exc:
        chk.fatal(str(exc), exc.fix)
    _sheet_notes(sheet, chk)
    chk.row_numbers = sheet.rows
    return sheet.frame


def _read_excel(path: Path, chk: Checker, kind: str | None, sheet_name) -> pd.DataFrame:
    try:
        sheet = tables.read_excel_sheet(path, kind, sheet_name)
    except tables.SheetError as exc:
        chk.fatal(str(exc), exc.fix)
    _sheet_notes(sheet, chk)
    chk.row_numbers = sheet.rows
    return sheet.frame


def _read_geo(path: Path, chk: Checker) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends from GDAL
        chk.fatal(f"the file cannot be read as GeoJSON/GeoPackage ({type(exc).__name__}: "
                  f"{str(exc).splitlines()[0][:200]})",
                  "check that it is a complete, valid GeoJSON or GeoPackage file in UTF-8")
    return gdf


def read_table(path: Path | str, *, geo_ok: bool = True, kind: str | None = None,
               sheet: str | int | None = None) -> tuple[pd.DataFrame, Checker]:
    """Read any accepted file into a (Geo)DataFrame of strings, or raise a clear error.

    For CSV and Excel files of a ``kind`` (``"sites"``, ``"facilities"``, ``"tps"``) the file is first
    measured (:func:`helpers.io.filecheck.check_size`: refused above the limits, before it is parsed),
    the header row is found among the first rows (title lines above it are skipped), totals rows, note
    and footer lines under the table and empty rows are left out, and the checker maps each data row
    to its spreadsheet row number.  A CSV may be in UTF-8, UTF-16, Windows-1252 or Latin-1 (another
    than UTF-8 is named in a warning); KML and KMZ are read as placemarks (:mod:`helpers.io.kml`).
    ``sheet`` (name or 1-based number) picks a workbook's sheet; by default the first sheet
    whose headers are recognised.
    """
    path = Path(path)
    chk = Checker(path, geo=path.suffix.lower() in GEO_SUFFIXES)
    if not path.exists():
        chk.fatal("the file does not exist", f"check the path ({path.resolve()})")
    if path.is_dir():
        chk.fatal("this is a folder, not a file", "give the path of the data file inside it")
    if path.stat().st_size == 0:
        chk.fatal("the file is empty (0 bytes)", "export the data again")
    if kind is not None:  # a user's file: refused by size before it is parsed
        try:
            check_size(path, kind)
        except TooLarge as exc:
            chk.fatal(str(exc), exc.fix)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        df = _read_csv(path, chk, kind)
    elif suffix in (".xlsx", ".xlsm", ".ods"):
        df = _read_excel(path, chk, kind, sheet)
    elif suffix in (".kml", ".kmz") and geo_ok:
        chk.row_word = "placemark"
        df = read_kml(path, chk, kind)
    elif suffix in GEO_SUFFIXES and geo_ok:
        df = _read_geo(path, chk)
    else:
        chk.fatal(f"files of type '{suffix or '(none)'}' are not supported",
                  "use .csv, .xlsx or .ods, .geojson, .gpkg, .kml or .kmz (Excel: save an .xls workbook as .xlsx)")
    if len(df) == 0:
        chk.fatal("the file has a header but no data rows", "add the data rows")
    df.columns = [str(c).strip() for c in df.columns]
    return df, chk


def resolve_columns(df, chk: Checker, required: list[str], optional: list[str] = ()) -> dict[str, str]:
    """Map canonical names to the file's columns; report every missing required column."""
    keys = {_col_key(c): c for c in df.columns if c != "geometry"}
    found = {}
    for canon in list(required) + list(optional):
        for alias in COLUMN_ALIASES.get(canon, [canon]):
            if _col_key(alias) in keys:
                found[canon] = keys[_col_key(alias)]
                break
    for canon in required:
        if canon in found:
            continue
        aliases = [_col_key(a) for a in COLUMN_ALIASES.get(canon, [canon])]
        scored = [(difflib.SequenceMatcher(None, a, k).ratio(), k) for a in aliases for k in keys
                  if k not in {_col_key(v) for v in found.values()}]
        close = [max(scored)[1]] if scored and max(scored)[0] >= 0.75 else []
        hint = (f"the column '{keys[close[0]]}' looks like a misspelling: rename it to '{canon}'"
                if close else f"add a column named '{canon}'")
        chk.add([], canon, f"required column '{canon}' is missing (columns found: "
                f"{', '.join(map(str, df.columns))})", hint)
    chk.raise_if_errors()
    return found


# ---------------------------------------------------------------------------------------------
# geometry of GeoJSON/GeoPackage files
# ---------------------------------------------------------------------------------------------
def to_wgs84(gdf: gpd.GeoDataFrame, chk: Checker) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            chk.fatal(f"the file declares no CRS and its coordinates look like metres (x {minx:,.0f} to "
                      f"{maxx:,.0f}, y {miny:,.0f} to {maxy:,.0f}), not degrees; they are probably in "
                      "EPSG:32748 (UTM zone 48S, y about 9,300,000 in Jakarta) or EPSG:3857 (web mercator, "
                      "x about 11,890,000)", "save the file again with its CRS, or in EPSG:4326")
        chk.add([], None, "the file declares no CRS; EPSG:4326 (lon/lat) was assumed",
                "save the file with its CRS", "warning")
        return gdf.set_crs(WGS84)
    minx, miny, maxx, maxy = gdf.total_bounds
    if pyproj.CRS.from_user_input(gdf.crs).is_geographic and (
            max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90):
        # GDAL reads a GeoJSON without a "crs" member as EPSG:4326, whatever its numbers are
        chk.fatal(f"the file's coordinates look like metres (x {minx:,.0f} to {maxx:,.0f}, y {miny:,.0f} to "
                  f"{maxy:,.0f}), not degrees, but the file declares no other CRS (GeoJSON is read as "
                  "EPSG:4326 without one); they are probably in EPSG:32748 (UTM zone 48S, y about 9,300,000 in "
                  "Jakarta) or EPSG:3857 (web mercator, x about 11,890,000)",
                  "save the file again with its CRS, or in EPSG:4326")
    if pyproj.CRS.from_user_input(gdf.crs) != pyproj.CRS.from_user_input(WGS84):
        chk.add([], None, f"the file is in {gdf.crs.to_string()}; it was reprojected to EPSG:4326",
                "nothing, if that CRS is right", "warning")
        return gdf.to_crs(WGS84)
    return gdf


def check_geometry(gdf, chk: Checker, kinds: tuple[str, ...]):
    null = gdf.geometry.isna() | gdf.geometry.is_empty
    if null.any():
        chk.add(gdf.index[null], "geometry", "the feature has no geometry", "add the geometry or drop the row")
    wrong = ~null & ~gdf.geom_type.isin(kinds)
    if wrong.any():
        chk.add(gdf.index[wrong], "geometry",
                f"the geometry is {gdf.geom_type[wrong].iloc[0]}, expected {' or '.join(kinds)}",
                "export the layer with the right geometry type")
    chk.raise_if_errors()


def booleans(df, col, chk: Checker) -> pd.Series:
    text = df[col].astype(str).str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        chk.add(df.index[bad], col, f"not a yes/no value ({', '.join(sorted(set(df.loc[bad, col])))[:80]})",
                "write true/false (or ya/tidak, 1/0)")
    return text.isin(_TRUE)
