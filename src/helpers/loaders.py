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

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import paths
from .columns import approximate_from_notes, keep_extras, recognise_columns, text_column
from .coords import points_from_columns
from .names import name_key
from .schema import facility_type
from .units import (area_name, check_in_area, name_keys, did_you_mean, distances_to_own, located_in, match_kecamatan, match_kelurahan,
                    reference, sample, unit_names)
from .validation import SITE_OUTSIDE_TOLERANCE_M, booleans, check_geometry, read_table, resolve_columns, to_wgs84
from .validation import DataValidationError, DataValidationWarning, Problem  # noqa: F401  (re-exported)

#: A sites file lists one site per kecamatan (44 in DKI, 7,277 in Indonesia): more rows than this
#: is another kind of file, refused before any check runs.
MAX_SITE_ROWS = 10_000

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


def load_sites(path: Path | str | None = None, *, crs=None, kecamatan: gpd.GeoDataFrame | None = None,
               kota: gpd.GeoDataFrame | None = None, expect_all: bool = True, columns: dict | None = None,
               sheet: str | int | None = None) -> gpd.GeoDataFrame:
    """PPK recapitulation sites, one per kecamatan, validated against the kecamatan polygons.

    Parameters
    ----------
    path : path-like, optional
        CSV/XLSX or GeoJSON/GeoPackage of points.  Headers are recognised as offices write them
        (``Nama Lokasi``, ``Kecamatan``/``Kec.``, ``Kota/Kabupaten Administrasi``, ``Lintang``/
        ``Bujur`` or one ``Koordinat`` column, ``Akses Internet``, ``Keterangan``, ...; see
        :data:`helpers.schema.FIELDS`).  Needed: the kecamatan (name or code) and coordinates.
        Default: the shipped 44 sites.
    crs : optional
        CRS of the coordinate columns of a CSV/XLSX if they are not WGS84 degrees.
    kecamatan, kota : GeoDataFrame, optional
        Reference polygons (default: shipped boundaries).
    expect_all : bool
        Warn about kecamatan without a site (all 44, or all kecamatan of the kota present).
    columns : dict, optional
        ``{header in the file: field}`` for headers that are not recognised (field ``"ignore"``
        skips a column).
    sheet : str or int, optional
        Sheet name or 1-based number of a workbook (default: the first with recognised headers).

    Returns
    -------
    geopandas.GeoDataFrame
        Points in EPSG:4326 with ``site_id``, ``kecamatan_kode``, ``kecamatan``, ``kota_kode``,
        ``kota``, ``venue``, ``venue_status``, ``address``, ``lon``, ``lat``, ``location_source``,
        ``approximate``, ``position_basis``, ``internet``, ``internet_source``, ``source_note``,
        ``notes``; the file's other columns follow as ``"asli: <header>"``.  For a user's file:
        ``location_source = "user_file"``, ``venue_status = "user_file"``, the position basis
        names the file and row, and a site id missing from the file is ``PPK-<kecamatan code>``.

    Examples
    --------
    >>> sites = load_sites()
    >>> len(sites), int(sites["internet"].sum())
    (44, 44)
    """
    path = Path(path) if path is not None else paths.processed("sites")
    kec_ref = kecamatan if kecamatan is not None else reference("kecamatan")
    df, chk = read_table(path, kind="sites", sheet=sheet)
    if len(df) > MAX_SITE_ROWS:
        chk.fatal(f"the file has {len(df):,} rows; a sites file lists one recapitulation site per kecamatan "
                  f"({area_name(kota)} has {len(kec_ref)})", "give the list of PPK recapitulation sites (is this a "
                  "TPS or facility list? use tps_path or facilities_path)")
    coords = [] if chk.geo else [["lat", "coordinates"], ["lon", "coordinates"]]
    cols = recognise_columns(df, chk, "sites", columns, [["kecamatan", "kecamatan_kode"], *coords])
    gdf = _points(df, cols, chk, crs)
    units = match_kecamatan(gdf, cols, kec_ref)
    _unit_problems(gdf, cols, chk, units, kec_ref)
    code = units["kecamatan_kode"]
    names = unit_names(code, kec_ref, {"nama": "kecamatan", "kota_kode": "kota_kode", "kota": "kota"})
    ids = text_column(gdf, cols, "site_id")
    made = ids.eq("") & code.ne("")
    ids = ids.where(~made, "PPK-" + code)
    if made.any() and "site_id" in cols and not made.all():
        chk.add(gdf.index[made], cols["site_id"], "the site id is empty; it was made from the kecamatan code",
                "nothing, or give every site an id", "warning")
    elif made.any():
        chk.info.append("no site id column: ids made from the kecamatan code (PPK-31.71.01, ...)")
    dup = ids.duplicated(keep=False) & ids.ne("") & ~made  # made ids repeat with their kecamatan (reported below)
    if dup.any():
        chk.add(gdf.index[dup], cols.get("site_id", "site_id"), f"duplicate site ids {sorted(set(ids[dup]))}",
                "give every site a unique id")
    has, inside = check_in_area(gdf, kota)
    if (has & ~inside).any():
        bad = gdf.index[has & ~inside]
        chk.add(bad, _coord_header(cols), f"the point lies outside {area_name(kota)} ({_lonlat(gdf, bad)})",
                f"check the coordinates; points must lie in {area_name(kota)}")
    notes = text_column(gdf, cols, "notes")
    user = "location_source" not in cols
    out = gpd.GeoDataFrame({"site_id": ids, "kecamatan_kode": code, **{c: names[c] for c in names}},
                           geometry=gdf.geometry, crs=gdf.crs)
    out["venue"] = text_column(gdf, cols, "venue", "(venue not given)")
    out["venue_status"] = text_column(gdf, cols, "venue_status", "user_file" if user else "unknown")
    out["address"] = text_column(gdf, cols, "address")
    out["lon"] = gdf.geometry.x.round(6).where(has)
    out["lat"] = gdf.geometry.y.round(6).where(has)
    out["location_source"] = text_column(gdf, cols, "location_source", "user_file")
    flagged = booleans(gdf, cols["approximate"], chk) if "approximate" in cols else pd.Series(False, index=gdf.index)
    by_note = approximate_from_notes(notes) & ~flagged
    if by_note.any():
        chk.add(gdf.index[by_note], cols["notes"], "the note says the position is approximate "
                f"({sample(notes[by_note], 2)}); the site is marked approximate",
                "nothing, if so; otherwise reword the note", "warning")
    out["approximate"] = (flagged | by_note).astype(bool)
    rows = pd.Series(chk.rows(gdf.index), index=gdf.index).astype(str) if len(gdf) else pd.Series(dtype=str)
    basis = ("coordinates given in " + path.name + ", row " + rows).where(~out["approximate"],
             "approximate position given in " + path.name + ", row " + rows
             + notes.where(notes.eq(""), " (note: " + notes + ")"))
    out["position_basis"] = text_column(gdf, cols, "position_basis", "") if not user else basis
    internet_blank = "internet" in cols and text_column(gdf, cols, "internet").eq("").all()
    if "internet" in cols and not internet_blank:
        out["internet"] = booleans(gdf, cols["internet"], chk)
        source = f"{path.name}, column '{cols['internet']}'"
    else:
        out["internet"] = True
        source = f"assumed: {path.name} gives no internet value"
        chk.add([], cols.get("internet", "internet"), "no internet value in the file; every site is taken to "
                "have internet (the Pemprov DKI programme covered all 44 PPK sites)",
                "add an 'Internet' column (Ya/Tidak) if some sites have none", "warning")
    out["internet_source"] = text_column(gdf, cols, "internet_source", source)
    out["source_note"] = text_column(gdf, cols, "source_note", "")
    out["notes"] = notes
    # the kelurahan of a site is not used by the analysis: kept as the user's column
    out = keep_extras(out, gdf, {k: v for k, v in cols.items() if k != "kelurahan"})

    known = code.ne("")
    twice = code.duplicated(keep=False) & known
    if twice.any():
        for _, grp in out[twice].groupby("kecamatan_kode"):
            chk.add(grp.index, cols.get("kecamatan", cols.get("kecamatan_kode")),
                    f"two or more sites for kecamatan {grp['kecamatan'].iloc[0]} ("
                    + ", ".join(grp["site_id"] if grp["site_id"].is_unique else grp["venue"]) + ")",
                    "keep one recapitulation site per kecamatan")
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    _check_own_kecamatan(out, known & inside, cols, chk, kec_ref)
    if expect_all:
        chk.raise_if_errors()  # a "missing kecamatan" warning is noise while rows are still wrong
        scope = kec_ref if len(out) >= len(kec_ref) / 2 else kec_ref[kec_ref["kota_kode"].isin(out["kota_kode"])]
        missing = scope[~scope["kode"].isin(out["kecamatan_kode"])]
        if len(missing):
            chk.add([], cols.get("kecamatan", "kecamatan"), f"{len(missing)} kecamatan have no site: "
                    f"{', '.join(missing['nama'])}", "add a site for each (a coverage gap otherwise)", "warning")
    return chk.finish(out)


