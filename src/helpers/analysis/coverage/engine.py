"""Coverage of the PPS -> PPK recapitulation network: assignment, distance, load and redundancy.

In Pemilu 2024 the PPS of each kelurahan hands the ballot boxes of its TPS to the PPK
recapitulation site of its own kecamatan.  This module measures that network:

* every demand unit (a kelurahan, see :func:`helpers.analysis.demand.demand_units`) is assigned to the
  site of its own kecamatan by an integer join on the kecamatan code;
* its straight-line distance to that site, and its nearest site *with internet*, are computed in
  metres in UTM 48S (EPSG:32748);
* each site's load is the TPS of the kelurahan assigned to it;
* each site's fallback is the nearest *other* site with internet (where its results could go if
  its own link fails).

Kepulauan Seribu is islands: a straight line from an island crosses the sea, so every pair with
an island end is flagged ``sea_crossing`` and left out of the mainland statistics.

The engine, :func:`assign_core`, is vectorised numpy on projected coordinates (one integer join,
one :class:`scipy.spatial.cKDTree` query per side of the sea); it is the function the national
benchmark calls.  :func:`assign_demand` wraps it for GeoDataFrames; :func:`site_table`,
:func:`kecamatan_table` and :func:`kota_table` (in :mod:`helpers.analysis.coverage.tables`, re-exported
here) roll the results up; :class:`Thresholds` is in :mod:`helpers.analysis.coverage.thresholds`.  Gap
lists, headline figures, files and charts are in :mod:`helpers.analysis.coverage.compute`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from helpers.analysis.coverage.tables import (CONFIRMED_VENUE_STATUS, DKI_LABEL, attributes, kecamatan_table,
    kota_table, nearest_warehouse, ppk_office_known, site_table, venues_confirmed)
from helpers.analysis.coverage.thresholds import OVERLOAD_BASES, Thresholds
from helpers.core.geo import GeographicCRSError, metric_crs, require_projected, xy
from helpers.analysis.sea import SEA_TOLERANCE_M, outside_land_m

__all__ = ["CONFIRMED_VENUE_STATUS", "DKI_LABEL", "OVERLOAD_BASES", "Thresholds", "assign_core", "assign_demand",
           "attributes", "kecamatan_table", "kota_table", "nearest_warehouse", "ppk_office_known", "project_inputs",
           "sea_crossings", "site_island_flags", "site_table", "venues_confirmed"]


# ---------------------------------------------------------------------------------------------
# engine on arrays
# ---------------------------------------------------------------------------------------------
def _check_metres(arr: np.ndarray, what: str) -> np.ndarray:
    arr = np.asarray(arr, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{what} must be an (n, 2) array of x, y metres, got shape {arr.shape}")
    if len(arr) and np.abs(arr[:, 0]).max() <= 180 and np.abs(arr[:, 1]).max() <= 90:
        raise GeographicCRSError(f"{what} look like lon/lat degrees; project them to metres first "
                                 "(e.g. EPSG:32748 with helpers.core.geo.to_utm)")
    return arr


def _nearest(tree_ids: np.ndarray, tree: cKDTree | None, pts: np.ndarray, workers: int):
    if tree is None or len(pts) == 0:
        return np.full(len(pts), -1, np.int64), np.full(len(pts), np.nan)
    d, i = tree.query(pts, k=1, workers=workers)
    return tree_ids[i], d


def assign_core(demand_xy, demand_kec, site_xy, site_kec, site_internet, *, demand_weight=None,
                demand_island=None, site_island=None, workers: int = 1) -> dict[str, np.ndarray]:
    """Assign demand points to their own kecamatan's site; nearest internet site; site fallbacks.

    This is the array-level engine (stable signature, used by the national benchmark).  No
    Python loop runs per point: the own-site join is an integer lookup, nearest sites come from
    one :class:`scipy.spatial.cKDTree` query per side of the sea, loads from ``np.bincount``.

    Parameters
    ----------
    demand_xy : (n, 2) array of float
        Demand point coordinates in metres of a projected CRS (EPSG:32748 for Indonesia west
        of 108 E).  Arrays that look like lon/lat degrees are refused.
    demand_kec : (n,) array of int
        Kecamatan index of each demand point (any non-negative integer code; -1 = unknown).
    site_xy : (m, 2) array of float
        Site coordinates, same CRS.
    site_kec : (m,) array of int
        Kecamatan index of each site; at most one site per kecamatan (else ``ValueError``).
    site_internet : (m,) array of bool
        Whether the site has internet.
    demand_weight : (n,) array, optional
        Weight of each demand point (TPS); default 1.
    demand_island, site_island : (n,) / (m,) array of bool, optional
        Island flags.  Mainland demand and mainland sites only look for mainland internet
        sites; island ones look at all internet sites.  Default: everything is mainland.
    workers : int, default 1
        Passed to :meth:`scipy.spatial.cKDTree.query` (-1 = all cores).

    Returns
    -------
    dict of numpy arrays
        Per demand point (length n): ``own_site`` (site index, -1 if its kecamatan has no site),
        ``own_dist_m`` (NaN without a site), ``nearest_internet_site`` (-1 if none),
        ``nearest_internet_dist_m``, ``nearest_is_own`` (bool), ``sea_crossing`` (bool: the
        demand point or its own site is on an island).
        Per site (length m): ``site_load`` (sum of weights assigned), ``site_n_demand``,
        ``fallback_site`` (nearest other internet site, -1 if none), ``fallback_dist_m``,
        ``site_sea_crossing`` (the site or its fallback is on an island).

    Examples
    --------
    >>> r = assign_core([[700_000, 9_300_000], [703_000, 9_304_000]], [0, 1],
    ...                 [[700_000, 9_300_000], [706_000, 9_308_000]], [0, 1], [True, True])
    >>> r["own_site"].tolist(), r["own_dist_m"].tolist(), r["fallback_dist_m"].tolist()
    ([0, 1], [0.0, 5000.0], [10000.0, 10000.0])
    >>> r["nearest_internet_site"].tolist(), r["nearest_is_own"].tolist()
    ([0, 0], [True, False])
    """
    dxy = _check_metres(demand_xy, "demand coordinates")
    sxy = _check_metres(site_xy, "site coordinates")
    dk = np.asarray(demand_kec, dtype=np.int64)
    sk = np.asarray(site_kec, dtype=np.int64)
    inet = np.asarray(site_internet, dtype=bool)
    n, m = len(dxy), len(sxy)
    if len(dk) != n or len(sk) != m or len(inet) != m:
        raise ValueError("demand_kec must match demand_xy, site_kec and site_internet must match site_xy")
    if (sk < 0).any():
        raise ValueError("site_kec must be non-negative kecamatan indices")
    uniq, counts = np.unique(sk, return_counts=True)
    if (counts > 1).any():
        raise ValueError(f"more than one site for kecamatan index(es) {uniq[counts > 1][:5].tolist()}")
    d_isl = np.zeros(n, bool) if demand_island is None else np.asarray(demand_island, dtype=bool)
    s_isl = np.zeros(m, bool) if site_island is None else np.asarray(site_island, dtype=bool)

    # own site: integer join kecamatan -> site
    size = int(max(dk.max(initial=-1), sk.max(initial=-1))) + 1
    lookup = np.full(size + 1, -1, np.int64)  # last slot answers kec == -1
    lookup[sk] = np.arange(m)
    own = lookup[np.where(dk >= 0, dk, size)]
    has = own >= 0
    own_safe = np.where(has, own, 0)
    if m:
        delta = dxy - sxy[own_safe]
        own_dist = np.sqrt(delta[:, 0] * delta[:, 0] + delta[:, 1] * delta[:, 1])
    else:
        own_dist = np.zeros(n)
    own_dist = np.where(has, own_dist, np.nan)

    # nearest internet site: mainland points see mainland sites, island points see all
    ids_all = np.flatnonzero(inet)
    ids_main = ids_all[~s_isl[ids_all]]
    tree_all = cKDTree(sxy[ids_all]) if len(ids_all) else None
    tree_main = (tree_all if len(ids_main) == len(ids_all)
                 else cKDTree(sxy[ids_main]) if len(ids_main) else None)
    if d_isl.any():
        near = np.full(n, -1, np.int64)
        near_d = np.full(n, np.nan)
        for mask, ids, tree in ((~d_isl, ids_main, tree_main), (d_isl, ids_all, tree_all)):
            near[mask], near_d[mask] = _nearest(ids, tree, dxy[mask], workers)
    else:
        near, near_d = _nearest(ids_main, tree_main, dxy, workers)

    # fallback of each site: nearest *other* internet site (same rule for the sea)
    fb = np.full(m, -1, np.int64)
    fb_d = np.full(m, np.nan)
    for mask, ids, tree in ((~s_isl, ids_main, tree_main), (s_isl, ids_all, tree_all)):
        sel = np.flatnonzero(mask)
        if tree is None or not len(sel):
            continue
        k = min(2, len(ids))
        d, i = tree.query(sxy[sel], k=2, workers=workers) if k == 2 else tree.query(sxy[sel], k=[1])
        d, i = np.atleast_2d(d), np.atleast_2d(i)
        ids_ext = np.append(ids, -1)
        cand = ids_ext[np.minimum(i, len(ids))]
        first_is_self = cand[:, 0] == sel
        pick = np.where(first_is_self, cand[:, -1] if k == 2 else -1, cand[:, 0])
        pick_d = np.where(first_is_self, d[:, -1] if k == 2 else np.inf, d[:, 0])
        pick_d = np.where((pick < 0) | ~np.isfinite(pick_d), np.nan, pick_d)
        fb[sel], fb_d[sel] = np.where(np.isnan(pick_d), -1, pick), pick_d

    weight = np.ones(n) if demand_weight is None else np.asarray(demand_weight, dtype=float)
    load = np.bincount(own[has], weights=weight[has], minlength=m)[:m]
    n_dem = np.bincount(own[has], minlength=m)[:m]
    return {
        "own_site": own,
        "own_dist_m": own_dist,
        "nearest_internet_site": near,
        "nearest_internet_dist_m": near_d,
        "nearest_is_own": has & (near == own),
        "sea_crossing": d_isl | (has & s_isl[own_safe] if m else np.zeros(n, bool)),
        "site_load": load,
        "site_n_demand": n_dem,
        "fallback_site": fb,
        "fallback_dist_m": fb_d,
        "site_sea_crossing": s_isl | ((fb >= 0) & s_isl[np.maximum(fb, 0)] if m else np.zeros(m, bool)),
    }


# ---------------------------------------------------------------------------------------------
# GeoDataFrame level
# ---------------------------------------------------------------------------------------------
def site_island_flags(sites: pd.DataFrame, demand: pd.DataFrame) -> np.ndarray:
    """Island flag of each site: its own ``island`` column, else whether its kecamatan is insular."""
    if "island" in sites.columns:
        return sites["island"].astype(bool).to_numpy()
    island_kec = set(demand.loc[demand["island"].astype(bool), "kecamatan_kode"])
    return sites["kecamatan_kode"].isin(island_kec).to_numpy()


def assign_demand(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, workers: int = 1,
                  land: gpd.GeoDataFrame | None = None, kecamatan: gpd.GeoDataFrame | None = None):
    """Assign every kelurahan to its own kecamatan's site and measure distances.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand points in a projected CRS in metres (see :func:`helpers.core.geo.to_utm`) with
        ``kode, nama, kecamatan_kode, tps_total, island`` (as from
        :func:`helpers.analysis.demand.demand_units`).
    sites : GeoDataFrame
        Recap sites in the same CRS with ``site_id, kecamatan_kode, internet, approximate``.
    land, kecamatan : GeoDataFrame, optional
        Outside DKI: the land polygons (kab/kota) and the kecamatan polygons.  Then a line (a desa
        to its site, a site to its fallback) crosses the sea by the rule of :mod:`helpers.analysis.sea`
        instead of by the island flags.

    Returns
    -------
    (GeoDataFrame, GeoDataFrame)
        ``demand`` with ``site_id`` ("" without a site), ``site_internet``,
        ``site_approximate``, ``distance_m``, ``nearest_internet_site_id``,
        ``nearest_internet_distance_m``, ``nearest_is_own``, ``nearest_not_own`` (has a site and
        a different internet site is nearer), ``sea_crossing``; and ``sites`` with ``island``,
        ``n_kelurahan``, ``tps_load``, ``fallback_site_id``, ``fallback_distance_m``,
        ``sea_crossing``.

    Raises
    ------
    helpers.core.geo.GeographicCRSError
        If either layer is in degrees.
    """
    require_projected(demand, "demand units")
    require_projected(sites, "recap sites")
    if demand.crs != sites.crs:
        raise GeographicCRSError(f"demand ({demand.crs}) and sites ({sites.crs}) are in different CRS")
    cats = pd.Index(sorted(set(demand["kecamatan_kode"]) | set(sites["kecamatan_kode"])))
    s_isl = site_island_flags(sites, demand)
    core = assign_core(xy(demand), cats.get_indexer(demand["kecamatan_kode"]), xy(sites),
                       cats.get_indexer(sites["kecamatan_kode"]), sites["internet"].astype(bool).to_numpy(),
                       demand_weight=demand["tps_total"].to_numpy(), demand_island=demand["island"].to_numpy(),
                       site_island=s_isl, workers=workers)
    ids = np.append(sites["site_id"].astype(str).to_numpy(), "")  # index -1 -> ""
    own, near = core["own_site"], core["nearest_internet_site"]
    d = demand.copy()
    d["site_id"] = ids[own]
    d["site_internet"] = np.append(sites["internet"].astype(bool).to_numpy(), False)[own]
    d["site_approximate"] = np.append(sites["approximate"].astype(bool).to_numpy(), False)[own]
    d["distance_m"] = core["own_dist_m"]
    d["nearest_internet_site_id"] = ids[near]
    d["nearest_internet_distance_m"] = core["nearest_internet_dist_m"]
    d["nearest_is_own"] = core["nearest_is_own"]
    d["nearest_not_own"] = (own >= 0) & (near >= 0) & ~core["nearest_is_own"]
    d["sea_crossing"] = core["sea_crossing"]
    s = sites.copy()
    s["island"] = s_isl
    s["n_kelurahan"] = core["site_n_demand"]
    s["tps_load"] = core["site_load"].astype(int)
    s["fallback_site_id"] = ids[core["fallback_site"]]
    s["fallback_distance_m"] = core["fallback_dist_m"]
    s["sea_crossing"] = core["site_sea_crossing"]
    if land is not None and kecamatan is not None:
        d["sea_crossing"], s["sea_crossing"] = sea_crossings(d, s, core, land, kecamatan)
    return d, s


def sea_crossings(d: gpd.GeoDataFrame, s: gpd.GeoDataFrame, core: dict, land: gpd.GeoDataFrame,
                  kecamatan: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sea-crossing flags of every desa -> own site line and every site -> fallback line by the rule
    of :mod:`helpers.analysis.sea` (more than ``SEA_TOLERANCE_M`` outside the land)."""

    dll, sll = d.geometry.to_crs(4326).to_numpy(), s.geometry.to_crs(4326).to_numpy()
    kec = kecamatan.to_crs(4326).set_index("kode").geometry
    land_g = land.to_crs(4326).geometry.to_numpy()
    own, fb = core["own_site"], core["fallback_site"]
    d_sea = np.zeros(len(d), bool)
    has = own >= 0
    if has.any():
        poly = kec.reindex(d["kecamatan_kode"].to_numpy()[has]).to_numpy()
        d_sea[has] = outside_land_m(dll[has], sll[own[has]], poly, land_g, core["own_dist_m"][has]) > SEA_TOLERANCE_M
    s_sea = np.zeros(len(s), bool)
    has = fb >= 0
    if has.any():
        poly = kec.reindex(s["kecamatan_kode"].to_numpy()[has]).to_numpy()
        s_sea[has] = outside_land_m(sll[has], sll[fb[has]], poly, land_g, core["fallback_dist_m"][has]) > SEA_TOLERANCE_M
    return d_sea, s_sea


def project_inputs(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame):
    """Both layers in the UTM zone of their province (:func:`helpers.core.geo.metric_crs`; DKI: UTM 48S,
    EPSG:32748), ready for :func:`assign_demand`."""
    crs = metric_crs(demand)
    return demand.to_crs(crs), sites.to_crs(crs)
