"""What a planning model returns: :class:`PlanResult` and the tables every model starts from."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.core.geo import WGS84, xy
from helpers.analysis.planning.instance import PlanningInstance, distance_matrix


@dataclass
class PlanResult:
    """Outcome of a planning model: chosen points, per-kelurahan table, headline figures."""

    chosen: gpd.GeoDataFrame
    kelurahan: pd.DataFrame
    figures: dict
    unreachable: pd.DataFrame = field(default_factory=pd.DataFrame)


def demand_table(inst: PlanningInstance) -> pd.DataFrame:
    """Per-kelurahan base table of every model: the nearest internet site and the sites within reach.

    Parameters
    ----------
    inst : PlanningInstance

    Returns
    -------
    pandas.DataFrame
        One row per kelurahan of ``inst.demand``: its name columns, ``nearest_site_id``,
        ``nearest_site_km`` (on its own island group when there is a site there, else the nearest
        across the sea, flagged ``nearest_site_sea_crossing``), ``nearest_site_approximate`` and
        ``sites_within_radius``.
    """
    cols = ["kode", "nama", "kecamatan", "kota", "tps_total", "approximate", "island_group"]
    out = pd.DataFrame(inst.demand[[c for c in cols if c in inst.demand.columns]]).copy()
    if len(inst.sites):
        j = inst.site_dist.argmin(axis=1)
        near = inst.site_dist[np.arange(len(out)), j]
        sea = ~np.isfinite(near)
        if sea.any():
            straight = distance_matrix(xy(inst.demand)[sea], xy(inst.sites))
            j[sea] = straight.argmin(axis=1)
            near[sea] = straight[np.arange(sea.sum()), j[sea]]
        out["nearest_site_id"] = inst.sites["site_id"].to_numpy()[j]
        out["nearest_site_km"] = np.round(near / 1000.0, 3)
        out["nearest_site_sea_crossing"] = sea
        if "approximate" in inst.sites.columns:  # 7 of the 44 sites are representative points
            out["nearest_site_approximate"] = inst.sites["approximate"].to_numpy(bool)[j]
    out["sites_within_radius"] = (inst.site_dist <= inst.radius_m).sum(axis=1)
    return out


def candidate_points(inst: PlanningInstance, cols: np.ndarray) -> gpd.GeoDataFrame:
    """The candidates at positions ``cols`` of ``inst.candidates``, in EPSG:4326.

    Parameters
    ----------
    inst : PlanningInstance
    cols : ndarray of int
        Positions in ``inst.candidates`` (e.g. a plan's chosen points).

    Returns
    -------
    geopandas.GeoDataFrame
        ``candidate_id, name, facility_type, kota, island_group, approximate, geometry``.
    """
    keep = ["candidate_id", "name", "facility_type", "kota", "island_group", "approximate", "geometry"]
    return inst.candidates.iloc[cols][keep].reset_index(drop=True).to_crs(WGS84)
