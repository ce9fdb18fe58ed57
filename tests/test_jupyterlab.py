"""The notebooks in a real JupyterLab, run the way a user runs them (headless Chromium via Selenium).

A module-scoped JupyterLab server (``python -m jupyterlab``, this venv) serves a temporary folder
holding a copy of ``notebooks/0[1-3]-*.ipynb``; their default output folder ("../output/dki") lands
in that folder, never in the repository.  Everything the server reads or writes (config, data,
runtime, settings, workspaces, HOME) lives in temporary folders, its only kernel runs this venv's
Python, and nothing is fetched from the internet (news and update checks off, read-only extension
manager).  Each test opens one notebook in a fresh browser, waits for its kernel, runs every cell
with the menu "Run > Run All Cells", then scrolls through the notebook as a user does and checks:
every code cell ran (an execution count), no error output, the tables are rendered, and every map
output, once scrolled into view, is fitted to DKI Jakarta (not the whole world), with the
Kepulauan Seribu inset (required in notebook 01, checked in any map that has one) showing its
islands, no control over any marker (tests/map_boxes.py), its layer list collapsed, and no
horizontal scrollbar under it.

JupyterLab 4 "windows" long notebooks, in two modes: JupyterLab's default windowing mode
(``contentVisibility`` in JupyterLab 4.6: every cell in the DOM, off-screen cells not rendered) and
``full`` (only the cells near the viewport are shown, the others are ``display: none``, so a map
output is laid out only when the user scrolls to it: the case where a map used to stay at the world
view).  Each notebook runs once (a run takes ~13 s), and both modes are covered: 01 (the map with
the Kepulauan Seribu inset) and 03 in ``full``, 02 in the default mode (WINDOWING; the full 3 x 2
matrix is ``WINDOWING = {name: ["default", "full"] for name in NOTEBOOKS}``).  The mode is set
through JupyterLab's settings API before the page is opened.

Needs the Debian packages ``chromium`` and ``chromium-driver``: skipped locally when they are
missing, a failure in CI (``CI=true``).  The page is read only through single ``execute_script``
calls polled by explicit waits; no element reference is kept across events; no fixed sleeps.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers.core import paths
from helpers.batch.execute import kernel_transport, socket_base

# the boxes of a map's markers and controls (tests/map_boxes.py; importlib mode keeps tests/ off sys.path)
_spec = importlib.util.spec_from_file_location("map_boxes", Path(__file__).with_name("map_boxes.py"))
boxes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(boxes)

# one worker, one JupyterLab server for the six runs (make test: --dist loadgroup)
pytestmark = [pytest.mark.browser, pytest.mark.notebooks, pytest.mark.xdist_group("jupyterlab")]

KERNEL_NAME = "Python 3 (recap test venv)"
KEPULAUAN_SERIBU = "31.01"

# What each notebook shows.  ``sites``: the class of the site markers of its map; all of them on the
# mainland must be in the initial view.  The main maps are fitted to the mainland: Kepulauan Seribu,
# 60-100 km out at sea, is shown in an inset ("inset": True = required; any inset a map has is
# checked: its islands and markers in view, and every site off the mainland inside it).
NOTEBOOKS = {
    "01-recap-sites-map.ipynb": {"sites": "recap-site", "inset": True, "maps": 1, "tables": 1},
    "02-coverage-gaps.ipynb": {"sites": "coverage-site", "inset": False, "maps": 1, "tables": 1},
    "03-site-planning.ipynb": {"sites": "planning-site", "inset": False, "maps": 1, "tables": 1},
}
# The world view a map gets when it is fitted while its frame has no size is zoom 0-1.  DKI's mainland
# fits a 933x560 output at zoom 11; Kepulauan Seribu (0.86 degrees north-south: 313 px at zoom 9,
# 157 px at zoom 8) fits the 230x200 px inset at zoom 8 at most.
MIN_ZOOM, MIN_INSET_ZOOM = 10, 8
# "default": JupyterLab's own default windowing mode (no user setting); "full": cells off screen
# are hidden (display: none) until scrolled to.
WINDOWING = {"01-recap-sites-map.ipynb": ["full"], "02-coverage-gaps.ipynb": ["default"],
             "03-site-planning.ipynb": ["full"]}
# Seconds: hang guards that a busy machine (CI, other jobs on its cores) never reaches, not speed
# targets; every wait ends as soon as its condition holds.  RUN_S: the server's start, a run of a
# notebook; WAIT_S: one step in the page (the kernel ready, a menu, a map fitted, a scroll) and one
# REST call.
RUN_S, WAIT_S = 600, 300


# ----------------------------------------------------------------------------------------------
# the server


class Lab:
    """A running JupyterLab server: its URL, token, root folder and a small REST client."""

    def __init__(self, port: int, token: str, root: Path, proc: subprocess.Popen, log: Path):
        self.port, self.token, self.root, self.proc, self.log = port, token, root, proc, log
        self.base = f"http://127.0.0.1:{port}"

    def api(self, method: str, path: str, body=None, timeout: float = WAIT_S):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip() else None

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}"

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    pytest.importorskip("jupyterlab")
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "root"
    (root / "notebooks").mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy2(paths.NOTEBOOKS / name, root / "notebooks" / name)
    # the only kernel: this venv's Python
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL_NAME, "language": "python"}), encoding="utf-8")
    config = tmp / "config"
    # no "Would you like to get notified about official Jupyter news?" toast, no update check
    notification = config / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "IPYTHONDIR"))}
    # the kernels' channels on Unix sockets in the runtime folder (kernel-<id>-ipc-N), as in the batch: no
    # port picked by the server and bound later by the kernel (nteract/papermill#511); the folder's path is
    # kept short (a Unix socket path has at most about 100 bytes)
    runtime = Path(tempfile.mkdtemp(prefix="jl-rt-", dir=socket_base()))
    home = tmp / "home"
    home.mkdir()
    env.update({
        "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"),
        "JUPYTER_PATH": str(tmp / "jupyter"), "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(tmp / "data"), "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTERLAB_SETTINGS_DIR": str(config / "lab" / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(config / "lab" / "workspaces"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    token = secrets.token_hex(24)
    # port 0: the server binds a port the system gives it (no port picked here and bound later by
    # another process); the one it got is read from its runtime file
    args = [sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", "--ServerApp.port=0", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",  # (ServerApp.token is its deprecated alias)
            "--PasswordIdentityProvider.hashed_password=", f"--ServerApp.root_dir={root}",
            "--KernelSpecManager.ensure_native_kernel=False",
            # nothing from the internet: no news feed, no update check, no PyPI extension listing
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            # a kernel that starts slowly on a busy machine is not given up for dead (default 60 s)
            f"--MappingKernelManager.kernel_info_timeout={RUN_S}"]
    if kernel_transport() == "ipc":
        args.append("--KernelManager.transport=ipc")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    server = _start(args, root, env, token, tmp)
    server.runtime = runtime
    try:
        yield server
    finally:
        _stop(server)
        shutil.rmtree(runtime, ignore_errors=True)


def _start(args: list[str], root: Path, env: dict, token: str, tmp: Path) -> Lab:
    """Start the server and wait until it answers on the port it reports in ``jpserver-<pid>.json``
    (its runtime folder).  jupyter_server itself probes the port (bound, then closed) before it
    listens on it; a start that lost it in between to another process (the server exits: "is
    already in use") is tried again, twice."""
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    for attempt in range(3):
        log = tmp / f"server-{attempt}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(args, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        server, info = Lab(0, token, root, proc, log), runtime / f"jpserver-{proc.pid}.json"
        deadline = time.monotonic() + RUN_S
        while proc.poll() is None:
            if not server.port and info.is_file():
                try:
                    server = Lab(int(json.loads(info.read_text(encoding="utf-8"))["port"]), token, root, proc, log)
                except (OSError, ValueError, KeyError):  # being written
                    pass
            if server.port:
                try:
                    if "started" in server.api("GET", "/api/status"):
                        return server
                except (urllib.error.URLError, OSError, ValueError):  # not listening yet
                    pass
            if time.monotonic() > deadline:
                _stop(server)
                pytest.fail(f"jupyter lab did not answer within {RUN_S} s:\n{server.log_tail()}", pytrace=False)
            time.sleep(0.25)  # the poll interval of this bounded wait
        if "is already in use" not in server.log_tail(100_000):
            break
    pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}", pytrace=False)