def _points(df, cols, chk, crs) -> gpd.GeoDataFrame:
    if chk.geo:
        gdf = to_wgs84(df, chk)
        check_geometry(gdf, chk, ("Point",))
        return gdf
    return points_from_columns(df, cols, chk, crs)


def _coord_header(cols) -> str:
    if "lat" in cols and "lon" in cols:
        return f"{cols['lon']}/{cols['lat']}"
    return cols.get("coordinates", "geometry")


def _lonlat(gdf, index) -> str:
    return "lon, lat = " + ", ".join(f"({gdf.geometry.x[i]:.4f}, {gdf.geometry.y[i]:.4f})" for i in index[:3])


def _unit_problems(gdf, cols, chk, units, kec_ref) -> None:
    """Messages for rows whose kota/kecamatan is unknown, ambiguous or contradictory."""
    problem = units["problem"]
    where = located_in(gdf.geometry, kec_ref)
    kota_names = sorted(set(kec_ref["kota"]))
    bad = problem.eq("unknown_kota")
    if bad.any():
        vals = gdf.loc[bad, cols["kota"]]
        hint = did_you_mean(vals.unique(), kota_names)
        chk.add(gdf.index[bad], cols["kota"], f"unknown kota/kabupaten administrasi {sample(vals)}",
                f"{hint + ' ' if hint else ''}use one of: {', '.join(kota_names)}")
    bad = problem.eq("unknown_kecamatan")
    if bad.any():
        col = cols.get("kecamatan_kode") if "kecamatan_kode" in cols and gdf.loc[bad, cols["kecamatan_kode"]].astype(
            str).str.strip().ne("").any() else cols.get("kecamatan")
        vals = gdf.loc[bad, col]
        hint = did_you_mean(vals.unique(), list(kec_ref["nama"]))
        lies = where[bad].dropna()
        lies_txt = (f"; the point of row {chk.rows([lies.index[0]])[0]} lies in kecamatan {lies.iloc[0]}"
                    if len(lies) else "")
        chk.add(gdf.index[bad], col, f"unknown kecamatan {sample(vals)}{lies_txt}",
                f"{hint + ' ' if hint else ''}use a Kemendagri kecamatan name or code "
                f"({len(kec_ref)} kecamatan of DKI Jakarta)")
    bad = problem.eq("wrong_kota")
    if bad.any():
        ref = kec_ref.set_index("kode")
        kec_col = cols.get("kecamatan", cols.get("kecamatan_kode"))
        belongs = {str(v): ref.loc[ref["nama"].map(name_key) == name_key(v), "kota"].tolist()
                   for v in gdf.loc[bad, kec_col].unique()}
        text = "; ".join(f"{k} is in {', '.join(v)}" for k, v in belongs.items() if v)
        chk.add(gdf.index[bad], cols.get("kota", "kota"),
                f"the kecamatan does not belong to the kota given ({text})" if text else
                "the kecamatan does not belong to the kota given", "correct the kota or the kecamatan of these rows")
    for kind, message, fix in (("ambiguous", "the kecamatan name fits more than one kecamatan",
                                "give the kota or the kecamatan code"),
                               ("no_kecamatan", "the kecamatan is empty", "fill in the kecamatan of the site")):
        bad = problem.eq(kind)
        if bad.any():
            chk.add(gdf.index[bad], cols.get("kecamatan", cols.get("kecamatan_kode")), message, fix)


