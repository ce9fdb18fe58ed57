"""The page: a folium map that needs only Leaflet, its title and legend, and writing it to a file.

* :class:`LeafletMap` (made by :func:`base_map`) drops folium's jQuery, Bootstrap and Font Awesome
  defaults; every other piece of the page is drawn by the runtime of :mod:`helpers.maps.runtime`.
  The few things the builders need to know about a map are its declared ``recap_*`` attributes
  (prefixed so that no folium version can collide with them), set when the map is made.
* A map created in a page or frame that has no size yet (a notebook output not laid out yet) is
  fitted again as soon as it gets one (the runtime's ``autofit``), until the user moves it.
* Controls keep out of the way (``static/recap_layout.js``): the last call of every page
  (``RecapMap.controls``, put last when the map is rendered) collapses the layer lists and makes
  the title and legend compact on a small map (below :data:`SMALL_MAP` pixels: a report frame,
  a notebook output, a laptop window), and every fit leaves no circle marker under a control.
  Popups scroll inside when they would be taller than the map; the scale bar is metric only.
* :func:`save_map` numbers every element in tree order (:func:`stable_ids`), so the same inputs
  write byte-identical files, and with ``offline=True`` inlines Leaflet
  (:func:`helpers.maps.offline.inline_assets`); :func:`embed_map` shows a saved file in a notebook.
* A saved map carries its title and legends as data (:func:`map_info`, read back from the file by
  :func:`read_map_info`): the printed report shows them as text beside the map's picture, which is
  the page opened as ``map.html#print`` (only the data, the inset and the scale, on white).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import branca.element
import folium

from helpers.core import text
from helpers.maps import offline as offline_assets
from helpers.maps.runtime import RuntimeCall, script_json, to_bounds

__all__ = ["DKI_CENTER", "SMALL_MAP", "LeafletMap", "base_map", "add_title", "add_legend", "stable_ids", "save_map",
           "embed_map", "Embedded", "map_info", "read_map_info"]

#: Centre of the default view (DKI Jakarta's mainland), zoom 11.
DKI_CENTER = (-6.2, 106.83)
#: Tile names of folium's own providers (they bring their attribution); other tiles are credited to OSM.
#: Width and height in pixels below which a map is small (its layer lists collapsed, its title and legend
#: compact); the value the runtime uses, ``SMALL`` in ``static/recap_layout.js``.
SMALL_MAP = (1100, 700)
#: Id of the element of a saved map that holds :func:`map_info` as JSON.
INFO_ID = "recap-map-info"
BASEMAPS = {"cartodbpositron", "cartodb positron", "openstreetmap", "cartodbdark_matter", "cartodb dark_matter"}


class LeafletMap(folium.Map):
    """A folium map that loads only Leaflet, fitted to ``bounds`` (see :func:`base_map`).

    Attributes
    ----------
    recap_language : {"id", "en"}
        Language of the built-in labels; the layer builders of :mod:`helpers.maps` write in it.
    recap_tiles : dict or None
        ``{"url", "options"}`` of the basemap, reused by the inset map; None without tiles.
    recap_bounds : list or None
        ``[[south, west], [north, east]]`` the map is fitted to; None for the default view.
    recap_offline : bool
        What :func:`save_map` does when not told (inline Leaflet, or link it from a CDN).
    recap_layout : RuntimeCall
        ``RecapMap.controls``: the page's last call (moved to the end of the map's children when the
        map is rendered), made once every control is on the map.
    """

    def __init__(self, bounds=None, *, language: str = "id", basemap: str | None = "openstreetmap",
                 offline: bool = True):
        text.check_language(language)
        # quarter zoom steps: a fit that keeps the markers clear of the controls loses little scale;
        # the scale bar is the runtime's (metric only), not folium's (kilometres and miles)
        super().__init__(location=DKI_CENTER, zoom_start=11, tiles=None, control_scale=False, zoom_snap=0.25)
        # instance attributes: only Leaflet, none of folium's jQuery/Bootstrap/Font Awesome defaults
        self.default_js = [("leaflet", offline_assets.LEAFLET_JS)]
        self.default_css = [("leaflet_css", offline_assets.LEAFLET_CSS)]
        self.recap_language: str = language
        self.recap_tiles: dict | None = None
        self.recap_bounds: list[list[float]] | None = None
        self.recap_offline: bool = bool(offline)
        if basemap:
            attr = None if basemap.lower() in BASEMAPS else "© OpenStreetMap contributors"
            tile = folium.TileLayer(basemap, attr=attr, name=text.label("map_basemap", language), control=False)
            tile.add_to(self)
            self.recap_tiles = {"url": tile.tiles, "options": {k: v for k, v in tile.options.items()
                                                               if k in ("subdomains", "maxZoom", "attribution")}}
        if bounds is not None:
            self.recap_bounds = to_bounds(bounds)
            # fitted by the runtime alone: folium's fit_bounds animates the zoom, and the animation's
            # end would move the map back from the runtime's fit
            self.location = [(self.recap_bounds[0][0] + self.recap_bounds[1][0]) / 2,
                             (self.recap_bounds[0][1] + self.recap_bounds[1][1]) / 2]
            self.add_child(RuntimeCall("autofit", {"bounds": self.recap_bounds}))
        self.add_child(RuntimeCall("scale", {"position": "bottomleft"}))
        self.recap_layout = RuntimeCall("controls", {"layers": text.label("map_layers", language)})
        self.add_child(self.recap_layout)

    def render(self, **kwargs) -> None:
        """Render with ``RecapMap.controls`` as the map's last call (after every control is added)."""
        for key, child in list(self._children.items()):
            if child is self.recap_layout:
                del self._children[key]
        self.add_child(self.recap_layout)
        super().render(**kwargs)