def _stop(server: Lab) -> None:
    """Shut down every kernel through the REST API, then the server; leave no process behind."""
    try:
        import psutil
    except ImportError:
        psutil = None
    descendants = []
    if psutil is not None and server.proc.poll() is None:
        try:
            descendants = psutil.Process(server.proc.pid).children(recursive=True)
        except psutil.Error:
            pass
    try:
        if server.proc.poll() is None:
            server.shutdown_kernels()
    except (urllib.error.URLError, OSError, ValueError):
        pass
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=WAIT_S)
    if psutil is not None:
        _, alive = psutil.wait_procs(descendants, timeout=WAIT_S)
        for p in alive:
            p.kill()
        assert not alive, f"processes left behind by jupyter lab (killed): {alive}"


@pytest.fixture
def jlab(lab):
    """The server, with no session left over from an earlier test (each test gets a fresh kernel)."""
    lab.shutdown_kernels()
    yield lab
    lab.shutdown_kernels()


# ----------------------------------------------------------------------------------------------
# the browser (same conventions as tests/test_maps_browser.py)


@pytest.fixture
def driver(make_driver):
    """Headless Chromium (tests/conftest.py) at a size where JupyterLab shows its panels."""
    return make_driver("1400,1000")


def _wait(drv, timeout, condition, message):
    """``WebDriverWait(drv, timeout).until(condition)``; on a time-out an AssertionError with
    ``message()`` (what the page showed instead)."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, timeout, poll_frequency=0.1,
                             ignored_exceptions=(StaleElementReferenceException,)).until(condition)
    except TimeoutException:
        raise AssertionError(message()) from None


# ----------------------------------------------------------------------------------------------
# page scripts (each one read of the page = one execute_script call)

_STATE = """
var panel = document.querySelector('.jp-NotebookPanel');
var ind = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
var status = Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
    .map(function (e) { return e.textContent.trim(); }).filter(function (t) { return t.indexOf(' | ') > 0; });
