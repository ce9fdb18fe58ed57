"""Coverage benchmark: engine (helpers.analysis.coverage.engine) vs a straightforward geopandas baseline vs a
bare cKDTree floor, at DKI, 10x DKI and national scale; peak memory of the national run.

"Coverage" = assign every demand point to the site of its own kecamatan and to its nearest site
with internet, both distances in metres, and a per-kota rollup (points, TPS, TPS-weighted mean
and maximum of both distances).

* **engine**: :func:`helpers.analysis.coverage.engine.assign_core` (own site by integer join, nearest internet
  site by cKDTree, site loads and fallbacks) plus a ``np.bincount`` per-kota rollup
  (:func:`rollup_arrays`, here because ``helpers.analysis.coverage.engine.kota_table`` is built for the DKI
  attribute tables), on projected coordinates (see :func:`engine_runner`);
* **baseline**: what one would write with geopandas without thinking about speed
  (:func:`baseline_geopandas`): a merge on the kecamatan code and ``GeoSeries.distance`` on the
  aligned rows, ``geopandas.sjoin_nearest`` for the nearest internet site, ``groupby`` rollup;
* **floor**: ``scipy.spatial.cKDTree`` build + nearest query of the internet sites, nothing
  else (:func:`floor_runners`), the best of ``workers=1`` and ``workers=-1``.  No coverage
  code can be faster than one nearest-neighbour query.

All three start from projected inputs (arrays for engine and floor, a projected GeoDataFrame for
the baseline); building those inputs is not timed.  The extra "DKI, whole coverage step" row
times :func:`helpers.analysis.coverage.compute.compute_coverage` on the loaded EPSG:4326 layers as notebook
02 calls it (projection, assignment, every table and the gap list; loading not timed).

The engine's results are checked against the baseline's in the same run (column "vs baseline":
same own site, same nearest internet site except exact ties, distances within 1e-6 m, same
rollup).  Synthetic data: :mod:`benchmarks.synthetic` (EPSG:3395 metres); DKI: the shipped data
in UTM 48S.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

if __package__ in (None, ""):  # python benchmarks/bench_coverage.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import synthetic  # noqa: E402
from benchmarks.timing import best_of, interleaved  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Targets of issue 7 (seconds).
TARGET_DKI_S = 0.2
TARGET_NATIONAL_S = 5.0
TARGET_NATIONAL_FLOOR_RATIO = 2.0


# --------------------------------------------------------------------------- inputs
def dki_scenario():
    """The real DKI problem (267 kelurahan, 44 sites, 6 kota) as a Scenario in UTM 48S, plus the
    projected (demand, sites) GeoDataFrames and the original EPSG:4326 layers."""
    from helpers.analysis.demand import demand_units
    from helpers.io.islands import island_pps_points
    from helpers.core.geo import UTM48S
    from helpers.io.inputs import load_boundaries, load_facilities, load_sites, load_tps

    kel = load_boundaries("kelurahan")
    demand4326, sites4326 = demand_units(kel, load_tps(kelurahan=kel), load_facilities(), islands=island_pps_points()), load_sites()
    demand, sites = demand4326.to_crs(UTM48S), sites4326.to_crs(UTM48S)
    kec_codes = pd.Index(sites["kecamatan_kode"])
    kota_codes = pd.Index(sorted(sites["kota_kode"].unique()))
    scn = synthetic.Scenario(
        name="DKI (real data)",
        demand_xy=np.column_stack([demand.geometry.x, demand.geometry.y]),
        demand_kec=kec_codes.get_indexer(demand["kecamatan_kode"]).astype(np.int64),
        demand_kota=kota_codes.get_indexer(demand["kota_kode"]).astype(np.int64),
        demand_weight=demand["tps_total"].to_numpy(np.int64),
        site_xy=np.column_stack([sites.geometry.x, sites.geometry.y]),
        site_kec=np.arange(len(sites), dtype=np.int64),
        site_kota=kota_codes.get_indexer(sites["kota_kode"]).astype(np.int64),
        site_internet=sites["internet"].to_numpy(bool), crs=UTM48S)
    if (scn.demand_kec < 0).any():
        raise ValueError("a DKI kelurahan has no site for its kecamatan")
    return scn, (demand, sites), (demand4326, sites4326)


# --------------------------------------------------------------------------- baseline
def baseline_geopandas(demand, sites, *, islands: bool = False) -> dict:
    """Straightforward geopandas coverage of projected ``demand`` / ``sites`` GeoDataFrames.

    Returns ``own_site`` / ``net_site`` (positional row of ``sites``), ``own_dist`` /
    ``net_dist`` (metres) per demand row, and the per-kota ``rollup`` DataFrame.  With
    ``islands``, demand rows with ``island`` True look at every internet site and the others
    only at internet sites outside Kepulauan Seribu (the rule of :mod:`helpers.analysis.coverage.engine`).
    """
    import geopandas as gpd

    if islands:
        return _baseline_islands(demand, sites)

    site_rows = sites[["kecamatan_kode", "geometry"]].assign(_site=np.arange(len(sites)))
    own = demand[["kecamatan_kode"]].merge(site_rows, on="kecamatan_kode", how="left")
    own_geom = gpd.GeoSeries(own["geometry"].to_numpy(), index=demand.index, crs=sites.crs)
    own_dist = demand.geometry.distance(own_geom)

    net_sites = sites.loc[sites["internet"].to_numpy(bool), ["geometry"]].assign(
        _site=np.flatnonzero(sites["internet"].to_numpy(bool)))
    near = gpd.sjoin_nearest(demand[["geometry"]], net_sites, how="left", distance_col="_d")
    near = near[~near.index.duplicated(keep="first")]  # equidistant sites: keep one

    df = pd.DataFrame({"kota_kode": demand["kota_kode"].to_numpy(), "w": demand["tps_total"].to_numpy(),
                       "own": own_dist.to_numpy(), "net": near["_d"].to_numpy()})
    return {"own_site": own["_site"].to_numpy(), "own_dist": df["own"].to_numpy(),
            "net_site": near["_site"].to_numpy(), "net_dist": df["net"].to_numpy(),
            "rollup": rollup_pandas(df)}


def _baseline_islands(demand, sites) -> dict:
    import geopandas as gpd
    from helpers.analysis.demand import KEPULAUAN_SERIBU

    base = baseline_geopandas(demand, sites)
    isl = demand["island"].to_numpy(bool)
    inet = sites["internet"].to_numpy(bool) & sites["kota_kode"].ne(KEPULAUAN_SERIBU).to_numpy()
    main_sites = sites.loc[inet, ["geometry"]].assign(_site=np.flatnonzero(inet))
    near = gpd.sjoin_nearest(demand.loc[~isl, ["geometry"]], main_sites, how="left", distance_col="_d")
    near = near[~near.index.duplicated(keep="first")]
    net_site, net_dist = base["net_site"].copy(), base["net_dist"].copy()
    net_site[~isl], net_dist[~isl] = near["_site"].to_numpy(), near["_d"].to_numpy()
    df = pd.DataFrame({"kota_kode": demand["kota_kode"].to_numpy(), "w": demand["tps_total"].to_numpy(),
                       "own": base["own_dist"], "net": net_dist})
    return dict(base, net_site=net_site, net_dist=net_dist, rollup=rollup_pandas(df))


def rollup_pandas(df: pd.DataFrame) -> pd.DataFrame:
    """Per-kota points, TPS, TPS-weighted mean and max of ``own`` / ``net`` distances."""
    df = df.assign(w_own=df["w"] * df["own"], w_net=df["w"] * df["net"])
    g = df.groupby("kota_kode").agg(points=("w", "size"), tps=("w", "sum"), own_max_m=("own", "max"),
                                    net_max_m=("net", "max"), w_own=("w_own", "sum"), w_net=("w_net", "sum"))
    g["own_mean_m"] = g.pop("w_own") / g["tps"]
    g["net_mean_m"] = g.pop("w_net") / g["tps"]
    return g


# --------------------------------------------------------------------------- floor
def floor_runners(scn: synthetic.Scenario) -> dict:
    """The floor: bare cKDTree build + nearest query of the internet sites, ``workers=1`` and
    ``workers=-1`` (the table keeps the faster)."""
    pts, net = scn.demand_xy, scn.site_xy[scn.site_internet]

    def run(workers):
        return lambda: cKDTree(net).query(pts, workers=workers)

    return {"floor workers=1": run(1), "floor workers=-1": run(-1)}


# --------------------------------------------------------------------------- engine
def rollup_arrays(kota: np.ndarray, weight: np.ndarray, own: np.ndarray, net: np.ndarray,
                  n_kota: int) -> pd.DataFrame:
    """Per-kota rollup of :func:`rollup_pandas` with ``np.bincount`` / ``np.maximum.at``
    (kota ids 0..n_kota-1, rows in id order)."""
    w = weight.astype(float)
    tps = np.bincount(kota, weights=w, minlength=n_kota)
    out = {"points": np.bincount(kota, minlength=n_kota), "tps": tps}
    for name, d in (("own", own), ("net", net)):
        mx = np.full(n_kota, -np.inf)
        np.maximum.at(mx, kota, d)
        out[f"{name}_max_m"] = mx
    out["own_mean_m"] = np.bincount(kota, weights=w * own, minlength=n_kota) / tps
    out["net_mean_m"] = np.bincount(kota, weights=w * net, minlength=n_kota) / tps
    return pd.DataFrame(out)


def engine_runner(scn: synthetic.Scenario, workers: int = 1):
    """Zero-argument callable running :func:`helpers.analysis.coverage.engine.assign_core` and
    :func:`rollup_arrays` on ``scn`` and returning the normalised result dict (same keys as
    :func:`baseline_geopandas`), or a string saying why the engine cannot run."""
    try:
        from helpers.analysis.coverage import engine as coverage
    except ImportError as exc:
        return f"not available (module missing: {exc.name})"
    core = getattr(coverage, "assign_core", None)
    if core is None:
        return "not available (helpers.analysis.coverage.engine.assign_core missing)"
    n_kota = int(max(scn.demand_kota.max(initial=-1), scn.site_kota.max(initial=-1))) + 1

    def run():
        r = core(scn.demand_xy, scn.demand_kec, scn.site_xy, scn.site_kec, scn.site_internet,
                 demand_weight=scn.demand_weight, workers=workers)
        roll = rollup_arrays(scn.demand_kota, scn.demand_weight, r["own_dist_m"], r["nearest_internet_dist_m"],
                             n_kota)
        return {"own_site": r["own_site"], "own_dist": r["own_dist_m"], "net_site": r["nearest_internet_site"],
                "net_dist": r["nearest_internet_dist_m"], "rollup": roll}

    return run


def engine_highlevel_runner(demand4326, sites4326):
    """Zero-argument callable doing the whole DKI coverage step as notebook 02 does, on the
    loaded EPSG:4326 layers (loading is not timed): :func:`helpers.analysis.coverage.compute.compute_coverage`
    (projection, assignment, site / kecamatan / kota tables, gap list) when it exists, else
    project + :func:`~helpers.analysis.coverage.engine.assign_demand` + the site, kecamatan and kota tables."""
    try:
        from helpers.analysis.coverage import engine as coverage
    except ImportError as exc:
        return f"not available (module missing: {exc.name})"
    try:
        from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
        from helpers.io.inputs import load_inputs
    except ImportError:
        compute_coverage = None
    if compute_coverage is not None:
        inputs = coverage_inputs(load_inputs())

        def run_report():
            return compute_coverage(**inputs)

        return run_report
    from helpers.io.inputs import load_boundaries, load_facilities

    needed = ("project_inputs", "assign_demand", "site_table", "kecamatan_table", "kota_table", "Thresholds")
    missing = [n for n in needed if not hasattr(coverage, n)]
    if missing:
        return f"not available (helpers.analysis.coverage.engine lacks {', '.join(missing)})"
    kec, fac, th = load_boundaries("kecamatan"), load_facilities(), coverage.Thresholds()

    def run():
        demand, sites = coverage.project_inputs(demand4326, sites4326)
        kel, st = coverage.assign_demand(demand, sites)
        st = coverage.site_table(st, th)
        k = coverage.kecamatan_table(kec, kel, st, fac, th)
        return kel, coverage.kota_table(kel, st, k, th)

    return run


# --------------------------------------------------------------------------- checks
def compare(engine: dict, base: dict, site_xy: np.ndarray, demand_xy: np.ndarray, tol_m: float = 1e-6) -> list[str]:
    """Differences between engine and baseline results ([] when they agree).

    Own sites must be identical; nearest internet sites identical except where the two sites
    are equidistant within ``tol_m``; distances within ``tol_m`` metres; rollups within
    ``tol_m`` (distances) and exactly equal (counts).
    """
    problems = []
    if not np.array_equal(engine["own_site"], base["own_site"]):
        problems.append(f"own site differs for {int((engine['own_site'] != base['own_site']).sum())} points")
    diff = engine["net_site"] != base["net_site"]
    if diff.any():
        d_e = np.hypot(*(demand_xy[diff] - site_xy[engine["net_site"][diff]]).T)
        d_b = np.hypot(*(demand_xy[diff] - site_xy[base["net_site"][diff]]).T)
        real = np.abs(d_e - d_b) > tol_m
        if real.any():
            problems.append(f"nearest internet site differs for {int(real.sum())} points (not ties)")
    for key in ("own_dist", "net_dist"):
        err = np.max(np.abs(engine[key] - base[key]), initial=0.0)
        if not err <= tol_m:
            problems.append(f"{key} differs by up to {err:.3g} m")
    if engine.get("rollup") is not None:
        e, b = engine["rollup"], base["rollup"]
        if len(e) != len(b):
            problems.append(f"rollup has {len(e)} kota, baseline {len(b)}")
        else:
            for col in set(e.columns) & set(b.columns):
                err = np.max(np.abs(e[col].to_numpy(float) - b[col].to_numpy(float)), initial=0.0)
                if not err <= tol_m:
                    problems.append(f"rollup {col} differs by up to {err:.3g}")
    return problems


# --------------------------------------------------------------------------- rows
def measure(scn, gdfs, *, repeats: int, baseline_repeats: int, target_s=None, target_ratio=None,
            check: bool = True) -> dict:
    """One table row: times of engine, baseline and floor on ``scn`` plus the correctness check.

    Engine and floor are timed round-robin (``repeats`` rounds, each with ``workers=1`` and
    ``workers=-1``; the best of all is kept), so that load from other processes on the machine
    falls on both alike.  The baseline runs ``baseline_repeats`` times (best kept).
    """
    row = {"scale": scn.name, "points": scn.n_points, "sites": scn.n_sites, "kota": scn.n_kota,
           "target_s": target_s, "target_floor_ratio": target_ratio, "repeats": repeats}
    if gdfs is None:
        gdfs = synthetic.to_geodataframes(scn)
    if baseline_repeats > 0:
        row["baseline_s"], base = best_of(lambda: baseline_geopandas(*gdfs), baseline_repeats)
    else:
        row["baseline_s"], base = None, None
    fns = floor_runners(scn)
    runner = engine_runner(scn)
    if isinstance(runner, str):
        row["engine_s"], row["engine_note"], row["check"] = None, runner, None
    else:
        fns.update({"engine workers=1": runner, "engine workers=-1": engine_runner(scn, workers=-1)})
    best, results = interleaved(fns, repeats)
    row["floor_s"] = min(v for k, v in best.items() if k.startswith("floor"))
    row["timings"] = best
    if not isinstance(runner, str):
        row["engine_s"] = min(v for k, v in best.items() if k.startswith("engine"))
        row["engine_over_floor"] = row["engine_s"] / row["floor_s"]
        if base is not None and check:
            row["check_problems"] = compare(results["engine workers=1"], base, scn.site_xy, scn.demand_xy)
            row["check"] = not row["check_problems"]
    row["pass"] = _passes(row)
    return row


def _passes(row):
    if row.get("engine_s") is None or (row["target_s"] is None and row["target_floor_ratio"] is None):
        return None
    ok = row["target_s"] is None or row["engine_s"] <= row["target_s"]
    if row["target_floor_ratio"] is not None:
        ok = ok and row["engine_over_floor"] <= row["target_floor_ratio"]
    return ok


def run(quick: bool = False, log=print) -> dict:
    """All coverage rows; ``quick`` runs national at 1/20 scale and skips the memory subprocess."""
    rows = []
    scn, gdfs, layers = dki_scenario()
    log(f"coverage: {scn.name} ...")
    rows.append(measure(scn, gdfs, repeats=20, baseline_repeats=5, target_s=TARGET_DKI_S))
    rows.append(_highlevel_row(scn, layers, repeats=5 if quick else 20))
    scn = synthetic.dki_tps_scale()
    log(f"coverage: {scn.name} ...")
    rows.append(measure(scn, None, repeats=5 if quick else 10, baseline_repeats=3))
    scn = synthetic.dki_like(10)
    log(f"coverage: {scn.name} ...")
    rows.append(measure(scn, None, repeats=10, baseline_repeats=3))
    if quick:
        scn = synthetic.national(1 / 20)
        log(f"coverage: {scn.name} ...")
        rows.append(measure(scn, None, repeats=3, baseline_repeats=1))
        memory = measure_memory(1 / 20)
    else:
        scn = synthetic.national()
        log(f"coverage: {scn.name} (the geopandas baseline alone takes a while) ...")
        rows.append(measure(scn, None, repeats=5, baseline_repeats=1, target_s=TARGET_NATIONAL_S,
                            target_ratio=TARGET_NATIONAL_FLOOR_RATIO))
        memory = measure_memory(1.0)
    return {"rows": rows, "memory": memory}


def _highlevel_row(scn, layers, repeats):
    """The whole DKI coverage step as the notebook runs it, from the EPSG:4326 layers.

    No baseline or floor here: this row does more (kecamatan and kota tables, gap measures)
    than the three-way comparison, it answers "does DKI feel instant" (target <= 0.2 s).
    """
    row = {"scale": "DKI, whole coverage step (compute_coverage)", "points": scn.n_points, "sites": scn.n_sites,
           "kota": scn.n_kota, "target_s": TARGET_DKI_S, "target_floor_ratio": None, "baseline_s": None,
           "floor_s": None}
    runner = engine_highlevel_runner(*layers)
    if isinstance(runner, str):
        row["engine_s"], row["engine_note"] = None, runner
    else:
        row["engine_s"], _ = best_of(runner, repeats)
    row["pass"] = _passes(row)
    return row


# --------------------------------------------------------------------------- memory
def measure_memory(fraction: float = 1.0) -> dict:
    """Peak memory of a fresh Python process that builds the national scenario and runs the
    engine on it (``python -m benchmarks.bench_coverage --memory-child FRACTION``)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_coverage", "--memory-child", str(fraction)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = time.perf_counter() - t0
    return out


