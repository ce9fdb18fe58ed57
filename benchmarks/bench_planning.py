"""Planning benchmark: maximal coverage (MCLP) of the DKI instance, helpers.planning vs plain spopt.

The instance: 267 kelurahan (TPS-weighted), the 44 PPK sites with internet fixed, every default
candidate (active kantor lurah and kantor camat points, less those within 100 m of a site or of
another candidate), radius ``--radius-km`` and ``--p`` new points.

* **helpers.planning** (timed from the loaded EPSG:4326 layers): :func:`build_instance`
  (projection, island groups, candidate screening, distance matrices) + :func:`maximal_coverage`
  (sparse model, HiGHS through highspy);
* **plain spopt** (:func:`helpers.planning.spopt_mclp`): ``spopt.locate.MCLP.from_cost_matrix``
  on the full distance matrix (sites then candidates, the 44 sites as
  ``predefined_facilities_arr``, ``p_facilities = 44 + p``) and ``.solve(...)``, with CBC
  (spopt's documented solver) and with HiGHS through PuLP.  The distance matrices come
  ready-made from the instance (not timed), so the comparison favours spopt.

Both must reach the same objective (TPS of kelurahan covered); the script exits with status 1
if they do not.  Run: ``python benchmarks/bench_planning.py [--p 10] [--radius-km 2] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/bench_planning.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.timing import best_of, table  # noqa: E402

#: Target of issue 6: helpers.planning build + solve at least this many times faster than spopt.
TARGET_RATIO = 3.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--p", type=int, default=10, help="new points (default 10)")
    ap.add_argument("--radius-km", type=float, default=2.0, help="coverage radius (default 2 km)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # PuLP 3.x notices from spopt

    import highspy  # noqa: F401  (imports are not timed: spopt's alone takes about a second)
    import pulp
    import spopt.locate  # noqa: F401

    from helpers import planning as pl
    from helpers.demand import demand_units
    from helpers.loaders import load_boundaries, load_sites

    kel = load_boundaries("kelurahan")
    demand, sites, cand = demand_units(kelurahan=kel), load_sites(), pl.default_candidates()

    def ours():
        inst = pl.build_instance(demand, sites, cand, args.radius_km, kelurahan=kel)
        return pl.maximal_coverage(inst, args.p).figures["objective_tps"]

    inst = pl.build_instance(demand, sites, cand, args.radius_km, kelurahan=kel)
    t_ours, obj_ours = best_of(ours, args.repeats)
    rows, ok = [], True
    rows.append(["helpers.planning (build_instance + maximal_coverage, HiGHS)", t_ours, obj_ours, "1.0"])
    for label, solver in (("plain spopt MCLP.from_cost_matrix + solve, CBC", pulp.PULP_CBC_CMD(msg=False)),
                          ("plain spopt MCLP.from_cost_matrix + solve, HiGHS via PuLP", pulp.HiGHS(msg=False))):
        t, (obj, _) = best_of(lambda solver=solver: pl.spopt_mclp(inst, args.p, solver), args.repeats)
        rows.append([label, t, obj, f"{t / t_ours:.1f}"])
        ok &= obj == obj_ours
    title = (f"MCLP, DKI: {len(inst.demand)} kelurahan x {len(inst.candidates)} candidates "
             f"({len(cand)} before screening), {len(inst.sites)} sites fixed, p = {args.p}, "
             f"radius {args.radius_km:g} km; best of {args.repeats}")
    print(table(["model", "seconds", "objective (TPS covered)", "spopt / ours"], rows, title))
    ratio = rows[1][1] / t_ours
    print(f"\nplain spopt (CBC) {rows[1][1]:.3f} s / helpers.planning {t_ours:.3f} s = {ratio:.1f}x "
          f"(target >= {TARGET_RATIO:g}x): {'pass' if ratio >= TARGET_RATIO else 'FAIL'}; "
          f"same objective: {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
