"""A kota without any recapitulation site: every notebook shows the gap instead of failing.

The sites file is ``data/processed/recap_sites.csv`` minus the rows of one kota (same columns), as
a user's incomplete file would be.  Expected values are counted from ``data/processed/tps_kelurahan.csv``
and the sites file (the counts themselves, e.g. Jakarta Pusat: 8 kecamatan, 44 kelurahan, 3,129 TPS,
36 sites left of 44, are pinned in tests/test_data.py).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from helpers.io import inputs as loaders
from helpers.core import paths
from helpers.analysis import planning
from helpers.reports import planning as planning_report
from helpers.io.national import resolve_scope
from helpers.reports.coverage import write as write_coverage
from helpers.analysis.coverage.compute import compute_coverage
from helpers.analysis.demand import demand_units
from helpers.core.geo import UTM48S
from helpers.maps import recap_sites_map, save_map
from helpers.reports.recap import figures as recap_figures
from helpers.io.validation import DataValidationWarning
from helpers.batch.execute import execute_notebook  # papermill, the kernel on IPC sockets

SITES = paths.processed("sites")
TPS_CSV = paths.processed("tps")
_TPS = pd.read_csv(TPS_CSV, dtype={"kecamatan_kode": str})
_SITES = pd.read_csv(SITES, dtype=str, keep_default_na=False)


def _counts(kota: str) -> tuple[int, int, int, int]:
    rows = _TPS[_TPS["kota"] == kota]
    return (rows["kecamatan_kode"].nunique(), len(rows), int(rows["tps_total"].sum()),
            int((_SITES["kota"] != kota).sum()))


#: kota -> (kecamatan, kelurahan, TPS, sites left in the reduced file)
EXPECTED = {kota: _counts(kota) for kota in ("Jakarta Pusat", "Kepulauan Seribu")}
#: Jakarta Pusat's kecamatan -> (kelurahan, TPS)
JAKPUS_KECAMATAN = {k: (int(r["size"]), int(r["sum"])) for k, r in _TPS[_TPS["kota"] == "Jakarta Pusat"].groupby(
    "kecamatan")["tps_total"].agg(["size", "sum"]).iterrows()}


def _without(kota: str, folder: Path) -> Path:
    """The shipped sites file minus the rows of ``kota`` (all columns kept, text kept as is)."""
    sites = pd.read_csv(SITES, dtype=str, keep_default_na=False)
    path = folder / f"sites_without_{kota.replace(' ', '_')}.csv"
    sites[sites["kota"] != kota].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request, tmp_path_factory):
    """(kota, reduced sites path, inputs loaded from it)."""
    kota = request.param
    path = _without(kota, tmp_path_factory.mktemp("sites"))
    data = loaders.load_inputs(sites_path=path)
    return kota, path, data


def test_the_counts_are_those_of_the_loaded_data():
    """The expectations (from the CSV files) agree with the loaders: one site per kecamatan."""
    tps, sites = loaders.load_tps(), loaders.load_sites()
    for kota, (n_kec, n_kel, n_tps, n_left) in EXPECTED.items():
        rows = tps[tps["kota"] == kota]
        assert (rows["kecamatan_kode"].nunique(), len(rows), int(rows["tps_total"].sum())) == (n_kec, n_kel, n_tps)
        assert (sites["kota"] == kota).sum() == n_kec and len(sites) - n_kec == n_left


def test_loader_warns_about_every_kecamatan_without_a_site(case, tmp_path):
    kota, path, data = case
    n_kec, _, _, n_left = EXPECTED[kota]
    assert len(data.sites) == n_left and not (data.sites["kota"] == kota).any()
    no_site = [w for w in data.warnings if "kecamatan have no site" in w]
    assert len(no_site) == 1 and f"{n_kec} kecamatan have no site" in no_site[0]
    with pytest.warns(DataValidationWarning, match=f"{n_kec} kecamatan have no site"):
        loaders.load_sites(path)


# ---------------------------------------------------------------------------------------------
# notebook 01: the map
# ---------------------------------------------------------------------------------------------
def test_recap_map_draws_the_kota_with_an_empty_sites_layer(case, tmp_path):
    kota, _, data = case
    n_kec, n_kel, n_tps, _ = EXPECTED[kota]
    m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps,
                        scope=resolve_scope(kota=kota), language="en", basemap=None)
    assert len(m.recap_sites) == 0
    html_path = save_map(m, tmp_path / "map-recap-sites.html")
    html = html_path.read_text(encoding="utf-8")
    assert f"PPK vote-recapitulation sites, 2024 election — {kota}" in html
    assert "0 sites; 0 with an approximate position (dashed circles); 0 with internet" in html
    assert "PPK recapitulation sites (0)" in html  # the layer is there, empty
    assert html.count('"className":"recap-site ') == 0
    kec_names = data.kecamatan.loc[data.kecamatan["kota"].str.endswith(kota), "nama"]
    assert len(kec_names) == n_kec
    for name in kec_names:  # the kecamatan boundaries of the kota are drawn, with their tooltip
        assert json.dumps(f"Kecamatan {name}") in html
    fig = recap_figures(m.recap_sites, scope=resolve_scope(kota=kota), html_path=html_path, tps=data.tps, offline=True)
    assert fig == {"kota": kota, "n_sites": 0, "n_sites_approximate": 0, "n_sites_position_known": 0, "n_venues_confirmed": 0,
                   "n_sites_internet": 0, "n_tps_recapitulated": 0, "map_html_bytes": html_path.stat().st_size,
                   "offline": True}


def test_dki_map_keeps_the_seribu_inset_without_seribu_sites(tmp_path):
    path = _without("Kepulauan Seribu", tmp_path)
    data = loaders.load_inputs(sites_path=path)
    m = recap_sites_map(data.sites, data.kota, data.kecamatan, language="en", basemap=None)
    html = m.get_root().render()
    assert f"{EXPECTED['Kepulauan Seribu'][3]} sites;" in html
    assert html.count("RecapMap.inset(") == 1  # the islands are still shown, in the inset
    assert html.count('"className":"recap-site-inset ') == 0  # with no site on them
    assert "Kepulauan Seribu Utara" in html and "Kepulauan Seribu Selatan" in html


# ---------------------------------------------------------------------------------------------
# notebook 02: the coverage gaps
# ---------------------------------------------------------------------------------------------
def test_coverage_lists_a_no_site_gap_for_each_kecamatan(case, tmp_path):
    kota, _, data = case
    n_kec, n_kel, n_tps, _ = EXPECTED[kota]
    result = compute_coverage(demand_units(data.kelurahan, data.tps, data.facilities, islands=data.island_pps), data.sites, data.kecamatan,
                              facilities=data.facilities, press=data.press, dpt=data.dpt,
                              scope=resolve_scope(kota=kota), language="en", boundaries=data.kota)
    no_site = result.gaps[result.gaps["kind"] == "no_site"]
    assert len(no_site) == n_kec
    assert set(no_site["kecamatan"]) == set(result.kecamatan["kecamatan"]) and len(result.kecamatan) == n_kec
    h = result.headline()
    assert (h["n_kecamatan"], h["n_sites"], h["n_kecamatan_without_site"], h["n_kelurahan"], h["tps"]) == (
        n_kec, 0, n_kec, n_kel, n_tps)
    assert len(result.sites) == 0 and (result.kelurahan["site_id"] == "").all()
    if kota == "Jakarta Pusat":
        for _, gap in no_site.iterrows():
            kel, tps = JAKPUS_KECAMATAN[gap["kecamatan"]]
            assert f"{kel} kelurahan ({tps} TPS)" in gap["sentence"]
    fig = result.figures()
    assert fig["gaps_no_site"] == n_kec and fig["n_sites"] == 0 and fig["tps"] == n_tps
    written = write_coverage(result, tmp_path, offline=False)
    assert json.loads(json.dumps(fig)) == fig  # JSON-ready
    gaps_csv = pd.read_csv(tmp_path / "coverage-gaps.csv")
    assert (gaps_csv["kind"] == "no_site").sum() == n_kec
    html = (tmp_path / "map-coverage-gaps.html").read_text(encoding="utf-8")
    assert "PPK sites (0)" in html and f"PPS offices / kelurahan ({n_kel})" in html
    assert all(p.is_file() for p in written.values())
    assert set(written) >= {"gaps", "gpkg", "map", "chart_load"}


# ---------------------------------------------------------------------------------------------
# notebook 03: site planning
# ---------------------------------------------------------------------------------------------
def _covered_by_hand(demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, radius_m: float) -> np.ndarray:
    """Kelurahan with an internet site within ``radius_m`` (straight line), one row at a time."""
    pts = demand.to_crs(UTM48S)
    net = sites[sites["internet"].astype(bool)].to_crs(UTM48S)
    return np.array([float(net.distance(point).min()) <= radius_m for point in pts.geometry])


def test_planning_covers_no_kelurahan_from_a_site_of_its_own(case, tmp_path):
    kota, _, data = case
    _, n_kel, n_tps, n_left = EXPECTED[kota]
    demand = demand_units(data.kelurahan, data.tps, data.facilities, islands=data.island_pps)
    candidates = planning.default_candidates(data.facilities)
    inst = planning.build_instance(demand, data.sites, candidates, 2.0, kelurahan=data.kelurahan,
                                   scope=resolve_scope(kota=kota))
    assert (len(inst.demand), int(inst.weights.sum()), len(inst.sites)) == (n_kel, n_tps, n_left)
    assert not (inst.sites["kota"] == kota).any()  # every site left is in another kota
    mclp = planning.maximal_coverage(inst, 10)
    backup = planning.backup_coverage(inst)
    single = planning.single_site_outages(inst)
    outage = planning.outage(inst, [single["site_id"].iloc[0]])
    f = mclp.figures
    by_hand = _covered_by_hand(inst.demand, data.sites, 2000.0)
    covered = int((mclp.kelurahan["status"] == "covered_before").sum())
    assert f["kelurahan_covered_before"] == int(by_hand.sum()) == covered
    if kota == "Kepulauan Seribu":
        # no site of its own and none across the sea: nothing is covered, and no candidate is on the islands
        assert (f["kelurahan_covered_before"], f["tps_covered_before"], f["kelurahan_covered_after"]) == (0, 0, 0)
        assert (backup.figures["kelurahan_unreachable"], backup.figures["tps_unreachable"]) == (n_kel, n_tps)
        assert outage.figures["kelurahan_losing_coverage"] == 0
    else:
        # only kelurahan near the border are reached, by sites of the neighbouring kota: 7 (647 TPS)
        assert (f["kelurahan_covered_before"], f["tps_covered_before"]) == (7, 647)
        assert not mclp.kelurahan["nearest_site_id"].str.startswith("PPK-31.71.").any()
    fig = planning_report.figures(inst, mclp, backup, outage, single, language="en")
    assert fig["mclp_kelurahan"] == n_kel and fig["mclp_tps_total"] == n_tps
    assert fig["mclp_kelurahan_covered_before"] == f["kelurahan_covered_before"]
    written = planning_report.write(tmp_path, inst, mclp, backup, outage, single, kelurahan=data.kelurahan,
                                    kota_gdf=data.kota, language="en", offline=False, basemap=None)
    kel_csv = pd.read_csv(written["kelurahan"])
    assert len(kel_csv) == n_kel and int(kel_csv["tps_total"].sum()) == n_tps
    html = written["map"].read_text(encoding="utf-8")
    assert f"Backup internet points for the recapitulation — {kota}" in html


# ---------------------------------------------------------------------------------------------
# the three notebooks, end to end
# ---------------------------------------------------------------------------------------------
@pytest.mark.notebooks
def test_the_three_notebooks_run_for_a_kota_without_site(tmp_path):
    sites = _without("Jakarta Pusat", tmp_path)
    out = tmp_path / "out"
    maps = {"01-recap-sites-map": "map-recap-sites.html", "02-coverage-gaps": "map-coverage-gaps.html",
            "03-site-planning": "map-site-planning.html"}
    for stem in maps:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            execute_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb"), str(tmp_path / f"{stem}.ipynb"),
                                parameters={"kota": "Jakarta Pusat", "sites_path": str(sites),
                                            "output_dir": str(out), "language": "en"},
                                cwd=str(paths.NOTEBOOKS), progress_bar=False, kernel_name="python3")
    figures = {stem: json.loads((out / f"{stem}.figures.json").read_text(encoding="utf-8")) for stem in maps}
    for name in maps.values():
        assert (out / name).stat().st_size > 10_000, name
    assert figures["01-recap-sites-map"]["n_sites"] == 0
    assert figures["01-recap-sites-map"]["n_tps_recapitulated"] == 0
    assert "0 sites; 0 with an approximate position" in (out / "map-recap-sites.html").read_text(encoding="utf-8")
    cov = figures["02-coverage-gaps"]
    n_kec, n_kel, n_tps, _ = EXPECTED["Jakarta Pusat"]
    assert (cov["gaps_no_site"], cov["n_kecamatan_without_site"], cov["n_kelurahan"], cov["tps"]) == (
        n_kec, n_kec, n_kel, n_tps)
    assert sorted(g["kecamatan"] for g in cov["gaps"] if g["kind"] == "no_site") == sorted(JAKPUS_KECAMATAN)
    plan = figures["03-site-planning"]
    assert (plan["mclp_kelurahan"], plan["mclp_tps_total"], plan["mclp_kelurahan_covered_before"]) == (
        n_kel, n_tps, 7)
