"""Run the benchmark suite and print its tables (issue 7).

Usage::

    python benchmarks/run.py            # full: national coverage, memory, all maps, notebooks, batch
    python benchmarks/run.py --quick    # reduced (CI): DKI, 10x DKI, national/20, DKI map; ~1 min
    python benchmarks/run.py --only overview national   # the national layer build and notebook 04

Every figure is measured in this run on this machine (core count in the header), next to the
baseline and floor measured in the same run.  Results are printed as plain tables and written as
JSON to ``benchmarks/results/`` (gitignored; ``--results-dir`` to change, ``--no-save`` to skip).
Targets are reported as pass/FAIL, never asserted: the exit status is 0 whenever the suite ran,
and 1 only when the engine's results differ from the baseline's (a correctness failure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.timing import fmt, table  # noqa: E402

SECTIONS = ("coverage", "maps", "notebooks", "batch", "planning", "inputs", "national", "overview", "operations")


def _versions() -> dict:
    import geopandas
    import numpy
    import pandas
    import scipy
    import shapely

    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "pandas": pandas.__version__, "geopandas": geopandas.__version__, "shapely": shapely.__version__}


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _load() -> float | None:
    """1-minute load average (other processes compete for the cores), None where unknown."""
    try:
        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):
        return None


def header(quick: bool) -> dict:
    return {"date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "mode": "quick" if quick else "full", "cores": os.cpu_count(), "load_avg_start": _load(),
            "machine": f"{platform.system()} {platform.machine()}", "commit": _git_commit(), **_versions()}


def _target(row) -> str:
    parts = []
    if row.get("target_s") is not None:
        parts.append(f"<= {row['target_s']:g} s")
    if row.get("target_floor_ratio") is not None:
        parts.append(f"<= {row['target_floor_ratio']:g}x floor")
    return " and ".join(parts) or "-"


def _check(row) -> str:
    if row.get("check") is None:
        return "-"
    return "same" if row["check"] else "DIFFERS"


def coverage_text(res: dict) -> str:
    rows = []
    for r in res["rows"]:
        eng = r.get("engine_s")
        rows.append([r["scale"], r["points"], r["sites"], r["kota"],
                     fmt(eng, ".4f") if eng is not None else r.get("engine_note", "-"),
                     fmt(r.get("baseline_s"), ".4f"), fmt(r.get("floor_s"), ".4f"),
                     fmt(r.get("engine_over_floor"), ".2f"),
                     fmt(r["baseline_s"] / eng, ".1f") if eng and r.get("baseline_s") else "-",
                     _target(r), _check(r), fmt(r.get("pass"))])
    out = table(["scale", "points", "sites", "kota", "engine s", "baseline s", "floor s", "engine/floor",
                 "baseline/engine", "target", "vs baseline", "result"], rows,
                "Coverage: own-kecamatan site + nearest internet site + distances + per-kota rollup")
    mem = res.get("memory") or {}
    if "error" in mem:
        out += f"\n\nPeak memory: not measured ({mem['error']})"
    elif mem:
        out += (f"\n\nPeak memory, {mem['scale']} run in a fresh subprocess (peak RSS, VmHWM): "
                f"{fmt(mem.get('rss_peak_mb'), '.0f')} MiB "
                f"(after imports {fmt(mem['rss_after_imports_mb'], '.0f')} MiB, after generating the data "
                f"{fmt(mem['rss_after_data_mb'], '.0f')} MiB); engine call alone, tracemalloc peak: "
                f"{fmt(mem.get('engine_traced_peak_mb'), '.1f')} MiB")
        if mem.get("engine_note"):
            out += f" [{mem['engine_note']}]"
    return out


def maps_text(res: dict) -> str:
    if res.get("note"):
        return f"Map HTML size: {res['note']}"
    rows = [[r["scope"], fmt(r["online_mb"], ".3f"), fmt(r["target_online_mb"], "g"),
             fmt(r["offline_mb"], ".3f"), fmt(r["target_offline_mb"], "g"), fmt(r["pass"])] for r in res["rows"]]
    return table(["scope", "online MB", "target", "offline MB", "target", "result"], rows,
                 f"Map HTML size ({res['map']}, saved with save_map; MB = 10^6 bytes)")


def notebooks_text(res: dict) -> str:
    if res.get("note") and not res.get("rows"):
        return f"Notebooks (papermill, scope DKI): {res['note']}"
    rows = []
    for r in res["rows"]:
        if r["status"] != "ok":
            rows.append([r["notebook"], f"{r['status']}: {r['error']}", "-", "-", "-", "-", "-", "-", "-"])
            continue
        rows.append([r["notebook"], fmt(r["papermill_s"], ".2f"), fmt(r["imports_s"], ".2f"), fmt(r["cells_s"], ".2f"),
                     fmt(r["overhead_s"], ".2f"), fmt(r["ratio"], ".2f"), fmt(r["overhead_ratio"], ".2f"),
                     f"<= {r['target']:g}x", fmt(r["pass"])])
    return table(["notebook", "papermill s", "imports s", "in cells s", "overhead s", "notebook/empty",
                  "overhead/empty", "target", "result"], rows,
                 f"Notebooks, all DKI, papermill via helpers.batch.execute.run_one; empty notebook (one trivial cell): "
                 f"{res['empty_s']:.2f} s") + (
        "\n(overhead = papermill time - time inside the cells; target judged on overhead/empty)") + _online_maps_text(res)


def _online_maps_text(res: dict) -> str:
    rows = [[f"{r['notebook']}: {name}", fmt(mb, ".3f"), "1.5", fmt(mb <= 1.5)]
            for r in res["rows"] for name, mb in (r.get("html_online_mb") or {}).items()]
    if not rows:
        return ""
    return "\n\n" + table(["DKI map written by the notebook (offline = False)", "online MB", "target", "result"],
                           rows, "HTML maps of the notebooks for all DKI, online mode, MB")


def batch_text(res: dict) -> str:
    if res.get("note"):
        return f"Full batch: {res['note']}"
    return _batch_maps_text(res) + "\n\n" + (f"Full batch (python -m helpers.batch, {res['notebooks']} notebooks x 7 scopes, --jobs {res['jobs']}): "
            f"{res['wall_s']:.1f} s wall, exit code {res['exit_code']}, {res['runs_with_report']} runs reported; "
            f"target <= {res['target_s']:g} s: {fmt(res['pass'])}")


def _batch_maps_text(res: dict) -> str:
    """Every HTML deliverable of the batch (offline, as pemilu-recap writes them), MB per scope."""
    sizes = res.get("html_mb") or {}
    if not sizes:
        return "HTML deliverables of the batch: none found"
    names = sorted({k.split("/", 1)[1] for k in sizes})
    scopes = sorted({k.split("/", 1)[0] for k in sizes}, key=lambda x: (x != "dki", x))
    rows = []
    for sc in scopes:
        vals = [sizes[f"{sc}/{n}"] for n in names if f"{sc}/{n}" in sizes]
        limit = 3.0 if sc == "dki" else 0.8
        verdict = "pass" if max(vals) <= limit else ("FAIL" if sc == "dki" else "measure online")
        rows.append([sc] + [fmt(sizes.get(f"{sc}/{n}"), ".3f") for n in names] + [f"<= {limit:g}", verdict])
    return table(["scope"] + names + ["target", "result"], rows, "HTML deliverables written by the batch (offline mode), MB; targets: "
                 "dki <= 3 MB offline; kota <= 0.8 MB online (online pages are smaller than offline ones)")


def planning(quick: bool) -> dict:
    """Run benchmarks/bench_planning.py (owned by the planning module) if it exists."""
    script = ROOT / "benchmarks" / "bench_planning.py"
    if not script.exists():
        return {"note": "not available (module missing: benchmarks/bench_planning.py)"}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script)] + (["--repeats", "1"] if quick else []), cwd=ROOT,
                          capture_output=True, text=True)
    return {"exit_code": proc.returncode, "stdout": proc.stdout, "stderr_tail": proc.stderr[-2000:],
            "wall_s": time.perf_counter() - t0}


def planning_text(res: dict) -> str:
    if res.get("note"):
        return f"Planning: {res['note']}"
    text = res["stdout"].rstrip() or "(no output)"
    if res["exit_code"]:
        text += f"\n[bench_planning.py exited with {res['exit_code']}: {res['stderr_tail'].strip()[-300:]}]"
    return "Planning (benchmarks/bench_planning.py)\n\n" + text


def script(name: str, args: list[str]) -> dict:
    """Run one benchmark script of this folder in a fresh process and keep what it printed."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *args], cwd=ROOT,
                          capture_output=True, text=True)
    return {"exit_code": proc.returncode, "stdout": proc.stdout, "stderr_tail": proc.stderr[-2000:],
            "wall_s": time.perf_counter() - t0}


