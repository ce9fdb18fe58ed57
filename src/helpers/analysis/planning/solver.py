"""Solving the planning models with :func:`scipy.optimize.milp` (HiGHS), and which optimal plan is returned.

A model here chooses candidate points (binary variables, the first ``n`` of the program) and may
carry continuous helper variables after them.  HiGHS proves an optimum (``mip_rel_gap = 0``, no
time limit: the DKI models solve in milliseconds, and a time limit would make the answer depend on
the machine's speed).

Several plans are often equally good -- two candidates a few hundred metres apart reach the same
kelurahan -- and which of them HiGHS returns depends on the HiGHS build: for the same models the
HiGHS of highspy 1.16 and the one inside SciPy 1.17 returned different, equally optimal points in 14
of 35 runs (maximal coverage with p = 1, 5, 10 and backup coverage, plain and best effort, for DKI
and each kota).  So the plan is fixed by a rule, not by the solver: **among the optimal plans, the one whose
points, sorted in candidate order (``candidate_id``), come first** -- the plan containing the
first candidate that any optimal plan contains, then the next, and so on.  :func:`first_optimal_plan`
finds it exactly by fixing the candidates :data:`BLOCK` at a time, in candidate order: each block
is one more solve over the optimal plans with weights ``2**(BLOCK-1) .. 2, 1`` on its candidates
(exact integers, far above HiGHS's tolerances), which settles every candidate of the block.

That takes up to one solve per :data:`BLOCK` candidates -- fine for DKI (243 candidates), not for a
province whose desa points are the candidates (Jawa Timur: 8,485 candidates, 425 solves of about a
second each).  Above :data:`EXACT_LIMIT` candidates the rule is therefore the cheaper **smallest
sum of candidate positions** among the optimal plans (one more solve): the same plan as the exact
rule whenever that plan alone has the smallest sum, which is the usual case; where two optimal plans
tie on the sum as well, the solver's pick among those remains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from helpers.analysis.planning.instance import PlanningError

#: Options of every solve: silent, and an optimum proven to a zero relative gap.
OPTIONS = {"disp": False, "mip_rel_gap": 0.0}
#: Candidates settled per tie-break solve (weights up to 2**19, exact in floating point).
BLOCK = 20
#: Above this many candidates the tie rule is the smallest sum of candidate positions (one solve).
EXACT_LIMIT = 1000
#: Above :data:`EXACT_LIMIT` candidates a solve stops after this many seconds with the best plan
#: found so far (a province-wide backup plan over thousands of desa points can take HiGHS hours to
#: *prove* optimal); the result then says it is not proven optimal and gives HiGHS's gap.
LARGE_TIME_LIMIT_S = 60.0


def one_row(values: np.ndarray) -> sp.csr_matrix:
    """A one-row sparse constraint matrix with ``values`` (e.g. ``sum x_j <= p``).

    Examples
    --------
    >>> one_row(np.array([1.0, 0.0, 2.0])).toarray().tolist()
    [[1.0, 0.0, 2.0]]
    """
    return sp.csr_matrix(np.asarray(values, float)[None, :])


def solve(cost: np.ndarray, constraints: Sequence[LinearConstraint], integrality: np.ndarray,
          lower: np.ndarray | float, upper: np.ndarray | float) -> np.ndarray:
    """Minimise ``cost @ x`` subject to ``constraints`` and ``lower <= x <= upper``.

    Parameters
    ----------
    cost : ndarray
        Objective coefficients, one per variable (negate them to maximise).
    constraints : sequence of LinearConstraint
        Row constraints, sparse matrices.
    integrality : ndarray
        1 for an integer variable, 0 for a continuous one.
    lower, upper : ndarray or float
        Variable bounds.

    Returns
    -------
    numpy.ndarray
        An optimal ``x`` (integer variables within HiGHS's tolerance of whole numbers).

    Raises
    ------
    PlanningError
        HiGHS did not prove an optimum (infeasible, unbounded or stopped).

    Examples
    --------
    >>> x = solve(np.array([-1.0, -2.0]), [LinearConstraint(one_row(np.ones(2)), 0, 1)], np.ones(2), 0, 1)
    >>> x.round().tolist()
    [0.0, 1.0]
    """
    res = milp(np.asarray(cost, float), integrality=np.asarray(integrality), bounds=Bounds(lower, upper),
               constraints=list(constraints), options=OPTIONS)
    if res.status != 0 or res.x is None:
        raise PlanningError(f"HiGHS (scipy.optimize.milp) found no optimal plan: {res.message}")
    return res.x


def solve_limited(cost: np.ndarray, constraints: Sequence[LinearConstraint], integrality: np.ndarray,
                  lower: np.ndarray | float, upper: np.ndarray | float,
                  time_limit: float = LARGE_TIME_LIMIT_S) -> tuple[np.ndarray, bool, float]:
    """:func:`solve` with a time limit: ``(x, proven_optimal, relative_gap)``.

    A plan found within ``time_limit`` seconds is returned even when HiGHS has not proven it optimal
    (``proven_optimal`` False, ``relative_gap`` its last MIP gap); no plan at all is a
    :class:`PlanningError`.  The answer then depends on the machine's speed: callers say so.

    Examples
    --------
    >>> x, proven, gap = solve_limited(np.array([-1.0, -2.0]), [LinearConstraint(one_row(np.ones(2)), 0, 1)],
    ...                                np.ones(2), 0, 1)
    >>> x.round().tolist(), proven, gap
    ([0.0, 1.0], True, 0.0)
    """
    res = milp(np.asarray(cost, float), integrality=np.asarray(integrality), bounds=Bounds(lower, upper),
               constraints=list(constraints), options={**OPTIONS, "time_limit": float(time_limit)})
    if res.x is None or res.status not in (0, 1):
        raise PlanningError(f"HiGHS (scipy.optimize.milp) found no plan: {res.message}")
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return res.x, res.status == 0, (0.0 if res.status == 0 else gap)


def first_optimal_plan(constraints: Sequence[LinearConstraint], integrality: np.ndarray, upper: np.ndarray,
                       order: np.ndarray, count: int) -> np.ndarray:
    """Among the plans of ``count`` points meeting ``constraints``, the one that comes first in ``order``.

    Parameters
    ----------
    constraints : sequence of LinearConstraint
        The model's constraints plus its optimum written as a constraint, so that every plan
        meeting them is an optimal plan.
    integrality, upper : ndarray
        Integrality and upper bounds of all variables; the choice variables are the first
        ``len(order)``, binary.
    order : ndarray of int
        The choice variables in preference order (the candidates in ``candidate_id`` order).
    count : int
        Number of points of every optimal plan.

    Returns
    -------
    numpy.ndarray of bool
        Over the choice variables: the plan whose chosen positions in ``order`` are
        lexicographically smallest.

    Examples
    --------
    Any two of three candidates meet ``x0 + x1 + x2 >= 2``; in the order 2, 0, 1 the first plan
    takes candidates 2 and 0:

    >>> cover = LinearConstraint(one_row(np.ones(3)), 2, np.inf)
    >>> first_optimal_plan([cover], np.ones(3), np.ones(3), np.array([2, 0, 1]), 2).tolist()
    [True, False, True]

    Above :data:`EXACT_LIMIT` candidates the smallest sum of positions picks the same plan here:

    >>> import sys
    >>> solver = sys.modules["helpers.analysis.planning.solver"]
    >>> saved, solver.EXACT_LIMIT = solver.EXACT_LIMIT, 2
    >>> first_optimal_plan([cover], np.ones(3), np.ones(3), np.array([2, 0, 1]), 2).tolist()
    [True, False, True]
    >>> solver.EXACT_LIMIT = saved
    """
    order = np.asarray(order, int)
    n, upper = len(order), np.asarray(upper, float)
    lower, upper = np.zeros(len(upper)), upper.copy()
    if count <= 0:
        return np.zeros(n, bool)
    size = LinearConstraint(one_row(np.r_[np.ones(n), np.zeros(len(upper) - n)]), count, count)
    if n > EXACT_LIMIT:  # one solve: the optimal plan with the smallest sum of positions in ``order``
        cost = np.zeros(len(upper))
        cost[order] = np.arange(1, n + 1, dtype=float)
        return solve(cost, [*constraints, size], integrality, lower, upper)[:n] > 0.5
    for start in range(0, n, BLOCK):
        if lower[:n].sum() >= count:  # the plan is complete: every later candidate stays out
            break
        block = order[start:start + BLOCK]
        cost = np.zeros(len(upper))
        cost[block] = -(2.0 ** np.arange(len(block) - 1, -1, -1))
        x = solve(cost, [*constraints, size], integrality, lower, upper)
        take = x[block] > 0.5
        lower[block[take]], upper[block[~take]] = 1.0, 0.0
    return lower[:n] > 0.5