def _maxrss_mb() -> float:
    """Peak resident set size of this process so far, MiB.

    Linux: ``VmHWM`` of ``/proc/self/status``.  Not ``getrusage(...).ru_maxrss``: Linux carries
    the parent's high-water mark across fork + exec into the child's ``ru_maxrss``, so a child
    started by a process holding the national data would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def _memory_child(fraction: float) -> dict:
    import tracemalloc

    scn0 = synthetic.generate(10, 3, 1)
    runner = engine_runner(scn0)  # imports the engine's modules before the first reading
    out = {"scale": "national" if fraction == 1 else f"national/{round(1 / fraction)}",
           "method": "peak RSS (VmHWM) of a fresh subprocess + tracemalloc peak of the engine call",
           "rss_after_imports_mb": _maxrss_mb()}
    scn = synthetic.national(fraction)
    out["rss_after_data_mb"] = _maxrss_mb()
    if isinstance(runner, str):
        out["engine_note"] = runner
        return out
    runner = engine_runner(scn)
    runner()
    out["rss_peak_mb"] = _maxrss_mb()
    tracemalloc.start()
    runner()
    out["engine_traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory-child":
        print(json.dumps(_memory_child(float(sys.argv[2]))))
    else:
        sys.exit("usage: python benchmarks/run.py  (this module is run by it)")
