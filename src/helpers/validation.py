"""Reading and checking of input files, used by :mod:`helpers.loaders`.

Every check adds a :class:`Problem` (file, rows, column, message, fix, severity) to a
:class:`Checker`; errors are raised together as one :class:`DataValidationError`, warnings are
emitted as :class:`DataValidationWarning` and kept in ``gdf.attrs["validation_warnings"]``.
"""

from __future__ import annotations

import csv
import difflib
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from . import paths
from .geo import DKI_BBOX, UTM48S, WGS84
from .names import name_key

GEO_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".fgb"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}

#: Accepted alternative column names (compared with :func:`_col_key`).
COLUMN_ALIASES = {
    "lon": ["lon", "longitude", "lng", "long", "bujur", "x"],
    "lat": ["lat", "latitude", "lintang", "y"],
    "site_id": ["site_id", "id_lokasi", "id"],
    "kecamatan": ["kecamatan", "nama_kecamatan", "kec", "district"],
    "kecamatan_kode": ["kecamatan_kode", "kode_kecamatan", "kode_kec"],
    "kota": ["kota", "kabupaten_kota", "kab_kota", "kota_administrasi", "nama_kota", "regency"],
    "kelurahan": ["kelurahan", "nama_kelurahan", "kel", "desa", "village"],
    "kode": ["kode", "kode_kemendagri", "kode_kelurahan", "kode_wilayah"],
    "nama": ["nama", "name"],
    "name": ["name", "nama", "nama_fasilitas", "namobj"],
    "tps_total": ["tps_total", "tps", "jumlah_tps", "n_tps"],
    "facility_type": ["facility_type", "jenis", "type", "tipe"],
    "internet": ["internet", "ada_internet", "has_internet"],
    "approximate": ["approximate", "perkiraan", "is_approximate"],
}
#: Site within this distance (metres) outside its claimed kecamatan only gets a warning:
#: the 2020 boundaries and office points disagree by a few tens of metres along some borders.
SITE_OUTSIDE_TOLERANCE_M = 250.0
#: Points farther than this from every DKI kota polygon are "outside DKI Jakarta".
OUTSIDE_DKI_M = 2_000.0
_TRUE = {"true", "1", "yes", "ya", "y", "ada", "t"}
_FALSE = {"false", "0", "no", "tidak", "n", "tidak ada", "f", ""}


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

    def __str__(self) -> str:
        where = [self.file]
        if self.rows:
            label = "row" if len(self.rows) == 1 else "rows"
            shown = ", ".join(map(str, self.rows[:12])) + (" ..." if len(self.rows) > 12 else "")
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


class Checker:
    """Collects problems of one file; ``raise_if_errors`` raises all errors at once."""

    def __init__(self, path: Path, geo: bool):
        self.path, self.geo = Path(path), geo
        self.problems: list[Problem] = []

    def rows(self, index) -> tuple[int, ...]:
        offset = 1 if self.geo else 2  # feature numbers are 1-based; spreadsheet rows skip header
        return tuple(int(i) + offset for i in index)

    def add(self, index, column, message, fix, severity="error"):
        self.problems.append(Problem(self.path.name, self.rows(index), column, message, fix, severity))

    def fatal(self, message, fix, column=None):
        self.add([], column, message, fix)
        self.raise_if_errors()

    def raise_if_errors(self):
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            raise DataValidationError(self.path, errors)

    def finish(self, gdf):
        self.raise_if_errors()
        found = [p for p in self.problems if p.severity == "warning"]
        for p in found:
            warnings.warn(str(p), DataValidationWarning, stacklevel=3)
        gdf.attrs["validation_warnings"] = [str(p) for p in found]
        gdf.attrs["source_file"] = str(self.path)
        return gdf


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _col_key(name: object) -> str:
    return "".join(ch for ch in str(name).lower().strip() if ch.isalnum())


def _decode(raw: bytes, chk: Checker) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        chk.fatal(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} on line {line}); "
                  "it is probably Windows-1252/Latin-1 or not a text file",
                  "save it again as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8)")


def _read_csv(path: Path, chk: Checker) -> pd.DataFrame:
    text = _decode(path.read_bytes(), chk)
    if not text.strip():
        chk.fatal("the file is empty", "export the data again; the file has no header and no rows")
    first = text.splitlines()[0]
    sep = max([",", ";", "\t"], key=first.count)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                         skipinitialspace=True)
    except (pd.errors.ParserError, csv.Error) as exc:
        chk.fatal(f"the CSV cannot be parsed ({str(exc).strip()})",
                  "check that every row has as many fields as the header and quotes are closed")
    return df


