"""The warehouse answer where a user sees it (issue 21, item 5): the coverage and recap maps in headless Chromium.

Maluku Utara with the files of tests/fixtures/office2 (a KMZ of sites, a Windows CSV of facilities), the
scope Halmahera Timur: the coverage map has a layer of the warehouses its sites use, each site's popup
names its nearest warehouse and the distance, and a user's facility names its file and row as its source
(also on the recap map), where the shipped office points name theirs.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.maps import recap_sites_map, save_map
from helpers.maps.coverage import coverage_map

pytestmark = pytest.mark.browser

OFFICE2 = Path(__file__).resolve().parent / "fixtures" / "office2"
#: Seconds a page step may take: a hang guard a busy machine never reaches, not a speed target.
WAIT_S = 300


@pytest.fixture(scope="module")
def haltim():
    scope = resolve_scope("Maluku Utara", "Halmahera Timur")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_inputs(scope=scope, sites_path=OFFICE2 / "lokasi_ppk_malut.kmz",
                           facilities_path=OFFICE2 / "fasilitas_malut_windows.csv")
    return scope, data, compute_coverage(**coverage_inputs(data), scope=scope, language="en")


def _click_text(drv, selector: str, index: int, expected: str) -> str:
    """Click the ``index``-th element matching ``selector`` and wait for the newest popup to hold ``expected``."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    drv.execute_script("""document.querySelectorAll(arguments[0])[arguments[1]].dispatchEvent(
        new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));""", selector, index)
    last = """var c = document.querySelectorAll(".leaflet-popup-content");
              return c.length ? c[c.length - 1].textContent : "";"""
    try:
        return WebDriverWait(drv, WAIT_S).until(lambda d: (lambda t: t if expected in t else False)(
            d.execute_script(last)))
    except TimeoutException:
        raise AssertionError(f"{selector}[{index}]: popup never showed {expected!r}; it shows "
                             f"{drv.execute_script(last)!r}") from None


def _count(drv, selector: str, n: int) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, WAIT_S).until(lambda d: d.execute_script(
        "return document.querySelectorAll(arguments[0]).length", selector) >= n)


def test_coverage_map_warehouses_and_site_popups(make_driver, haltim, tmp_path):
    _, _, result = haltim
    s = result.sites.reset_index(drop=True)
    wh = result.warehouses
    # Halmahera Timur's own warehouse (row 2 of the file) and Halmahera Utara's (row 4), nearest to some of its sites
    assert sorted(wh["source_row"]) == [2, 4] and set(s["nearest_warehouse"]) == set(wh["name"])
    path = save_map(coverage_map(result, basemap=None), tmp_path / "map-coverage-gaps.html", offline=True)
    drv = make_driver("1280,900")
    drv.get(path.as_uri())
    _count(drv, "path.coverage-site", len(s))
    assert drv.execute_script("return document.querySelectorAll('path.coverage-warehouse').length") == len(wh)
    layers = drv.execute_script("return document.querySelector('.leaflet-control-layers').textContent")
    assert "Logistics warehouses (2)" in layers
    for i in range(len(s)):
        text = _click_text(drv, "path.coverage-site", i, "Nearest warehouse")
        site = s[s["site_id"].map(text.startswith)]  # the popup opens with the site id
        assert len(site) == 1, text
        r = site.iloc[0]
        assert f"Nearest warehouse{r['nearest_warehouse']}" in text
        assert f"Distance to the warehouse (km, straight line){r['nearest_warehouse_km']:.2f}" in text
        assert f"Across the sea to the warehouse{'Yes' if r['warehouse_sea_crossing'] else 'No'}" in text
    rows = set()
    for i in range(len(wh)):
        text = _click_text(drv, "path.coverage-warehouse", i, "Source")
        assert "Approximate position" in text  # the test positions are flagged as such in the file
        rows |= {r for r in (2, 4) if f"SourceApproximate: position from your file fasilitas_malut_windows.csv, row {r}"
                 in text}  # issue 22: the source as one reader sentence
    assert rows == {2, 4}


def test_recap_map_user_facility_names_its_file_and_row(make_driver, haltim, tmp_path):
    scope, data, _ = haltim
    m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps, scope=scope,
                        language="id", basemap=None)
    path = save_map(m, tmp_path / "map-recap-sites.html", offline=True)
    drv = make_driver("1280,900")
    drv.get(path.as_uri())
    _count(drv, "path.recap-facility-warehouse", 1)
    text = _click_text(drv, "path.recap-facility-warehouse", 0, "Sumber")
    assert "Gudang Logistik KPU Kab. Halmahera Timur" in text
    assert "SumberPerkiraan: posisi dari file Anda fasilitas_malut_windows.csv, baris 2" in text  # issue 22
    assert "Sumber—" not in text
