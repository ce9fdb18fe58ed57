"""Coverage gaps: the gap list in plain language, headline figures, files, charts and the map.

:func:`run_coverage` loads the shipped (or given) data and calls :func:`compute_coverage`, which
runs the engine of :mod:`helpers.coverage` on all of DKI Jakarta and then keeps the rows of one
kota if asked (so a kota run and the DKI run always agree).  The result holds five tables:
``kota`` (measures per kota and for DKI), ``kecamatan``, ``kelurahan`` (assignments), ``sites``,
``gaps`` (one row per gap) and ``sea_crossing`` (Kepulauan Seribu, reported separately).

Gap kinds (``kind`` column of the gap list):

==========================  ===============================================================
``no_site``                 kecamatan without a PPK recapitulation site
``no_internet``             site without internet
``far_from_ppk``            kelurahan farther than ``max_distance_km`` from its own PPK site
``nearest_not_own``         a different site with internet is nearer than the own PPK site
``overloaded_site``         site load above ``overload_ratio`` x the mean of its kota (or of all DKI:
                            ``overload_basis``)
``tps_ceiling``             site load above ``max_tps_per_site`` (only if set)
``weak_fallback``           nearest other internet site farther than ``fallback_max_km``
``site_position_unverified`` site position is approximate (representative point)
``no_pps_office``           kelurahan without a known PPS office (kantor lurah) point
``no_ppk_office``           kecamatan without a known PPK office (kantor camat) point
``no_warehouse_position``   kota without a known logistics warehouse position
==========================  ===============================================================
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from .coverage import (DKI_LABEL, Thresholds, assign_demand, attributes, kecamatan_table, kota_table,
                       nearest_warehouse, project_inputs, site_table)
from .figures import plain
from .geo import WGS84
from .loaders import DataValidationWarning
from .names import name_key
from .scopes import resolve_kota
from .text import fmt_number

GAP_KINDS = ("no_site", "no_internet", "far_from_ppk", "nearest_not_own", "overloaded_site", "tps_ceiling",
             "weak_fallback", "site_position_unverified", "no_pps_office", "no_ppk_office",
             "no_warehouse_position")
GAP_COLUMNS = ["kota", "kecamatan", "kelurahan", "kind", "value", "threshold", "unit", "sentence",
               "approximate", "kota_kode", "kecamatan_kode", "kelurahan_kode", "site_id"]
FIGURES_NAME = "02-coverage-gaps.figures.json"
MAP_NAME = "map-coverage-gaps.html"

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


@dataclass
class CoverageResult:
    """Tables of one coverage run; ``scope`` is the kota name or ``"DKI Jakarta"``."""

    scope: str
    thresholds: Thresholds
    kota: pd.DataFrame
    kecamatan: gpd.GeoDataFrame
    kelurahan: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    gaps: pd.DataFrame
    sea_crossing: pd.DataFrame
    language: str = "id"
    boundaries: gpd.GeoDataFrame | None = field(default=None, repr=False)

    def headline(self) -> dict:
        """The row of :attr:`kota` for the scope (the DKI row for a DKI run)."""
        return self.kota[self.kota["kota"] == self.scope].iloc[0].to_dict()

    def summary(self) -> str:
        """A few sentences of headline figures in plain language (``self.language``)."""
        h, lang = self.headline(), self.language
        n = lambda v, d=0: "—" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt(v, lang, d)  # noqa: E731
        kinds = self.gaps["kind"].value_counts()
        mainland = not (isinstance(h["distance_median_km"], float) and math.isnan(h["distance_median_km"]))
        if lang == "en":
            return (f"{self.scope}: {n(h['n_kecamatan'])} kecamatan, {n(h['n_sites'])} PPK sites "
                    f"({n(h['n_sites_internet'])} with internet, {n(h['n_sites_position_known'])} with a known position, {n(h['n_venues_confirmed'])} whose venue a source names), "
                    f"{n(h['n_kecamatan_without_site'])} kecamatan without a site; {n(h['tps'])} TPS, "
                    f"{n(h['tps_per_site_mean'], 1)} per site on average, at most {n(h['tps_per_site_max'])}. "
                    + (f"Mainland PPS offices lie a median {n(h['distance_median_km'], 1)} km from their PPK site "
                       f"(95th percentile {n(h['distance_p95_km'], 1)} km, farthest {n(h['distance_max_km'], 1)} km); "
                       f"{n(h['n_kelurahan_beyond_max'])} are beyond {n(self.thresholds.max_distance_km, 1)} km. "
                       if mainland else "")
                    + (f"{n(h['n_kelurahan_sea_crossing'])} island kelurahan: their straight lines cross the sea "
                       "and are reported separately. " if h["n_kelurahan_sea_crossing"] else "")
                    + f"{len(self.gaps)} gaps in all, of {len(kinds)} kinds.")
        return (f"{self.scope}: {n(h['n_kecamatan'])} kecamatan, {n(h['n_sites'])} lokasi PPK "
                f"({n(h['n_sites_internet'])} berinternet, {n(h['n_sites_position_known'])} berposisi diketahui, {n(h['n_venues_confirmed'])} tempatnya disebut sumber), "
                f"{n(h['n_kecamatan_without_site'])} kecamatan tanpa lokasi; {n(h['tps'])} TPS, rata-rata "
                f"{n(h['tps_per_site_mean'], 1)} per lokasi, paling banyak {n(h['tps_per_site_max'])}. "
                + (f"Kantor PPS di daratan berjarak median {n(h['distance_median_km'], 1)} km dari lokasi PPK-nya "
                   f"(persentil 95 {n(h['distance_p95_km'], 1)} km, terjauh {n(h['distance_max_km'], 1)} km); "
                   f"{n(h['n_kelurahan_beyond_max'])} lebih jauh dari {n(self.thresholds.max_distance_km, 1)} km. "
                   if mainland else "")
                + (f"{n(h['n_kelurahan_sea_crossing'])} kelurahan pulau: garis lurusnya melintasi laut dan "
                   "dilaporkan terpisah. " if h["n_kelurahan_sea_crossing"] else "")
                + f"Seluruhnya {len(self.gaps)} celah, dari {len(kinds)} jenis.")

    def figures(self) -> dict:
        """Flat headline figures (JSON-ready) plus a ``gaps`` list of records."""
        out = {"notebook": "02-coverage-gaps", "scope": self.scope, "language": self.language}
        for k, v in self.headline().items():
            out[k] = plain(v)
        for k, v in self.thresholds.as_dict().items():
            out[f"threshold_{k}"] = v
        counts = self.gaps["kind"].value_counts()
        out["gaps_total"] = int(len(self.gaps))
        for kind in GAP_KINDS:
            out[f"gaps_{kind}"] = int(counts.get(kind, 0))
        out["n_sea_crossing_rows"] = int(len(self.sea_crossing))
        out["gaps"] = [{k: plain(v) for k, v in r.items()}
                       for r in self.gaps[GAP_COLUMNS[:8]].to_dict("records")]
        return out


# ---------------------------------------------------------------------------------------------
# gap list
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------
def compute_coverage(demand, sites, kecamatan, *, facilities=None, press=None, dpt=None, thresholds=None,
                     kota: str | None = None, language: str = "id", boundaries=None,
                     area: tuple[str, str] = ("31", DKI_LABEL), land=None) -> CoverageResult:
    """Run every coverage measure on in-memory layers (any CRS) and build the gap list.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand points as from :func:`helpers.demand.demand_units`.
    sites : GeoDataFrame
        Recap sites as from :func:`helpers.loaders.load_sites`.
    kecamatan : GeoDataFrame
        Kecamatan polygons (``kode, nama, kota_kode, kota``): the list of kecamatan that need a site.
    facilities, press, dpt : optional
        Office points (:func:`helpers.loaders.load_facilities`), press-reported facilities
        (:func:`helpers.loaders.load_press_facilities`) and DPT per kota (:func:`helpers.loaders.load_dpt`).
    thresholds : Thresholds, optional
        Default :class:`helpers.coverage.Thresholds()`.
    kota : str, optional
        Keep one kota (matched leniently); the computation always runs on all inputs first.
    language : {"id", "en"}
        Language of the gap sentences.
    area : (str, str)
        Code and label of the whole area (DKI Jakarta, or the province outside DKI).
    land : GeoDataFrame, optional
        Outside DKI: the land polygons of the sea-crossing rule (:mod:`helpers.sea`).
    """
    th = thresholds or Thresholds()
    d_utm, s_utm = project_inputs(demand, sites)
    kel, st = assign_demand(d_utm, s_utm, land=land, kecamatan=kecamatan if land is not None else None)
    st = site_table(st, th)
    st = st.join(nearest_warehouse(st, facilities))
    kel, st = kel.to_crs(WGS84), st.to_crs(WGS84)
    kec = kecamatan_table(kecamatan.to_crs(WGS84), kel, st, facilities, th)
    kotas = kec[["kota_kode", "kota"]].drop_duplicates()
    wh = warehouse_status(press, facilities, kotas)
    ktab = kota_table(kel, st, kec, th, dpt=dpt, warehouses_known=wh[0], area=area)
    ktab = ktab.join(warehouse_distances(st, ktab))
    gaps = gap_list(kel, st, kec, ktab, th, wh, language)
    kec["n_gaps"] = kec["kecamatan_kode"].map(gaps.groupby("kecamatan_kode").size()).fillna(0).astype(int)
    sea = sea_crossing_table(kel, st)
    kotas.attrs["provinsi"] = area[1]
    code, scope = resolve_kota(kota, kotas)
    scope = None if code is None else kotas.loc[kotas["kota_kode"] == code, "kota"].iloc[0]
    if scope is not None:
        keep = lambda df: df[df["kota_kode"] == code].reset_index(drop=True)  # noqa: E731
        kel, st, kec, gaps, ktab = keep(kel), keep(st), keep(kec), keep(gaps), keep(ktab)
        sea = sea[sea["kota"] == scope].reset_index(drop=True)
        if boundaries is not None:
            boundaries = boundaries[boundaries["kode"] == code]
    return CoverageResult(scope or area[1], th, ktab, kec, kel, st, gaps, sea, language, boundaries)


def warehouse_distances(sites: pd.DataFrame, ktab: pd.DataFrame) -> pd.DataFrame:
    """Per row of the kota table: median and largest distance (km) from a PPK site to its nearest
    warehouse, over the sites whose line does not cross the sea (NaN without a known warehouse)."""
    ok = sites[sites["nearest_warehouse_km"].notna() & ~sites["warehouse_sea_crossing"].astype(bool)]
    rows = []
    for code in ktab["kota_kode"]:
        km = ok.loc[ok["kota_kode"].str.startswith(code), "nearest_warehouse_km"]
        rows.append({"warehouse_distance_median_km": round(float(km.median()), 3) if len(km) else np.nan,
                     "warehouse_distance_max_km": round(float(km.max()), 3) if len(km) else np.nan})
    return pd.DataFrame(rows, index=ktab.index)


def coverage_inputs(data) -> dict:
    """The keyword arguments of :func:`compute_coverage` from loaded inputs (:func:`helpers.loaders.load_inputs`)."""
    from .demand import demand_units

    return {"demand": demand_units(data.kelurahan, data.tps, data.facilities), "sites": data.sites,
            "kecamatan": data.kecamatan, "facilities": data.facilities, "press": data.press, "dpt": data.dpt,
            "boundaries": data.kota, "area": (data.provinsi_kode, data.provinsi), "land": data.land}


def load_coverage_inputs(**paths) -> dict:
    """Load every input of :func:`compute_coverage` (``None`` = the shipped file) as keyword arguments.

    ``paths`` are the keywords of :func:`helpers.loaders.load_inputs` (``sites_path``, ``columns``, ...);
    its warnings are re-emitted as :class:`DataValidationWarning`.
    """
    from .loaders import load_inputs

    d = load_inputs(**paths, expect_all_sites=False)
    for w in d.warnings:  # shown to the user, as the loaders would
        warnings.warn(w, DataValidationWarning, stacklevel=2)
    return coverage_inputs(d)


def run_coverage(kota: str | None = None, thresholds: Thresholds | None = None, *, language: str = "id",
                 **paths) -> CoverageResult:
    """Load the shipped data (or the files given as ``*_path`` keywords) and run :func:`compute_coverage`.

    Examples
    --------
    >>> r = run_coverage("Kepulauan Seribu")
    >>> r.headline()["tps"], r.headline()["n_kelurahan_sea_crossing"]
    (88, 6)
    """
    return compute_coverage(**load_coverage_inputs(**paths), thresholds=thresholds, kota=kota, language=language)
