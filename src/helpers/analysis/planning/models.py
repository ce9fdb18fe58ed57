"""The two location models: maximal coverage (new points for the most TPS) and backup coverage.

Both are reduced before they are built (kelurahan already served leave the model, candidates that
reach none of the rest are dropped, only pairs within the radius become matrix entries) and solved
by :func:`scipy.optimize.milp`; among equally good plans the rule of :mod:`.solver` picks one.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from helpers.analysis.planning.solver import EXACT_LIMIT, first_optimal_plan, one_row, solve, solve_limited
from helpers.analysis.planning.instance import PlanningError, PlanningInstance
from helpers.analysis.planning.results import PlanResult, candidate_points, demand_table


def _candidate_order(inst: PlanningInstance, cols: np.ndarray) -> np.ndarray:
    """Positions ``0 .. len(cols) - 1`` of the model's candidates, sorted by ``candidate_id``."""
    return np.argsort(inst.candidates["candidate_id"].to_numpy(str)[cols], kind="stable")


def maximal_coverage(inst: PlanningInstance, p: int) -> PlanResult:
    """Choose ``p`` new points maximising the TPS of kelurahan covered, existing sites fixed.

    Kelurahan covered by an existing site count as covered and leave the model; the model
    keeps the uncovered kelurahan that some candidate reaches and the candidates reaching
    them: maximise ``sum w_i y_i`` s.t. ``y_i <= sum_{j near i} x_j``, ``sum x_j <= p``,
    ``x`` binary, ``0 <= y <= 1``.  Among optimal plans the one with the fewest points is
    chosen (a penalty below one TPS per point), so no point is proposed that covers nothing new;
    among those, the first in candidate order (:mod:`helpers.analysis.planning.solver`).

    Parameters
    ----------
    inst : PlanningInstance
    p : int
        Number of new points, a whole number >= 0.

    Returns
    -------
    PlanResult
        ``chosen`` (new points with ``newly_covered`` kelurahan and ``newly_covered_tps``),
        ``kelurahan`` (``status``: covered_before / newly_covered / not_covered, and the new
        point covering it), ``figures`` (``objective_tps`` = all TPS covered after the plan).

    Raises
    ------
    PlanningError
        ``p`` is not a whole number >= 0.
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
        wr = w[rows]
        # variables: x (n, binary) then y (m, continuous in [0, 1]); rows: y_i - A x <= 0, sum x <= p
        link = LinearConstraint(sp.hstack([-sub, sp.identity(m)], format="csr"), -np.inf, 0.0)
        budget = LinearConstraint(one_row(np.r_[np.ones(n), np.zeros(m)]), -np.inf, p)
        integrality = np.r_[np.ones(n), np.zeros(m)]
        eps = 0.5 / (n + 1) * (wr[wr > 0].min() if (wr > 0).any() else 1.0)
        x = solve(np.r_[eps * np.ones(n), -wr], [link, budget], integrality, 0.0, 1.0)
        take = x[:n] > 0.5
        # every plan of as many points reaching as many TPS is optimal: the first in candidate_id order
        reached = float(wr[sub @ take.astype(float) > 0].sum())
        best = LinearConstraint(one_row(np.r_[np.zeros(n), wr]), reached - 1e-6 * max(1.0, reached), np.inf)
        take = first_optimal_plan([link, budget, best], integrality, np.ones(n + m),
                                  _candidate_order(inst, cols), int(take.sum()))
        chosen = cols[take]
    seconds = time.perf_counter() - t0
    return _mclp_result(inst, p, chosen, covered0, seconds)


def _mclp_result(inst: PlanningInstance, p: int, chosen: np.ndarray, covered0: np.ndarray,
                 seconds: float) -> PlanResult:
    """The :class:`PlanResult` of :func:`maximal_coverage` for the points ``chosen``."""
    r, w = inst.radius_m, inst.weights
    tab = demand_table(inst)
    dc = inst.cand_dist[:, chosen]
    new = ~covered0 & (dc <= r).any(axis=1)
    tab["status"] = np.select([covered0, new], ["covered_before", "newly_covered"], "not_covered")
    ids = inst.candidates["candidate_id"].to_numpy()[chosen]
    tab["new_point_id"], tab["new_point_km"] = "", np.nan
    if len(chosen):
        near = dc.argmin(axis=1)
        tab["new_point_id"] = np.where(new, ids[near], "")
        tab["new_point_km"] = np.where(new, np.round(dc[np.arange(len(tab)), near] / 1000.0, 3), np.nan)
    pts = candidate_points(inst, chosen)
    by = pd.DataFrame({"c": tab["new_point_id"].to_numpy()[new], "tps": tab["tps_total"].to_numpy()[new],
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
    (``s_i`` existing sites within the radius), ``x`` binary; among plans with the fewest points,
    the first in candidate order (:mod:`helpers.analysis.planning.solver`).  A kelurahan with fewer
    candidates within reach than it lacks cannot be brought to ``min_sites``: it is listed in
    ``unreachable`` (name, kecamatan, kota, sites and candidates within reach, reason) and left
    out of the constraints, so the rest is still solved -- never just "Infeasible".

    Parameters
    ----------
    inst : PlanningInstance
    min_sites : int
        Internet sites wanted within the radius of every kelurahan.
    best_effort : bool
        Give a kelurahan that cannot reach ``min_sites`` every candidate within its reach (as
        close to ``min_sites`` as it can come) instead of leaving it out; it is still listed in
        ``unreachable``.

    Returns
    -------
    PlanResult
        ``chosen`` (new points, ``kelurahan_helped``), ``kelurahan`` (``sites_after``,
        ``meets_target``, ``unreachable``), ``figures`` (``points_needed`` ...) and
        ``unreachable``.
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
    proven, gap = True, 0.0
    if len(rows):
        cols = np.flatnonzero(a[rows].any(axis=0))
        n = len(cols)
        cover = LinearConstraint(sp.csr_matrix(a[np.ix_(rows, cols)].astype(float)), need[rows], np.inf)
        if n > EXACT_LIMIT:  # a province's desa points: the best cover HiGHS finds in its time limit
            x, proven, gap = solve_limited(np.ones(n), [cover], np.ones(n), 0.0, 1.0)
        else:
            x = solve(np.ones(n), [cover], np.ones(n), 0.0, 1.0)
        if proven:  # every cover with as few points is optimal: the first in candidate_id order
            take = first_optimal_plan([cover], np.ones(n), np.ones(n), _candidate_order(inst, cols),
                                      int((x > 0.5).sum()))
        else:
            take = x > 0.5
        chosen = cols[take]
    seconds = time.perf_counter() - t0
    tab = demand_table(inst)
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
    pts = candidate_points(inst, chosen)
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
        "proven_optimal": bool(proven), "mip_gap": round(gap, 4),
        "seconds": round(seconds, 4),
    }
    return PlanResult(pts, tab, figures, unreach.reset_index(drop=True))
