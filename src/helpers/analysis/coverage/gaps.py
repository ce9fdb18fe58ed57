"""The gap list of a coverage run: one row per gap, each with a sentence in Bahasa Indonesia or English.

:func:`gap_list` compares the measures of :mod:`helpers.analysis.coverage.engine` with the :class:`Thresholds`
and writes one plain-language sentence per gap (the kinds are :data:`GAP_KINDS`, described in
:mod:`helpers.analysis.coverage.compute`); :func:`sea_crossing_table` lists the straight lines with an island
end, which are reported apart.  :func:`helpers.analysis.coverage.compute.compute_coverage` calls them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis.coverage.tables import attributes
from helpers.analysis.coverage.thresholds import Thresholds
from helpers.core.names import name_key
from helpers.core.provenance import basis_sentence, row_basis
from helpers.core.text import check_language, fmt_number, label

GAP_KINDS = ("no_site", "no_internet", "far_from_ppk", "nearest_not_own", "overloaded_site", "tps_ceiling",
             "weak_fallback", "site_position_unverified", "no_pps_office", "no_ppk_office",
             "no_warehouse_position")
GAP_COLUMNS = ["kota", "kecamatan", "kelurahan", "kind", "value", "threshold", "unit", "sentence",
               "approximate", "kota_kode", "kecamatan_kode", "kelurahan_kode", "site_id"]

def fmt(value, language: str = "id", digits: int = 1) -> str:
    """:func:`helpers.core.text.fmt_number` with one decimal by default (``coverage_report.fmt``, for callers
    of that name; this module formats with :func:`~helpers.core.text.fmt_number` itself).

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


def _basis(row, language: str, area: str = "kecamatan") -> str:
    """Why a position is approximate, in one reader sentence from the row's structured basis fields
    (:func:`helpers.core.provenance.row_basis`; the full record stays in ``position_basis``).  A row
    without those fields (an older table) says only what its ``location_source`` tells."""
    if getattr(row, "basis_kind", "") not in ("", None) and not (isinstance(row.basis_kind, float)):
        return row_basis(row._asdict(), language, area=area)
    kind = "press_area_point" if getattr(row, "location_source", "") == "press_venue_position_unknown" else "area_point"
    return basis_sentence(kind, language, area=area)


