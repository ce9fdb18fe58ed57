"""Inputs of the DKI notebooks (01-03) for any other province, from the national data layer.

DKI Jakarta has a rich layer (kelurahan polygons, office points, the 44 sites of the Pemprov DKI
programme).  For the 37 other provinces only the national layer exists
(``data/processed/national``): kab/kota and kecamatan polygons, and one point per desa (the
centroid of its polygon) with its KawalPemilu TPS.  :func:`province_layers` shapes it like the DKI
inputs (:class:`helpers.io.inputs.Inputs`), so that the same analysis, maps and reports run:

* ``kota``: the kab/kota of the province; ``kecamatan``: its kecamatan.
* ``kelurahan``: **approximate desa areas** -- the desa polygons are not in this repository
  (357 MB upstream), so each desa gets the Voronoi cell of its point within its kecamatan
  polygon (computed in metres, in the province's UTM zone).  Every row says so
  (``approximate = True``, ``area_basis``); the desa point itself is kept (``point_lon``,
  ``point_lat``) and is the desa's demand point.
* ``sites``: one PPK site per kecamatan at a point inside the kecamatan -- on its part with the
  most TPS (:func:`ppk_sites`, also the site rule of the national overview), **approximate**, venue unknown; internet is
  *assumed* at every site (the what-if of a programme like DKI's).  A user's sites file replaces
  the default site of every kecamatan it lists.
* ``facilities``: none are known nationally; a user's facilities file is read as in DKI.
* ``tps``: KawalPemilu TPS per desa (a user's TPS file replaces them).
* ``island_group`` of every desa: the land part (of the province's kab/kota polygons) holding
  its point, so that a straight line between two land parts is known to cross the sea.

The unplaced desa of the join report (no polygon upstream) are counted in ``Inputs.notes``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from helpers.core.geo import WGS84, metric_crs
from helpers.core.names import kota_short
from helpers.core.scope import DKI_KODE
from helpers.io.national import join_summary, read_province_part, unit_table

#: ``location_source`` of a default province site.
SITE_SOURCE = "kecamatan_point"
SITE_BASIS = ("approximate: a point inside the kecamatan polygon (on its part with the most TPS); no national list of "
              "PPK recapitulation venues or kantor camat positions exists")
AREA_BASIS = ("approximate: Voronoi cell of the desa point (centroid of the desa polygon) within its kecamatan; the "
              "desa boundary itself is not in this repository")
INTERNET_SOURCE = "assumed: the what-if of a programme like Pemprov DKI's, internet at every PPK site"

def kota_names(kabkota: pd.DataFrame) -> pd.Series:
    """Display name of each kab/kota: the short name ("Bogor") unless two share it in the table,
    then the full name ("Kabupaten Bogor", "Kota Bogor").

    Examples
    --------
    >>> kota_names(pd.DataFrame({"nama": ["Kabupaten Bogor", "Kota Bogor", "Kabupaten Garut"]})).tolist()
    ['Kabupaten Bogor', 'Kota Bogor', 'Garut']
    """
    short = kabkota["nama"].map(kota_short)
    twice = short.duplicated(keep=False)
    return kabkota["nama"].where(twice, short)


def desa_areas(desa: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame, crs: str) -> gpd.GeoSeries:
    """Approximate area of each desa: the Voronoi cell of its point within its own kecamatan.

    Computed in ``crs`` (metres).  A desa whose point lies outside its kecamatan polygon (the
    upstream layers disagree) gets what its cell keeps inside; a cell left empty becomes a 100 m
    disc around the point (so that the desa stays on the map).  Returned in EPSG:4326, aligned
    with ``desa``.
    """
    d = desa.to_crs(crs)
    kec = kecamatan.to_crs(crs).set_index("kode").geometry
    out = np.empty(len(d), dtype=object)
    for code, idx in d.groupby("kecamatan_kode").indices.items():
        poly = kec.get(code)
        pts = d.geometry.values[idx]
        if poly is None or poly.is_empty:
            out[idx] = shapely.buffer(pts, 100.0)
            continue
        if len(idx) == 1:
            out[idx] = [poly]
            continue
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=poly, ordered=True))
        out[idx] = shapely.intersection(cells, poly)
    empty = shapely.is_empty(out) | (shapely.area(out) == 0)
    if empty.any():
        out[empty] = shapely.buffer(d.geometry.values[empty], 100.0)
    return gpd.GeoSeries(out, index=desa.index, crs=crs).to_crs(WGS84)


def land_parts(kabkota: gpd.GeoDataFrame) -> np.ndarray:
    """The separate pieces of land of the kab/kota polygons (islands), largest first."""
    parts = shapely.get_parts(shapely.union_all(kabkota.geometry.values))
    return parts[np.argsort(-shapely.area(parts), kind="stable")]


def island_groups(points, parts: np.ndarray) -> np.ndarray:
    """Land part (index into ``parts``) of each point; the nearest part for a point on none."""
    pts = np.asarray(points)
    tree = shapely.STRtree(parts)
    pi, pj = tree.query(pts, predicate="intersects")
    out = np.full(len(pts), -1, np.int64)
    first = np.unique(pi, return_index=True)
    out[first[0]] = pj[first[1]]
    lost = np.flatnonzero(out < 0)
    if len(lost):
        out[lost] = tree.query_nearest(pts[lost], all_matches=False)[1]
    return out


def ppk_sites(kecamatan: gpd.GeoDataFrame, desa: gpd.GeoDataFrame):
    """Site point and main part of every kecamatan, and the part each desa point lies in.

    The default PPK site of a kecamatan outside DKI, here and in the national overview (notebook 04):
    a point inside the kecamatan (:func:`shapely.point_on_surface`) on its part with the most TPS.

    Returns ``(site_points, site_part, desa_part, desa_kec)``: shapely points (lon/lat), the global
    part number of each site, the part number of each desa (its nearest own part when it lies in
    none) and each desa's kecamatan row index.
    """
    parts, owner = shapely.get_parts(kecamatan.geometry.values, return_index=True)
    dk = pd.Index(kecamatan["kode"]).get_indexer(desa["kecamatan_kode"])
    if (dk < 0).any():
        raise ValueError(f"{int((dk < 0).sum())} desa have no kecamatan in the layer given")
    pts = desa.geometry.values
    di, pj = shapely.STRtree(parts).query(pts, predicate="intersects")
    own = owner[pj] == dk[di]
    order = np.lexsort((pj[own], di[own]))
    di, pj = di[own][order], pj[own][order]
    hit, first = np.unique(di, return_index=True)
    desa_part = np.full(len(pts), -1, np.int64)
    desa_part[hit] = pj[first]  # the lowest-numbered own part that holds the point
    lost = np.flatnonzero(desa_part < 0)
    if len(lost):  # outside every own part: the nearest own part (a ranking only, never a reported distance)
        start, stop = np.searchsorted(owner, dk[lost]), np.searchsorted(owner, dk[lost], side="right")
        n = stop - start
        cand = np.repeat(start - np.cumsum(np.r_[0, n[:-1]]), n) + np.arange(n.sum())
        who = np.repeat(np.arange(len(lost)), n)
        d = pd.Series(shapely.distance(pts[lost][who], parts[cand]))
        desa_part[lost] = cand[d.groupby(who).idxmin().to_numpy()]
    tps = np.bincount(desa_part, weights=desa["tps_total"].to_numpy(float), minlength=len(parts))
    order = np.lexsort((-shapely.area(parts), -tps, owner))  # per kecamatan: most TPS, then largest
    first = np.r_[True, owner[order][1:] != owner[order][:-1]]
    site_part = order[first]
    return shapely.point_on_surface(parts[site_part]), site_part, desa_part, dk


class ProvinceLayers:
    """The reference layers of one province in the shape of the DKI inputs (see the module docstring).

    Attributes: ``kode``, ``nama``, ``crs`` (metric CRS of the province), ``kota``, ``kecamatan``,
    ``kelurahan`` (approximate desa areas), ``tps`` (TPS per desa), ``sites`` (default sites),
    ``land`` (map-ready kab/kota polygons: the land of the sea-crossing rule), ``notes``.
    """

    def __init__(self, kode: str, nama: str, crs: str, kota: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame,
                 kelurahan: gpd.GeoDataFrame, tps: gpd.GeoDataFrame, sites: gpd.GeoDataFrame,
                 land: gpd.GeoDataFrame, notes: list[str]):
        self.kode, self.nama, self.crs = kode, nama, crs
        self.kota, self.kecamatan, self.kelurahan, self.tps, self.sites = kota, kecamatan, kelurahan, tps, sites
        self.land, self.notes = land, notes


def province_layers(kode: str, folder: Path | str | None = None) -> ProvinceLayers:
    """Read the national layer of one province (not DKI Jakarta) and shape it like the DKI inputs.

    Parameters
    ----------
    kode : str
        The province's Kemendagri code (a :class:`~helpers.core.scope.Scope`'s ``provinsi_kode``).
    folder : path-like, optional
        The national layer (default ``data/processed/national``).

    Examples
    --------
    >>> lay = province_layers("82")
    >>> len(lay.kota), len(lay.kecamatan), len(lay.kelurahan), int(lay.tps["tps_total"].sum()), lay.crs
    (10, 118, 1180, 4174, 'EPSG:32652')
    """
    if kode == DKI_KODE:
        raise ValueError("DKI Jakarta has its own layer: use helpers.io.inputs.load_inputs with the DKI scope")
    provinces = unit_table(folder).provinces
    nama = str(provinces.loc[provinces["kode"] == kode, "nama"].iloc[0])
    crs = metric_crs(kode)
    kab = read_province_part("kabkota", kode, folder=folder).sort_values("kode", ignore_index=True)
    kec = read_province_part("kecamatan", kode, folder=folder).sort_values("kode", ignore_index=True)
    desa = read_province_part("desa_tps", kode, folder=folder).sort_values("kode", ignore_index=True)
    land = read_province_part("kabkota_map", kode, ["kode", "geometry", "provinsi_kode"], folder=folder).sort_values(
        "kode", ignore_index=True)[["kode", "geometry"]]
    names = dict(zip(kab["kode"], kota_names(kab)))
    kota = gpd.GeoDataFrame({"kode": kab["kode"], "nama": kab["kode"].map(names), "nama_resmi": kab["nama"],
                             "n_kecamatan": kab["n_kecamatan"], "n_kelurahan": kab["n_desa"],
                             "area_km2": kab["area_km2"]}, geometry=kab.geometry.values, crs=kab.crs)
    kecamatan = gpd.GeoDataFrame({"kode": kec["kode"], "nama": kec["nama"], "kota_kode": kec["kabkota_kode"],
                                  "kota": kec["kabkota_kode"].map(names), "n_kelurahan": kec["n_desa"],
                                  "area_km2": kec["area_km2"]}, geometry=kec.geometry.values, crs=kec.crs)
    kec_name = dict(zip(kec["kode"], kec["nama"]))
    parts = land_parts(kab)
    area = desa_areas(desa, kec, crs)
    kel = gpd.GeoDataFrame({
        "kode": desa["kode"], "kode_kpu": desa["kode_kpu"], "nama": desa["nama"],
        "kecamatan_kode": desa["kecamatan_kode"], "kecamatan": desa["kecamatan_kode"].map(kec_name),
        "kota_kode": desa["kabkota_kode"], "kota": desa["kabkota_kode"].map(names),
        "area_km2": (area.to_crs(crs).area / 1e6).round(3).to_numpy(), "approximate": True,
        "area_basis": AREA_BASIS, "point_lon": desa.geometry.x.round(6), "point_lat": desa.geometry.y.round(6),
        "point_basis": desa["position_basis"],
        "island_group": island_groups(desa.geometry.values, parts).astype(str)}, geometry=area.values, crs=WGS84)
    tps = kel[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]].copy()
    for c in ("tps_total", "tps_reguler", "tps_khusus"):
        tps[c] = desa[c].astype(int).to_numpy()
    tps["tps_khusus_nomor"] = desa["tps_khusus_nomor"].fillna("").to_numpy()
    pts = ppk_sites(kec, desa)[0]
    lon, lat = shapely.get_x(pts).round(6), shapely.get_y(pts).round(6)
    sites = gpd.GeoDataFrame({
        "site_id": "PPK-" + kec["kode"], "kecamatan_kode": kec["kode"], "kecamatan": kec["nama"],
        "kota_kode": kec["kabkota_kode"], "kota": kec["kabkota_kode"].map(names),
        "venue": "PPK " + kec["nama"] + " (venue unknown)", "venue_status": "unknown", "address": "",
        "lon": lon, "lat": lat, "location_source": SITE_SOURCE, "approximate": True, "position_basis": SITE_BASIS,
        "internet": True, "internet_source": INTERNET_SOURCE, "source_note": "", "notes": "",
        "basis_kind": "province_point", "basis_office": "", "basis_place": "", "basis_row": "", "basis_row_word": "",
        "basis_sources": "", "internet_kind": "whatif", "internet_by": "", "internet_detail": "", "internet_date": ""},
        geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    sites["island_group"] = island_groups(sites.geometry.values, parts).astype(str)
    notes = [f"{nama}: {len(kota)} kab/kota, {len(kecamatan)} kecamatan, {len(kel):,} desa/kelurahan, "
             f"{int(tps['tps_total'].sum()):,} TPS placed (national layer); {len(parts)} separate land parts"]
    summary = join_summary(folder)
    row = summary[summary["prov_kode"] == kode]
    if len(row):
        r = row.iloc[0]
        notes.append(f"{nama}: {int(r['desa_unplaced']):,} KawalPemilu desa with {int(r['tps_unplaced']):,} TPS are "
                     f"not placed (no polygon upstream; data/processed/national/join_unplaced_desa.csv) and are in no "
                     f"table or map of this run; placed {int(r['tps_placed']):,} of {int(r['tps_total']):,} TPS")
    for g in (kota, kecamatan, kel, tps, sites):
        g.attrs = {"provinsi_kode": kode, "provinsi": nama}
    return ProvinceLayers(kode, nama, crs, kota, kecamatan, kel, tps, sites, land, notes)
