"""National overview benchmark (notebook 04): coverage step, engine vs a bare cKDTree floor, the
whole notebook through papermill, peak memory, the map's size and its load time in Chromium.

On the real national layer (83,403 desa points, 7,285 kecamatan = PPK sites, 820,161 TPS of
which 817,295 placed):

* **coverage step, cold**: a fresh subprocess times ``load_national()`` (the parquet files and
  the join report) and ``overview.compute()`` for all Indonesia (sites, parts, the sea-crossing
  rule, the engine, every table), then the files, the map and the report
  (``overview_report.write`` + ``report_spec``); peak RSS = ``VmHWM`` of
  ``/proc/self/status`` read in the child.  Target: load + compute <= 10 s.
* **engine vs floor, warm**: ``overview.coverage_core`` (every desa-site pair projected to the
  site's UTM zone, then ``helpers.analysis.coverage.engine.assign_core``: own-site join, distance, loads) against
  the floor, a bare ``scipy.spatial.cKDTree`` build + nearest-site query on the same projected
  points (best of ``workers=1`` and ``-1``); timed round-robin, best of N.  The floor's inputs are
  projected beforehand; the engine's projection is timed.  Target: engine <= 2 x floor.
* **notebook**: ``papermill`` of ``notebooks/04-national-overview.ipynb`` for all Indonesia
  (default parameters, output to a temporary folder), wall time, and the kernel's peak RSS
  (``VmHWM`` of every process below this one, polled every 0.1 s; it only grows, so the last
  reading before the kernel exits is its peak).  Targets: <= 60 s, <= 2 GiB.
* **map**: size of the offline ``map-national-overview.html`` the notebook wrote (target
  <= 8 MB), and headless Chromium (Debian ``chromium`` + ``chromium-driver``, the options of
  ``tests/test_maps_browser.py``, ``page_load_strategy = "none"`` so that failing tile requests
  of an offline machine do not count): the time until the kecamatan polygons are on the map
  (``window.overviewReady``, ``performance.now()`` from navigation start) and the wall time from
  ``driver.get`` to that moment, best and worst of 3 loads.  Target: < 3 s.

Run: ``python benchmarks/bench_overview.py [--repeats 5] [--skip-notebook] [--skip-browser]``.
Targets are printed as pass/FAIL, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


if __package__ in (None, ""):  # python benchmarks/bench_overview.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.timing import interleaved, table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "04-national-overview.ipynb"
TARGET_STEP_S, TARGET_FLOOR_RATIO, TARGET_NOTEBOOK_S = 10.0, 2.0, 60.0
TARGET_PEAK_MB, TARGET_MAP_MB, TARGET_LOAD_S = 2048.0, 8.0, 3.0

_CHILD = r"""
import json, sys, time
from pathlib import Path

def vmhwm_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

t = time.perf_counter()
from helpers.analysis import overview
from helpers.io.national import load_national, resolve_scope
from helpers.reports import overview as overview_map
imports = time.perf_counter() - t
t0 = time.perf_counter()
layer = load_national()
t1 = time.perf_counter()
result = overview.compute(layer, resolve_scope("indonesia"))
t2 = time.perf_counter()
files = overview_map.write(result, Path(sys.argv[1]), layer, offline=True)
spec = overview_map.report_spec(result, files)
t3 = time.perf_counter()
print(json.dumps({"imports_s": imports, "load_s": t1 - t0, "compute_s": t2 - t1, "outputs_s": t3 - t2,
                  "peak_mb": vmhwm_mb(), "n_desa": len(result.desa), "n_sites": len(result.sites),
                  "tps": int(result.desa["tps"].sum()), "tps_kpu": int(result.provinsi["tps_kpu"].iloc[-1])}))
