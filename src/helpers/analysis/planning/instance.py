"""The planning instance: demand, sites and candidates projected once, with their distance matrices.

Distances are straight lines in metres in UTM 48S (EPSG:32748) in DKI, in the UTM zone of the
province elsewhere.  In Kepulauan Seribu every island kelurahan is its own island group; outside
DKI every separate piece of land is (:mod:`helpers.io.province`): a site or candidate only covers
kelurahan of the same island group (a pair across the sea gets distance ``inf``).  A site's or
candidate's island group is that of the kelurahan it lies in (or the nearest).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.core.geo import UTM48S, metric_crs, require_projected, xy
from helpers.core.names import KEPULAUAN_SERIBU
from helpers.core.scope import Scope
from helpers.io.units import layer_area

#: Default planning radius (km): 77.5 % of mainland kelurahan have an internet site this close.
DEFAULT_RADIUS_KM = 2.0
#: A candidate closer than this to an existing site (same island group) adds no independent site.
MIN_SEPARATION_M = 100.0
#: Facility types used as default candidates (the PPS and PPK secretariats).
CANDIDATE_TYPES = ("kantor_lurah", "kantor_camat")


class PlanningError(ValueError):
    """A planning input cannot be used (the message says what to change)."""


def default_candidates(facilities: gpd.GeoDataFrame, kelurahan: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Active kantor lurah and kantor camat points (the default candidate buildings).

    Parameters
    ----------
    facilities : GeoDataFrame
        Facility points as from :func:`helpers.io.inputs.load_facilities` (``facility_type`` and,
        optionally, ``status``; a missing status counts as active).
    kelurahan : GeoDataFrame, optional
        Outside DKI (desa areas from :mod:`helpers.io.province`, with ``point_lon``/``point_lat``):
        when ``facilities`` hold no office point, the desa points are the candidates, flagged
        approximate (a backup point "in desa X", its building still to be chosen).

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of ``facilities`` whose type is one of :data:`CANDIDATE_TYPES`, active; or the
        desa points (``facility_type = "desa_point"``, ``approximate = True``).

    Examples
    --------
    >>> from helpers.io.inputs import load_facilities
    >>> c = default_candidates(load_facilities())
    >>> sorted(c["facility_type"].unique()), len(c)
    (['kantor_camat', 'kantor_lurah'], 284)
    """
    keep = facilities["facility_type"].isin(CANDIDATE_TYPES)
    if "status" in facilities.columns:
        keep &= facilities["status"].fillna("active").eq("active")
    if not keep.any() and kelurahan is not None and "point_lon" in kelurahan.columns:
        return gpd.GeoDataFrame({
            "facility_id": "DESA-" + kelurahan["kode"].astype(str), "name": "Desa " + kelurahan["nama"].astype(str),
            "facility_type": "desa_point", "status": "active", "approximate": True,
            "position_basis": "approximate: the desa point (centroid of the desa polygon); the building is to be chosen"},
            geometry=gpd.points_from_xy(kelurahan["point_lon"], kelurahan["point_lat"]), crs="EPSG:4326")
    return facilities[keep].copy()


def distance_matrix(a_xy: np.ndarray, b_xy: np.ndarray, a_group: np.ndarray | None = None,
                    b_group: np.ndarray | None = None) -> np.ndarray:
    """Straight-line distances (metres) from projected points ``a_xy`` to ``b_xy``.

    Parameters
    ----------
    a_xy, b_xy : ndarray
        Projected coordinates in metres, shape ``(n, 2)`` and ``(m, 2)``.
    a_group, b_group : ndarray, optional
        Island group of each point (``""`` on the mainland).  Pairs whose groups differ get
        ``inf``: they never cover each other.  Ignored unless both are given.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, m)``.

    Examples
    --------
    >>> a = np.array([[0.0, 0.0], [0.0, 3000.0]])
    >>> b = np.array([[4000.0, 0.0]])
    >>> distance_matrix(a, b).ravel().tolist()
    [4000.0, 5000.0]
    >>> distance_matrix(a, b, np.array(["", "Pulau Pari"]), np.array([""])).ravel().tolist()
    [4000.0, inf]
    """
    a_xy, b_xy = np.asarray(a_xy, float), np.asarray(b_xy, float)
    d = np.hypot(a_xy[:, None, 0] - b_xy[None, :, 0], a_xy[:, None, 1] - b_xy[None, :, 1])
    if a_group is not None and b_group is not None:
        d[np.asarray(a_group)[:, None] != np.asarray(b_group)[None, :]] = np.inf
    return d


