"""Build steps 1-3 of ``python -m helpers.prepare.dki build``: administrative units, TPS and DPT from ``data/raw/``.

Kelurahan polygons from HDX COD-AB get their Kemendagri/KPU code by largest area overlap with the
Kemendagri-coded polygons (parsed from SQL); kecamatan and kota are dissolved from them; TPS per
kelurahan and DPT per kota are read from KawalPemilu/KPU and the press.  :class:`BuildError` and
:data:`DECIMALS` are shared by every build step.  See :mod:`helpers.prepare.dki`.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from helpers.prepare import kawalpemilu
from helpers.core.geo import UTM48S, WGS84
from helpers.core.names import kota_short

PSEUDO_SUFFIX = "888"  # BPS special codes (lakes, disputed land) end in 888
#: Decimals of the coordinates of the processed files (~0.1 m).
DECIMALS = 6


class BuildError(RuntimeError):
    """The raw data do not have the shape the build expects."""



# --------------------------------------------------------------------------------------------
# raw readers
# --------------------------------------------------------------------------------------------
_SQL_ROW = re.compile(r"\('([0-9.]+)','((?:[^']|'')*)',(-?[0-9.]+),(-?[0-9.]+),'(\[.*?\])'\)", re.S)


def _polygons(geom) -> list[Polygon]:
    """All polygon parts of a geometry, recursing into collections (lines and points dropped)."""
    if geom.geom_type == "Polygon":
        return [geom] if not geom.is_empty else []
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _rings_to_multipolygon(path: list) -> MultiPolygon:
    """cahyadsn paths are [lat, lng] rings nested 2 to 4 deep, without hole information.

    Parts may nest or overlap (there is no hole information), so they are unioned, not XORed.
    """
    rings = []

    def collect(node):  # depth 2 = one ring, depth 3 = rings, depth 4 = polygons of rings
        if isinstance(node[0][0], (int, float)):
            rings.append(node)
        else:
            for child in node:
                collect(child)

    collect(path)
    polys = [p for ring in rings if len(ring) >= 4
             for p in _polygons(shapely.make_valid(Polygon([(lng, lat) for lat, lng in ring])))]
    return MultiPolygon(_polygons(shapely.unary_union(polys)))


def read_kemendagri_sql(files: list[Path]) -> gpd.GeoDataFrame:
    """Parse cahyadsn/wilayah_boundaries SQL dumps into a GeoDataFrame (kode, nama, geometry)."""
    rows = []
    for f in files:
        for m in _SQL_ROW.finditer(f.read_text(encoding="utf-8")):
            kode, nama, _lat, _lng, path = m.groups()
            rows.append({"kode": kode, "nama": nama.replace("''", "'"),
                         "geometry": _rings_to_multipolygon(json.loads(path))})
    if not rows:
        raise BuildError(f"no rows parsed from {[str(f) for f in files]}")
    return gpd.GeoDataFrame(rows, crs=WGS84).sort_values("kode", ignore_index=True)


# --------------------------------------------------------------------------------------------
# boundaries
# --------------------------------------------------------------------------------------------
def _largest_overlap(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame, lkey: str, rkey: str):
    """For every row of ``left`` the ``right`` row with the largest shared area (UTM 48S)."""
    inter = gpd.overlay(left[[lkey, "geometry"]].to_crs(UTM48S),
                        right[[rkey, "geometry"]].to_crs(UTM48S), how="intersection",
                        keep_geom_type=True)
    inter["shared_m2"] = inter.area
    best = inter.sort_values([lkey, "shared_m2", rkey], ascending=[True, False, True])
    return best.drop_duplicates(lkey)[[lkey, rkey, "shared_m2"]]


def build_boundaries(raw: Path):
    """Kelurahan, kecamatan and kota polygons with Kemendagri/KPU codes, plus the crosswalk."""
    hdx = gpd.read_file(raw / "hdx_codab" / "id31_dki_jakarta_district.geojson")
    hdx = hdx.to_crs(WGS84)
    for col in ("village_code", "district_code", "regency_code"):
        hdx[col] = hdx[col].str.removeprefix("id")
    kmd_dir = raw / "kemendagri_cahyadsn"
    kel_k = read_kemendagri_sql(sorted(kmd_dir.glob("wilayah_boundaries_kel_31.*.sql")))
    kec_k = read_kemendagri_sql([kmd_dir / "wilayah_boundaries_kec_31.sql"])
    kota_k = read_kemendagri_sql([kmd_dir / "wilayah_boundaries_kab_31.sql"])
    for name, df, n in (("kelurahan", kel_k, 267), ("kecamatan", kec_k, 44), ("kota", kota_k, 6)):
        if len(df) != n:
            raise BuildError(f"Kemendagri {name}: expected {n} units, parsed {len(df)}")

    hdx["area_m2"] = hdx.to_crs(UTM48S).area
    match = _largest_overlap(hdx, kel_k, "village_code", "kode")
    hdx = hdx.merge(match, on="village_code", how="left", validate="1:1")
    pseudo = hdx["village_code"].str.endswith(PSEUDO_SUFFIX)
    real, pseudo_units = hdx[~pseudo].copy(), hdx[pseudo]
    if len(real) != 267 or real["kode"].duplicated().any() or real["kode"].isna().any():
        raise BuildError("BPS -> Kemendagri kelurahan match is not one-to-one for 267 kelurahan")

    # merge each pseudo-unit into the real kelurahan carrying the same Kemendagri code
    real["merged_pseudo"] = ""
    for _, p in pseudo_units.iterrows():
        i = real.index[real["kode"] == p["kode"]]
        if len(i) != 1:
            raise BuildError(f"pseudo-unit {p['village_code']} has no host kelurahan")
        i = i[0]
        real.at[i, "geometry"] = shapely.unary_union([real.at[i, "geometry"], p["geometry"]])
        note = f"{p['village']} ({p['village_code']})"
        real.at[i, "merged_pseudo"] = "; ".join(filter(None, [real.at[i, "merged_pseudo"], note]))

    real["share_of_bps_polygon"] = (real["shared_m2"] / real["area_m2"]).round(4)
    kel = real.merge(kel_k[["kode", "nama"]], on="kode", validate="1:1")
    kel["kecamatan_kode"] = kel["kode"].str[:8]
    kel["kota_kode"] = kel["kode"].str[:5]
    kel = kel.merge(kec_k[["kode", "nama"]].rename(columns={"kode": "kecamatan_kode", "nama": "kecamatan"}),
                    on="kecamatan_kode", how="left", validate="m:1")
    kota_names = kota_k.assign(kota=kota_k["nama"].map(kota_short))
    kel = kel.merge(kota_names[["kode", "kota"]].rename(columns={"kode": "kota_kode"}),
                    on="kota_kode", how="left", validate="m:1")
    # one BPS district must map to one Kemendagri kecamatan (checks the overlap match)
    per_district = kel.groupby("district_code")["kecamatan_kode"].nunique()
    if (per_district != 1).any() or kel["kecamatan_kode"].nunique() != 44:
        raise BuildError("BPS kecamatan do not map one-to-one onto Kemendagri kecamatan")

    kel["kode_kpu"] = kel["kode"].str.replace(".", "", regex=False)
    kel = kel.rename(columns={"village": "nama_bps", "village_code": "kode_bps"})
    kel["geometry"] = kel.geometry.map(lambda g: g if g.geom_type == "MultiPolygon" else MultiPolygon([g]))
    kel = gpd.GeoDataFrame(kel, geometry="geometry", crs=WGS84).sort_values("kode", ignore_index=True)
    kel["area_km2"] = (kel.to_crs(UTM48S).area / 1e6).round(3)
    crosswalk = kel[["kode_bps", "nama_bps", "kode", "kode_kpu", "nama", "kecamatan_kode", "kota_kode",
                     "share_of_bps_polygon", "merged_pseudo"]].copy()
    kel = kel[["kode", "kode_kpu", "nama", "nama_bps", "kode_bps", "kecamatan_kode", "kecamatan",
               "kota_kode", "kota", "merged_pseudo", "area_km2", "geometry"]]

    kec = kel.dissolve("kecamatan_kode", as_index=False, aggfunc={"kecamatan": "first", "kota_kode": "first",
                                                                   "kota": "first", "kode": "count"})
    kec = kec.rename(columns={"kecamatan_kode": "kode", "kecamatan": "nama", "kode": "n_kelurahan"})
    kec["area_km2"] = (kec.to_crs(UTM48S).area / 1e6).round(3)
    kec = kec[["kode", "nama", "kota_kode", "kota", "n_kelurahan", "area_km2", "geometry"]]

    kota = kel.dissolve("kota_kode", as_index=False, aggfunc={"kota": "first", "kecamatan_kode": "nunique",
                                                              "kode": "count"})
    kota = kota.rename(columns={"kota_kode": "kode", "kota": "nama", "kecamatan_kode": "n_kecamatan",
                                "kode": "n_kelurahan"})
    kota = kota.merge(kota_names[["kode", "nama"]].rename(columns={"nama": "nama_resmi"}), on="kode")
    kota["area_km2"] = (kota.to_crs(UTM48S).area / 1e6).round(3)
    kota = kota[["kode", "nama", "nama_resmi", "n_kecamatan", "n_kelurahan", "area_km2", "geometry"]]
    return kel, kec, kota, crosswalk.sort_values("kode", ignore_index=True)


# --------------------------------------------------------------------------------------------
# TPS, DPT
# --------------------------------------------------------------------------------------------
def build_tps(raw: Path, kel: gpd.GeoDataFrame) -> pd.DataFrame:
    """TPS per kelurahan: regular TPS (1..n) and special-location TPS (901+) counted apart."""
    src = pd.read_csv(io.StringIO(kawalpemilu.dki_tps_csv(raw / "kawalpemilu" / "tps.json")), dtype=str)
    out = pd.DataFrame({
        "kode": src["kode_kemendagri"],
        "tps_reguler": src["tps_reguler"].astype(int),
        "tps_khusus": src["tps_ext_n"].astype(int),
        "tps_khusus_nomor": np.where(src["tps_ext_n"].astype(int) > 0,
                                     src["tps_ext_from"].str.removesuffix(".0") + "-"
                                     + src["tps_ext_to"].str.removesuffix(".0"), ""),
    })
    out["tps_total"] = out["tps_reguler"] + out["tps_khusus"]
    if not (out["tps_total"] == src["tps_total"].astype(int)).all():
        raise BuildError("TPS: tps_reguler + tps_ext_n differs from tps_total in the raw file")
    missing = set(kel["kode"]) ^ set(out["kode"])
    if missing:
        raise BuildError(f"TPS: kelurahan codes do not match the boundaries: {sorted(missing)}")
    out = kel[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota"]].merge(out, on="kode")
    return out.sort_values("kode", ignore_index=True)


def build_dpt(raw: Path) -> pd.DataFrame:
    """DPT and TPS per kota from the KPU DKI pleno of 27 June 2023 (press reports)."""
    src = pd.read_csv(raw / "kpu_dki_press" / "dki_dpt_tps_per_kota_pemilu2024_press.csv", dtype=str)
    src = src[src["kota_kode_kemendagri"].str.len() == 5]
    note = src["source_note"].iloc[0]
    return pd.DataFrame({
        "kota_kode": src["kota_kode_kemendagri"], "kota": src["kota"].map(kota_short),
        "dpt": src["dpt"].astype(int), "tps_pleno": src["tps"].astype(int), "source": note,
    }).sort_values("kota_kode", ignore_index=True)
