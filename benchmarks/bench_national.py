"""National data layer benchmark: time and peak memory of ``python -m helpers.prepare.national build``.

Each repeat runs the whole build (manifest check, parsing, join, map versions, writing) in a **fresh
subprocess** into a temporary folder, so every figure starts from a cold interpreter and a clean
peak-memory counter.  Printed per run: wall time, CPU time of the process (user + system; less
sensitive to other load on the machine than wall time), and peak RSS (``VmHWM`` of
``/proc/self/status``, read in the child after imports and after the build — not ``ru_maxrss``,
which Linux carries across fork + exec from the parent).  The header gives the core count, library
versions and the 1-minute load average before and after (other processes slow the wall time).
The target (under 5 minutes of wall time on 2 cores) is printed as pass/FAIL, never asserted.

Run: ``python benchmarks/bench_national.py [--repeats 1]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/bench_national.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.timing import table  # noqa: E402

TARGET_S = 300.0

_CHILD = r"""
import json, os, sys, time
from pathlib import Path

def vmhwm_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

t_import = time.perf_counter()
from helpers.prepare import national
t0, c0 = time.perf_counter(), time.process_time()
after_imports = vmhwm_mb()
written = national.build(out=Path(sys.argv[1]))
print(json.dumps({"import_s": t0 - t_import, "wall_s": time.perf_counter() - t0,
                  "cpu_s": time.process_time() - c0, "rss_after_imports_mb": after_imports,
                  "peak_rss_mb": vmhwm_mb(),
                  "bytes": {p.name: p.stat().st_size for p in written.values()}}))
"""


def run_once() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(Path(tmp) / "out")],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"national build failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=1, help="fresh-process builds to run (default 1)")
    args = parser.parse_args(argv)

    import geopandas
    import pyarrow
    import shapely

    load0 = os.getloadavg()[0]
    print(f"national build benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"shapely {shapely.__version__} (GEOS {'.'.join(map(str, shapely.geos_version))}), "
          f"geopandas {geopandas.__version__}, pyarrow {pyarrow.__version__}; load average {load0:.2f}")
    runs = [run_once() for _ in range(max(1, args.repeats))]
    rows = [[i + 1, f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{r['import_s']:.1f}",
             f"{r['rss_after_imports_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"] for i, r in enumerate(runs)]
    print(table(["run", "build wall s", "build CPU s", "imports s", "RSS after imports MB", "peak RSS MB"], rows,
                title="python -m helpers.prepare.national build (fresh process each run)"))
    best = min(r["wall_s"] for r in runs)
    print(f"best wall time {best:.1f} s — target < {TARGET_S:.0f} s: {'pass' if best < TARGET_S else 'FAIL'}; "
          f"peak RSS {max(r['peak_rss_mb'] for r in runs):.0f} MB; "
          f"load average {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    sizes = runs[-1]["bytes"]
    print(table(["file", "bytes"], [[k, f"{v:,}"] for k, v in sorted(sizes.items())] +
                [["total", f"{sum(sizes.values()):,}"]], title="files written"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
