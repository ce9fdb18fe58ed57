"""Build the national data layer: ``data/raw/national/`` -> ``data/processed/national/``.

Run ``python -m helpers.prepare.national build [--out FOLDER] [--raw FOLDER]``.  Deterministic: the same
raw files and the pinned library versions give byte-identical files.  Separate from
``helpers.prepare.dki`` (the DKI layer), which it does not read or change.

1. Checks every raw file against ``data/raw/national/MANIFEST.csv`` (git blob SHA-1 of the
   uncompressed bytes): a changed or missing raw file stops the build.
2. Kab/kota and kecamatan polygons of all Indonesia with Kemendagri 2025 codes, names and parents
   from the cahyadsn/wilayah_boundaries dumps (:mod:`helpers.prepare.national_sql`); provinces as the
   union of their kab/kota; an analysis version (upstream geometry, made valid) and a map version
   (clean coverage, simplified with shared borders kept; :mod:`helpers.prepare.national_geom`).
3. Desa/kelurahan points: the centroid of the desa polygon (approximate, not an office).
4. TPS per desa from KawalPemilu, joined by code + name with re-coding (:mod:`helpers.prepare.national_join`),
   and the join report: every desa and TPS not placed, with the reason; kecamatan differences
   both ways; totals that reconcile exactly, nationally and per province.

Files and columns: ``data/processed/national/README.md``; sources: ``data/raw/national/SOURCES.md``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.core import paths
from helpers.prepare.national_geom import (area_km2, desa_points, dissolve, distance_to_own_polygon, map_version,
    read_boundaries)
from helpers.prepare.national_join import join_desa, join_kecamatan, province_summary, read_kawalpemilu
from helpers.prepare.national_sql import read_table

RAW = paths.RAW / "national"
PROCESSED = paths.PROCESSED / "national"
#: Simplification tolerance of the map versions (metres, ``shapely.coverage_simplify``).
MAP_TOLERANCE_M = {"kabkota": 500.0, "kecamatan": 250.0}
POSITION_NOTE = "centroid of the desa polygon"
FILES = {
    "provinsi": "provinsi.parquet", "provinsi_map": "provinsi_map.parquet",
    "kabkota": "kabkota.parquet", "kabkota_map": "kabkota_map.parquet",
    "kecamatan": "kecamatan.parquet", "kecamatan_map": "kecamatan_map.parquet",
    "desa": "desa_tps.parquet",
    "summary": "join_summary.csv", "unplaced": "join_unplaced_desa.csv",
    "recoded": "join_recoded_desa.csv", "kecamatan_report": "join_kecamatan.csv",
}
_WB = "cahyadsn_wilayah_boundaries"


class NationalBuildError(RuntimeError):
    """The raw national data are missing, changed, or do not have the expected shape."""


def _blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def verify_manifest(raw: Path) -> int:
    """Check every file of ``raw/MANIFEST.csv`` (git blob SHA-1 and size of the uncompressed bytes)."""
    manifest = raw / "MANIFEST.csv"
    if not manifest.is_file():
        raise NationalBuildError(f"{manifest} is missing: is {raw} the national raw folder?")
    n = 0
    with open(manifest, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            f = raw / row["local_path"]
            if not f.is_file():
                raise NationalBuildError(f"raw file {f} listed in MANIFEST.csv is missing")
            data = f.read_bytes()
            if f.suffix == ".gz":
                data = gzip.decompress(data)
            if len(data) != int(row["bytes"]) or _blob_sha1(data) != row["git_blob_sha1"]:
                raise NationalBuildError(f"raw file {f} differs from MANIFEST.csv (size or git blob SHA-1): "
                                         "raw files are immutable; restore it")
            n += 1
    return n


def _sql_codes(path: Path) -> dict[str, str]:
    return {r["kode"]: r["nama"] for r in read_table([path], "wilayah", ("kode", "nama"))}


def _tps_numbers(reguler: int, nomor: str) -> str:
    """``"1-12; 901-902"``: the TPS numbers of a desa."""
    return "; ".join(p for p in (f"1-{reguler}" if reguler else "", nomor) if p)


def _add_tps(units: gpd.GeoDataFrame, desa: pd.DataFrame, key: str) -> gpd.GeoDataFrame:
    """Desa counts and TPS of the placed desa per unit (``key`` = the desa column with the unit code)."""
    g = desa.assign(_kpu=(desa["kode_kpu"] != "").astype("int64")).groupby(key)
    stats = pd.DataFrame({"n_desa": g.size(), "n_desa_kpu": g["_kpu"].sum()})
    for c in ("tps_reguler", "tps_khusus", "tps_total"):
        stats[c] = g[c].sum().astype("int64")
    units = units.merge(stats, left_on="kode", right_index=True, how="left")
    for c in stats.columns:
        units[c] = units[c].fillna(0).astype("int64")
    return units


def build_layers(raw: Path) -> dict[str, pd.DataFrame]:
    """Every output table, in memory (see :func:`build` for writing)."""
    wb = raw / _WB
    kab = read_boundaries(sorted((wb / "db" / "kab").glob("*.sql.gz")), "kab")
    kec = read_boundaries(sorted((wb / "db" / "kec").glob("*.sql.gz")), "kec")
    set2025 = _sql_codes(raw / "cahyadsn_wilayah" / "db" / "wilayah.sql.gz")
    set2023 = _sql_codes(raw / "cahyadsn_wilayah" / "db" / "archive" / "wilayah_2023.sql.gz")
    prov_names = {k: v for k, v in set2025.items() if len(k) == 2}

    # parents by code prefix inside one code set (2025); the names come from the same rows
    for child, parent, n, what in ((kec, kab, 5, "kecamatan"), (kab, None, 2, "kab/kota")):
        codes = set(parent["kode"]) if parent is not None else set(prov_names)
        orphans = sorted(set(child["kode"].str[:n]) - codes)
        if orphans:
            raise NationalBuildError(f"{what} without a parent in the boundaries / 2025 code set: {orphans[:10]}")
    kab_names = dict(zip(kab["kode"], kab["nama"]))
    kec_names = dict(zip(kec["kode"], kec["nama"]))

    centroids = pd.read_csv(wb / "derived" / "desa_centroids.csv.gz", dtype=str, keep_default_na=False)
    desa = desa_points(centroids)
    desa["kecamatan_kode"] = desa["kode"].str[:8]
    missing = sorted(set(desa["kecamatan_kode"]) - set(kec["kode"]))
    if missing:
        raise NationalBuildError(f"desa whose kecamatan has no boundary polygon: {missing[:10]}")

    kp = read_kawalpemilu(raw / "kawalpemilu_kp24" / "tps.json.gz")
    joined = join_desa(kp, desa[["kode", "nama"]], kec[["kode", "nama"]], set2025, set2023)
    placed = joined[joined["placed"]].rename(columns={"category": "join_method"})
    desa = desa.merge(placed[["kode", "kode_kpu", "nama_kpu", "join_method", "tps_reguler", "tps_khusus",
                              "tps_khusus_nomor", "tps_total"]], on="kode", how="left", validate="1:1")
    for c in ("kode_kpu", "nama_kpu", "join_method", "tps_khusus_nomor"):
        desa[c] = desa[c].fillna("")
    for c in ("tps_reguler", "tps_khusus", "tps_total"):
        desa[c] = desa[c].fillna(0).astype("int64")
    desa["kabkota_kode"] = desa["kode"].str[:5]
    desa["provinsi_kode"] = desa["kode"].str[:2]
    desa["kecamatan"] = desa["kecamatan_kode"].map(kec_names)
    desa["kabkota"] = desa["kabkota_kode"].map(kab_names)
    desa["provinsi"] = desa["provinsi_kode"].map(prov_names)
    desa["distance_to_kecamatan_m"] = distance_to_own_polygon(desa, kec, "kecamatan_kode")
    desa = desa[["kode", "nama", "kecamatan_kode", "kecamatan", "kabkota_kode", "kabkota", "provinsi_kode",
                 "provinsi", "kode_kpu", "nama_kpu", "join_method", "tps_reguler", "tps_khusus",
                 "tps_khusus_nomor", "tps_total", "approximate", "position_basis", "distance_to_kecamatan_m",
                 "geometry"]]

    kec["kabkota_kode"] = kec["kode"].str[:5]
    kec["kabkota"] = kec["kabkota_kode"].map(kab_names)
    kec["provinsi_kode"] = kec["kode"].str[:2]
    kec["provinsi"] = kec["provinsi_kode"].map(prov_names)
    kec = _add_tps(kec, desa, "kecamatan_kode")
    kec["area_km2"] = area_km2(kec)
    kec = kec[["kode", "nama", "kabkota_kode", "kabkota", "provinsi_kode", "provinsi", "n_desa", "n_desa_kpu",
               "tps_reguler", "tps_khusus", "tps_total", "area_km2", "geometry"]]

    kab["jenis"] = kab["kode"].str[3:5].map(lambda s: "kota" if int(s) >= 71 else "kabupaten")
    kab["provinsi_kode"] = kab["kode"].str[:2]
    kab["provinsi"] = kab["provinsi_kode"].map(prov_names)
    kab["n_kecamatan"] = kab["kode"].map(kec.groupby("kabkota_kode").size()).fillna(0).astype("int64")
    kab = _add_tps(kab, desa, "kabkota_kode")
    kab["area_km2"] = area_km2(kab)
    kab = kab[["kode", "nama", "jenis", "provinsi_kode", "provinsi", "n_kecamatan", "n_desa", "n_desa_kpu",
               "tps_reguler", "tps_khusus", "tps_total", "area_km2", "geometry"]]

    prov = dissolve(kab, "provinsi_kode").rename(columns={"provinsi_kode": "kode"})
    prov["nama"] = prov["kode"].map(prov_names)
    prov["n_kabkota"] = prov["kode"].map(kab.groupby("provinsi_kode").size()).astype("int64")
    prov["n_kecamatan"] = prov["kode"].map(kec.groupby("provinsi_kode").size()).astype("int64")
    prov = _add_tps(prov, desa, "provinsi_kode")
    prov["area_km2"] = area_km2(prov)
    prov = prov[["kode", "nama", "n_kabkota", "n_kecamatan", "n_desa", "n_desa_kpu", "tps_reguler",
                 "tps_khusus", "tps_total", "area_km2", "geometry"]]
    kab_map = map_version(kab, MAP_TOLERANCE_M["kabkota"])
    prov_map = prov.copy()  # same rows and attributes (areas of the analysis polygons)
    prov_map["geometry"] = dissolve(kab_map, "provinsi_kode").geometry.values
    out = {"kabkota": kab, "kecamatan": kec, "kabkota_map": kab_map,
           "kecamatan_map": map_version(kec, MAP_TOLERANCE_M["kecamatan"]),
           "provinsi": prov, "provinsi_map": prov_map, "desa": desa}

    # reports
    joined["provinsi"] = joined["prov_kode"].map(prov_names)
    joined["tps_nomor"] = [_tps_numbers(r, n) for r, n in zip(joined["tps_reguler"], joined["tps_khusus_nomor"])]
    joined["nama_2025_at_kode_kpu"] = joined["kode_kpu_dotted"].map(lambda c: set2025.get(c, ""))
    bnd = dict(zip(desa["kode"], desa["nama"]))
    joined["nama_boundaries_at_kode_kpu"] = joined["kode_kpu_dotted"].map(lambda c: bnd.get(c, ""))
    out["unplaced"] = joined.loc[~joined["placed"], [
        "kode_kpu", "kode_kpu_dotted", "nama_kpu", "kec_kode_kpu", "kec_nama_kpu", "kab_nama_kpu", "prov_kode",
        "provinsi", "tps_reguler", "tps_khusus", "tps_total", "tps_nomor", "category", "reason",
        "nama_boundaries_at_kode_kpu", "nama_2025_at_kode_kpu", "kode_2023", "nama_2023"]].reset_index(drop=True)
    out["recoded"] = joined.loc[joined["category"] == "recoded", [
        "kode_kpu", "kode_kpu_dotted", "nama_kpu", "kec_nama_kpu", "kode", "nama", "prov_kode", "tps_total",
        "nama_boundaries_at_kode_kpu", "kode_2023", "nama_2023"]].reset_index(drop=True)
    out["recoded"].insert(6, "kecamatan", out["recoded"]["kode"].str[:8].map(kec_names))
    out["kecamatan_report"] = join_kecamatan(kp, kec[["kode", "nama"]], desa["kode"], joined, set2025)
    summary = province_summary(joined, prov_names)
    per_prov_bnd = desa.groupby("provinsi_kode").agg(
        desa_boundaries=("kode", "size"), desa_boundaries_without_kpu=("kode_kpu", lambda s: int((s == "").sum())))
    per_prov_bnd.loc["ID"] = per_prov_bnd.sum()
    summary = summary.merge(per_prov_bnd, left_on="prov_kode", right_index=True, how="left")
    out["summary"] = summary
    reconcile(out, kp["desa"])
    return out


def reconcile(out: dict, kp_desa: pd.DataFrame) -> None:
    """Placed (desa layer) + unplaced (report) TPS = tps.json, nationally and per province, exactly."""
    want = kp_desa.groupby(kp_desa["kode_kpu_dotted"].str[:2])["tps_total"].sum()
    placed = out["desa"].groupby("provinsi_kode")["tps_total"].sum()
    unplaced = out["unplaced"].groupby("prov_kode")["tps_total"].sum()
    got = placed.add(unplaced, fill_value=0)
    s = out["summary"].set_index("prov_kode")
    if not got.astype("int64").equals(want.astype("int64")) or int(got.sum()) != int(kp_desa["tps_total"].sum()):
        raise NationalBuildError("TPS do not reconcile: placed + unplaced differs from tps.json")
    if not (s["tps_placed"] + s["tps_unplaced"] == s["tps_total"]).all() or s.loc["ID", "tps_total"] != want.sum():
        raise NationalBuildError("TPS do not reconcile in the summary")
    if len(out["unplaced"]) + int((out["desa"]["kode_kpu"] != "").sum()) != len(kp_desa):
        raise NationalBuildError("desa do not reconcile: placed + unplaced differs from tps.json")


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n")


def build(out: Path | None = None, raw: Path | None = None) -> dict[str, Path]:
    """Rebuild every national file from ``raw`` into ``out``; return their paths.

    Files are written to ``<out>.building`` first and moved into place only when all were built.
    """
    raw = Path(raw or RAW)
    out = Path(out or PROCESSED)
    verify_manifest(raw)
    layers = build_layers(raw)
    tmp = out.with_name(out.name + ".building")
    tmp.mkdir(parents=True, exist_ok=True)
    for key, name in FILES.items():
        df = layers[key]
        (_write_parquet if isinstance(df, gpd.GeoDataFrame) else _write_csv)(df, tmp / name)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for key, name in FILES.items():
        (tmp / name).replace(out / name)
        written[key] = out / name
    tmp.rmdir()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.prepare.national build [--out FOLDER] [--raw FOLDER]``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.prepare.national", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="rebuild data/processed/national from data/raw/national")
    b.add_argument("--out", type=Path, default=PROCESSED, help="output folder (default: data/processed/national)")
    b.add_argument("--raw", type=Path, default=RAW, help="raw folder (default: data/raw/national)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out, args.raw)
    except (NationalBuildError, ValueError, OSError) as exc:
        print(f"national build failed: {exc}", file=sys.stderr)
        return 1
    for p in written.values():
        print(f"wrote {p} ({p.stat().st_size:,} B)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
