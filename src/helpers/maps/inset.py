"""The Kepulauan Seribu inset: one small second map in a corner, used by every DKI map.

Kepulauan Seribu lies about 60 km north of the mainland, so a map of all DKI Jakarta is fitted to
the mainland and shows the islands in an inset (same tiles as the main map).  Clicking a feature
of the inset, or its button, fits the main map to the islands; the title's "initial view" button
comes back.  :func:`add_seribu_inset` draws it whenever the mapped area has both island and
mainland parts; :func:`in_kepulauan_seribu` says which rows are on the islands.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.core import text
from helpers.core.names import KEPULAUAN_SERIBU
from helpers.maps.specs import LayerSpec
from helpers.maps.page import LeafletMap
from helpers.maps.runtime import RuntimeCall, to_bounds

__all__ = ["in_kepulauan_seribu", "add_seribu_inset"]


def in_kepulauan_seribu(codes) -> np.ndarray:
    """Which Kemendagri codes (kota ``31.01`` or any kecamatan/kelurahan under it) are in Kepulauan Seribu.

    Parameters
    ----------
    codes : sequence of str
        Kota, kecamatan or kelurahan codes.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> in_kepulauan_seribu(["31.01", "31.01.01.1001", "31.71", "31.010"]).tolist()
    [True, True, False, False]
    """
    s = pd.Series(list(codes), dtype=object).astype(str)
    return (s.eq(KEPULAUAN_SERIBU) | s.str.startswith(KEPULAUAN_SERIBU + ".")).to_numpy(bool)


def add_seribu_inset(m: LeafletMap, area, island, *, shapes: Sequence[LayerSpec] = (),
                     points: Sequence[LayerSpec] = (), position: str = "bottomleft") -> bool:
    """Show the Kepulauan Seribu part of a map in an inset, if the map has both islands and mainland.

    Parameters
    ----------
    m : LeafletMap
        The main map (its language gives the inset's title and button, its tiles the inset's tiles).
    area : GeoDataFrame
        Polygons of the mapped area (kota, kecamatan or kelurahan).
    island : sequence of bool
        Per row of ``area``: on Kepulauan Seribu (e.g. :func:`in_kepulauan_seribu` of its codes).
        The inset is drawn only if some rows are and some are not; it is fitted to those that are.
    shapes, points : sequence of LayerSpec
        What the inset shows, e.g. ``layer.recap_spec.select(mask)`` of a layer of the main map.
    position : str
        Leaflet control corner.

    Returns
    -------
    bool
        Whether the inset was added.
    """
    island = np.array([bool(v) for v in island], dtype=bool)
    if not island.any() or island.all():
        return False
    lang = m.recap_language
    m.add_child(RuntimeCall("inset", {
        "title": text.label("map_inset_title", lang), "bounds": to_bounds(area[island]),
        "shapes": [s.data for s in shapes], "points": [p.data for p in points],
        "button": text.label("map_inset_button", lang), "position": position, "tiles": m.recap_tiles}))
    return True
