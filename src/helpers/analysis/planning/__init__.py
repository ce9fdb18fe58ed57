"""Site planning: where to add backup internet points, and what an outage of recap sites costs.

Three models over the kelurahan demand units (:func:`helpers.analysis.demand.demand_units`, weighted by
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
(:func:`build_instance`); island kelurahan of Kepulauan Seribu are only covered from their own
island group, and the nearest site across the sea is still named by :func:`outage`, flagged
``sea_crossing``.

Modules: :mod:`.instance` (inputs, distance matrices, candidate screening), :mod:`.models` (MCLP and
backup coverage), :mod:`.outage`, :mod:`.results` (:class:`PlanResult` and the shared tables) and
the plumbing :mod:`.solver` (SciPy's ``milp`` and the rule that picks one plan among equally good
ones: the first in ``candidate_id`` order).  Every data input is an argument; only
:mod:`helpers.io.inputs` reads files.

Why :func:`scipy.optimize.milp` and not a PySAL ``spopt`` model
--------------------------------------------------------------
``spopt.locate.MCLP.from_cost_matrix`` builds, through PuLP, one constraint per kelurahan with a
term for *every* facility (0/1 coefficients from the full distance matrix: 267 x 287 terms for
DKI), fixes the existing sites with bound constraints, writes the model to a file and calls a
solver process.  Here the model is reduced before it is built: kelurahan already covered by a
fixed site are taken out (they count as covered), candidates that cover none of the rest are
dropped, only the pairs within the radius become matrix entries, and the sparse matrix is
passed in memory to HiGHS, the solver inside SciPy.  The optimum is the same (checked against
spopt in tests/test_planning.py and ``benchmarks/bench_planning.py``, whose reference formulation
``benchmarks/reference_planning.py`` holds; spopt, PuLP and highspy are test and benchmark
dependencies only) and build + solve is several times faster; the benchmark prints the figures.

Examples
--------
>>> from helpers.io import inputs as loaders
>>> from helpers.analysis import planning
>>> from helpers.analysis.demand import demand_units
>>> from helpers.io.islands import island_pps_points
>>> kel, fac = loaders.load_boundaries("kelurahan"), loaders.load_facilities()
>>> demand = demand_units(kel, loaders.load_tps(kelurahan=kel), fac, islands=island_pps_points())
>>> inst = planning.build_instance(demand, loaders.load_sites(), planning.default_candidates(fac), 2.0,
...                                kelurahan=kel)
>>> planning.maximal_coverage(inst, 10).figures["tps_covered_after"]
26862
"""

from helpers.analysis.planning.instance import (CANDIDATE_TYPES, DEFAULT_RADIUS_KM, MIN_SEPARATION_M, PlanningError,
    PlanningInstance, build_instance, default_candidates, distance_matrix)
from helpers.analysis.planning.models import backup_coverage, maximal_coverage
from helpers.analysis.planning.outage import outage, resolve_down_sites, single_site_outages
from helpers.analysis.planning.results import PlanResult

__all__ = [
    "CANDIDATE_TYPES", "DEFAULT_RADIUS_KM", "MIN_SEPARATION_M", "PlanningError", "PlanningInstance", "PlanResult",
    "backup_coverage", "build_instance", "default_candidates", "distance_matrix", "maximal_coverage", "outage",
    "resolve_down_sites", "single_site_outages",
]