def _check_own_kecamatan(out, check, cols, chk, kec_ref) -> None:
    """A site must lie inside the kecamatan it claims (rows with a usable point and unit only)."""
    if not check.any():
        return
    pts = out.loc[check]
    dist = pd.Series(distances_to_own(pts.geometry, pts["kecamatan_kode"], kec_ref), index=pts.index)
    far = dist[dist > 0]
    if far.empty:
        return
    actual = located_in(pts.geometry[far.index], kec_ref)
    for i, d in far.items():
        where = actual.get(i)
        where = f"it lies in {where}" if isinstance(where, str) else "it lies in no kecamatan"
        chk.add([i], _coord_header(cols),
                f"site {out.at[i, 'site_id']} lies {d:,.0f} m outside kecamatan {out.at[i, 'kecamatan']}, "
                f"which it claims ({where})", "correct the coordinates or the kecamatan",
                "error" if d > SITE_OUTSIDE_TOLERANCE_M else "warning")


def load_facilities(path: Path | str | None = None, *, crs=None, kelurahan: gpd.GeoDataFrame | None = None,
                    kota: gpd.GeoDataFrame | None = None, columns: dict | None = None,
                    sheet: str | int | None = None) -> gpd.GeoDataFrame:
    """Facility points (offices, warehouses, secretariats, venues) with the units containing them.

    CSV/XLSX need a name and coordinates (``Lintang``/``Bujur`` or ``Koordinat``); GeoJSON/
    GeoPackage need a name and points.  The type (``Jenis``: "Gudang logistik", "Sekretariat
    KPU", "Sekretariat PPS", ...) is mapped to the toolkit's types
    (:data:`helpers.schema.FACILITY_TYPES`); unknown values become ``"other"`` with a warning.
    Points outside DKI Jakarta are kept with a warning (a warehouse may lie just outside).

    Examples
    --------
    >>> fac = load_facilities()
    >>> int((fac["facility_type"] == "kantor_camat").sum())
    42
    """
    path = Path(path) if path is not None else paths.processed("offices")
    kel_ref = kelurahan if kelurahan is not None else reference("kelurahan")
    df, chk = read_table(path, kind="facilities", sheet=sheet)
    coords = [] if chk.geo else [["lat", "coordinates"], ["lon", "coordinates"]]
    cols = recognise_columns(df, chk, "facilities", columns, [["name"], *coords])
    gdf = _points(df, cols, chk, crs)
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
        chk.add(bad, _coord_header(cols), f"the point lies outside {area_name(kota)} ({_lonlat(gdf, bad)})",
                f"check the coordinates; points must lie in {area_name(kota)}", "warning")
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
    kel = kelurahan if kelurahan is not None else reference("kelurahan")
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
                       f"({len(kel)} kelurahan of DKI Jakarta)").strip()
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


