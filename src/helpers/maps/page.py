"""The page: a folium map that needs only Leaflet, its title and legend, and writing it to a file.

* :class:`LeafletMap` (made by :func:`base_map`) drops folium's jQuery, Bootstrap and Font Awesome
  defaults; every other piece of the page is drawn by the runtime of :mod:`helpers.maps.runtime`.
  The few things the builders need to know about a map are its declared ``recap_*`` attributes
  (prefixed so that no folium version can collide with them), set when the map is made.
* A map created in a page or frame that has no size yet (a notebook output not laid out yet) is
  fitted again as soon as it gets one (the runtime's ``autofit``), until the user moves it.
* :func:`save_map` numbers every element in tree order (:func:`stable_ids`), so the same inputs
  write byte-identical files, and with ``offline=True`` inlines Leaflet
  (:func:`helpers.maps.offline.inline_assets`); :func:`embed_map` shows a saved file in a notebook.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium

from helpers.core import text
from helpers.maps import offline as offline_assets
from helpers.maps.runtime import RuntimeCall, to_bounds

__all__ = ["DKI_CENTER", "LeafletMap", "base_map", "add_title", "add_legend", "stable_ids", "save_map",
           "embed_map", "Embedded"]

#: Centre of the default view (DKI Jakarta's mainland), zoom 11.
DKI_CENTER = (-6.2, 106.83)
#: Tile names of folium's own providers (they bring their attribution); other tiles are credited to OSM.
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
    """

    def __init__(self, bounds=None, *, language: str = "id", basemap: str | None = "openstreetmap",
                 offline: bool = True):
        text.check_language(language)
        super().__init__(location=DKI_CENTER, zoom_start=11, tiles=None, control_scale=True)
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
            self.fit_bounds(self.recap_bounds)
            self.add_child(RuntimeCall("autofit", {"bounds": self.recap_bounds}))


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
    stable_ids(m)
    page = m.get_root().render()
    if offline:
        page = offline_assets.inline_assets(page)
    path.write_text(page, encoding="utf-8")
    return path


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

    Unlike displaying the ``folium.Map`` itself, this shows exactly the saved deliverable, and
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
                    f'style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe>')