var cells = [];
if (panel) {
  panel.querySelectorAll('.jp-Notebook .jp-Cell[data-windowed-list-index]').forEach(function (c) {
    var errors = [];
    c.querySelectorAll('.jp-OutputArea-output').forEach(function (o) {
      var mime = o.getAttribute('data-mime-type') || '', text = o.textContent;
      if (mime.indexOf('error') >= 0 || (mime === 'application/vnd.jupyter.stderr' && /Traceback|Error/.test(text))) {
        errors.push(text.slice(0, 3000));
      }
    });
    var p = c.querySelector('.jp-InputArea .jp-InputPrompt');
    cells.push({index: +c.getAttribute('data-windowed-list-index'), code: c.classList.contains('jp-CodeCell'),
                prompt: p ? p.textContent.trim() : '', errors: errors});
  });
}
return {panel: !!panel, indicator: ind ? ind.getAttribute('data-status') : null, status: status.join(' / '),
        dialogs: Array.from(document.querySelectorAll('.jp-Dialog')).map(function (d) { return d.textContent.slice(0, 300); }),
        toasts: Array.from(document.querySelectorAll('.Toastify__toast')).map(function (d) { return d.textContent.slice(0, 300); }),
        cells: cells};
"""

# One step of the scroll through the notebook: scroll the notebook's scroller to arguments[0] (null:
# stay) and describe the cells shown (not display: none) and where they are in the scroller.
_SCROLL = """
var panel = document.querySelector('.jp-NotebookPanel');
var outer = panel.querySelector('.jp-WindowedPanel-outer');
if (arguments[0] !== null) { outer.scrollTop = arguments[0]; }
var o = outer.getBoundingClientRect(), cells = [];
panel.querySelectorAll('.jp-Notebook .jp-Cell[data-windowed-list-index]').forEach(function (c) {
  var r = c.getBoundingClientRect();
  if (getComputedStyle(c).display === 'none' || r.height === 0) { return; }
  var errors = [];
  c.querySelectorAll('.jp-OutputArea-output').forEach(function (out) {
    var mime = out.getAttribute('data-mime-type') || '', text = out.textContent;
    if (mime.indexOf('error') >= 0 || (mime === 'application/vnd.jupyter.stderr' && /Traceback|Error/.test(text))) {
      errors.push(text.slice(0, 3000));
    }
  });
  var p = c.querySelector('.jp-InputArea .jp-InputPrompt');
  cells.push({index: +c.getAttribute('data-windowed-list-index'), code: c.classList.contains('jp-CodeCell'),
              prompt: p ? p.textContent.trim() : '', top: r.top - o.top, bottom: r.bottom - o.top, errors: errors,
              tables: c.querySelectorAll('.jp-OutputArea-output.jp-RenderedHTMLCommon table, .jp-OutputArea-output .jp-RenderedHTMLCommon table').length,
              frames: c.querySelectorAll('.jp-OutputArea-output iframe').length});
});
return {top: outer.scrollTop, height: outer.clientHeight, scrollHeight: outer.scrollHeight, cells: cells};
"""

_FRAME = """
var c = document.querySelector('.jp-NotebookPanel .jp-Cell[data-windowed-list-index="' + arguments[0] + '"]');
var f = c && c.querySelector('.jp-OutputArea-output iframe');
if (f && arguments[1]) { f.scrollIntoView({block: 'center'}); }
return f || null;
"""

_FRAME_BOX = """
var r = arguments[0].getBoundingClientRect();
var o = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').getBoundingClientRect();
// every box between the frame and its cell that scrolls sideways: a horizontal scrollbar under the map
var wide = [];
for (var e = arguments[0].parentElement; e && !e.classList.contains('jp-Cell'); e = e.parentElement) {
  var x = getComputedStyle(e).overflowX;
  if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth) { wide.push(e.className + ': ' + e.scrollWidth + ' > ' + e.clientWidth); }
}
return {width: r.width, height: r.height, in_view: r.top >= o.top - 1 && r.bottom <= o.bottom + 1,
        sandbox: arguments[0].getAttribute('sandbox'), srcdoc: arguments[0].hasAttribute('srcdoc'), scrolls_sideways: wide};
