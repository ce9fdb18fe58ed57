"""Rebuild ``data/processed/`` from the immutable files in ``data/raw/``.

Run ``python -m helpers.data build [--out FOLDER]``.  The build is deterministic: the same
raw files and the same pinned library versions give byte-identical output.

What it does (see data/README.md for sources and licences):

1. Kelurahan polygons from HDX COD-AB (BPS 2020 codes).  The three BPS pseudo-units
   (Prepedan, Danau Sunter, Danau Sunter Dll) are merged by union into the kelurahan that
   contains them; every kelurahan gets its Kemendagri/KPU code by **largest area overlap**
   with the Kemendagri-coded polygons (cahyadsn/wilayah_boundaries, parsed from SQL), never
   by code digits (BPS 3171 is Jakarta Selatan, Kemendagri 31.71 is Jakarta Pusat).
2. Kecamatan and kota polygons by dissolving the kelurahan on their Kemendagri codes.
3. TPS per kelurahan (KawalPemilu/KPU ``tps.json``, see :mod:`helpers.kawalpemilu`), DPT per kota
   (KPU DKI pleno, press).
4. Government offices (BIG RBI points), classified and joined to the containing kelurahan.
5. Press-reported venues and warehouses as a table without coordinates.
6. Kepulauan Seribu offices placed on the island a source puts them on (:mod:`helpers.islands`).
7. The 44 recap sites, one per kecamatan, with an honest ``location_source``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from . import islands, kawalpemilu, paths
from .geo import UTM48S, WGS84, largest_part_point
from .names import kota_short, name_key

#: Source of the internet programme, kept verbatim in every site row.  A programme-level claim: the
#: article names no site, so ``internet = true`` is applied to every PPK site.
INTERNET_SOURCE = (
    "MerahPutih.com, 'Pemprov DKI Bantu Jaringan Internet di 44 Lokasi Rekapitulasi Pemilu 2024', "
    "Monday 29 January 2024, https://merahputih.com/post/read/pemprov-dki-bantu-jaringan-internet-di-lokasi-"
    "rekapitulasi-pemilu: among the facilities Pemprov DKI Jakarta provides for Pemilu 2024 "
    "the article lists “Lalu, Kantor Sekretariat Panitia Pemilihan Kecamatan (PPK) "
    "dan Panitia Pemungutan Suara (PPS) di kelurahan/kecamatan, gudang logistik dan tempat rekapitulasi suara, "
    "jaringan internet di 44 tempat rekapitulasi suara, serta dukungan tenaga pengamanan Tempat Pemungutan "
    "Suara (TPS) dan distribusi logistik.” The article lists no sites: internet = true is a "
    "programme-level claim applied to every PPK site"
)
#: Processed files written by the build besides ``paths.PROCESSED_FILES``.
EXTRA_FILES = {"island_positions": islands.FILE}
PSEUDO_SUFFIX = "888"  # BPS special codes (lakes, disputed land) end in 888
DECIMALS = 6  # ~0.1 m; coordinates of processed GeoJSON


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


# --------------------------------------------------------------------------------------------
# facilities
# --------------------------------------------------------------------------------------------
#: Former offices and non-office plots: "EX/EKS KANTOR LURAH ...", "TANAH EX ...", "RUMAH DINAS ...",
#: "... YANG LAMA".  TANAH/RUMAH only count at the start (Tanah Abang, Tanah Tinggi are places).
_FORMER = re.compile(r"\b(?:EX|EKS)\b|\bEX-|^\s*(?:TANAH|RUMAH)\b|YANG LAMA", re.I)
OFFICE_ROLES = {
    "kantor_camat": "Sekretariat PPK (kantor camat)",
    "kantor_lurah": "Sekretariat PPS (kantor lurah)",
    "kantor_walikota": "Kantor walikota/bupati",
    "balai_kota": "Balai Kota DKI Jakarta",
    "other_government": "Bangunan/lahan pemerintah lain",
}


def classify_office(name: str, level: int) -> str:
    """Office type of a BIG RBI government point from its name and FGSFNP level.

    Examples
    --------
    >>> classify_office("KANTOR CAMAT KOJA", 9)
    'kantor_camat'
    >>> classify_office("RUMAH NEGARA GOLONGAN L TYPE A", 10)
    'other_government'
    """
    up = str(name or "").upper()
    if "BALAI KOTA" in up:
        return "balai_kota"
    if "WALIKOTA" in up or "BUPATI" in up:
        return "kantor_walikota"
    if "CAMAT" in up:
        return "kantor_camat"
    if "LURAH" in up:
        return "kantor_lurah"
    if re.match(r"\s*(TANAH|RUMAH)\b", up):
        return "other_government"
    return {10: "kantor_lurah", 9: "kantor_camat"}.get(int(level), "other_government")


def _named_unit(name: str, office_type: str) -> str:
    """The kelurahan/kecamatan named in an office name ('KANTOR LURAH GALUR' -> 'GALUR')."""
    word = {"kantor_lurah": "LURAH", "kantor_camat": "CAMAT"}.get(office_type)
    up = str(name or "").upper()
    if not word or word not in up:
        return ""
    rest = up.split(word, 1)[1]
    rest = re.sub(r"YANG LAMA|^\s*LURAH", "", rest).split(",")[0]
    if up.startswith(("EX", "EKS")):  # "EX-KANTOR LURAH PEGADUNGAN LAMA": the old office
        rest = re.sub(r"\bLAMA\s*$", "", rest)
    return rest.strip()


def build_offices(raw: Path, kel: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Government office points joined to the kelurahan/kecamatan containing them."""
    src = gpd.read_file(raw / "big_rbi" / "pemerintahan.geojson").to_crs(WGS84)
    src["office_type"] = [classify_office(n, lv) for n, lv in zip(src["NAMOBJ"], src["FGSFNP"])]
    former = src["NAMOBJ"].fillna("").str.contains(_FORMER)
    src["status"] = np.where(former, "former_or_non_office", "active")
    joined = gpd.sjoin(src, kel[["kode", "nama", "nama_bps", "kecamatan_kode", "kecamatan", "kota_kode",
                                 "kota", "geometry"]], how="left", predicate="within")
    if joined.index.duplicated().any():
        raise BuildError("an office point falls inside two kelurahan (overlapping boundaries)")
    named = [_named_unit(n, t) for n, t in zip(joined["NAMOBJ"], joined["office_type"])]
    match = []
    for nm, t, kl, kb, kc in zip(named, joined["office_type"], joined["nama"], joined["nama_bps"],
                                 joined["kecamatan"]):
        if not nm:
            match.append("no_name")
        elif t == "kantor_lurah":
            key, own = name_key(nm), (name_key(kl), name_key(kb))
            # "KANTOR LURAH CILANDAK" inside Cilandak Barat: the name is a prefix of the unit's
            match.append("yes" if key in own else "partial" if any(o.startswith(key) for o in own) else "no")
        else:
            match.append("yes" if name_key(nm) == name_key(kc) else "no")
    out = gpd.GeoDataFrame({
        "facility_id": "RBI-" + joined["OBJECTID"].astype(int).astype(str).str.zfill(3),
        "name": joined["NAMOBJ"].fillna("").str.strip(),
        "facility_type": joined["office_type"],
        "role": joined["office_type"].map(OFFICE_ROLES),
        "status": joined["status"],
        "address": joined["REMARK"].fillna("").str.strip(),
        "kelurahan_kode": joined["kode"], "kelurahan": joined["nama"],
        "kecamatan_kode": joined["kecamatan_kode"], "kecamatan": joined["kecamatan"],
        "kota_kode": joined["kota_kode"], "kota": joined["kota"],
        "named_unit": named, "name_matches_location": match,
        "source": "BIG RBI government points (dianmustofa/buffer pemerintahan.js)",
        "geometry": joined.geometry,
    }, crs=WGS84)
    return out.sort_values("facility_id", ignore_index=True)


