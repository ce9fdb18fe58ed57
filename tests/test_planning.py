"""Planning models on a tiny hand-solved instance, the DKI instance, and the notebook.

The fixture (tests/fixtures/planning_*.csv, coordinates in km east/north of 700000 E, 9300000 N
in EPSG:32748) is a line of five mainland kelurahan K1..K5 at x = 0, 3, 6, 9, 12 km (TPS 10, 20,
30, 40, 50) and one island kelurahan "Pulau Uji" (TPS 5) at (0, 3.2) in Kepulauan Seribu.
Sites: S1 at K1, S2 on the island; S5 at K4 has no internet (never counts); S3 (3.5, 0) and
S4 (5, 0) only in the outage network.  Candidates: C1 50 m from S1 (excluded), C2 (4.5, 0),
C3 at K3, C4 at K4, C5 (10.5, 0), C6 on the shore 1.3 km from the island (sea: never covers it),
C7 (3, 0.5), C8 (7.5, 0), C9 50 m from C5 (excluded).  Radius 1.5 km; a distance equal to the
radius is within it (C2-K2, C2-K3, C5-K5, C8-K3, C8-K4 are exactly 1.5 km).
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import LinearConstraint
from shapely.geometry import box

from helpers.analysis import planning as pl
from helpers.reports import planning as rep
from helpers.core.geo import UTM48S, GeographicCRSError
from helpers.core.scope import Scope
from helpers.analysis.planning.solver import BLOCK, first_optimal_plan, one_row

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks import reference_planning as ref  # noqa: E402  (spopt and PuLP: the reference models)
X0, Y0 = 700_000.0, 9_300_000.0
# spopt 0.7 builds its models with PuLP calls that PuLP 3.x marks deprecated
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulp")


def _points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(X0 + df["x_km"] * 1000, Y0 + df["y_km"] * 1000),
                            crs=UTM48S)


def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(FIX / name, keep_default_na=False,
                     dtype={"kode": str, "kecamatan_kode": str, "kota_kode": str})
    for c in ("approximate", "island", "internet", "outage_only"):
        if c in df.columns:
            df[c] = df[c].astype(str).eq("True")
    return df


@pytest.fixture(scope="module")
def toy():
    dem = _read("planning_demand.csv")
    kel = gpd.GeoDataFrame(
        dem[["kode", "nama", "kota_kode", "kota"]],
        geometry=[box(X0 + a * 1000, Y0 + c * 1000, X0 + b * 1000, Y0 + d * 1000)
                  for a, b, c, d in zip(dem["poly_x0"], dem["poly_x1"], dem["poly_y0"], dem["poly_y1"])],
        crs=UTM48S)
    sites = _points(_read("planning_sites.csv"))
    return {"demand": _points(dem), "kel": kel, "sites": sites[~sites["outage_only"]], "all_sites": sites,
            "cand": _points(_read("planning_candidates.csv"))}


def _inst(toy, sites="sites", **kw):
    return pl.build_instance(toy["demand"], toy[sites], toy["cand"], 1.5, kelurahan=toy["kel"], **kw)


def test_instance_screens_candidates_and_separates_islands(toy):
    inst = _inst(toy)
    assert dict(zip(inst.excluded["candidate_id"], inst.excluded["reason"])) == {
        "C1": "at an existing site", "C9": "duplicate of another candidate"}
    assert list(inst.sites["site_id"]) == ["S1", "S2"]  # S5 has no internet
    assert list(inst.sites["island_group"]) == ["", "Pulau Uji"]
    c6 = list(inst.candidates["candidate_id"]).index("C6")
    island = list(inst.demand["nama"]).index("Pulau Uji")
    assert np.isinf(inst.cand_dist[island, c6])  # 1.3 km, but across the sea
    assert inst.site_dist[island, 1] == pytest.approx(1300.0)
    assert dict(zip(inst.candidates["candidate_id"], inst.candidates["kota"]))["C2"] == "Kota A"


def test_instance_refuses_unprojected_input(toy):
    bad = toy["sites"].copy().set_crs(None, allow_override=True)
    with pytest.raises(GeographicCRSError, match="no CRS"):
        pl.build_instance(toy["demand"], bad, toy["cand"], 1.5, kelurahan=toy["kel"])
    for bad_radius in (0, -1, "two", None):
        with pytest.raises(pl.PlanningError, match="radius_km"):
            pl.build_instance(toy["demand"], toy["sites"], toy["cand"], bad_radius, kelurahan=toy["kel"])
    twice = toy["cand"].copy()
    twice.loc[twice["facility_id"] == "C3", "facility_id"] = "C2"
    with pytest.raises(pl.PlanningError, match=r"\['C2'\] appear more than once"):
        pl.build_instance(toy["demand"], toy["sites"], twice, 1.5, kelurahan=toy["kel"])


@pytest.mark.parametrize("p, chosen, objective", [
    (0, [], 15),                # K1 (S1) + island (S2)
    (1, ["C5"], 105),           # C5 covers K4 + K5 = 90
    (2, ["C2", "C5"], 155),     # + C2 covers K2 + K3 = 50: every mainland kelurahan
    (3, ["C2", "C5"], 155),     # nothing left to cover: no third point is proposed
])
def test_maximal_coverage_with_fixed_sites(toy, p, chosen, objective):
    res = pl.maximal_coverage(_inst(toy), p)
    assert sorted(res.chosen["candidate_id"]) == chosen
    assert res.figures["objective_tps"] == objective
    assert res.figures["tps_covered_before"] == 15
    status = dict(zip(res.kelurahan["nama"], res.kelurahan["status"]))
    assert status["K1"] == status["Pulau Uji"] == "covered_before"
    if p >= 2:
        assert status["K2"] == "newly_covered"
        assert dict(zip(res.chosen["candidate_id"], res.chosen["newly_covered_tps"])) == {"C2": 50, "C5": 90}


def test_maximal_coverage_matches_plain_spopt(toy):
    inst = _inst(toy)
    for p, objective in ((1, 105), (2, 155)):
        assert ref.spopt_mclp(inst, p)[0] == pl.maximal_coverage(inst, p).figures["objective_tps"] == objective


def test_maximal_coverage_one_kota(toy):
    kota_b = Scope("31", "DKI Jakarta", "31.72", "Kota B", "Kota B", "kota-b")  # the toy's second kota
    res = pl.maximal_coverage(_inst(toy, scope=kota_b), 1)
    assert list(res.chosen["candidate_id"]) == ["C5"]
    assert (res.figures["tps_total"], res.figures["objective_tps"]) == (90, 90)


def test_backup_coverage_and_unreachable_report(toy):
    res = pl.backup_coverage(_inst(toy))
    # K2 needs C2 and C7; K4 needs two of C4, C5, C8; C8 also gives K3 its second: 4 points, and
    # of the two optimal plans (C4 or C5 as K4's second) the first in candidate_id order
    assert res.figures["points_needed"] == 4 == ref.pulp_backup(_inst(toy))[0]
    assert sorted(res.chosen["candidate_id"]) == ["C2", "C4", "C7", "C8"]
    # K1: 1 site, 0 candidates; K5: 0 sites, 1 candidate (C9 excluded); island: C6 is across the sea
    assert list(res.unreachable["nama"]) == ["K1", "K5", "Pulau Uji"]
    assert res.unreachable["reason"].iloc[2] == "only 1 internet site(s) and 0 candidate(s) within 1.5 km " \
                                                "on island group Pulau Uji"
    meets = dict(zip(res.kelurahan["nama"], res.kelurahan["meets_target"]))
    assert meets == {"K1": False, "K2": True, "K3": True, "K4": True, "K5": False, "Pulau Uji": False}
    assert res.figures["tps_unreachable"] == 10 + 50 + 5
    # best effort: K5 also gets the one candidate it can reach (C5), still 4 points (C5 serves K4 too)
    res = pl.backup_coverage(_inst(toy), best_effort=True)
    assert sorted(res.chosen["candidate_id"]) == ["C2", "C5", "C7", "C8"]
    assert dict(zip(res.kelurahan["nama"], res.kelurahan["sites_after"]))["K5"] == 1
    assert list(res.unreachable["nama"]) == ["K1", "K5", "Pulau Uji"]


def test_equally_good_plans_are_decided_by_candidate_id_not_row_order(toy):
    shuffled = toy["cand"].iloc[::-1].reset_index(drop=True)
    inst = pl.build_instance(toy["demand"], toy["sites"], shuffled, 1.5, kelurahan=toy["kel"])
    assert sorted(pl.backup_coverage(inst).chosen["candidate_id"]) == ["C2", "C4", "C7", "C8"]
    # C4 renamed to come after C5: the other optimal plan (C5 as K4's second) is now the first
    renamed = toy["cand"].replace({"facility_id": {"C4": "C99"}})
    inst = pl.build_instance(toy["demand"], toy["sites"], renamed, 1.5, kelurahan=toy["kel"])
    assert sorted(pl.backup_coverage(inst).chosen["candidate_id"]) == ["C2", "C5", "C7", "C8"]


def test_first_optimal_plan_across_blocks():
    """One point from each of 9 groups of 5 (45 variables: three blocks); the preference order is
    a permutation, so the plan is the group member that comes first in it, whatever HiGHS returns."""
    n, groups = 45, 9
    assert n > 2 * BLOCK
    member = np.zeros((groups, n))
    member[np.arange(n) // 5, np.arange(n)] = 1.0
    cover = LinearConstraint(member, 1, np.inf)
    order = np.random.default_rng(7).permutation(n)
    first = [min(range(5 * g, 5 * g + 5), key=list(order).index) for g in range(groups)]
    plan = first_optimal_plan([cover], np.ones(n), np.ones(n), order, groups)
    assert np.flatnonzero(plan).tolist() == sorted(first)
    # a continuous helper variable after the choice variables is carried along
    with_y = LinearConstraint(np.c_[member, np.zeros(groups)], 1, np.inf)
    y_at_most_x0 = LinearConstraint(one_row(np.r_[-1.0, np.zeros(n - 1), 1.0]), -np.inf, 0)
    plan = first_optimal_plan([with_y, y_at_most_x0], np.r_[np.ones(n), 0], np.ones(n + 1), order, groups)
    assert np.flatnonzero(plan).tolist() == sorted(first)


def test_data_is_an_argument_never_a_hidden_default():
    for fn, names in ((pl.default_candidates, ["facilities"]),
                      (pl.build_instance, ["demand", "sites", "candidates", "kelurahan"])):
        params = inspect.signature(fn).parameters
        assert all(params[name].default is inspect.Parameter.empty for name in names), fn.__name__


def test_outage_losses_and_fallbacks(toy):
    inst = _inst(toy, sites="all_sites")
    res = pl.outage(inst, ["Kec. Beta", "s2"])  # by kecamatan name and by site id
    assert res.figures["down_sites"] == "S3, S2"
    assert (res.figures["kelurahan_losing_coverage"], res.figures["tps_losing_coverage"]) == (2, 25)
    rows = res.kelurahan.set_index("nama")
    assert list(rows.index) == ["K2", "Pulau Uji"]
    assert (rows.at["K2", "fallback_site_id"], rows.at["K2", "fallback_km"]) == ("S4", 2.0)
    assert not rows.at["K2", "sea_crossing"]
    # no working site on the island: nearest across the sea, flagged
    assert (rows.at["Pulau Uji", "fallback_site_id"], rows.at["Pulau Uji", "fallback_km"]) == ("S1", 3.2)
    assert rows.at["Pulau Uji", "sea_crossing"]
    # a new point at C7 keeps K2 covered
    res2 = pl.outage(inst, ["Beta", "S2"], added=["C7"])
    rows2 = res2.kelurahan.set_index("nama")
    assert res2.figures["tps_losing_coverage"] == 5
    assert (rows2.at["K2", "fallback_site_id"], rows2.at["K2", "fallback_km"]) == ("C7", 0.5)
    assert not rows2.at["K2", "loses_coverage"]
    with pytest.raises(pl.PlanningError, match="no site matches"):
        pl.outage(inst, ["Atlantis"])


def test_kota_table_totals(toy):
    inst = _inst(toy)
    tab = rep.kota_table(pl.maximal_coverage(inst, 1), pl.backup_coverage(inst)).set_index("kota")
    assert tab.at["Kota B", "tps_newly_covered"] == 90
    assert tab.at["Kota A", "kelurahan_covered_before"] == 1
    assert tab.at["Total", "kelurahan"] == 6
    assert tab.at["Total", "kelurahan_unreachable_for_2"] == 3


# ---------------------------------------------------------------------------------------------
# the DKI instance
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dki():
    from helpers.analysis.demand import demand_units
    from helpers.io.islands import island_pps_points
    from helpers.io.inputs import load_boundaries, load_facilities, load_sites, load_tps

    kel, fac = load_boundaries("kelurahan"), load_facilities()
    demand = demand_units(kel, load_tps(kelurahan=kel), fac, islands=island_pps_points())
    return pl.build_instance(demand, load_sites(), pl.default_candidates(fac), 2.0, kelurahan=kel)


def test_dki_instance(dki):
    assert dki.site_dist.shape == (len(dki.demand), len(dki.sites)) and len(dki.sites) > 0
    # Kepulauan Seribu has no candidate point: none of its 6 kelurahan can reach 2 sites
    res = pl.backup_coverage(dki)
    seribu = res.unreachable[res.unreachable["kota"] == "Kepulauan Seribu"]
    assert len(seribu) == 6 and seribu["island_group"].ne("").all()
    # p = 0 is the existing network, measured here from the geometries (not the distance matrix):
    # a kelurahan is covered by an internet site within 2 km on its own island group
    dem, sites = dki.demand, dki.sites
    covered = [sites[sites["island_group"] == g].distance(pt).min() <= 2000.0
               for pt, g in zip(dem.geometry, dem["island_group"].fillna(""))]
    assert pl.maximal_coverage(dki, 0).figures["objective_tps"] == int(dem.loc[covered, "tps_total"].sum()) == 22369
    # more points never cover less (the notebook's committed figures: p = 10 covers 26,862 TPS)
    cov = [pl.maximal_coverage(dki, p).figures["objective_tps"] for p in (0, 1, 5, 10)]
    assert cov == [22369, 22985, 24946, 26862]


def test_dki_one_point_is_the_best_single_candidate_first_in_id_order(dki):
    """p = 1 by enumeration: the TPS each candidate alone newly covers; the largest, and among
    candidates reaching it (several do: kantor lurah and camat close together) the first id."""
    within = dki.cand_dist <= dki.radius_m
    uncovered = ~(dki.site_dist <= dki.radius_m).any(axis=1)
    gain = dki.weights @ (within & uncovered[:, None])
    ids = dki.candidates["candidate_id"].to_numpy()
    best = sorted(ids[gain == gain.max()])
    assert len(best) > 1  # a tie that the rule decides
    res = pl.maximal_coverage(dki, 1)
    assert list(res.chosen["candidate_id"]) == best[:1]
    assert res.figures["tps_newly_covered"] == gain.max()


@pytest.mark.parametrize("p", [1, 5, 10])
def test_dki_maximal_coverage_matches_plain_spopt(dki, p):
    """Same optimum as spopt on the full matrix (CBC); spopt's plan is one of the optimal plans,
    so it cannot come before ours in candidate_id order."""
    res = pl.maximal_coverage(dki, p)
    objective, theirs = ref.spopt_mclp(dki, p)
    assert objective == res.figures["objective_tps"]
    ours = sorted(res.chosen["candidate_id"])
    assert len(ours) == len(theirs) == p and ours <= sorted(theirs)


def test_dki_backup_plan_matches_plain_pulp(dki):
    res = pl.backup_coverage(dki)
    needed, theirs = ref.pulp_backup(dki)
    assert res.figures["points_needed"] == needed == 72
    ours = sorted(res.chosen["candidate_id"])
    assert ours <= sorted(theirs)
    # the plan is a valid one: every kelurahan that can reach two sites has two
    assert res.kelurahan.loc[~res.kelurahan["unreachable"], "meets_target"].all()


def test_dki_outage_of_gambir(dki):
    res = pl.outage(dki, ["Gambir"])
    assert res.figures["down_sites"] == "PPK-31.71.01"
    lost = res.kelurahan[res.kelurahan["loses_coverage"]]
    assert len(lost) == res.figures["kelurahan_losing_coverage"] > 0
    assert (lost["working_sites_within_radius"] == 0).all()
    assert (lost["fallback_site_id"] != "PPK-31.71.01").all()


# ---------------------------------------------------------------------------------------------
# outputs
# ---------------------------------------------------------------------------------------------
def test_report_figures_tables_and_escaped_map(toy, tmp_path):
    from helpers.reports import planning as rep

    cand = toy["cand"].copy()
    cand.loc[cand["facility_id"] == "C5", "name"] = "<script>alert(1)</script>"
    inst = pl.build_instance(toy["demand"], toy["all_sites"], cand, 1.5, kelurahan=toy["kel"])
    mclp, backup = pl.maximal_coverage(inst, 1), pl.backup_coverage(inst)
    single = pl.single_site_outages(inst)
    # S3 alone serves K2 (20 TPS), S2 alone the island (5); S1 and S4 too serve one kelurahan each
    assert dict(zip(single["site_id"], single["tps_losing_coverage"])) == {"S4": 30, "S3": 20, "S1": 10, "S2": 5}
    out = pl.outage(inst, ["S4"])
    fig = rep.figures(inst, mclp, backup, out, single, language="en")
    assert fig["mclp_objective_tps"] == 10 + 20 + 30 + 5 + 90 and fig["worst_single_site"] == "S4"
    assert [g["kelurahan"] for g in fig["gaps"]] == [r for r in backup.unreachable["nama"]]
    assert fig["outage_tps_losing_coverage"] == 30
    written = rep.write(tmp_path, inst, mclp, backup, out, single, kelurahan=toy["kel"], language="en",
                        offline=True, basemap=None)
    new = pd.read_csv(written["new_points"])
    assert list(new["candidate_id"]) == ["C5"] and new["lon"].between(106, 108).all()
    page = written["map"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "alert(1)" in page


# ---------------------------------------------------------------------------------------------
# the notebook
# ---------------------------------------------------------------------------------------------
NOTEBOOK = ROOT / "notebooks" / "03-site-planning.ipynb"


def _figures(out: Path) -> dict:
    return json.loads((out / "03-site-planning.figures.json").read_text(encoding="utf-8"))


@pytest.mark.notebooks
@pytest.mark.xdist_group("nb-03")
def test_notebook_dki(nbval_run):
    """The figures of the session's run for all of DKI (the nbval run, default parameters)."""
    from helpers.io.inputs import load_sites, load_tps

    out = nbval_run(NOTEBOOK.stem).output("dki")
    fig, tps, sites = _figures(out), load_tps(), load_sites()
    total = int(tps["tps_total"].sum())
    assert fig["scope"] == "DKI Jakarta" and fig["mclp_tps_total"] == total and fig["mclp_kelurahan"] == len(tps)
    assert fig["sites_with_internet"] == int(sites["internet"].sum()) and fig["mclp_points_proposed"] == 10
    assert fig["mclp_tps_covered_after"] > fig["mclp_tps_covered_before"]
    assert fig["backup_kelurahan_unreachable"] == len(fig["gaps"]) >= 6  # the 6 islands at least
    kota = pd.read_csv(out / "planning-kota.csv").set_index("kota")
    assert kota.loc["Total", "tps"] == kota.drop("Total")["tps"].sum() == total
    assert kota.loc["Total", "new_points"] == 10
    html = (out / "map-site-planning.html").read_text(encoding="utf-8")
    assert "<script src=\"http" not in html and "planning-new" in html


@pytest.mark.notebooks
@pytest.mark.xdist_group("nb-03")
def test_notebook_one_kota_with_outage(executed_notebook):
    out = executed_notebook(NOTEBOOK.stem, kota="jaktim", p=3, radius_km=1.5, down_sites=["Cakung", "PPK-31.75.02"],
                            language="en")
    fig = _figures(out)
    assert fig["scope"] == "Jakarta Timur" and fig["language"] == "en" and fig["mclp_points_proposed"] == 3
    assert fig["outage_down_sites"] == "PPK-31.75.06, PPK-31.75.02"  # Cakung is 31.75.06
    from helpers.io.inputs import load_boundaries

    tab = pd.read_csv(out / "planning-kelurahan.csv")
    kel = load_boundaries("kelurahan")
    assert set(tab["kota"]) == {"Jakarta Timur"} and len(tab) == int((kel["kota"] == "Jakarta Timur").sum())
    new = pd.read_csv(out / "planning-new-points.csv")
    assert set(new["kota"]) == {"Jakarta Timur"}
