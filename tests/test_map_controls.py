"""Controls that keep out of the way (issue 22, item 4), where a reader sees the maps: headless Chromium.

The maps of notebooks 01, 02 and 03, for all of DKI Jakarta and for one kota (Jakarta Utara: the north
coast, where Kamal Muara, the worst distance gap, lies), each seen four ways: a browser window of
1400x1000 and of 1024x768 (the map page itself), the notebook's output in JupyterLab (``embed_map``
in an output :data:`JUPYTERLAB_WIDTH` pixels wide) and the frame of the reader report (the real
template, in a 1024x768 window).  In each, every circle marker's screen box is computed against
every control's box (tests/map_boxes.py): no overlap, every marker of the fitted area wholly in the
map; the layer list is collapsed on the small maps; the scale is metric only; and every popup, opened
in the report frame (the lowest map), is no taller than the map, scrolling inside when it must.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from helpers.analysis import planning
from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
from helpers.analysis.coverage.engine import Thresholds
from helpers.analysis.demand import demand_units
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.maps import base_map, embed_map, recap_sites_map, save_map
from helpers.maps.coverage import coverage_map
from helpers.maps.page import SMALL_MAP, map_info, read_map_info
from helpers.maps.planning import planning_map
from helpers.maps.runtime import LAYOUT_JS, static_text
from helpers.reports import spec as rs
from helpers.reports.render import render

_spec = importlib.util.spec_from_file_location("map_boxes", Path(__file__).with_name("map_boxes.py"))
boxes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(boxes)

#: Width in pixels of a notebook's output area in JupyterLab 4 at 1400x1000 (the map frame measured in
#: tests/test_jupyterlab.py); embed_map's frame is 560 high.
JUPYTERLAB_WIDTH, JUPYTERLAB_HEIGHT = 933, 560
#: How each map is seen: (kind, window width, window height).
VIEWS = {"1400x1000": ("page", 1400, 1000), "1024x768": ("page", 1024, 768),
         "jupyterlab": ("notebook", 1400, 1000), "report": ("report", 1024, 768)}
#: Seconds a page step may take: a hang guard, not a speed target (each wait ends when its condition holds).
WAIT_S = 300
KOTA = "Jakarta Utara"


# ---------------------------------------------------------------------------------------------
# the maps of notebooks 01-03, all of DKI and one kota
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, Path]:
    """``{"01-dki": path, ...}``: the six maps, built as the notebooks build them (default parameters)."""
    folder = tmp_path_factory.mktemp("maps")
    out = {}
    for kota in (None, KOTA):
        scope = resolve_scope(None, kota)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = load_inputs(scope=scope)
        m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps, scope=scope)
        out[f"01-{scope.slug}"] = save_map(m, folder / f"01-{scope.slug}.html")
        result = compute_coverage(**coverage_inputs(data), thresholds=Thresholds(), scope=scope, language="id")
        out[f"02-{scope.slug}"] = save_map(coverage_map(result), folder / f"02-{scope.slug}.html")
        candidates = planning.default_candidates(data.facilities, data.kelurahan)
        demand = demand_units(data.kelurahan, data.tps, data.facilities, islands=data.island_pps)
        inst = planning.build_instance(demand, data.sites, candidates, 2.0, kelurahan=data.kelurahan, scope=scope)
        single = planning.single_site_outages(inst)
        m = planning_map(inst, planning.maximal_coverage(inst, 10), planning.backup_coverage(inst),
                         planning.outage(inst, [single["site_id"].iloc[0]]), data.kelurahan, data.kota)
        out[f"03-{scope.slug}"] = save_map(m, folder / f"03-{scope.slug}.html")
    return out


# ---------------------------------------------------------------------------------------------
# the page: no browser
# ---------------------------------------------------------------------------------------------
def test_every_page_ends_with_the_layout_call_and_a_metric_scale(maps):
    for name, path in maps.items():
        page = path.read_text(encoding="utf-8")
        calls = re.findall(r"RecapMap\.(\w+)\(map_\w+", page)
        assert calls[-1] == "controls" and calls.count("controls") == 1, (name, calls)
        assert calls.index("scale") < calls.index("controls") and "L.control.scale()" not in page, name  # folium's: miles too
        assert "RecapLayout" in page and '"zoomSnap": 0.25' in page, name
        # fitted by the runtime only: folium's animated fitBounds would undo the runtime's fit
        assert not re.search(r"map_\w+\.fitBounds\(", page), name
        info = read_map_info(path)
        assert info["title"] and info["legends"] and info["bounds"], name


def test_map_info_round_trip(tmp_path):
    m = base_map([[-6.4, 106.7], [-6.0, 107.0]], basemap=None, title="<b>Peta</b>", subtitle="2 lokasi")
    from helpers.maps import add_legend

    add_legend(m, "Keterangan", [("#1a9641", "ada internet </script>"), ({"shape": "line", "color": "#252525"}, "batas")])
    path = save_map(m, tmp_path / "m.html")
    assert read_map_info(path) == map_info(m)
    assert read_map_info(path)["legends"][0]["items"][0]["label"] == "ada internet </script>"
    assert "ada internet </script>" not in path.read_text(encoding="utf-8")  # escaped in the page
    plain = tmp_path / "plain.html"
    plain.write_text("<html></html>", encoding="utf-8")
    assert read_map_info(plain) is None


def test_layout_runtime_is_valid_javascript_that_builds_no_markup():
    js = static_text(LAYOUT_JS)
    for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "`"):
        assert bad not in js, bad
    assert f"width: {SMALL_MAP[0]}, height: {SMALL_MAP[1]}" in js  # one threshold, the one page.py documents
    if shutil.which("node"):
        path = Path(__file__).parents[1] / "src" / "helpers" / "maps" / "static" / LAYOUT_JS
        proc = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


def test_embedded_map_is_no_wider_than_its_output(tmp_path):
    path = save_map(base_map(basemap=None), tmp_path / "m.html")
    frame = embed_map(path, height=300).data
    assert "box-sizing:border-box" in frame and "width:100%" in frame and "display:block" in frame


# ---------------------------------------------------------------------------------------------
# the maps in Chromium
# ---------------------------------------------------------------------------------------------
def _open(driver, kind: str, path: Path, tmp_path: Path) -> None:
    """Open ``path`` as a reader sees it and switch into the map's own page."""
    from selenium.webdriver.common.by import By

    if kind == "page":
        driver.get(path.as_uri())
        return
    if kind == "notebook":
        host = tmp_path / f"notebook-{path.name}"
        host.write_text('<!DOCTYPE html><html><body style="margin:0"><div style="width:%dpx">%s</div></body></html>'
                        % (JUPYTERLAB_WIDTH, embed_map(path, height=JUPYTERLAB_HEIGHT).data), encoding="utf-8")
    else:
        spec = rs.new_spec(name="Peta", scope="DKI Jakarta", language="id", lead="Peta uji.", figures=[],
                           sections=[rs.section("Peta", rs.map_link(path, "Peta", "Peta interaktif."))])
        host = path.with_name(f"report-{path.stem}.html")
        host.write_text(render(spec), encoding="utf-8")
    driver.get(host.as_uri())
    driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))