@dataclass
class Inputs:
    """Every input of the notebooks, loaded and checked once (see :func:`load_inputs`)."""

    kota: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kelurahan: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    tps: gpd.GeoDataFrame
    dpt: pd.DataFrame
    press: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    #: what was read from each user file, one line each ("sites (my.xlsx): 'Nama Lokasi' -> venue")
    notes: list[str] = field(default_factory=list)
    #: the province (Kemendagri code and name); DKI Jakarta unless ``load_inputs(provinsi=...)``
    provinsi_kode: str = "31"
    provinsi: str = "DKI Jakarta"
    #: outside DKI: the land polygons of the sea-crossing rule (map-ready kab/kota), else None
    land: gpd.GeoDataFrame | None = None

    @property
    def is_dki(self) -> bool:
        """Whether these are the DKI Jakarta inputs (the rich layer)."""
        return self.provinsi_kode == "31"


class InputsError(DataValidationError):
    """One or more input files failed validation; ``problems`` holds the errors of all of them,
    grouped by file, each in row order."""

    def __init__(self, failures: list[DataValidationError]):
        self.failures = failures
        problems = [p for f in failures for p in sorted(f.problems, key=lambda p: (p.rows[:1] or (0,)))]
        super().__init__(", ".join(f.path for f in failures), problems)
        lines = [f"{len(problems)} problem(s) in {len(failures)} input file(s):"]
        for f in failures:
            lines.append(f"{f.path}:")
            lines += [f"  - {p}" for p in sorted(f.problems, key=lambda p: (p.rows[:1] or (0,)))]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return self.args[0]


