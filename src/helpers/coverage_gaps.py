"""The gap list of a coverage run: one row per gap, each with a sentence in Bahasa Indonesia or English.

:func:`gap_list` compares the measures of :mod:`helpers.coverage` with the :class:`Thresholds`
and writes one plain-language sentence per gap (the kinds are :data:`GAP_KINDS`, described in
:mod:`helpers.coverage_report`); :func:`sea_crossing_table` lists the straight lines with an island
end, which are reported apart.  :func:`helpers.coverage_report.compute_coverage` calls them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .coverage_tables import attributes
from .coverage_thresholds import Thresholds
from .names import name_key
from .text import fmt_number

GAP_KINDS = ("no_site", "no_internet", "far_from_ppk", "nearest_not_own", "overloaded_site", "tps_ceiling",
             "weak_fallback", "site_position_unverified", "no_pps_office", "no_ppk_office",
             "no_warehouse_position")
GAP_COLUMNS = ["kota", "kecamatan", "kelurahan", "kind", "value", "threshold", "unit", "sentence",
               "approximate", "kota_kode", "kecamatan_kode", "kelurahan_kode", "site_id"]

_TEXT = {
    "id": {
        "no_site": "Kecamatan {kec} tidak punya lokasi rekapitulasi PPK yang diketahui; {n} kelurahan "
                   "({tps} TPS) tidak punya tujuan penyerahan kotak suara.",
        "no_internet": "Lokasi PPK Kecamatan {kec} ({site}) tidak tercatat punya internet.",
        "far_from_ppk": "Kantor PPS Kelurahan {kel} berjarak {v} km (garis lurus) dari lokasi PPK "
                        "kecamatannya, lebih dari batas {t} km.",
        "nearest_not_own": "Kelurahan {kel} lebih dekat ke lokasi PPK berinternet lain ({other}, {t} km) "
                           "daripada ke lokasi PPK kecamatannya sendiri ({v} km).",
        "overloaded_site": "Lokasi PPK Kecamatan {kec} menerima {load} TPS, {v} kali rata-rata lokasi PPK "
                           "{basis} (batas {t} kali).",
        "basis_kota": "di {kota}", "basis_dki": "se-DKI Jakarta",
        "tps_ceiling": "Lokasi PPK Kecamatan {kec} menerima {load} TPS, lebih dari batas {t} TPS per lokasi.",
        "weak_fallback": "Bila internet lokasi PPK Kecamatan {kec} putus, lokasi berinternet lain terdekat "
                         "({other}) berjarak {v} km, lebih dari batas {t} km.",
        "weak_fallback_none": "Bila internet lokasi PPK Kecamatan {kec} putus, tidak ada lokasi PPK lain "
                              "berinternet di daratan sebagai cadangan.",
        "site_position_unverified": "Posisi lokasi PPK Kecamatan {kec} hanya perkiraan ({basis}); jarak "
                                    "ke lokasi ini juga perkiraan.",
        "no_pps_office": "Kantor PPS (kantor lurah) Kelurahan {kel} tidak ada dalam data; posisinya "
                         "diperkirakan dari sebuah titik di dalam wilayah kelurahan.",
        "no_ppk_office": "Kantor PPK (kantor camat) Kecamatan {kec} tidak ada dalam data.",
        "no_warehouse_position": "Posisi gudang logistik Pemilu di {kota} tidak diketahui: {what}.",
        "wh_reported": "media melaporkan {names}, tanpa koordinat",
        "wh_none": "tidak ada gudang yang dilaporkan",
        "approx_note": "(Jarak ini memakai posisi perkiraan.)",
    },
    "en": {
        "no_site": "Kecamatan {kec} has no known PPK recapitulation site; its {n} kelurahan ({tps} TPS) "
                   "have nowhere to hand over their ballot boxes.",
        "no_internet": "The PPK site of kecamatan {kec} ({site}) has no recorded internet connection.",
        "far_from_ppk": "The PPS office of kelurahan {kel} is {v} km (straight line) from its kecamatan's "
                        "PPK site, more than the {t} km threshold.",
        "nearest_not_own": "Kelurahan {kel} is nearer to another PPK site with internet ({other}, {t} km) "
                           "than to its own kecamatan's site ({v} km).",
        "overloaded_site": "The PPK site of kecamatan {kec} receives {load} TPS, {v} times the mean of the "
                           "sites {basis} (threshold {t} times).",
        "basis_kota": "in {kota}", "basis_dki": "of all DKI Jakarta",
        "tps_ceiling": "The PPK site of kecamatan {kec} receives {load} TPS, more than the ceiling of {t} "
                       "TPS per site.",
        "weak_fallback": "If the internet link of the PPK site of kecamatan {kec} fails, the nearest other "
                         "site with internet ({other}) is {v} km away, more than the {t} km threshold.",
        "weak_fallback_none": "If the internet link of the PPK site of kecamatan {kec} fails, there is no "
                              "other mainland site with internet to fall back on.",
        "site_position_unverified": "The position of the PPK site of kecamatan {kec} is approximate "
                                    "({basis}); distances to it are approximate too.",
        "no_pps_office": "The PPS office (kantor lurah) of kelurahan {kel} is not in the data; its position "
                         "is estimated by a point inside the kelurahan.",
        "no_ppk_office": "The PPK office (kantor camat) of kecamatan {kec} is not in the data.",
        "no_warehouse_position": "The position of the election logistics warehouse in {kota} is unknown: "
                                 "{what}.",
        "wh_reported": "the press reported {names}, without coordinates",
        "wh_none": "no warehouse was reported",
        "approx_note": "(This distance uses an approximate position.)",
    },
}


def fmt(value, language: str = "id", digits: int = 1) -> str:
    """Number for a sentence: decimal comma and dot thousands in Bahasa Indonesia
    (:func:`helpers.text.fmt_number`).

    Examples
    --------
    >>> fmt(12345.678, "id"), fmt(12345.678, "en"), fmt(3, "id", 0)
    ('12.345,7', '12,345.7', '3')
    """
    return fmt_number(value, language, digits)



def warehouse_status(press: pd.DataFrame | None, facilities: pd.DataFrame | None,
                     kota: pd.DataFrame) -> tuple[dict, dict]:
    """Known warehouse positions and press-reported warehouse names (without position) per kota code.

    A position is known only for a facility point whose ``facility_type`` mentions a warehouse
    (``warehouse``/``gudang``); press-reported warehouses never have coordinates.
    """
    codes = {name_key(n): c for c, n in zip(kota["kota_kode"], kota["kota"])}
    known: dict[str, int] = {}
    if facilities is not None and "facility_type" in facilities.columns and "kota_kode" in facilities.columns:
        wh = facilities[facilities["facility_type"].astype(str).str.contains("warehouse|gudang", case=False)]
        known = wh.groupby("kota_kode").size().to_dict()
    reported: dict[str, list[str]] = {}
    if press is not None and len(press):
        p = press[press["facility_type"].astype(str).str.contains("warehouse", case=False)]
        if "pemilu_2024" in p.columns:
            p = p[p["pemilu_2024"].astype(str).str.lower().isin(["true", "1", "yes"])]
        for name, k in zip(p["name"], p["kota"]):
            reported.setdefault(codes.get(name_key(k), ""), []).append(str(name))
    return known, reported


def _basis(source: str, basis: str, language: str) -> str:
    if language == "en":
        return basis or "representative point"
    if source == "press_venue_position_unknown":
        return "tempat yang disebut media tidak punya koordinat; dipakai titik di dalam wilayah"
    return "titik di dalam wilayah kecamatan; tidak ada sumber posisi"


def gap_list(kel, sites, kec, kota_rows, th: Thresholds, warehouses: tuple[dict, dict],
             language: str = "id") -> pd.DataFrame:
    """One row per gap: kota, kecamatan, kelurahan, kind, value, threshold, unit, sentence.

    Then ``approximate`` (the distance uses an approximate position; the sentence says so too)
    and the codes (``kota_kode``, ``kecamatan_kode``, ``kelurahan_kode``, ``site_id``).
    ``language`` is ``"id"`` (Bahasa Indonesia, default) or ``"en"``.  Network gaps on
    sea-crossing rows (Kepulauan Seribu) are not listed; see the sea-crossing table.
    """
    if language not in _TEXT:
        raise ValueError(f"language must be 'id' or 'en', not {language!r}")
    T = _TEXT[language]
    kel, sites, kec = attributes(kel), attributes(sites), attributes(kec)
    rows = []
    kota_name = dict(zip(kec["kota_kode"], kec["kota"]))

    def add(kind, kota_kode, kec_kode="", kec_name="", kel_kode="", kel_name="", value=np.nan,
            threshold=np.nan, unit="", sentence="", site_id="", approximate=False):
        if approximate:
            sentence = f"{sentence} {T['approx_note']}"
        rows.append({"kota": kota_name.get(kota_kode, kota_kode), "kecamatan": kec_name, "kelurahan": kel_name,
                     "kind": kind, "value": value, "threshold": threshold, "unit": unit, "sentence": sentence,
                     "approximate": bool(approximate), "kota_kode": kota_kode, "kecamatan_kode": kec_kode, "kelurahan_kode": kel_code_or(kel_kode),
                     "site_id": site_id})

    def kel_code_or(c):
        return c or ""

    km = th.max_distance_km
    for r in kec[~kec["has_site"]].itertuples():
        add("no_site", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="sites",
            sentence=T["no_site"].format(kec=r.kecamatan, n=r.n_kelurahan, tps=fmt(r.tps, language, 0)))
    for r in sites[~sites["internet"].astype(bool)].itertuples():
        add("no_internet", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="links",
            sentence=T["no_internet"].format(kec=r.kecamatan, site=r.site_id), site_id=r.site_id)
    main = kel[~kel["sea_crossing"]]
    site_name = dict(zip(sites["site_id"], sites["kecamatan"]))
    site_approx = dict(zip(sites["site_id"], sites["approximate"].astype(bool)))
    for r in main[main["distance_m"] > km * 1000].itertuples():
        v = round(r.distance_m / 1000, 3)
        add("far_from_ppk", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, v, km, "km",
            T["far_from_ppk"].format(kel=r.nama, v=fmt(v, language), t=fmt(km, language)), r.site_id,
            r.approximate or r.site_approximate)
    for r in main[main["nearest_not_own"]].itertuples():
        v, t = round(r.distance_m / 1000, 3), round(r.nearest_internet_distance_m / 1000, 3)
        other = f"{r.nearest_internet_site_id} {site_name.get(r.nearest_internet_site_id, '')}".strip()
        add("nearest_not_own", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, v, t, "km",
            T["nearest_not_own"].format(kel=r.nama, other=other, v=fmt(v, language), t=fmt(t, language)),
            r.site_id, r.approximate or r.site_approximate or site_approx.get(r.nearest_internet_site_id, False))
    for r in sites[sites["overloaded"]].itertuples():
        add("overloaded_site", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=r.load_ratio,
            threshold=th.overload_ratio, unit=f"x {th.overload_basis} mean", site_id=r.site_id,
            sentence=T["overloaded_site"].format(kec=r.kecamatan, load=fmt(r.tps_load, language, 0),
                                                 v=fmt(r.load_ratio, language, 2),
                                                 basis=T[f"basis_{th.overload_basis}"].format(kota=r.kota),
                                                 t=fmt(th.overload_ratio, language, 2)))
    if th.max_tps_per_site is not None:
        for r in sites[sites["tps_load"] > th.max_tps_per_site].itertuples():
            add("tps_ceiling", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=r.tps_load,
                threshold=th.max_tps_per_site, unit="TPS", site_id=r.site_id,
                sentence=T["tps_ceiling"].format(kec=r.kecamatan, load=fmt(r.tps_load, language, 0),
                                                 t=fmt(th.max_tps_per_site, language, 0)))
    fb = th.fallback_max_km
    for r in sites[sites["weak_fallback"]].itertuples():
        v = round(r.fallback_distance_m / 1000, 3) if np.isfinite(r.fallback_distance_m) else np.nan
        other = f"{r.fallback_site_id} {site_name.get(r.fallback_site_id, '')}".strip()
        text = (T["weak_fallback"].format(kec=r.kecamatan, other=other, v=fmt(v, language), t=fmt(fb, language))
                if np.isfinite(v) else T["weak_fallback_none"].format(kec=r.kecamatan))
        add("weak_fallback", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=v, threshold=fb, unit="km",
            sentence=text, site_id=r.site_id,
            approximate=np.isfinite(v) and (bool(r.approximate) or site_approx.get(r.fallback_site_id, False)))
    for r in sites[sites["approximate"].astype(bool)].itertuples():
        basis = _basis(getattr(r, "location_source", ""), getattr(r, "position_basis", ""), language)
        add("site_position_unverified", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1,
            unit="known positions", site_id=r.site_id,
            sentence=T["site_position_unverified"].format(kec=r.kecamatan, basis=basis))
    for r in kel[kel["approximate"].astype(bool)].itertuples():
        add("no_pps_office", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, 0, 1, "offices",
            T["no_pps_office"].format(kel=r.nama))
    for r in kec[~kec["ppk_office_known"]].itertuples():
        add("no_ppk_office", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="offices",
            sentence=T["no_ppk_office"].format(kec=r.kecamatan))
    known, reported = warehouses
    for r in kota_rows[kota_rows["kota_kode"].str.len() > 2].itertuples():  # not the whole-area row
        if known.get(r.kota_kode, 0):
            continue
        names = reported.get(r.kota_kode, [])
        what = T["wh_reported"].format(names="; ".join(names)) if names else T["wh_none"]
        add("no_warehouse_position", r.kota_kode, value=0, threshold=1, unit="positions",
            sentence=T["no_warehouse_position"].format(kota=r.kota, what=what))
    gaps = pd.DataFrame(rows, columns=GAP_COLUMNS)
    order = {k: i for i, k in enumerate(GAP_KINDS)}
    gaps["_o"] = gaps["kind"].map(order)
    return gaps.sort_values(["kota_kode", "_o", "kecamatan_kode", "kelurahan_kode"], kind="stable",
                            ignore_index=True).drop(columns="_o")


def sea_crossing_table(kel: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Straight lines with an island end (Kepulauan Seribu), kept out of the mainland statistics."""
    a = kel[kel["sea_crossing"]]
    b = sites[sites["sea_crossing"]]
    rows = pd.concat([
        pd.DataFrame({"kind": "kelurahan_to_ppk", "kota": a["kota"], "kecamatan": a["kecamatan"],
                      "kelurahan": a["nama"], "from_id": a["kode"], "to_id": a["site_id"],
                      "straight_line_km": (a["distance_m"] / 1000).round(3)}),
        pd.DataFrame({"kind": "site_fallback", "kota": b["kota"], "kecamatan": b["kecamatan"], "kelurahan": "",
                      "from_id": b["site_id"], "to_id": b["fallback_site_id"],
                      "straight_line_km": (b["fallback_distance_m"] / 1000).round(3)}),
    ], ignore_index=True)
    return rows
