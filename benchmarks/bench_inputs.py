"""Benchmark the input checks on big and odd user files (issue 11, point 8); prints measured figures.

Usage::

    python benchmarks/bench_inputs.py            # 100,000-row facility and TPS files, CSV and XLSX
    python benchmarks/bench_inputs.py --rows 20000

Each file is written to a temporary folder, then loaded in a **fresh Python process** (so the
peak memory is that of one check: VmHWM, imports included) with the loader the notebooks use.
The files are synthetic and only exist for the benchmark: the facility rows cycle through the
shipped office points (BIG RBI) with numbered names and free ``Jenis`` values; the TPS rows cycle
through the 267 kelurahan, so beyond the first 267 rows every row is a duplicate that the check
must find and report (the error path).  Also measured: a sites file far larger than any real
list (refused before any check), and the batch's up-front check on a bad sites workbook (exit 2
before any notebook).  Targets (README): a 100,000-row file checked in under 10 s and 1 GiB.

Size guard (issue 21): a 60 MB facilities CSV (the same synthetic rows, about 660,000 of them) is
refused by :func:`helpers.io.filecheck.check_size` before it is parsed; the section prints its peak
memory next to the peak of the imports alone (the same fresh process, read before the check).
``--parse-big`` also checks that file in full with the limits raised (the old behaviour: about 1 GiB).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S, TARGET_MB = 10.0, 1024.0

_CHILD = r"""
import json, sys, time, warnings
t0 = time.perf_counter()
from helpers.io import inputs as loaders
t1 = time.perf_counter()
import_peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
kind, path = sys.argv[1], sys.argv[2]
fn = {"facilities": loaders.load_facilities, "tps": loaders.load_tps, "sites": loaders.load_sites}[kind]
status, detail = "ok", ""
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        out = fn(path)
        detail = f"{len(out):,} rows loaded"
    except loaders.DataValidationError as exc:
        status, detail = "refused", f"{len(exc.problems)} problem(s), message {len(str(exc)):,} chars"
        first = exc.problems[0].message
t2 = time.perf_counter()
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"import_s": t1 - t0, "check_s": t2 - t1, "peak_mb": hwm, "import_peak_mb": import_peak,
                  "status": status, "detail": detail, "warnings": len(caught),
                  "first_problem": locals().get("first", "")}))
