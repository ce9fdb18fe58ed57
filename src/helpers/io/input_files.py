"""Loaders of one input file each: boundaries, facilities, TPS counts, DPT and press facilities.

Every loader accepts CSV (comma, semicolon or tab separated; UTF-8, UTF-16, Windows-1252 or
Latin-1), Excel ``.xlsx`` and ``.ods``, GeoJSON, GeoPackage and (points) KML/KMZ, returns a
GeoDataFrame in EPSG:4326, and checks the file before returning it.
All problems of a file are collected and reported together:

* **errors** stop the load with :class:`~helpers.io.validation.DataValidationError`; its message
  names the file, the row(s) and the column and says what to fix, and ``exc.problems`` holds them
  as objects;
* **warnings** (:class:`~helpers.io.validation.DataValidationWarning`) are emitted with
  :func:`warnings.warn` and also kept in ``gdf.attrs["validation_warnings"]``.

Nothing is written by a loader, so a failed load loses nothing.  Row numbers are the ones a
person sees: for CSV and Excel the spreadsheet row (the header is row 1), for GeoJSON and
GeoPackage the 1-based feature number.  See README.md ("Input checks") for the full table of
errors and warnings.  The sites file has its own module, :mod:`helpers.io.sites_file`; the
notebooks load everything at once with :func:`helpers.io.inputs.load_inputs`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from helpers.core import paths
from helpers.io.columns import approximate_from_notes, keep_extras, recognise_columns, text_column
from helpers.io.coords import points_from_columns
from helpers.io.provenance import facility_fields
from helpers.io.schema import facility_type
from helpers.io.units import check_in_area, did_you_mean, layer_area, match_kelurahan, name_keys, sample
from helpers.io.validation import Checker, booleans, check_geometry, read_table, resolve_columns, to_wgs84


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
    cols = resolve_columns(gdf, chk, ["kode", "nama"])
    gdf = gdf.rename(columns={v: k for k, v in cols.items() if k != v})
    check_geometry(gdf, chk, ("Polygon", "MultiPolygon"))
    dup = gdf["kode"].duplicated(keep=False)
    if dup.any():
        chk.add(gdf.index[dup], "kode", f"duplicate codes {sorted(set(gdf.loc[dup, 'kode']))}",
                "each unit must appear once; dissolve or remove the duplicates")
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        chk.add(gdf.index[invalid], "geometry", "invalid polygon(s) were repaired with make_valid",
                "repair the geometry in a GIS", "warning")
        gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf = to_wgs84(gdf, chk)
    return chk.finish(gdf)



def load_facilities(path: Path | str | None = None, *, crs=None, kelurahan: gpd.GeoDataFrame | None = None,
                    kota: gpd.GeoDataFrame | None = None, columns: dict | None = None,
                    sheet: str | int | None = None) -> gpd.GeoDataFrame:
    """Facility points (offices, warehouses, secretariats, venues) with the units containing them.

    CSV/XLSX need a name and coordinates (``Lintang``/``Bujur`` or ``Koordinat``); GeoJSON/
    GeoPackage need a name and points.  The type (``Jenis``: "Gudang logistik", "Sekretariat
    KPU", "Sekretariat PPS", ...) is mapped to the toolkit's types
    (:data:`helpers.io.schema.FACILITY_TYPES`); unknown values become ``"other"`` with a warning.
    Points outside DKI Jakarta are kept with a warning (a warehouse may lie just outside).  A user's
    file (not the shipped office points) gives every facility its ``source_file`` (the file's name)
    and ``source_row`` (its row, or placemark of a KML), which the maps show as its source.

    Examples
    --------
    >>> fac = load_facilities()
    >>> int((fac["facility_type"] == "kantor_camat").sum())
    42
    """
    path = Path(path) if path is not None else paths.processed("offices")
    kel_ref = kelurahan if kelurahan is not None else load_boundaries("kelurahan")  # default: DKI's
    kota = kota if kota is not None else load_boundaries("kota")
    df, chk = read_table(path, kind="facilities", sheet=sheet)
    coords = [] if chk.geo else [["lat", "coordinates"], ["lon", "coordinates"]]
    cols = recognise_columns(df, chk, "facilities", columns, [["name"], *coords])
    gdf = point_table(df, cols, chk, crs)
    out = gpd.GeoDataFrame({"facility_id": text_column(gdf, cols, "facility_id")}, geometry=gdf.geometry,
                           crs=gdf.crs)
    ids = out["facility_id"]
    stem = path.stem
    out["facility_id"] = ids.where(ids.ne(""), [f"{stem}-{r}" for r in chk.rows(gdf.index)])
    out["name"] = text_column(gdf, cols, "name")
    if out["name"].eq("").any():
        chk.add(gdf.index[out["name"].eq("")], cols["name"], "the facility has no name", "fill in its name",
                "warning")
    if "facility_type" in cols:
        raw = text_column(gdf, cols, "facility_type")
        mapped = raw.map({u: facility_type(u) for u in raw.unique()})
        unknown = mapped.isna()
        if unknown.any():
            chk.add(gdf.index[unknown], cols["facility_type"], f"unknown facility types {sample(raw[unknown])}; "
                    "kept as 'other'", "use one of: Gudang logistik, Sekretariat KPU, Sekretariat Bawaslu, "
                    "Sekretariat PPK, Sekretariat PPS, Kantor camat, Kantor lurah, Tempat rekapitulasi, "
                    "Pos keamanan, Lainnya", "warning")
        out["facility_type"] = mapped.fillna("other")
        if raw.ne(out["facility_type"]).any():
            out["type_given"] = raw
    else:
        out["facility_type"] = "other"
        chk.add([], "facility_type", "no type column; every facility is of type 'other'",
                "add a column 'Jenis' (Gudang logistik, Sekretariat KPU, ...)", "warning")
    for name in ("role", "status", "address", "notes"):
        if name in cols:
            out[name] = text_column(gdf, cols, name)
    if "status" in out.columns:
        out["status"] = out["status"].where(out["status"].ne(""), "active")
    has, inside = check_in_area(gdf, kota)
    if (has & ~inside).any():
        bad = gdf.index[has & ~inside]
        chk.add(bad, coordinate_header(cols), f"the point lies outside {layer_area(kota)} ({lonlat_sample(gdf, bad)})",
                f"check the coordinates; points must lie in {layer_area(kota)}", "warning")
    keep = ["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]
    joined = gpd.sjoin(out[["geometry"]], kel_ref[keep].rename(columns={"kode": "kelurahan_kode",
                                                                         "nama": "kelurahan"}),
                       how="left", predicate="within")
    joined = joined[~joined.index.duplicated()].drop(columns=["index_right", "geometry"])
    for c in joined.columns:
        out[c] = joined[c]
    if "kelurahan_kode" in cols:  # the shipped office points name their units themselves
        for c in ("kelurahan_kode", "kelurahan", "kecamatan_kode", "kecamatan", "kota_kode", "kota"):
            if c in cols:
                out[c] = gdf[cols[c]]
    if "kecamatan" in cols:
        given = name_keys(gdf[cols["kecamatan"]])
        differs = given.ne("") & out["kecamatan"].notna() & name_keys(out["kecamatan"].fillna("")).ne(given)
        if differs.any():
            chk.add(gdf.index[differs], cols["kecamatan"], "the point lies in another kecamatan than the one "
                    f"given (e.g. row {chk.rows([gdf.index[differs][0]])[0]}: given "
                    f"{gdf.loc[gdf.index[differs][0], cols['kecamatan']]!r}, the point is in "
                    f"{out.loc[gdf.index[differs][0], 'kecamatan']})", "check the coordinates or the kecamatan",
                    "warning")
    flagged = booleans(gdf, cols["approximate"], chk) if "approximate" in cols else pd.Series(False, index=gdf.index)
    notes = text_column(gdf, cols, "notes")
    by_note = approximate_from_notes(notes) & ~flagged
    if by_note.any():
        chk.add(gdf.index[by_note], cols["notes"], "the note says the position is approximate; the facility "
                "is marked approximate", "nothing, if so; otherwise reword the note", "warning")
    out["approximate"] = (flagged | by_note).astype(bool)
    for c in ("source", "named_unit", "name_matches_location"):  # the shipped file's own columns
        if c in cols:
            out[c] = gdf[cols[c]]
    if "name_matches_location" not in cols:  # a user's file: each facility names its file and row
        out["source_file"] = path.name
        out["source_row"] = list(chk.rows(gdf.index))
    out = out.join(facility_fields(out, path, chk.row_word, shipped="name_matches_location" in cols))  # issue 22
    out = keep_extras(out, gdf, cols)
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    return chk.finish(out)



def load_press_facilities(path: Path | str | None = None) -> pd.DataFrame:
    """Press-reported venues and warehouses (a table: no coordinates were ever published)."""
    path = Path(path) if path is not None else paths.processed("press_facilities")
    df, chk = read_table(path, geo_ok=False)
    resolve_columns(df, chk, ["name", "facility_type"])
    return chk.finish(df)


def load_tps(path: Path | str | None = None, *, kelurahan: gpd.GeoDataFrame | None = None,
             columns: dict | None = None, sheet: str | int | None = None) -> gpd.GeoDataFrame:
    """TPS counts per kelurahan, joined to the kelurahan polygons.

    The file needs the kelurahan (``Kode Kelurahan``/``Kode Wilayah``: a Kemendagri code such
    as ``31.71.01.1001``, also without dots as KPU writes it; or the ``Kelurahan`` name, with
    ``Kecamatan``/``Kota`` where a name is not unique) and ``Jumlah TPS`` (whole numbers >= 0).
    Totals per kota are kept in ``attrs["read_notes"]`` so they can be compared with official
    figures (Pemilu 2024: 30,766 TPS in DKI; Pilkada 27 November 2024: 14,835).

    Examples
    --------
    >>> tps = load_tps()
    >>> len(tps), int(tps["tps_total"].sum())
    (267, 30766)
    """
    path = Path(path) if path is not None else paths.processed("tps")
    kel = kelurahan if kelurahan is not None else load_boundaries("kelurahan")  # default: DKI's
    df, chk = read_table(path, kind="tps", sheet=sheet)
    cols = recognise_columns(df, chk, "tps", columns, [["kode", "kelurahan"], ["tps_total"]])
    units = match_kelurahan(df, cols, kel)
    problem, codes = units["problem"], units["kode"]
    for kind, column, message, fix in (
            ("unknown_code", cols.get("kode"), "unknown kelurahan codes",
             "use Kemendagri codes such as 31.71.01.1001 (or 3171011001)"),
            ("unknown_kelurahan", cols.get("kelurahan"), "unknown kelurahan", ""),
            ("ambiguous", cols.get("kelurahan"), "the kelurahan name fits more than one kelurahan",
             "add a Kecamatan column, or use codes"),
            ("no_kelurahan", cols.get("kelurahan", cols.get("kode")), "the kelurahan is empty",
             "fill in the kelurahan code or name"),
            ("wrong_unit", cols.get("kecamatan"), "the kelurahan does not lie in the kecamatan given",
             "correct the kecamatan or the kelurahan")):
        bad = problem.eq(kind)
        if bad.any():
            vals = df.loc[bad, column] if column else pd.Series(dtype=str)
            if kind == "unknown_kelurahan":
                fix = (did_you_mean(vals.unique()[:5], list(kel["nama"])) + " use the Kemendagri name or code "
                       f"({len(kel)} kelurahan of {kel.attrs.get('provinsi') or 'DKI Jakarta'})").strip()
            chk.add(df.index[bad], column, f"{message} {sample(vals)}" if kind.startswith("unknown") else message,
                    fix)
    dup = codes.duplicated(keep=False) & codes.ne("")
    if dup.any():
        chk.add(df.index[dup], cols.get("kode", cols.get("kelurahan")),
                f"kelurahan listed more than once {sample(codes[dup])}", "give one row per kelurahan")
    counts = {}
    for name in ("tps_total", "tps_reguler", "tps_khusus", "dpt"):
        if name not in cols:
            continue
        text = text_column(df, cols, name).str.replace(r"[.\s](?=\d{3}\b)", "", regex=True)
        value = pd.to_numeric(text, errors="coerce")
        empty = text.eq("")
        bad = (value.isna() & ~empty) | (value < 0) | ((value % 1 != 0) & value.notna()) | (empty & (name == "tps_total"))
        if bad.any():
            chk.add(df.index[bad], cols[name], f"not a whole number >= 0 ({sample(df.loc[bad, cols[name]], 3)})",
                    "write the count as a whole number")
        counts[name] = value.fillna(0)
    chk.raise_if_errors()
    out = pd.DataFrame({"kode": codes})
    for name, value in counts.items():
        out[name] = value.astype(int).to_numpy()
    if "tps_khusus_nomor" in cols:
        out["tps_khusus_nomor"] = text_column(df, cols, "tps_khusus_nomor").to_numpy()
    out = keep_extras(out, df, cols)
    merged = kel[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]].merge(
        out, on="kode", how="inner")
    missing = kel[~kel["kode"].isin(out["kode"])]
    if len(missing) and len(out) >= len(kel) / 2:
        chk.add([], cols.get("kode", cols.get("kelurahan")), f"{len(missing)} kelurahan have no TPS row: "
                f"{', '.join(missing['nama'][:10])}{' ...' if len(missing) > 10 else ''}", "add their rows", "warning")
    per_kota = merged.groupby("kota", sort=False)["tps_total"].sum()
    chk.info.append("TPS per kota: " + "; ".join(f"{k} {v:,}" for k, v in per_kota.items())
                    + f"; total {int(merged['tps_total'].sum()):,} in {len(merged)} kelurahan")
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
    cols = resolve_columns(df, chk, ["kota", "dpt"])
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


def point_table(df: pd.DataFrame, cols: dict, chk: Checker, crs=None) -> gpd.GeoDataFrame:
    """The rows of a points file as points in EPSG:4326 (shared by the sites and facilities loaders).

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
        The table as read by :func:`helpers.io.validation.read_table`.
    cols : dict
        ``{field: header}`` of the recognised columns (coordinates of a CSV/XLSX).
    chk : Checker
        The file's problem collector; a GeoJSON/GeoPackage's geometry is checked to be points.
    crs : optional
        CRS of the coordinate columns of a CSV/XLSX if they are not WGS84 degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows with their point geometry in EPSG:4326.
    """
    if chk.geo:
        gdf = to_wgs84(df, chk)
        check_geometry(gdf, chk, ("Point",))
        return gdf
    return points_from_columns(df, cols, chk, crs)


def coordinate_header(cols: dict) -> str:
    """The header(s) holding a file's coordinates, as a problem names its column.

    Examples
    --------
    >>> coordinate_header({"lat": "Lintang", "lon": "Bujur"})
    'Bujur/Lintang'
    >>> coordinate_header({"coordinates": "Koordinat"})
    'Koordinat'
    >>> coordinate_header({})
    'geometry'
    """
    if "lat" in cols and "lon" in cols:
        return f"{cols['lon']}/{cols['lat']}"
    return cols.get("coordinates", "geometry")


def lonlat_sample(gdf: gpd.GeoDataFrame, index) -> str:
    """``lon, lat = (x, y), ...`` of the first three points of ``index``, for a problem message.

    Examples
    --------
    >>> import shapely
    >>> pts = gpd.GeoDataFrame(geometry=[shapely.Point(106.8, -6.2)], crs="EPSG:4326")
    >>> lonlat_sample(pts, pts.index)
    'lon, lat = (106.8000, -6.2000)'
    """
    return "lon, lat = " + ", ".join(f"({gdf.geometry.x[i]:.4f}, {gdf.geometry.y[i]:.4f})" for i in index[:3])