"""

# Inside a map's frame (sandboxed, hence cross-origin: only reachable by switching into it).  The
# main map is a global (folium's map_<id>); the inset map is a local of RecapMap.inset, so every
# map is also recorded by observation: L.Map.prototype.invalidateSize is wrapped (calling through)
# and a window "resize" event makes each map (trackResize) call it on the next frame (all in the
# same frame: once the main map is recorded, so is any inset).  Nothing of the view is changed.
_MAP_VIEW = """
if (!window.L || !L.Map) { return null; }
var mainland = L.latLngBounds(arguments[0]), siteClass = arguments[1], islands = L.latLngBounds(arguments[2]);
if (!window.__recapTestMaps) {
  window.__recapTestMaps = [];
  var call = L.Map.prototype.invalidateSize;
  L.Map.prototype.invalidateSize = function () {
    if (window.__recapTestMaps.indexOf(this) < 0) { window.__recapTestMaps.push(this); }
    return call.apply(this, arguments);
  };
  window.dispatchEvent(new Event('resize'));
}
var maps = window.__recapTestMaps.slice();
for (var k in window) {
  try { if (window[k] instanceof L.Map && maps.indexOf(window[k]) < 0) { maps.push(window[k]); } } catch (e) {}
}
function hasClass(l, cls) { return !cls || (' ' + (l.options.className || '') + ' ').indexOf(' ' + cls + ' ') >= 0; }
function markers(m, cls) {
  var out = [];
  m.eachLayer(function (l) { if (l instanceof L.CircleMarker && hasClass(l, cls)) { out.push(l.getLatLng()); } });
  return out;
}
function describe(m) {
  var s = m.getSize();
  return {zoom: m.getZoom(), width: s.x, height: s.y, bounds: m.getBounds().toBBoxString()};
}
var main = null, insets = [];
maps.forEach(function (m) {
  if (m.getContainer().closest('.recap-inset')) { insets.push(m); } else { main = main || m; }
});
if (!main) { return {main: null, inset: null}; }
var inset = insets[0] || null;
var b = main.getBounds(), sites = markers(main, siteClass);
var onLand = sites.filter(function (p) { return mainland.contains(p); });
var res = {main: describe(main), shows_mainland: b.contains(mainland), sites: sites.length, mainland_sites: onLand.length,
           mainland_sites_in_view: onLand.filter(function (p) { return b.contains(p); }).length,
           offshore_sites: sites.length - onLand.length, inset: null, insets: insets.length,
           recorded: window.__recapTestMaps.indexOf(main) >= 0};
