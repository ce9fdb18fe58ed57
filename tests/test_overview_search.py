"""The national map's search opens a popup (issue 22, item 6): a kecamatan its own, a kab/kota a card of its
figures (its kecamatan, TPS and desa summed over them, the kecamatan with the most TPS); in headless Chromium.

Kepulauan Seribu by hand: 2 kecamatan; 88 TPS (KPU DKI pleno of 27 June 2023, data/processed/dpt_kota.csv),
53 of them in Kepulauan Seribu Utara and 35 in Kepulauan Seribu Selatan; 3 + 3 kelurahan.
"""

from __future__ import annotations

import pytest

from helpers.analysis import overview
from helpers.io.national import load_national, resolve_scope
from helpers.maps import overview as overview_map
from helpers.maps.page import save_map

#: Seconds a page step may take: a hang guard a busy machine never reaches (each wait ends when its condition holds).
WAIT_S = 300


@pytest.fixture(scope="module")
def national_page(tmp_path_factory):
    layer = load_national()
    ov = overview.compute(layer, resolve_scope("indonesia"))
    m = overview_map.overview_map(ov, layer.kecamatan_map, basemap=None)
    return save_map(m, tmp_path_factory.mktemp("national") / "map.html", offline=True)


def _wait(drv, condition, message):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, WAIT_S, poll_frequency=0.05).until(condition)
    except TimeoutException:
        raise AssertionError(message()) from None


POPUP = ("var all = document.querySelectorAll('.leaflet-popup-content');"
         "return all.length ? all[all.length - 1].innerText : '';")


def _search(drv, words: str, pick):
    from selenium.webdriver.common.by import By

    box = drv.find_element(By.CSS_SELECTOR, ".ov-search input")
    box.clear()
    box.send_keys(words)
    hits = _wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, ".ov-hit"), lambda: f"no result for {words!r}")
    hit = next((h for h in hits if pick(h.text)), None)
    assert hit is not None, [h.text for h in hits]
    hit.click()


@pytest.mark.browser
def test_search_opens_the_popup_of_a_kab_kota_and_of_a_kecamatan(national_page, make_driver):
    drv = make_driver("1400,1000", page_load_strategy="none")
    drv.get(national_page.as_uri())
    _wait(drv, lambda d: d.execute_script("return window.overviewReady || null"), lambda: "the layer never appeared")
    _search(drv, "Kepulauan Seribu", lambda t: t.startswith("Kabupaten Administrasi Kepulauan Seribu"))
    text = _wait(drv, lambda d: "terbanyak" in d.execute_script(POPUP) and d.execute_script(POPUP),
                 lambda: f"no kab/kota card: {drv.execute_script(POPUP)!r}")
    assert text.splitlines() == ["Kabupaten Administrasi Kepulauan Seribu",
                                 "Angka kab/kota: jumlah atas semua kecamatannya.",
                                 "Provinsi\tDaerah Khusus Ibukota Jakarta", "Kecamatan (lokasi PPK)\t2", "TPS\t88",
                                 "Desa/kelurahan\t6", "Kecamatan dengan TPS terbanyak\tKepulauan Seribu Utara"]
    # a kecamatan: its own popup (53 TPS)
    _search(drv, "Kepulauan Seribu Utara", lambda t: t.startswith("Kecamatan Kepulauan Seribu Utara"))
    text = _wait(drv, lambda d: "terbanyak" not in d.execute_script(POPUP)
                 and "Kepulauan Seribu Utara" in d.execute_script(POPUP) and d.execute_script(POPUP),
                 lambda: f"no kecamatan popup: {drv.execute_script(POPUP)!r}")
    assert "\t53" in text, text