def _press_kind(role: str) -> str:
    role = role.lower()
    recap, store = "rekap" in role, ("gudang" in role or "logistik" in role)
    return "recap_venue_and_warehouse" if recap and store else "recap_venue" if recap else \
        "warehouse" if store else "other"


def build_press_facilities(raw: Path, kec: gpd.GeoDataFrame) -> pd.DataFrame:
    """Press-reported recap venues and warehouses, without coordinates (none were published)."""
    src = pd.read_csv(raw / "kpu_dki_press" / "press_reported_ppk_venues_and_warehouses.csv", dtype=str)
    keys = {(name_key(k), name_key(n)): c for c, n, k in zip(kec["kode"], kec["nama"], kec["kota"])}
    kec_kode = [keys.get((name_key(k), name_key(n)), "") for k, n in zip(src["kota"], src["kecamatan"])]
    out = pd.DataFrame({
        "facility_id": [f"PRESS-{i + 1:02d}" for i in range(len(src))],
        "name": src["venue"], "facility_type": src["role"].map(_press_kind), "role": src["role"],
        "election": src["election"], "pemilu_2024": src["election"].str.startswith("Pemilu 2024"),
        "kota": src["kota"], "kecamatan": src["kecamatan"].where(src["kecamatan"].str[0] != "(", ""),
        "kecamatan_kode": kec_kode, "status": src["status_in_source"], "source_date": src["source_date"],
        "source_url": src["source_url"], "position_known": False,
    })
    return out


