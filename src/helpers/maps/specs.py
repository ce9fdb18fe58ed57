"""Layers as data: what the runtime's ``RecapMap.shapes`` and ``RecapMap.points`` draw.

A :class:`LayerSpec` is built from a GeoDataFrame by :func:`shapes_spec`, :func:`choropleth_spec`
or :func:`points_spec`; it is plain JSON-ready data plus the positions of the source rows it drew,
so a part of it can be reused elsewhere (:meth:`LayerSpec.select`: the inset map).  Nothing here
knows folium; :mod:`helpers.maps.layers` puts specs on a map.

* **Data never becomes markup**: every text goes into the spec as a plain string; the runtime
  shows it with ``textContent``.
* **Small files**: polygons are simplified in metres (their province's UTM zone) with shared borders kept
  (:func:`simplify_polygons`) and rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from helpers.core import text
from helpers.core.geo import WGS84, metric_crs

__all__ = ["NO_DATA", "SEQUENTIAL", "QUALITATIVE", "display_text", "simplify_polygons", "LayerSpec", "shapes_spec",
           "points_spec", "classify", "choropleth_spec"]

#: Text of a missing value in popups and tooltips (an em dash).
MISSING = "—"
#: Fill of polygons without a value.
NO_DATA = "#cccccc"
#: Default colours of numeric classes (ColorBrewer YlGnBu) and of categories (Dark2).
SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
QUALITATIVE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def display_text(value, language: str = "id") -> str:
    """Display text of a data value in popups and tooltips ('—' for missing, thousands separators).

    Numbers go through :func:`helpers.core.text.fmt_number`: whole numbers without decimals, others with
    2; a missing value is an em dash (the reports write an en dash).

    Parameters
    ----------
    value : object
        Number, bool, text or a missing value.
    language : {"id", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> display_text(30766, "id"), display_text(1234.5, "en"), display_text(None), display_text(True, "en")
    ('30.766', '1,234.50', '—', 'Yes')
    """
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return text.fmt_bool(value, language)
    if isinstance(value, (int, np.integer, float, np.floating)):
        whole = isinstance(value, (int, np.integer)) or float(value).is_integer()
        return text.fmt_number(int(value) if whole else value, language, 0 if whole else 2, missing=MISSING)
    return str(value)


def _as_columns(cols) -> dict:
    """``{column: label}`` from such a dict or a list of columns (their own labels)."""
    if cols is None:
        return {}
    return dict(cols) if isinstance(cols, dict) else {c: c for c in cols}


def simplify_polygons(gdf: gpd.GeoDataFrame, tolerance_m: float = 20.0, decimals: int = 5) -> gpd.GeoDataFrame:
    """Polygons simplified in metres (the UTM zone of their province, :func:`helpers.core.geo.metric_crs`;
    DKI: UTM 48S), returned in EPSG:4326 with rounded coordinates.

    Polygons of one administrative level form a *coverage*; it is first made exact with
    :func:`shapely.coverage_clean` (shapely >= 2.2; removes overlaps and gaps narrower than 1 m
    where neighbouring sources disagree) and then simplified with
    :func:`shapely.coverage_simplify`, which simplifies each shared border once so neighbours
    keep meeting exactly.  Input that is no coverage (overlapping polygons) is simplified polygon
    by polygon with :func:`shapely.simplify` (topology preserved).

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons with a CRS.
    tolerance_m : float
        Tolerance in metres; 0 keeps the shapes (only reprojects and rounds).
    decimals : int
        Decimals of the output coordinates (5 = about 1 m).

    Returns
    -------
    GeoDataFrame

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:32748")
    >>> out = simplify_polygons(g, 1.0)
    >>> len(out), out.crs.to_epsg()
    (2, 4326)
    """
    if gdf.crs is None:
        raise ValueError("the polygons have no CRS; set it (EPSG:4326 for lon/lat) before mapping")
    crs = metric_crs(gdf)
    utm = gdf.to_crs(crs)
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
    out = utm.set_geometry(gpd.GeoSeries(geoms, index=utm.index, crs=crs)).to_crs(WGS84)
    out["geometry"] = shapely.transform(out.geometry.values, lambda c: np.round(c, decimals))
    return out


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the runtime draws it.

    Attributes
    ----------
    kind : {"shapes", "points"}
        The runtime function that draws it.
    data : dict
        Its JSON argument: ``{"data": FeatureCollection, "style", "interactive"}`` (shapes) or
        ``{"rows": [{"lat", "lon", "style", "popup", "tooltip"}, ...], "cluster"}`` (points).
    drawn : tuple of int
        For each feature (shapes) or row (points): its position in the frame the layer was built
        from (rows without geometry are not drawn).
    n_source : int
        Number of rows of that frame.
    """

    kind: str
    data: dict
    drawn: tuple[int, ...]
    n_source: int

    def select(self, keep) -> LayerSpec:
        """The same layer with only the rows of the source frame where ``keep`` is true.

        Parameters
        ----------
        keep : sequence of bool
            One value per row of the source frame (truthy values count as true).

        Returns
        -------
        LayerSpec
        """
        keep = [bool(k) for k in keep]
        if len(keep) != self.n_source:
            raise ValueError(f"keep has {len(keep)} values for a layer built from {self.n_source} rows")
        pick = [i for i, pos in enumerate(self.drawn) if keep[pos]]
        if self.kind == "shapes":
            feats = self.data["data"]["features"]
            data = {**self.data, "data": {**self.data["data"], "features": [feats[i] for i in pick]}}
        else:
            rows = self.data["rows"]
            data = {**self.data, "rows": [rows[i] for i in pick]}
        return replace(self, data=data, drawn=tuple(self.drawn[i] for i in pick))

    def without_popups(self) -> LayerSpec:
        """The same points with their tooltips but no popups (e.g. in an inset map, where a click moves the map)."""
        return replace(self, data={**self.data, "rows": [{**r, "popup": None} for r in self.data["rows"]]})


def _tooltip(row, label_col, tooltip_cols, language, prefix=None):
    if tooltip_cols:
        title = None if label_col is None else " ".join(
            x for x in (prefix, display_text(row.get(label_col), language)) if x)
        return {"title": title, "rows": [[lab, display_text(row.get(col), language)] for col, lab in tooltip_cols.items()]}
    if label_col is None:
        return None
    return " ".join(x for x in (prefix, display_text(row.get(label_col), language)) if x)


def _polygons_spec(simple: gpd.GeoDataFrame, props: list[dict], options: dict) -> LayerSpec:
    """Features of the non-empty polygons; ``options`` (``style``, ``interactive``) follow ``data`` in the spec."""
    feats, drawn = [], []
    for i, (geom, p) in enumerate(zip(simple.geometry.values, props)):
        if geom is None or geom.is_empty:
            continue
        feats.append({"type": "Feature", "properties": p, "geometry": json.loads(shapely.to_geojson(geom))})
        drawn.append(i)
    data = {"data": {"type": "FeatureCollection", "features": feats}, **options}
    return LayerSpec("shapes", data, tuple(drawn), len(simple))


def shapes_spec(gdf: gpd.GeoDataFrame, language: str = "id", *, label_col: str | None = "nama",
                style: dict | None = None, tooltip_cols=None, simplify_m: float = 20.0, interactive: bool = True,
                tooltip_prefix: str | None = None) -> LayerSpec:
    """Polygons with tooltips, for :func:`add_boundaries` (parameters as there).

    Returns
    -------
    LayerSpec
    """
    style = {"color": "#555555", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.05, **(style or {})}
    cols = _as_columns(tooltip_cols)
    props = [{"t": _tooltip(r, label_col, cols, language, tooltip_prefix) if interactive else None}
             for _, r in gdf.iterrows()]
    return _polygons_spec(simplify_polygons(gdf, simplify_m), props, {"style": style, "interactive": bool(interactive)})


def points_spec(gdf: gpd.GeoDataFrame, language: str = "id", *, popup_cols, tooltip_col: str | None,
                style_col: str | None = None, styles: dict | None = None, default_style: dict | None = None,
                title_col: str | None = None, note_col: str | None = None, class_name: str = "recap-point",
                cluster: bool = False) -> LayerSpec:
    """Circle markers with popups and tooltips, for :func:`add_points` (parameters as there).

    Returns
    -------
    LayerSpec
    """
    pts = gdf.to_crs(WGS84) if gdf.crs is not None and gdf.crs != WGS84 else gdf
    cols = _as_columns(popup_cols)
    base = {"radius": 5, "weight": 1.5, "color": "#333333", "fillColor": "#3388ff", "fillOpacity": 0.8,
            "pane": "markerPane", **(default_style or {})}
    rows, drawn = [], []
    for i, (_, r) in enumerate(pts.iterrows()):
        g = r.geometry
        if g is None or g.is_empty:
            continue
        key = None if style_col is None else r.get(style_col)
        st = {**base, **((styles or {}).get(key, {}))}
        cls = class_name if key is None else f"{class_name} {class_name}-{re.sub(r'[^a-z0-9_-]+', '-', str(key).lower())}"
        st["className"] = " ".join(x for x in (cls, st.get("className")) if x)
        note = None if note_col is None else r.get(note_col)
        popup = {"title": None if title_col is None else display_text(r.get(title_col), language),
                 "note": None if note is None or (isinstance(note, float) and math.isnan(note)) or note == ""
                 else str(note),
                 "rows": [[str(lab), display_text(r.get(c), language)] for c, lab in cols.items()]}
        rows.append({"lat": round(float(g.y), 6), "lon": round(float(g.x), 6), "style": st, "popup": popup,
                     "tooltip": None if tooltip_col is None else display_text(r.get(tooltip_col), language)})
        drawn.append(i)
    return LayerSpec("points", {"rows": rows, "cluster": bool(cluster)}, tuple(drawn), len(pts))



def classify(values: pd.Series, bins=None, labels: dict | None = None, colors=None,
             language: str = "id") -> tuple[list[str], list[dict]]:
    """Colour per value and legend items, for a numeric (binned) or a categorical column.

    Parameters
    ----------
    values : Series
    bins, labels, colors
        As in :func:`add_choropleth`.
    language : {"id", "en"}

    Returns
    -------
    colours : list of str
        One per value (:data:`NO_DATA` for missing ones).
    items : list of dict
        Legend items ``{"swatch", "label"}``.

    Examples
    --------
    >>> classify(pd.Series([1.0, 7.0, None]), bins=[0, 5, 10], colors=["#aaa", "#bbb"])[0]
    ['#aaa', '#bbb', '#cccccc']
    """
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
        colors = list(colors or (SEQUENTIAL if k <= 5 else SEQUENTIAL * 2))[:k]
        idx = np.clip(np.searchsorted(bins, v.to_numpy(dtype=float), side="right") - 1, 0, k - 1)
        col = [(NO_DATA if pd.isna(x) else colors[i]) for x, i in zip(v, idx)]
        items = [{"swatch": {"fill": colors[i], "shape": "square"},
                  "label": f"{display_text(bins[i], language)} – {display_text(bins[i + 1], language)}"}
                 for i in range(k)]
    else:
        labels = dict(labels or {})
        cats = list(labels) or sorted(values.dropna().unique().tolist(), key=str)
        colors = list(colors or QUALITATIVE)
        lut = {c: colors[i % len(colors)] for i, c in enumerate(cats)}
        col = [lut.get(x, NO_DATA) for x in values]
        items = [{"swatch": {"fill": lut[c], "shape": "square"},
                  "label": str(labels.get(c, display_text(c, language)))} for c in cats]
    if any(c == NO_DATA for c in col):
        items.append({"swatch": {"fill": NO_DATA, "shape": "square"}, "label": text.label("map_no_data", language)})
    return col, items


def choropleth_spec(gdf: gpd.GeoDataFrame, column: str, language: str = "id", *, legend_title: str,
                    labels: dict | None = None, tooltip_cols=None, bins=None, colors=None, label_col: str = "nama",
                    simplify_m: float = 20.0, fill_opacity: float = 0.7) -> tuple[LayerSpec, list[dict]]:
    """Polygons coloured by ``column`` and their legend items, for :func:`helpers.maps.add_choropleth`.

    Parameters
    ----------
    gdf : GeoDataFrame
    column : str
        Numeric or categorical column (see :func:`classify`).
    language : {"id", "en"}
    legend_title : str
        Tooltip label of ``column`` when no ``tooltip_cols`` are given.
    labels, bins, colors
        As in :func:`classify`.
    tooltip_cols : dict or list, optional
        ``{column: label}`` shown in the tooltip under the ``label_col`` value.
    label_col : str
    simplify_m : float
    fill_opacity : float

    Returns
    -------
    spec : LayerSpec
    items : list of dict
        Legend items ``{"swatch", "label"}``.
    """
    if column not in gdf.columns:
        raise KeyError(f"column {column!r} is not in the data (columns: {', '.join(map(str, gdf.columns))})")
    fills, items = classify(gdf[column], bins, labels, colors, language)
    cols = _as_columns(tooltip_cols) or {column: legend_title}
    props = [{"t": _tooltip(r, label_col, cols, language),
              "s": {"color": "#444444", "weight": 0.8, "fillColor": f, "fillOpacity": fill_opacity}}
             for (_, r), f in zip(gdf.iterrows(), fills)]
    spec = _polygons_spec(simplify_polygons(gdf, simplify_m), props,
                          {"interactive": True, "style": {"color": "#444444", "weight": 0.8}})
    return spec, items
