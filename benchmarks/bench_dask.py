"""Benchmark: the full batch report on a Dask LocalCluster at 1 and 2 workers (``pemilu-recap --dask-workers N``).

Usage::

    .venv/bin/python benchmarks/bench_dask.py                 # 1 and 2 workers, all notebooks x 7 scopes
    .venv/bin/python benchmarks/bench_dask.py --workers 1 2 3 --repeats 2
    .venv/bin/python benchmarks/bench_dask.py --pool          # also the local process pool, --jobs 1 and 2
    .venv/bin/python benchmarks/bench_dask.py --kota dki      # a smaller batch (one scope)
    .venv/bin/python benchmarks/bench_dask.py --notebooks notebooks/0[123]-*.ipynb   # some notebooks
    .venv/bin/python benchmarks/bench_dask.py --provinsi all --notebooks notebooks/01-*.ipynb notebooks/02-*.ipynb
                                                             # the 38 provinces (notebooks 01 and 02)

Each configuration is ``python -m helpers.batch --output <tmp> --no-progress --dask-workers N`` run
as a subprocess from start to exit (starting and closing the cluster included): the same batch of
notebook runs every time (default: all the project's notebooks for ``dki`` and each of the 6 kota,
``--kota`` all, the full report), after installation (environment and processed data present).
Printed: wall time (best of ``--repeats``), runs that succeeded, the sum of the runs' own durations
(from ``manifest.json``), and the speed-up against 1 worker.  The target (>= 1.7x with 2 workers
on 2 cores) is reported as pass/FAIL, never asserted; the figures are what this machine measured
in this run (the core count and load average are printed with them).  Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.timing import table  # noqa: E402

TARGET_SPEEDUP = 1.7


def run_batch(engine: list[str], kota: list[str] | None, notebooks: list[str] | None = None, log=print,
              provinsi: list[str] | None = None) -> dict:
    """One batch as ``pemilu-recap`` runs it, in a subprocess; wall time and what the manifest says."""
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        out = Path(tmp) / "report"
        cmd = [sys.executable, "-m", "helpers.batch", "--output", str(out), "--no-progress", *engine]
        if provinsi:
            cmd += ["--provinsi", *provinsi]
        if kota:
            cmd += ["--kota", *kota]
        if notebooks:
            cmd += ["--notebooks", *notebooks]
        log("  " + " ".join(cmd[1:]))
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        try:
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    runs = manifest.get("runs") or []
    return {"wall_s": wall, "exit_code": proc.returncode, "runs": len(runs),
            "ok": sum(r["status"] == "ok" for r in runs),
            "run_sum_s": sum(r.get("duration_s") or 0 for r in runs),
            "options": manifest.get("options", {}),
            "last_line": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes (default 1 2)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each configuration; best wall time kept")
    parser.add_argument("--kota", nargs="+", help="scopes (default: dki and all 6 kota)")
    parser.add_argument("--provinsi", nargs="+", help="province scopes (pemilu-recap --provinsi): \"all\" = the 38 provinces")
    parser.add_argument("--notebooks", nargs="+", metavar="PATH",
                        help="notebook files or folders (default: all of notebooks/, the full report)")
    parser.add_argument("--pool", action="store_true", help="also the local process pool, --jobs 1 and 2")
    args = parser.parse_args(argv)

    configs = [(f"dask LocalCluster, {n} worker{'s' if n > 1 else ''}", n, ["--dask-workers", str(n)])
               for n in args.workers]
    if args.pool:
        configs += [(f"process pool, --jobs {n}", n, ["--jobs", str(n)]) for n in (1, 2)]
    load0 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_dask: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load0:.2f} at start; scopes: {', '.join(args.kota) if args.kota else 'all'}"
          f"{' of provinsi ' + ', '.join(args.provinsi) if args.provinsi else ''}; "
          f"notebooks: {' '.join(Path(n).name for n in args.notebooks) if args.notebooks else 'all of notebooks/'}")
    results = {}
    for _ in range(max(1, args.repeats)):  # round-robin: a change in load hits every configuration alike
        for name, n, engine in configs:
            res = run_batch(engine, args.kota, args.notebooks, provinsi=args.provinsi)
            best = results.get(name)
            if best is None or res["wall_s"] < best["wall_s"]:
                results[name] = {**res, "n": n}
    base = {kind: next((r["wall_s"] for name, r in results.items() if name.startswith(kind) and r["n"] == 1),
                       None) for kind in ("dask", "process")}
    rows = []
    for name, r in results.items():
        one = base["dask" if name.startswith("dask") else "process"]
        speedup = one / r["wall_s"] if one else None
        rows.append([name, f"{r['wall_s']:.1f}", f"{r['ok']}/{r['runs']}", f"{r['run_sum_s']:.1f}",
                     f"{speedup:.2f}x" if speedup else "-", str(r["exit_code"])])
    print()
    print(table(["configuration", "wall s", "runs ok", "sum of runs s", "speed-up vs 1", "exit"], rows,
                title="Full batch report (wall time from start to exit, cluster start and close included)"))
    two = results.get("dask LocalCluster, 2 workers")
    if two and base["dask"]:
        speedup = base["dask"] / two["wall_s"]
        verdict = "pass" if speedup >= TARGET_SPEEDUP else "FAIL"
        print(f"\ntarget: 2 workers >= {TARGET_SPEEDUP}x faster than 1 worker on {os.cpu_count()} cores: "
              f"{speedup:.2f}x - {verdict}")
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load1:.2f} at end")
    for name, r in results.items():
        if r["exit_code"] != 0:
            print(f"{name}: exit {r['exit_code']}: {r['last_line']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
