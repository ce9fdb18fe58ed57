"""CRS constants, projection and metric distances: the one projection rule of the project.

Every distance is computed in metres, either in a UTM zone or geodesically with
:class:`pyproj.Geod`.  The rule: **the UTM zone of a place is the zone of its longitude**
(:func:`utm_epsg`); a run measures every distance of a province in the zone of the province's
centroid (:func:`metric_crs`, from the table :data:`PROVINCE_UTM`, which ``tests/test_province.py``
checks against :func:`utm_epsg` of the national layer's centroids): UTM 48S (EPSG:32748) for DKI
Jakarta and the Kepulauan Seribu.  The national overview, which spans every zone, measures each
PPK site's distances in the zone of the site itself (:func:`utm_epsg`).  Distance functions refuse
geographic (degree) input so that a distance in degrees can never be produced by accident.
"""

from __future__ import annotations

import numpy as np
import pyproj

WGS84 = "EPSG:4326"
UTM48S = "EPSG:32748"

#: Generous lon/lat bounding box of DKI Jakarta including the Kepulauan Seribu (degrees).
DKI_BBOX = (106.35, -6.40, 107.05, -5.10)  # minx, miny, maxx, maxy

_GEOD = pyproj.Geod(ellps="WGS84")

#: UTM zone of every province (Kemendagri code -> EPSG): the zone of the province's centroid, so
#: that all distances of one run are measured in one projected CRS.  DKI Jakarta is UTM 48S.
#: Provinces spanning several zones are measured in their central one; the scale error at the far
#: edge stays below 0.6 % (Maluku, 125.7-134.9 degrees E, zone 52: 5.9 degrees from its meridian).
#: Checked against the national layer by ``tests/test_province.py``.
PROVINCE_UTM = {
    "11": 32647, "12": 32647, "13": 32747, "14": 32647, "15": 32748, "16": 32748, "17": 32748, "18": 32748,
    "19": 32748, "21": 32648, "31": 32748, "32": 32748, "33": 32749, "34": 32749, "35": 32749, "36": 32748,
    "51": 32750, "52": 32750, "53": 32751, "61": 32749, "62": 32749, "63": 32750, "64": 32650, "65": 32650,
    "71": 32651, "72": 32751, "73": 32751, "74": 32751, "75": 32651, "76": 32750, "81": 32752, "82": 32652,
    "91": 32754, "92": 32753, "93": 32754, "94": 32753, "95": 32754, "96": 32752}
_CODE_COLUMNS = ("kota_kode", "kecamatan_kode", "kabkota_kode", "provinsi_kode", "kelurahan_kode", "kode")


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
    helpers.core.geo.GeographicCRSError: input is in a geographic CRS (EPSG:4326, degrees); project it first, e.g. with helpers.core.geo.to_utm(...)
    """
    crs = getattr(gdf, "crs", None)
    if crs is None:
        raise GeographicCRSError(f"{what} has no CRS; set one before measuring distances")
    crs = pyproj.CRS.from_user_input(crs)
    if crs.is_geographic or not crs.is_projected:
        raise GeographicCRSError(
            f"{what} is in a geographic CRS ({crs.to_string()}, degrees); "
            "project it first, e.g. with helpers.core.geo.to_utm(...)"
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


def utm_epsg(lon, lat) -> np.ndarray:
    """EPSG code of the UTM zone of each point (326xx north, 327xx south of the equator).

    Examples
    --------
    >>> utm_epsg(np.array([106.8, 140.7]), np.array([-6.2, -2.5])).tolist()
    [32748, 32754]
    """
    zone = np.clip(np.floor((np.asarray(lon) + 180) / 6).astype(int) + 1, 1, 60)
    return np.where(np.asarray(lat) >= 0, 32600, 32700) + zone


def metric_crs(units=None) -> str:
    """The projected CRS (metres) in which distances of a run are measured.

    ``units`` is a Kemendagri code (``"32"``, ``"32.01.05"``) or a table with a code column
    (``kota_kode``, ``kecamatan_kode``, ``kode``, ...): the UTM zone of its province
    (:data:`PROVINCE_UTM`).  DKI Jakarta, an empty table, a table without codes or an unknown code
    give UTM 48S (EPSG:32748).  Every frame of one run carries codes of one province, so they all
    get the same CRS.

    Examples
    --------
    >>> metric_crs(), metric_crs("31.71"), metric_crs("81.01"), metric_crs("9101")
    ('EPSG:32748', 'EPSG:32748', 'EPSG:32752', 'EPSG:32754')
    """
    code = None
    if isinstance(units, str):
        code = units
    elif units is not None:
        for col in _CODE_COLUMNS:
            if col in getattr(units, "columns", ()) and len(units):
                values = units[col].dropna().astype(str)
                values = values[values.str.len() >= 2]
                if len(values):
                    code = values.iloc[0]
                    break
    epsg = PROVINCE_UTM.get(str(code).replace(".", "")[:2]) if code else None
    return f"EPSG:{epsg}" if epsg else UTM48S


def to_utm(gdf):
    """Return ``gdf`` projected to the UTM zone of its province (:func:`metric_crs`; DKI: UTM 48S)."""
    return gdf.to_crs(metric_crs(gdf))


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
