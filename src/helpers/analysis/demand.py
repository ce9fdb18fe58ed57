"""Demand units: the 267 kelurahan, placed at their PPS office and weighted by their TPS.

In Pemilu 2024 the PPS of a kelurahan collects the ballot boxes of its TPS and hands them to the
PPK recapitulation site of its kecamatan.  A demand unit is therefore a kelurahan, positioned at
its PPS secretariat (the active *kantor lurah* point of BIG RBI) where that is known, otherwise at
a representative point of the kelurahan polygon, flagged ``approximate``.  Its weight is its TPS
count.  Kelurahan of Kepulauan Seribu are islands: straight-line distances from them cross the
sea, so they carry ``island=True`` and their island group (the kelurahan itself) in ``island_group``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.core.geo import WGS84, largest_part_point, metric_crs
from helpers.core.names import KEPULAUAN_SERIBU  # noqa: F401  (re-exported: helpers.analysis.demand.KEPULAUAN_SERIBU)
from helpers.io.provenance import demand_fields
from helpers.io.schema import PPS_OFFICE_TYPES

_MATCH_RANK = {"yes": 0, "partial": 1, "no_name": 2}



def pps_offices(facilities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One active PPS office point per kelurahan (kantor lurah or a PPS secretariat).

    A point from the user's own facilities file comes first (the office knows its PPS), then the
    office point whose name best matches its kelurahan, then the lowest id.
    """
    f = facilities[facilities["facility_type"].isin(PPS_OFFICE_TYPES)].copy()
    if "status" in f.columns:
        f = f[f["status"].fillna("active") == "active"]
    f = f[f["kelurahan_kode"].notna()]
    rank = f["name_matches_location"].map(_MATCH_RANK).fillna(3) if "name_matches_location" in f else 0
    if "location_source" in f.columns:
        rank = rank - 10 * f["location_source"].eq("user_file")
    f = f.assign(_rank=rank).sort_values(["kelurahan_kode", "_rank", "facility_id"])
    return f.drop_duplicates("kelurahan_kode").drop(columns="_rank")


def demand_units(kelurahan: gpd.GeoDataFrame, tps: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, *,
                 islands: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Kelurahan demand points with TPS weights, in EPSG:4326.

    Parameters
    ----------
    kelurahan, tps, facilities : GeoDataFrame
        As returned by :func:`helpers.io.inputs.load_boundaries` ("kelurahan"),
        :func:`helpers.io.inputs.load_tps` and :func:`helpers.io.inputs.load_facilities`
        (or :func:`helpers.io.inputs.load_inputs`: ``data.kelurahan, data.tps, data.facilities``).
    islands : GeoDataFrame or None
        Kepulauan Seribu's PPS offices on the islands a source puts them on, indexed by kelurahan code
        (:func:`helpers.io.islands.island_pps_points`; ``data.island_pps``); None where there are none
        (outside DKI Jakarta): kelurahan without an office point are then placed inside their area.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per kelurahan: ``kode, nama, kecamatan_kode, kecamatan, kota_kode, kota,
        tps_total, position_source ("kantor_lurah_point", "user_file", "island_position",
        "representative_point", or outside DKI "desa_centroid"),
        approximate, pps_facility_id, island, island_group``.

    Examples
    --------
    >>> from helpers.io.inputs import load_boundaries, load_facilities, load_tps
    >>> from helpers.io.islands import island_pps_points
    >>> kel = load_boundaries("kelurahan")
    >>> d = demand_units(kel, load_tps(kelurahan=kel), load_facilities(), islands=island_pps_points())
    >>> len(d), int(d["tps_total"].sum()), int(d["island"].sum())
    (267, 30766, 6)
    """
    offices = pps_offices(facilities).set_index("kelurahan_kode")

    units = kelurahan[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]].merge(
        pd.DataFrame(tps.drop(columns="geometry"))[["kode", "tps_total"]], on="kode", how="left")
    units["tps_total"] = units["tps_total"].fillna(0).astype(int)
    crs = metric_crs(units)
    outside_dki = "point_lon" in kelurahan.columns  # a province's desa areas: the desa point is known
    if outside_dki:  # the centroid of the desa polygon (national layer), approximate
        rep = gpd.GeoSeries(gpd.points_from_xy(kelurahan["point_lon"], kelurahan["point_lat"]), crs=WGS84,
                            index=kelurahan["kode"].to_numpy()).reindex(units["kode"].to_numpy())
        rep.index = units.index
    else:
        rep = gpd.GeoSeries(units.to_crs(crs).geometry.map(largest_part_point), crs=crs).to_crs(WGS84)
    on_island = units["kode"].isin(islands.index) if islands is not None else pd.Series(False, index=units.index)
    if on_island.any():  # Kepulauan Seribu: the island a source puts the kantor lurah on
        rep = gpd.GeoSeries(units["kode"].map(islands.geometry), crs=WGS84).where(on_island, rep)
    known = units["kode"].isin(offices.index)
    office_pt = units["kode"].map(offices.geometry)
    units["geometry"] = office_pt.where(known, rep)
    from_user = units["kode"].map(offices["location_source"]).eq("user_file") if "location_source" in offices else False
    units["position_source"] = np.where(from_user & known, "user_file",
                                        np.where(known, "kantor_lurah_point",
                                                 np.where(on_island, "island_position",
                                                          "desa_centroid" if outside_dki else "representative_point")))
    units["approximate"] = ~known
    units = units.join(demand_fields(units["kode"], units["position_source"], offices, islands))  # issue 22
    units["pps_facility_id"] = units["kode"].map(offices["facility_id"]).astype(object).fillna("")
    units["island"] = units["kota_kode"] == KEPULAUAN_SERIBU
    units["island_group"] = units["nama"].where(units["island"], "")
    if "island_group" in kelurahan.columns:  # outside DKI: the land part of the desa (helpers.io.province)
        units["island_group"] = units["kode"].map(kelurahan.set_index("kode")["island_group"]).fillna("").to_numpy()
    return gpd.GeoDataFrame(units, geometry="geometry", crs=WGS84).sort_values("kode", ignore_index=True)
