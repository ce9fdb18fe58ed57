"""Roll-ups of the coverage results: per site, per kecamatan, per kota and for the whole area.

:func:`site_table` adds load and redundancy flags to the sites of
:func:`helpers.analysis.coverage.engine.assign_demand`; :func:`kecamatan_table` and :func:`kota_table` sum the
kelurahan and sites up; :func:`venues_confirmed`, :func:`nearest_warehouse` and
:func:`ppk_office_known` are the per-site and per-kecamatan facts they use.  All of them are
re-exported by :mod:`helpers.analysis.coverage.engine`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from helpers.analysis.coverage.thresholds import Thresholds
from helpers.core.geo import metric_crs, xy
from helpers.core.names import KEPULAUAN_SERIBU
from helpers.io.schema import PPK_OFFICE_TYPES

#: Label of the all-DKI row of :func:`kota_table`.
DKI_LABEL = "DKI Jakarta"


# ---------------------------------------------------------------------------------------------
# roll-ups
# ---------------------------------------------------------------------------------------------
def attributes(df: pd.DataFrame) -> pd.DataFrame:
    """Plain DataFrame without the geometry column (roll-ups on attributes are much faster)."""
    return pd.DataFrame(df.drop(columns=getattr(df, "_geometry_column_name", "geometry"), errors="ignore"))


def site_table(sites: pd.DataFrame, th: Thresholds) -> pd.DataFrame:
    """Add load and redundancy flags to the sites returned by :func:`assign_demand`.

    ``load_ratio_kota`` / ``load_ratio_dki`` are the site's TPS load over the mean load of the
    sites of its kota / of all sites; ``overloaded_kota`` / ``overloaded_dki`` compare them with
    ``th.overload_ratio``; ``load_ratio`` and ``overloaded`` are those of ``th.overload_basis``;
    ``weak_fallback`` is a mainland site whose fallback is farther than ``th.fallback_max_km``
    or missing.  Island sites' fallbacks cross the sea and are reported in the sea-crossing table.
    """
    s = sites.copy()
    mean = s.groupby("kota_kode")["tps_load"].transform("mean")
    s["load_ratio_kota"] = (s["tps_load"] / mean.where(mean > 0)).round(6)
    dki = s["tps_load"].mean() if len(s) else np.nan
    s["load_ratio_dki"] = (s["tps_load"] / dki).round(6) if dki and dki > 0 else np.nan
    s["overloaded_kota"] = s["load_ratio_kota"] > th.overload_ratio
    s["overloaded_dki"] = s["load_ratio_dki"] > th.overload_ratio
    s["load_ratio"] = s[f"load_ratio_{th.overload_basis}"]
    s["overloaded"] = s[f"overloaded_{th.overload_basis}"]
    s["over_ceiling"] = (s["tps_load"] > th.max_tps_per_site) if th.max_tps_per_site is not None else False
    far = ~(s["fallback_distance_m"] <= th.fallback_max_km * 1000)  # NaN (no fallback) counts as far
    s["weak_fallback"] = far & ~s["sea_crossing"]
    return s


#: ``venue_status`` values for which a source names the building as the recap venue: reported as
#: held, agreed in an official statement, or given in the user's own list.
CONFIRMED_VENUE_STATUS = ("held", "agreed", "user_file")


def venues_confirmed(sites: pd.DataFrame) -> pd.Series:
    """Whether a source names each site's building as its recap venue (not merely assumed).

    A kantor camat taken as the venue because it is the PPK secretariat is *assumed*, not confirmed;
    so is a venue that is only planned.  A user's file that names a venue confirms it.

    Examples
    --------
    >>> s = pd.DataFrame({"venue_status": ["assumed", "held", "user_file", "planned"],
    ...                   "venue": ["Kantor Kecamatan A", "GOR B", "(venue not given)", "Aula C"]})
    >>> venues_confirmed(s).tolist()
    [False, True, False, False]
    """
    if "venue_status" not in sites.columns:
        return pd.Series(False, index=sites.index)
    named = ~sites["venue"].astype(str).str.startswith("(") if "venue" in sites.columns else True
    return sites["venue_status"].isin(CONFIRMED_VENUE_STATUS) & named


def warehouse_points(facilities: pd.DataFrame | None) -> gpd.GeoDataFrame | None:
    """The facilities that are logistics warehouses (``facility_type`` mentions ``warehouse``/``gudang``)
    with a position; None when there is none (or no positions at all).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> f = gpd.GeoDataFrame({"facility_type": ["warehouse", "kantor_camat", "Gudang sewa"]},
    ...                      geometry=[Point(0, 0), Point(1, 1), None], crs="EPSG:4326")
    >>> len(warehouse_points(f)), warehouse_points(f.iloc[1:2]) is None
    (1, True)
    """
    if (not isinstance(facilities, gpd.GeoDataFrame) or facilities.crs is None
            or "facility_type" not in facilities.columns):
        return None
    kind = facilities["facility_type"].astype(str).str.contains("warehouse|gudang", case=False)
    wh = facilities[kind & facilities.geometry.notna() & ~facilities.geometry.is_empty]
    return wh if len(wh) else None


def nearest_warehouse(sites: gpd.GeoDataFrame, facilities: pd.DataFrame | None) -> pd.DataFrame:
    """For each site, the nearest warehouse (facility type ``warehouse``) and its straight-line distance.

    Distances in metres in the sites' UTM zone (DKI: 48S).  ``warehouse_sea_crossing`` is set when one end lies in
    Kepulauan Seribu and the other does not, or both do in different kelurahan (a boat trip).
    Columns: ``nearest_warehouse_id``, ``nearest_warehouse``, ``nearest_warehouse_km``,
    ``warehouse_approximate``, ``warehouse_sea_crossing`` (empty / NaN without any warehouse).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> s = gpd.GeoDataFrame({"kota_kode": ["31.71"]}, geometry=[Point(700000, 9300000)], crs="EPSG:32748")
    >>> w = gpd.GeoDataFrame({"facility_id": ["G1"], "name": ["Gudang"], "facility_type": ["warehouse"],
    ...                       "kota_kode": ["31.71"]}, geometry=[Point(703000, 9304000)], crs="EPSG:32748")
    >>> nearest_warehouse(s, w)["nearest_warehouse_km"].tolist()
    [5.0]
    """
    out = pd.DataFrame(index=sites.index, data={"nearest_warehouse_id": "", "nearest_warehouse": "",
                                                "nearest_warehouse_km": np.nan, "warehouse_approximate": False,
                                                "warehouse_sea_crossing": False})
    wh = warehouse_points(facilities)
    if wh is None or not len(sites):
        return out  # no warehouse with a position: no distance can be measured
    crs = metric_crs(sites)
    wh_utm = gpd.GeoDataFrame(wh, geometry="geometry", crs=facilities.crs).to_crs(crs)
    s_utm = sites.to_crs(crs)
    has = s_utm.geometry.notna() & ~s_utm.geometry.is_empty
    dist, idx = cKDTree(xy(wh_utm)).query(xy(s_utm[has]))
    w = wh_utm.iloc[idx]
    out.loc[has, "nearest_warehouse_id"] = w["facility_id"].astype(str).to_numpy()
    out.loc[has, "nearest_warehouse"] = w["name"].astype(str).to_numpy()
    out.loc[has, "nearest_warehouse_km"] = np.round(dist / 1000, 3)
    if "approximate" in w.columns:
        out.loc[has, "warehouse_approximate"] = w["approximate"].fillna(False).astype(bool).to_numpy()
    site_island = s_utm.loc[has, "kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy()
    wh_island = (w["kota_kode"].eq(KEPULAUAN_SERIBU).to_numpy() if "kota_kode" in w.columns
                 else np.zeros(len(w), bool))
    same_kel = ((s_utm.loc[has, "kelurahan_kode"].to_numpy() == w["kelurahan_kode"].to_numpy())
                if "kelurahan_kode" in s_utm.columns and "kelurahan_kode" in w.columns else np.zeros(len(w), bool))
    out.loc[has, "warehouse_sea_crossing"] = (site_island != wh_island) | (site_island & wh_island & ~same_kel)
    return out


def ppk_office_known(kecamatan_kode: pd.Series, facilities: pd.DataFrame | None) -> pd.Series:
    """Whether an active PPK office point (*kantor camat* or a PPK secretariat) is known for each kecamatan."""
    if facilities is None or "kecamatan_kode" not in facilities.columns:
        return pd.Series(False, index=kecamatan_kode.index)
    f = facilities[facilities["facility_type"].isin(PPK_OFFICE_TYPES)]
    if "status" in f.columns:
        f = f[f["status"].fillna("active").eq("active")]
    return kecamatan_kode.isin(set(f["kecamatan_kode"].dropna()))


def kecamatan_table(kecamatan: gpd.GeoDataFrame, kel: pd.DataFrame, sites: pd.DataFrame,
                    facilities: pd.DataFrame | None, th: Thresholds) -> gpd.GeoDataFrame:
    """One row per kecamatan: site, internet, office, load and distance measures (polygons kept)."""
    max_m = th.max_distance_km * 1000
    kel, sites = attributes(kel), attributes(sites)
    k = kecamatan[["kode", "nama", "kota_kode", "kota", "geometry"]].rename(
        columns={"kode": "kecamatan_kode", "nama": "kecamatan"}).copy()
    main = kel[~kel["sea_crossing"]]
    g = kel.groupby("kecamatan_kode")
    gm = main[main["site_id"] != ""].groupby("kecamatan_kode")["distance_m"]
    k["island"] = k["kecamatan_kode"].map(g["island"].any()).fillna(False).astype(bool)
    k["n_kelurahan"] = k["kecamatan_kode"].map(g.size()).fillna(0).astype(int)
    k["tps"] = k["kecamatan_kode"].map(g["tps_total"].sum()).fillna(0).astype(int)
    st = sites.set_index("kecamatan_kode")
    k["has_site"] = k["kecamatan_kode"].isin(st.index)
    k["site_id"] = k["kecamatan_kode"].map(st["site_id"]).fillna("")
    for col, src in (("site_internet", "internet"), ("site_approximate", "approximate"),
                     ("overloaded", "overloaded"), ("weak_fallback", "weak_fallback")):
        k[col] = k["kecamatan_kode"].map(st[src]).fillna(False).astype(bool)
    k["tps_load"] = k["kecamatan_kode"].map(st["tps_load"])
    k["load_ratio"] = k["kecamatan_kode"].map(st["load_ratio"])
    k["fallback_distance_km"] = (k["kecamatan_kode"].map(st["fallback_distance_m"]) / 1000).round(3)
    k["ppk_office_known"] = ppk_office_known(k["kecamatan_kode"], facilities)
    k["distance_median_km"] = (k["kecamatan_kode"].map(gm.median()) / 1000).round(3)
    k["distance_max_km"] = (k["kecamatan_kode"].map(gm.max()) / 1000).round(3)
    k["n_kelurahan_beyond_max"] = k["kecamatan_kode"].map(
        main.assign(b=main["distance_m"] > max_m).groupby("kecamatan_kode")["b"].sum()).fillna(0).astype(int)
    k["n_kelurahan_nearest_not_own"] = k["kecamatan_kode"].map(
        main.groupby("kecamatan_kode")["nearest_not_own"].sum()).fillna(0).astype(int)
    k["n_kelurahan_without_pps_office"] = k["kecamatan_kode"].map(
        g["approximate"].sum()).fillna(0).astype(int)
    return gpd.GeoDataFrame(k.sort_values("kecamatan_kode", ignore_index=True), geometry="geometry",
                            crs=kecamatan.crs)


def _kota_row(kel: pd.DataFrame, sites: pd.DataFrame, kec: pd.DataFrame, th: Thresholds) -> dict:
    max_m = th.max_distance_km * 1000
    main = kel[~kel["sea_crossing"]]
    dist = main.loc[main["site_id"] != "", "distance_m"].to_numpy()
    load = sites["tps_load"].to_numpy()
    mean = load.mean() if len(load) else np.nan
    main_tps = main["tps_total"].sum()
    within = main.loc[main["distance_m"] <= max_m, "tps_total"].sum()
    fb = sites.loc[~sites["sea_crossing"], "fallback_distance_m"].dropna().to_numpy()

    def km(v):
        return round(float(v) / 1000, 3) if np.isfinite(v) else np.nan

    return {
        "n_kecamatan": len(kec), "n_sites": len(sites), "n_sites_internet": int(sites["internet"].sum()),
        "n_sites_position_known": int((~sites["approximate"].astype(bool)).sum()),
        "n_venues_confirmed": int(venues_confirmed(sites).sum()),
        "n_kecamatan_without_site": int((~kec["has_site"]).sum()),
        "n_kelurahan": len(kel), "tps": int(kel["tps_total"].sum()),
        "tps_per_site_mean": round(float(mean), 3) if len(load) else np.nan,
        "tps_per_site_max": int(load.max()) if len(load) else np.nan,
        "tps_per_site_max_mean": round(float(load.max() / mean), 4) if len(load) and mean > 0 else np.nan,
        "n_sites_overloaded": int(sites["overloaded"].sum()),
        "n_sites_overloaded_kota": int(sites["overloaded_kota"].sum()) if "overloaded_kota" in sites else 0,
        "n_sites_overloaded_dki": int(sites["overloaded_dki"].sum()) if "overloaded_dki" in sites else 0,
        "n_sites_over_ceiling": int(np.asarray(sites["over_ceiling"]).sum()),
        "distance_median_km": km(np.median(dist)) if len(dist) else np.nan,
        "distance_p95_km": km(np.percentile(dist, 95)) if len(dist) else np.nan,
        "distance_max_km": km(dist.max()) if len(dist) else np.nan,
        "n_kelurahan_beyond_max": int((main["distance_m"] > max_m).sum()),
        "share_tps_within_max": round(float(within / main_tps), 4) if main_tps else np.nan,
        "n_kelurahan_nearest_not_own": int(main["nearest_not_own"].sum()),
        "fallback_median_km": km(np.median(fb)) if len(fb) else np.nan,
        "fallback_max_km": km(fb.max()) if len(fb) else np.nan,
        "n_sites_weak_fallback": int(sites["weak_fallback"].sum()),
        "n_kelurahan_sea_crossing": int(kel["sea_crossing"].sum()),
        "n_kelurahan_without_pps_office": int(kel["approximate"].sum()),
        "n_kecamatan_without_ppk_office": int((~kec["ppk_office_known"]).sum()),
    }


def kota_table(kel: pd.DataFrame, sites: pd.DataFrame, kec: pd.DataFrame, th: Thresholds,
               dpt: pd.DataFrame | None = None, warehouses_known: dict | None = None,
               total: bool = True, area: tuple[str, str] = ("31", DKI_LABEL)) -> pd.DataFrame:
    """Measures per kota, plus a row for the whole area (``area``: code and label, DKI Jakarta by
    default, the province outside DKI) when ``total``.

    Distance statistics are over mainland kelurahan that have a site (``sea_crossing`` rows
    excluded); the share of TPS within ``max_distance_km`` is over all mainland TPS (a kelurahan
    without a site is not within reach).  Overload is judged against the kota mean in every row.
    """
    rows = []
    kel, sites, kec = attributes(kel), attributes(sites), attributes(kec)
    kotas = kec[["kota_kode", "kota"]].drop_duplicates().sort_values("kota_kode")
    groups = [(r.kota_kode, r.kota, [r.kota_kode]) for r in kotas.itertuples()]
    if total:
        groups.append((area[0], area[1], list(kotas["kota_kode"])))
    dpt_by = {}
    if dpt is not None:
        col = "kota_kode" if "kota_kode" in dpt.columns else None
        dpt_by = dict(zip(dpt[col], dpt["dpt"])) if col else {}
    wh = warehouses_known or {}
    for code, name, members in groups:
        row = {"kota_kode": code, "kota": name}
        row.update(_kota_row(kel[kel["kota_kode"].isin(members)], sites[sites["kota_kode"].isin(members)],
                             kec[kec["kota_kode"].isin(members)], th))
        row["dpt"] = int(sum(dpt_by.get(c, 0) for c in members)) if dpt_by else np.nan
        row["n_warehouse_positions_known"] = int(sum(wh.get(c, 0) for c in members))
        rows.append(row)
    return pd.DataFrame(rows)
