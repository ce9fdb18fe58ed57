"""The saved offline recap-sites map in a real browser (headless Chromium via Selenium).

Needs the Debian packages ``chromium`` and ``chromium-driver``.  Locally the test is skipped when
they are missing; in CI (``CI=true``) it fails instead.  Selenium is given the driver path, so
Selenium Manager never downloads anything.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import pytest

from helpers import loaders
from helpers.maps import SITE_CLASS, recap_sites_map, save_map

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
HOSTILE = {
    2: "<img src=x onerror=alert(1)>",
    3: "${alert(1)}",
    4: "Quote \" ' back\\slash `tick` </script><b>x</b>",
    5: "<script>alert(3)</script>",  # an approximate site (GOR Senen)
}
# Tile requests are the only network traffic an offline map makes; without network they fail.
TILE_RE = re.compile(r"https?://\S+/\d+/\d+/\d+(@2x)?\.png")
RECORD = """
window.__alerts = [];
window.__errors = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
window.addEventListener("error", function (e) {
  if (e instanceof ErrorEvent) { window.__errors.push("script: " + e.message); }
  else if (e.target) { window.__errors.push("resource: " + (e.target.src || e.target.href || e.target.tagName)); }
}, true);
"""


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() or (
        shutil.which("chromium") is not None and shutil.which("chromedriver") is not None)


@pytest.fixture
def driver(tmp_path):
    if not _browser_available():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Chromium/chromedriver missing in CI: install the Debian packages chromium chromium-driver")
        pytest.skip("Chromium/chromedriver not installed (Debian packages chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver"))
    drv = webdriver.Chrome(service=service, options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture
def hostile_map(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sites = loaders.load_sites()
        kota, kec = loaders.load_boundaries("kota"), loaders.load_boundaries("kecamatan")
        fac, tps = loaders.load_facilities(), loaders.load_tps()
    sites = sites.reset_index(drop=True)
    for i, text in HOSTILE.items():
        sites.loc[i, "venue"] = text
    sites.loc[6, "kecamatan"] = "<img src=y onerror=alert(2)>${alert(4)}"
    m = recap_sites_map(sites, kota, kec, fac, tps)
    return save_map(m, tmp_path / "map-recap-sites.html", offline=True), sites


def _popup_text(drv, index):
    """Click the ``index``-th site marker (a DOM click event) and return the popup's text."""
    return drv.execute_script("""
        var p = document.querySelectorAll("path.%s")[arguments[0]];
        p.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
        var c = document.querySelectorAll(".leaflet-popup-content");  // a closed popup fades out for 200 ms
        return c.length ? c[c.length - 1].textContent : null;""" % SITE_CLASS, index)


def test_offline_map_in_chromium(driver, hostile_map):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path, sites = hostile_map
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")) >= 44)

    # 44 site markers in the main map (+2 Kepulauan Seribu markers in the inset), 7 approximate
    assert len(driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")) == 44
    assert len(driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}.{SITE_CLASS}-approximate")) == 7
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.recap-site-inset")) == 2
    assert driver.find_element(By.CSS_SELECTOR, ".recap-legend").text.startswith("Keterangan")
    assert "DKI Jakarta" in driver.find_element(By.CSS_SELECTOR, ".recap-title").text

    # tooltips of hostile sites show the names as text
    for i in (*HOSTILE, 6):
        driver.execute_script("""
            var p = document.querySelectorAll("path.%s")[arguments[0]];
            p.dispatchEvent(new MouseEvent("mouseover", {bubbles: true, clientX: 300, clientY: 300}));""" % SITE_CLASS, i)
        expected = HOSTILE.get(i, "<img src=y onerror=alert(2)>${alert(4)}")
        WebDriverWait(driver, 5).until(lambda d: expected in d.execute_script(
            "return Array.from(document.querySelectorAll('.leaflet-tooltip')).map(t => t.textContent).join('|')"))

    # a real mouse click on a visible marker (row 7: Menteng, Jakarta Pusat)
    row = 7
    marker = driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")[row]
    ActionChains(driver).move_to_element(marker).click().perform()
    popup = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".leaflet-popup-content"))
    text = popup.get_attribute("textContent")
    assert sites.loc[row, "venue"] in text and sites.loc[row, "site_id"] in text
    # hovering shows the tooltip with the site name
    tooltip = "|".join(t.get_attribute("textContent") for t in driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip"))
    assert f"PPK {sites.loc[row, 'kecamatan']}" in tooltip

    # every marker opens a popup with its own site; hostile names are shown as text
    for i in range(44):
        text = _popup_text(driver, i)
        assert text is not None and sites.loc[i, "site_id"] in text and sites.loc[i, "venue"] in text, i
        if sites.loc[i, "approximate"]:
            assert "Posisi perkiraan" in text
    assert "<img src=y onerror=alert(2)>${alert(4)}" in _popup_text(driver, 6)
    # nothing ran: no alert, no element injected, no script error
    assert driver.execute_script("return window.__alerts") == []
    errors = driver.execute_script("return window.__errors")
    assert [e for e in errors if not (e.startswith("resource: ") and TILE_RE.fullmatch(e[10:]))] == []
    assert driver.execute_script("return document.querySelectorAll('img[src=x], img[src=y], .leaflet-popup b').length") == 0
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and not (e.get("source") == "network" and TILE_RE.search(e["message"]))]
    assert severe == []
