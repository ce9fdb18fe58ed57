"""Folium map builders: boundaries, choropleths, point layers, legends, and the recap-sites map.

Design
------
* **Only Leaflet is needed.**  The maps use Leaflet vector layers (GeoJSON polygons and
  ``CircleMarker`` points) and a small runtime (:data:`_RUNTIME_JS`) instead of folium's
  ``Popup``/``Tooltip``/``GeoJsonTooltip``, which need jQuery, Bootstrap and Font Awesome from
  CDNs.  :func:`save_map` with ``offline=True`` then inlines Leaflet (and MarkerCluster when
  used) from the PyPI ``xstatic`` packages (:mod:`helpers.offline`).
* **Data never becomes markup.**  Every string from data travels to the page as JSON inside a
  script (with ``<``, ``>``, ``&`` escaped as ``\\u003c`` ...), and the runtime puts it into
  popups, tooltips, legends and titles with ``textContent``.  No data string is placed in a
  JavaScript template literal or parsed as HTML, so ``<img src=x onerror=...>`` and
  ``${alert(1)}`` show as text.  Layer names (which Leaflet's layer control inserts as HTML)
  are passed through :func:`html.escape`.
* **Small files.**  Polygons are simplified in UTM 48S (EPSG:32748) with
  :func:`shapely.coverage_simplify`, which simplifies shared borders once so neighbouring
  polygons keep meeting exactly, and coordinates are rounded to 5 decimals (about 1 m).

Labels for the recap map are in :data:`LABELS` (``"id"`` Bahasa Indonesia, ``"en"`` English).
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import branca.element
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from . import offline as _offline
from .geo import UTM48S, WGS84
from .map_labels import LABELS, label

__all__ = ["LABELS", "label", "base_map", "add_boundaries", "add_choropleth", "add_points", "add_legend",
           "add_title", "add_inset", "layer_spec", "save_map", "simplify_polygons", "SITE_CLASS"]

#: Class name of every recap-site marker path (``recap-site`` plus ``recap-site-known`` or
#: ``recap-site-approximate``); the browser test counts these.
SITE_CLASS = "recap-site"
#: Kota code of Kabupaten Administrasi Kepulauan Seribu.
KEPULAUAN_SERIBU = "31.01"
DKI_CENTER = (-6.2, 106.83)
_BASEMAPS = {"cartodbpositron", "cartodb positron", "openstreetmap", "cartodbdark_matter", "cartodb dark_matter"}
_NO_DATA = "#cccccc"
_SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
_QUALITATIVE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

_RUNTIME_JS = r"""
var RecapMap = window.RecapMap || (function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function card(p) {
    var d = el("div", "recap-card");
    if (p.title) { d.appendChild(el("div", "recap-card-title", p.title)); }
    if (p.note) { d.appendChild(el("div", "recap-card-note", p.note)); }
    if (p.rows && p.rows.length) {
      var t = el("table", "recap-rows");
      p.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", null, r[0]));
        tr.appendChild(el("td", null, r[1]));
        t.appendChild(tr);
      });
      d.appendChild(t);
    }
    return d;
  }
  function tip(t) { return (t !== null && typeof t === "object") ? card(t) : el("div", "recap-tip", t); }
  function bind(layer, popup, tooltip) {
    if (popup) { layer.bindPopup(function () { return card(popup); }, {maxWidth: 360, className: "recap-popup"}); }
    if (tooltip !== undefined && tooltip !== null && tooltip !== "") {
      layer.bindTooltip(tip(tooltip), {sticky: true});
    }
  }
  function points(group, spec) {
    var target = group;
    if (spec.cluster) { target = L.markerClusterGroup({chunkedLoading: true}); group.addLayer(target); }
    spec.rows.forEach(function (r) {
      var m = L.circleMarker([r.lat, r.lon], r.style);
      bind(m, r.popup, r.tooltip);
      target.addLayer(m);
    });
  }
  function shapes(group, spec) {
    L.geoJSON(spec.data, {
      style: function (f) { return f.properties.s || spec.style; },
      interactive: spec.interactive,
      onEachFeature: function (f, layer) { bind(layer, f.properties.p, f.properties.t); }
    }).addTo(group);
  }
  function swatch(s) {
    var shape = s.shape || "circle";
    var sw = el("span", "recap-swatch recap-swatch-" + (shape === "square" || shape === "line" ? shape : "circle"));
    sw.style.backgroundColor = s.fill || "transparent";
    sw.style.borderColor = s.color || s.fill || "#333333";
    sw.style.borderStyle = s.dashed ? "dashed" : "solid";
    return sw;
  }
  function legend(map, spec) {
    var c = L.control({position: spec.position || "bottomright"});
    c.onAdd = function () {
      var d = el("div", "recap-legend");
      if (spec.title) { d.appendChild(el("div", "recap-legend-title", spec.title)); }
      spec.items.forEach(function (it) {
        var row = el("div", "recap-legend-item");
        row.appendChild(swatch(it.swatch));
        row.appendChild(el("span", null, it.label));
        d.appendChild(row);
      });
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    c.addTo(map);
  }
  function title(map, spec) {
    var d = el("div", "recap-title", spec.title);
    if (spec.subtitle) { d.appendChild(el("small", null, spec.subtitle)); }
    if (spec.reset && spec.bounds) {
      var b = el("button", "recap-reset", spec.reset);
      b.type = "button";
      b.onclick = function () { map.fitBounds(spec.bounds); };
      d.appendChild(b);
    }
    L.DomEvent.disableClickPropagation(d);
    map.getContainer().appendChild(d);
  }
  function inset(map, spec) {
    var holder = el("div", "recap-inset-map");
    var c = L.control({position: spec.position || "bottomleft"});
    c.onAdd = function () {
      var box = el("div", "recap-inset");
      box.appendChild(el("div", "recap-inset-title", spec.title));
      box.appendChild(holder);
      if (spec.button) {
        var b = el("button", "recap-inset-button", spec.button);
        b.type = "button";
        b.onclick = function () { map.fitBounds(spec.bounds); };
        box.appendChild(b);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
    var mini = L.map(holder, {zoomControl: false, attributionControl: false, scrollWheelZoom: false});
    if (spec.tiles) { L.tileLayer(spec.tiles.url, spec.tiles.options).addTo(mini); }
    var g = L.featureGroup().addTo(mini);
    (spec.shapes || []).forEach(function (s) { shapes(g, s); });
    (spec.points || []).forEach(function (p) { points(g, p); });
    mini.fitBounds(spec.bounds);
    autofit(mini, {bounds: spec.bounds});
    g.on("click", function () { map.fitBounds(spec.bounds); });
  }
  // A map created while its page or iframe has no size (a notebook output that JupyterLab has not
  // laid out yet, a collapsed output, a hidden tab) is fitted to a 0x0 box: the whole world.  Fit it
  // again whenever it gets a size, until the user moves or zooms it; after that only tell Leaflet
  // the new size, so the user's view is kept.
  function autofit(map, spec) {
    var c = map.getContainer(), touched = false, last = "";
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (ev) {
      c.addEventListener(ev, function () { touched = true; }, {passive: true, capture: true});
    });
    function check() {
      var size = c.clientWidth + "x" + c.clientHeight;
      if (!c.clientWidth || !c.clientHeight || size === last) { return; }
      last = size;
      map.invalidateSize({pan: false});
      if (!touched) { map.fitBounds(spec.bounds, {animate: false}); }
    }
    if (window.ResizeObserver) { new ResizeObserver(check).observe(c); }
    window.addEventListener("resize", check);
    document.addEventListener("visibilitychange", check);
    check();
    map.recapAutofit = {check: check, touched: function () { return touched; }};
  }
  return {el: el, card: card, tip: tip, points: points, shapes: shapes, legend: legend, title: title,
          inset: inset, autofit: autofit};
})();
window.RecapMap = RecapMap;
"""

_RUNTIME_CSS = """
.recap-card{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;min-width:200px;max-width:340px}
.recap-card-title{font-weight:600;font-size:14px;margin-bottom:3px}
.recap-card-note{background:#fff3cd;border-left:3px solid #d39e00;padding:3px 6px;margin:4px 0}
.recap-rows{border-collapse:collapse}
.recap-rows th{text-align:left;vertical-align:top;padding:1px 8px 1px 0;color:#555;font-weight:normal;
  min-width:90px;max-width:130px;hyphens:auto}
.recap-rows td{padding:1px 0;vertical-align:top;overflow-wrap:anywhere}
.recap-tip{font:12px/1.3 system-ui,sans-serif}
.recap-legend,.recap-inset{background:rgba(255,255,255,.93);padding:6px 8px;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.45 system-ui,sans-serif;max-width:260px}
.recap-legend-title,.recap-inset-title{font-weight:600;margin-bottom:3px}
.recap-legend-item{display:flex;align-items:center;gap:6px}
.recap-swatch{display:inline-block;width:13px;height:13px;border:2px solid #333;box-sizing:border-box;flex:none}
.recap-swatch-circle{border-radius:50%}
.recap-swatch-line{height:0;width:18px;border-width:3px 0 0 0}
.recap-title{position:absolute;top:10px;left:56px;z-index:1000;max-width:min(40%, 520px);
  background:rgba(255,255,255,.93);padding:5px 12px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);
  font:600 15px/1.3 system-ui,sans-serif;text-align:left}
.recap-title small{display:block;font-weight:normal;font-size:12px}
.recap-reset,.recap-inset-button{margin-top:4px;font:12px system-ui,sans-serif;cursor:pointer}
.recap-inset-map{width:230px;height:200px}
"""


# ---------------------------------------------------------------------------------------------
# page plumbing
# ---------------------------------------------------------------------------------------------
def _script_json(obj) -> str:
    """JSON safe to place inside ``<script>``: no ``</script>``, no HTML-significant characters.

    Examples
    --------
    >>> _script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("`", "\\u0060"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


class _Call(MacroElement):
    """``RecapMap.<fn>(<parent>, <JSON spec>)``: a runtime call on the parent layer or map."""

    _template = Template("{% macro script(this, kwargs) %}RecapMap.{{ this.fn }}("
                         "{{ this._parent.get_name() }}, {{ this.payload }});{% endmacro %}")

    def __init__(self, fn: str, spec: dict):
        super().__init__()
        self._name = "RecapMap_" + fn
        self.fn, self.spec = fn, spec

    def render(self, **kwargs):
        self.payload = _script_json(self.spec)
        root = self.get_root()
        root.header.add_child(Element(f"<style>{_RUNTIME_CSS}</style>"), name="recap_map_css")
        root.header.add_child(Element(f"<script>{_RUNTIME_JS}</script>"), name="recap_map_runtime")
        if self.fn == "points" and self.spec.get("cluster"):
            for i, url in enumerate([_offline.MARKERCLUSTER_JS]):
                root.header.add_child(branca.element.JavascriptLink(url), name=f"markercluster_js{i}")
            for i, url in enumerate(_offline.MARKERCLUSTER_CSS):
                root.header.add_child(branca.element.CssLink(url), name=f"markercluster_css{i}")
        super().render(**kwargs)


def _text(value, language: str = "id") -> str:
    """Display text of a data value ('—' for missing, Indonesian thousands separators)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return label("yes" if value else "no", language)
    if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and float(value).is_integer()):
        s = f"{int(value):,}"
        return s.replace(",", ".") if language == "id" else s
    if isinstance(value, (float, np.floating)):
        s = f"{value:,.2f}"
        return s.replace(",", "_").replace(".", ",").replace("_", ".") if language == "id" else s
    return str(value)


def _cols(cols) -> dict:
    if cols is None:
        return {}
    return dict(cols) if isinstance(cols, dict) else {c: c for c in cols}


def _bounds(obj) -> list[list[float]]:
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        w, s, e, n = obj.to_crs(WGS84).total_bounds
        return [[float(s), float(w)], [float(n), float(e)]]
    (s, w), (n, e) = obj
    return [[float(s), float(w)], [float(n), float(e)]]


# ---------------------------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------------------------
def base_map(bounds=None, *, language: str = "id", basemap: str | None = "openstreetmap",
             title: str | None = None, subtitle: str | None = None) -> folium.Map:
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
        Shown centred at the top (escaped).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> m = base_map([[-6.4, 106.7], [-6.0, 107.0]], basemap=None)
    >>> [name for name, _ in m.default_js]
    ['leaflet']
    """
    if language not in LABELS:
        raise ValueError(f"language must be one of {sorted(LABELS)}, not {language!r}")
    m = folium.Map(location=DKI_CENTER, zoom_start=11, tiles=None, control_scale=True)
    # instance attributes: only Leaflet, none of folium's jQuery/Bootstrap/Font Awesome defaults
    m.default_js = [("leaflet", _offline.LEAFLET_JS)]
    m.default_css = [("leaflet_css", _offline.LEAFLET_CSS)]
    m.recap_language = language
    m.recap_tiles = None
    if basemap:
        attr = None if basemap.lower() in _BASEMAPS else "© OpenStreetMap contributors"
        tile = folium.TileLayer(basemap, attr=attr, name=label("basemap", language), control=False)
        tile.add_to(m)
        m.recap_tiles = {"url": tile.tiles, "options": {k: v for k, v in tile.options.items()
                                                        if k in ("subdomains", "maxZoom", "attribution")}}
    if bounds is not None:
        m.fit_bounds(_bounds(bounds))
        m.recap_bounds = _bounds(bounds)
        m.add_child(_Call("autofit", {"bounds": _bounds(bounds)}))
    else:
        m.recap_bounds = None
    if title:
        add_title(m, title, subtitle=subtitle)
    return m


def add_title(m: folium.Map, title: str, *, subtitle: str | None = None, reset_label: str | None = None,
              bounds=None) -> None:
    """Centred title box (text escaped); with ``reset_label`` a button that re-fits ``bounds``."""
    spec = {"title": str(title), "subtitle": None if subtitle is None else str(subtitle)}
    if reset_label and bounds is not None:
        spec.update(reset=str(reset_label), bounds=_bounds(bounds))
    m.add_child(_Call("title", spec))


def simplify_polygons(gdf: gpd.GeoDataFrame, tolerance_m: float = 20.0, decimals: int = 5) -> gpd.GeoDataFrame:
    """Polygons simplified in UTM 48S, returned in EPSG:4326 with rounded coordinates.

    Polygons of one administrative level form a *coverage*; it is first made exact with
    :func:`shapely.coverage_clean` (shapely >= 2.2; removes overlaps and gaps narrower than 1 m
    where neighbouring sources disagree) and then simplified with
    :func:`shapely.coverage_simplify`, which simplifies each shared border once so neighbours
    keep meeting exactly.  Input that is no coverage (overlapping polygons) is simplified polygon
    by polygon with :func:`shapely.simplify` (topology preserved).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=UTM48S)
    >>> out = simplify_polygons(g, 1.0)
    >>> len(out), out.crs.to_epsg()
    (2, 4326)
    """
    if gdf.crs is None:
        raise ValueError("the polygons have no CRS; set it (EPSG:4326 for lon/lat) before mapping")
    utm = gdf.to_crs(UTM48S)
    geoms = utm.geometry.values
    if tolerance_m and tolerance_m > 0:
        try:
            ok = bool(shapely.coverage_is_valid(geoms))
        except Exception:  # noqa: BLE001 - any failure of the check means "not a clean coverage"
            ok = False
        if not ok and hasattr(shapely, "coverage_clean"):  # shapely >= 2.2 (GEOS 3.14)
            cleaned = shapely.coverage_clean(geoms, gap_width=1.0)
            ok = bool(shapely.coverage_is_valid(cleaned))
            geoms = cleaned if ok else geoms
        ok = ok and hasattr(shapely, "coverage_simplify")  # shapely >= 2.1
        geoms = shapely.coverage_simplify(geoms, tolerance_m) if ok else shapely.simplify(
            geoms, tolerance_m, preserve_topology=True)
    out = utm.set_geometry(gpd.GeoSeries(geoms, index=utm.index, crs=UTM48S)).to_crs(WGS84)
    out["geometry"] = shapely.transform(out.geometry.values, lambda c: np.round(c, decimals))
    return out


def _feature_collection(gdf: gpd.GeoDataFrame, props: list[dict]) -> dict:
    feats = []
    for geom, p in zip(gdf.geometry.values, props):
        if geom is None or geom.is_empty:
            continue
        feats.append({"type": "Feature", "properties": p, "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": feats}


def _tooltip(row, label_col, tooltip_cols, language, prefix=None):
    if tooltip_cols:
        title = None if label_col is None else " ".join(x for x in (prefix, _text(row.get(label_col), language)) if x)
        return {"title": title, "rows": [[lab, _text(row.get(col), language)] for col, lab in tooltip_cols.items()]}
    if label_col is None:
        return None
    return " ".join(x for x in (prefix, _text(row.get(label_col), language)) if x)


def add_boundaries(m: folium.Map, gdf: gpd.GeoDataFrame, *, name: str, label_col: str | None = "nama",
                   style: dict | None = None, tooltip_cols=None, show: bool = True, simplify_m: float = 20.0,
                   interactive: bool = True, tooltip_prefix: str | None = None) -> folium.FeatureGroup:
    """Polygon layer (switchable in the layer control) with escaped tooltips.

    Parameters
    ----------
    m : folium.Map
    gdf : GeoDataFrame
        Polygons in any CRS.
    name : str
        Layer name in the layer control (escaped).
    label_col : str or None
        Column whose value is the tooltip text.
    style : dict, optional
        Leaflet path options, e.g. ``{"color": "#333", "weight": 2, "fillOpacity": 0}``.
    tooltip_cols : dict or list, optional
        Columns shown in the tooltip as a small table (``{column: label}``).
    show : bool
        Whether the layer is on when the page opens.
    simplify_m : float
        Simplification tolerance in metres (UTM 48S); 0 keeps the geometry as it is.
    interactive : bool
        False for outlines that should not catch the mouse (no tooltip).
    tooltip_prefix : str, optional
        Text put before the label, e.g. "Kecamatan".

    Returns
    -------
    folium.FeatureGroup
    """
    spec = _shapes_spec(gdf, getattr(m, "recap_language", "id"), label_col=label_col, style=style,
                        tooltip_cols=tooltip_cols, simplify_m=simplify_m, interactive=interactive,
                        tooltip_prefix=tooltip_prefix)
    group = folium.FeatureGroup(name=html.escape(str(name)), show=show)
    group.add_child(_Call("shapes", spec))
    group.add_to(m)
    return group


def _shapes_spec(gdf, lang, *, label_col="nama", style=None, tooltip_cols=None, simplify_m=20.0,
                 interactive=True, tooltip_prefix=None) -> dict:
    style = {"color": "#555555", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.05, **(style or {})}
    simple = simplify_polygons(gdf, simplify_m)
    cols = _cols(tooltip_cols)
    props = [{"t": _tooltip(r, label_col, cols, lang, tooltip_prefix) if interactive else None}
             for _, r in gdf.iterrows()]
    return {"data": _feature_collection(simple, props), "style": style, "interactive": bool(interactive)}


def _classify(values: pd.Series, bins=None, labels=None, colors=None, language="id"):
    """Colour per value and legend items for a numeric (binned) or categorical column."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and labels is None
    if numeric:
        v = pd.to_numeric(values, errors="coerce")
        if bins is None:
            finite = v.dropna()
            bins = sorted(set(np.quantile(finite, np.linspace(0, 1, 6)).tolist())) if len(finite) else [0, 1]
            if len(bins) < 2:
                bins = [bins[0], bins[0] + 1]
        bins = list(bins)
        k = len(bins) - 1
        colors = list(colors or (_SEQUENTIAL if k <= 5 else _SEQUENTIAL * 2))[:k]
        idx = np.clip(np.searchsorted(bins, v.to_numpy(dtype=float), side="right") - 1, 0, k - 1)
        col = [(_NO_DATA if pd.isna(x) else colors[i]) for x, i in zip(v, idx)]
        items = [{"swatch": {"fill": colors[i], "shape": "square"},
                  "label": f"{_text(bins[i], language)} – {_text(bins[i + 1], language)}"} for i in range(k)]
    else:
        labels = dict(labels or {})
        cats = list(labels) or sorted(values.dropna().unique().tolist(), key=str)
        colors = list(colors or _QUALITATIVE)
        lut = {c: colors[i % len(colors)] for i, c in enumerate(cats)}
        col = [lut.get(x, _NO_DATA) for x in values]
        items = [{"swatch": {"fill": lut[c], "shape": "square"}, "label": str(labels.get(c, _text(c, language)))}
                 for c in cats]
    if any(c == _NO_DATA for c in col):
        items.append({"swatch": {"fill": _NO_DATA, "shape": "square"}, "label": label("no_data", language)})
    return col, items


def add_choropleth(m: folium.Map, gdf: gpd.GeoDataFrame, column: str, *, name: str, legend_title: str,
                   labels: dict | None = None, tooltip_cols=None, bins=None, colors=None, label_col: str = "nama",
                   show: bool = True, simplify_m: float = 20.0, fill_opacity: float = 0.7,
                   legend_position: str = "bottomright") -> folium.FeatureGroup:
    """Polygons coloured by ``column``, with escaped tooltips and their own legend.

    Parameters
    ----------
    column : str
        Numeric column (classed by ``bins``: edges, default 5 quantile classes) or a categorical
        column (one colour per category; ``labels`` maps category -> legend label and fixes the
        order).  Missing values are grey and get a "no data" legend entry.
    name, legend_title : str
        Layer name and legend heading (both escaped).
    tooltip_cols : dict or list, optional
        ``{column: label}`` shown in the tooltip under the ``label_col`` value.
    colors : list of str, optional
        One colour per class/category.

    Returns
    -------
    folium.FeatureGroup
    """
    lang = getattr(m, "recap_language", "id")
    if column not in gdf.columns:
        raise KeyError(f"column {column!r} is not in the data (columns: {', '.join(map(str, gdf.columns))})")
    fills, items = _classify(gdf[column], bins, labels, colors, lang)
    simple = simplify_polygons(gdf, simplify_m)
    cols = _cols(tooltip_cols) or {column: legend_title}
    props = [{"t": _tooltip(r, label_col, cols, lang),
              "s": {"color": "#444444", "weight": 0.8, "fillColor": f, "fillOpacity": fill_opacity}}
             for (_, r), f in zip(gdf.iterrows(), fills)]
    group = folium.FeatureGroup(name=html.escape(str(name)), show=show)
    group.add_child(_Call("shapes", {"data": _feature_collection(simple, props), "interactive": True,
                                     "style": {"color": "#444444", "weight": 0.8}}))
    group.add_to(m)
    add_legend(m, legend_title, [(it["swatch"], it["label"]) for it in items], position=legend_position)
    return group


def add_points(m: folium.Map, gdf: gpd.GeoDataFrame, *, name: str, popup_cols, tooltip_col: str | None,
               style_col: str | None = None, styles: dict | None = None, default_style: dict | None = None,
               title_col: str | None = None, note_col: str | None = None, class_name: str = "recap-point",
               show: bool = True, cluster: bool = False, max_markers: int = 5000) -> folium.FeatureGroup:
    """Circle-marker layer with escaped popups and tooltips.

    Parameters
    ----------
    gdf : GeoDataFrame
        Points (any CRS; shown in EPSG:4326).
    name : str
        Layer name (escaped).
    popup_cols : dict or list
        ``{column: label}`` rows of the popup table.
    tooltip_col : str or None
        Column shown on hover.
    style_col, styles : optional
        Per-row style: ``styles[row[style_col]]`` (Leaflet path options) over ``default_style``.
        Every marker gets the CSS class ``class_name`` and ``{class_name}-{value}``.
    title_col, note_col : str, optional
        Popup heading and a highlighted note (e.g. "position is approximate"); empty notes are
        left out.
    cluster : bool
        Group markers with Leaflet.markercluster (needed for thousands of points).
    max_markers : int
        Refuse more unclustered markers than this; aggregate or cluster large layers
        (30,000 TPS must never become 30,000 individual markers).

    Returns
    -------
    folium.FeatureGroup
    """
    if len(gdf) > max_markers and not cluster:
        raise ValueError(f"{len(gdf)} markers in layer {name!r} would make the page too heavy; "
                         "pass cluster=True or aggregate the points (e.g. per kelurahan)")
    spec = _points_spec(gdf, getattr(m, "recap_language", "id"), popup_cols=popup_cols, tooltip_col=tooltip_col,
                        style_col=style_col, styles=styles, default_style=default_style, title_col=title_col,
                        note_col=note_col, class_name=class_name, cluster=cluster)
    group = folium.FeatureGroup(name=html.escape(str(name)), show=show)
    group.add_child(_Call("points", spec))
    group.add_to(m)
    group.recap_rows = spec["rows"]
    return group


def _points_spec(gdf, lang, *, popup_cols, tooltip_col, style_col=None, styles=None, default_style=None,
                 title_col=None, note_col=None, class_name="recap-point", cluster=False) -> dict:
    pts = gdf.to_crs(WGS84) if gdf.crs is not None and gdf.crs != WGS84 else gdf
    cols = _cols(popup_cols)
    base = {"radius": 5, "weight": 1.5, "color": "#333333", "fillColor": "#3388ff", "fillOpacity": 0.8,
            "pane": "markerPane", **(default_style or {})}
    rows = []
    for _, r in pts.iterrows():
        g = r.geometry
        if g is None or g.is_empty:
            continue
        key = None if style_col is None else r.get(style_col)
        st = {**base, **((styles or {}).get(key, {}))}
        cls = class_name if key is None else f"{class_name} {class_name}-{re.sub(r'[^a-z0-9_-]+', '-', str(key).lower())}"
        st["className"] = " ".join(x for x in (cls, st.get("className")) if x)
        note = None if note_col is None else r.get(note_col)
        popup = {"title": None if title_col is None else _text(r.get(title_col), lang),
                 "note": None if note is None or (isinstance(note, float) and math.isnan(note)) or note == ""
                 else str(note),
                 "rows": [[str(lab), _text(r.get(c), lang)] for c, lab in cols.items()]}
        rows.append({"lat": round(float(g.y), 6), "lon": round(float(g.x), 6), "style": st, "popup": popup,
                     "tooltip": None if tooltip_col is None else _text(r.get(tooltip_col), lang)})
    return {"rows": rows, "cluster": bool(cluster)}


def add_legend(m: folium.Map, title: str, items, *, position: str = "bottomright") -> None:
    """Legend box; all text is escaped.

    Parameters
    ----------
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
    m.add_child(_Call("legend", {"title": str(title), "items": spec, "position": position}))


def add_inset(m: folium.Map, *, title: str, bounds, shapes: list[dict] = (), points: list[dict] = (),
              button: str | None = None, position: str = "bottomleft") -> None:
    """A small second map in a corner (e.g. Kepulauan Seribu), same tiles as ``m``.

    ``shapes`` and ``points`` are runtime specs of layers (:func:`layer_spec` of a group made by
    :func:`add_boundaries` / :func:`add_choropleth` / :func:`add_points`, filtered as needed);
    clicking a feature of the inset or its button fits the main map to ``bounds``.
    """
    m.add_child(_Call("inset", {"title": str(title), "bounds": _bounds(bounds), "shapes": list(shapes),
                                "points": list(points), "button": button, "position": position,
                                "tiles": getattr(m, "recap_tiles", None)}))


def layer_spec(group: folium.FeatureGroup) -> dict:
    """The runtime spec of a layer made by :func:`add_boundaries`, :func:`add_choropleth` or
    :func:`add_points` (e.g. to reuse it, filtered, in :func:`add_inset`)."""
    return next(c for c in group._children.values() if isinstance(c, _Call)).spec


def stable_ids(m: folium.Map) -> None:
    """Give every element of the page a deterministic id, in tree order.

    folium names each element by a random ``uuid4`` (``map_3f2a…``), so two saves of the same map
    differ in every variable name; with ids numbered in the order of the element tree, the same
    inputs write byte-identical files and two reports can be compared with ``diff``.

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
    path : path-like
        Target file; parent folders are created.
    offline : bool, optional
        Inline Leaflet (and MarkerCluster) from the ``xstatic`` packages so the page needs no
        network except for basemap tiles.  Default: ``m.recap_offline`` if set, else True.

    Raises
    ------
    ValueError
        In offline mode, if the page would still load a script or stylesheet from the network.
    """
    if offline is None:
        offline = getattr(m, "recap_offline", True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stable_ids(m)
    page = m.get_root().render()
    if offline:
        page = _offline.inline_assets(page)
    path.write_text(page, encoding="utf-8")
    return path


def embed_map(path, *, height: int = 560):
    """Show a saved map file inline in a notebook, as an iframe whose ``srcdoc`` is the file.

    Unlike displaying the ``folium.Map`` itself, this shows exactly the saved deliverable, and
    an offline map stays visible without network in the code-free HTML report of the batch
    runner (the file's own text is HTML-escaped into the attribute, so nothing leaks out of the
    frame).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.html"
    >>> _ = f.write_text('<p title="a">x & y</p>', encoding="utf-8")
    >>> embed_map(f, height=100).data[:66]
    '<iframe srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y&lt;/p&gt;" '
    """
    text = Path(path).read_text(encoding="utf-8")
    return _Embedded(f'<iframe srcdoc="{html.escape(text, quote=True)}" sandbox="allow-scripts allow-popups" '
                     f'style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe>')


class _Embedded:
    """Rich-display wrapper (IPython.display.HTML warns about any iframe it is given)."""

    def __init__(self, data: str):
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


#: Names of :mod:`helpers.recap_map` that stay importable from here (the notebooks used to).
_FROM_RECAP_MAP = ("kota_code", "recap_figures", "recap_sites_map")


def __getattr__(name: str):
    """``from helpers.maps import recap_sites_map`` still works, without an import cycle
    (recap_map builds on this module, so it is imported only when such a name is asked for)."""
    if name in _FROM_RECAP_MAP:
        from . import recap_map

        return getattr(recap_map, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
