"""The benchmark suite cannot rot: its reduced mode runs and prints well-formed tables, the
synthetic generator keeps its promises, and the coverage engine's results equal the
straightforward geopandas implementation's (same sites, distances within 1e-6 m).

No timing is asserted here (speed targets are reported by ``benchmarks/run.py``, not tested; ``best_of``
is checked on a fake clock).  The run of the reduced suite (~25 s) is marked slow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_coverage as bc  # noqa: E402
from benchmarks import synthetic  # noqa: E402
from benchmarks.timing import best_of, table  # noqa: E402


# --------------------------------------------------------------------------- synthetic generator
@pytest.fixture(scope="module")
def small():
    return synthetic.national(1 / 20)


def test_national_scale_has_the_official_counts():
    scn = synthetic.national()
    assert (scn.n_points, scn.n_sites, scn.n_kota) == (820_161, 7_277, 514)
    assert int(scn.demand_weight.sum()) == 820_161  # one TPS per point


def test_reduced_and_dki_like_scales_have_the_requested_counts(small):
    assert (small.n_points, small.n_sites, small.n_kota) == (41_008, 364, 26)  # 820161/20, 7277/20, 514/20
    ten = synthetic.dki_like(10)
    assert (ten.n_points, ten.n_sites, ten.n_kota) == (2_670, 440, 60)
    tps = synthetic.dki_tps_scale()
    assert (tps.n_points, tps.n_sites, tps.n_kota, int(tps.demand_weight.sum())) == (30_766, 44, 6, 30_766)


def test_same_seed_same_arrays_other_seed_other_arrays():
    a, b = synthetic.generate(500, 40, 5), synthetic.generate(500, 40, 5)
    c = synthetic.generate(500, 40, 5, seed=1)
    for field in ("demand_xy", "demand_kec", "demand_kota", "demand_weight", "site_xy", "site_kec",
                  "site_internet"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.demand_xy, c.demand_xy)


def test_one_site_per_kecamatan_every_kecamatan_populated_kota_consistent(small):
    assert sorted(small.site_kec.tolist()) == list(range(small.n_sites))
    assert not np.array_equal(small.site_kec, np.arange(small.n_sites))  # rows shuffled
    counts = np.bincount(small.demand_kec, minlength=small.n_sites)
    assert counts.min() >= 1 and counts.sum() == small.n_points
    kota_of_kec = np.empty(small.n_sites, np.int64)
    kota_of_kec[small.site_kec] = small.site_kota
    np.testing.assert_array_equal(small.demand_kota, kota_of_kec[small.demand_kec])
    assert set(small.site_kota.tolist()) == set(range(small.n_kota))
    assert small.site_internet.any() and not small.site_internet.all()


def test_points_lie_in_indonesia_and_cluster_around_their_own_site(small):
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(synthetic.SYNTHETIC_CRS, "EPSG:4326", always_xy=True).transform(
        small.demand_xy[:, 0], small.demand_xy[:, 1])
    x0, y0, x1, y1 = synthetic.EXTENT_LONLAT
    assert ((lon > x0) & (lon < x1) & (lat > y0) & (lat < y1)).all()
    own = np.empty(small.n_sites, np.int64)
    own[small.site_kec] = np.arange(small.n_sites)
    d_own = np.hypot(*(small.demand_xy - small.site_xy[own[small.demand_kec]]).T)
    rng = np.random.default_rng(0)
    d_any = np.hypot(*(small.demand_xy - small.site_xy[rng.integers(0, small.n_sites, small.n_points)]).T)
    assert np.median(d_own) < np.median(d_any) / 20  # clustered, not uniform noise


def test_weights():
    kel = synthetic.dki_like(10)
    assert kel.demand_weight.min() >= 1
    assert abs(kel.demand_weight.mean() - 30_766 / 267) < 0.05 * 30_766 / 267
    assert (synthetic.generate(100, 10, 2).demand_weight == 1).all()


@pytest.mark.parametrize("args", [(10, 20, 5), (100, 10, 20), (0, 0, 0)])
def test_impossible_sizes_are_refused(args):
    with pytest.raises(ValueError, match="n_points >= n_sites >= n_kota"):
        synthetic.generate(*args)


def test_geodataframes_carry_the_real_column_names():
    scn = synthetic.generate(50, 6, 2)
    demand, sites = synthetic.to_geodataframes(scn)
    assert {"kecamatan_kode", "kota_kode", "tps_total"} <= set(demand.columns)
    assert {"site_id", "kecamatan_kode", "kota_kode", "internet"} <= set(sites.columns)
    assert demand.crs == sites.crs == synthetic.SYNTHETIC_CRS
    assert set(demand["kecamatan_kode"]) <= set(sites["kecamatan_kode"])
    np.testing.assert_allclose(np.column_stack([demand.geometry.x, demand.geometry.y]), scn.demand_xy)


# --------------------------------------------------------------------------- baseline, by hand
def hand_problem():
    """2 sites 10 km apart; A has internet, B not; 3 points (3-4-5 triangles)."""
    return synthetic.Scenario(
        name="hand", demand_xy=np.array([[3_000.0, 4_000.0], [10_000.0, 0.0], [13_000.0, 4_000.0]]) + 700_000,
        demand_kec=np.array([0, 1, 1]), demand_kota=np.array([0, 1, 1]), demand_weight=np.array([10, 20, 30]),
        site_xy=np.array([[0.0, 0.0], [10_000.0, 0.0]]) + 700_000, site_kec=np.array([0, 1]),
        site_kota=np.array([0, 1]), site_internet=np.array([True, False]), crs="EPSG:32748")


def test_baseline_matches_hand_computed_values():
    base = bc.baseline_geopandas(*synthetic.to_geodataframes(hand_problem()))
    assert base["own_site"].tolist() == [0, 1, 1]
    np.testing.assert_allclose(base["own_dist"], [5_000, 0, 5_000])
    assert base["net_site"].tolist() == [0, 0, 0]  # B has no internet
    np.testing.assert_allclose(base["net_dist"], [5_000, 10_000, np.hypot(13_000, 4_000)])
    roll = base["rollup"]
    assert roll["points"].tolist() == [1, 2] and roll["tps"].tolist() == [10, 50]
    np.testing.assert_allclose(roll["own_mean_m"], [5_000, (20 * 0 + 30 * 5_000) / 50])
    np.testing.assert_allclose(roll["own_max_m"], [5_000, 5_000])
    np.testing.assert_allclose(roll["net_max_m"], [5_000, np.hypot(13_000, 4_000)])


def test_array_rollup_equals_pandas_rollup(small):
    rng = np.random.default_rng(3)
    own, net = rng.random(small.n_points) * 1e4, rng.random(small.n_points) * 1e4
    import pandas as pd

    df = pd.DataFrame({"kota_kode": small.demand_kota, "w": small.demand_weight, "own": own, "net": net})
    a = bc.rollup_arrays(small.demand_kota, small.demand_weight, own, net, small.n_kota)
    b = bc.rollup_pandas(df)
    for col in b.columns:
        np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-12)


def test_compare_reports_real_differences_and_forgives_ties():
    scn = hand_problem()
    base = bc.baseline_geopandas(*synthetic.to_geodataframes(scn))
    same = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    assert bc.compare(same, base, scn.site_xy, scn.demand_xy) == []
    moved = dict(same, own_dist=same["own_dist"] + 1e-3)
    assert bc.compare(moved, base, scn.site_xy, scn.demand_xy) == ["own_dist differs by up to 0.001 m"]
    wrong = dict(same, own_site=np.array([0, 0, 1]))
    assert bc.compare(wrong, base, scn.site_xy, scn.demand_xy) == ["own site differs for 1 points"]
    # a point equidistant from two internet sites may go to either
    tie = synthetic.Scenario(name="tie", demand_xy=np.array([[705_000.0, 9_300_000.0]]), demand_kec=np.array([0]),
                             demand_kota=np.array([0]), demand_weight=np.array([1]),
                             site_xy=np.array([[700_000.0, 9_300_000.0], [710_000.0, 9_300_000.0]]),
                             site_kec=np.array([0, 1]), site_kota=np.array([0, 0]),
                             site_internet=np.array([True, True]), crs="EPSG:32748")
    tb = bc.baseline_geopandas(*synthetic.to_geodataframes(tie))
    other = dict(tb, net_site=1 - tb["net_site"])
    assert bc.compare(other, tb, tie.site_xy, tie.demand_xy) == []


# --------------------------------------------------------------------------- engine == baseline
def _engine(scn):
    """The engine's result on ``scn``; ``engine_runner`` returns a string only when helpers.analysis.coverage.engine or
    its assign_core is missing, which here is a failure (the package is installed with the tests)."""
    run = bc.engine_runner(scn)
    assert callable(run), f"coverage engine {run}"
    return run()


@pytest.mark.parametrize("make", [lambda: synthetic.dki_like(10), lambda: synthetic.national(1 / 20),
                                  lambda: synthetic.generate(3_000, 300, 30, internet_share=0.2, seed=7),
                                  hand_problem], ids=["10x-dki", "national-20", "sparse-internet", "hand"])
def test_engine_equals_baseline_on_synthetic_data(make):
    scn = make()
    eng = _engine(scn)
    base = bc.baseline_geopandas(*synthetic.to_geodataframes(scn))
    assert bc.compare(eng, base, scn.site_xy, scn.demand_xy, tol_m=1e-6) == []


def test_engine_equals_baseline_on_dki_data():
    scn, gdfs, _ = bc.dki_scenario()
    eng = _engine(scn)
    base = bc.baseline_geopandas(*gdfs)
    assert bc.compare(eng, base, scn.site_xy, scn.demand_xy, tol_m=1e-6) == []
    demand = gdfs[0]
    assert int(base["rollup"]["tps"].sum()) == int(demand["tps_total"].sum())
    assert len(base["rollup"]) == demand["kota_kode"].nunique()


def test_high_level_coverage_equals_baseline_on_dki_data_islands_included():
    from helpers.analysis.coverage import engine as coverage

    scn, (demand, sites), _ = bc.dki_scenario()
    kel, _ = coverage.assign_demand(demand, sites)
    base = bc.baseline_geopandas(demand, sites, islands=True)
    ids = sites["site_id"].to_numpy()
    assert kel["site_id"].tolist() == ids[base["own_site"]].tolist()
    np.testing.assert_allclose(kel["distance_m"].to_numpy(), base["own_dist"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(kel["nearest_internet_distance_m"].to_numpy(), base["net_dist"], rtol=0, atol=1e-6)


# --------------------------------------------------------------------------- harness
def test_best_of_returns_the_best_time_and_the_last_result(monkeypatch):
    """On a fake clock (runs of 3, 1 and 2 s): the best time and the last run's result; with a budget
    of 3.5 s the repeats stop once 4 s are spent (after the second run); at least one run."""
    from types import SimpleNamespace

    from benchmarks import timing

    monkeypatch.setattr(timing, "gc", SimpleNamespace(collect=lambda: 0))  # a full collection takes ~0.3 s here

    def clock(*ticks):
        monkeypatch.setattr(timing, "time", SimpleNamespace(perf_counter=iter(ticks).__next__))

    calls = []

    def fn():
        calls.append(None)
        return len(calls)

    clock(0.0, 3.0, 10.0, 11.0, 20.0, 22.0)
    assert best_of(fn, repeats=3) == (1.0, 3) and len(calls) == 3
    calls.clear()
    clock(0.0, 3.0, 10.0, 11.0, 20.0, 22.0)
    assert best_of(fn, repeats=3, budget_s=3.5) == (1.0, 2) and len(calls) == 2
    calls.clear()
    clock(5.0, 7.5)
    assert best_of(fn, repeats=0) == (2.5, 1)


def test_table_aligns_columns():
    text = table(["name", "s"], [["a", 1.5], ["bbb", 10.25]], "T")
    assert text.splitlines() == ["T", "", "name       s", "----  ------", "a      1.500", "bbb   10.250"]


@pytest.mark.slow
def test_quick_suite_runs_and_prints_well_formed_tables(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--results-dir",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "cores" in out.splitlines()[0]
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("scale "))
    assert set(lines[head + 1].replace(" ", "")) == {"-"}
    rows = lines[head + 2:head + 7]
    assert [r.split("  ")[0] for r in rows] == ["DKI (real data)", "DKI, whole coverage step (compute_coverage)",
                                                "DKI-size, TPS points", "10x DKI", "national/20"]
    for r in (rows[0], rows[2], rows[3], rows[4]):
        assert " same " in r, r  # engine == baseline in the run itself
        cells = r.split()
        assert "not" not in cells  # every scale measured ("not available" would mean a missing engine)
    assert "Peak memory" in out and "Map HTML size" in out and "DKI Jakarta" in out
    saved = json.loads((tmp_path / "latest-quick.json").read_text())
    assert saved["header"]["cores"] >= 1 and saved["header"]["mode"] == "quick"
    assert [r["points"] for r in saved["coverage"]["rows"]] == [267, 267, 30_766, 2_670, 41_008]
    assert all(r["engine_s"] > 0 and r["floor_s"] > 0 for r in saved["coverage"]["rows"] if r["floor_s"])
    assert saved["maps"]["rows"][0]["offline_mb"] > saved["maps"]["rows"][0]["online_mb"] > 0
    # input checks: every file was checked (loaded or refused, never crashed); the bad workbook exits 2
    inputs = saved["inputs"]["stdout"]
    assert saved["inputs"]["exit_code"] == 0 and "CRASHED" not in inputs
    assert "facilities 5,000 xlsx" in inputs and "ok: 5,000 rows loaded" in inputs
    assert "sites 50,000 csv" in inputs and "refused: 1 problem(s)" in inputs
    assert "exit 2 after" in inputs and "notebook run: no" in inputs
    # planning: helpers.analysis.planning reaches the optima of the plain spopt / PuLP reference models
    plan = saved["planning"]
    assert plan["exit_code"] == 0, plan["stderr_tail"]
    assert "same MCLP objective: pass; same backup optimum: pass" in plan["stdout"]


def test_cell_times_split_imports_from_the_rest(tmp_path):
    import nbformat

    from benchmarks import bench_notebooks

    def cell(src, duration, tags=()):
        return nbformat.v4.new_code_cell(src, metadata={"tags": list(tags), "papermill": {"duration": duration}})

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell("import x", 1.25),
                                         cell("kota = None", 0.5, ["parameters"]), cell("work()", 2.0)])
    nbformat.write(nb, tmp_path / "nb.ipynb")
    assert bench_notebooks.cell_times(tmp_path / "nb.ipynb") == {"cells_s": 3.75, "imports_s": 1.25}
    empty = bench_notebooks.write_empty_notebook(tmp_path / "empty.ipynb")
    cells = nbformat.read(empty, as_version=4).cells
    assert len(cells) == 1 and cells[0].metadata["tags"] == ["parameters"]