def base_map(bounds=None, *, language: str = "id", basemap: str | None = "openstreetmap",
             title: str | None = None, subtitle: str | None = None, offline: bool = True) -> LeafletMap:
    """An empty map that needs only Leaflet, fitted to ``bounds``.

    Parameters
    ----------
    bounds : [[south, west], [north, east]] or GeoDataFrame, optional
        View to fit (default: DKI Jakarta's mainland at zoom 11).
    language : {"id", "en"}
        Language of the built-in labels (stored as ``m.recap_language``).
    basemap : str or None
        ``"openstreetmap"`` (default), any other folium/xyzservices tile name or an
        ``https://.../{z}/{x}/{y}.png`` template, or None for no tiles.  Tiles are the only part
        of a map that needs the network.  (CARTO's "cartodbpositron" tiles need an API key since
        August 2026 and show "API key required" without one.)
    title, subtitle : str, optional
        Shown at the top (escaped).
    offline : bool
        Default of :func:`save_map` for this map (``m.recap_offline``).

    Returns
    -------
    LeafletMap

    Examples
    --------
    >>> m = base_map([[-6.4, 106.7], [-6.0, 107.0]], basemap=None)
    >>> [name for name, _ in m.default_js], m.recap_bounds
    (['leaflet'], [[-6.4, 106.7], [-6.0, 107.0]])
    """
    m = LeafletMap(bounds, language=language, basemap=basemap, offline=offline)
    if title:
        add_title(m, title, subtitle=subtitle)
    return m


def add_title(m: folium.Map, title: str, *, subtitle: str | None = None, reset_label: str | None = None,
              bounds=None) -> None:
    """Title box at the top left (text escaped); with ``reset_label`` a button that re-fits ``bounds``.

    Parameters
    ----------
    m : folium.Map
    title : str
    subtitle : str, optional
        Smaller second line.
    reset_label : str, optional
        Text of the "initial view" button (shown only with ``bounds``).
    bounds : GeoDataFrame or [[south, west], [north, east]], optional
        The view the button returns to.
    """
    spec = {"title": str(title), "subtitle": None if subtitle is None else str(subtitle)}
    if reset_label and bounds is not None:
        spec.update(reset=str(reset_label), bounds=to_bounds(bounds))
    m.add_child(RuntimeCall("title", spec))


def add_legend(m: folium.Map, title: str, items, *, position: str = "bottomright") -> None:
    """Legend box; all text is escaped.

    Parameters
    ----------
    m : folium.Map
    title : str
    items : list of (swatch, label)
        ``swatch`` is a colour string or a dict ``{"fill", "color", "shape": "circle"|"square"|
        "line", "dashed": bool}`` (``fill`` None = hollow).
    position : str
        Leaflet control corner.
    """
    spec = []
    for sw, lab in items:
        sw = {"fill": sw, "shape": "square"} if isinstance(sw, str) else dict(sw)
        spec.append({"swatch": sw, "label": str(lab)})
    m.add_child(RuntimeCall("legend", {"title": str(title), "items": spec, "position": position}))