def script_text(title: str, res: dict) -> str:
    text = res["stdout"].rstrip() or "(no output)"
    if res["exit_code"]:
        text += f"\n[exited with {res['exit_code']}: {res['stderr_tail'].strip()[-300:]}]"
    return f"{title}\n\n{text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="reduced run for CI: national at 1/20 scale, DKI map only, no notebooks or batch")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--results-dir", default=str(ROOT / "benchmarks" / "results"), metavar="DIR",
                        help="where to write the JSON results (default: benchmarks/results)")
    parser.add_argument("--no-save", action="store_true", help="do not write the JSON results")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="CartoDB tiles now require an API key")

    sections = list(args.only or (("coverage", "maps", "planning", "inputs") if args.quick else SECTIONS))

    def log(msg):
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    head = header(args.quick)
    results: dict = {"header": head}
    t0 = time.perf_counter()
    texts = []
    if "coverage" in sections:
        from benchmarks import bench_coverage

        results["coverage"] = bench_coverage.run(quick=args.quick, log=log)
        texts.append(coverage_text(results["coverage"]))
    if "maps" in sections:
        from benchmarks import bench_maps

        results["maps"] = bench_maps.run(quick=args.quick, log=log)
        texts.append(maps_text(results["maps"]))
    if "notebooks" in sections:
        from benchmarks import bench_notebooks

        results["notebooks"] = bench_notebooks.per_notebook(repeats=1 if args.quick else 2, log=log)
        texts.append(notebooks_text(results["notebooks"]))
    if "batch" in sections:
        from benchmarks import bench_notebooks

        results["batch"] = bench_notebooks.full_batch(log=log)
        texts.append(batch_text(results["batch"]))
    if "planning" in sections:
        log("planning ...")
        results["planning"] = planning(args.quick)
        texts.append(planning_text(results["planning"]))
    if "inputs" in sections:
        log("input checks ...")
        results["inputs"] = script("bench_inputs.py", ["--rows", "5000"] if args.quick else [])
        texts.append(script_text("Input checks (benchmarks/bench_inputs.py)", results["inputs"]))
    if "national" in sections:
        log("national build ...")
        results["national"] = script("bench_national.py", [])
        texts.append(script_text("National data build (benchmarks/bench_national.py)", results["national"]))
    if "overview" in sections:
        log("national overview ...")
        results["overview"] = script("bench_overview.py", ["--repeats", "1", "--skip-browser"] if args.quick else [])
        texts.append(script_text("National overview, notebook 04 (benchmarks/bench_overview.py)", results["overview"]))
    if "operations" in sections:
        log("recapitulation operations ...")
        results["operations"] = script("bench_operations.py", ["--repeats", "1", "--skip-notebook"] if args.quick else [])
        texts.append(script_text("Recapitulation operations, notebook 05 (benchmarks/bench_operations.py)",
                                 results["operations"]))
    results["suite_wall_s"] = time.perf_counter() - t0
    head["load_avg_end"] = _load()

    title = (f"Benchmarks ({head['mode']} mode) - {head['date_utc']} - {head['cores']} cores, {head['machine']}, "
             f"Python {head['python']}, numpy {head['numpy']}, scipy {head['scipy']}, "
             f"geopandas {head['geopandas']}, commit {head['commit']}; 1-min load average "
             f"{head['load_avg_start']} at start, {head['load_avg_end']} at end")
    text = "\n\n".join([title] + texts + [f"Suite wall time: {results['suite_wall_s']:.0f} s "
                                           f"(command: python benchmarks/run.py{' --quick' if args.quick else ''})"])
    print(text)
    results["text"] = text
    if not args.no_save:
        out = Path(args.results_dir)
        out.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        payload = json.dumps(results, indent=1, default=_json_default)
        (out / f"bench-{head['mode']}-{stamp}.json").write_text(payload, encoding="utf-8")
        (out / f"latest-{head['mode']}.json").write_text(payload, encoding="utf-8")
        log(f"results written to {out}")
    differs = [r["scale"] for r in results.get("coverage", {}).get("rows", []) if r.get("check") is False]
    if differs:
        print(f"\nERROR: engine results differ from the baseline at: {', '.join(differs)}", file=sys.stderr)
        return 1
    return 0


def _json_default(obj):
    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return obj.reset_index().to_dict(orient="records")
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


if __name__ == "__main__":
    sys.exit(main())
