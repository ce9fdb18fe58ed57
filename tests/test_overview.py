"""National overview (notebook 04): helpers.analysis.overview and helpers.reports.overview.

DKI Jakarta from the national layer agrees with the DKI layer (one PPK site per kecamatan, the
kelurahan as desa, the same TPS; the counts themselves are pinned in tests/test_data.py), TPS that
reconcile with the join report (placed + unplaced = KawalPemilu's total), a synthetic distance of
known geodesic length, the sea-crossing rule on two synthetic islands, the map (offline: no remote
script; hostile names shown as text, also in headless Chromium), and one papermill run of the
notebook for DKI Jakarta.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, box

from helpers.analysis import operations as ops_
from helpers.analysis import overview
from helpers.core.scope import UnknownUnit, output_folder
from helpers.io.inputs import load_inputs
from helpers.io.national import NationalLayer, load_national, resolve_scope
from helpers.io.operations import election_tps, load_table
from helpers.maps import overview as overview_map
from helpers.maps.page import save_map
from helpers.reports import overview as overview_report
from helpers.reports import render as reader_report
from helpers.reports.spec import write_figures
from helpers.analysis.coverage.engine import assign_core
from helpers.core.geo import geodesic_distance_m
from helpers.maps.offline import remote_assets
from helpers.maps.runtime import static_text

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def layer():
    return load_national()


@pytest.fixture(scope="module")
def national(layer):
    return overview.compute(layer, resolve_scope("indonesia"))


@pytest.fixture(scope="module")
def national_ops(layer):
    """All of Indonesia with the recapitulation operations of every PPK site (notebook 05's model)."""
    return overview.compute(layer, resolve_scope("indonesia"), operations=load_table())


@pytest.fixture(scope="module")
def dki(layer):
    return overview.compute(layer, resolve_scope("DKI Jakarta"))


@pytest.fixture(scope="module")
def dki_layer():
    """The DKI layer's counts: kecamatan (= PPK sites), kota, kelurahan (= desa), TPS; Kepulauan Seribu's."""
    from helpers.io.inputs import load_boundaries, load_tps

    kec, tps = load_boundaries("kecamatan"), load_tps()
    seribu = tps["kota_kode"] == "31.01"
    return {"kecamatan": len(kec), "kota": len(load_boundaries("kota")), "kelurahan": len(tps),
            "tps": int(tps["tps_total"].sum()),
            "seribu": [int((kec["kota_kode"] == "31.01").sum()), int(seribu.sum()),
                       int(tps.loc[seribu, "tps_total"].sum())]}


# ---------------------------------------------------------------------------------------------
# hand-checkable figures
# ---------------------------------------------------------------------------------------------
def test_dki_jakarta_from_the_national_layer(dki, dki_layer):
    h, n = overview.headline(dki), dki_layer
    assert (h["n_sites"], h["n_kecamatan"], h["n_kabkota"], h["n_desa"], h["tps"]) == (
        n["kecamatan"], n["kecamatan"], n["kota"], n["kelurahan"], n["tps"])
    assert h["tps_per_site_mean"] == round(n["tps"] / n["kecamatan"], 1)
    assert h["tps_per_site_max"] == 1591 and h["most_loaded_site"].startswith("Cakung")
    assert h["n_sites_approximate"] == n["kecamatan"] and dki.sites["approximate"].all()
    assert (h["desa_unplaced"], h["tps_unplaced"], h["tps_kpu"]) == (0, 0, n["tps"])
    kab = dki.kabkota.set_index("kabkota")
    assert kab.loc["Kabupaten Administrasi Kepulauan Seribu", ["n_ppk_sites", "n_desa", "tps"]].tolist() == \
        n["seribu"]
    assert h["programme_sites"] == n["kecamatan"] and h["programme_tps"] == n["tps"]


@pytest.mark.parametrize("name", ["DKI Jakarta", "dki", "Jakarta", "31", "Provinsi DKI Jakarta",
                                  "Daerah Khusus Ibukota Jakarta"])
def test_province_in_any_spelling(name):
    assert resolve_scope(name).provinsi_kode == "31"


def test_scope_names():
    assert resolve_scope("Babel").slug == "kepulauan-bangka-belitung"
    assert resolve_scope("indonesia").slug == "national"
    assert resolve_scope("indonesia", "Kota Bogor").kota_kode == "32.71"
    assert resolve_scope("Jawa Barat", "32.01").slug == "kabupaten-bogor"
    assert resolve_scope("indonesia", "Kepulauan Seribu").slug == "kepulauan-seribu"
    with pytest.raises(UnknownUnit, match="ambiguous: Kabupaten Bogor, Kota Bogor"):
        resolve_scope("nasional", "Bogor")
    with pytest.raises(UnknownUnit, match="ambiguous: Sulawesi Utara"):
        resolve_scope("Sulawesi")
    with pytest.raises(UnknownUnit, match="unknown provinsi 'Atlantis'"):
        resolve_scope("Atlantis")
    assert output_folder(None, resolve_scope("31")).as_posix() == "../output/dki"


def test_tps_reconcile_with_the_join_report(layer, national):
    """The national figures are the join report's (its values: tests/test_national.py)."""
    prov = national.provinsi.set_index("provinsi_kode")
    summary = layer.summary.set_index("prov_kode")
    total = summary.loc["ID"]
    assert prov.loc["ID", "tps"] + prov.loc["ID", "tps_unplaced"] == prov.loc["ID", "tps_kpu"] == total["tps_total"]
    assert (prov.loc["ID", "tps"], prov.loc["ID", "tps_unplaced"], prov.loc["ID", "desa_unplaced"]) == \
        (total["tps_placed"], total["tps_unplaced"], total["desa_unplaced"])
    # every province: placed + unplaced = KawalPemilu's total, and the same split as the join summary
    per = prov.drop(index="ID")
    assert (per["tps"] + per["tps_unplaced"] == per["tps_kpu"]).all()
    assert per["tps_kpu"].sum() == total["tps_total"]
    assert per["tps"].sum() == national.desa["tps"].sum() == total["tps_placed"]
    joined = per.join(summary.add_suffix("_summary"))
    assert (joined["tps"] == joined["tps_placed_summary"]).all()
    assert (joined["tps_unplaced"] == joined["tps_unplaced_summary"]).all()
    assert (joined["desa_unplaced"] == joined["desa_unplaced_summary"]).all()
    # the kab/kota table adds up to the provinces
    assert national.kabkota.groupby(national.kabkota["kabkota_kode"].str[:2])["tps"].sum().equals(
        per["tps"].rename_axis("kabkota_kode"))
    assert national.kabkota["n_ppk_sites"].sum() == len(national.sites) == len(layer.kecamatan)


def test_every_site_lies_inside_its_kecamatan(layer, national):
    kec = layer.kecamatan.set_index("kode").geometry.reindex(national.sites["kecamatan_kode"]).to_numpy()
    pts = shapely.points(national.sites["lon"].to_numpy(), national.sites["lat"].to_numpy())
    # coordinates are rounded to 1e-6 degrees (0.1 m) in the table: allow that much
    assert (shapely.distance(kec, pts) < 2e-6).all()


def test_distances_agree_with_the_geodesic(national):
    d = national.desa.merge(national.sites[["kecamatan_kode", "lon", "lat"]], on="kecamatan_kode",
                            suffixes=("", "_site"))
    geod = geodesic_distance_m(d["lon"], d["lat"], d["lon_site"], d["lat_site"])
    far = geod > 1000
    assert np.abs(d["distance_m"].to_numpy()[far] / geod[far] - 1).max() < 0.005


# ---------------------------------------------------------------------------------------------
# synthetic cases
# ---------------------------------------------------------------------------------------------
def test_distance_of_known_geodesic_length():
    # 0.1 degree of longitude on the equator: 6,378,137 m x pi / 1800 = 11,131.949 m on the WGS84 ellipsoid
    want = 6_378_137 * np.pi / 1800
    assert float(geodesic_distance_m(105.0, 0.0, 105.1, 0.0)) == pytest.approx(want, abs=1e-3)
    r = overview.coverage_core([105.1, 105.0], [0.0, -0.1], [0, 0], [105.0], [0.0], [3, 4])
    # UTM 48N/S has scale 0.9996 at its central meridian (105 E): within 0.05 %
    assert r["distance_m"][0] == pytest.approx(want, rel=5e-4)
    assert r["distance_m"][1] == pytest.approx(float(geodesic_distance_m(105.0, -0.1, 105.0, 0.0)), rel=5e-4)
    assert r["site_load"].tolist() == [7.0] and r["site_n_desa"].tolist() == [2]
    with pytest.raises(Exception, match="degrees"):  # the engine refuses lon/lat
        assign_core([[105.0, 0.0]], [0], [[105.1, 0.0]], [0], [True])


def _synthetic_layer(prov_name: str = "Pulau-Pulau", kec_name: str = "Kecamatan Dua Pulau") -> NationalLayer:
    """One province, one kab/kota; kecamatan 99.01.01 = two islands (0-1 and 3-4 degrees east of 120 E),
    99.01.02 = one block inland.  Most TPS on the eastern island, so the site goes there."""
    west, east, inland = box(120, -1, 121, 0), box(123, -1, 124, 0), box(120, -2, 121, -1)
    kec = gpd.GeoDataFrame({"kode": ["99.01.01", "99.01.02"], "nama": [kec_name, "Darat"],
                            "kabkota_kode": ["99.01"] * 2, "kabkota": ["Kabupaten Uji"] * 2,
                            "provinsi_kode": ["99"] * 2, "provinsi": [prov_name] * 2},
                           geometry=[MultiPolygon([west, east]), MultiPolygon([inland])], crs="EPSG:4326")
    desa = gpd.GeoDataFrame({"kode": ["99.01.01.2001", "99.01.01.2002", "99.01.02.2001"],
                             "nama": ["Barat", "Timur", HOSTILE],
                             "kecamatan_kode": ["99.01.01", "99.01.01", "99.01.02"],
                             "kabkota_kode": ["99.01"] * 3, "provinsi_kode": ["99"] * 3, "tps_total": [2, 9, 5],
                             "distance_to_kecamatan_m": [0.0] * 3},
                            geometry=[Point(120.5, -0.5), Point(123.5, -0.5), Point(120.5, -1.5)], crs="EPSG:4326")
    kab = pd.DataFrame({"kode": ["99.01"], "nama": ["Kabupaten Uji"], "provinsi_kode": ["99"],
                        "provinsi": [prov_name], "jenis": ["kabupaten"]})
    land = gpd.GeoDataFrame({"kode": ["99.01"]}, geometry=[MultiPolygon([west, east, inland])], crs="EPSG:4326")
    unplaced = pd.DataFrame({"prov_kode": ["99"], "kode_kpu_dotted": ["99.01.01.2003"], "tps_total": ["4"]})
    return NationalLayer(kecamatan=kec, desa=desa, kabkota=kab,
                                  provinsi=pd.DataFrame({"kode": ["99"], "nama": [prov_name]}), summary=None,
                                  unplaced=unplaced, kecamatan_map=kec[["kode", "geometry"]], land=land)


def test_site_on_the_island_with_most_tps_and_the_sea_crossing():
    layer = _synthetic_layer()
    ov = overview.compute(layer, resolve_scope("indonesia"), cost_per_site=1000)
    site = ov.sites.set_index("kecamatan_kode").loc["99.01.01"]
    assert 123 < site["lon"] < 124 and site["n_parts"] == 2 and site["tps"] == 11
    desa = ov.desa.set_index("nama")
    assert desa.loc["Barat", "sea_crossing"] and not desa.loc["Timur", "sea_crossing"]
    # about 2 of the ~3 degrees (~330 km) between Barat and the site are over the sea
    assert desa.loc["Barat", "outside_land_m"] == pytest.approx(desa.loc["Barat", "distance_m"] * 2 / 3, rel=0.05)
    assert not desa.loc[HOSTILE, "sea_crossing"] and desa.loc[HOSTILE, "outside_land_m"] == 0
    p = ov.provinsi.set_index("provinsi_kode")
    assert p.loc["99", ["tps", "tps_unplaced", "tps_kpu"]].tolist() == [16, 4, 20]
    assert p.loc["ID", ["programme_sites", "budget"]].tolist() == [2, 2000]
    assert overview.headline(ov)["n_desa_sea_crossing"] == 1


# ---------------------------------------------------------------------------------------------
# the map
# ---------------------------------------------------------------------------------------------
def _hostile_map(tmp_path, language="id") -> Path:
    layer = _synthetic_layer(prov_name=HOSTILE, kec_name=HOSTILE)
    ov = overview.compute(layer, resolve_scope("indonesia"), language=language)
    m = overview_map.overview_map(ov, layer.kecamatan_map, basemap=None)
    return save_map(m, tmp_path / "map.html", offline=True)


def test_map_is_offline_and_escapes_hostile_names(tmp_path):
    html = _hostile_map(tmp_path).read_text(encoding="utf-8")
    assert remote_assets(html) == [] and "<script src" not in html
    assert HOSTILE not in html and "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    js = static_text(overview_map.RUNTIME_JS)
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js
    assert "Cari kab/kota atau kecamatan" in html and "TPS per lokasi PPK" in html


def test_polygon_encoding_round_trip():
    geoms = [MultiPolygon([box(106.1, -6.3, 106.2, -6.2), box(106.5, -6.0, 106.6, -5.9)]),
             box(106.2, -6.3, 106.3, -6.2).difference(box(106.22, -6.28, 106.24, -6.26))]
    e = overview_map.encode_polygons(geoms)
    assert e["f"] == [2, 1] and e["p"] == [1, 1, 2] and e["r"] == [4, 4, 4, 4]
    xy = np.cumsum(np.array(e["d"]).reshape(-1, 2), axis=0) / 1e5
    want = np.vstack([np.asarray(r.coords)[:-1] for g in geoms for p in getattr(g, "geoms", [g])
                      for r in [p.exterior, *p.interiors]])
    assert np.allclose(xy, want, atol=5e-6)


def test_national_map_size_and_borders(tmp_path, layer, national):
    m = overview_map.overview_map(national, layer.kecamatan_map)
    path = save_map(m, tmp_path / overview_report.FILES["map"], offline=True)
    html = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 8 * 1024 * 1024 and remote_assets(html) == []
    data = next(c for c in m._children.values() if isinstance(c, overview_map.OverviewLayer)).data
    assert len(data["names"]) == len(data["kec"]["f"]) == len(layer.kecamatan_map)
    assert len(data["provNames"]) == len(layer.provinsi)
    # rounding to 1e-5 degrees drops only islets below ~1 m; no kecamatan loses all its polygons
    n_parts = int(shapely.get_num_geometries(layer.kecamatan_map.geometry.values).sum())
    assert min(data["kec"]["f"]) >= 1 and n_parts - 50 < sum(data["kec"]["f"]) <= n_parts
    assert len(data["borders"]["r"]) > 38  # land borders between provinces (Sumatera, Jawa, Kalimantan, ...)


# ---------------------------------------------------------------------------------------------
# headless Chromium
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def driver(make_driver):
    """Headless Chromium (tests/conftest.py) that does not wait for (failing) tile requests and records alerts."""
    drv = make_driver("1280,900", page_load_strategy="none")
    drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };")})
    return drv