def gap_list(kel, sites, kec, kota_rows, th: Thresholds, warehouses: tuple[dict, dict],
             language: str = "id") -> pd.DataFrame:
    """One row per gap: kota, kecamatan, kelurahan, kind, value, threshold, unit, sentence.

    Then ``approximate`` (the distance uses an approximate position; the sentence says so too)
    and the codes (``kota_kode``, ``kecamatan_kode``, ``kelurahan_kode``, ``site_id``).
    ``language`` is ``"id"`` (Bahasa Indonesia, default) or ``"en"``.  Network gaps on
    sea-crossing rows (Kepulauan Seribu) are not listed; see the sea-crossing table.
    """
    check_language(language)
    kel, sites, kec = attributes(kel), attributes(sites), attributes(kec)
    rows = []
    kota_name = dict(zip(kec["kota_kode"], kec["kota"]))

    def add(kind, kota_kode, kec_kode="", kec_name="", kel_kode="", kel_name="", value=np.nan,
            threshold=np.nan, unit="", sentence="", site_id="", approximate=False):
        if approximate:
            sentence = f"{sentence} {label('gs_approx_note', language)}"
        rows.append({"kota": kota_name.get(kota_kode, kota_kode), "kecamatan": kec_name, "kelurahan": kel_name,
                     "kind": kind, "value": value, "threshold": threshold, "unit": unit, "sentence": sentence,
                     "approximate": bool(approximate), "kota_kode": kota_kode, "kecamatan_kode": kec_kode, "kelurahan_kode": kel_code_or(kel_kode),
                     "site_id": site_id})

    def kel_code_or(c):
        return c or ""

    km = th.max_distance_km
    for r in kec[~kec["has_site"]].itertuples():
        add("no_site", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="sites",
            sentence=label("gs_no_site", language, kec=r.kecamatan, n=r.n_kelurahan, tps=fmt_number(r.tps, language, 0)))
    for r in sites[~sites["internet"].astype(bool)].itertuples():
        add("no_internet", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="links",
            sentence=label("gs_no_internet", language, kec=r.kecamatan, site=r.site_id), site_id=r.site_id)
    main = kel[~kel["sea_crossing"]]
    site_name = dict(zip(sites["site_id"], sites["kecamatan"]))
    site_approx = dict(zip(sites["site_id"], sites["approximate"].astype(bool)))
    for r in main[main["distance_m"] > km * 1000].itertuples():
        v = round(r.distance_m / 1000, 3)
        add("far_from_ppk", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, v, km, "km",
            label("gs_far_from_ppk", language, kel=r.nama, v=fmt_number(v, language, 1), t=fmt_number(km, language, 1)), r.site_id,
            r.approximate or r.site_approximate)
    for r in main[main["nearest_not_own"]].itertuples():
        v, t = round(r.distance_m / 1000, 3), round(r.nearest_internet_distance_m / 1000, 3)
        other = f"{r.nearest_internet_site_id} {site_name.get(r.nearest_internet_site_id, '')}".strip()
        add("nearest_not_own", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, v, t, "km",
            label("gs_nearest_not_own", language, kel=r.nama, other=other, v=fmt_number(v, language, 1), t=fmt_number(t, language, 1)),
            r.site_id, r.approximate or r.site_approximate or site_approx.get(r.nearest_internet_site_id, False))
    for r in sites[sites["overloaded"]].itertuples():
        add("overloaded_site", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=r.load_ratio,
            threshold=th.overload_ratio, unit=f"x {th.overload_basis} mean", site_id=r.site_id,
            sentence=label("gs_overloaded_site", language, kec=r.kecamatan, load=fmt_number(r.tps_load, language, 0),
                                                 v=fmt_number(r.load_ratio, language, 2),
                                                 basis=label(f"gs_basis_{th.overload_basis}", language, kota=r.kota),
                                                 t=fmt_number(th.overload_ratio, language, 2)))
    if th.max_tps_per_site is not None:
        for r in sites[sites["tps_load"] > th.max_tps_per_site].itertuples():
            add("tps_ceiling", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=r.tps_load,
                threshold=th.max_tps_per_site, unit="TPS", site_id=r.site_id,
                sentence=label("gs_tps_ceiling", language, kec=r.kecamatan, load=fmt_number(r.tps_load, language, 0),
                                                 t=fmt_number(th.max_tps_per_site, language, 0)))
    fb = th.fallback_max_km
    for r in sites[sites["weak_fallback"]].itertuples():
        v = round(r.fallback_distance_m / 1000, 3) if np.isfinite(r.fallback_distance_m) else np.nan
        other = f"{r.fallback_site_id} {site_name.get(r.fallback_site_id, '')}".strip()
        text = (label("gs_weak_fallback", language, kec=r.kecamatan, other=other, v=fmt_number(v, language, 1), t=fmt_number(fb, language, 1))
                if np.isfinite(v) else label("gs_weak_fallback_none", language, kec=r.kecamatan))
        add("weak_fallback", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=v, threshold=fb, unit="km",
            sentence=text, site_id=r.site_id,
            approximate=np.isfinite(v) and (bool(r.approximate) or site_approx.get(r.fallback_site_id, False)))
    for r in sites[sites["approximate"].astype(bool)].itertuples():
        basis = _basis(r, language)
        add("site_position_unverified", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1,
            unit="known positions", site_id=r.site_id,
            sentence=label("gs_site_position_unverified", language, kec=r.kecamatan, basis=basis))
    for r in kel[kel["approximate"].astype(bool)].itertuples():
        island = getattr(r, "basis_kind", "") == "island"  # Kepulauan Seribu: the island a source names
        add("no_pps_office", r.kota_kode, r.kecamatan_kode, r.kecamatan, r.kode, r.nama, 0, 1, "offices",
            label("gs_no_pps_office_island" if island else "gs_no_pps_office", language, kel=r.nama,
                  basis=_basis(r, language, "kelurahan") if island else ""))
    on_island = {s.kecamatan_kode: s for s in sites.itertuples() if getattr(s, "basis_kind", "") == "island"}
    for r in kec[~kec["ppk_office_known"]].itertuples():
        isl = on_island.get(r.kecamatan_kode)  # Kepulauan Seribu: the island a source puts the office on
        add("no_ppk_office", r.kota_kode, r.kecamatan_kode, r.kecamatan, value=0, threshold=1, unit="offices",
            sentence=label("gs_no_ppk_office_island", language, kec=r.kecamatan, basis=_basis(isl, language))
            if isl is not None else label("gs_no_ppk_office", language, kec=r.kecamatan))
    known, reported = warehouses
    for r in kota_rows[kota_rows["kota_kode"].str.len() > 2].itertuples():  # not the whole-area row
        if known.get(r.kota_kode, 0):
            continue
        names = reported.get(r.kota_kode, [])
        what = label("gs_wh_reported", language, names="; ".join(names)) if names else label("gs_wh_none", language)
        add("no_warehouse_position", r.kota_kode, value=0, threshold=1, unit="positions",
            sentence=label("gs_no_warehouse_position", language, kota=r.kota, what=what))
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
