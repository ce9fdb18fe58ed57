"""Site planning: where to add backup internet points, and what an outage of recap sites costs.

Three models over the kelurahan demand units (:func:`helpers.demand.demand_units`, weighted by
their TPS) and the 44 PPK recapitulation sites that have internet:

* :func:`maximal_coverage` -- maximal covering location problem (MCLP, Church & ReVelle 1974)
  with the existing sites fixed: choose ``p`` new backup internet points among candidate public
  buildings to maximise the TPS of kelurahan with an internet site within ``radius_km``;
* :func:`backup_coverage` -- the fewest new points so that every kelurahan has at least two
  internet sites within ``radius_km`` (a set-covering model with a requirement of 2, the
  "backup coverage" of Hogan & ReVelle 1986).  Kelurahan that no choice of candidates can bring
  to two sites are *reported by name* and left out of the constraints, so the rest is solved;
* :func:`outage` -- with some sites offline, which kelurahan (and how many TPS) lose coverage and
  which working site each falls back to, at what distance.

Distances are straight lines in metres in UTM 48S (EPSG:32748), computed once per instance
(:func:`build_instance`).  In Kepulauan Seribu every island kelurahan is its own island group:
a site or candidate only covers kelurahan of the same island group (a pair across the sea gets
distance ``inf``); the nearest site across the sea is still named by :func:`outage`, flagged
``sea_crossing``.  A site's or candidate's island group is the island kelurahan whose polygon
is nearest to it (none on the mainland).

Why HiGHS through ``highspy`` and not a PySAL ``spopt`` model
------------------------------------------------------------
``spopt.locate.MCLP.from_cost_matrix`` builds, through PuLP, one constraint per kelurahan with a
term for *every* facility (0/1 coefficients from the full distance matrix: 267 x 328 terms for
DKI), fixes the existing sites with bound constraints, writes the model to a file and calls a
solver process.  Here the model is reduced before it is built: kelurahan already covered by a
fixed site are taken out (they count as covered), candidates that cover none of the rest are
dropped, only the pairs within the radius become matrix entries, and the sparse matrix is
passed to HiGHS in memory.  The optimum is the same (checked against spopt in the tests and in
``benchmarks/bench_planning.py``) and build + solve is several times faster; the benchmark
prints the measured figures.  :func:`spopt_mclp` keeps the plain spopt formulation as the
reference.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .demand import KEPULAUAN_SERIBU
from .geo import UTM48S, WGS84, require_projected, xy
from .loaders import load_boundaries, load_facilities
from .names import name_key
from .scopes import UnknownKota, resolve_kota

#: Default planning radius (km): 77.5 % of mainland kelurahan have an internet site this close.
DEFAULT_RADIUS_KM = 2.0
#: A candidate closer than this to an existing site (same island group) adds no independent site.
MIN_SEPARATION_M = 100.0
#: Facility types used as default candidates (the PPS and PPK secretariats).
CANDIDATE_TYPES = ("kantor_lurah", "kantor_camat")


class PlanningError(ValueError):
    """A planning input cannot be used (the message says what to change)."""


# ---------------------------------------------------------------------------------------------
# instance
# ---------------------------------------------------------------------------------------------
def default_candidates(facilities: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Active kantor lurah and kantor camat points (the default candidate buildings).

    Examples
    --------
    >>> c = default_candidates()
    >>> sorted(c["facility_type"].unique()), len(c)
    (['kantor_camat', 'kantor_lurah'], 284)
    """
    fac = facilities if facilities is not None else load_facilities()
    keep = fac["facility_type"].isin(CANDIDATE_TYPES)
    if "status" in fac.columns:
        keep &= fac["status"].fillna("active").eq("active")
    return fac[keep].copy()


