"""CRS constants, projection and metric distances.

Every distance in this project is computed in metres, either in UTM zone 48S (EPSG:32748),
which covers Jakarta and the Kepulauan Seribu, or geodesically with :class:`pyproj.Geod`.
Distance functions refuse geographic (degree) input so that a distance in degrees can never
be produced by accident.
"""

from __future__ import annotations

import numpy as np
import pyproj

WGS84 = "EPSG:4326"
UTM48S = "EPSG:32748"

#: Generous lon/lat bounding box of DKI Jakarta including the Kepulauan Seribu (degrees).
DKI_BBOX = (106.35, -6.40, 107.05, -5.10)  # minx, miny, maxx, maxy

_GEOD = pyproj.Geod(ellps="WGS84")


class GeographicCRSError(ValueError):
    """Raised when a metric operation receives data in a geographic (degree) CRS."""


def require_projected(gdf, what: str = "input") -> None:
    """Raise :class:`GeographicCRSError` unless ``gdf`` has a projected CRS in metres.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> g = gpd.GeoDataFrame(geometry=[Point(106.8, -6.2)], crs=WGS84)
    >>> require_projected(g)
    Traceback (most recent call last):
    ...
    helpers.geo.GeographicCRSError: input is in a geographic CRS (EPSG:4326, degrees); project it first, e.g. with helpers.geo.to_utm(...)
    """
    crs = getattr(gdf, "crs", None)
    if crs is None:
        raise GeographicCRSError(f"{what} has no CRS; set one before measuring distances")
    crs = pyproj.CRS.from_user_input(crs)
    if crs.is_geographic or not crs.is_projected:
        raise GeographicCRSError(
            f"{what} is in a geographic CRS ({crs.to_string()}, degrees); "
            "project it first, e.g. with helpers.geo.to_utm(...)"
        )
    unit = crs.axis_info[0].unit_name if crs.axis_info else "metre"
    if unit not in ("metre", "meter"):
        raise GeographicCRSError(f"{what} CRS {crs.to_string()} is in {unit}, not metres")


def largest_part_point(geom):
    """A point inside the largest polygon part of ``geom`` (for multi-island units, the main island).

    Examples
    --------
    >>> from shapely.geometry import MultiPolygon, box
    >>> largest_part_point(MultiPolygon([box(0, 0, 1, 1), box(5, 5, 9, 9)])).within(box(5, 5, 9, 9))
    True
    """
    parts = list(getattr(geom, "geoms", [geom]))
    return max(parts, key=lambda g: g.area).representative_point()


def to_utm(gdf):
    """Return ``gdf`` projected to UTM 48S (EPSG:32748), metres."""
    return gdf.to_crs(UTM48S)


def xy(gdf) -> np.ndarray:
    """(n, 2) array of point coordinates of a projected GeoDataFrame, metres.

    Non-point geometries are represented by their representative point.
    """
    require_projected(gdf)
    geom = gdf.geometry
    if not (geom.geom_type == "Point").all():
        geom = geom.representative_point()
    return np.column_stack([geom.x.to_numpy(), geom.y.to_numpy()])


def pairwise_distance_m(a, b) -> np.ndarray:
    """Euclidean distance in metres between row-aligned point layers ``a`` and ``b``.

    Both must be in the same projected CRS (see :func:`require_projected`).
    """
    require_projected(a, "first layer")
    require_projected(b, "second layer")
    if pyproj.CRS.from_user_input(a.crs) != pyproj.CRS.from_user_input(b.crs):
        raise GeographicCRSError(f"layers are in different CRS ({a.crs} vs {b.crs})")
    d = xy(a) - xy(b)
    return np.hypot(d[:, 0], d[:, 1])


def geodesic_distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic (WGS84 ellipsoid) distance in metres between lon/lat pairs.

    Examples
    --------
    >>> round(float(geodesic_distance_m(106.8, -6.2, 106.8, -6.1)))
    11059
    """
    _, _, dist = _GEOD.inv(np.asarray(lon1, float), np.asarray(lat1, float),
                           np.asarray(lon2, float), np.asarray(lat2, float))
    return np.asarray(dist)