def stable_ids(m: folium.Map) -> None:
    """Give every element of the page a deterministic id, in tree order.

    folium names each element by a random ``uuid4`` (``map_3f2a…``), so two saves of the same map
    differ in every variable name; with ids numbered in the order of the element tree, the same
    inputs write byte-identical files and two reports can be compared with ``diff``.

    Parameters
    ----------
    m : folium.Map
        Changed in place.

    Examples
    --------
    >>> m1, m2 = base_map(basemap=None), base_map(basemap=None)
    >>> stable_ids(m1); stable_ids(m2)
    >>> m1.get_name() == m2.get_name()
    True
    """
    root = m.get_root()
    seen: set[int] = set()
    stack, n = [root], 0
    while stack:
        el = stack.pop(0)
        if id(el) in seen:
            continue
        seen.add(id(el))
        el._id = f"{n:032x}"
        n += 1
        stack.extend(getattr(el, "_children", {}).values())
        for part in ("header", "html", "script"):
            child = getattr(el, part, None)
            if child is not None and hasattr(child, "_children") and id(child) not in seen:
                stack.append(child)


def save_map(m: folium.Map, path, *, offline: bool | None = None) -> Path:
    """Write ``m`` as one standalone HTML file and return its path.

    Parameters
    ----------
    m : folium.Map
    path : path-like
        Target file; parent folders are created.
    offline : bool, optional
        Inline Leaflet (and MarkerCluster) from the ``xstatic`` packages so the page needs no
        network except for basemap tiles.  Default: ``m.recap_offline`` of a :class:`LeafletMap`,
        else True.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        In offline mode, if the page would still load a script or stylesheet from the network.
    """
    if offline is None:
        offline = m.recap_offline if isinstance(m, LeafletMap) else True
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    m.get_root().html.add_child(branca.element.Element(
        f'<script type="application/json" id="{INFO_ID}">{script_json(map_info(m))}</script>'), name=INFO_ID)
    stable_ids(m)
    page = m.get_root().render()
    if offline:
        page = offline_assets.inline_assets(page)
    path.write_text(page, encoding="utf-8")
    return path


def map_info(m: folium.Map) -> dict:
    """The title, subtitle and legends of a map (its ``title`` and ``legend`` runtime calls), as data.

    Parameters
    ----------
    m : folium.Map

    Returns
    -------
    dict
        ``{"title": str or None, "subtitle": str or None, "legends": [{"title", "items": [{"swatch",
        "label"}]}], "bounds": [[south, west], [north, east]] or None}`` (swatches as in
        :func:`add_legend`; the bounds the map is fitted to).

    Examples
    --------
    >>> m = base_map(basemap=None, title="Peta", subtitle="44 lokasi")
    >>> add_legend(m, "Keterangan", [("#ff0000", "celah")])
    >>> info = map_info(m)
    >>> info["title"], info["legends"][0]["items"][0]["label"]
    ('Peta', 'celah')
    """
    info: dict = {"title": None, "subtitle": None, "legends": [], "bounds": getattr(m, "recap_bounds", None)}
    for child in m._children.values():
        if isinstance(child, RuntimeCall) and child.fn == "title":
            info["title"], info["subtitle"] = child.spec["title"], child.spec.get("subtitle")
        elif isinstance(child, RuntimeCall) and child.fn == "legend":
            info["legends"].append({"title": child.spec["title"], "items": child.spec["items"]})
    return info


def read_map_info(path) -> dict | None:
    """:func:`map_info` of a map written by :func:`save_map` (None for another page).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    dict or None
    """
    found = re.search(rf'<script type="application/json" id="{INFO_ID}">(.*?)</script>',
                      Path(path).read_text(encoding="utf-8"), flags=re.S)
    return json.loads(found.group(1)) if found else None


class Embedded:
    """Rich-display wrapper of an HTML snippet (IPython.display.HTML warns about any iframe it is given).

    Attributes
    ----------
    data : str
        The HTML.
    """

    def __init__(self, data: str):
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


def embed_map(path, *, height: int = 560) -> Embedded:
    """Show a saved map file inline in a notebook, as an iframe whose ``srcdoc`` is the file.

    The frame is exactly as wide as the output (its border inside its width: no horizontal
    scrollbar under the map in JupyterLab).  Unlike displaying the ``folium.Map`` itself, this shows
    exactly the saved deliverable, and
    an offline map stays visible without network in the code-free HTML report of the batch
    runner (the file's own text is HTML-escaped into the attribute, so nothing leaks out of the
    frame).

    Parameters
    ----------
    path : path-like
        A file written by :func:`save_map`.
    height : int
        Frame height in pixels.

    Returns
    -------
    Embedded

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.html"
    >>> _ = f.write_text('<p title="a">x & y</p>', encoding="utf-8")
    >>> embed_map(f, height=100).data[:66]
    '<iframe srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y&lt;/p&gt;" '
    """
    text = Path(path).read_text(encoding="utf-8")
    return Embedded(f'<iframe srcdoc="{html.escape(text, quote=True)}" sandbox="allow-scripts allow-popups" '
                    f'style="display:block;box-sizing:border-box;width:100%;height:{int(height)}px;'
                    f'border:1px solid #ccc"></iframe>')
