"""The sea-crossing rule outside DKI: how much of a straight line runs outside the land.

In DKI Jakarta the islands are known (Kepulauan Seribu: every kelurahan is its own island, see
:mod:`helpers.prepare.islands`).  Elsewhere the rule is geometric and the same for the national overview
(notebook 04) and the province runs of notebooks 01-03: the straight line from a desa to its PPK
site **crosses the sea** when more than :data:`SEA_TOLERANCE_M` of it runs outside every kab/kota
polygon (over the sea, or water or land the boundaries leave out).  Lines inside their own
kecamatan polygon are on land.
"""

from __future__ import annotations

import numpy as np
import shapely

#: A line running more than this many metres outside every kab/kota polygon crosses the sea.
SEA_TOLERANCE_M = 1000.0


def outside_land_m(desa_pts, site_pts, own_polygons, land, distance_m) -> np.ndarray:
    """Metres of each desa -> site straight line that lie outside every ``land`` polygon.

    A line covered by its own kecamatan polygon is on land (0).  Others are cut by the ``land``
    polygons (a clean coverage: no overlaps, so the lengths inside add up) and the share outside,
    taken on the lon/lat line, is applied to the line's metric length ``distance_m``.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> land = np.array([box(0, 0, 1, 1), box(2, 0, 3, 1)])
    >>> outside_land_m([Point(0.5, 0.5)], [Point(2.5, 0.5)], land[:1], land, [2000.0]).tolist()
    [1000.0]
    """
    pts, sites = np.asarray(desa_pts), np.asarray(site_pts)
    lines = shapely.linestrings(np.stack([shapely.get_coordinates(pts), shapely.get_coordinates(sites)], axis=1))
    own = np.array(own_polygons, dtype=object)
    shapely.prepare(own)
    test = np.flatnonzero(~shapely.covers(own, lines))
    out = np.zeros(len(lines))
    if len(test):
        land = np.asarray(land)
        li, pj = shapely.STRtree(land).query(lines[test], predicate="intersects")
        inside = np.bincount(li, weights=shapely.length(shapely.intersection(lines[test][li], land[pj])),
                             minlength=len(test))
        share = np.clip(1 - inside / np.maximum(shapely.length(lines[test]), 1e-12), 0, 1)
        out[test] = share * np.asarray(distance_m, float)[test]
    return out