#: Kinds of user file that take ``columns`` and ``sheet`` (a plain value is for the sites file).
USER_KINDS = ("sites", "facilities", "tps")


def per_kind(value, what: str) -> dict:
    """``columns``/``sheet`` for each kind of file: a mapping keyed by kind, or a plain value for
    the sites file.

    Examples
    --------
    >>> per_kind({"Nama Tempat": "venue"}, "columns")
    {'sites': {'Nama Tempat': 'venue'}}
    >>> per_kind({"tps": {"Jml": "tps_total"}}, "columns")
    {'tps': {'Jml': 'tps_total'}}
    >>> per_kind(2, "sheet")
    {'sites': 2}
    """
    if value is None:
        return {}
    if isinstance(value, dict) and value and set(value) <= set(USER_KINDS) and (
            what != "columns" or all(isinstance(v, dict) or v is None for v in value.values())):
        return {k: v for k, v in value.items() if v is not None}
    return {"sites": value}


def load_inputs(*, sites_path=None, facilities_path=None, offices_path=None, kota_path=None, kecamatan_path=None,
                kelurahan_path=None, tps_path=None, dpt_path=None, press_path=None, columns=None, sheet=None,
                expect_all_sites: bool = True, provinsi=None) -> Inputs:
    """Load and check every input file (``None`` = the shipped file); report all their problems at once.

    Parameters
    ----------
    provinsi : str, optional
        None or DKI Jakarta: the DKI layer.  Another province (name or code, any spelling): its
        national layer shaped like DKI's (:func:`helpers.province.province_layers`: approximate
        desa areas and one approximate site per kecamatan); a user's sites file then replaces the
        default site of every kecamatan it lists, and facilities and TPS files are read as in DKI.
        Boundary, DPT and press files are DKI-only and are refused elsewhere.
    sites_path, tps_path : path-like, optional
        The user's list of PPK recapitulation sites, and TPS counts per kelurahan.
    facilities_path : path-like, optional
        The user's own facilities (warehouses, KPU/Bawaslu secretariats, PPK/PPS offices, ...),
        **added** to the office points.
    offices_path : path-like, optional
        Office points that replace the shipped BIG RBI points (kantor camat/lurah/walikota).
    kota_path, kecamatan_path, kelurahan_path, dpt_path, press_path : path-like, optional
        Boundaries, DPT per kota and press-reported facilities.
    columns, sheet : optional
        ``{header: field}`` and the sheet of the sites file, or mappings keyed by ``"sites"``,
        ``"facilities"``, ``"tps"`` (see :func:`per_kind`).

    Raises
    ------
    InputsError
        With the errors of every file that has any (a :class:`DataValidationError`).

    Examples
    --------
    >>> data = load_inputs()
    >>> len(data.kota), len(data.kecamatan), len(data.kelurahan), len(data.sites), data.warnings
    (6, 44, 267, 44, [])
    """
    from .province import DKI_KODE, province_layers, resolve_provinsi

    if resolve_provinsi(provinsi)[0] != DKI_KODE:
        given = {k: v for k, v in dict(kota_path=kota_path, kecamatan_path=kecamatan_path, kelurahan_path=kelurahan_path,
                                       dpt_path=dpt_path, press_path=press_path).items() if v is not None}
        if given:
            raise ValueError(f"{', '.join(given)}: DKI-only inputs; outside DKI Jakarta the boundaries come from the "
                             "national layer (leave them None)")
        return _province_inputs(province_layers(provinsi), sites_path=sites_path, facilities_path=facilities_path,
                                offices_path=offices_path, tps_path=tps_path, columns=columns, sheet=sheet)
    cols, sheets = per_kind(columns, "columns"), per_kind(sheet, "sheet")
    failures: list[DataValidationError] = []
    loaded: dict = {}
    notes: list[str] = []

    def run(name, what, path, fn, *args, **kw):
        try:
            loaded[name] = fn(*args, **kw)
        except DataValidationError as exc:
            failures.append(exc)
            loaded[name] = None
            return
        if path is not None:
            notes.extend(f"{what} ({Path(path).name}): {line}" for line in loaded[name].attrs.get("read_notes", []))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run("kota", "kota", kota_path, load_boundaries, "kota", kota_path)
        run("kecamatan", "kecamatan", kecamatan_path, load_boundaries, "kecamatan", kecamatan_path)
        run("kelurahan", "kelurahan", kelurahan_path, load_boundaries, "kelurahan", kelurahan_path)
        kota, kec, kel = loaded["kota"], loaded["kecamatan"], loaded["kelurahan"]
        if kec is not None:
            run("sites", "sites", sites_path, load_sites, sites_path, kecamatan=kec, kota=kota,
                expect_all=expect_all_sites, columns=cols.get("sites"), sheet=sheets.get("sites"))
        if kel is not None:
            run("offices", "offices", offices_path, load_facilities, offices_path, kelurahan=kel, kota=kota)
            if facilities_path is not None:
                run("facilities", "facilities", facilities_path, load_facilities, facilities_path, kelurahan=kel,
                    kota=kota, columns=cols.get("facilities"), sheet=sheets.get("facilities"))
            run("tps", "tps", tps_path, load_tps, tps_path, kelurahan=kel, columns=cols.get("tps"),
                sheet=sheets.get("tps"))
        run("dpt", "dpt", dpt_path, load_dpt, dpt_path)
        run("press", "press", press_path, load_press_facilities, press_path)
    if failures:
        raise InputsError(failures)
    facilities = loaded["offices"]
    if loaded.get("facilities") is not None:
        facilities = combine_facilities(facilities, loaded["facilities"])
    data = Inputs(kota=kota, kecamatan=kec, kelurahan=kel, sites=loaded["sites"], facilities=facilities,
                  tps=loaded["tps"], dpt=loaded["dpt"], press=loaded["press"], notes=notes)
    # every warning is kept (not only the loaders' own), each once
    data.warnings = list(dict.fromkeys(str(w.message) for w in caught))
    return data


