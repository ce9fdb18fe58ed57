"""The one reader of the national layer (``data/processed/national``) and the scope of a run.

The national layer is built by :mod:`helpers.prepare.national` (``make data``; committed): the
provinces, kab/kota and kecamatan of Indonesia, one point per desa with its KawalPemilu TPS, the
map-ready polygons and the join report (see ``data/processed/national/README.md``).  Everything that
reads it goes through this module:

* :func:`unit_table` -- every province and kab/kota by code and name, for :func:`resolve_scope`
  (the one scope resolver, :func:`helpers.core.scope.resolve`);
* :func:`read_province_part` -- the rows of one province of one layer file (the province inputs of
  notebooks 01-03, :mod:`helpers.io.province`);
* :func:`load_national` -- the whole layer for the national overview (notebook 04).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.core import paths
from helpers.core.scope import Scope, UnitTable, resolve

#: The national layer's folder.
NATIONAL = paths.PROCESSED / "national"


def _folder(folder) -> Path:
    return Path(folder or NATIONAL)


@functools.lru_cache(maxsize=4)
def _unit_table(folder: str) -> UnitTable:
    f = Path(folder)
    prov = pd.read_parquet(f / "provinsi.parquet", columns=["kode", "nama"]).sort_values("kode", ignore_index=True)
    kab = pd.read_parquet(f / "kabkota.parquet", columns=["kode", "nama", "provinsi_kode", "provinsi"])
    return UnitTable(prov, kab.sort_values("kode", ignore_index=True))


def unit_table(folder: Path | str | None = None) -> UnitTable:
    """Every province (``kode``, ``nama``) and kab/kota (``kode``, ``nama``, ``provinsi_kode``,
    ``provinsi``) of the national layer, sorted by code (read once per process and folder).

    Examples
    --------
    >>> units = unit_table()
    >>> len(units.provinces), len(units.kabkota)
    (38, 514)
    """
    return _unit_table(str(_folder(folder).resolve()))


def resolve_scope(provinsi=None, kota=None, *, folder: Path | str | None = None) -> Scope:
    """The :class:`~helpers.core.scope.Scope` that the ``provinsi`` and ``kota`` parameters name.

    Raises
    ------
    helpers.core.scope.UnknownProvince, helpers.core.scope.UnknownKota
        For a name that fits no unit, or several (the message names the candidates).

    Examples
    --------
    >>> resolve_scope().slug, resolve_scope(kota="jakpus").label, resolve_scope("malut", "Ternate").slug
    ('dki', 'Jakarta Pusat', 'ternate')
    >>> resolve_scope("Indonesia").label
    'Indonesia'
    """
    return resolve(provinsi, kota, units=unit_table(folder))


def read_province_part(name: str, kode: str, columns: list[str] | None = None, *,
                       folder: Path | str | None = None) -> gpd.GeoDataFrame:
    """The rows of province ``kode`` of the layer file ``<name>.parquet`` (``kabkota``, ``kecamatan``,
    ``desa_tps``, ``kabkota_map``, ...), read with a filter on ``provinsi_kode``."""
    return gpd.read_parquet(_folder(folder) / f"{name}.parquet", columns=columns,
                            filters=[("provinsi_kode", "==", kode)])


def join_summary(folder: Path | str | None = None) -> pd.DataFrame:
    """The join report per province (``join_summary.csv``: TPS placed and not placed, ...)."""
    return pd.read_csv(_folder(folder) / "join_summary.csv", dtype={"prov_kode": str})


@dataclass
class NationalLayer:
    """The national layer files the national overview needs (see ``data/processed/national/README.md``)."""

    kecamatan: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame
    kabkota: pd.DataFrame
    provinsi: pd.DataFrame
    summary: pd.DataFrame
    unplaced: pd.DataFrame
    kecamatan_map: gpd.GeoDataFrame | None = None
    land: gpd.GeoDataFrame | None = None


def load_national(folder=None, *, map_layer: bool = True) -> NationalLayer:
    """Read the national layer: analysis kecamatan, desa points, join report, the map-ready kab/kota
    (the land of the sea-crossing rule) and, with ``map_layer``, the map-ready kecamatan."""
    f = _folder(folder)
    attrs = ["kode", "nama", "provinsi_kode", "provinsi"]
    return NationalLayer(
        kecamatan=gpd.read_parquet(f / "kecamatan.parquet"),
        desa=gpd.read_parquet(f / "desa_tps.parquet", columns=[
            "kode", "nama", "kecamatan_kode", "kabkota_kode", "provinsi_kode", "tps_total",
            "distance_to_kecamatan_m", "geometry"]),
        kabkota=pd.read_parquet(f / "kabkota.parquet", columns=attrs + ["jenis"]),
        provinsi=pd.read_parquet(f / "provinsi.parquet", columns=["kode", "nama"]),
        summary=join_summary(f),
        unplaced=pd.read_csv(f / "join_unplaced_desa.csv", dtype=str, keep_default_na=False),
        kecamatan_map=gpd.read_parquet(f / "kecamatan_map.parquet", columns=["kode", "geometry"])
        if map_layer else None,
        land=gpd.read_parquet(f / "kabkota_map.parquet", columns=["kode", "geometry"]))