#: Seconds a page step may take: a hang guard that a busy machine never reaches (each wait ends as
#: soon as its condition holds); how fast the layer appears is benchmarks/bench_overview.py's.
WAIT_S = 300


def _wait_for(drv, condition, message):
    """``WebDriverWait(drv, WAIT_S).until(condition)``; on a time-out an AssertionError with ``message()``."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, WAIT_S, poll_frequency=0.05).until(condition)
    except TimeoutException:
        raise AssertionError(message()) from None


def _wait_ready(drv) -> float:
    return float(_wait_for(drv, lambda d: d.execute_script("return window.overviewReady || null"),
                           lambda: f"the overview layer did not appear within {WAIT_S} s"))


@pytest.mark.browser
def test_hostile_names_show_as_text_in_chromium(tmp_path, driver):
    from selenium.webdriver.common.by import By

    driver.get(_hostile_map(tmp_path).as_uri())
    _wait_ready(driver)
    box_ = driver.find_element(By.CSS_SELECTOR, ".ov-search input")
    box_.send_keys("img src")
    hits = _wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".ov-hit"), lambda: "no search result")
    assert hits and hits[0].text.startswith(f"Kecamatan {HOSTILE}"), [h.text for h in hits]
    hits[0].click()
    # the popup (it opens once the map has moved to the kecamatan) shows the province and kecamatan
    # names as text; read in one script call per poll
    shown = "var p = document.querySelector('.leaflet-popup-content'); return p ? p.innerText : '';"
    _wait_for(driver, lambda d: HOSTILE in d.execute_script(shown),
              lambda: f"the popup never showed {HOSTILE!r} as text: {driver.execute_script(shown)!r}")
    assert driver.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert driver.execute_script("return window.__alerts") == []


@pytest.mark.browser
def test_national_map_opens_in_chromium_with_every_kecamatan(tmp_path, driver, layer, national):
    m = overview_map.overview_map(national, layer.kecamatan_map, basemap=None)
    path = save_map(m, tmp_path / overview_report.FILES["map"], offline=True)
    driver.get(path.as_uri())
    ready_ms = _wait_ready(driver)
    assert ready_ms > 0  # the polygons appeared (how fast: benchmarks/bench_overview.py, not a timed test)
    assert driver.execute_script("return document.querySelector('[data-overview-polygons]').dataset."
                                 "overviewPolygons") == "7285"


# ---------------------------------------------------------------------------------------------
# recapitulation operations (notebook 05's model) for all of Indonesia
# ---------------------------------------------------------------------------------------------
def test_operations_of_every_site_nationally(national_ops):
    ops, k = national_ops.operations, national_ops.operations_kabkota
    assert set(ops) == {"pemilu2024", "pilkada2024"} and all(len(s) == 7285 for s in ops.values())
    pem, pil = ops["pemilu2024"], ops["pilkada2024"]
    assert pem["tps"].sum() == national_ops.sites["tps"].sum() and not pem["tps_estimated"].any()
    assert pil["tps_estimated"].all() and pil.loc[pil["provinsi_kode"] == "31", "tps"].sum() == 14835
    outside = pem["provinsi_kode"] != "31"
    assert (pem.loc[outside, "ballot_types"] == 5).all() and (pem.loc[~outside, "ballot_types"] == 4).all()
    # days at 5 panels x 8 TPS (five ballot types, assumed) outside DKI, 5 x 10 in DKI (sourced)
    pace = np.where(outside, 40, 50)
    assert (pem["days_needed"] == np.ceil(pem["tps"] / pace)).all()
    assert (pem["within_window"] == (pem["days_needed"] <= 17)).all()
    assert len(k) == 514 and k["n_sites"].sum() == 7285
    short = pem.groupby("kabkota_kode")["panels_short"].sum() + pil.groupby("kabkota_kode")["panels_short"].sum()
    assert k.set_index("kabkota_kode")["more_panels"].equals(short.sort_index() > 0)
    h = overview.headline(national_ops)
    assert h["ops_n_sites_miss_pemilu2024"] == int((~pem["within_window"]).sum())
    assert h["ops_n_kabkota_more_panels"] == int(k["more_panels"].sum()) and h["ops_tps_pilkada2024_estimated"]


def test_dki_in_the_national_operations_equals_notebook_05(national_ops):
    data = load_inputs()
    dki = ops_.compute(data.sites, election_tps(data, "pemilu2024"), load_table(), scope=resolve_scope())
    for e in ("pemilu2024", "pilkada2024"):
        nat = national_ops.operations[e].set_index("kecamatan_kode")
        mine = dki.sites[e].set_index("kecamatan_kode")
        for col in ("tps", "days_needed", "panels_needed", "mbps_peak_central"):
            assert nat.loc[mine.index, col].tolist() == mine[col].tolist(), (e, col)


def test_operations_layer_report_and_files(tmp_path, layer, national_ops):
    m = overview_map.overview_map(national_ops, layer.kecamatan_map, basemap=None)
    html = save_map(m, tmp_path / "map.html", offline=True).read_text(encoding="utf-8")
    k = national_ops.operations_kabkota
    need = k[k["more_panels"] | k["more_bandwidth"]]
    assert html.count(f'"className":"{overview_map.OPS_CLASS} ') == len(need) > 0
    assert remote_assets(html) == [] and "Penanda di lokasi PPK" in html and "TPS Pilkada perkiraan" in html
    files = overview_report.write(national_ops, tmp_path, None)
    assert {"ops_sites", "ops_kabkota"} <= set(files)
    assert len(pd.read_csv(files["ops_sites"])) == 2 * 7285
    for language in ("id", "en"):
        spec = overview_report.report_spec(national_ops, files) if language == "id" else \
            overview_report.report_spec(overview.compute(layer, resolve_scope("indonesia"), language="en",
                                                         operations=load_table()), files)
        section = next(s for s in spec["sections"] if s["heading"].startswith(("Operasi rekapitulasi",
                                                                                 "Recapitulation operations")))
        words = " ".join(b.get("text") or "" for b in section["blocks"])
        assert ("PERKIRAAN" if language == "id" else "ESTIMATES") in words
        assert any(b.get("type") == "table" and b["total_rows"] == len(need) for b in section["blocks"])


@pytest.mark.browser
def test_operations_layer_in_chromium(tmp_path, driver, layer, national_ops):
    m = overview_map.overview_map(national_ops, layer.kecamatan_map, basemap=None)
    path = save_map(m, tmp_path / overview_report.FILES["map"], offline=True)
    driver.get(path.as_uri())
    _wait_ready(driver)
    k = national_ops.operations_kabkota
    n = int((k["more_panels"] | k["more_bandwidth"]).sum())
    count = f"return document.querySelectorAll('path.{overview_map.OPS_CLASS}').length"
    _wait_for(driver, lambda d: d.execute_script(count) == n, lambda: f"{driver.execute_script(count)} markers, not {n}")
    driver.execute_script(f"document.querySelector('path.{overview_map.OPS_CLASS}').dispatchEvent(new MouseEvent("
                          "'click', {bubbles: true, cancelable: true, view: window}));")
    shown = "var p = document.querySelector('.leaflet-popup-content'); return p ? p.innerText : '';"
    _wait_for(driver, lambda d: "Panel kurang (Pemilu)" in d.execute_script(shown),
              lambda: f"the popup shows {driver.execute_script(shown)!r}")


# ---------------------------------------------------------------------------------------------
# the report and the notebook
# ---------------------------------------------------------------------------------------------
def test_report_in_both_languages(tmp_path, layer):
    scope = resolve_scope("indonesia", "Kepulauan Seribu")
    for language, words in (("id", "lokasi rekapitulasi PPK (satu per kecamatan"),
                            ("en", "hence 2 PPK recapitulation")):
        ov = overview.compute(layer, scope, language=language, cost_per_site=5)
        files = overview_report.write(ov, tmp_path / language, layer, offline=True)
        spec = overview_report.report_spec(ov, files)
        assert words in spec["lead"] and spec["language"] == language
        path = reader_report.write_spec(spec, tmp_path / language / "x.report.json")
        assert path.is_file() and path.with_name("x.report.html").is_file()
        figures = write_figures(overview_report.figures(ov), tmp_path / language / "x.figures.json")
        assert "budget" in files and json.loads(figures.read_text())["budget_total"] == 10
    assert spec["sources"][1].startswith("KawalPemilu")


@pytest.mark.notebooks
def test_notebook_for_dki_jakarta(executed_notebook, dki_layer):
    out = executed_notebook("04-national-overview", provinsi="DKI Jakarta")
    fig, n = json.loads((out / "04-national-overview.figures.json").read_text(encoding="utf-8")), dki_layer
    assert (fig["n_sites"], fig["n_desa"], fig["tps"], fig["tps_per_site_mean"]) == (
        n["kecamatan"], n["kelurahan"], n["tps"], round(n["tps"] / n["kecamatan"], 1))
    assert fig["tps_unplaced"] == 0 and fig["tps_kpu"] == n["tps"] and fig["n_kabkota"] == n["kota"]
    spec = json.loads((out / "04-national-overview.report.json").read_text(encoding="utf-8"))
    assert spec["language"] == "id" and "Ikhtisar nasional" in spec["title"]
    assert (out / overview_report.FILES["map"]).stat().st_size < 8 * 1024 * 1024
    assert {p.name for p in out.glob("overview-*.csv")} >= {"overview-provinsi.csv", "overview-kabkota.csv"}
    assert re.search(rf"\b{n['kecamatan']}\b", (out / "overview-provinsi.csv").read_text(encoding="utf-8"))
    # the recapitulation operations: notebook 05's DKI figures (14 sites late at the sourced pace; Pilkada 14,835 TPS)
    assert (fig["ops_n_sites_miss_pemilu2024"], fig["ops_tps_pilkada2024"], fig["ops_days_max_pemilu2024"]) == (
        14, 14835, 32)
    assert (out / overview_report.FILES["ops_kabkota"]).is_file()