def _nearest_kelurahan(points: gpd.GeoDataFrame, kelurahan: gpd.GeoDataFrame) -> pd.DataFrame:
    """Kelurahan (code, kota, island group) containing each point, else the nearest one (metres).

    Containment is tested in the polygons' own CRS (only the points are reprojected, which is
    cheap); the few points inside no polygon (offshore, border slivers) get the nearest polygon,
    measured in the UTM zone of the province (:func:`helpers.core.geo.metric_crs`).  The island group
    is the kelurahan's ``island_group`` column where it has one (outside DKI: the land part), else
    the kelurahan's name in Kepulauan Seribu and ``""`` on the mainland.
    """
    extra = ["island_group"] if "island_group" in kelurahan.columns else []
    kel = kelurahan[["kode", "nama", "kota_kode", "kota", *extra, "geometry"]].reset_index(drop=True)
    crs = metric_crs(kel)
    pts = points.geometry.to_crs(kel.crs).to_numpy()
    p_idx, k_idx = kel.sindex.query(pts, predicate="within")
    hit = np.full(len(points), -1)
    hit[p_idx[::-1]] = k_idx[::-1]  # first polygon wins on shared borders
    out = np.flatnonzero(hit < 0)
    if len(out):
        kel_m = kel.to_crs(crs)
        near = kel_m.sindex.nearest(points.geometry.to_crs(crs).to_numpy()[out], return_all=False)
        hit[out[near[0]]] = near[1]
    row = kel.iloc[hit]
    island = row["kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy()
    group = row["island_group"].astype(str).to_numpy() if extra else np.where(island, row["nama"].to_numpy(), "")
    return pd.DataFrame({"kelurahan_kode": row["kode"].to_numpy(), "kota_kode": row["kota_kode"].to_numpy(),
                         "kota": row["kota"].to_numpy(), "island_group": group}, index=points.index)


def _projected(gdf: gpd.GeoDataFrame, what: str, crs: str = UTM48S) -> gpd.GeoDataFrame:
    """``gdf`` in ``crs`` (metres) when it is geographic; refused when it has no projected CRS."""
    if gdf.crs is not None and gdf.crs.is_geographic:
        gdf = gdf.to_crs(crs)
    require_projected(gdf, what)
    return gdf.reset_index(drop=True)


@dataclass
class PlanningInstance:
    """Demand, sites and candidates projected once, with their distance matrices (metres).

    ``site_dist`` is (kelurahan x sites) and ``cand_dist`` (kelurahan x candidates); pairs in
    different island groups are ``inf``.  ``excluded`` lists candidates left out, with the reason.
    """

    demand: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    radius_m: float
    site_dist: np.ndarray
    cand_dist: np.ndarray
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    kota: str | None = None
    #: the whole area of the layers (DKI Jakarta, or the province), for titles and total rows
    area: str = "DKI Jakarta"

    @property
    def radius_km(self) -> float:
        """The coverage radius in kilometres."""
        return self.radius_m / 1000.0

    @property
    def weights(self) -> np.ndarray:
        """TPS per kelurahan (the demand weights), as floats."""
        return self.demand["tps_total"].to_numpy(dtype=float)


def _radius_km(radius_km) -> float:
    """``radius_km`` as a positive finite float, else a :class:`PlanningError` saying so."""
    try:
        value = float(radius_km)
    except (TypeError, ValueError):
        value = float("nan")
    if not value > 0 or not np.isfinite(value):
        raise PlanningError(f"radius_km must be a positive number of kilometres, e.g. 2.0 (got {value!r})")
    return value


def _placed_candidates(candidates: gpd.GeoDataFrame, kelurahan: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The (projected) candidates with kota, island group, a unique ``candidate_id`` and default columns."""
    cand = candidates.copy()
    place = _nearest_kelurahan(cand, kelurahan)
    for col in ("kota_kode", "kota", "island_group"):
        cand[col] = place[col].fillna("")
    if "facility_id" in cand.columns:
        cand["candidate_id"] = cand["facility_id"].astype(str)
    else:
        cand["candidate_id"] = [f"C{i + 1:03d}" for i in range(len(cand))]
    twice = cand["candidate_id"].duplicated(keep=False)
    if twice.any():
        raise PlanningError(f"candidates: facility_id {sorted(set(cand.loc[twice, 'candidate_id']))[:5]} appear more "
                            "than once; give every candidate a unique facility_id (or drop the column)")
    for col, default in (("name", None), ("facility_type", "other"), ("approximate", False)):
        if col not in cand.columns:
            cand[col] = cand["candidate_id"] if default is None else default
    return cand


def build_instance(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame,
                   radius_km: float = DEFAULT_RADIUS_KM, *, kelurahan: gpd.GeoDataFrame,
                   scope: Scope | None = None, min_separation_m: float = MIN_SEPARATION_M) -> PlanningInstance:
    """Project the inputs once to the UTM zone of their province (DKI: EPSG:32748) and compute the
    planning distance matrices.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand units (:func:`helpers.analysis.demand.demand_units`): ``kode, nama, kecamatan, kota_kode,
        kota, tps_total, approximate, island_group``.
    sites : GeoDataFrame
        Existing sites (:func:`helpers.io.inputs.load_sites`); only those with ``internet`` count.
        All sites are kept for a kota scope: a site across a kota border still covers.
    candidates : GeoDataFrame
        Candidate buildings (:func:`default_candidates` or ``load_facilities(path)``).
    radius_km : float
        Coverage radius.
    kelurahan : GeoDataFrame
        Kelurahan polygons (:func:`helpers.io.inputs.load_boundaries` ``("kelurahan")``), to place
        sites and candidates in a kota and island group.
    scope : Scope, optional
        The scope of the run: for one kota, plan for its kelurahan and the candidates inside it
        (None or a whole province: the whole area).
    min_separation_m : float
        Candidates closer than this to an existing site, or to an earlier candidate, are left
        out (listed in ``excluded``): a second link in the same building is no backup site.

    Returns
    -------
    PlanningInstance

    Raises
    ------
    PlanningError
        A radius that is not a positive number, candidates or sites that are not points,
        duplicate candidate ids.
    """
    radius_km = _radius_km(radius_km)
    crs = metric_crs(demand)  # one CRS for every layer: the UTM zone of the province (DKI: 48S)
    dem = _projected(demand, "demand units", crs)
    if "internet" in sites.columns:
        sites = sites[sites["internet"].astype(bool)]
    sit, cand = _projected(sites, "sites", crs), _projected(candidates, "candidates", crs)
    if not (dem.crs == sit.crs == cand.crs):
        raise PlanningError(f"demand, sites and candidates are in different CRS ({dem.crs}, {sit.crs}, {cand.crs})")
    for name, g in (("sites", sit), ("candidates", cand)):
        if not (g.geom_type == "Point").all():
            raise PlanningError(f"{name} must be points")
    sit["island_group"] = _nearest_kelurahan(sit, kelurahan)["island_group"].fillna("")
    cand = _placed_candidates(cand, kelurahan)
    code = None if scope is None else scope.kota_kode
    if code is not None:
        dem = dem[dem["kota_kode"] == code].reset_index(drop=True)
        kota = str(dem["kota"].iloc[0])  # the canonical name
        cand = cand[cand["kota_kode"] == code].reset_index(drop=True)
    else:
        kota = None
    # screen candidates: co-located with an existing site, or a duplicate of an earlier candidate
    cxy, sxy = xy(cand), xy(sit)
    grp = cand["island_group"].to_numpy()
    to_site = distance_matrix(cxy, sxy, grp, sit["island_group"].to_numpy())
    reason = np.where(to_site.min(axis=1, initial=np.inf) < min_separation_m, "at an existing site", "")
    cc = distance_matrix(cxy, cxy, grp, grp)
    dup = np.tril(cc < min_separation_m, k=-1).any(axis=1) & (reason == "")
    reason = np.where(dup, "duplicate of another candidate", reason)
    excluded = pd.DataFrame(cand.drop(columns="geometry").loc[reason != ""])
    excluded["reason"] = reason[reason != ""]
    cand = cand[reason == ""].reset_index(drop=True)
    dxy, dgrp = xy(dem), dem["island_group"].fillna("").to_numpy()
    return PlanningInstance(
        demand=dem, sites=sit, candidates=cand, radius_m=radius_km * 1000.0,
        site_dist=distance_matrix(dxy, sxy, dgrp, sit["island_group"].to_numpy()),
        cand_dist=distance_matrix(dxy, xy(cand), dgrp, cand["island_group"].to_numpy()),
        excluded=excluded, kota=kota, area=layer_area(kelurahan))
