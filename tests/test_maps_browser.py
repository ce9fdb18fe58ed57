"""The saved offline recap-sites map in a real browser (headless Chromium via Selenium).

Needs the Debian packages ``chromium`` and ``chromium-driver``.  Locally the test is skipped when
they are missing; in CI (``CI=true``) it fails instead.  Selenium is given the driver path, so
Selenium Manager never downloads anything.
"""

from __future__ import annotations

import re
import warnings

import pytest

from helpers.io import inputs as loaders
from helpers.io.national import resolve_scope
from helpers.maps.sources import venue_text
from helpers.maps import SITE_CLASS, recap_sites_map, save_map

pytestmark = pytest.mark.browser

#: Seconds a page step may take (markers drawn, a tooltip or popup shown, the map refitted): a hang
#: guard that a busy machine never reaches, not a speed target; each wait ends as soon as it holds.
WAIT_S = 300

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


@pytest.fixture
def driver(make_driver):
    """Headless Chromium (tests/conftest.py), with the browser console log kept."""
    return make_driver("1280,900", browser_log=True)


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


def _holding(text, expected):
    """``text`` when it contains ``expected``, else False (a WebDriverWait condition)."""
    return text if expected in text else False


def _popup_text(drv, index, expected):
    """Click the ``index``-th site marker (a DOM click event) and return its popup's text.

    Waits until the newest popup holds ``expected`` (a closed popup fades out for 200 ms, so the
    newest one is the last in the DOM); each poll reads the page in one script call.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    drv.execute_script("""
        document.querySelectorAll("path.%s")[arguments[0]].dispatchEvent(
            new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));""" % SITE_CLASS, index)
    last = """var c = document.querySelectorAll(".leaflet-popup-content");
              return c.length ? c[c.length - 1].textContent : "";"""
    try:
        return WebDriverWait(drv, WAIT_S).until(lambda d: _holding(d.execute_script(last), expected))
    except TimeoutException:
        raise AssertionError(f"marker {index}: popup never showed {expected!r}; "
                             f"it shows {drv.execute_script(last)!r}") from None


def _texts(drv, selector):
    """The ``textContent`` of every element matching ``selector``, joined by "|", read in one script call."""
    return drv.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent).join('|')", selector)


def _wait_for_text(drv, selector, expected, timeout=WAIT_S):
    """Wait until the elements matching ``selector`` contain ``expected``; return their joined text.

    On a time-out the assertion shows what the page held instead.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, timeout).until(lambda d: _holding(_texts(d, selector), expected))
    except TimeoutException:
        raise AssertionError(f"{selector!r} never showed {expected!r}; it shows {_texts(drv, selector)!r}") from None


def test_offline_map_in_chromium(driver, hostile_map):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path, sites = hostile_map
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    driver.get(path.as_uri())
    WebDriverWait(driver, WAIT_S).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")) >= len(sites))

    # one marker per site in the main map (+ the Kepulauan Seribu sites again in the inset)
    assert len(driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")) == len(sites)
    assert len(driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}.{SITE_CLASS}-approximate")) == \
        int(sites["approximate"].sum())
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.recap-site-inset")) == \
        int((sites["kota"] == "Kepulauan Seribu").sum())
    assert driver.find_element(By.CSS_SELECTOR, ".recap-legend").text.startswith("Keterangan")
    assert "DKI Jakarta" in driver.find_element(By.CSS_SELECTOR, ".recap-title").text

    # tooltips of hostile sites show the names as text
    for i in (*HOSTILE, 6):
        driver.execute_script("""
            var p = document.querySelectorAll("path.%s")[arguments[0]];
            p.dispatchEvent(new MouseEvent("mouseover", {bubbles: true, clientX: 300, clientY: 300}));""" % SITE_CLASS, i)
        expected = HOSTILE.get(i, "<img src=y onerror=alert(2)>${alert(4)}")
        assert expected in _wait_for_text(driver, ".leaflet-tooltip", expected)

    # a real mouse hover, then a real click, on a visible marker (row 7: Menteng, Jakarta Pusat).  Leaflet
    # removes and re-creates tooltip and popup elements on mouse events, so no element reference is held
    # across an event: each read is one script call, polled by an explicit wait until it holds.
    row = 7
    marker = driver.find_elements(By.CSS_SELECTOR, f"path.{SITE_CLASS}")[row]  # a path: never re-created
    ActionChains(driver).move_to_element(marker).perform()
    # hovering shows the tooltip with the site name
    tooltip = _wait_for_text(driver, ".leaflet-tooltip", f"PPK {sites.loc[row, 'kecamatan']}")
    assert f"PPK {sites.loc[row, 'kecamatan']}" in tooltip
    ActionChains(driver).move_to_element(marker).click().perform()
    text = _wait_for_text(driver, ".leaflet-popup-content", sites.loc[row, "site_id"])
    assert sites.loc[row, "venue"] in text and sites.loc[row, "site_id"] in text

    # every marker opens a popup with its own site; hostile names are shown as text
    for i in range(len(sites)):
        text = _popup_text(driver, i, sites.loc[i, "site_id"])
        # issue 22: a venue no source names shows the label, not the data's placeholder "(venue unknown)"
        venue = venue_text(sites.loc[i, "venue"], sites.loc[i, "venue_status"], "id")
        assert sites.loc[i, "site_id"] in text and venue in text, i
        if sites.loc[i, "approximate"]:
            assert "Posisi perkiraan" in text
    assert "<img src=y onerror=alert(2)>${alert(4)}" in _popup_text(driver, 6, sites.loc[6, "site_id"])
    # nothing ran: no alert, no element injected, no script error
    assert driver.execute_script("return window.__alerts") == []
    errors = driver.execute_script("return window.__errors")
    assert [e for e in errors if not (e.startswith("resource: ") and TILE_RE.fullmatch(e[10:]))] == []
    assert driver.execute_script("return document.querySelectorAll('img[src=x], img[src=y], .leaflet-popup b').length") == 0
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and not (e.get("source") == "network" and TILE_RE.search(e["message"]))]
    assert severe == []


