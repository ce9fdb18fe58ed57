"""Rebuild ``data/processed/`` from the immutable files in ``data/raw/``.

Run ``python -m helpers.prepare.dki build [--out FOLDER]``.  The build is deterministic: the same
raw files and the same pinned library versions give byte-identical output.

What it does (see data/README.md for sources and licences):

1. Kelurahan polygons from HDX COD-AB (BPS 2020 codes).  The three BPS pseudo-units
   (Prepedan, Danau Sunter, Danau Sunter Dll) are merged by union into the kelurahan that
   contains them; every kelurahan gets its Kemendagri/KPU code by **largest area overlap**
   with the Kemendagri-coded polygons (cahyadsn/wilayah_boundaries, parsed from SQL), never
   by code digits (BPS 3171 is Jakarta Selatan, Kemendagri 31.71 is Jakarta Pusat).
2. Kecamatan and kota polygons by dissolving the kelurahan on their Kemendagri codes.
3. TPS per kelurahan (KawalPemilu/KPU ``tps.json``, see :mod:`helpers.prepare.kawalpemilu`), DPT per kota
   (KPU DKI pleno, press).
4. Government offices (BIG RBI points), classified and joined to the containing kelurahan.
5. Press-reported venues and warehouses as a table without coordinates.
6. Kepulauan Seribu offices placed on the island a source puts them on (:mod:`helpers.prepare.islands`).
7. The 44 recap sites, one per kecamatan, with an honest ``location_source``.

Steps 1-3 are in :mod:`helpers.prepare.dki_units`, steps 4-7 in :mod:`helpers.prepare.dki_facilities`; this module
writes the files and holds the command line, and re-exports the build steps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from helpers.prepare import islands
from helpers.core import paths
from helpers.prepare.dki_facilities import (INTERNET_SOURCE, OFFICE_ROLES, build_offices, build_press_facilities,
    build_sites, classify_office)
from helpers.prepare.dki_units import (DECIMALS, PSEUDO_SUFFIX, BuildError, build_boundaries, build_dpt, build_tps,
    read_kemendagri_sql)

__all__ = ["DECIMALS", "EXTRA_FILES", "INTERNET_SOURCE", "OFFICE_ROLES", "PSEUDO_SUFFIX", "BuildError", "build",
           "build_boundaries", "build_dpt", "build_offices", "build_press_facilities", "build_sites", "build_tps",
           "classify_office", "main", "read_kemendagri_sql"]

#: Processed files written by the build besides ``paths.PROCESSED_FILES``.
EXTRA_FILES = {"island_positions": islands.FILE}


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------
def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf = gdf.copy()
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10 ** -DECIMALS)  # stays valid
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={
        "COORDINATE_PRECISION": DECIMALS, "RFC7946": "YES", "WRITE_NAME": "NO"})


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n", float_format=f"%.{DECIMALS}f")


def build(out: Path | None = None, raw: Path | None = None) -> dict[str, Path]:
    """Rebuild every processed file from ``raw`` into ``out`` and return their paths.

    Files are first written to a temporary folder next to ``out`` and moved into place only
    when all of them were built, so a failed build leaves the previous files untouched.
    """
    raw = Path(raw or paths.RAW)
    out = Path(out or paths.PROCESSED)
    kel, kec, kota, crosswalk = build_boundaries(raw)
    tps = build_tps(raw, kel)
    dpt = build_dpt(raw)
    offices = build_offices(raw, kel)
    press = build_press_facilities(raw, kec)
    island_pos = islands.build_island_positions(raw, kel)
    sites = build_sites(kel, kec, offices, press, island_pos)

    out.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".building")
    tmp.mkdir(parents=True, exist_ok=True)
    f = paths.PROCESSED_FILES
    _write_geojson(kel, tmp / f["kelurahan"])
    _write_geojson(kec, tmp / f["kecamatan"])
    _write_geojson(kota, tmp / f["kota"])
    _write_geojson(offices, tmp / f["offices"])
    for key, df in (("crosswalk", crosswalk), ("tps", tps), ("dpt", dpt), ("press_facilities", press),
                    ("sites", sites)):
        _write_csv(df, tmp / f[key])
    _write_csv(island_pos, tmp / EXTRA_FILES["island_positions"])
    written = {}
    for key, name in {**f, **EXTRA_FILES}.items():
        (tmp / name).replace(out / name)
        written[key] = out / name
    tmp.rmdir()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.prepare.dki build [--out FOLDER] [--raw FOLDER]``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.prepare.dki", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="rebuild data/processed from data/raw")
    b.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default: data/processed)")
    b.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: data/raw)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out, args.raw)
    except (BuildError, islands.IslandError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    for p in written.values():
        print(f"wrote {p} ({p.stat().st_size:,} B)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