def distance_matrix(a_xy: np.ndarray, b_xy: np.ndarray, a_group=None, b_group=None) -> np.ndarray:
    """Straight-line distances (metres) from projected points ``a_xy`` to ``b_xy``.

    Pairs whose island groups differ (one of them on another island, or one on the mainland)
    get ``inf``: they never cover each other.

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
    measured in UTM 48S.
    """
    kel = kelurahan[["kode", "nama", "kota_kode", "kota", "geometry"]].reset_index(drop=True)
    pts = points.geometry.to_crs(kel.crs).to_numpy()
    p_idx, k_idx = kel.sindex.query(pts, predicate="within")
    hit = np.full(len(points), -1)
    hit[p_idx[::-1]] = k_idx[::-1]  # first polygon wins on shared borders
    out = np.flatnonzero(hit < 0)
    if len(out):
        kel_m = kel.to_crs(UTM48S)
        near = kel_m.sindex.nearest(points.geometry.to_crs(UTM48S).to_numpy()[out], return_all=False)
        hit[out[near[0]]] = near[1]
    row = kel.iloc[hit]
    island = row["kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy()
    return pd.DataFrame({"kelurahan_kode": row["kode"].to_numpy(), "kota_kode": row["kota_kode"].to_numpy(),
                         "kota": row["kota"].to_numpy(),
                         "island_group": np.where(island, row["nama"].to_numpy(), "")}, index=points.index)


def _projected(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if gdf.crs is not None and gdf.crs.is_geographic:
        gdf = gdf.to_crs(UTM48S)
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

    @property
    def radius_km(self) -> float:
        return self.radius_m / 1000.0

    @property
    def weights(self) -> np.ndarray:
        return self.demand["tps_total"].to_numpy(dtype=float)


def build_instance(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame,
                   radius_km: float = DEFAULT_RADIUS_KM, *, kelurahan: gpd.GeoDataFrame | None = None,
                   kota: str | None = None, min_separation_m: float = MIN_SEPARATION_M) -> PlanningInstance:
    """Project the inputs to EPSG:32748 once and compute the planning distance matrices.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand units (:func:`helpers.demand.demand_units`): ``kode, nama, kecamatan, kota_kode,
        kota, tps_total, approximate, island_group``.
    sites : GeoDataFrame
        Existing sites (:func:`helpers.loaders.load_sites`); only those with ``internet`` count.
        All sites are kept when ``kota`` is given: a site across a kota border still covers.
    candidates : GeoDataFrame
        Candidate buildings (:func:`default_candidates` or ``load_facilities(path)``).
    radius_km : float
        Coverage radius.
    kelurahan : GeoDataFrame, optional
        Kelurahan polygons, to place sites and candidates in a kota and island group
        (default: the shipped boundaries).
    kota : str, optional
        Plan for one kota only (lenient name): its kelurahan and the candidates inside it.
    min_separation_m : float
        Candidates closer than this to an existing site, or to an earlier candidate, are left
        out (listed in ``excluded``): a second link in the same building is no backup site.
    """
    try:
        radius_km = float(radius_km)
    except (TypeError, ValueError):
        radius_km = float("nan")
    if not radius_km > 0 or not np.isfinite(radius_km):
        raise PlanningError(f"radius_km must be a positive number of kilometres, e.g. 2.0 (got {radius_km!r})")
    kel = kelurahan if kelurahan is not None else load_boundaries("kelurahan")
    dem = _projected(demand, "demand units")
    if "internet" in sites.columns:
        sites = sites[sites["internet"].astype(bool)]
    sit = _projected(sites, "sites")
    cand = _projected(candidates, "candidates")
    for name, g in (("sites", sit), ("candidates", cand)):
        if not (g.geom_type == "Point").all():
            raise PlanningError(f"{name} must be points")
    sit["island_group"] = _nearest_kelurahan(sit, kel)["island_group"].fillna("")
    place = _nearest_kelurahan(cand, kel)
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
    if "name" not in cand.columns:
        cand["name"] = cand["candidate_id"]
    if "facility_type" not in cand.columns:
        cand["facility_type"] = "other"
    if "approximate" not in cand.columns:
        cand["approximate"] = False
    try:
        code, _ = resolve_kota(kota, dem)
    except UnknownKota as exc:
        raise PlanningError(str(exc)) from None
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
        demand=dem, sites=sit, candidates=cand, radius_m=float(radius_km) * 1000.0,
        site_dist=distance_matrix(dxy, sxy, dgrp, sit["island_group"].to_numpy()),
        cand_dist=distance_matrix(dxy, xy(cand), dgrp, cand["island_group"].to_numpy()),
        excluded=excluded, kota=kota)


# ---------------------------------------------------------------------------------------------
# solver
# ---------------------------------------------------------------------------------------------
def _quiet_highs(highspy):
    """A ``highspy.Highs`` without its start-up banner (printed by C++ on stdout, file descriptor 1)."""
    import os
    import sys

    try:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):  # no real stdout (embedded interpreters)
        return highspy.Highs()
    try:
        os.dup2(null, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _solve(cost, a: sp.spmatrix, row_lo, row_hi, col_ub, integer, maximize: bool):
    """Solve a 0/1 program with HiGHS from a sparse matrix; return (x, status string)."""
    import highspy

    a = sp.csc_matrix(a, dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = np.asarray(cost, float)
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = np.asarray(col_ub, float)
    lp.row_lower_ = np.asarray(row_lo, float)
    lp.row_upper_ = np.asarray(row_hi, float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = a.shape[1], a.shape[0]
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                       for i in integer]
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h = _quiet_highs(highspy)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        raise PlanningError(f"HiGHS stopped with status {status!r}")
    return np.asarray(h.getSolution().col_value), status


def _demand_frame(inst: PlanningInstance) -> pd.DataFrame:
    """Per-kelurahan base table: nearest internet site (on its own island group when there is
    one, else the nearest across the sea, ``nearest_site_sea_crossing``) and sites within reach."""
    cols = ["kode", "nama", "kecamatan", "kota", "tps_total", "approximate", "island_group"]
    out = pd.DataFrame(inst.demand[[c for c in cols if c in inst.demand.columns]]).copy()
    if len(inst.sites):
        j = inst.site_dist.argmin(axis=1)
        near = inst.site_dist[np.arange(len(out)), j]
        sea = ~np.isfinite(near)
        if sea.any():
            straight = distance_matrix(xy(inst.demand)[sea], xy(inst.sites))
            j[sea] = straight.argmin(axis=1)
            near[sea] = straight[np.arange(sea.sum()), j[sea]]
        out["nearest_site_id"] = inst.sites["site_id"].to_numpy()[j]
        out["nearest_site_km"] = np.round(near / 1000.0, 3)
        out["nearest_site_sea_crossing"] = sea
        if "approximate" in inst.sites.columns:  # 7 of the 44 sites are representative points
            out["nearest_site_approximate"] = inst.sites["approximate"].to_numpy(bool)[j]
    out["sites_within_radius"] = (inst.site_dist <= inst.radius_m).sum(axis=1)
    return out


def _chosen_frame(inst: PlanningInstance, cols: np.ndarray) -> gpd.GeoDataFrame:
    keep = ["candidate_id", "name", "facility_type", "kota", "island_group", "approximate", "geometry"]
    return inst.candidates.iloc[cols][keep].reset_index(drop=True).to_crs(WGS84)


# ---------------------------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------------------------
@dataclass
class PlanResult:
    """Outcome of a planning model: chosen points, per-kelurahan table, headline figures."""

    chosen: gpd.GeoDataFrame
    kelurahan: pd.DataFrame
    figures: dict
    unreachable: pd.DataFrame = field(default_factory=pd.DataFrame)


def maximal_coverage(inst: PlanningInstance, p: int) -> PlanResult:
    """Choose ``p`` new points maximising the TPS of kelurahan covered, existing sites fixed.

    Kelurahan covered by an existing site count as covered and leave the model; the model
    keeps the uncovered kelurahan that some candidate reaches and the candidates reaching
    them: maximise ``sum w_i y_i`` s.t. ``y_i <= sum_{j near i} x_j``, ``sum x_j <= p``,
    ``x`` binary, ``0 <= y <= 1``.  Among optimal plans the one with the fewest points is
    chosen (a penalty below one TPS per point), so no point is proposed that covers nothing new.

    Returns
    -------
    PlanResult
        ``chosen`` (new points with ``newly_covered`` kelurahan and ``newly_covered_tps``),
        ``kelurahan`` (``status``: covered_before / newly_covered / not_covered, and the new
        point covering it), ``figures`` (``objective_tps`` = all TPS covered after the plan).
    """
    if int(p) != p or p < 0:
        raise PlanningError(f"p must be a whole number >= 0, not {p!r}")
    t0 = time.perf_counter()
    r, w = inst.radius_m, inst.weights
    covered0 = (inst.site_dist <= r).any(axis=1)
    a = inst.cand_dist <= r
    rows = np.flatnonzero(~covered0 & a.any(axis=1))
    cols = np.flatnonzero(a[rows].any(axis=0)) if len(rows) else np.array([], int)
    chosen = np.array([], int)
    if p > 0 and len(cols):
        sub = sp.csr_matrix(a[np.ix_(rows, cols)].astype(float))
        m, n = sub.shape
        # variables: x (n, binary) then y (m, continuous in [0, 1]); rows: y_i - A x <= 0, sum x <= p
        big = sp.vstack([sp.hstack([-sub, sp.identity(m)]),
                         sp.hstack([sp.csr_matrix(np.ones((1, n))), sp.csr_matrix((1, m))])])
        eps = 0.5 / (n + 1) * (w[rows][w[rows] > 0].min() if (w[rows] > 0).any() else 1.0)
        x, _ = _solve(np.r_[-eps * np.ones(n), w[rows]], big, np.full(m + 1, -np.inf),
                      np.r_[np.zeros(m), p], np.ones(n + m), [True] * n + [False] * m, maximize=True)
        chosen = cols[x[:n] > 0.5]
    seconds = time.perf_counter() - t0
    return _mclp_result(inst, p, chosen, covered0, seconds)


def _mclp_result(inst, p, chosen, covered0, seconds) -> PlanResult:
    r, w = inst.radius_m, inst.weights
    tab = _demand_frame(inst)
    dc = inst.cand_dist[:, chosen]
    new = ~covered0 & (dc <= r).any(axis=1)
    tab["status"] = np.select([covered0, new], ["covered_before", "newly_covered"], "not_covered")
    ids = inst.candidates["candidate_id"].to_numpy()[chosen]
    tab["new_point_id"], tab["new_point_km"] = "", np.nan
    if len(chosen):
        near = dc.argmin(axis=1)
        tab["new_point_id"] = np.where(new, ids[near], "")
        tab["new_point_km"] = np.where(new, np.round(dc[np.arange(len(tab)), near] / 1000.0, 3), np.nan)
    pts = _chosen_frame(inst, chosen)
    owner = pd.Series(tab["new_point_id"].to_numpy())[new]
    by = pd.DataFrame({"c": owner.to_numpy(), "tps": tab["tps_total"].to_numpy()[new],
                       "nama": tab["nama"].to_numpy()[new]}).groupby("c")
    pts["newly_covered"] = pts["candidate_id"].map(by.size()).fillna(0).astype(int)
    pts["newly_covered_tps"] = pts["candidate_id"].map(by["tps"].sum()).fillna(0).astype(int)
    pts["newly_covered_kelurahan"] = pts["candidate_id"].map(by["nama"].agg("; ".join)).fillna("")
    before, after = float(w[covered0].sum()), float(w[covered0 | new].sum())
    total = float(w.sum())
    figures = {
        "radius_km": inst.radius_km, "p": int(p), "points_proposed": int(len(chosen)),
        "candidates": int(len(inst.candidates)), "kelurahan": int(len(tab)), "tps_total": int(total),
        "kelurahan_covered_before": int(covered0.sum()), "tps_covered_before": int(before),
        "kelurahan_covered_after": int((covered0 | new).sum()), "tps_covered_after": int(after),
        "kelurahan_newly_covered": int(new.sum()), "tps_newly_covered": int(after - before),
        "pct_tps_covered_before": round(100 * before / total, 1) if total else 0.0,
        "pct_tps_covered_after": round(100 * after / total, 1) if total else 0.0,
        "objective_tps": int(after), "seconds": round(seconds, 4),
    }
    return PlanResult(pts, tab, figures)


def backup_coverage(inst: PlanningInstance, min_sites: int = 2, *, best_effort: bool = False) -> PlanResult:
    """The fewest new points so every kelurahan has ``min_sites`` internet sites within the radius.

    Existing sites count.  ``minimise sum x_j`` s.t. ``sum_{j near i} x_j >= min_sites - s_i``
    (``s_i`` existing sites within the radius), ``x`` binary.  A kelurahan with fewer candidates
    within reach than it lacks cannot be brought to ``min_sites``: it is listed in
    ``unreachable`` (name, kecamatan, kota, sites and candidates within reach, reason) and left
    out of the constraints, so the rest is still solved -- never just "Infeasible".  With
    ``best_effort=True`` such a kelurahan instead gets every candidate within its reach (as close
    to ``min_sites`` as it can come); it is still listed in ``unreachable``.
    """
    t0 = time.perf_counter()
    r = inst.radius_m
    have = (inst.site_dist <= r).sum(axis=1)
    a = inst.cand_dist <= r
    need = np.clip(min_sites - have, 0, None)
    reach = a.sum(axis=1)
    bad = need > reach
    need = np.where(bad, reach if best_effort else 0, need)
    rows = np.flatnonzero(need > 0)
    chosen = np.array([], int)
    if len(rows):
        cols = np.flatnonzero(a[rows].any(axis=0))
        sub = sp.csr_matrix(a[np.ix_(rows, cols)])
        x, _ = _solve(np.ones(len(cols)), sub, need[rows], np.full(len(rows), np.inf),
                      np.ones(len(cols)), [True] * len(cols), maximize=False)
        chosen = cols[x > 0.5]
    seconds = time.perf_counter() - t0
    tab = _demand_frame(inst)
    tab["candidates_within_radius"] = reach
    tab["sites_after"] = have + (a[:, chosen]).sum(axis=1)
    tab["meets_target"] = tab["sites_after"] >= min_sites
    tab["unreachable"] = bad
    unreach = tab.loc[bad, ["kode", "nama", "kecamatan", "kota", "tps_total", "island_group",
                            "sites_within_radius", "candidates_within_radius"]].copy()
    unreach["reason"] = [
        (f"only {s} internet site(s) and {c} candidate(s) within {inst.radius_km:g} km"
         + (f" on island group {g}" if g else ""))
        for s, c, g in zip(unreach["sites_within_radius"], unreach["candidates_within_radius"],
                           unreach["island_group"])]
    pts = _chosen_frame(inst, chosen)
    gains = (a[:, chosen] & (have < min_sites)[:, None])
    pts["kelurahan_helped"] = gains.sum(axis=0).astype(int)
    w = inst.weights
    figures = {
        "radius_km": inst.radius_km, "min_sites": int(min_sites), "points_needed": int(len(chosen)),
        "kelurahan": int(len(tab)), "kelurahan_meeting_before": int((have >= min_sites).sum()),
        "kelurahan_meeting_after": int(tab["meets_target"].sum()),
        "tps_meeting_before": int(w[have >= min_sites].sum()),
        "tps_meeting_after": int(w[tab["meets_target"].to_numpy()].sum()),
        "kelurahan_unreachable": int(bad.sum()), "tps_unreachable": int(w[bad].sum()),
        "best_effort": bool(best_effort),
        "seconds": round(seconds, 4),
    }
    return PlanResult(pts, tab, figures, unreach.reset_index(drop=True))


def resolve_down_sites(sites: pd.DataFrame, down_sites) -> list[str]:
    """Site ids for ``down_sites`` given as site ids, kecamatan codes or (lenient) kecamatan names.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["PPK-31.71.01", "PPK-31.75.02"],
    ...                   "kecamatan_kode": ["31.71.01", "31.75.02"], "kecamatan": ["Gambir", "Pulo Gadung"]})
    >>> resolve_down_sites(s, ["ppk-31.71.01", "Kec. Pulogadung"])
    ['PPK-31.71.01', 'PPK-31.75.02']
    """
    if down_sites is None:
        return []
    if isinstance(down_sites, str):
        down_sites = [down_sites]
    by_id = {str(s).lower(): s for s in sites["site_id"]}
    by_code = dict(zip(sites.get("kecamatan_kode", []), sites["site_id"]))
    by_name = {name_key(k): s for k, s in zip(sites.get("kecamatan", []), sites["site_id"])}
    out, unknown = [], []
    for item in down_sites:
        text = str(item).strip()
        hit = by_id.get(text.lower()) or by_code.get(text) or by_name.get(name_key(text))
        (out.append(hit) if hit else unknown.append(text))
    if unknown:
        raise PlanningError(f"down_sites: no site matches {unknown}; give site ids such as "
                            f"{sites['site_id'].iloc[0]} or kecamatan names such as {sites['kecamatan'].iloc[0]}")
    return list(dict.fromkeys(out))


def outage(inst: PlanningInstance, down_sites, added: list[str] | None = None) -> PlanResult:
    """Kelurahan that lose internet coverage when ``down_sites`` are offline, and their fallback.

    Parameters
    ----------
    inst : PlanningInstance
    down_sites : list of str
        Site ids, kecamatan codes or kecamatan names (see :func:`resolve_down_sites`).
    added : list of str, optional
        Candidate ids of new points (e.g. a plan's ``chosen``) that stay online.

    Returns
    -------
    PlanResult
        ``kelurahan``: every kelurahan that loses coverage or whose nearest site is down, with
        ``loses_coverage``, ``fallback_site_id``, ``fallback_km`` (nearest working site or
        added point in the same island group) and ``sea_crossing`` (no working site on its
        island group: the fallback given is the nearest across the sea, straight line).
    """
    down = resolve_down_sites(inst.sites, down_sites)
    r, w = inst.radius_m, inst.weights
    is_down = inst.sites["site_id"].isin(down).to_numpy()
    add = inst.candidates["candidate_id"].isin(added or []).to_numpy()
    dist = np.hstack([inst.site_dist, inst.cand_dist[:, add]])
    ids = np.r_[inst.sites["site_id"].to_numpy(), inst.candidates["candidate_id"].to_numpy()[add]]
    kec = np.r_[inst.sites["kecamatan"].to_numpy(), np.full(add.sum(), "(new point)")]
    alive = np.r_[~is_down, np.ones(add.sum(), bool)]
    before = (dist <= r).any(axis=1)
    working = np.where(alive[None, :], dist, np.inf)
    after = (working <= r).any(axis=1)
    lost = before & ~after
    tab = _demand_frame(inst)
    near_down = tab.get("nearest_site_id", pd.Series("", index=tab.index)).isin(down).to_numpy()
    j = working.argmin(axis=1) if alive.any() else np.zeros(len(tab), int)
    fb = working[np.arange(len(tab)), j] if alive.any() else np.full(len(tab), np.inf)
    sea = ~np.isfinite(fb)
    if sea.any() and alive.any():  # nearest working site across the sea, straight line
        dem = xy(inst.demand)[sea]
        allxy = np.vstack([xy(inst.sites), xy(inst.candidates)[add]]) if add.any() else xy(inst.sites)
        straight = np.where(alive[None, :], distance_matrix(dem, allxy), np.inf)
        j[sea] = straight.argmin(axis=1)
        fb[sea] = straight[np.arange(sea.sum()), j[sea]]
    tab["covered_before"], tab["covered_after"], tab["loses_coverage"] = before, after, lost
    tab["working_sites_within_radius"] = (working <= r).sum(axis=1)
    tab["fallback_site_id"] = np.where(alive.any(), ids[j], "")
    tab["fallback_kecamatan"] = np.where(alive.any(), kec[j], "")
    tab["fallback_km"] = np.round(fb / 1000.0, 3)
    tab["sea_crossing"] = sea
    tab = tab[lost | near_down].reset_index(drop=True)
    figures = {
        "radius_km": inst.radius_km, "down_sites": ", ".join(down), "sites_down": len(down),
        "kelurahan_losing_coverage": int(lost.sum()), "tps_losing_coverage": int(w[lost].sum()),
        "kelurahan_nearest_site_down": int(near_down.sum()),
        "kelurahan_covered_before": int(before.sum()), "kelurahan_covered_after": int(after.sum()),
        "max_fallback_km": float(tab["fallback_km"].max()) if len(tab) else 0.0,
        "sea_crossing_fallbacks": int(tab["sea_crossing"].sum()),
    }
    downs = inst.sites[is_down][["site_id", "kecamatan", "kota", "approximate", "geometry"]].to_crs(WGS84)
    return PlanResult(downs.reset_index(drop=True), tab, figures)


def single_site_outages(inst: PlanningInstance) -> pd.DataFrame:
    """For each internet site alone: the kelurahan and TPS that lose coverage if it goes offline.

    A kelurahan depends on a site when that site is its only internet site within the radius.
    Sorted by TPS lost, largest first (the worst single outage is the first row).
    """
    within = inst.site_dist <= inst.radius_m
    only = within & (within.sum(axis=1) == 1)[:, None]
    tab = pd.DataFrame(inst.sites[["site_id", "kecamatan", "kota", "approximate"]]).copy()
    tab["kelurahan_losing_coverage"] = only.sum(axis=0)
    tab["tps_losing_coverage"] = (inst.weights @ only).astype(int)
    return tab.sort_values(["tps_losing_coverage", "site_id"], ascending=[False, True], ignore_index=True)


def spopt_mclp(inst: PlanningInstance, p: int, solver=None):
    """The same MCLP as plain PySAL spopt: full distance matrix, existing sites predefined.

    Reference for tests and the benchmark.  Returns ``(objective_tps, chosen candidate ids)``.
    """
    import pulp
    from spopt.locate import MCLP

    cost = np.hstack([inst.site_dist, inst.cand_dist])
    cost = np.where(np.isfinite(cost), cost, 1e12)
    ns = len(inst.sites)
    model = MCLP.from_cost_matrix(cost, inst.weights, service_radius=inst.radius_m,
                                  p_facilities=ns + min(int(p), len(inst.candidates)),
                                  predefined_facilities_arr=np.r_[np.ones(ns), np.zeros(len(inst.candidates))])
    model = model.solve(solver or pulp.PULP_CBC_CMD(msg=False), results=False)
    x = np.array([v.value() for v in model.fac_vars]) > 0.5
    objective = pulp.value(model.problem.objective)
    return int(round(objective)), list(inst.candidates["candidate_id"].to_numpy()[x[ns:]])