def empty_facilities() -> gpd.GeoDataFrame:
    """A facilities table with no row (outside DKI no office points are known)."""
    cols = ["facility_id", "name", "facility_type", "role", "status", "address", "kelurahan_kode", "kelurahan",
            "kecamatan_kode", "kecamatan", "kota_kode", "kota", "approximate", "source", "location_source"]
    return gpd.GeoDataFrame({c: pd.Series(dtype=bool if c == "approximate" else object) for c in cols},
                            geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def replace_sites(default: gpd.GeoDataFrame, given: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The default sites with those of ``given`` (a user's file) in place of the defaults of their
    kecamatan; the order of ``default`` is kept and new kecamatan are appended."""
    keep = default[~default["kecamatan_kode"].isin(set(given["kecamatan_kode"]))]
    both = pd.concat([keep, given.assign(location_source="user_file")], ignore_index=True)
    both = both.sort_values("kecamatan_kode", kind="stable", ignore_index=True)
    geometry = both.pop("geometry")
    out = gpd.GeoDataFrame(both, geometry=geometry.values, crs=default.crs)
    out.attrs = {**default.attrs, "validation_warnings": given.attrs.get("validation_warnings", []),
                 "source_file": given.attrs.get("source_file")}
    return out


def _province_inputs(lay, *, sites_path, facilities_path, offices_path, tps_path, columns, sheet) -> Inputs:
    """:func:`load_inputs` outside DKI: the province's national layer, with the user's files."""
    cols, sheets = per_kind(columns, "columns"), per_kind(sheet, "sheet")
    failures: list[DataValidationError] = []
    loaded: dict = {}
    notes: list[str] = list(lay.notes)

    def run(name, what, path, fn, *args, **kw):
        try:
            loaded[name] = fn(*args, **kw)
        except DataValidationError as exc:
            failures.append(exc)
            return
        notes.extend(f"{what} ({Path(path).name}): {line}" for line in loaded[name].attrs.get("read_notes", []))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if sites_path is not None:
            run("sites", "sites", sites_path, load_sites, sites_path, kecamatan=lay.kecamatan, kota=lay.kota,
                expect_all=False, columns=cols.get("sites"), sheet=sheets.get("sites"))
        if offices_path is not None:
            run("offices", "offices", offices_path, load_facilities, offices_path, kelurahan=lay.kelurahan,
                kota=lay.kota)
        if facilities_path is not None:
            run("facilities", "facilities", facilities_path, load_facilities, facilities_path,
                kelurahan=lay.kelurahan, kota=lay.kota, columns=cols.get("facilities"),
                sheet=sheets.get("facilities"))
        if tps_path is not None:
            run("tps", "tps", tps_path, load_tps, tps_path, kelurahan=lay.kelurahan, columns=cols.get("tps"),
                sheet=sheets.get("tps"))
    if failures:
        raise InputsError(failures)
    sites = lay.sites if "sites" not in loaded else replace_sites(lay.sites, loaded["sites"])
    facilities = loaded.get("offices", empty_facilities())
    if "facilities" in loaded:
        facilities = combine_facilities(facilities, loaded["facilities"])
    dpt = pd.DataFrame({"kota_kode": pd.Series(dtype=object), "kota": pd.Series(dtype=object),
                        "dpt": pd.Series(dtype=int)})
    press = pd.DataFrame({c: pd.Series(dtype=object) for c in ("facility_id", "name", "facility_type", "kota")})
    data = Inputs(kota=lay.kota, kecamatan=lay.kecamatan, kelurahan=lay.kelurahan, sites=sites,
                  facilities=facilities, tps=loaded.get("tps", lay.tps), dpt=dpt, press=press, notes=notes,
                  provinsi_kode=lay.kode, provinsi=lay.nama, land=lay.land)
    data.warnings = list(dict.fromkeys(str(w.message) for w in caught))
    return data


def combine_facilities(offices: gpd.GeoDataFrame, extra: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The office points and a user's own facilities in one table (columns united).

    A user's facility whose id repeats an office id gets the file name in front of it.
    """
    extra = extra.copy()
    clash = extra["facility_id"].isin(set(offices["facility_id"]))
    stem = Path(extra.attrs.get("source_file", "user")).stem
    extra.loc[clash, "facility_id"] = stem + ":" + extra.loc[clash, "facility_id"]
    extra["location_source"] = "user_file"
    both = pd.concat([offices.assign(location_source=offices.get("location_source", "office_points")), extra],
                     ignore_index=True)
    geometry = both.pop("geometry")
    out = gpd.GeoDataFrame(both, geometry=geometry.values, crs=offices.crs)
    out.attrs = {"validation_warnings": offices.attrs.get("validation_warnings", [])
                 + extra.attrs.get("validation_warnings", []), "source_file": extra.attrs.get("source_file")}
    return out
