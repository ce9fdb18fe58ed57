"""Reference formulations of the planning models, for tests/test_planning.py and bench_planning.py.

:mod:`helpers.analysis.planning` reduces its models before building them and solves them with SciPy's
``milp``.  The references here build the *plain* models on the full distance matrix, as a user of
PySAL spopt or PuLP would, and solve them with a separate solver process (CBC by default), so an
error in the reduction or in the solver plumbing shows up as a different optimum:

* :func:`spopt_mclp` -- ``spopt.locate.MCLP.from_cost_matrix``, the existing sites as
  ``predefined_facilities_arr``, ``p_facilities = sites + p``;
* :func:`pulp_backup` -- the backup-coverage set cover in PuLP: one constraint per kelurahan that
  can reach ``min_sites`` (sites and candidates within the radius), minimise the new points.

spopt, PuLP and highspy (for ``pulp.HiGHS``) are test/benchmark dependencies (the ``dev`` extra).
"""

from __future__ import annotations

import numpy as np
import pulp

from helpers.analysis.planning import PlanningInstance


def spopt_mclp(inst: PlanningInstance, p: int, solver: pulp.LpSolver | None = None) -> tuple[int, list[str]]:
    """The MCLP of :func:`helpers.analysis.planning.maximal_coverage` as plain PySAL spopt.

    Parameters
    ----------
    inst : PlanningInstance
    p : int
        New points (spopt opens exactly ``p``, where helpers.analysis.planning proposes no point that
        covers nothing new).
    solver : pulp.LpSolver, optional
        Default: CBC (spopt's documented solver), silent.

    Returns
    -------
    tuple of (int, list of str)
        TPS covered with the sites and the new points, and the chosen candidate ids.
    """
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


def pulp_backup(inst: PlanningInstance, min_sites: int = 2,
                solver: pulp.LpSolver | None = None) -> tuple[int, list[str]]:
    """The set cover of :func:`helpers.analysis.planning.backup_coverage` (not best effort) as a plain PuLP model.

    Parameters
    ----------
    inst : PlanningInstance
    min_sites : int
        Internet sites wanted within the radius of every kelurahan.
    solver : pulp.LpSolver, optional
        Default: CBC, silent.

    Returns
    -------
    tuple of (int, list of str)
        The fewest new points, and the chosen candidate ids.
    """
    within = inst.cand_dist <= inst.radius_m
    have = (inst.site_dist <= inst.radius_m).sum(axis=1)
    prob = pulp.LpProblem("backup_coverage", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(within.shape[1])]
    prob += pulp.lpSum(x)
    for i in range(within.shape[0]):
        if have[i] < min_sites and within[i].sum() >= min_sites - have[i]:  # kelurahan that can reach the target
            prob += pulp.lpSum(x[j] for j in np.flatnonzero(within[i])) >= min_sites - int(have[i])
    prob.solve(solver or pulp.PULP_CBC_CMD(msg=False))
    if pulp.LpStatus[prob.status] != "Optimal":
        raise RuntimeError(f"reference backup model: {pulp.LpStatus[prob.status]}")
    take = np.array([v.value() > 0.5 for v in x], bool)
    return int(take.sum()), list(inst.candidates["candidate_id"].to_numpy()[take])
