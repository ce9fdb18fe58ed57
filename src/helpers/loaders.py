"""Read and validate the project's inputs: boundaries, recap sites, facilities and TPS counts.

Every loader accepts CSV (comma, semicolon or tab separated, UTF-8), Excel ``.xlsx``, GeoJSON
and GeoPackage, returns a GeoDataFrame in EPSG:4326, and checks the file before returning it.
All problems of a file are collected and reported together:

* **errors** stop the load with :class:`DataValidationError`; its message names the file, the
  row(s) and the column and says what to fix, and ``exc.problems`` holds them as objects;
* **warnings** (:class:`DataValidationWarning`) are emitted with :func:`warnings.warn` and also
  kept in ``gdf.attrs["validation_warnings"]``.

Nothing is written by a loader, so a failed load loses nothing.  Row numbers are the ones a
person sees: for CSV and Excel the spreadsheet row (the header is row 1), for GeoJSON and
GeoPackage the 1-based feature number.  See README.md ("Input checks") for the full table of
errors and warnings.
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
import shapely

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


class _Checker:
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


def _decode(raw: bytes, chk: _Checker) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        chk.fatal(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} on line {line}); "
                  "it is probably Windows-1252/Latin-1 or not a text file",
                  "save it again as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8)")


def _read_csv(path: Path, chk: _Checker) -> pd.DataFrame:
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


def _read_excel(path: Path, chk: _Checker) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        chk.fatal(f"the file is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                  "open it in Excel or LibreOffice and save it again as .xlsx")
    return df


def _read_geo(path: Path, chk: _Checker) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends from GDAL
        chk.fatal(f"the file cannot be read as GeoJSON/GeoPackage ({type(exc).__name__}: "
                  f"{str(exc).splitlines()[0][:200]})",
                  "check that it is a complete, valid GeoJSON or GeoPackage file in UTF-8")
    return gdf


def read_table(path: Path | str, *, geo_ok: bool = True) -> tuple[pd.DataFrame, _Checker]:
    """Read any accepted file into a (Geo)DataFrame of strings, or raise a clear error."""
    path = Path(path)
    chk = _Checker(path, geo=path.suffix.lower() in GEO_SUFFIXES)
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


def _resolve_columns(df, chk: _Checker, required: list[str], optional: list[str] = ()) -> dict[str, str]:
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


def _points_from_columns(df, cols, chk: _Checker, crs) -> gpd.GeoDataFrame:
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


def _to_wgs84(gdf: gpd.GeoDataFrame, chk: _Checker) -> gpd.GeoDataFrame:
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


def _check_geometry(gdf, chk: _Checker, kinds: tuple[str, ...]):
    null = gdf.geometry.isna() | gdf.geometry.is_empty
    if null.any():
        chk.add(gdf.index[null], "geometry", "the feature has no geometry", "add the geometry or drop the row")
    wrong = ~null & ~gdf.geom_type.isin(kinds)
    if wrong.any():
        chk.add(gdf.index[wrong], "geometry",
                f"the geometry is {gdf.geom_type[wrong].iloc[0]}, expected {' or '.join(kinds)}",
                "export the layer with the right geometry type")
    chk.raise_if_errors()


def _check_in_dki(gdf, chk: _Checker, severity: str):
    kota = _reference("kota")
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


def _reference(level: str) -> gpd.GeoDataFrame:
    """Processed boundaries (shipped data), read once per process."""
    if level not in _REF_CACHE:
        _REF_CACHE[level] = gpd.read_file(paths.processed(level), engine="pyogrio")
    return _REF_CACHE[level]


def _match_units(df, cols, chk: _Checker, kec_ref: gpd.GeoDataFrame) -> pd.DataFrame:
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


def _booleans(df, col, chk: _Checker) -> pd.Series:
    text = df[col].astype(str).str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        chk.add(df.index[bad], col, f"not a yes/no value ({', '.join(sorted(set(df.loc[bad, col])))[:80]})",
                "write true/false (or ya/tidak, 1/0)")
    return text.isin(_TRUE)


# ---------------------------------------------------------------------------------------------
# public loaders
# ---------------------------------------------------------------------------------------------
def load_boundaries(level: str = "kecamatan", path: Path | str | None = None) -> gpd.GeoDataFrame:
    """Administrative polygons of one level: ``"kota"``, ``"kecamatan"`` or ``"kelurahan"``.

    Parameters
    ----------
    level : str
        Which level; chooses the shipped file when ``path`` is None.
    path : path-like, optional
        A GeoJSON/GeoPackage with at least ``kode`` and ``nama`` columns and polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per unit, invalid polygons repaired (with a warning).

    Examples
    --------
    >>> kec = load_boundaries("kecamatan")
    >>> len(kec), kec.crs.to_epsg()
    (44, 4326)
    """
    if level not in ("kota", "kecamatan", "kelurahan"):
        raise ValueError(f"level must be 'kota', 'kecamatan' or 'kelurahan', not {level!r}")
    path = Path(path) if path is not None else paths.processed(level)
    gdf, chk = read_table(path)
    if not isinstance(gdf, gpd.GeoDataFrame):
        chk.fatal("boundaries need polygons; a table without geometry was given",
                  "give a GeoJSON or GeoPackage of polygons")
    cols = _resolve_columns(gdf, chk, ["kode", "nama"])
    gdf = gdf.rename(columns={v: k for k, v in cols.items() if k != v})
    _check_geometry(gdf, chk, ("Polygon", "MultiPolygon"))
    dup = gdf["kode"].duplicated(keep=False)
    if dup.any():
        chk.add(gdf.index[dup], "kode", f"duplicate codes {sorted(set(gdf.loc[dup, 'kode']))}",
                "each unit must appear once; dissolve or remove the duplicates")
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        chk.add(gdf.index[invalid], "geometry", "invalid polygon(s) were repaired with make_valid",
                "repair the geometry in a GIS", "warning")
        gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf = _to_wgs84(gdf, chk)
    return chk.finish(gdf)


def load_sites(path: Path | str | None = None, *, crs=None, kecamatan: gpd.GeoDataFrame | None = None,
               expect_all: bool = True) -> gpd.GeoDataFrame:
    """PPK recapitulation sites, one per kecamatan, validated against the kecamatan polygons.

    Parameters
    ----------
    path : path-like, optional
        CSV/XLSX with ``site_id``, ``kecamatan``, ``kota``, ``lon``, ``lat`` (and optionally
        ``kecamatan_kode``, ``venue``, ``internet``, ``approximate``, ...), or a GeoJSON /
        GeoPackage of points with the same attributes.  Default: the shipped 44 sites.
    crs : optional
        CRS of the ``lon``/``lat`` columns of a CSV/XLSX if they are not WGS84 degrees.
    kecamatan : GeoDataFrame, optional
        Reference kecamatan polygons (default: shipped boundaries).
    expect_all : bool
        Warn about kecamatan without a site (all 44, or all kecamatan of the kota present).

    Returns
    -------
    geopandas.GeoDataFrame
        Points in EPSG:4326 with canonical ``kecamatan_kode``, ``kecamatan``, ``kota_kode``,
        ``kota``, boolean ``internet`` and ``approximate``.

    Examples
    --------
    >>> sites = load_sites()
    >>> len(sites), int(sites["internet"].sum())
    (44, 44)
    """
    path = Path(path) if path is not None else paths.processed("sites")
    kec_ref = kecamatan if kecamatan is not None else _reference("kecamatan")
    df, chk = read_table(path)
    cols = _resolve_columns(df, chk, ["site_id", "kecamatan", "kota"] + ([] if chk.geo else ["lon", "lat"]),
                            ["kecamatan_kode", "internet", "approximate"])
    if chk.geo:
        gdf = _to_wgs84(df, chk)
        _check_geometry(gdf, chk, ("Point",))
    else:
        gdf = _points_from_columns(df, cols, chk, crs)
    ids = gdf[cols["site_id"]].astype(str).str.strip()
    empty_id = ids.eq("")
    if empty_id.any():
        chk.add(gdf.index[empty_id], cols["site_id"], "the site id is empty", "give every site a unique id")
    dup = ids.duplicated(keep=False) & ~empty_id
    if dup.any():
        chk.add(gdf.index[dup], cols["site_id"], f"duplicate site ids {sorted(set(ids[dup]))}",
                "give every site a unique id")
    in_dki = _check_in_dki(gdf, chk, "error")
    gdf = _match_units(gdf, cols, chk, kec_ref)
    gdf["site_id"] = ids
    gdf["internet"] = _booleans(gdf, cols["internet"], chk) if "internet" in cols else True
    if "internet" not in cols:
        chk.add([], "internet", "no 'internet' column; every site is taken to have internet",
                "add an 'internet' column (true/false) if some sites have none", "warning")
    gdf["approximate"] = _booleans(gdf, cols["approximate"], chk) if "approximate" in cols else False

    known = gdf["kecamatan_kode"].notna() & gdf["kecamatan_kode"].ne("")
    twice = gdf["kecamatan_kode"].duplicated(keep=False) & known
    if twice.any():
        for code, grp in gdf[twice].groupby("kecamatan_kode"):
            chk.add(grp.index, cols["kecamatan"],
                    f"two or more sites for kecamatan {grp['kecamatan'].iloc[0]} "
                    f"({', '.join(grp['site_id'])})", "keep one recapitulation site per kecamatan")
    # the site must lie inside the kecamatan it claims (rows with usable point and unit only)
    check = known & in_dki
    ref = kec_ref.set_index("kode").to_crs(UTM48S)
    pts = gdf[check].to_crs(UTM48S)
    dist = pd.Series([ref.geometry[c].distance(p) for c, p in zip(pts["kecamatan_kode"], pts.geometry)],
                     index=pts.index, dtype=float)
    inside = gpd.sjoin(pts[["geometry"]], ref[["nama", "geometry"]], how="left", predicate="within")
    actual = inside.groupby(level=0)["nama"].first()
    for i, d in dist[dist > 0].items():
        where = actual.get(i)
        where = f"it lies in {where}" if isinstance(where, str) else "it lies in no kecamatan"
        chk.add([i], cols.get("lon", "geometry"),
                f"site {gdf.at[i, 'site_id']} lies {d:,.0f} m outside kecamatan {gdf.at[i, 'kecamatan']}, "
                f"which it claims ({where})", "correct the coordinates or the kecamatan",
                "error" if d > SITE_OUTSIDE_TOLERANCE_M else "warning")
    if expect_all:
        scope = kec_ref if len(gdf) >= len(kec_ref) / 2 else kec_ref[kec_ref["kota_kode"].isin(gdf["kota_kode"])]
        chk.raise_if_errors()  # a "missing kecamatan" warning is noise while rows are still wrong
        missing = scope[~scope["kode"].isin(gdf["kecamatan_kode"])]
        if len(missing):
            chk.add([], cols["kecamatan"], f"{len(missing)} kecamatan have no site: "
                    f"{', '.join(missing['nama'])}", "add a site for each (a coverage gap otherwise)",
                    "warning")
    return chk.finish(gdf)


def load_facilities(path: Path | str | None = None, *, crs=None) -> gpd.GeoDataFrame:
    """Facility points (offices, warehouses, venues) with the kelurahan/kecamatan containing them.

    CSV/XLSX need ``name``, ``lon`` and ``lat``; GeoJSON/GeoPackage need ``name`` and points.
    ``facility_type`` is optional (default ``"other"``).  Points outside DKI Jakarta are
    kept with a warning (a warehouse may lie just outside); all other problems are errors.

    Examples
    --------
    >>> fac = load_facilities()
    >>> int((fac["facility_type"] == "kantor_camat").sum())
    42
    """
    path = Path(path) if path is not None else paths.processed("offices")
    df, chk = read_table(path)
    cols = _resolve_columns(df, chk, ["name"] + ([] if chk.geo else ["lon", "lat"]), ["facility_type"])
    if chk.geo:
        gdf = _to_wgs84(df, chk)
        _check_geometry(gdf, chk, ("Point",))
    else:
        gdf = _points_from_columns(df, cols, chk, crs)
    gdf = gdf.rename(columns={cols["name"]: "name"})
    if "facility_type" in cols:
        gdf = gdf.rename(columns={cols["facility_type"]: "facility_type"})
    else:
        gdf["facility_type"] = "other"
    empty = gdf["name"].astype(str).str.strip().eq("")
    if empty.any():
        chk.add(gdf.index[empty], "name", "the facility has no name", "fill in its name", "warning")
    _check_in_dki(gdf, chk, "warning")
    if "kelurahan_kode" not in gdf.columns:
        kel = _reference("kelurahan")[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota",
                                       "geometry"]]
        joined = gpd.sjoin(gdf, kel.rename(columns={"kode": "kelurahan_kode", "nama": "kelurahan"}),
                           how="left", predicate="within")
        gdf = joined[~joined.index.duplicated()].drop(columns="index_right")
    if "approximate" not in gdf.columns:
        gdf["approximate"] = False
    return chk.finish(gdf)


def load_press_facilities(path: Path | str | None = None) -> pd.DataFrame:
    """Press-reported venues and warehouses (a table: no coordinates were ever published)."""
    path = Path(path) if path is not None else paths.processed("press_facilities")
    df, chk = read_table(path, geo_ok=False)
    _resolve_columns(df, chk, ["name", "facility_type"])
    return chk.finish(df)


def load_tps(path: Path | str | None = None, *, kelurahan: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """TPS counts per kelurahan, joined to the kelurahan polygons.

    The file needs ``kode`` (Kemendagri kelurahan code such as ``31.71.01.1001``; the KPU
    form without dots is accepted) and ``tps_total`` (whole numbers >= 0).

    Examples
    --------
    >>> tps = load_tps()
    >>> len(tps), int(tps["tps_total"].sum())
    (267, 30766)
    """
    path = Path(path) if path is not None else paths.processed("tps")
    kel = kelurahan if kelurahan is not None else _reference("kelurahan")
    df, chk = read_table(path)
    cols = _resolve_columns(df, chk, ["kode", "tps_total"])
    codes = df[cols["kode"]].astype(str).str.strip()
    dotted = codes.str.fullmatch(r"\d{10}")
    codes = codes.where(~dotted, codes.str[:2] + "." + codes.str[2:4] + "." + codes.str[4:6] + "." + codes.str[6:])
    unknown = ~codes.isin(kel["kode"])
    if unknown.any():
        chk.add(df.index[unknown], cols["kode"], f"unknown kelurahan codes {sorted(set(codes[unknown]))[:5]}",
                "use Kemendagri codes such as 31.71.01.1001 (see data/processed/boundaries_kelurahan.geojson)")
    dup = codes.duplicated(keep=False) & ~unknown
    if dup.any():
        chk.add(df.index[dup], cols["kode"], f"kelurahan listed more than once {sorted(set(codes[dup]))[:5]}",
                "give one row per kelurahan")
    counts = pd.to_numeric(df[cols["tps_total"]].astype(str).str.strip(), errors="coerce")
    bad = counts.isna() | (counts < 0) | (counts % 1 != 0)
    if bad.any():
        chk.add(df.index[bad], cols["tps_total"], "the TPS count is not a whole number >= 0",
                "write the number of TPS as a whole number")
    chk.raise_if_errors()
    out = df.drop(columns=[c for c in ("geometry",) if c in df.columns]).copy()
    out["kode"] = codes
    out["tps_total"] = counts.astype(int)
    for c in ("tps_reguler", "tps_khusus"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype(int)
    keep = [c for c in out.columns if c not in ("nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota")]
    merged = kel[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]].merge(
        out[keep], on="kode", how="inner")
    missing = kel[~kel["kode"].isin(out["kode"])]
    if len(missing) and len(out) >= len(kel) / 2:
        chk.add([], cols["kode"], f"{len(missing)} kelurahan have no TPS row: {', '.join(missing['nama'][:10])}",
                "add their rows", "warning")
    return chk.finish(gpd.GeoDataFrame(merged, geometry="geometry", crs=kel.crs))


def load_dpt(path: Path | str | None = None) -> pd.DataFrame:
    """DPT (registered voters) per kota, KPU DKI pleno of 27 June 2023 as reported in the press.

    Examples
    --------
    >>> int(load_dpt()["dpt"].sum())
    8252897
    """
    path = Path(path) if path is not None else paths.processed("dpt")
    df, chk = read_table(path, geo_ok=False)
    cols = _resolve_columns(df, chk, ["kota", "dpt"])
    dpt = pd.to_numeric(df[cols["dpt"]], errors="coerce")
    if dpt.isna().any() or (dpt < 0).any():
        chk.add(df.index[dpt.isna() | (dpt < 0)], cols["dpt"], "DPT is not a whole number >= 0", "fix the number")
    chk.raise_if_errors()
    df[cols["dpt"]] = dpt.astype(int)
    for c in df.columns:  # other count columns (tps_pleno) as integers when they are whole numbers
        if c.startswith("tps"):
            num = pd.to_numeric(df[c], errors="coerce")
            if num.notna().all():
                df[c] = num.astype(int)
    return chk.finish(df)
