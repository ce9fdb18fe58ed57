"""Benchmark: the main job (``make run`` = ``pemilu-recap``) from start to exit, and a 38-province batch.

Usage::

    .venv/bin/python benchmarks/bench_batch.py                  # the full DKI batch (make run), best of 3
    .venv/bin/python benchmarks/bench_batch.py --provinsi all    # also the 38 provinces, each as a whole

Each configuration is ``python -m helpers.batch --output <tmp> --no-progress [--jobs N]`` run as a
subprocess from start to exit, after installation (environment and processed data present).  The
default batch is every notebook of ``notebooks/`` for ``dki`` and each of the 6 kota, plus the
national notebook once (22 runs): what ``make run`` does.

Printed per configuration: the wall time (best of ``--repeats``), the runs that succeeded, the sum of
the runs' own durations and the pre-flight (``manifest.json``), the **floor** -- the sum of the
runs' durations divided by the jobs (what perfect parallelism over the same runs would take) --
and **runs per minute per core** (runs / wall minutes / cores used).  The target (<= 40 s for the
full DKI batch on a quiet 2-core machine) is printed as pass/FAIL, never asserted.  The machine's
core count and load average are printed with the figures: other processes slow every figure.
Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_DKI_S = 40.0


def one_batch(args: list[str]) -> dict:
    """``python -m helpers.batch`` with ``args`` in a subprocess: wall time and what the manifest says."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        out = Path(tmp) / "report"
        cmd = [sys.executable, "-m", "helpers.batch", "--output", str(out), "--no-progress", *args]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        try:
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    runs = manifest.get("runs") or []
    return {"wall_s": wall, "exit": proc.returncode, "runs": len(runs), "ok": sum(r["status"] == "ok" for r in runs),
            "run_sum_s": sum(r.get("duration_s") or 0 for r in runs), "preflight_s": manifest.get("preflight_s"),
            "jobs": (manifest.get("options") or {}).get("jobs"), "retried": sum(bool(r.get("retries")) for r in runs),
            "tail": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""}


def best_of(args: list[str], repeats: int, label: str) -> dict:
    results = []
    for i in range(repeats):
        r = one_batch(args)
        print(f"  {label} #{i + 1}: {r['wall_s']:.1f} s, {r['ok']}/{r['runs']} ok, exit {r['exit']}"
              + (f" ({r['tail']})" if r["exit"] else ""), flush=True)
        results.append(r)
    return min(results, key=lambda r: r["wall_s"])


def report(label: str, r: dict) -> None:
    jobs = r["jobs"] or 1
    cores = min(jobs, os.cpu_count() or 1)
    floor = r["run_sum_s"] / jobs
    rate = r["runs"] / (r["wall_s"] / 60) / cores if r["wall_s"] else 0.0
    print(f"{label}: wall {r['wall_s']:.1f} s; {r['ok']} of {r['runs']} runs ok ({r['retried']} retried); "
          f"runs' own time {r['run_sum_s']:.1f} s, floor at --jobs {jobs} {floor:.1f} s; pre-flight "
          f"{r['preflight_s'] if r['preflight_s'] is not None else '-'} s; {rate:.1f} runs per minute per core")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each configuration; best wall time kept")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs of pemilu-recap (default: its own, the cores)")
    parser.add_argument("--provinsi", nargs="+", help='also a province batch, e.g. "all" (38 provinces, each as a whole)')
    args = parser.parse_args(argv)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start; python {sys.version.split()[0]}")
    dki = best_of(jobs, args.repeats, "DKI batch")
    report("DKI batch (make run)", dki)
    verdict = "pass" if dki["wall_s"] <= TARGET_DKI_S and dki["ok"] == dki["runs"] else "FAIL"
    print(f"target: full DKI batch <= {TARGET_DKI_S:.0f} s on a quiet 2-core machine: {verdict}")
    if args.provinsi:
        report(f"--provinsi {' '.join(args.provinsi)}", best_of([*jobs, "--provinsi", *args.provinsi], 1, "provinces"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
