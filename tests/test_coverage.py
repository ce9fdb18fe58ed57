"""Coverage measures: hand-computed expectations on a tiny fixture, the shipped DKI data, and a
reference implementation (geopandas / shapely, one row at a time) that the vectorised engine must match.

The tiny fixture (tests/fixtures/coverage_*.csv, metres in EPSG:32748, origin O = (700000, 9300000)):

    Kota Satu (99.71)                                  Kepulauan Uji (99.01, island)
    K1 Satu Barat   site S1 at O, internet, verified    K4 Pulau Utara  site S4 at O+(0, 40000),
    K2 Satu Timur   site S2 at O+(8000, 0), NO internet,                internet, approximate
                    approximate
    K3 Satu Selatan NO site

    L1 K1 O+(3000, 4000) 100 TPS  -> S1 5000 m (3-4-5), exactly at the 5 km threshold (within)
    L2 K1 O+(0, -6000)    50 TPS  -> S1 6000 m (beyond 5 km), no PPS office (approximate)
    L3 K2 O+(8000, 3000)  10 TPS  -> S2 3000 m; nearest internet site S1 at sqrt(8000^2+3000^2)
    L4 K2 O+(5000, 0)     10 TPS  -> S2 3000 m; nearest internet site S1 at 5000 m
    L5 K3 O+(0, -12000)   30 TPS  -> no site
    L6 K4 O+(3000, 44000)  8 TPS  -> S4 5000 m, island: sea crossing
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from helpers.analysis.coverage.engine import DKI_LABEL, Thresholds, assign_core, assign_demand, project_inputs
from helpers.analysis.coverage.compute import GAP_COLUMNS, compute_coverage, coverage_inputs, fmt
from helpers.core.scope import Scope
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.core.geo import UTM48S, WGS84, GeographicCRSError, geodesic_distance_m

FIX = __import__("pathlib").Path(__file__).parent / "fixtures"
BOOL = {"True": True, "False": False}


# ---------------------------------------------------------------------------------------------
# tiny fixture
# ---------------------------------------------------------------------------------------------
def _points(name):
    df = pd.read_csv(FIX / name, dtype=str)
    for c in ("internet", "approximate", "island"):
        if c in df:
            df[c] = df[c].map(BOOL)
    if "tps_total" in df:
        df["tps_total"] = df["tps_total"].astype(int)
    geom = gpd.points_from_xy(df.pop("x").astype(float), df.pop("y").astype(float))
    return gpd.GeoDataFrame(df, geometry=geom, crs=UTM48S)


@pytest.fixture(scope="module")
def tiny_inputs():
    kec = pd.read_csv(FIX / "coverage_kecamatan.csv", dtype=str)
    polys = [box(*map(float, r)) for r in kec[["minx", "miny", "maxx", "maxy"]].to_numpy()]
    kec_gdf = gpd.GeoDataFrame(kec[["kode", "nama", "kota_kode", "kota"]], geometry=polys, crs=UTM48S)
    camat = kec[kec["kantor_camat"] == "True"]
    facilities = pd.DataFrame({"facility_type": "kantor_camat", "status": "active",
                               "kecamatan_kode": camat["kode"], "kota_kode": camat["kota_kode"]})
    press = pd.DataFrame({"name": ["Gudang Uji"], "facility_type": ["warehouse"], "kota": ["Kota Satu"],
                          "pemilu_2024": ["True"], "position_known": ["False"]})
    dpt = pd.DataFrame({"kota_kode": ["99.71", "99.01"], "kota": ["Kota Satu", "Kepulauan Uji"],
                        "dpt": [1000, 50]})
    # handed over in UTM so that L1 lies exactly on the 5 km threshold (a lon/lat round trip moves it by
    # nanometres); compute_coverage accepts any CRS and projects to EPSG:32748 itself
    return {"demand": _points("coverage_demand.csv"), "sites": _points("coverage_sites.csv"), "kecamatan": kec_gdf,
            "facilities": facilities, "press": press, "dpt": dpt}


@pytest.fixture(scope="module")
def tiny(tiny_inputs):
    return compute_coverage(**tiny_inputs, language="en")


def _row(table, kota):
    return table[table["kota"] == kota].iloc[0]


def test_tiny_kelurahan_assignment(tiny):
    k = tiny.kelurahan.set_index("nama")
    assert k["site_id"].to_dict() == {"Satu A": "PPK-99.71.01", "Satu B": "PPK-99.71.01",
                                      "Dua A": "PPK-99.71.02", "Dua B": "PPK-99.71.02", "Tiga A": "",
                                      "Pulau A": "PPK-99.01.01"}
    np.testing.assert_allclose(k["distance_m"].drop("Tiga A"), [5000, 6000, 3000, 3000, 5000], atol=1e-3)
    assert math.isnan(k.at["Tiga A", "distance_m"])
    assert k["nearest_internet_site_id"].to_dict() == {
        "Satu A": "PPK-99.71.01", "Satu B": "PPK-99.71.01", "Dua A": "PPK-99.71.01", "Dua B": "PPK-99.71.01",
        "Tiga A": "PPK-99.71.01", "Pulau A": "PPK-99.01.01"}
    np.testing.assert_allclose(k["nearest_internet_distance_m"],
                               [5000, 6000, math.hypot(8000, 3000), 5000, 12000, 5000], atol=1e-3)
    assert k.index[k["nearest_not_own"]].tolist() == ["Dua A", "Dua B"]
    assert k.index[k["sea_crossing"]].tolist() == ["Pulau A"]


def test_tiny_sites_load_and_fallback(tiny):
    s = tiny.sites.set_index("site_id")
    assert s["tps_load"].to_dict() == {"PPK-99.71.01": 150, "PPK-99.71.02": 20, "PPK-99.01.01": 8}
    assert s["n_kelurahan"].tolist() == [2, 2, 1]
    # kota mean load 85 -> 150/85 and 20/85; the island kota has one site
    np.testing.assert_allclose(s["load_ratio"], [150 / 85, 20 / 85, 1.0], rtol=1e-6)
    assert s["overloaded"].tolist() == [True, False, False]
    # S1 has no other mainland internet site; S2 falls back to S1 at 8 km; S4 crosses the sea to S1
    assert s["fallback_site_id"].tolist() == ["", "PPK-99.71.01", "PPK-99.71.01"]
    assert math.isnan(s.at["PPK-99.71.01", "fallback_distance_m"])
    np.testing.assert_allclose(s["fallback_distance_m"].iloc[1:], [8000, 40000], atol=1e-3)
    assert s["weak_fallback"].tolist() == [True, True, False]
    assert s["sea_crossing"].tolist() == [False, False, True]


def test_tiny_kota_table(tiny):
    a, b, dki = (_row(tiny.kota, n) for n in ("Kota Satu", "Kepulauan Uji", DKI_LABEL))
    expect_a = dict(n_kecamatan=3, n_sites=2, n_sites_internet=1, n_sites_position_known=1, n_kecamatan_without_site=1,
                    n_kelurahan=5, tps=200, dpt=1000, tps_per_site_mean=85.0, tps_per_site_max=150,
                    n_sites_overloaded=1, distance_median_km=4.0, distance_max_km=6.0, n_kelurahan_beyond_max=1,
                    share_tps_within_max=0.6, n_kelurahan_nearest_not_own=2, fallback_median_km=8.0,
                    fallback_max_km=8.0, n_sites_weak_fallback=2, n_kelurahan_sea_crossing=0,
                    n_kelurahan_without_pps_office=1, n_kecamatan_without_ppk_office=1,
                    n_warehouse_positions_known=0)
    for key, value in expect_a.items():
        assert a[key] == pytest.approx(value), key
    # sorted mainland distances 3000, 3000, 5000, 6000: 95th percentile (linear) = 5000 + 0.85 * 1000
    assert a["distance_p95_km"] == pytest.approx(5.85)
    assert a["tps_per_site_max_mean"] == pytest.approx(150 / 85, abs=1e-4)
    # the island kota: no mainland distance at all, its one row is a sea crossing
    assert b["n_kelurahan_sea_crossing"] == 1 and b["tps"] == 8 and b["n_sites_position_known"] == 0
    for key in ("distance_median_km", "distance_max_km", "share_tps_within_max", "fallback_max_km"):
        assert math.isnan(b[key]), key
    assert b["tps_per_site_max_mean"] == 1.0 and b["n_kecamatan_without_ppk_office"] == 1
    # all of DKI: loads 150, 20, 8 -> mean 178/3
    assert dki["tps"] == 208 and dki["dpt"] == 1050 and dki["n_sites"] == 3 and dki["n_kecamatan"] == 4
    assert dki["tps_per_site_mean"] == pytest.approx(178 / 3, abs=1e-3)
    assert dki["tps_per_site_max_mean"] == pytest.approx(150 / (178 / 3), abs=1e-4)
    assert dki["distance_median_km"] == 4.0 and dki["share_tps_within_max"] == 0.6
    assert dki["n_kelurahan_sea_crossing"] == 1 and dki["n_kecamatan_without_ppk_office"] == 2


def test_tiny_kecamatan_table(tiny):
    k = tiny.kecamatan.set_index("kecamatan")
    assert k["has_site"].to_dict() == {
        "Pulau Utara": True, "Satu Barat": True, "Satu Timur": True, "Satu Selatan": False}
    assert k["tps"].to_dict() == {"Pulau Utara": 8, "Satu Barat": 150, "Satu Timur": 20, "Satu Selatan": 30}
    assert k.at["Satu Barat", "distance_max_km"] == 6.0 and k.at["Satu Barat", "distance_median_km"] == 5.5
    assert k["ppk_office_known"].to_dict() == {"Pulau Utara": False, "Satu Barat": True, "Satu Timur": False,
                                               "Satu Selatan": True}
    assert k["n_gaps"].to_dict() == {"Pulau Utara": 2, "Satu Barat": 4, "Satu Timur": 6, "Satu Selatan": 1}


def test_tiny_gap_list(tiny):
    g = tiny.gaps
    assert list(g.columns) == GAP_COLUMNS
    assert g["kind"].value_counts().to_dict() == {
        "no_site": 1, "no_internet": 1, "far_from_ppk": 1, "nearest_not_own": 2, "overloaded_site": 1,
        "weak_fallback": 2, "site_position_unverified": 2, "no_pps_office": 1, "no_ppk_office": 2,
        "no_warehouse_position": 2}
    far = g[g["kind"] == "far_from_ppk"].iloc[0]
    assert (far["kelurahan"], far["value"], far["threshold"], far["unit"]) == ("Satu B", 6.0, 5.0, "km")
    assert far["sentence"] == ("The PPS office of kelurahan Satu B is 6.0 km (straight line) from its "
                               "kecamatan's PPK site, more than the 5.0 km threshold. "
                               "(This distance uses an approximate position.)")
    # Satu B has no PPS office; S2 (own site of Dua A/B, fallback owner) is approximate; S1 has no fallback
    assert g.loc[g["kind"] == "weak_fallback"].set_index("site_id")["approximate"].to_dict() == {
        "PPK-99.71.01": False, "PPK-99.71.02": True}
    assert g.loc[g["kind"].isin(["far_from_ppk", "nearest_not_own"]), "approximate"].all()
    near = g[g["kind"] == "nearest_not_own"].set_index("kelurahan")
    assert near["threshold"].to_dict() == {"Dua A": 8.544, "Dua B": 5.0}
    wh = g[g["kind"] == "no_warehouse_position"].set_index("kota")["sentence"]
    assert "Gudang Uji" in wh["Kota Satu"] and "no warehouse was reported" in wh["Kepulauan Uji"]
    assert g.loc[g["kind"] == "no_site", "sentence"].iloc[0].startswith("Kecamatan Satu Selatan has no known")
    over = g[g["kind"] == "overloaded_site"].iloc[0]
    assert over["value"] == pytest.approx(1.764706) and over["threshold"] == 1.5
    # the sea-crossing row is not a distance gap; it is in its own table
    assert tiny.sea_crossing["straight_line_km"].tolist() == [5.0, 40.0]
    assert tiny.sea_crossing["kind"].tolist() == ["kelurahan_to_ppk", "site_fallback"]


def test_tiny_thresholds_are_parameters(tiny_inputs):
    r = compute_coverage(**tiny_inputs, thresholds=Thresholds(max_distance_km=6, fallback_max_km=10,
                                                              overload_ratio=2, max_tps_per_site=100))
    counts = r.gaps["kind"].value_counts()
    assert "far_from_ppk" not in counts and "overloaded_site" not in counts  # 6 km is within 6 km
    assert counts["tps_ceiling"] == 1 and counts["weak_fallback"] == 1  # S1 still has no fallback
    assert _row(r.kota, "Kota Satu")["share_tps_within_max"] == pytest.approx(170 / 200)
    assert r.figures()["threshold_max_tps_per_site"] == 100


def test_tiny_known_warehouse_closes_the_gap(tiny_inputs):
    wh = pd.DataFrame({"facility_type": ["warehouse"], "status": ["active"], "kecamatan_kode": ["99.01.01"],
                       "kota_kode": ["99.01"]})
    r = compute_coverage(**{**tiny_inputs, "facilities": pd.concat([tiny_inputs["facilities"], wh])})
    assert r.gaps.loc[r.gaps["kind"] == "no_warehouse_position", "kota"].tolist() == ["Kota Satu"]
    assert _row(r.kota, "Kepulauan Uji")["n_warehouse_positions_known"] == 1


@pytest.mark.parametrize("bad", [{"max_distance_km": 0}, {"overload_ratio": -1}, {"fallback_max_km": "5"},
                                 {"max_tps_per_site": 0}])
def test_thresholds_are_checked(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        Thresholds(**bad)


def test_tiny_kota_scope_and_language(tiny_inputs, tiny):
    kota_satu = Scope("99", "Provinsi Uji", "99.71", "Kota Satu", "Kota Satu", "kota-satu")
    r = compute_coverage(**tiny_inputs, scope=kota_satu)
    assert r.scope == "Kota Satu" and len(r.kota) == 1 and set(r.gaps["kota"]) == {"Kota Satu"}
    assert len(r.gaps) == (tiny.gaps["kota"] == "Kota Satu").sum()
    assert r.gaps.loc[r.gaps["kind"] == "far_from_ppk", "sentence"].iloc[0] == (
        "Kantor PPS Kelurahan Satu B berjarak 6,0 km (garis lurus) dari lokasi PPK kecamatannya, "
        "lebih dari batas 5,0 km. (Jarak ini memakai posisi perkiraan.)")


def test_figures_are_flat_json(tiny):
    import json
    fig = json.loads(json.dumps(tiny.figures()))
    assert fig["scope"] == DKI_LABEL and fig["tps"] == 208 and fig["gaps_total"] == 15
    assert fig["gaps_no_site"] == 1 and fig["gaps_tps_ceiling"] == 0 and len(fig["gaps"]) == 15
    assert fig["distance_p95_km"] == pytest.approx(5.85)


# ---------------------------------------------------------------------------------------------
# engine edge cases and the CRS guard
# ---------------------------------------------------------------------------------------------
def test_distance_functions_refuse_degrees(tiny_inputs):
    with pytest.raises(GeographicCRSError):
        assign_demand(tiny_inputs["demand"].to_crs(WGS84), tiny_inputs["sites"].to_crs(WGS84))
    with pytest.raises(GeographicCRSError, match="degrees"):
        assign_core([[106.8, -6.2]], [0], [[106.9, -6.1]], [0], [True])


def test_core_rejects_two_sites_for_one_kecamatan():
    with pytest.raises(ValueError, match="more than one site"):
        assign_core([[7e5, 9.3e6]], [0], [[7e5, 9.3e6], [7.1e5, 9.3e6]], [0, 0], [True, True])


def test_core_without_internet_sites():
    r = assign_core([[7e5, 9.3e6]], [0], [[7e5 + 300, 9.3e6 + 400]], [0], [False])
    assert r["own_dist_m"].tolist() == [500.0] and r["nearest_internet_site"].tolist() == [-1]
    assert r["fallback_site"].tolist() == [-1] and np.isnan(r["fallback_dist_m"]).all()


# ---------------------------------------------------------------------------------------------
# shipped DKI data
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dki_inputs():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return coverage_inputs(load_inputs())


@pytest.fixture(scope="module")
def dki(dki_inputs):
    return compute_coverage(**dki_inputs)


def test_dki_totals_and_assignment(dki, dki_inputs):
    """The DKI row adds up the inputs (their values: tests/test_data.py)."""
    demand, sites, kec = dki_inputs["demand"], dki_inputs["sites"], dki_inputs["kecamatan"]
    n_kel, n_tps = len(demand), int(demand["tps_total"].sum())
    kel = dki.kelurahan
    assert len(kel) == n_kel and int(kel["tps_total"].sum()) == n_tps
    assert kel["kode"].is_unique and kel["site_id"].ne("").all()
    assert kel["site_id"].isin(dki.sites["site_id"]).all()
    assert (kel["site_id"].str[4:] == kel["kecamatan_kode"]).all()  # own kecamatan's site
    assert int(dki.sites["tps_load"].sum()) == n_tps and int(dki.sites["n_kelurahan"].sum()) == n_kel
    d = _row(dki.kota, DKI_LABEL)
    assert (d["tps"], d["dpt"], d["n_kecamatan"], d["n_sites"], d["n_sites_internet"]) == (
        n_tps, int(dki_inputs["dpt"]["dpt"].sum()), len(kec), len(sites), int(sites["internet"].sum()))
    assert d["n_sites_position_known"] == int((~sites["approximate"]).sum()) and d["n_kecamatan_without_site"] == 0
    assert d["n_kelurahan_sea_crossing"] == int((demand["kota_kode"] == "31.01").sum())  # the islands


def test_dki_facility_gaps(dki, dki_inputs):
    g, fac, sites = dki.gaps, dki_inputs["facilities"], dki_inputs["sites"]
    active = fac[fac["status"] == "active"]
    lurah = active.loc[active["facility_type"] == "kantor_lurah", "kelurahan_kode"]
    assert (g["kind"] == "no_pps_office").sum() == int((~dki_inputs["demand"]["kode"].isin(lurah)).sum()) > 0
    assert sorted(g.loc[g["kind"] == "no_ppk_office", "kecamatan"]) == [
        "Jatinegara", "Kepulauan Seribu Selatan", "Kepulauan Seribu Utara"]
    assert sorted(g.loc[g["kind"] == "no_warehouse_position", "kota"]) == sorted(dki.kota["kota"][:-1])
    assert (g["kind"] == "site_position_unverified").sum() == int(sites["approximate"].sum())


def test_dki_and_kota_tables_agree(dki, dki_inputs):
    k = dki.kota[dki.kota["kota"] != DKI_LABEL]
    d = _row(dki.kota, DKI_LABEL)
    for col in ("n_kecamatan", "n_sites", "n_sites_internet", "n_sites_position_known", "n_kelurahan", "tps", "dpt",
                "n_kelurahan_beyond_max", "n_kelurahan_nearest_not_own", "n_sites_overloaded",
                "n_sites_weak_fallback", "n_kelurahan_sea_crossing", "n_kelurahan_without_pps_office",
                "n_kecamatan_without_ppk_office"):
        assert d[col] == k[col].sum(), col
    for col in ("tps_per_site_max", "distance_max_km", "fallback_max_km"):
        assert d[col] == k[col].max(), col
    assert d["tps_per_site_mean"] == pytest.approx(d["tps"] / d["n_sites"], abs=1e-3)
    for name in k["kota"]:
        one = compute_coverage(**dki_inputs, scope=resolve_scope(kota=name))
        pd.testing.assert_frame_equal(one.kota, dki.kota[dki.kota["kota"] == name].reset_index(drop=True))
        pd.testing.assert_frame_equal(one.gaps, dki.gaps[dki.gaps["kota"] == name].reset_index(drop=True))
        assert one.headline()["tps"] == one.kelurahan["tps_total"].sum() == one.kecamatan["tps"].sum()


def test_dki_site_removed_and_link_lost(dki_inputs):
    sites = dki_inputs["sites"]
    sites = sites[sites["kecamatan"] != "Gambir"].copy()
    sites.loc[sites["kecamatan"] == "Menteng", "internet"] = False
    r = compute_coverage(**{**dki_inputs, "sites": sites}, scope=resolve_scope(kota="Jakarta Pusat"))
    g = r.gaps
    assert g.loc[g["kind"] == "no_site", "kecamatan"].tolist() == ["Gambir"]
    assert g.loc[g["kind"] == "no_internet", "kecamatan"].tolist() == ["Menteng"]
    h = r.headline()
    assert (h["n_kecamatan_without_site"], h["n_sites"], h["n_sites_internet"]) == (1, 7, 6)
    gambir = r.kelurahan[r.kelurahan["kecamatan"] == "Gambir"]
    assert len(gambir) == 6 and gambir["site_id"].eq("").all()
    # Menteng's kelurahan now all look elsewhere for internet
    menteng = r.kelurahan[r.kelurahan["kecamatan"] == "Menteng"]
    assert menteng["nearest_not_own"].all()
    assert h["tps"] == 3129 and int(r.sites["tps_load"].sum()) == 3129 - int(gambir["tps_total"].sum())


def test_dki_distances_match_geodesic(dki):
    kel = dki.kelurahan[dki.kelurahan["distance_m"] > 0]
    sites = dki.sites.set_index("site_id").loc[kel["site_id"]]
    geod = geodesic_distance_m(kel.geometry.x.to_numpy(), kel.geometry.y.to_numpy(),
                               sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy())
    np.testing.assert_allclose(kel["distance_m"].to_numpy(), geod, rtol=0.005)
    s = dki.sites[dki.sites["fallback_site_id"] != ""]
    fb = dki.sites.set_index("site_id").loc[s["fallback_site_id"]]
    geod = geodesic_distance_m(s.geometry.x.to_numpy(), s.geometry.y.to_numpy(),
                               fb.geometry.x.to_numpy(), fb.geometry.y.to_numpy())
    np.testing.assert_allclose(s["fallback_distance_m"].to_numpy(), geod, rtol=0.005)


def reference_assign(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame):
    """The engine's results by plain geopandas: own site and nearest internet site from the one
    reference engine of tests and benchmarks (``benchmarks.bench_coverage.baseline_geopandas``,
    islands rule included), fallbacks by a per-site loop (the baseline has none)."""
    from benchmarks.bench_coverage import baseline_geopandas

    base = baseline_geopandas(demand, sites, islands=True)
    ids = sites["site_id"].to_numpy()
    inet = sites[sites["internet"]]
    island_sites = sites["kecamatan_kode"].isin(demand.loc[demand["island"], "kecamatan_kode"])
    main_inet = inet[~island_sites[inet.index]]
    fb_id, fb_d = [], []
    for i, row in sites.iterrows():
        pool = (inet if island_sites[i] else main_inet).drop(index=i, errors="ignore")
        d = pool.distance(row.geometry)
        fb_id.append(pool.at[d.idxmin(), "site_id"])
        fb_d.append(d.min())
    return (ids[base["own_site"].astype(int)], base["own_dist"], ids[base["net_site"].astype(int)], base["net_dist"],
            np.array(fb_id), np.array(fb_d))


def test_engine_matches_reference_on_dki(dki_inputs):
    demand, sites = project_inputs(dki_inputs["demand"], dki_inputs["sites"])
    kel, st = assign_demand(demand, sites)
    own_id, own_d, near_id, near_d, fb_id, fb_d = reference_assign(demand, sites)
    assert (kel["site_id"].to_numpy() == own_id).all()
    assert (kel["nearest_internet_site_id"].to_numpy() == near_id).all()
    assert (st["fallback_site_id"].to_numpy() == fb_id).all()
    np.testing.assert_allclose(kel["distance_m"].to_numpy(), own_d, rtol=1e-12)
    np.testing.assert_allclose(kel["nearest_internet_distance_m"].to_numpy(), near_d, rtol=1e-12)
    np.testing.assert_allclose(st["fallback_distance_m"].to_numpy(), fb_d, rtol=1e-12)


def test_fmt():
    assert fmt(0.6, "id") == "0,6" and fmt(1569, "en", 0) == "1,569"


@pytest.mark.parametrize("basis, names", [
    ("kota", ["Cakung", "Cengkareng", "Jagakarsa", "Kemayoran"]),
    ("dki", ["Cakung", "Cengkareng", "Cilincing", "Duren Sawit", "Kalideres", "Tanjung Priok"])])
def test_overload_on_both_bases(basis, names):
    """Kemayoran (701 TPS) is 1.79x the Jakarta Pusat mean (3,129 TPS / 8 sites = 391) but not 1.5x the
    DKI mean (30,766 / 44 = 699.2); Tanjung Priok (1,089 TPS) is 1.56x the DKI mean."""
    r = compute_coverage(**coverage_inputs(load_inputs()), thresholds=Thresholds(overload_basis=basis))
    gaps = r.gaps[r.gaps["kind"] == "overloaded_site"]
    assert sorted(gaps["kecamatan"]) == names
    h = r.headline()
    assert (h["n_sites_overloaded_kota"], h["n_sites_overloaded_dki"]) == (4, 6)
    assert h["n_sites_overloaded"] == len(names)
    kemayoran = r.sites.set_index("kecamatan").loc["Kemayoran"]
    assert kemayoran["load_ratio_kota"] == pytest.approx(701 / (3129 / 8), abs=1e-5)
    assert kemayoran["load_ratio_dki"] == pytest.approx(701 / (30766 / 44), abs=1e-5)
    word = {"kota": "rata-rata lokasi PPK di ", "dki": "rata-rata lokasi PPK se-DKI Jakarta"}[basis]
    assert all(word in s for s in gaps["sentence"])


def test_overload_basis_is_checked():
    with pytest.raises(ValueError, match="overload_basis must be one of kota, dki"):
        Thresholds(overload_basis="provinsi")
