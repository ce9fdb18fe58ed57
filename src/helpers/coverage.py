"""Coverage of the PPS -> PPK recapitulation network: assignment, distance, load and redundancy.

In Pemilu 2024 the PPS of each kelurahan hands the ballot boxes of its TPS to the PPK
recapitulation site of its own kecamatan.  This module measures that network:

* every demand unit (a kelurahan, see :func:`helpers.demand.demand_units`) is assigned to the
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
:func:`kecamatan_table` and :func:`kota_table` roll the results up.  Gap lists, headline figures,
files and charts are in :mod:`helpers.coverage_report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .geo import GeographicCRSError, metric_crs, require_projected, xy
from .names import KEPULAUAN_SERIBU
from .schema import PPK_OFFICE_TYPES

#: Label of the all-DKI row of :func:`kota_table`.
DKI_LABEL = "DKI Jakarta"


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the coverage checks; every gap in the gap list compares a value with one.

    Parameters
    ----------
    max_distance_km : float, default 5.0
        A kelurahan whose PPS office lies farther than this (straight line) from the PPK site of
        its kecamatan is a gap (``far_from_ppk``).  5 km is a long trip for ballot boxes in
        Jakarta traffic on the night after polling; the largest mainland kecamatan are ~6-8 km
        across.  Distances exactly equal to the threshold are within it.
    fallback_max_km : float, default 5.0
        A site whose nearest *other* site with internet (its fallback if its own link fails) is
        farther than this is a gap (``weak_fallback``); so is a site with no such fallback.
    overload_ratio : float, default 1.5
        A site whose load (TPS of the kelurahan it serves) is more than this multiple of the mean
        load is a gap (``overloaded_site``); the mean of which sites is ``overload_basis``.
    overload_basis : {"kota", "dki"}, default "kota"
        ``"kota"``: the mean of the sites of the site's own kota (a site is judged against its
        neighbours; Kemayoran, 701 TPS, is overloaded in Jakarta Pusat whose sites average 391);
        ``"dki"``: the mean of all sites of the province (699 TPS).  Both counts are always
        reported (``n_sites_overloaded_kota``, ``n_sites_overloaded_dki``); the basis chooses
        which sites become gaps.
    max_tps_per_site : int or None, default None
        Optional absolute ceiling on TPS per site (``tps_ceiling`` gap); ``None`` disables it.

    Examples
    --------
    >>> Thresholds().max_distance_km, Thresholds(overload_ratio=2).overload_ratio
    (5.0, 2)
    """

    max_distance_km: float = 5.0
    fallback_max_km: float = 5.0
    overload_ratio: float = 1.5
    max_tps_per_site: int | None = None
    overload_basis: str = "kota"

    def __post_init__(self):
        if self.overload_basis not in OVERLOAD_BASES:
            raise ValueError(f"overload_basis must be one of {', '.join(OVERLOAD_BASES)}, not {self.overload_basis!r}")
        for name in ("max_distance_km", "fallback_max_km", "overload_ratio"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ValueError(f"threshold {name} must be a number > 0, not {value!r}")
        ceiling = self.max_tps_per_site
        if ceiling is not None and (isinstance(ceiling, bool) or not isinstance(ceiling, (int, float))
                                    or not ceiling > 0):
            raise ValueError(f"threshold max_tps_per_site must be a number > 0 or None, not {ceiling!r}")

    def as_dict(self) -> dict:
        """Thresholds as a flat dict (for the headline-figures JSON)."""
        return asdict(self)


#: Bases of the overload rule (see :class:`Thresholds`).
OVERLOAD_BASES = ("kota", "dki")


# ---------------------------------------------------------------------------------------------
# engine on arrays
# ---------------------------------------------------------------------------------------------
def _check_metres(arr: np.ndarray, what: str) -> np.ndarray:
    arr = np.asarray(arr, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{what} must be an (n, 2) array of x, y metres, got shape {arr.shape}")
    if len(arr) and np.abs(arr[:, 0]).max() <= 180 and np.abs(arr[:, 1]).max() <= 90:
        raise GeographicCRSError(f"{what} look like lon/lat degrees; project them to metres first "
                                 "(e.g. EPSG:32748 with helpers.geo.to_utm)")
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
        Demand points in a projected CRS in metres (see :func:`helpers.geo.to_utm`) with
        ``kode, nama, kecamatan_kode, tps_total, island`` (as from
        :func:`helpers.demand.demand_units`).
    sites : GeoDataFrame
        Recap sites in the same CRS with ``site_id, kecamatan_kode, internet, approximate``.
    land, kecamatan : GeoDataFrame, optional
        Outside DKI: the land polygons (kab/kota) and the kecamatan polygons.  Then a line (a desa
        to its site, a site to its fallback) crosses the sea by the rule of :mod:`helpers.sea`
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
    helpers.geo.GeographicCRSError
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
    of :mod:`helpers.sea` (more than ``SEA_TOLERANCE_M`` outside the land)."""
    from .sea import SEA_TOLERANCE_M, outside_land_m

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


# ---------------------------------------------------------------------------------------------
# roll-ups
# ---------------------------------------------------------------------------------------------
def attributes(df: pd.DataFrame) -> pd.DataFrame:
    """Plain DataFrame without the geometry column (roll-ups on attributes are much faster)."""
    return pd.DataFrame(df.drop(columns=getattr(df, "_geometry_column_name", "geometry"), errors="ignore"))


def site_table(sites: pd.DataFrame, th: Thresholds) -> pd.DataFrame:
    """Add load and redundancy flags to the sites returned by :func:`assign_demand`.

    ``load_ratio_kota`` / ``load_ratio_dki`` are the site's TPS load over the mean load of the
    sites of its kota / of all sites; ``overloaded_kota`` / ``overloaded_dki`` compare them with
    ``th.overload_ratio``; ``load_ratio`` and ``overloaded`` are those of ``th.overload_basis``;
    ``weak_fallback`` is a mainland site whose fallback is farther than ``th.fallback_max_km``
    or missing.  Island sites' fallbacks cross the sea and are reported in the sea-crossing table.
    """
    s = sites.copy()
    mean = s.groupby("kota_kode")["tps_load"].transform("mean")
    s["load_ratio_kota"] = (s["tps_load"] / mean.where(mean > 0)).round(6)
    dki = s["tps_load"].mean() if len(s) else np.nan
    s["load_ratio_dki"] = (s["tps_load"] / dki).round(6) if dki and dki > 0 else np.nan
    s["overloaded_kota"] = s["load_ratio_kota"] > th.overload_ratio
    s["overloaded_dki"] = s["load_ratio_dki"] > th.overload_ratio
    s["load_ratio"] = s[f"load_ratio_{th.overload_basis}"]
    s["overloaded"] = s[f"overloaded_{th.overload_basis}"]
    s["over_ceiling"] = (s["tps_load"] > th.max_tps_per_site) if th.max_tps_per_site is not None else False
    far = ~(s["fallback_distance_m"] <= th.fallback_max_km * 1000)  # NaN (no fallback) counts as far
    s["weak_fallback"] = far & ~s["sea_crossing"]
    return s


#: ``venue_status`` values for which a source names the building as the recap venue: reported as
#: held, agreed in an official statement, or given in the user's own list.
CONFIRMED_VENUE_STATUS = ("held", "agreed", "user_file")


def venues_confirmed(sites: pd.DataFrame) -> pd.Series:
    """Whether a source names each site's building as its recap venue (not merely assumed).

    A kantor camat taken as the venue because it is the PPK secretariat is *assumed*, not confirmed;
    so is a venue that is only planned.  A user's file that names a venue confirms it.

    Examples
    --------
    >>> s = pd.DataFrame({"venue_status": ["assumed", "held", "user_file", "planned"],
    ...                   "venue": ["Kantor Kecamatan A", "GOR B", "(venue not given)", "Aula C"]})
    >>> venues_confirmed(s).tolist()
    [False, True, False, False]
    """
    if "venue_status" not in sites.columns:
        return pd.Series(False, index=sites.index)
    named = ~sites["venue"].astype(str).str.startswith("(") if "venue" in sites.columns else True
    return sites["venue_status"].isin(CONFIRMED_VENUE_STATUS) & named


def nearest_warehouse(sites: gpd.GeoDataFrame, facilities: pd.DataFrame | None) -> pd.DataFrame:
    """For each site, the nearest warehouse (facility type ``warehouse``) and its straight-line distance.

    Distances in metres in the sites' UTM zone (DKI: 48S).  ``warehouse_sea_crossing`` is set when one end lies in
    Kepulauan Seribu and the other does not, or both do in different kelurahan (a boat trip).
    Columns: ``nearest_warehouse_id``, ``nearest_warehouse``, ``nearest_warehouse_km``,
    ``warehouse_approximate``, ``warehouse_sea_crossing`` (empty / NaN without any warehouse).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> s = gpd.GeoDataFrame({"kota_kode": ["31.71"]}, geometry=[Point(700000, 9300000)], crs="EPSG:32748")
    >>> w = gpd.GeoDataFrame({"facility_id": ["G1"], "name": ["Gudang"], "facility_type": ["warehouse"],
    ...                       "kota_kode": ["31.71"]}, geometry=[Point(703000, 9304000)], crs="EPSG:32748")
    >>> nearest_warehouse(s, w)["nearest_warehouse_km"].tolist()
    [5.0]
    """
    out = pd.DataFrame(index=sites.index, data={"nearest_warehouse_id": "", "nearest_warehouse": "",
                                                "nearest_warehouse_km": np.nan, "warehouse_approximate": False,
                                                "warehouse_sea_crossing": False})
    if (not isinstance(facilities, gpd.GeoDataFrame) or facilities.crs is None
            or "facility_type" not in facilities.columns or not len(sites)):
        return out  # a table without positions: no distance can be measured
    kind = facilities["facility_type"].astype(str).str.contains("warehouse|gudang", case=False)
    wh = facilities[kind & facilities.geometry.notna() & ~facilities.geometry.is_empty]
    if not len(wh):
        return out
    crs = metric_crs(sites)
    wh_utm = gpd.GeoDataFrame(wh, geometry="geometry", crs=facilities.crs).to_crs(crs)
    s_utm = sites.to_crs(crs)
    has = s_utm.geometry.notna() & ~s_utm.geometry.is_empty
    dist, idx = cKDTree(xy(wh_utm)).query(xy(s_utm[has]))
    w = wh_utm.iloc[idx]
    out.loc[has, "nearest_warehouse_id"] = w["facility_id"].astype(str).to_numpy()
    out.loc[has, "nearest_warehouse"] = w["name"].astype(str).to_numpy()
    out.loc[has, "nearest_warehouse_km"] = np.round(dist / 1000, 3)
    if "approximate" in w.columns:
        out.loc[has, "warehouse_approximate"] = w["approximate"].fillna(False).astype(bool).to_numpy()
    site_island = s_utm.loc[has, "kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy()
    wh_island = (w["kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy() if "kota_kode" in w.columns
                 else np.zeros(len(w), bool))
    same_kel = ((s_utm.loc[has, "kelurahan_kode"].to_numpy() == w["kelurahan_kode"].to_numpy())
                if "kelurahan_kode" in s_utm.columns and "kelurahan_kode" in w.columns else np.zeros(len(w), bool))
    out.loc[has, "warehouse_sea_crossing"] = (site_island != wh_island) | (site_island & wh_island & ~same_kel)
    return out


def ppk_office_known(kecamatan_kode: pd.Series, facilities: pd.DataFrame | None) -> pd.Series:
    """Whether an active PPK office point (*kantor camat* or a PPK secretariat) is known for each kecamatan."""
    if facilities is None or "kecamatan_kode" not in facilities.columns:
        return pd.Series(False, index=kecamatan_kode.index)
    f = facilities[facilities["facility_type"].isin(PPK_OFFICE_TYPES)]
    if "status" in f.columns:
        f = f[f["status"].fillna("active").eq("active")]
    return kecamatan_kode.isin(set(f["kecamatan_kode"].dropna()))


def kecamatan_table(kecamatan: gpd.GeoDataFrame, kel: pd.DataFrame, sites: pd.DataFrame,
                    facilities: pd.DataFrame | None, th: Thresholds) -> gpd.GeoDataFrame:
    """One row per kecamatan: site, internet, office, load and distance measures (polygons kept)."""
    max_m = th.max_distance_km * 1000
    kel, sites = attributes(kel), attributes(sites)
    k = kecamatan[["kode", "nama", "kota_kode", "kota", "geometry"]].rename(
        columns={"kode": "kecamatan_kode", "nama": "kecamatan"}).copy()
    main = kel[~kel["sea_crossing"]]
    g = kel.groupby("kecamatan_kode")
    gm = main[main["site_id"] != ""].groupby("kecamatan_kode")["distance_m"]
    k["island"] = k["kecamatan_kode"].map(g["island"].any()).fillna(False).astype(bool)
    k["n_kelurahan"] = k["kecamatan_kode"].map(g.size()).fillna(0).astype(int)
    k["tps"] = k["kecamatan_kode"].map(g["tps_total"].sum()).fillna(0).astype(int)
    st = sites.set_index("kecamatan_kode")
    k["has_site"] = k["kecamatan_kode"].isin(st.index)
    k["site_id"] = k["kecamatan_kode"].map(st["site_id"]).fillna("")
    for col, src in (("site_internet", "internet"), ("site_approximate", "approximate"),
                     ("overloaded", "overloaded"), ("weak_fallback", "weak_fallback")):
        k[col] = k["kecamatan_kode"].map(st[src]).fillna(False).astype(bool)
    k["tps_load"] = k["kecamatan_kode"].map(st["tps_load"])
    k["load_ratio"] = k["kecamatan_kode"].map(st["load_ratio"])
    k["fallback_distance_km"] = (k["kecamatan_kode"].map(st["fallback_distance_m"]) / 1000).round(3)
    k["ppk_office_known"] = ppk_office_known(k["kecamatan_kode"], facilities)
    k["distance_median_km"] = (k["kecamatan_kode"].map(gm.median()) / 1000).round(3)
    k["distance_max_km"] = (k["kecamatan_kode"].map(gm.max()) / 1000).round(3)
    k["n_kelurahan_beyond_max"] = k["kecamatan_kode"].map(
        main.assign(b=main["distance_m"] > max_m).groupby("kecamatan_kode")["b"].sum()).fillna(0).astype(int)
    k["n_kelurahan_nearest_not_own"] = k["kecamatan_kode"].map(
        main.groupby("kecamatan_kode")["nearest_not_own"].sum()).fillna(0).astype(int)
    k["n_kelurahan_without_pps_office"] = k["kecamatan_kode"].map(
        g["approximate"].sum()).fillna(0).astype(int)
    return gpd.GeoDataFrame(k.sort_values("kecamatan_kode", ignore_index=True), geometry="geometry",
                            crs=kecamatan.crs)


def _kota_row(kel: pd.DataFrame, sites: pd.DataFrame, kec: pd.DataFrame, th: Thresholds) -> dict:
    max_m = th.max_distance_km * 1000
    main = kel[~kel["sea_crossing"]]
    dist = main.loc[main["site_id"] != "", "distance_m"].to_numpy()
    load = sites["tps_load"].to_numpy()
    mean = load.mean() if len(load) else np.nan
    main_tps = main["tps_total"].sum()
    within = main.loc[main["distance_m"] <= max_m, "tps_total"].sum()
    fb = sites.loc[~sites["sea_crossing"], "fallback_distance_m"].dropna().to_numpy()

    def km(v):
        return round(float(v) / 1000, 3) if np.isfinite(v) else np.nan

    return {
        "n_kecamatan": len(kec), "n_sites": len(sites), "n_sites_internet": int(sites["internet"].sum()),
        "n_sites_position_known": int((~sites["approximate"].astype(bool)).sum()),
        "n_venues_confirmed": int(venues_confirmed(sites).sum()),
        "n_kecamatan_without_site": int((~kec["has_site"]).sum()),
        "n_kelurahan": len(kel), "tps": int(kel["tps_total"].sum()),
        "tps_per_site_mean": round(float(mean), 3) if len(load) else np.nan,
        "tps_per_site_max": int(load.max()) if len(load) else np.nan,
        "tps_per_site_max_mean": round(float(load.max() / mean), 4) if len(load) and mean > 0 else np.nan,
        "n_sites_overloaded": int(sites["overloaded"].sum()),
        "n_sites_overloaded_kota": int(sites["overloaded_kota"].sum()) if "overloaded_kota" in sites else 0,
        "n_sites_overloaded_dki": int(sites["overloaded_dki"].sum()) if "overloaded_dki" in sites else 0,
        "n_sites_over_ceiling": int(np.asarray(sites["over_ceiling"]).sum()),
        "distance_median_km": km(np.median(dist)) if len(dist) else np.nan,
        "distance_p95_km": km(np.percentile(dist, 95)) if len(dist) else np.nan,
        "distance_max_km": km(dist.max()) if len(dist) else np.nan,
        "n_kelurahan_beyond_max": int((main["distance_m"] > max_m).sum()),
        "share_tps_within_max": round(float(within / main_tps), 4) if main_tps else np.nan,
        "n_kelurahan_nearest_not_own": int(main["nearest_not_own"].sum()),
        "fallback_median_km": km(np.median(fb)) if len(fb) else np.nan,
        "fallback_max_km": km(fb.max()) if len(fb) else np.nan,
        "n_sites_weak_fallback": int(sites["weak_fallback"].sum()),
        "n_kelurahan_sea_crossing": int(kel["sea_crossing"].sum()),
        "n_kelurahan_without_pps_office": int(kel["approximate"].sum()),
        "n_kecamatan_without_ppk_office": int((~kec["ppk_office_known"]).sum()),
    }


def kota_table(kel: pd.DataFrame, sites: pd.DataFrame, kec: pd.DataFrame, th: Thresholds,
               dpt: pd.DataFrame | None = None, warehouses_known: dict | None = None,
               total: bool = True, area: tuple[str, str] = ("31", DKI_LABEL)) -> pd.DataFrame:
    """Measures per kota, plus a row for the whole area (``area``: code and label, DKI Jakarta by
    default, the province outside DKI) when ``total``.

    Distance statistics are over mainland kelurahan that have a site (``sea_crossing`` rows
    excluded); the share of TPS within ``max_distance_km`` is over all mainland TPS (a kelurahan
    without a site is not within reach).  Overload is judged against the kota mean in every row.
    """
    rows = []
    kel, sites, kec = attributes(kel), attributes(sites), attributes(kec)
    kotas = kec[["kota_kode", "kota"]].drop_duplicates().sort_values("kota_kode")
    groups = [(r.kota_kode, r.kota, [r.kota_kode]) for r in kotas.itertuples()]
    if total:
        groups.append((area[0], area[1], list(kotas["kota_kode"])))
    dpt_by = {}
    if dpt is not None:
        col = "kota_kode" if "kota_kode" in dpt.columns else None
        dpt_by = dict(zip(dpt[col], dpt["dpt"])) if col else {}
    wh = warehouses_known or {}
    for code, name, members in groups:
        row = {"kota_kode": code, "kota": name}
        row.update(_kota_row(kel[kel["kota_kode"].isin(members)], sites[sites["kota_kode"].isin(members)],
                             kec[kec["kota_kode"].isin(members)], th))
        row["dpt"] = int(sum(dpt_by.get(c, 0) for c in members)) if dpt_by else np.nan
        row["n_warehouse_positions_known"] = int(sum(wh.get(c, 0) for c in members))
        rows.append(row)
    return pd.DataFrame(rows)


def project_inputs(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame):
    """Both layers in the UTM zone of their province (:func:`helpers.geo.metric_crs`; DKI: UTM 48S,
    EPSG:32748), ready for :func:`assign_demand`."""
    crs = metric_crs(demand)
    return demand.to_crs(crs), sites.to_crs(crs)
