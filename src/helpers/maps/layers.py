"""Layers on a map: boundaries, choropleths and circle markers (switchable in the layer control).

Each builder makes a :class:`~helpers.maps.specs.LayerSpec` (:mod:`helpers.maps.specs`) in the
map's language and adds a :class:`Layer` that calls the runtime with it.  Layer names (which
Leaflet's layer control inserts as HTML) are passed through :func:`html.escape`; every other text
reaches the page as JSON.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from helpers.maps.page import LeafletMap, add_legend
from helpers.maps.runtime import RuntimeCall
from helpers.maps.specs import LayerSpec, choropleth_spec, points_spec, shapes_spec

__all__ = ["Layer", "add_boundaries", "add_choropleth", "add_points"]


class Layer(folium.FeatureGroup):
    """A switchable layer (an entry of the layer control) drawn by the runtime from its spec.

    Attributes
    ----------
    recap_spec : LayerSpec
        What the layer draws (e.g. ``layer.recap_spec.select(mask)`` for an inset map).
    """

    def __init__(self, spec: LayerSpec, *, name: str, show: bool = True):
        super().__init__(name=html.escape(str(name)), show=show)
        self.recap_spec = spec
        self.add_child(RuntimeCall(spec.kind, spec.data))


def add_boundaries(m: LeafletMap, gdf: gpd.GeoDataFrame, *, name: str, label_col: str | None = "nama",
                   style: dict | None = None, tooltip_cols=None, show: bool = True, simplify_m: float = 20.0,
                   interactive: bool = True, tooltip_prefix: str | None = None) -> Layer:
    """Polygon layer (switchable in the layer control) with escaped tooltips.

    Parameters
    ----------
    m : LeafletMap
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
    Layer
    """
    spec = shapes_spec(gdf, m.recap_language, label_col=label_col, style=style, tooltip_cols=tooltip_cols,
                       simplify_m=simplify_m, interactive=interactive, tooltip_prefix=tooltip_prefix)
    return Layer(spec, name=name, show=show).add_to(m)


def add_choropleth(m: LeafletMap, gdf: gpd.GeoDataFrame, column: str, *, name: str, legend_title: str,
                   labels: dict | None = None, tooltip_cols=None, bins=None, colors=None, label_col: str = "nama",
                   show: bool = True, simplify_m: float = 20.0, fill_opacity: float = 0.7,
                   legend_position: str = "bottomright") -> Layer:
    """Polygons coloured by ``column``, with escaped tooltips and their own legend.

    Parameters
    ----------
    m : LeafletMap
    gdf : GeoDataFrame
    column : str
        Numeric column (classed by ``bins``: edges, default 5 quantile classes) or a categorical
        column (one colour per category; ``labels`` maps category -> legend label and fixes the
        order).  Missing values are grey and get a "no data" legend entry.
    name, legend_title : str
        Layer name and legend heading (both escaped).
    labels : dict, optional
    tooltip_cols : dict or list, optional
        ``{column: label}`` shown in the tooltip under the ``label_col`` value.
    bins : list of float, optional
    colors : list of str, optional
        One colour per class/category.
    label_col : str
    show : bool
    simplify_m : float
    fill_opacity : float
    legend_position : str

    Returns
    -------
    Layer
    """
    spec, items = choropleth_spec(gdf, column, m.recap_language, legend_title=legend_title, labels=labels,
                                  tooltip_cols=tooltip_cols, bins=bins, colors=colors, label_col=label_col,
                                  simplify_m=simplify_m, fill_opacity=fill_opacity)
    group = Layer(spec, name=name, show=show).add_to(m)
    add_legend(m, legend_title, [(it["swatch"], it["label"]) for it in items], position=legend_position)
    return group


def add_points(m: LeafletMap, gdf: gpd.GeoDataFrame, *, name: str, popup_cols, tooltip_col: str | None,
               style_col: str | None = None, styles: dict | None = None, default_style: dict | None = None,
               title_col: str | None = None, note_col: str | None = None, class_name: str = "recap-point",
               show: bool = True, cluster: bool = False, max_markers: int = 5000) -> Layer:
    """Circle-marker layer with escaped popups and tooltips.

    Parameters
    ----------
    m : LeafletMap
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
    default_style : dict, optional
    title_col, note_col : str, optional
        Popup heading and a highlighted note (e.g. "position is approximate"); empty notes are
        left out.
    class_name : str
    show : bool
    cluster : bool
        Group markers with Leaflet.markercluster (needed for thousands of points).
    max_markers : int
        Refuse more unclustered markers than this; aggregate or cluster large layers
        (30,000 TPS must never become 30,000 individual markers).

    Returns
    -------
    Layer
    """
    if len(gdf) > max_markers and not cluster:
        raise ValueError(f"{len(gdf)} markers in layer {name!r} would make the page too heavy; "
                         "pass cluster=True or aggregate the points (e.g. per kelurahan)")
    spec = points_spec(gdf, m.recap_language, popup_cols=popup_cols, tooltip_col=tooltip_col, style_col=style_col,
                       styles=styles, default_style=default_style, title_col=title_col, note_col=note_col,
                       class_name=class_name, cluster=cluster)
    return Layer(spec, name=name, show=show).add_to(m)
