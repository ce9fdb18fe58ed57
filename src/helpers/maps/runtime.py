"""The Leaflet runtime of the maps: its files, and the page element that calls it.

The runtime is ``static/recap_map.js`` (the global ``RecapMap``: ``points``, ``shapes``,
``legend``, ``title``, ``inset``, ``autofit``, ``scale``, ``controls``, plus the helpers ``el``,
``card`` and ``tip`` that other runtimes reuse) and ``static/recap_layout.js`` (the global
``RecapLayout``: controls that keep out of the way -- compact controls and collapsed layer lists
on small maps, and a fit that leaves no marker under a control), with the stylesheet
``static/recap_map.css``.  They are package data, read with :mod:`importlib.resources`
(:func:`static_text`), and written once into the header of every page that uses them.

Python never writes JavaScript code for a layer: a :class:`RuntimeCall` renders
``RecapMap.<fn>(<parent>, <JSON spec>);`` where the spec is data (:func:`script_json`), so every
string from the data reaches the page as JSON and the runtime shows it with ``textContent``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

import branca.element
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

from helpers.core.geo import WGS84
from helpers.maps import offline

__all__ = ["RUNTIME_JS", "LAYOUT_JS", "RUNTIME_CSS", "static_text", "script_json", "to_bounds", "RuntimeCall"]

#: File names (in ``helpers/maps/static``) of the runtime every map uses.
RUNTIME_JS, LAYOUT_JS, RUNTIME_CSS = "recap_map.js", "recap_layout.js", "recap_map.css"


@cache
def static_text(name: str) -> str:
    """Text of the package-data file ``helpers/maps/static/<name>``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"recap_map.js"``.

    Returns
    -------
    str

    Examples
    --------
    >>> static_text("recap_map.js").startswith("var RecapMap")
    True
    """
    return files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def script_json(obj: object) -> str:
    """JSON safe to place inside ``<script>``: no ``</script>``, no HTML-significant characters.

    Parameters
    ----------
    obj : object
        JSON-serialisable value (other objects are written as ``str(obj)``; NaN is refused).

    Returns
    -------
    str

    Examples
    --------
    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("`", "\\u0060"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def to_bounds(obj) -> list[list[float]]:
    """Leaflet bounds ``[[south, west], [north, east]]`` of a GeoDataFrame/GeoSeries or of such a pair.

    Parameters
    ----------
    obj : GeoDataFrame, GeoSeries or [[south, west], [north, east]]
        Geometries in any CRS (their bounds are taken in EPSG:4326).

    Returns
    -------
    list of list of float

    Examples
    --------
    >>> to_bounds([(-6.4, 106.7), (-6.0, 107)])
    [[-6.4, 106.7], [-6.0, 107.0]]
    """
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        w, s, e, n = obj.to_crs(WGS84).total_bounds
        return [[float(s), float(w)], [float(n), float(e)]]
    (s, w), (n, e) = obj
    return [[float(s), float(w)], [float(n), float(e)]]


class RuntimeCall(MacroElement):
    """``RecapMap.<fn>(<parent>, <JSON spec>);`` on the parent layer or map.

    Rendering also puts the runtime (:data:`RUNTIME_JS`, :data:`LAYOUT_JS`, :data:`RUNTIME_CSS`) into
    the page header once, and Leaflet.markercluster when a ``points`` spec asks for clustering.

    Attributes
    ----------
    fn : str
        Runtime function: ``"points"``, ``"shapes"``, ``"legend"``, ``"title"``, ``"inset"``, ``"autofit"``,
        ``"scale"`` or ``"controls"``.
    spec : dict
        Its JSON argument.
    """

    _template = Template("{% macro script(this, kwargs) %}RecapMap.{{ this.fn }}("
                         "{{ this._parent.get_name() }}, {{ this.payload }});{% endmacro %}")

    def __init__(self, fn: str, spec: dict):
        super().__init__()
        self._name = "RecapMap_" + fn
        self.fn, self.spec = fn, spec
        self.payload = ""

    def render(self, **kwargs) -> None:
        """Serialise the spec and add the runtime files to the page header (folium's render step)."""
        self.payload = script_json(self.spec)
        root = self.get_root()
        root.header.add_child(Element(f"<style>\n{static_text(RUNTIME_CSS)}</style>"), name="recap_map_css")
        root.header.add_child(Element(f"<script>\n{static_text(RUNTIME_JS)}</script>"), name="recap_map_runtime")
        root.header.add_child(Element(f"<script>\n{static_text(LAYOUT_JS)}</script>"), name="recap_map_layout")
        if self.fn == "points" and self.spec.get("cluster"):
            root.header.add_child(branca.element.JavascriptLink(offline.MARKERCLUSTER_JS), name="markercluster_js0")
            for i, url in enumerate(offline.MARKERCLUSTER_CSS):
                root.header.add_child(branca.element.CssLink(url), name=f"markercluster_css{i}")
        super().render(**kwargs)