"""


def cold_step() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-overview-") as tmp:
        proc = subprocess.run([sys.executable, "-c", _CHILD, tmp], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"coverage step failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def engine_vs_floor(repeats: int) -> dict:
    """Warm timings of ``coverage_core`` and the bare cKDTree floor on the same points."""
    import shapely
    from scipy.spatial import cKDTree

    from helpers.analysis import overview
    from helpers.core.geo import utm_epsg
    from helpers.io.national import load_national, resolve_scope
    from helpers.io.province import ppk_sites

    layer = load_national(map_layer=False)
    kec, desa = layer.kecamatan, layer.desa
    site_pt, _, _, dk = ppk_sites(kec, desa)
    slon, slat = shapely.get_x(site_pt), shapely.get_y(site_pt)
    dlon, dlat, w = desa.geometry.x.to_numpy(), desa.geometry.y.to_numpy(), desa["tps_total"].to_numpy()
    zone = utm_epsg(slon, slat)
    sxy, dxy = overview.project_by_zone(slon, slat, zone), overview.project_by_zone(dlon, dlat, zone[dk])

    def floor(workers):
        return lambda: cKDTree(sxy).query(dxy, k=1, workers=workers)

    best, res = interleaved({"engine": lambda: overview.coverage_core(dlon, dlat, dk, slon, slat, w),
                             "floor workers=1": floor(1), "floor workers=-1": floor(-1)}, repeats)
    tc, _ = interleaved({"compute": lambda: overview.compute(layer, resolve_scope("indonesia"))},
                        max(1, repeats // 2))
    return {"engine_s": best["engine"], "floor_s": min(best["floor workers=1"], best["floor workers=-1"]),
            "floor1_s": best["floor workers=1"], "floor_all_s": best["floor workers=-1"],
            "compute_warm_s": tc["compute"], "n_desa": len(dlon), "n_sites": len(slon),
            "tps": int(res["engine"]["site_load"].sum())}


def _tree_peak_mb(root: int) -> float:
    """Largest VmHWM (MB) among the descendants of process ``root``."""
    import psutil

    peak = 0.0
    try:
        kids = psutil.Process(root).children(recursive=True)
    except psutil.Error:
        return peak
    for p in kids:
        try:
            for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return peak


def notebook_run(out: Path) -> dict:
    from helpers.batch.execute import execute_notebook  # papermill, the kernel on IPC sockets

    peak, done = [0.0], threading.Event()

    def poll():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_peak_mb(os.getpid()))
            time.sleep(0.1)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    t = time.perf_counter()
    execute_notebook(str(NOTEBOOK), str(out / NOTEBOOK.name), parameters={"output_dir": str(out)},
                     cwd=str(NOTEBOOK.parent), kernel_name="python3", progress_bar=False)
    wall = time.perf_counter() - t
    done.set()
    watcher.join()
    return {"wall_s": wall, "kernel_peak_mb": peak[0],
            "map_mb": (out / "map-national-overview.html").stat().st_size / 1e6}


def browser_load(page: Path, loads: int = 3) -> dict | str:
    chromium, driver_exe = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver")
    if not Path(chromium).exists() or not driver_exe:
        return "chromium/chromedriver not installed"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    ready, wall = [], []
    with tempfile.TemporaryDirectory(prefix="bench-overview-chromium-") as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        opts.page_load_strategy = "none"
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1280,900", f"--user-data-dir={profile}"):
            opts.add_argument(arg)
        drv = webdriver.Chrome(service=Service(driver_exe), options=opts)
        try:
            for _ in range(loads):
                drv.get("about:blank")
                t = time.perf_counter()
                drv.get(page.resolve().as_uri())
                while not drv.execute_script("return window.overviewReady || null"):
                    if time.perf_counter() - t > 60:
                        return "the polygons never appeared"
                    time.sleep(0.01)
                wall.append(time.perf_counter() - t)
                ready.append(drv.execute_script("return window.overviewReady") / 1000)
                n = drv.execute_script("return document.querySelector('[data-overview-polygons]')"
                                       ".dataset.overviewPolygons")
        finally:
            drv.quit()
    return {"ready_s": ready, "wall_s": wall, "polygons": int(n)}


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds of the warm engine/floor timing")
    parser.add_argument("--skip-notebook", action="store_true", help="no papermill run (and no browser)")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium load")
    args = parser.parse_args(argv)

    import geopandas
    import scipy
    import shapely

    load0 = os.getloadavg()[0]
    print(f"national overview benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"shapely {shapely.__version__}, geopandas {geopandas.__version__}, scipy {scipy.__version__}; "
          f"load average {load0:.2f}\n")

    cold = cold_step()
    step = cold["load_s"] + cold["compute_s"]
    print(table(["imports s", "load s", "compute s", "load + compute s", "files+map+report s", "peak RSS MB"],
                [[f"{cold['imports_s']:.2f}", f"{cold['load_s']:.2f}", f"{cold['compute_s']:.2f}", f"{step:.2f}",
                  f"{cold['outputs_s']:.2f}", f"{cold['peak_mb']:.0f}"]],
                title=f"coverage step, all Indonesia, fresh process ({cold['n_desa']:,} desa, {cold['n_sites']:,} "
                      f"PPK sites, {cold['tps']:,} TPS placed of {cold['tps_kpu']:,})"))
    print(f"load + compute {step:.2f} s — target <= {TARGET_STEP_S:.0f} s: {verdict(step <= TARGET_STEP_S)}; "
          f"peak RSS {cold['peak_mb']:.0f} MB — target <= {TARGET_PEAK_MB:.0f} MB: "
          f"{verdict(cold['peak_mb'] <= TARGET_PEAK_MB)}\n")

    ef = engine_vs_floor(args.repeats)
    ratio = ef["engine_s"] / ef["floor_s"]
    print(table(["engine s", "floor s (workers=1)", "floor s (workers=-1)", "engine / floor",
                 "compute() warm s", "compute / floor"],
                [[f"{ef['engine_s']:.4f}", f"{ef['floor1_s']:.4f}", f"{ef['floor_all_s']:.4f}", f"{ratio:.2f}x",
                  f"{ef['compute_warm_s']:.2f}", f"{ef['compute_warm_s'] / ef['floor_s']:.0f}x"]],
                title=f"engine (coverage_core: UTM per site zone + assign_core) vs bare cKDTree floor, "
                      f"{ef['n_desa']:,} desa -> {ef['n_sites']:,} sites, best of {args.repeats}"))
    print(f"engine / floor {ratio:.2f}x — target <= {TARGET_FLOOR_RATIO:.0f}x: "
          f"{verdict(ratio <= TARGET_FLOOR_RATIO)} "
          "(compute() adds the sites, the sea-crossing geometry and the roll-ups)\n")

    if args.skip_notebook:
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-overview-nb-") as tmp:
        nb = notebook_run(Path(tmp))
        print(table(["papermill wall s", "kernel peak RSS MB", "map MB (offline)"],
                    [[f"{nb['wall_s']:.1f}", f"{nb['kernel_peak_mb']:.0f}", f"{nb['map_mb']:.2f}"]],
                    title="notebook 04, all Indonesia, default parameters"))
        print(f"notebook {nb['wall_s']:.1f} s — target <= {TARGET_NOTEBOOK_S:.0f} s: "
              f"{verdict(nb['wall_s'] <= TARGET_NOTEBOOK_S)}; kernel peak {nb['kernel_peak_mb']:.0f} MB — target "
              f"<= {TARGET_PEAK_MB:.0f} MB: {verdict(nb['kernel_peak_mb'] <= TARGET_PEAK_MB)}; map "
              f"{nb['map_mb']:.2f} MB — target <= {TARGET_MAP_MB:.0f} MB: {verdict(nb['map_mb'] <= TARGET_MAP_MB)}\n")
        if not args.skip_browser:
            b = browser_load(Path(tmp) / "map-national-overview.html")
            if isinstance(b, str):
                print(f"Chromium load: {b}")
            else:
                rows = [[i + 1, f"{r:.2f}", f"{w:.2f}"] for i, (r, w) in enumerate(zip(b["ready_s"], b["wall_s"]))]
                print(table(["load", "polygons on the map s (performance.now)", "driver.get -> polygons s"], rows,
                            title=f"headless Chromium, map-national-overview.html ({b['polygons']:,} kecamatan)"))
                worst = max(max(b["ready_s"]), max(b["wall_s"]))
                print(f"worst {worst:.2f} s — target < {TARGET_LOAD_S:.0f} s: {verdict(worst < TARGET_LOAD_S)}")
    print(f"load average {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