def test_map_fits_itself_when_its_hidden_frame_is_shown(driver, tmp_path):
    """JupyterLab lays out notebook outputs lazily: a map created while its iframe has no size must
    fit itself when the frame is shown, and keep the user's view once the user has moved it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from helpers.maps import embed_map

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sites = loaders.load_sites()
        kota, kec = loaders.load_boundaries("kota"), loaders.load_boundaries("kecamatan")
    m = recap_sites_map(sites, kota, kec, scope=resolve_scope(kota="Jakarta Pusat"), basemap=None)
    saved = save_map(m, tmp_path / "map.html", offline=True)
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><body><div id="out" style="display:none">'
                    + embed_map(saved, height=500).data + "</div></body></html>", encoding="utf-8")
    driver.get(page.as_uri())

    def view():  # read inside the (sandboxed, cross-origin) frame, in one script call
        driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
        try:
            return driver.execute_script(_VIEW)
        finally:
            driver.switch_to.default_content()

    # the frame's document loads while hidden: Leaflet sees a 0x0 container
    WebDriverWait(driver, WAIT_S).until(lambda d: (view() or {}).get("sites") == 8)
    assert view()["width"] == 0
    driver.execute_script("document.getElementById('out').style.display = 'block'")
    WebDriverWait(driver, WAIT_S).until(lambda d: view()["zoom"] >= 12)
    state = view()
    assert state["width"] > 0 and state["zoom"] >= 12, state  # Jakarta Pusat: zoom 13 in 500 px
    assert state["sites_in_view"] == state["sites"] == 8, state
    # the user takes the map and zooms out; a later resize keeps the user's view
    driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
    driver.execute_script(_USER_ZOOM, 10)
    driver.switch_to.default_content()
    driver.execute_script("document.querySelector('iframe').style.height = '420px'")
    WebDriverWait(driver, WAIT_S).until(lambda d: view()["height"] < 450)
    assert view()["zoom"] == 10


_MAP = """
    var m = null;
    for (var k in window) {
        try { if (window[k] instanceof L.Map && !window[k].getContainer().closest('.recap-inset')) { m = window[k]; break; } }
        catch (e) {}
    }
"""
_VIEW = _MAP + """
    if (!m) { return null; }
    var b = m.getBounds(), n = 0, inside = 0;
    m.eachLayer(function (l) {
        if (l instanceof L.CircleMarker && (l.options.className || '').split(' ').indexOf('%s') >= 0) {
            n += 1; if (b.contains(l.getLatLng())) { inside += 1; }
        }
    });
    return {zoom: m.getZoom(), width: m.getSize().x, height: m.getSize().y, sites: n, sites_in_view: inside};
""" % SITE_CLASS
_USER_ZOOM = _MAP + """
    // a press on the map (the start of a drag) marks the view as the user's; then the user's zoom
    var c = m.getContainer();
    c.dispatchEvent(new MouseEvent('mousedown', {bubbles: true, clientX: 200, clientY: 200}));
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, clientX: 200, clientY: 200}));
    m.setZoom(arguments[0], {animate: false});
"""
