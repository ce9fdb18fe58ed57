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
from .geo import UTM48S
from .validation import (SITE_OUTSIDE_TOLERANCE_M, booleans, check_geometry, check_in_dki, match_units,
                         points_from_columns, read_table, reference, resolve_columns, to_wgs84)
from .validation import DataValidationError, DataValidationWarning, Problem  # noqa: F401  (re-exported)

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
    kec_ref = kecamatan if kecamatan is not None else reference("kecamatan")
    df, chk = read_table(path)
    cols = resolve_columns(df, chk, ["site_id", "kecamatan", "kota"] + ([] if chk.geo else ["lon", "lat"]),
                            ["kecamatan_kode", "internet", "approximate"])
    if chk.geo:
        gdf = to_wgs84(df, chk)
        check_geometry(gdf, chk, ("Point",))
    else:
        gdf = points_from_columns(df, cols, chk, crs)
    ids = gdf[cols["site_id"]].astype(str).str.strip()
    empty_id = ids.eq("")
    if empty_id.any():
        chk.add(gdf.index[empty_id], cols["site_id"], "the site id is empty", "give every site a unique id")
    dup = ids.duplicated(keep=False) & ~empty_id
    if dup.any():
        chk.add(gdf.index[dup], cols["site_id"], f"duplicate site ids {sorted(set(ids[dup]))}",
                "give every site a unique id")
    in_dki = check_in_dki(gdf, chk, "error")
    gdf = match_units(gdf, cols, chk, kec_ref)
    gdf["site_id"] = ids
    gdf["internet"] = booleans(gdf, cols["internet"], chk) if "internet" in cols else True
    if "internet" not in cols:
        chk.add([], "internet", "no 'internet' column; every site is taken to have internet",
                "add an 'internet' column (true/false) if some sites have none", "warning")
    gdf["approximate"] = booleans(gdf, cols["approximate"], chk) if "approximate" in cols else False

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
    cols = resolve_columns(df, chk, ["name"] + ([] if chk.geo else ["lon", "lat"]), ["facility_type"])
    if chk.geo:
        gdf = to_wgs84(df, chk)
        check_geometry(gdf, chk, ("Point",))
    else:
        gdf = points_from_columns(df, cols, chk, crs)
    gdf = gdf.rename(columns={cols["name"]: "name"})
    if "facility_type" in cols:
        gdf = gdf.rename(columns={cols["facility_type"]: "facility_type"})
    else:
        gdf["facility_type"] = "other"
    empty = gdf["name"].astype(str).str.strip().eq("")
    if empty.any():
        chk.add(gdf.index[empty], "name", "the facility has no name", "fill in its name", "warning")
    check_in_dki(gdf, chk, "warning")
    if "kelurahan_kode" not in gdf.columns:
        kel = reference("kelurahan")[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota",
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
    resolve_columns(df, chk, ["name", "facility_type"])
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
    kel = kelurahan if kelurahan is not None else reference("kelurahan")
    df, chk = read_table(path)
    cols = resolve_columns(df, chk, ["kode", "tps_total"])
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


def load_inputs(*, sites_path=None, facilities_path=None, kota_path=None, kecamatan_path=None, kelurahan_path=None,
                tps_path=None, dpt_path=None, press_path=None, expect_all_sites: bool = True) -> Inputs:
    """Load and check every input file (``None`` = the shipped file); warnings are collected.

    Errors raise :class:`DataValidationError` for the first file that has any; the warnings of
    all files are returned in ``Inputs.warnings`` (and not re-emitted), so a notebook can print them.

    Examples
    --------
    >>> data = load_inputs()
    >>> len(data.kota), len(data.kecamatan), len(data.kelurahan), len(data.sites), data.warnings
    (6, 44, 267, 44, [])
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataValidationWarning)
        kota = load_boundaries("kota", kota_path)
        kecamatan = load_boundaries("kecamatan", kecamatan_path)
        kelurahan = load_boundaries("kelurahan", kelurahan_path)
        data = Inputs(kota=kota, kecamatan=kecamatan, kelurahan=kelurahan,
                      sites=load_sites(sites_path, kecamatan=kecamatan, expect_all=expect_all_sites),
                      facilities=load_facilities(facilities_path), tps=load_tps(tps_path, kelurahan=kelurahan),
                      dpt=load_dpt(dpt_path), press=load_press_facilities(press_path))
    data.warnings = [str(w.message) for w in caught if issubclass(w.category, DataValidationWarning)]
    return data
