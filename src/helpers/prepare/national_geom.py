"""Geometry of the national layer: boundary polygons, map-ready versions, desa points.

Part of :mod:`helpers.prepare.national`.  Metric work is done in metres:

* areas and the map simplification in **World Cylindrical Equal Area** (``ESRI:54034``, Lambert
  cylindrical equal-area, true scale on the equator).  One CRS for the whole country keeps every
  shared border — also between units in different UTM zones — in a single coverage, so it is
  simplified once and stays shared; Indonesia spans 95–141° E (UTM zones 46–54) but only
  11° S–6° N, where this projection's scale error is under 2 % (it depends on latitude only);
  areas are exact (equal-area).  A per-UTM-zone simplification would simplify a border twice,
  differently, where it crosses a zone limit.
* distances from a desa point to its kecamatan polygon in the point's own **UTM zone**
  (EPSG:326xx north / 327xx south of the equator).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from helpers.core.geo import WGS84, utm_epsg
from helpers.prepare.national_sql import path_to_geometry, read_table

EQUAL_AREA = "ESRI:54034"
#: lon/lat box that every national coordinate must fall in (degrees).
INDONESIA_BBOX = (94.0, -11.5, 141.5, 6.5)


class GeometryCheckError(ValueError):
    """A geometry step produced something the build does not accept."""


def read_boundaries(files, level: str) -> gpd.GeoDataFrame:
    """``kode``, ``nama`` and a valid lon/lat MultiPolygon per row of the ``wilayah_boundaries`` dumps."""
    rows = read_table(files, "wilayah_boundaries", ("kode", "nama", "path"))
    geoms = [path_to_geometry(r["path"], where=f"{level} {r['kode']}") for r in rows]
    gdf = gpd.GeoDataFrame({"kode": [r["kode"] for r in rows], "nama": [r["nama"] for r in rows]},
                           geometry=geoms, crs=WGS84)
    empty = gdf.loc[gdf.geometry.isna(), "kode"].tolist()
    if empty:
        raise GeometryCheckError(f"{level}: no polygon for {empty[:10]}")
    _check_bbox(gdf, level)
    return gdf.sort_values("kode", ignore_index=True)


def _check_bbox(gdf: gpd.GeoDataFrame, what: str) -> None:
    x0, y0, x1, y1 = INDONESIA_BBOX
    b = gdf.geometry.bounds
    bad = gdf.loc[(b.minx < x0) | (b.miny < y0) | (b.maxx > x1) | (b.maxy > y1), "kode"].tolist()
    if bad:
        raise GeometryCheckError(f"{what}: {len(bad)} units reach outside Indonesia {INDONESIA_BBOX}, "
                                 f"e.g. {bad[:5]} (lat/lng swapped?)")


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area in km² (equal-area CRS), rounded to 0.001 km²."""
    return (gdf.to_crs(EQUAL_AREA).area / 1e6).round(3)


def overlap_km2(gdf: gpd.GeoDataFrame) -> float:
    """Total area shared by two units of one layer (km²): 0 for a clean coverage."""
    g = gdf.to_crs(EQUAL_AREA).geometry.values
    a, b = shapely.STRtree(g).query(g, predicate="intersects")
    keep = a < b
    return float(shapely.area(shapely.intersection(g[a[keep]], g[b[keep]])).sum() / 1e6)


def map_version(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """A map-ready copy: clean coverage, simplified with shared borders kept.

    In ``ESRI:54034``: ``shapely.coverage_clean`` (each area claimed by two neighbours is given to
    one of them, the one with the longest shared border; gaps are kept, none is filled), checked
    to be a valid coverage, then ``shapely.coverage_simplify`` (``tolerance_m``; Visvalingam-Whyatt
    on the shared edges, so a border is simplified once for both sides and stays shared), checked
    again, and back to lon/lat, where no two units may overlap by more than 1 m² in total.
    Coordinates are not rounded (rounding to 1e-5° made some polygons invalid).
    """
    g = gdf.to_crs(EQUAL_AREA).geometry.values
    cleaned = shapely.coverage_clean(g)  # automatic snapping distance (from the extent)
    _check_coverage(cleaned, gdf, "cleaned")
    simple = shapely.coverage_simplify(cleaned, tolerance_m)
    _check_coverage(simple, gdf, "simplified")
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(simple, crs=EQUAL_AREA, index=gdf.index).to_crs(WGS84).values
    out["geometry"] = [_as_multipolygon(x) for x in out.geometry.values]
    _check_coverage(out.geometry.values, gdf, "in lon/lat", check_valid_coverage=False)
    shared = overlap_km2(out)
    if shared > 1e-6:
        raise GeometryCheckError(f"map version in lon/lat: units overlap by {shared * 1e6:.1f} m²")
    return out


def _as_multipolygon(geom):
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts)


