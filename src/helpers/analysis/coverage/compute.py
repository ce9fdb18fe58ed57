"""Coverage gaps of a run: the whole computation of notebook 02, on loaded inputs (:func:`compute_coverage`).

:func:`compute_coverage` runs the engine of :mod:`helpers.analysis.coverage.engine` on the whole
province and then keeps the rows of the scope's kota (so a kota run and the province run always
agree); :func:`coverage_inputs` shapes loaded inputs (:func:`helpers.io.inputs.load_inputs`) into its
arguments.  The result holds five tables:
``kota`` (measures per kota and for DKI), ``kecamatan``, ``kelurahan`` (assignments), ``sites``,
``gaps`` (one row per gap) and ``sea_crossing`` (Kepulauan Seribu, reported separately).
The gap list and its sentences are built by :mod:`helpers.analysis.coverage.gaps` (re-exported here).

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
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.analysis.coverage.engine import (DKI_LABEL, Thresholds, assign_demand, kecamatan_table, kota_table,
    nearest_warehouse, project_inputs, site_table)
from helpers.analysis.coverage.gaps import GAP_COLUMNS, GAP_KINDS, fmt, gap_list, sea_crossing_table, warehouse_status
from helpers.analysis.coverage.tables import warehouse_points
from helpers.analysis.demand import demand_units
from helpers.analysis.sea import SEA_TOLERANCE_M, outside_land_m
from helpers.core.figures import plain
from helpers.core.geo import WGS84
from helpers.core.scope import Scope
from helpers.core.text import label

__all__ = ["GAP_COLUMNS", "GAP_KINDS", "CoverageResult", "compute_coverage",
           "coverage_inputs", "fmt", "gap_list", "sea_crossing_table",
           "warehouse_distances", "warehouse_sea_crossings", "warehouse_status"]



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
    #: the logistics warehouses with a position (the scope's own and the nearest of its sites), for the
    #: map; None when no warehouse position is known
    warehouses: gpd.GeoDataFrame | None = field(default=None, repr=False)

    def headline(self) -> dict:
        """The row of :attr:`kota` for the scope (the DKI row for a DKI run)."""
        return self.kota[self.kota["kota"] == self.scope].iloc[0].to_dict()

    def summary(self) -> str:
        """A few sentences of headline figures in plain language (``self.language``; the ``st_cg_summary*``
        labels, :mod:`helpers.core.labels.statements`)."""
        h, lang = self.headline(), self.language
        n = lambda v, d=0: "—" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt(v, lang, d)  # noqa: E731
        kinds = self.gaps["kind"].value_counts()
        mainland = not (isinstance(h["distance_median_km"], float) and math.isnan(h["distance_median_km"]))
        words = [label("st_cg_summary", lang, scope=self.scope, kec=n(h["n_kecamatan"]), sites=n(h["n_sites"]),
                       internet=n(h["n_sites_internet"]), known=n(h["n_sites_position_known"]),
                       venues=n(h["n_venues_confirmed"]), without=n(h["n_kecamatan_without_site"]), tps=n(h["tps"]),
                       mean=n(h["tps_per_site_mean"], 1), max=n(h["tps_per_site_max"]))]
        if mainland:
            words.append(label("st_cg_summary_mainland", lang, median=n(h["distance_median_km"], 1),
                               p95=n(h["distance_p95_km"], 1), far=n(h["distance_max_km"], 1),
                               beyond=n(h["n_kelurahan_beyond_max"]), t=n(self.thresholds.max_distance_km, 1)))
        if h["n_kelurahan_sea_crossing"]:
            words.append(label("st_cg_summary_sea", lang, n=n(h["n_kelurahan_sea_crossing"])))
        words.append(label("st_cg_summary_gaps", lang, n=n(len(self.gaps)), kinds=n(len(kinds))))
        return " ".join(words)

    def figures(self) -> dict:
        """Flat headline figures (JSON-ready) plus a ``gaps`` list of records."""
        out = {"scope": self.scope, "language": self.language}
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
# running
# ---------------------------------------------------------------------------------------------
def compute_coverage(demand, sites, kecamatan, *, facilities=None, press=None, dpt=None, thresholds=None,
                     scope: Scope | None = None, language: str = "id", boundaries=None,
                     area: tuple[str, str] = ("31", DKI_LABEL), land=None) -> CoverageResult:
    """Run every coverage measure on in-memory layers (any CRS) and build the gap list.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand points as from :func:`helpers.analysis.demand.demand_units`.
    sites : GeoDataFrame
        Recap sites as from :func:`helpers.io.inputs.load_sites`.
    kecamatan : GeoDataFrame
        Kecamatan polygons (``kode, nama, kota_kode, kota``): the list of kecamatan that need a site.
    facilities, press, dpt : optional
        Office points (:func:`helpers.io.inputs.load_facilities`), press-reported facilities
        (:func:`helpers.io.inputs.load_press_facilities`) and DPT per kota (:func:`helpers.io.inputs.load_dpt`).
    thresholds : Thresholds, optional
        Default :class:`helpers.analysis.coverage.engine.Thresholds()`.
    scope : Scope, optional
        The scope of the run: one kota is kept (the computation always runs on all inputs first, so
        a kota run and the province run agree); None or a whole province keeps everything.
    language : {"id", "en"}
        Language of the gap sentences.
    area : (str, str)
        Code and label of the whole area (DKI Jakarta, or the province outside DKI).
    land : GeoDataFrame, optional
        Outside DKI: the land polygons of the sea-crossing rule (:mod:`helpers.analysis.sea`).
    """
    th = thresholds or Thresholds()
    d_utm, s_utm = project_inputs(demand, sites)
    kel, st = assign_demand(d_utm, s_utm, land=land, kecamatan=kecamatan if land is not None else None)
    st = site_table(st, th)
    st = st.join(nearest_warehouse(st, facilities))
    if land is not None:  # outside DKI the sea rule is geometric (helpers.analysis.sea), for warehouse lines too
        st["warehouse_sea_crossing"] = warehouse_sea_crossings(st, warehouse_points(facilities), land, kecamatan)
    kel, st = kel.to_crs(WGS84), st.to_crs(WGS84)
    kec = kecamatan_table(kecamatan.to_crs(WGS84), kel, st, facilities, th)
    kotas = kec[["kota_kode", "kota"]].drop_duplicates()
    wh = warehouse_status(press, facilities, kotas)
    ktab = kota_table(kel, st, kec, th, dpt=dpt, warehouses_known=wh[0], area=area)
    ktab = ktab.join(warehouse_distances(st, ktab))
    gaps = gap_list(kel, st, kec, ktab, th, wh, language)
    kec["n_gaps"] = kec["kecamatan_kode"].map(gaps.groupby("kecamatan_kode").size()).fillna(0).astype(int)
    sea = sea_crossing_table(kel, st)
    code = None if scope is None else scope.kota_kode
    scope = None if code is None else kotas.loc[kotas["kota_kode"] == code, "kota"].iloc[0]
    wh = warehouse_points(facilities)
    if scope is not None:
        keep = lambda df: df[df["kota_kode"] == code].reset_index(drop=True)  # noqa: E731
        kel, st, kec, gaps, ktab = keep(kel), keep(st), keep(kec), keep(gaps), keep(ktab)
        sea = sea[sea["kota"] == scope].reset_index(drop=True)
        if boundaries is not None:
            boundaries = boundaries[boundaries["kode"] == code]
        if wh is not None:
            own = wh["kota_kode"].eq(code) if "kota_kode" in wh.columns else False
            wh = wh[own | wh["facility_id"].astype(str).isin(set(st["nearest_warehouse_id"]))]
    wh = wh.to_crs(WGS84).reset_index(drop=True) if wh is not None and len(wh) else None
    return CoverageResult(scope or area[1], th, ktab, kec, kel, st, gaps, sea, language, boundaries, wh)


def warehouse_sea_crossings(sites: gpd.GeoDataFrame, warehouses: gpd.GeoDataFrame | None, land: gpd.GeoDataFrame,
                            kecamatan: gpd.GeoDataFrame) -> np.ndarray:
    """Whether each site's straight line to its nearest warehouse crosses the sea, by the rule of
    :mod:`helpers.analysis.sea` (more than ``SEA_TOLERANCE_M`` of it outside every kab/kota polygon):
    the province's islands, where DKI's rule only knows Kepulauan Seribu."""
    out = np.zeros(len(sites), bool)
    if warehouses is None or "nearest_warehouse_id" not in sites.columns:
        return out
    has = (sites["nearest_warehouse_id"].astype(str).ne("") & sites["nearest_warehouse_km"].notna()).to_numpy()
    if not has.any():
        return out
    wh = warehouses.to_crs(WGS84)
    where = dict(zip(wh["facility_id"].astype(str), wh.geometry))
    ends = np.array([where[i] for i in sites["nearest_warehouse_id"].astype(str).to_numpy()[has]], dtype=object)
    starts = sites.to_crs(WGS84).geometry.to_numpy()[has]
    own = kecamatan.to_crs(WGS84).set_index("kode").geometry.reindex(sites["kecamatan_kode"].to_numpy()[has]).to_numpy()
    km = sites["nearest_warehouse_km"].to_numpy(float)[has]
    out[has] = outside_land_m(starts, ends, own, land.to_crs(WGS84).geometry.to_numpy(), km * 1000) > SEA_TOLERANCE_M
    return out


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
    """The keyword arguments of :func:`compute_coverage` from loaded inputs (:func:`helpers.io.inputs.load_inputs`)."""
    return {"demand": demand_units(data.kelurahan, data.tps, data.facilities, islands=data.island_pps),
            "sites": data.sites,
            "kecamatan": data.kecamatan, "facilities": data.facilities, "press": data.press, "dpt": data.dpt,
            "boundaries": data.kota, "area": (data.provinsi_kode, data.provinsi), "land": data.land}