# --------------------------------------------------------------------------------------------
# recap sites
# --------------------------------------------------------------------------------------------

def build_sites(kel, kec, offices, press, island_positions=None) -> pd.DataFrame:
    """One PPK recapitulation site per kecamatan, with an honest location source.

    Kecamatan without a kantor camat point whose kantor kecamatan a source puts on an island
    (``island_positions``, :func:`helpers.islands.build_island_positions`) are placed on that island.
    """
    isl = islands.ppk_rows(island_positions) if island_positions is not None else {}
    kel_utm = kel.to_crs(UTM48S)
    kec_utm = kec.set_index("kode").to_crs(UTM48S).geometry  # projected once, not per kecamatan
    camat = offices[(offices["facility_type"] == "kantor_camat") & (offices["status"] == "active")
                     & (offices["name_matches_location"] == "yes")]
    camat = camat.drop_duplicates("kecamatan_kode").set_index("kecamatan_kode")
    recap_press = press[press["pemilu_2024"] & press["facility_type"].str.startswith("recap")
                        & (press["kecamatan_kode"] != "")].set_index("kecamatan_kode")
    rows = []
    for k in kec.sort_values("kode").itertuples():
        row = {"site_id": f"PPK-{k.kode}", "kecamatan_kode": k.kode, "kecamatan": k.nama,
               "kota_kode": k.kota_kode, "kota": k.kota, "internet": True}
        if k.kode in recap_press.index:
            p = recap_press.loc[k.kode]
            row.update(venue=p["name"], venue_status=p["status"], address="",
                       source_note=f"venue: {p['role']} ({p['source_date']}, {p['source_url']})")
            if "kantor kecamatan" in p["name"].lower() and k.kode in camat.index:
                c = camat.loc[k.kode]
                row.update(address=c["address"], lon=c.geometry.x, lat=c.geometry.y,
                           location_source="kantor_camat_point", approximate=False,
                           position_basis=f"BIG RBI point {c['facility_id']} ({c['name']})")
            else:
                kels = kel[kel["kecamatan_kode"] == k.kode]
                hit = [r for r in kels.itertuples()
                       if re.search(r"(kel\.|,)\s*" + re.escape(r.nama.lower()) + r"\b", p["name"].lower())]
                if hit:
                    pt = largest_part_point(kel_utm.loc[hit[0].Index, "geometry"])
                    basis = f"representative point of kelurahan {hit[0].nama}, named in the press address"
                else:
                    pt = largest_part_point(kec_utm[k.kode])
                    basis = "representative point of the kecamatan"
                ll = gpd.GeoSeries([pt], crs=UTM48S).to_crs(WGS84).iloc[0]
                row.update(lon=ll.x, lat=ll.y, location_source="press_venue_position_unknown",
                           approximate=True,
                           position_basis=basis + "; the venue's own position is not in any source")
        elif k.kode in camat.index:
            c = camat.loc[k.kode]
            row.update(venue=f"Kantor Kecamatan {k.nama} (sekretariat PPK)", venue_status="assumed",
                       address=c["address"], lon=c.geometry.x, lat=c.geometry.y,
                       location_source="kantor_camat_point", approximate=False,
                       position_basis=f"BIG RBI point {c['facility_id']} ({c['name']})",
                       source_note="recap venue not published; the PPK secretariat (kantor camat) is shown")
        elif k.kode in isl:
            p = isl[k.kode]
            row.update(venue=f"{p['office']}, {p['island']}", venue_status="assumed", address=p["island"],
                       lon=p["lon"], lat=p["lat"], location_source="approximate", approximate=True,
                       position_basis=p["position_basis"],
                       source_note="recap venue not published and no kantor camat point; the PPK secretariat "
                                   "(kantor kecamatan) is shown on the island a source puts it on")
        else:
            pt = largest_part_point(kec_utm[k.kode])
            ll = gpd.GeoSeries([pt], crs=UTM48S).to_crs(WGS84).iloc[0]
            row.update(venue="(venue unknown)", venue_status="unknown", address="", lon=ll.x, lat=ll.y,
                       location_source="approximate", approximate=True,
                       position_basis="representative point of the kecamatan (largest polygon)",
                       source_note="no recap venue and no kantor camat point in any source")
        row["internet_source"] = INTERNET_SOURCE
        rows.append(row)
    cols = ["site_id", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "venue", "venue_status", "address",
            "lon", "lat", "location_source", "approximate", "position_basis", "internet", "internet_source",
            "source_note"]
    out = pd.DataFrame(rows)[cols]
    out["lon"] = out["lon"].round(DECIMALS)
    out["lat"] = out["lat"].round(DECIMALS)
    return out


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
    """Command line: ``python -m helpers.data build [--out FOLDER] [--raw FOLDER]``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data", description=__doc__.split("\n")[0])
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