def _check_coverage(geoms, gdf, step: str, check_valid_coverage: bool = True) -> None:
    empty = np.asarray(shapely.is_empty(geoms))
    if empty.any():
        raise GeometryCheckError(f"map version, {step}: {int(empty.sum())} units became empty, "
                                 f"e.g. {gdf['kode'].to_numpy()[empty][:5].tolist()}")
    if not shapely.is_valid(geoms).all():
        raise GeometryCheckError(f"map version, {step}: invalid polygons")
    if check_valid_coverage and not shapely.coverage_is_valid(geoms):
        raise GeometryCheckError(f"map version, {step}: not a valid coverage (overlaps or unmatched edges)")


def dissolve(gdf: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """Union of the rows of ``gdf`` per ``key`` (sorted by ``key``), as MultiPolygons."""
    groups = gdf.groupby(key, sort=True).geometry
    geoms = [_as_multipolygon(shapely.make_valid(shapely.union_all(s.values))) for _, s in groups]
    return gpd.GeoDataFrame({key: list(groups.groups)}, geometry=geoms, crs=gdf.crs)


def desa_points(centroids: pd.DataFrame) -> gpd.GeoDataFrame:
    """Desa points from the centroid table (``kode``, ``nama``, ``lat``, ``lng``, ``n_parts``).

    The point is the centroid of the desa polygon as computed upstream (the dump's own
    ``lat``/``lng`` columns), **not** an office position: ``approximate`` is always true.
    """
    need = {"kode", "nama", "lat", "lng", "n_parts"}
    if need - set(centroids.columns):
        raise GeometryCheckError(f"desa centroids lack column(s) {sorted(need - set(centroids.columns))}")
    if centroids["kode"].duplicated().any():
        raise GeometryCheckError(f"desa centroids: duplicate kode {centroids.loc[centroids['kode'].duplicated(), 'kode'].tolist()[:5]}")
    lat = pd.to_numeric(centroids["lat"], errors="coerce")
    lng = pd.to_numeric(centroids["lng"], errors="coerce")
    x0, y0, x1, y1 = INDONESIA_BBOX
    bad = lat.isna() | lng.isna() | ~lat.between(y0, y1) | ~lng.between(x0, x1)
    if bad.any():
        raise GeometryCheckError(f"desa centroids: {int(bad.sum())} rows without a coordinate inside Indonesia, "
                                 f"e.g. {centroids.loc[bad, 'kode'].tolist()[:5]}")
    has_polygon = pd.to_numeric(centroids["n_parts"]) > 0
    pts = gpd.GeoDataFrame(centroids[["kode", "nama"]].copy(), geometry=gpd.points_from_xy(lng, lat), crs=WGS84)
    pts["approximate"] = True
    pts["position_basis"] = np.where(has_polygon, "centroid of the desa polygon",
                                     "centroid given upstream; the dump has no polygon for this desa")
    return pts.sort_values("kode", ignore_index=True)


def distance_to_own_polygon(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, key: str) -> pd.Series:
    """Metres from each point to the polygon whose ``kode`` is ``points[key]`` (0 inside; NaN if none).

    Computed in the UTM zone of each point.
    """
    poly = polygons.set_index("kode").geometry
    own = points[key].map(poly)
    inside = pd.Series(shapely.covers(own.values, points.geometry.values), index=points.index)
    dist = pd.Series(np.where(inside, 0.0, np.nan), index=points.index)
    out = ~inside & own.notna()
    if out.any():
        sub = points[out]
        epsg = utm_epsg(sub.geometry.x.to_numpy(), sub.geometry.y.to_numpy())
        for code in np.unique(epsg):
            idx = sub.index[epsg == code]
            p = gpd.GeoSeries(points.geometry[idx], crs=WGS84).to_crs(code)
            q = gpd.GeoSeries(own[idx], crs=WGS84).to_crs(code)
            dist[idx] = shapely.distance(p.values, q.values).round(1)
    return dist
