"""National overview of the PPK recapitulation network: sites, load, distances, islands, programme.

For every province and kab/kota of Indonesia (or one province / one kab/kota), from the national
data layer (``data/processed/national``, :mod:`helpers.prepare.national`):

* **PPK sites**: one per kecamatan, at a point inside the kecamatan polygon -- no national list of
  kantor camat or recap venue positions exists, so every site is **approximate**.  The point is
  :func:`shapely.point_on_surface` of the kecamatan's *main part*: the polygon part holding the most
  TPS (the largest part when none holds any), so a multi-island kecamatan gets its site on its
  most populous island.  Computed directly in lon/lat: a point inside a polygon is inside it in
  every projection (the polygon's edges are straight in lon/lat in the data).
* **Demand points**: the desa points of the national layer (centroids of the desa polygons,
  approximate), weighted by their KawalPemilu TPS.  Each desa goes to its own kecamatan's site.
* **Distances** in metres, straight lines, each desa-site pair projected to the **UTM zone of the
  site** (EPSG:326xx/327xx) and measured by :func:`helpers.analysis.coverage.engine.assign_core`, the engine of
  the DKI notebooks (tested against :class:`pyproj.Geod` within 0.5 %).  Never degrees.
* **Sea crossing** (rule): the straight line from a desa to its site runs more than
  ``sea_tolerance_m`` (1 km) outside every kab/kota polygon -- over the sea, or other water or land
  the boundaries leave out.  Measured on the map-ready kab/kota layer, a clean coverage (no
  overlaps), so the lengths of the line inside its polygons add up exactly; only lines that leave
  their own kecamatan polygon are tested.  Limits: the label :data:`SEA_RULE_LIMITS` (README).
* **Unplaced** desa and TPS (the join report) are counted per province, so that placed +
  unplaced = KawalPemilu's total (820,161 TPS) in every province and nationally.
* **Recapitulation operations** (with the sourced table of :mod:`helpers.io.operations`): the days, panels and Mbps
  of every PPK site for Pemilu and Pilkada 2024 (:func:`helpers.analysis.operations.national`; five ballot types
  outside DKI, the Pilkada's TPS estimated), and per kab/kota which would need more panels or more bandwidth
  (:func:`operations_rollup`).

:func:`compute` returns an :class:`Overview`; :func:`write_outputs` writes its CSV files, the
headline figures and the map (:mod:`helpers.reports.overview`), which also builds the reader report.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj
import shapely

from helpers.analysis import operations as ops_
from helpers.analysis.coverage.engine import assign_core
from helpers.analysis.sea import SEA_TOLERANCE_M, outside_land_m
from helpers.core import text
from helpers.core.figures import plain
from helpers.core.geo import WGS84, utm_epsg
from helpers.core.scope import INDONESIA, Scope
from helpers.io.national import NationalLayer
from helpers.io.operations import OperationsTable
from helpers.io.province import ppk_sites

#: What the sea-crossing rule cannot see (printed in the report and the README).
SEA_RULE_LIMITS = "ov_sea_limits"


# ---------------------------------------------------------------------------------------------
# engine
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _to_utm(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, f"EPSG:{epsg}", always_xy=True)


def project_by_zone(lon, lat, epsg) -> np.ndarray:
    """(n, 2) metres: each point in the UTM zone ``epsg[i]`` (pairs that share a zone are comparable)."""
    lon, lat, epsg = np.asarray(lon, float), np.asarray(lat, float), np.asarray(epsg)
    out = np.empty((len(lon), 2))
    for code in np.unique(epsg):
        m = epsg == code
        out[m, 0], out[m, 1] = _to_utm(int(code)).transform(lon[m], lat[m])
    return out


def coverage_core(desa_lon, desa_lat, desa_kec, site_lon, site_lat, weight) -> dict:
    """Own-site assignment, straight-line distance (metres) and load, on arrays.

    ``desa_kec`` is the index of each desa's own site (= kecamatan) in the site arrays.  Each
    desa-site pair is projected to the UTM zone of the site and measured by
    :func:`helpers.analysis.coverage.engine.assign_core` (integer join, ``np.bincount`` loads).

    Examples
    --------
    >>> r = coverage_core([106.80, 106.83], [-6.20, -6.20], [0, 0], [106.80], [-6.20], [3, 4])
    >>> r["distance_m"].round(-1).tolist(), r["site_load"].tolist()
    ([0.0, 3320.0], [7.0])
    """
    slon, slat = np.asarray(site_lon, float), np.asarray(site_lat, float)
    dk = np.asarray(desa_kec, np.int64)
    zone = utm_epsg(slon, slat)
    sxy = project_by_zone(slon, slat, zone)
    dxy = project_by_zone(desa_lon, desa_lat, zone[dk])
    r = assign_core(dxy, dk, sxy, np.arange(len(slon)), np.zeros(len(slon), bool),
                    demand_weight=np.asarray(weight, float))
    return {"own_site": r["own_site"], "distance_m": r["own_dist_m"], "site_load": r["site_load"],
            "site_n_desa": r["site_n_demand"], "site_epsg": zone}


@dataclass
class Overview:
    """Result of :func:`compute` (tables in plain pandas; distances in metres and km)."""

    scope: Scope
    language: str
    sites: pd.DataFrame        # one row per kecamatan = PPK site
    desa: pd.DataFrame         # one row per desa point
    provinsi: pd.DataFrame     # per province (+ an Indonesia row when national)
    kabkota: pd.DataFrame      # per kab/kota
    unplaced: pd.DataFrame     # join-report rows of the scope
    cost_per_site: float | None = None
    #: with the operations table: election -> one row per PPK site (:func:`helpers.analysis.operations.national`)
    operations: dict | None = None
    #: with the operations table: per kab/kota, which would need more panels or bandwidth (:func:`operations_rollup`)
    operations_kabkota: pd.DataFrame | None = None


def compute(layer: NationalLayer, scope: Scope, *, language: str = "id", cost_per_site=None,
            sea_tolerance_m: float = SEA_TOLERANCE_M, operations: OperationsTable | None = None) -> Overview:
    """Every table of the overview for ``scope`` (all of Indonesia, a province or a kab/kota;
    :func:`helpers.io.national.resolve_scope`); with ``operations`` (:func:`helpers.io.operations.load_table`) also
    the recapitulation operations of every PPK site and kab/kota."""
    text.check_language(language)
    if cost_per_site is not None and (isinstance(cost_per_site, bool) or not cost_per_site >= 0):
        raise ValueError(f"cost_per_site must be a number >= 0 or None, not {cost_per_site!r}")
    kec, desa = layer.kecamatan, layer.desa
    for col, code in (("kabkota_kode", scope.kota_kode), ("provinsi_kode", scope.provinsi_kode)):
        if code is not None:
            kec, desa = kec[kec[col] == code], desa[desa[col] == code]
            break
    kec, desa = kec.reset_index(drop=True), desa.reset_index(drop=True)
    site_pt, site_part, desa_part, dk = ppk_sites(kec, desa)
    core = coverage_core(desa.geometry.x.to_numpy(), desa.geometry.y.to_numpy(), dk,
                         shapely.get_x(site_pt), shapely.get_y(site_pt), desa["tps_total"].to_numpy())
    outside = outside_land_m(desa.geometry.values, site_pt[dk], kec.geometry.values[dk], layer.land.geometry.values,
                             core["distance_m"])
    d = pd.DataFrame({"kode": desa["kode"], "nama": desa["nama"], "kecamatan_kode": desa["kecamatan_kode"],
                      "kabkota_kode": desa["kabkota_kode"], "provinsi_kode": desa["provinsi_kode"],
                      "tps": desa["tps_total"].astype(int), "distance_m": core["distance_m"].round(1),
                      "outside_land_m": outside.round(1), "sea_crossing": outside > sea_tolerance_m,
                      "other_part": desa_part != site_part[dk],
                      "outside_kecamatan_m": desa["distance_to_kecamatan_m"],
                      "lon": desa.geometry.x.round(6), "lat": desa.geometry.y.round(6)})
    s = pd.DataFrame(kec[["kode", "nama", "kabkota_kode", "kabkota", "provinsi_kode", "provinsi"]]).rename(
        columns={"kode": "kecamatan_kode", "nama": "kecamatan"})
    s["lon"], s["lat"] = np.round(shapely.get_x(site_pt), 6), np.round(shapely.get_y(site_pt), 6)
    s["approximate"], s["utm_epsg"] = True, core["site_epsg"]
    s["n_desa"] = core["site_n_desa"].astype(int)
    s["tps"] = core["site_load"].astype(int)
    served = d[d["tps"] > 0].groupby("kecamatan_kode")
    s["distance_median_km"] = s["kecamatan_kode"].map(served["distance_m"].median() / 1000).round(3)
    s["distance_max_km"] = s["kecamatan_kode"].map(served["distance_m"].max() / 1000).round(3)
    s["n_desa_sea_crossing"] = s["kecamatan_kode"].map(served["sea_crossing"].sum()).fillna(0).astype(int)
    s["max_outside_kecamatan_m"] = s["kecamatan_kode"].map(d.groupby("kecamatan_kode")["outside_kecamatan_m"].max())
    s["n_parts"] = shapely.get_num_geometries(kec.geometry.values)
    d = d.merge(s[["kecamatan_kode", "kecamatan", "kabkota", "provinsi"]], on="kecamatan_kode", how="left")
    prov_mean = s.groupby("provinsi_kode")["tps"].transform("mean")
    s["load_vs_provinsi_mean"] = (s["tps"] / prov_mean).round(3)

    unplaced = layer.unplaced
    if scope.kota_kode is not None:  # by KawalPemilu's (2023) code
        unplaced = unplaced[unplaced["kode_kpu_dotted"].str[:5] == scope.kota_kode]
    elif scope.provinsi_kode is not None:
        unplaced = unplaced[unplaced["prov_kode"] == scope.provinsi_kode]
    unplaced = unplaced.assign(tps_total=unplaced["tps_total"].astype(int)).reset_index(drop=True)
    prov = rollup(d, s, "provinsi_kode", "provinsi", unplaced, cost_per_site)
    if scope.is_national:
        total = rollup(d.assign(_all="ID"), s.assign(_all="ID"), "_all", None, unplaced.assign(_all="ID"),
                       cost_per_site, prov_col="_all")
        total["provinsi_kode"], total["provinsi"] = "ID", INDONESIA
        prov = pd.concat([prov, total[prov.columns]], ignore_index=True)
    kab = rollup(d, s, "kabkota_kode", "kabkota", None, cost_per_site)
    ops = None if operations is None else ops_.national(s, operations)
    return Overview(scope=scope, language=language, sites=s, desa=d, provinsi=prov, kabkota=kab,
                    unplaced=unplaced, cost_per_site=cost_per_site, operations=ops,
                    operations_kabkota=None if ops is None else operations_rollup(ops))


def operations_rollup(ops: dict) -> pd.DataFrame:
    """Per kab/kota, both elections at the central assumptions: sites, TPS, sites that miss the window, panels short,
    the most days, the largest peak Mbps of a site and sites above the usual link; ``more_panels`` /
    ``more_bandwidth`` say whether the kab/kota would need more of either (in either election), ``bandwidth_high``
    whether it would at the high end of the assumptions; ``lon``/``lat`` is its most loaded PPK site (approximate).

    Examples
    --------
    >>> from helpers.io.operations import load_table
    >>> s = pd.DataFrame({"kecamatan_kode": ["32.01.01", "32.01.02"], "kecamatan": ["A", "B"], "kabkota_kode": "32.01",
    ...                   "kabkota": "Kab X", "provinsi_kode": "32", "provinsi": "Jawa Barat", "tps": [700, 100],
    ...                   "lon": [107.0, 107.1], "lat": [-6.5, -6.6]})
    >>> r = operations_rollup(ops_.national(s, load_table())).iloc[0]
    >>> int(r["n_miss_pemilu2024"]), int(r["panels_short_pemilu2024"]), bool(r["more_panels"]), r["site"]
    (1, 1, True, 'A')
    """
    base = ops["pemilu2024"]
    g = base.groupby("kabkota_kode", sort=True)
    out = pd.DataFrame({"kabkota": g["kabkota"].first(), "provinsi": g["provinsi"].first(), "n_sites": g.size(),
                        "tps_pemilu2024": g["tps"].sum()})
    for e, s in ops.items():
        ge = s.assign(miss=~s["within_window"], high=s["mbps_peak_high"] > s["link_mbps"]).groupby(
            "kabkota_kode", sort=True)
        if e != "pemilu2024":
            out[f"tps_{e}"] = ge["tps"].sum()
        out[f"n_miss_{e}"] = ge["miss"].sum()
        out[f"panels_short_{e}"] = ge["panels_short"].sum()
        out[f"days_max_{e}"] = ge["days_needed"].max()
        out[f"mbps_peak_max_{e}"] = ge["mbps_peak_central"].max()
        out[f"n_over_link_{e}"] = ge["over_link"].sum()
        out[f"over_link_high_{e}"] = ge["high"].any()
    out["more_panels"] = (out[[f"panels_short_{e}" for e in ops]].sum(axis=1) > 0)
    out["more_bandwidth"] = (out[[f"n_over_link_{e}" for e in ops]].sum(axis=1) > 0)
    out["bandwidth_high"] = out[[f"over_link_high_{e}" for e in ops]].any(axis=1)
    top = base.sort_values(["tps", "kecamatan_kode"], ascending=[False, True]).drop_duplicates("kabkota_kode")
    top = top.set_index("kabkota_kode")
    out["site"], out["lon"], out["lat"] = top["kecamatan"], top["lon"], top["lat"]
    out["pilkada_tps_estimated"] = True
    return out.rename_axis("kabkota_kode").reset_index()


def rollup(d: pd.DataFrame, s: pd.DataFrame, key: str, name: str | None, unplaced: pd.DataFrame | None,
           cost_per_site=None, prov_col: str = "prov_kode") -> pd.DataFrame:
    """Measures per ``key`` (a province or kab/kota code column of the desa and site tables)."""
    g, gs = d[d["tps"] > 0].groupby(key)["distance_m"], s.groupby(key)
    out = pd.DataFrame({"n_kecamatan": gs.size()})
    if name:
        out.insert(0, name, gs[name].first())
    if key == "kabkota_kode":
        out.insert(1, "provinsi", gs["provinsi"].first())
    else:
        out["n_kabkota"] = gs["kabkota_kode"].nunique()
    out["n_ppk_sites"] = out["n_kecamatan"]
    out["n_desa"] = d.groupby(key).size()
    out["n_desa_with_tps"] = d[d["tps"] > 0].groupby(key).size()
    out["tps"] = gs["tps"].sum()
    out["tps_per_site_mean"] = gs["tps"].mean().round(3)
    out["tps_per_site_max"] = gs["tps"].max()
    out["tps_per_site_max_mean"] = (out["tps_per_site_max"] / out["tps_per_site_mean"]).round(3)
    for col, q in (("distance_median_km", 0.5), ("distance_p95_km", 0.95), ("distance_max_km", 1.0)):
        out[col] = (g.quantile(q) / 1000).round(3)
    sea = d[d["sea_crossing"] & (d["tps"] > 0)].groupby(key)
    out["n_desa_sea_crossing"], out["tps_sea_crossing"] = sea.size(), sea["tps"].sum()
    out["programme_sites"] = s[s["tps"] > 0].groupby(key).size()
    out["programme_tps"] = out["tps"]
    if unplaced is not None:
        u = unplaced.groupby(prov_col)
        out["desa_unplaced"], out["tps_unplaced"] = u.size(), u["tps_total"].sum()
    count_cols = [c for c in out.columns if c.startswith(("n_", "tps_sea", "programme", "desa_un", "tps_un"))]
    out[count_cols] = out[count_cols].fillna(0).astype(int)
    if unplaced is not None:
        out["tps_kpu"] = out["tps"] + out["tps_unplaced"]
        out["share_tps_placed"] = (out["tps"] / out["tps_kpu"]).round(6)
    if cost_per_site is not None:
        out["budget"] = out["programme_sites"] * cost_per_site
    return out.rename_axis(key).reset_index()


# ---------------------------------------------------------------------------------------------
# figures, words, files
# ---------------------------------------------------------------------------------------------
def headline(ov: Overview) -> dict:
    """Headline figures of the scope (JSON-ready) for ``04-national-overview.figures.json``."""
    row = ov.provinsi.iloc[-1]  # the Indonesia row, or the one province / kab/kota of the scope
    s, d = ov.sites, ov.desa
    top, far = s.loc[s["tps"].idxmax()], d.loc[d["distance_m"].idxmax()]
    out = {"scope": ov.scope.title, "provinsi_kode": ov.scope.provinsi_kode,
           "kabkota_kode": ov.scope.kota_kode, "n_provinsi": int(s["provinsi_kode"].nunique()),
           "n_kabkota": int(s["kabkota_kode"].nunique()), "n_kecamatan": len(s), "n_sites": len(s),
           "n_sites_approximate": int(s["approximate"].sum())}
    for col in ("n_desa", "n_desa_with_tps", "tps", "desa_unplaced", "tps_unplaced", "tps_kpu", "share_tps_placed",
                "tps_per_site_max", "tps_per_site_max_mean", "distance_median_km", "distance_p95_km",
                "distance_max_km", "n_desa_sea_crossing", "tps_sea_crossing", "programme_sites", "programme_tps"):
        out[col] = plain(row[col])
    out["tps_per_site_mean"] = round(float(row["tps_per_site_mean"]), 1)
    out.update(sea_tolerance_m=SEA_TOLERANCE_M, cost_per_site=plain(ov.cost_per_site),
               budget_total=None if ov.cost_per_site is None else plain(row["budget"]),
               most_loaded_site=f"{top['kecamatan']}, {top['kabkota']}", most_loaded_tps=int(top["tps"]),
               farthest_desa=f"{far['nama']}, {far['kecamatan']}, {far['kabkota']}",
               farthest_desa_km=round(float(far["distance_m"]) / 1000, 3))
    if ov.operations_kabkota is not None:
        out.update(operations_headline(ov))
    return out


def operations_headline(ov: Overview) -> dict:
    """The recapitulation-operations figures of the scope (``ops_*``; the Pilkada's TPS are estimates)."""
    k, out = ov.operations_kabkota, {}
    for e, s in ov.operations.items():
        out.update({f"ops_tps_{e}": int(s["tps"].sum()), f"ops_n_sites_miss_{e}": int((~s["within_window"]).sum()),
                    f"ops_panels_short_{e}": int(s["panels_short"].sum()), f"ops_days_max_{e}": int(s["days_needed"].max()),
                    f"ops_mbps_peak_central_max_{e}": round(float(s["mbps_peak_central"].max()), 2),
                    f"ops_mbps_peak_high_max_{e}": round(float(s["mbps_peak_high"].max()), 2),
                    f"ops_n_sites_over_link_{e}": int(s["over_link"].sum())})
    out.update(ops_n_kabkota_more_panels=int(k["more_panels"].sum()),
               ops_n_kabkota_more_bandwidth=int(k["more_bandwidth"].sum()),
               ops_n_kabkota_bandwidth_high=int(k["bandwidth_high"].sum()),
               ops_link_mbps=plain(ov.operations["pemilu2024"]["link_mbps"].iloc[0]),
               ops_tps_pilkada2024_estimated=True)
    return out


def summary(ov: Overview) -> str:
    """The findings in one paragraph, in the run's language (the report's lead)."""
    h, lang = headline(ov), ov.language
    n = lambda v: text.fmt_number(v, lang)  # noqa: E731
    return text.label("ov_lead", lang, scope=h["scope"], kec=n(h["n_kecamatan"]), desa=n(h["n_desa_with_tps"]),
                      tps=n(h["tps"]), share=text.fmt_percent(h["share_tps_placed"], lang), kpu=n(h["tps_kpu"]),
                      un_tps=n(h["tps_unplaced"]), un_desa=n(h["desa_unplaced"]),
                      mean=text.fmt_number(h["tps_per_site_mean"], lang, 1), max=n(h["tps_per_site_max"]),
                      top=h["most_loaded_site"], median=text.fmt_km(h["distance_median_km"], lang),
                      p95=text.fmt_km(h["distance_p95_km"], lang), far=text.fmt_km(h["distance_max_km"], lang),
                      sea=n(h["n_desa_sea_crossing"]), sea_tps=n(h["tps_sea_crossing"]), sites=n(h["programme_sites"]))


def budget_table(ov: Overview) -> pd.DataFrame | None:
    """Sites to equip x ``cost_per_site`` per province (and the total), or None without a cost."""
    if ov.cost_per_site is None:
        return None
    b = ov.provinsi[["provinsi_kode", "provinsi", "programme_sites", "programme_tps"]].copy()
    b["cost_per_site"], b["budget"] = ov.cost_per_site, ov.provinsi["budget"]
    return b
