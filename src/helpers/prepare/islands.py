"""Kepulauan Seribu: offices placed on the island that a source puts them on.

None of the BIG RBI office points lies in Kepulauan Seribu, so the six kelurahan PPS offices
(kantor lurah) and the two PPK secretariats (kantor kecamatan) have no point of their own.  This
module places each of them on the island where a cited source puts the office
(``data/raw/kepulauan_seribu_islands/office_islands.csv``), at that island's position in the
cahyadsn/wilayah island gazetteer (``wilayah_pulau_31.01_rows.sql``; its Kepulauan Seribu latitudes
lack the minus sign, which is restored here), moved into the island's part of the kelurahan polygon
if it falls outside (it does not for any of the islands used).  Every position is flagged
``approximate``: it is the island, not the office building.  A second published position of the
same island (``cross_check_positions.csv``) is compared where one was found.

The result is ``data/processed/island_positions.csv`` (one row per office, see
:func:`build_island_positions`); the recap sites of the two Kepulauan Seribu kecamatan are placed
from it by :func:`helpers.prepare.dki.build_sites`; :mod:`helpers.io.islands` reads the file for the runs
(the six kelurahan positions go to :func:`helpers.analysis.demand.demand_units`).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point
from shapely.ops import nearest_points

from helpers.core.geo import UTM48S, WGS84, geodesic_distance_m

RAW_FOLDER = "kepulauan_seribu_islands"
FILE = "island_positions.csv"  # in data/processed
KABUPATEN = "31.01"
GAZETTEER = ("cahyadsn/wilayah db/wilayah_pulau.sql @ b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7 "
             "(blob 7e661d1a), MIT")
INSIDE_M = 1.0  # a point moved into a polygon part is put this far inside its edge

_ROW = re.compile(r"\('(31\.01\.\d{5})','([^']*)','(-?[0-9.]+)','(-?[0-9.]+)','([A-Z]*)',(NULL|[0-9.]+),'([^']*)'\)")
COLUMNS = ["kode", "unit", "role", "office", "island", "island_kode", "kelurahan_kode", "lon", "lat",
           "approximate", "position_basis", "source_lon", "source_lat", "moved_m", "island_part_km2",
           "within_island_max_m", "shares_island_with", "check_lon", "check_lat", "check_diff_m",
           "check_source", "office_source", "office_source_kind", "office_source_note"]


class IslandError(RuntimeError):
    """The island sources do not fit the kelurahan polygons."""


def read_gazetteer(path: Path) -> pd.DataFrame:
    """Island rows of cahyadsn ``wilayah_pulau.sql`` with the latitude sign restored.

    Upstream gives Kepulauan Seribu latitudes without their minus sign (``5.7458`` for an island at
    5.7458° S); every Kepulauan Seribu island lies south of the equator, so a positive latitude is
    negated and ``lat_sign_restored`` says so.
    """
    rows = []
    for m in _ROW.finditer(path.read_text(encoding="utf-8")):
        kode, nama, lat, lng, status, luas, notes = m.groups()
        lat_f = float(lat)
        rows.append({"island_kode": kode, "island": nama, "lat": -abs(lat_f), "lon": float(lng),
                     "lat_as_published": lat, "lat_sign_restored": lat_f > 0, "status": status,
                     "luas_km2": np.nan if luas == "NULL" else float(luas), "notes": notes})
    if not rows:
        raise IslandError(f"no island rows parsed from {path}")
    return pd.DataFrame(rows)


def island_part(pt_utm: Point, kel_utm: gpd.GeoDataFrame):
    """(kelurahan index, polygon part) of the Kepulauan Seribu part containing or nearest to the point."""
    best = None
    for i, geom in kel_utm.geometry.items():
        for part in getattr(geom, "geoms", [geom]):
            d = part.distance(pt_utm)
            if best is None or d < best[0]:
                best = (d, i, part)
    return best[1], best[2]


def snap_into(pt_utm: Point, part) -> Point:
    """``pt_utm`` if it lies inside ``part``, else the nearest point :data:`INSIDE_M` inside its edge."""
    if part.contains(pt_utm):
        return pt_utm
    inner = part.buffer(-INSIDE_M)
    target = inner if not inner.is_empty else part
    near = nearest_points(target, pt_utm)[0]
    return near if part.contains(near) else part.representative_point()


def build_island_positions(raw: Path, kel: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per Kepulauan Seribu office: the cited island's position inside its kelurahan polygon.

    Columns: ``kode`` (kelurahan code for a PPS, kecamatan code for a PPK, 31.01 for the seat of the
    kabupaten), ``unit``, ``role`` (pps, ppk, seat), ``office``, ``island``, ``island_kode``
    (cahyadsn), ``kelurahan_kode`` (the kelurahan polygon holding the island), ``lon``/``lat`` (the
    position used), ``approximate`` (always true), ``position_basis``; ``source_lon``/``source_lat``
    (the gazetteer position, latitude sign restored), ``moved_m`` (distance moved into the polygon),
    ``island_part_km2`` (area of the polygon part), ``within_island_max_m`` (the farthest point of that
    part from the position: how far the office may really be from it), ``shares_island_with`` (other
    offices on the same island), ``check_*`` (a second published position and its geodesic distance in
    metres, empty where none was found), ``office_source*`` (why the office is put on this island).
    """
    folder = raw / RAW_FOLDER
    gaz = read_gazetteer(folder / "wilayah_pulau_31.01_rows.sql").set_index("island_kode")
    offices = pd.read_csv(folder / "office_islands.csv", dtype=str, keep_default_na=False)
    checks = pd.read_csv(folder / "cross_check_positions.csv", dtype={"island_kode": str}).set_index("island_kode")
    kel_utm = kel[kel["kota_kode"] == KABUPATEN].to_crs(UTM48S)
    if len(kel_utm) == 0:
        raise IslandError("no Kepulauan Seribu kelurahan in the boundaries")
    rows = []
    for o in offices.itertuples():
        if o.island_kode not in gaz.index:
            raise IslandError(f"{o.office}: island {o.island_kode} is not in the gazetteer rows")
        g = gaz.loc[o.island_kode]
        if g["island"] != o.island:
            raise IslandError(f"{o.island_kode} is {g['island']} in the gazetteer, {o.island} in office_islands.csv")
        src = gpd.GeoSeries([Point(g["lon"], g["lat"])], crs=WGS84).to_crs(UTM48S).iloc[0]
        i, part = island_part(src, kel_utm)
        kel_kode = kel_utm.at[i, "kode"]
        if o.role == "pps" and kel_kode != o.unit_kode:
            raise IslandError(f"{o.island} lies in kelurahan {kel_kode}, not in {o.unit_kode} ({o.unit})")
        if o.role == "ppk" and not kel_kode.startswith(o.unit_kode + "."):
            raise IslandError(f"{o.island} lies outside kecamatan {o.unit_kode} ({o.unit})")
        pt = snap_into(src, part)
        ll = gpd.GeoSeries([pt], crs=UTM48S).to_crs(WGS84).iloc[0]
        far = max(Point(c).distance(pt) for c in part.exterior.coords)
        moved = src.distance(pt)
        sign = " (latitude published without its minus sign; negated)" if g["lat_sign_restored"] else ""
        where = ("inside the island's part of the kelurahan polygon" if moved == 0 else
                 f"moved {moved:.0f} m into the island's part of the kelurahan polygon")
        basis = (f"approximate: island position of {o.island} ({GAZETTEER}, row {o.island_kode}{sign}), "
                 f"{where}; the office is on this island per {o.source_title} ({o.source_url}); "
                 f"its own position on the island is in no source (island part {part.area / 1e6:.3f} km², "
                 f"farthest point {far:.0f} m away)")
        row = {"kode": o.unit_kode, "unit": o.unit, "role": o.role, "office": o.office, "island": o.island,
               "island_kode": o.island_kode, "kelurahan_kode": kel_kode, "lon": ll.x, "lat": ll.y,
               "approximate": True, "position_basis": basis, "source_lon": g["lon"], "source_lat": g["lat"],
               "moved_m": round(moved), "island_part_km2": round(part.area / 1e6, 4),
               "within_island_max_m": round(far), "office_source": f"{o.source_title}, {o.source_url}"
               + (f", {o.source_date}" if o.source_date else ""), "office_source_kind": o.source_kind,
               "office_source_note": o.note}
        if o.island_kode in checks.index:
            c = checks.loc[o.island_kode]
            row.update(check_lon=c["lon"], check_lat=c["lat"],
                       check_diff_m=round(float(geodesic_distance_m(g["lon"], g["lat"], c["lon"], c["lat"]))),
                       check_source=f"{c['source_title']}, {c['source_url']}: {c['position_as_published']}")
        else:
            row.update(check_lon=np.nan, check_lat=np.nan, check_diff_m=np.nan,
                       check_source="no second published position of this island was found")
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("moved_m", "within_island_max_m", "check_diff_m"):  # whole metres
        out[col] = out[col].astype("Int64")
    sid = np.where(out["role"] == "ppk", "PPK-" + out["kode"], out["role"].str.upper() + " " + out["kode"])
    out["shares_island_with"] = [
        "; ".join(sorted(s for s, k, r in zip(sid, out["island_kode"], out.index) if k == kode and r != idx))
        for idx, kode in zip(out.index, out["island_kode"])]
    out["role_order"] = out["role"].map({"pps": 0, "ppk": 1, "seat": 2})
    out = out.sort_values(["role_order", "kode"], ignore_index=True)
    return out[COLUMNS]


def ppk_rows(positions: pd.DataFrame) -> dict[str, dict]:
    """The PPK rows of :func:`build_island_positions` by kecamatan code (for the recap sites)."""
    return {r["kode"]: r for r in positions[positions["role"] == "ppk"].to_dict("records")}
