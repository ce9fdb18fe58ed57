"""Build steps 4-7 of ``python -m helpers.prepare.dki build``: offices, press-reported facilities and recap sites.

Government offices (BIG RBI points) are classified and joined to their kelurahan; press-reported
venues and warehouses are kept as a table without coordinates; the 44 recap sites, one per
kecamatan, get an honest ``location_source`` (Kepulauan Seribu offices placed on the island a
source puts them on, :mod:`helpers.prepare.islands`).  See :mod:`helpers.prepare.dki`.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.prepare import islands
from helpers.prepare.dki_units import DECIMALS, BuildError
from helpers.core.geo import UTM48S, WGS84, largest_part_point
from helpers.core.names import name_key

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
    (``island_positions``, :func:`helpers.prepare.islands.build_island_positions`) are placed on that island.
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
