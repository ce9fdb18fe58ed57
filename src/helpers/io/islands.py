"""The one reader of ``data/processed/island_positions.csv``: Kepulauan Seribu's offices, on their islands.

None of the BIG RBI office points lies in Kepulauan Seribu; :mod:`helpers.prepare.islands` places the six
kelurahan PPS offices and the two PPK secretariats on the island a cited source puts each on
(``make data``).  This module reads the result: every position is ``approximate`` (the island, not the
building) and says where it comes from (``position_basis``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.core import paths
from helpers.core.geo import WGS84
from helpers.io.provenance import island_fields

#: The processed file (in ``data/processed``).
FILE = "island_positions.csv"


def load_island_positions(path: Path | str | None = None) -> gpd.GeoDataFrame:
    """The processed island positions as points in EPSG:4326 (empty if the file is absent)."""
    path = Path(path) if path is not None else paths.PROCESSED / FILE
    if not path.exists():
        return gpd.GeoDataFrame({c: [] for c in ("kode", "role", "unit", "island", "position_basis", "approximate",
                                                 "office_source")},
                                geometry=[], crs=WGS84)
    df = pd.read_csv(path, dtype={"kode": str, "kelurahan_kode": str, "island_kode": str},
                     keep_default_na=False, na_values={"check_lon": [""], "check_lat": [""], "check_diff_m": [""]})
    df["approximate"] = df["approximate"].astype(str).str.lower().eq("true")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=WGS84)


def island_pps_points(path: Path | str | None = None) -> gpd.GeoDataFrame:
    """The six Kepulauan Seribu kelurahan PPS positions, indexed by kelurahan code (EPSG:4326).

    Columns ``island``, ``unit`` (the kelurahan), ``position_basis``, the basis fields of :func:`helpers.io.provenance.island_fields`
    and ``geometry``; for :func:`helpers.analysis.demand.demand_units`
    (``Inputs.island_pps`` of :func:`helpers.io.inputs.load_inputs`).

    Examples
    --------
    >>> pts = island_pps_points()
    >>> len(pts), pts.loc["31.01.02.1003", "island"]
    (6, 'Pulau Lancang Besar')
    """
    pos = load_island_positions(path)
    pos = pos[pos["role"] == "pps"].set_index("kode")
    fields = island_fields(pos)
    return gpd.GeoDataFrame(pd.concat([pos[["island", "unit", "position_basis"]], fields], axis=1),
                            geometry=pos.geometry, crs=pos.crs)