def _read_excel(path: Path, chk: Checker) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        chk.fatal(f"the file is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                  "open it in Excel or LibreOffice and save it again as .xlsx")
    return df


def _read_geo(path: Path, chk: Checker) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends from GDAL
        chk.fatal(f"the file cannot be read as GeoJSON/GeoPackage ({type(exc).__name__}: "
                  f"{str(exc).splitlines()[0][:200]})",
                  "check that it is a complete, valid GeoJSON or GeoPackage file in UTF-8")
    return gdf


def read_table(path: Path | str, *, geo_ok: bool = True) -> tuple[pd.DataFrame, Checker]:
    """Read any accepted file into a (Geo)DataFrame of strings, or raise a clear error."""
    path = Path(path)
    chk = Checker(path, geo=path.suffix.lower() in GEO_SUFFIXES)
    if not path.exists():
        chk.fatal("the file does not exist", f"check the path ({path.resolve()})")
    if path.is_dir():
        chk.fatal("this is a folder, not a file", "give the path of the data file inside it")
    if path.stat().st_size == 0:
        chk.fatal("the file is empty (0 bytes)", "export the data again")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        df = _read_csv(path, chk)
    elif suffix in (".xlsx", ".xlsm"):
        df = _read_excel(path, chk)
    elif suffix in GEO_SUFFIXES and geo_ok:
        df = _read_geo(path, chk)
    else:
        chk.fatal(f"files of type '{suffix or '(none)'}' are not supported",
                  "use .csv, .xlsx, .geojson or .gpkg")
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
# coordinates
# ---------------------------------------------------------------------------------------------
def _numbers(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse numbers, accepting a decimal comma ("-6,2"). Returns values, empty mask, bad mask."""
    text = series.astype(str).str.strip()
    empty = text.isin(["", "nan", "None", "NaN"])
    fixed = text.where(~(text.str.count(",") == 1) | text.str.contains(r"\."),
                       text.str.replace(",", ".", regex=False))
    values = pd.to_numeric(fixed.where(~empty), errors="coerce")
    return values, empty, values.isna() & ~empty


def points_from_columns(df, cols, chk: Checker, crs) -> gpd.GeoDataFrame:
    """Points from lon/lat columns. Unusable rows are reported and get an empty geometry, so
    that the remaining checks still run on the other rows (all problems reported at once)."""
    lon, lon_empty, lon_bad = _numbers(df[cols["lon"]])
    lat, lat_empty, lat_bad = _numbers(df[cols["lat"]])
    for name, empty, bad in (("lon", lon_empty, lon_bad), ("lat", lat_empty, lat_bad)):
        col = cols[name]
        if empty.any():
            chk.add(df.index[empty], col, "the coordinate is empty",
                    "fill in the coordinate in decimal degrees (lon about 106.8, lat about -6.2)")
        if bad.any():
            examples = ", ".join(repr(v) for v in df.loc[bad, col].head(3))
            chk.add(df.index[bad], col, f"the coordinate is not a number ({examples})",
                    "write decimal degrees such as 106.8272 (no degree signs or letters)")
    usable = lon.notna() & lat.notna()
    if crs is not None and not pyproj.CRS.from_user_input(crs).is_geographic:
        pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=crs).to_crs(WGS84)
        pts.loc[~usable, "geometry"] = None
        chk.add([], None, f"coordinates were given in {crs} and converted to EPSG:4326",
                "nothing, if the CRS is right", "warning")
        return pts
    swapped = usable & lat.between(95, 141) & lon.between(-11, 6)
    projected = usable & ~swapped & ((lon.abs() > 180) | (lat.abs() > 90))
    if projected.any():
        chk.add(df.index[projected], f"{cols['lon']}/{cols['lat']}",
                "the coordinates look like projected metres, not longitude/latitude degrees",
                "convert them to WGS84 degrees, or pass crs='EPSG:32748' (or the right CRS) to the loader")
    if swapped.any():
        chk.add(df.index[swapped], f"{cols['lon']}/{cols['lat']}",
                "latitude and longitude look swapped (Jakarta lies near lat -6.2, lon 106.8)",
                f"swap the values of '{cols['lon']}' and '{cols['lat']}'")
    usable &= ~projected & ~swapped
    geom = gpd.points_from_xy(lon.where(usable, 0.0), lat.where(usable, 0.0))
    gdf = gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)
    gdf.loc[~usable, "geometry"] = None
    return gdf


def to_wgs84(gdf: gpd.GeoDataFrame, chk: Checker) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            chk.fatal("the file has no CRS and its coordinates are not degrees",
                      "save it with its CRS (e.g. EPSG:32748) or in EPSG:4326")
        chk.add([], None, "the file declares no CRS; EPSG:4326 (lon/lat) was assumed",
                "save the file with its CRS", "warning")
        return gdf.set_crs(WGS84)
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


def check_in_dki(gdf, chk: Checker, severity: str):
    kota = reference("kota")
    minx, miny, maxx, maxy = DKI_BBOX
    has = gdf.geometry.notna() & ~gdf.geometry.is_empty
    x, y = gdf.geometry.x, gdf.geometry.y
    near = ~has | (x.between(minx, maxx) & y.between(miny, maxy))
    near = near & has
    if near.any():
        pts = gdf.loc[near].to_crs(UTM48S)
        dist = kota.to_crs(UTM48S).geometry.union_all().distance(pts.geometry.values)
        near.loc[near] = dist <= OUTSIDE_DKI_M
    if (has & ~near).any():
        bad = gdf.index[has & ~near]
        sample = ", ".join(f"({x[i]:.4f}, {y[i]:.4f})" for i in bad[:3])
        chk.add(bad, "lon/lat", f"the point lies outside DKI Jakarta (lon, lat = {sample})",
                "check the coordinates; points must lie in DKI Jakarta (incl. Kepulauan Seribu)", severity)
    return has & near


# ---------------------------------------------------------------------------------------------
# reference units
# ---------------------------------------------------------------------------------------------
_REF_CACHE: dict[str, gpd.GeoDataFrame] = {}


def reference(level: str) -> gpd.GeoDataFrame:
    """Processed boundaries (shipped data), read once per process."""
    if level not in _REF_CACHE:
        _REF_CACHE[level] = gpd.read_file(paths.processed(level), engine="pyogrio")
    return _REF_CACHE[level]


def match_units(df, cols, chk: Checker, kec_ref: gpd.GeoDataFrame) -> pd.DataFrame:
    """Attach kecamatan_kode/kecamatan/kota_kode/kota by code or lenient name; report unknowns."""
    kota_names = {}
    for k, n in zip(kec_ref["kota_kode"], kec_ref["kota"]):
        kota_names[name_key(n)] = k
    by_code = kec_ref.set_index("kode")
    by_name: dict[tuple[str, str], list[str]] = {}
    for code, n, kk in zip(kec_ref["kode"], kec_ref["nama"], kec_ref["kota_kode"]):
        by_name.setdefault((name_key(n), kk), []).append(code)
        by_name.setdefault((name_key(n), ""), []).append(code)
    codes = pd.Series("", index=df.index)
    unknown_kota, unknown_kec, wrong_kota = [], [], []
    for i in df.index:
        kota_kode = ""
        if "kota" in cols:
            raw_kota = df.at[i, cols["kota"]]
            kota_kode = kota_names.get(name_key(raw_kota), None)
            if kota_kode is None:
                unknown_kota.append(i)
                continue
        if "kecamatan_kode" in cols and str(df.at[i, cols["kecamatan_kode"]]).strip():
            code = str(df.at[i, cols["kecamatan_kode"]]).strip()
            if code not in by_code.index:
                unknown_kec.append(i)
                continue
        else:
            hit = by_name.get((name_key(df.at[i, cols["kecamatan"]]), kota_kode))
            if not hit:
                (wrong_kota if by_name.get((name_key(df.at[i, cols["kecamatan"]]), "")) else unknown_kec).append(i)
                continue
            code = hit[0]
        if kota_kode and by_code.at[code, "kota_kode"] != kota_kode:
            wrong_kota.append(i)
            continue
        codes[i] = code
    valid_kota = sorted(set(kec_ref["kota"]))
    if unknown_kota:
        vals = sorted({str(df.at[i, cols["kota"]]) for i in unknown_kota})
        chk.add(unknown_kota, cols["kota"], f"unknown kota/kabupaten administrasi {vals}",
                f"use one of: {', '.join(valid_kota)}")
    if unknown_kec:
        names = list(kec_ref["nama"])
        vals = sorted({str(df.at[i, cols.get('kecamatan_kode') or cols['kecamatan']]) for i in unknown_kec})
        close = [c for v in vals for c in difflib.get_close_matches(str(v).title(), names, n=1, cutoff=0.6)]
        hint = f"did you mean {', '.join(close)}?" if close else "use a Kemendagri kecamatan name or code"
        chk.add(unknown_kec, cols.get("kecamatan") or cols["kecamatan_kode"],
                f"unknown kecamatan {vals}", f"{hint} (44 kecamatan of DKI Jakarta; see data/processed)")
    if wrong_kota:
        chk.add(wrong_kota, cols.get("kota", "kota"), "the kecamatan does not belong to the kota given",
                "correct the kota or the kecamatan of these rows")
    ref = kec_ref.set_index("kode")
    out = df.copy()
    out["kecamatan_kode"] = codes
    out["kecamatan"] = codes.map(ref["nama"])
    out["kota_kode"] = codes.map(ref["kota_kode"])
    out["kota"] = codes.map(ref["kota"])
    return out


def booleans(df, col, chk: Checker) -> pd.Series:
    text = df[col].astype(str).str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        chk.add(df.index[bad], col, f"not a yes/no value ({', '.join(sorted(set(df.loc[bad, col])))[:80]})",
                "write true/false (or ya/tidak, 1/0)")
    return text.isin(_TRUE)