if (inset) {
  var ib = inset.getBounds(), own = markers(inset, '');
  res.inset = describe(inset);
  res.inset.sites = own.length;
  res.inset.sites_in_view = own.filter(function (p) { return ib.contains(p); }).length;
  res.inset.shows_islands = ib.contains(islands);
  res.offshore_sites_in_inset = sites.filter(function (p) { return !mainland.contains(p) && ib.contains(p); }).length;
}
return res;
"""


def _extents() -> dict[str, list[list[float]]]:
    """[[south, west], [north, east]] of the five mainland kota and of Kepulauan Seribu (shipped boundaries)."""
    import warnings

    from helpers.io import inputs as loaders

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kota = loaders.load_boundaries("kota").to_crs(4326)
    seribu = kota["kode"].astype(str) == KEPULAUAN_SERIBU
    out = {}
    for key, part in (("mainland", kota[~seribu]), ("islands", kota[seribu])):
        w, s, e, n = part.total_bounds
        out[key] = [[float(s), float(w)], [float(n), float(e)]]
    return out


def _map_fitted(view, spec) -> bool:
    """The main map shows all of the mainland and its sites; the inset (required when
    ``spec["inset"]``, checked whenever there is one) all of Kepulauan Seribu, its markers and every
    site off the mainland."""
    if not view or not view.get("main") or not view["recorded"] or view["insets"] > 1:
        return False
    main, inset = view["main"], view["inset"]
    if not (main["zoom"] >= MIN_ZOOM and main["width"] > 0 and main["height"] > 0 and view["shows_mainland"]
            and view["mainland_sites"] > 0 and view["mainland_sites_in_view"] == view["mainland_sites"]):
        return False
    if inset is None:
        return not spec["inset"]
    return (inset["zoom"] >= MIN_INSET_ZOOM and inset["width"] > 0 and inset["height"] > 0 and inset["shows_islands"]
            and inset["sites"] > 0 and inset["sites_in_view"] == inset["sites"]
            and view["offshore_sites_in_inset"] == view["offshore_sites"])


def _check_map(drv, index, spec, extents, timeout=WAIT_S):
    """Scroll the map output of cell ``index`` into view, switch into its frame and wait until
    the map is fitted (see ``_map_fitted``); return what was read."""
    seen = {"box": None, "view": None}
    drv.execute_script(_FRAME, index, True)

    def fitted(d):
        frame = d.execute_script(_FRAME, index, False)
        if frame is None:  # the cell is being re-laid out: bring it back
            d.execute_script(_FRAME, index, True)
            return False
        seen["box"] = d.execute_script(_FRAME_BOX, frame)
        d.switch_to.frame(frame)
        try:
            seen["view"] = d.execute_script(_MAP_VIEW, extents["mainland"], spec["sites"], extents["islands"])
        finally:
            d.switch_to.default_content()
        if not (seen["box"]["in_view"] and _map_fitted(seen["view"], spec)):
            return False
        # laid out at its size by the runtime: the boxes of its markers and controls (tests/map_boxes.py)
        d.switch_to.frame(frame)
        try:
            seen["boxes"] = d.execute_script(boxes.BOXES)
        finally:
            d.switch_to.default_content()
        laid_out = seen["boxes"] and seen["boxes"]["laid_out"] == "%dx%d" % tuple(seen["boxes"]["size"])
        return seen if laid_out else False

    return _wait(drv, timeout, fitted,
                 lambda: f"the map of cell {index} is not fitted {timeout} s after it was scrolled into view "
                         f"(need zoom >= {MIN_ZOOM}, a size, all of the mainland and its sites in view"
                         + f"; {'an' if spec['inset'] else 'any'} inset: zoom >= {MIN_INSET_ZOOM}, a size, "
                         + "all of Kepulauan Seribu and its sites in view"
                         + f"): frame {seen['box']}, map {seen['view']}")


def _settle(drv, y, last_index):
    """Scroll the notebook to ``y`` and wait until the windowed list shows the cells there."""
    state = {}

    def shown(d):
        s = d.execute_script(_SCROLL, y if not state else None)
        state.update(s)
        mid = s["height"] / 2
        if any(c["top"] <= mid + 40 and c["bottom"] >= mid - 40 for c in s["cells"]):
            return s
        last = [c for c in s["cells"] if c["index"] == last_index]
        return s if last and last[0]["bottom"] < mid else False  # past the last cell

    return _wait(drv, WAIT_S, shown, lambda: f"no cell shown at scroll position {y}: {state}")


def _first_error(cells):
    return next((c for c in cells if c["errors"]), None)


# ----------------------------------------------------------------------------------------------
# the test


@pytest.mark.parametrize("name, windowing", [(name, mode) for name in NOTEBOOKS for mode in WINDOWING[name]],
                         ids=lambda v: v.split("-")[0] if v.endswith(".ipynb") else v)
def test_notebook_runs_in_jupyterlab(jlab, driver, name, windowing):
    started, wall = time.monotonic(), time.time()
    spec = NOTEBOOKS[name]
    nb = json.loads((jlab.root / "notebooks" / name).read_text(encoding="utf-8"))
    code_cells = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    last_index = len(nb["cells"]) - 1
    extents = _extents()

    # the windowing mode, through JupyterLab's settings API (read when the page starts)
    tracker = "/lab/api/settings/@jupyterlab/notebook-extension:tracker"
    jlab.api("PUT", tracker, {"raw": json.dumps({} if windowing == "default" else {"windowingMode": windowing})})
    settings = jlab.api("GET", tracker)
    mode = settings["settings"].get("windowingMode", settings["schema"]["properties"]["windowingMode"]["default"])
    if windowing != "default":
        assert mode == windowing, settings["settings"]

    # open the notebook in a workspace of its own (nothing restored from an earlier test)
    workspace = f"t{secrets.token_hex(4)}"
    driver.get(jlab.url(f"/lab/workspaces/{workspace}/tree/notebooks/{name}"))
    state = {}

    def read(d):
        state.clear()
        state.update(d.execute_script(_STATE))
        return state

    def ready(d):
        s = read(d)
        return (s["panel"] and s["indicator"] == "idle" and f"{KERNEL_NAME} | Idle" in s["status"]
                and any(c["code"] for c in s["cells"]) and not s["dialogs"])

    _wait(driver, WAIT_S, ready, lambda: f"{name}: the notebook and its kernel never became ready: {state}")
    assert not state["toasts"], state["toasts"]  # e.g. no "get notified about official Jupyter news?"
    if kernel_transport() == "ipc":  # the kernel's five channels are Unix sockets of its own (no port race)
        (kernel,) = jlab.api("GET", "/api/kernels")
        assert len(list(jlab.runtime.glob(f"kernel-{kernel['id']}-ipc-*"))) == 5
    opened = time.monotonic()

    # Run > Run All Cells, through the menu bar
    def menu_item(selector, label):
        def click(d):
            el = d.execute_script("var label = arguments[1];"
                                  "return Array.from(document.querySelectorAll(arguments[0]))"
                                  ".find(function (e) { return e.textContent.trim() === label; }) || null;",
                                  selector, label)
            if el is None:
                return False
            el.click()
            return True
        _wait(driver, WAIT_S, click, lambda: f"no menu item {label!r} ({selector})")

    menu_item("#jp-menu-panel .lm-MenuBar-itemLabel", "Run")
    menu_item(".lm-Menu .lm-Menu-item .lm-Menu-itemLabel", "Run All Cells")

    # wait until the run is over: kernel idle, nothing queued, the last code cell numbered (or an error)
    def run_over(d):
        s = read(d)
        if _first_error(s["cells"]):
            return s
        prompts = {c["index"]: c["prompt"] for c in s["cells"] if c["code"]}
        last = prompts.get(code_cells[-1], "")
        return (s["indicator"] == "idle" and f"{KERNEL_NAME} | Idle" in s["status"]
                and "[*]:" not in prompts.values() and last[1:-2].isdigit())

    _wait(driver, RUN_S, run_over, lambda: f"{name}: the run did not end within {RUN_S} s: {state}")
    ran = time.monotonic()
    error = _first_error(state["cells"])
    assert error is None, f"{name}: cell {error['index']} shows an error:\n{error['errors'][0]}"

    # scroll through the notebook as a user does; check each map output when it is first shown
    seen, maps, y = {}, {}, 0
    for _ in range(200):
        view = _settle(driver, y, last_index)
        for c in view["cells"]:
            seen[c["index"]] = c
            if c["frames"] and c["index"] not in maps:
                maps[c["index"]] = _check_map(driver, c["index"], spec, extents)
                driver.execute_script(_SCROLL, y)  # back to where the scroll was
        if view["top"] + view["height"] >= view["scrollHeight"] - 2 or y > view["scrollHeight"]:
            break
        y = view["top"] + int(view["height"] * 0.6)
    checked = time.monotonic()

    missing = [i for i in code_cells if i not in seen]
    assert not missing, f"{name}: code cells never shown while scrolling through the notebook: {missing}"
    unrun = {i: seen[i]["prompt"] for i in code_cells if not seen[i]["prompt"][1:-2].isdigit()}
    assert not unrun, f"{name}: cells without an execution count after Run All Cells: {unrun}"
    error = _first_error(seen.values())
    assert error is None, f"{name}: cell {error['index']} shows an error:\n{error['errors'][0]}"
    tables = sum(c["tables"] for c in seen.values())
    assert tables >= spec["tables"], f"{name}: {tables} rendered table(s) in the outputs"
    assert len(maps) == spec["maps"], f"{name}: map outputs in cells {sorted(maps)}"
    for found in maps.values():
        box, view = found["box"], found["view"]
        assert box["sandbox"] == "allow-scripts allow-popups" and box["srcdoc"], box
        # the output as wide as the notebook: no horizontal scrollbar under the map; no control hides a marker
        assert box["scrolls_sideways"] == [], box
        assert boxes.problems(found["boxes"]) == [], (found["boxes"]["size"], boxes.problems(found["boxes"]))
        assert found["boxes"]["small"] and found["boxes"]["lists_open"] == 0, found["boxes"]
        assert view["main"]["zoom"] >= MIN_ZOOM and view["mainland_sites_in_view"] == view["mainland_sites"], view
    # the run wrote its deliverables into the temporary copy, not into the repository
    figures = jlab.root / "output" / "dki" / f"{Path(name).stem}.figures.json"
    assert figures.exists() and figures.stat().st_mtime >= wall - 1, figures
    print(f"{name} [{windowing}={mode}]: ready {opened - started:.1f} s, run {ran - opened:.1f} s, "
          f"scroll+checks {checked - ran:.1f} s; maps {[(i, m['view']) for i, m in maps.items()]}; "
          f"frames {[(m['box']['width'], m['box']['height']) for m in maps.values()]}")