def _laid_out(driver, bounds):
    """The view once the runtime has laid the map out at its present size (a WebDriverWait condition)."""
    view = driver.execute_script(boxes.BOXES, bounds)
    if view and view["size"][0] and view["laid_out"] == "%dx%d" % tuple(view["size"]):
        return view
    return False


@pytest.mark.browser
@pytest.mark.parametrize("view_name", list(VIEWS))
def test_no_control_hides_a_marker(make_driver, maps, tmp_path, view_name):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    kind, width, height = VIEWS[view_name]
    driver = make_driver(f"{width},{height}")
    # the viewport itself is width x height (a window's frame would take some of it)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    found = {}
    for name, path in maps.items():
        _open(driver, kind, path, tmp_path)
        bounds = read_map_info(path)["bounds"]
        try:
            view = WebDriverWait(driver, WAIT_S).until(lambda d, b=bounds: _laid_out(d, b))
        except TimeoutException:
            raise AssertionError(f"{name} ({view_name}): never laid out: {driver.execute_script(boxes.BOXES, bounds)}")
        found[name] = view
        where = f"{name} in {view_name} ({view['size'][0]}x{view['size'][1]})"
        assert view["markers"] and any(mk["in_area"] for mk in view["markers"]), where
        assert boxes.problems(view) == [], where
        small = view["size"][0] < 1100 or view["size"][1] < 700
        assert view["small"] == small, where
        assert view["lists"] == 1 and (view["lists_open"] == 0 or not small), where  # collapsed when small
        assert len(view["scales"]) == 1 and re.fullmatch(r"\d+ k?m", view["scales"][0]), (where, view["scales"])
        if kind == "report":  # the lowest map: every popup fits in it, scrolling inside when it must
            pops = driver.execute_script(boxes.POPUPS, 1000)
            assert pops["popups"], where
            for p in pops["popups"]:
                assert p["height"] <= pops["map_height"], (where, p, pops["map_height"])
                assert not p["scrolls"] or p["overflow"] in ("auto", "scroll"), (where, p)
        if kind != "page":
            driver.switch_to.default_content()
    # the case the issue saw: Kamal Muara, the worst distance gap, drawn in the DKI coverage map, clear
    kamal = [mk for mk in found["02-dki"]["markers"] if mk["name"].endswith(": Kamal Muara")]
    assert len(kamal) == 1 and kamal[0]["in_area"] and kamal[0]["box"] is not None, kamal


@pytest.mark.browser
def test_the_picture_for_print_shows_only_the_data(make_driver, maps):
    """map.html#print (the picture of the printed report): no title, legend, zoom buttons, layer list or
    buttons, no basemap tiles, a white background; the inset and the scale stay, clear of every marker."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver = make_driver("1400,1300")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1400, "height": 1300, "deviceScaleFactor": 1, "mobile": False})
    for name in ("01-dki", "02-dki"):
        driver.get(maps[name].as_uri() + "#print")
        bounds = read_map_info(maps[name])["bounds"]
        view = WebDriverWait(driver, WAIT_S).until(lambda d, b=bounds: _laid_out(d, b))
        shown = sorted(c["name"].split()[0] for c in view["controls"])
        assert shown == ["leaflet-control-scale", "recap-inset"], (name, shown)
        assert boxes.problems(view) == [], name
        state = driver.execute_script("""
            var c = document.querySelector('.recap-map');
            return {tiles: document.querySelectorAll('.leaflet-tile-pane img').length,
                    background: getComputedStyle(c).backgroundColor, print: c.classList.contains('recap-print'),
                    buttons: Array.from(document.querySelectorAll('button')).filter(function (b) {
                        return b.getBoundingClientRect().width > 0; }).length};""")
        assert state == {"tiles": 0, "background": "rgb(255, 255, 255)", "print": True, "buttons": 0}, (name, state)
