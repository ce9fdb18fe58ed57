"""The map of the national overview (notebook 04): kecamatan coloured by TPS per PPK site, province borders, search.

Built on :mod:`helpers.maps` (``base_map``, ``add_title``, ``add_legend``, ``save_map``: Leaflet
only, inlined offline) with one extra layer for the 7,285 kecamatan of Indonesia, which would be
too heavy as GeoJSON (325,000 vertices):

* **Compact geometry.**  The map-ready kecamatan (already simplified with shared borders kept,
  :mod:`helpers.prepare.national_geom`) are rounded to 5 decimals (about 1 m) and written as one flat list
  of integer *differences* between successive vertices plus the number of vertices per ring, rings
  per polygon and polygons per kecamatan (:func:`encode_polygons`): about 3 MB for all Indonesia
  instead of about 7 MB of GeoJSON.  Drawn on a canvas renderer (fast with many polygons).
* **Province borders** are the edges that two kecamatan of different provinces share
  (:func:`province_borders`), merged into lines: land borders only; coasts are the kecamatan's.
* **Safe text.**  Names and labels travel as JSON in a ``<script type="application/json">`` element
  (:func:`jinja2.utils.htmlsafe_json_dumps`: ``<``, ``>``, ``&``, ``'`` escaped) and reach the page
  only through ``textContent`` (popups are ``RecapMap.card`` of :mod:`helpers.maps`; search results
  are built with ``createElement``).  The layer's runtime is ``helpers/maps/static/overview_map.js``.
* **Search**: a small text box finds a kab/kota or kecamatan by name (letters and digits compared,
  case ignored) and zooms to it.

When the layer is on the page, the map container gets ``data-overview-polygons`` (the number of
kecamatan drawn) and ``window.overviewReady`` (``performance.now()`` at that moment).

With the recapitulation operations of the overview (:func:`helpers.analysis.overview.operations_rollup`), one more
layer (:func:`add_operations_layer`, in the layer control): the kab/kota that would need more panels or more
bandwidth, a marker at each one's most loaded PPK site (approximate), popups with days, panels short and Mbps.

The files and the reader report of notebook 04 are :mod:`helpers.reports.overview`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from helpers.analysis.overview import Overview
from helpers.core import provenance, text
from helpers.maps.layers import add_points
from helpers.maps.page import add_legend, add_title, base_map, save_map
from helpers.maps.runtime import static_text

DECIMALS = 5
#: Classes of TPS per PPK site (lower edges) and their colours (ColorBrewer YlOrRd).
BINS = [0, 25, 50, 100, 200, 400, 800]
COLORS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"]

#: The layer's runtime and stylesheet (package data of :mod:`helpers.maps`); the runtime uses ``RecapMap``.
RUNTIME_JS, RUNTIME_CSS = "overview_map.js", "overview_map.css"


class OverviewLayer(MacroElement):
    """``OverviewMap.draw(<map>, <data>)``; the runtime and its CSS go in the page header, the data in a
    ``<script type="application/json">`` element of the body, read with ``JSON.parse(textContent)``:
    data, never code.

    Attributes
    ----------
    data : dict
        The JSON argument of ``OverviewMap.draw`` (see :func:`overview_map`).
    """

    _template = Template("{% macro html(this, kwargs) %}<script type=\"application/json\" "
                         "id=\"{{ this.get_name() }}\">{{ this.payload }}</script>{% endmacro %}"
                         "{% macro script(this, kwargs) %}OverviewMap.draw({{ this._parent.get_name() }}, JSON.parse("
                         "document.getElementById(\"{{ this.get_name() }}\").textContent));{% endmacro %}")

    def __init__(self, data: dict):
        super().__init__()
        self._name = "OverviewMap"
        self.data = data

    def render(self, **kwargs) -> None:
        """Serialise the data and add the runtime files to the page header (folium's render step)."""
        self.payload = htmlsafe_json_dumps(self.data, separators=(",", ":"), ensure_ascii=False)
        root = self.get_root()
        root.header.add_child(Element(f"<style>\n{static_text(RUNTIME_CSS)}</style>"), name="overview_map_css")
        root.header.add_child(Element(f"<script>\n{static_text(RUNTIME_JS)}</script>"), name="overview_map_runtime")
        super().render(**kwargs)


# ---------------------------------------------------------------------------------------------
# geometry encoding
# ---------------------------------------------------------------------------------------------
def _deltas(q: np.ndarray) -> list[int]:
    """Interleaved x, y differences between successive integer vertices (the first from 0, 0)."""
    return np.diff(q, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel().tolist()


def encode_polygons(geoms, decimals: int = DECIMALS) -> dict:
    """Polygons as ``{"d": deltas, "r": vertices per ring, "p": rings per polygon, "f": polygons per
    feature}`` on a grid of ``10**-decimals`` degrees.

    Rings are written open (no closing vertex); a vertex equal to the one before it after rounding
    is dropped; a ring left with fewer than 3 vertices is dropped, and so is a polygon whose outer
    ring is dropped (a feature may end with no polygon).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> e = encode_polygons([box(106.0, -6.0, 106.00002, -5.99999)])
    >>> e["d"], e["r"], e["p"], e["f"]
    ([10600002, -600000, 0, 1, -2, 0, 0, -1], [4], [1], [1])
    """
    geoms = np.array([g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms], dtype=object)
    _, xy, (ro, po, mo) = shapely.to_ragged_array(geoms)
    q = np.round(xy * 10 ** decimals).astype(np.int64)
    n_ring, n_poly = len(ro) - 1, len(po) - 1
    ring = np.repeat(np.arange(n_ring), np.diff(ro))
    keep = np.ones(len(q), bool)
    keep[ro[1:] - 1] = False  # the closing vertex
    keep[1:] &= ~((q[1:] == q[:-1]).all(axis=1) & (ring[1:] == ring[:-1]))
    ring_len = np.bincount(ring[keep], minlength=n_ring)
    poly = np.repeat(np.arange(n_poly), np.diff(po))
    poly_ok = np.ones(n_poly, bool)
    poly_ok[poly[(np.arange(n_ring) == po[poly]) & (ring_len < 3)]] = False
    ring_ok = (ring_len >= 3) & poly_ok[poly]
    feature = np.repeat(np.arange(len(mo) - 1), np.diff(mo))
    return {"d": _deltas(q[keep & ring_ok[ring]]), "r": ring_len[ring_ok].tolist(),
            "p": np.bincount(poly[ring_ok], minlength=n_poly)[poly_ok].tolist(),
            "f": np.bincount(feature[poly_ok], minlength=len(mo) - 1).tolist()}


def encode_lines(lines, decimals: int = DECIMALS) -> dict:
    """Lines as ``{"d": deltas, "r": vertices per line}`` (see :func:`encode_polygons`)."""
    if not len(lines):
        return {"d": [], "r": []}
    _, xy, (lo,) = shapely.to_ragged_array(np.asarray(lines))
    return {"d": _deltas(np.round(xy * 10 ** decimals).astype(np.int64)), "r": np.diff(lo).tolist()}


def province_borders(geoms, provinces, decimals: int = DECIMALS) -> np.ndarray:
    """Lines where polygons of two different ``provinces`` meet: the edges (on the rounded grid)
    that occur in polygons of more than one province, merged.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> [g.wkt for g in province_borders([box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2)], ["a", "b", "a"])]
    ['LINESTRING (1 0, 1 1)']
    """
    geoms = np.asarray(geoms)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, vert_ring = shapely.get_coordinates(rings, return_index=True)
    q = np.round(xy * 10 ** decimals).astype(np.int64)
    same_ring = vert_ring[1:] == vert_ring[:-1]
    a, b = q[:-1][same_ring], q[1:][same_ring]
    prov = np.unique(np.asarray(provinces), return_inverse=True)[1][owner[ring_part[vert_ring[:-1][same_ring]]]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    seg = np.hstack([lo, hi])
    seg_ok = (lo != hi).any(axis=1)
    seg, prov = seg[seg_ok], prov[seg_ok]
    uniq, inv = np.unique(seg, axis=0, return_inverse=True)
    pmin = np.full(len(uniq), np.iinfo(np.int64).max)
    pmax = np.full(len(uniq), -1)
    np.minimum.at(pmin, inv.ravel(), prov)
    np.maximum.at(pmax, inv.ravel(), prov)
    border = uniq[pmin != pmax] / 10 ** decimals
    if not len(border):
        return np.array([], dtype=object)
    merged = shapely.line_merge(shapely.multilinestrings(shapely.linestrings(border.reshape(-1, 2, 2))))
    return shapely.get_parts(merged)


# ---------------------------------------------------------------------------------------------
# the map
# ---------------------------------------------------------------------------------------------
def legend_items(language: str = "id") -> list[tuple[str, str]]:
    """``(colour, label)`` of the TPS-per-site classes.

    Examples
    --------
    >>> legend_items("en")[0], legend_items("id")[-1]
    (('#ffffb2', '0–24'), ('#b10026', '≥ 800'))
    """
    n = lambda v: text.fmt_number(v, language)  # noqa: E731
    labels = [f"{n(lo)}–{n(hi - 1)}" for lo, hi in zip(BINS[:-1], BINS[1:])] + [f"≥ {n(BINS[-1])}"]
    return list(zip(COLORS, labels))


def overview_map(ov: Overview, kecamatan_map, *, basemap: str | None = "openstreetmap") -> folium.Map:
    """The map of an :class:`helpers.analysis.overview.Overview`: its kecamatan (from the map-ready layer
    ``kecamatan_map``: ``kode``, ``geometry``) coloured by TPS per PPK site, province borders,
    popups, a legend and the search box."""
    lang, s = ov.language, ov.sites
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    geo = kecamatan_map.set_index("kode").geometry.reindex(s["kecamatan_kode"]).to_numpy()
    if any(g is None for g in geo):
        raise ValueError("the map layer lacks kecamatan of the overview: is it the same national layer?")
    w, so, e, n = shapely.total_bounds(geo)
    m = base_map([[so, w], [n, e]], language=lang, basemap=basemap)
    add_title(m, L("ov_map_title", scope=ov.scope.title), subtitle=L("ov_map_subtitle"))
    kab_codes, kab = np.unique(s["kabkota_kode"].to_numpy(), return_inverse=True)
    first = s.drop_duplicates("kabkota_kode").set_index("kabkota_kode").loc[kab_codes]
    prov_codes, kab_prov = np.unique(first["provinsi_kode"].to_numpy(), return_inverse=True)
    prov_names = first.drop_duplicates("provinsi_kode").set_index("provinsi_kode").loc[prov_codes, "provinsi"]
    km, num = (lambda v: text.fmt_km(v, lang, 2)), (lambda v: text.fmt_number(v, lang))
    values = [[num(t), num(d), km(md), km(mx), num(sea)] for t, d, md, mx, sea in zip(
        s["tps"], s["n_desa"], s["distance_median_km"], s["distance_max_km"], s["n_desa_sea_crossing"])]
    # a kab/kota found by the search opens a card of its own figures (issue 22): its kecamatan, TPS and desa
    # summed over its kecamatan, and the kecamatan with the most TPS
    per_kab = s.groupby("kabkota_kode").agg(n_kec=("kecamatan", "size"), tps=("tps", "sum"), desa=("n_desa", "sum"))
    per_kab = per_kab.loc[kab_codes]
    top = s.loc[s.groupby("kabkota_kode")["tps"].idxmax()].set_index("kabkota_kode").loc[kab_codes, "kecamatan"]
    kab_values = [[num(a), num(b), num(c), str(t)] for a, b, c, t in zip(
        per_kab["n_kec"], per_kab["tps"], per_kab["desa"], top)]
    borders = province_borders(geo, s["provinsi_kode"].to_numpy()) if len(prov_codes) > 1 else []
    data = {"scale": 10 ** DECIMALS, "kec": encode_polygons(geo), "borders": encode_lines(borders),
            "names": s["kecamatan"].astype(str).tolist(), "kab": kab.tolist(),
            "kabNames": first["kabkota"].astype(str).tolist(), "kabProv": kab_prov.tolist(),
            "provNames": prov_names.astype(str).tolist(),
            "c": (np.searchsorted(BINS, s["tps"].to_numpy(), side="right") - 1).clip(0).tolist(),
            "colors": COLORS, "values": values, "kabValues": kab_values,
            "labels": {"note": L("ov_map_note"), "kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"),
                       "kecamatan": L("col_kecamatan"),
                       "search": L("ov_map_search"), "none": L("ov_map_none"),
                       "rows": [L("ov_map_tps"), L("ov_col_desa"), L("ov_map_median"), L("ov_map_max"),
                                L("ov_col_sea")],
                       "kabNote": L("map_ov_kab_note"),
                       "kabRows": [L("map_ov_kab_n_kec"), L("map_ov_kab_tps"), L("ov_col_desa"), L("map_ov_kab_top")]}}
    m.add_child(OverviewLayer(data))
    add_legend(m, L("ov_map_legend"), legend_items(lang))
    if ov.operations_kabkota is not None:
        add_operations_layer(m, ov)
    return m


#: Class name of the markers of the operations layer (plus ``ops-kabkota-<need>``); the browser test counts them.
OPS_CLASS = "ops-kabkota"
#: Marker colours of the operations layer by need.
OPS_COLORS = {"panels": "#d7191c", "bandwidth": "#7b3294", "both": "#000000"}


def add_operations_layer(m: folium.Map, ov: Overview) -> None:
    """The kab/kota that would need more panels or more bandwidth (central assumptions, either election) as a layer:
    a marker at each one's most loaded PPK site (an approximate position), coloured by the need, with popups."""
    lang, k = ov.language, ov.operations_kabkota
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    need = k[k["more_panels"] | k["more_bandwidth"]].copy()
    need["_need"] = np.where(need["more_panels"] & need["more_bandwidth"], "both",
                             np.where(need["more_panels"], "panels", "bandwidth"))
    need["_note"] = [L("op_nat_map_note", site=site) for site in need["site"]]
    need["_basis"] = provenance.basis_sentence("national_site", lang)  # issue 22: the approximate site, in words
    for e in ("pemilu2024", "pilkada2024"):
        need[f"_peak_{e}"] = [f"{text.fmt_number(v, lang, 2)} Mbps" for v in need[f"mbps_peak_max_{e}"]]
    pts = gpd.GeoDataFrame(need, geometry=gpd.points_from_xy(need["lon"], need["lat"]), crs="EPSG:4326")
    styles = {key: {"radius": 7, "fillColor": colour, "color": "#ffffff", "weight": 1.5, "fillOpacity": 0.9}
              for key, colour in OPS_COLORS.items()}
    rows = {"provinsi": L("ov_col_provinsi"), "n_sites": L("ov_col_sites"), "tps_pemilu2024": L("op_col_tps_pemilu"),
            "n_miss_pemilu2024": L("op_nat_col_miss_pemilu"), "panels_short_pemilu2024": L("op_nat_col_short_pemilu"),
            "days_max_pemilu2024": L("op_col_days_pemilu"), "_peak_pemilu2024": L("op_col_peak_pemilu"),
            "n_miss_pilkada2024": L("op_nat_col_miss_pilkada"),
            "panels_short_pilkada2024": L("op_nat_col_short_pilkada"), "_peak_pilkada2024": L("op_col_peak_pilkada"),
            "_basis": L("map_position_basis")}
    add_points(m, pts, name=L("op_nat_layer", n=text.fmt_number(len(pts), lang)), popup_cols=rows, tooltip_col="kabkota",
               title_col="kabkota", note_col="_note", style_col="_need", styles=styles, class_name=OPS_CLASS)
    add_legend(m, L("op_nat_legend"), [({"fill": c, "color": "#ffffff", "shape": "circle"}, L(f"op_nat_need_{key}"))
                                       for key, c in OPS_COLORS.items()], position="bottomleft")
    folium.LayerControl(collapsed=False).add_to(m)


def save(m: folium.Map, path, *, offline: bool = True):
    """Write the map as one standalone HTML file (:func:`helpers.maps.save_map`)."""
    return save_map(m, path, offline=offline)