"""


def make_facilities(n: int, path: Path) -> None:
    import geopandas as gpd
    import pandas as pd

    office = gpd.read_file(ROOT / "data" / "processed" / "facilities_offices.geojson")
    kinds = ["Gudang logistik", "Sekretariat PPS", "Sekretariat KPU", "Pos keamanan", "Kantor lurah"]
    idx = [i % len(office) for i in range(n)]
    df = pd.DataFrame({"No": range(1, n + 1), "Nama Fasilitas": [f"Fasilitas uji {i + 1}" for i in range(n)],
                       "Jenis": [kinds[i % len(kinds)] for i in range(n)],
                       "Kecamatan": office["kecamatan"].iloc[idx].str.upper().to_numpy(),
                       "Lintang": office.geometry.y.iloc[idx].round(6).to_numpy(),
                       "Bujur": office.geometry.x.iloc[idx].round(6).to_numpy(), "Keterangan": ""})
    _write(df, path)


def make_tps(n: int, path: Path) -> None:
    import pandas as pd

    t = pd.read_csv(ROOT / "data" / "processed" / "tps_kelurahan.csv", dtype=str)
    idx = [i % len(t) for i in range(n)]
    df = pd.DataFrame({"Kode Wilayah": t["kode"].str.replace(".", "").iloc[idx].to_numpy(),
                       "Kelurahan": t["nama"].str.upper().iloc[idx].to_numpy(),
                       "Jumlah TPS": t["tps_total"].iloc[idx].to_numpy()})
    _write(df, path)


def make_sites(n: int, path: Path) -> None:
    import pandas as pd

    s = pd.read_csv(ROOT / "data" / "processed" / "recap_sites.csv", dtype=str)
    idx = [i % len(s) for i in range(n)]
    df = pd.DataFrame({"Kecamatan": s["kecamatan"].iloc[idx].to_numpy(), "Lintang": s["lat"].iloc[idx].to_numpy(),
                       "Bujur": s["lon"].iloc[idx].to_numpy()})
    _write(df, path)


def _write(df, path: Path) -> None:
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.to_excel(path, index=False, engine="openpyxl")


def make_big_facilities(megabytes: float, path: Path) -> int:
    """A facilities CSV of about ``megabytes`` MB (10^6 bytes) of :func:`make_facilities` rows; returns its rows."""
    probe = path.with_name("probe.csv")
    make_facilities(10_000, probe)
    per_row = (probe.stat().st_size - len(probe.read_text(encoding="utf-8").splitlines()[0]) - 1) / 10_000
    probe.unlink()
    n = int(megabytes * 1e6 / per_row)
    make_facilities(n, path)
    n = int(n * megabytes * 1e6 / path.stat().st_size)  # later rows have longer numbers: one correction
    make_facilities(n, path)
    return n


def check(kind: str, path: Path, env: dict | None = None) -> dict:
    import os

    proc = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    if proc.returncode:
        return {"status": "crashed", "detail": proc.stderr.strip().splitlines()[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def batch_bad_input(tmp: Path) -> dict:
    bad = ROOT / "tests" / "fixtures" / "office" / "sites_office_bad.xlsx"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "helpers.batch", "-p", "sites_path", str(bad), "-o", str(tmp / "out"),
                           "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    return {"wall_s": time.perf_counter() - t0, "exit_code": proc.returncode,
            "problems": proc.stderr.count("\n  - "), "notebook_ran": (tmp / "out").exists()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the facility and TPS files")
    parser.add_argument("--big-mb", type=float, default=60.0, help="size of the file the size guard refuses (MB)")
    parser.add_argument("--parse-big", action="store_true",
                        help="also check the big file in full with the limits raised (about 1 GiB of memory)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cases = [("facilities", make_facilities, args.rows, ".csv"), ("facilities", make_facilities, args.rows, ".xlsx"),
                 ("tps", make_tps, args.rows, ".csv"), ("tps", make_tps, args.rows, ".xlsx"),
                 ("sites", make_sites, 50_000, ".csv")]
        for kind, make, n, suffix in cases:
            path = tmp / f"{kind}-{n}{suffix}"
            make(n, path)
            res = check(kind, path)
            res.update(kind=kind, rows=n, format=suffix[1:], mb_file=path.stat().st_size / 1e6)
            rows.append(res)
        batch = batch_bad_input(tmp)
        big = tmp / "facilities-big.csv"
        n_big = make_big_facilities(args.big_mb, big)
        guard = check("facilities", big)
        guard.update(rows=n_big, mb_file=big.stat().st_size / 1e6)
        full = (check("facilities", big, {"PEMILU_RECAP_MAX_INPUT_MB": "1000", "PEMILU_RECAP_MAX_INPUT_ROWS": "100000000"})
                if args.parse_big else None)
    print(f"Input checks (fresh process per file; check = read + validate, imports apart; peak = VmHWM); "
          f"targets <= {TARGET_S:g} s and <= {TARGET_MB:g} MiB")
    print(f"{'file':<22}{'MB':>7}{'check s':>9}{'imports s':>11}{'peak MiB':>10}  result")
    for r in rows:
        name = f"{r['kind']} {r['rows']:,} {r['format']}"
        if r["status"] == "crashed":
            print(f"{name:<22}{r['mb_file']:>7.1f}  CRASHED: {r['detail']}")
            continue
        ok = r["check_s"] <= TARGET_S and r["peak_mb"] <= TARGET_MB
        print(f"{name:<22}{r['mb_file']:>7.1f}{r['check_s']:>9.2f}{r['import_s']:>11.2f}{r['peak_mb']:>10.0f}  "
              f"{r['status']}: {r['detail']}; {'pass' if ok else 'FAIL'}")
    print(f"\nBatch with a bad sites workbook (sites_office_bad.xlsx): exit {batch['exit_code']} after "
          f"{batch['wall_s']:.2f} s wall (process start and imports included), {batch['problems']} problems listed, "
          f"notebook run: {'yes' if batch['notebook_ran'] else 'no'}")
    print(f"\nSize guard: a {guard['mb_file']:.1f} MB facilities CSV ({guard['rows']:,} rows) ", end="")
    if guard["status"] == "crashed":
        print(f"CRASHED: {guard['detail']}")
    else:
        print(f"{guard['status']} in {guard['check_s']:.2f} s; peak {guard['peak_mb']:.0f} MiB (the imports alone: "
              f"{guard['import_peak_mb']:.0f} MiB); {'pass' if guard['peak_mb'] <= TARGET_MB else 'FAIL'}\n"
              f"  message: {guard['first_problem']}")
    if full is not None:
        print(f"The same file checked in full (limits raised): {full.get('status')} in {full.get('check_s', 0):.1f} s, "
              f"peak {full.get('peak_mb', 0):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
