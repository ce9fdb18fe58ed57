"""Outputs of the national overview: the map (kecamatan coloured by TPS per site, search), files, report.

Built on :mod:`helpers.maps` (``base_map``, ``add_title``, ``add_legend``, ``save_map``: Leaflet
only, inlined offline) with one extra layer for the 7,285 kecamatan of Indonesia, which would be
too heavy as GeoJSON (325,000 vertices):

* **Compact geometry.**  The map-ready kecamatan (already simplified with shared borders kept,
  :mod:`helpers.national_geom`) are rounded to 5 decimals (about 1 m) and written as one flat list
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

The module also writes everything else a run of notebook 04 delivers (:func:`write_outputs`: CSV
tables, headline figures, the map) and builds its reader report (:func:`report_spec`), so that
:mod:`helpers.overview` stays the computation only.
"""

from __future__ import annotations

import json
from pathlib import Path

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from . import overview as ov_
from . import text
from .maps import add_legend, add_title, base_map, save_map
from .maps.runtime import static_text

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


def overview_map(ov, kecamatan_map, *, basemap: str | None = "openstreetmap") -> folium.Map:
    """The map of an :class:`helpers.overview.Overview`: its kecamatan (from the map-ready layer
    ``kecamatan_map``: ``kode``, ``geometry``) coloured by TPS per PPK site, province borders,
    popups, a legend and the search box."""
    lang, s = ov.language, ov.sites
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    geo = kecamatan_map.set_index("kode").geometry.reindex(s["kecamatan_kode"]).to_numpy()
    if any(g is None for g in geo):
        raise ValueError("the map layer lacks kecamatan of the overview: is it the same national layer?")
    w, so, e, n = shapely.total_bounds(geo)
    m = base_map([[so, w], [n, e]], language=lang, basemap=basemap)
    add_title(m, L("ov_map_title", scope=ov.scope["label"]), subtitle=L("ov_map_subtitle"))
    kab_codes, kab = np.unique(s["kabkota_kode"].to_numpy(), return_inverse=True)
    first = s.drop_duplicates("kabkota_kode").set_index("kabkota_kode").loc[kab_codes]
    prov_codes, kab_prov = np.unique(first["provinsi_kode"].to_numpy(), return_inverse=True)
    prov_names = first.drop_duplicates("provinsi_kode").set_index("provinsi_kode").loc[prov_codes, "provinsi"]
    km, num = (lambda v: text.fmt_km(v, lang, 2)), (lambda v: text.fmt_number(v, lang))
    values = [[num(t), num(d), km(md), km(mx), num(sea)] for t, d, md, mx, sea in zip(
        s["tps"], s["n_desa"], s["distance_median_km"], s["distance_max_km"], s["n_desa_sea_crossing"])]
    borders = province_borders(geo, s["provinsi_kode"].to_numpy()) if len(prov_codes) > 1 else []
    data = {"scale": 10 ** DECIMALS, "kec": encode_polygons(geo), "borders": encode_lines(borders),
            "names": s["kecamatan"].astype(str).tolist(), "kab": kab.tolist(),
            "kabNames": first["kabkota"].astype(str).tolist(), "kabProv": kab_prov.tolist(),
            "provNames": prov_names.astype(str).tolist(),
            "c": (np.searchsorted(BINS, s["tps"].to_numpy(), side="right") - 1).clip(0).tolist(),
            "colors": COLORS, "values": values,
            "labels": {"note": L("ov_map_note"), "kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"),
                       "kecamatan": L("col_kecamatan"),
                       "search": L("ov_map_search"), "none": L("ov_map_none"),
                       "rows": [L("ov_map_tps"), L("ov_col_desa"), L("ov_map_median"), L("ov_map_max"),
                                L("ov_col_sea")]}}
    m.add_child(OverviewLayer(data))
    add_legend(m, L("ov_map_legend"), legend_items(lang))
    return m


def save(m: folium.Map, path, *, offline: bool = True):
    """Write the map as one standalone HTML file (:func:`helpers.maps.save_map`)."""
    return save_map(m, path, offline=offline)


# ---------------------------------------------------------------------------------------------
# files and the reader report
# ---------------------------------------------------------------------------------------------
def write_outputs(ov: ov_.Overview, out_dir, layer: ov_.NationalLayer | None = None, *, offline: bool = True,
                  basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """CSV tables, the headline figures and (with ``layer``'s map-ready kecamatan) the map."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {k: out / v for k, v in ov_.FILES.items()}
    ov.provinsi.to_csv(files["provinsi"], index=False, lineterminator="\n")
    ov.kabkota.to_csv(files["kabkota"], index=False, lineterminator="\n")
    ov.sites.to_csv(files["sites"], index=False, lineterminator="\n")
    sea = ov.desa[ov.desa["sea_crossing"]].sort_values("outside_land_m", ascending=False)
    sea.to_csv(files["sea"], index=False, lineterminator="\n")
    ov.unplaced.to_csv(files["unplaced"], index=False, lineterminator="\n")
    budget = ov_.budget_table(ov)
    if budget is None:
        files.pop("budget")
    else:
        budget.to_csv(files["budget"], index=False, lineterminator="\n")
    files["figures"].write_text(json.dumps(ov_.headline(ov), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if layer is not None and layer.kecamatan_map is not None:
        save(overview_map(ov, layer.kecamatan_map, basemap=basemap), files["map"], offline=offline)
    else:
        files.pop("map")
    return files


def run_info(language: str = "id", **parameters) -> dict:
    """Report header (:func:`helpers.reader_report.run_info`) naming the national layer's sources."""
    from . import reader_report as rr

    run = rr.run_info(language, **parameters)
    run["sources"] = [text.label("src_national_boundaries", language), text.label("src_national_tps", language)]
    return run


def report_spec(ov: ov_.Overview, files: dict, *, run: dict | None = None) -> dict:
    """The reader report (:mod:`helpers.reader_report`) in the run's language."""
    from . import reader_report as rr

    lang, h = ov.language, ov_.headline(ov)
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n, km = (lambda v: text.fmt_number(v, lang)), (lambda v: text.fmt_km(v, lang))
    one = lambda v: text.fmt_number(v, lang, 1)  # noqa: E731
    figs = [rr.figure(L(k), f(h[c])) for k, c, f in (
        ("ov_kecamatan", "n_kecamatan", n), ("ov_desa", "n_desa_with_tps", n), ("ov_tps", "tps", n),
        ("ov_tps_unplaced", "tps_unplaced", n), ("ov_tps_mean", "tps_per_site_mean", one),
        ("ov_tps_max", "tps_per_site_max", n), ("ov_max_mean", "tps_per_site_max_mean", one),
        ("ov_dist_median", "distance_median_km", km), ("ov_dist_p95", "distance_p95_km", km),
        ("ov_dist_max", "distance_max_km", km), ("ov_sea", "n_desa_sea_crossing", n),
        ("ov_programme_sites", "programme_sites", n), ("ov_programme_tps", "programme_tps", n))]
    if h["budget_total"] is not None:
        figs.append(rr.figure(L("ov_budget"), n(h["budget_total"])))
    cols = {"n_kecamatan": L("ov_col_sites"), "n_desa_with_tps": L("ov_col_desa"), "tps": L("col_tps"),
            "tps_per_site_mean": L("col_tps_mean"), "tps_per_site_max": L("col_tps_max"),
            "distance_median_km": L("col_dist_median"), "distance_p95_km": L("ov_col_p95"),
            "distance_max_km": L("col_dist_max"), "n_desa_sea_crossing": L("ov_col_sea")}
    fm = {c: "int" for c in ("n_kecamatan", "n_desa_with_tps", "tps", "tps_per_site_max", "n_desa_sea_crossing",
                             "desa_unplaced", "tps_unplaced", "tps_kpu", "programme_sites", "programme_tps",
                             "budget", "cost_per_site", "n_desa")}
    fm.update({c: "km" for c in ("distance_median_km", "distance_p95_km", "distance_max_km")},
              tps_per_site_mean="float1", share_tps_placed="pct", load_vs_provinsi_mean="float2")
    t = lambda df, c, csv, **kw: rr.table(df, c, csv=files[csv], language=lang, formats=fm, **kw)  # noqa: E731
    prov = ov.provinsi
    kab = ov.kabkota.sort_values("tps_per_site_mean", ascending=False)
    s = ov.sites
    sections = [
        rr.section(L("ov_method"), rr.paragraph(L("ov_method_text")), rr.paragraph(L("ov_sea_text")),
                   rr.paragraph(L(ov_.SEA_RULE_LIMITS))),
        rr.section(L("ov_per_provinsi"), t(prov, {"provinsi": L("ov_col_provinsi"), **cols}, "provinsi", max_rows=40))
        if ov.scope["provinsi_kode"] is None else None,
        rr.section(L("ov_per_kabkota"), rr.paragraph(L("ov_per_kabkota_text")),
                   t(kab, {"kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"), **cols}, "kabkota")),
        rr.section(L("ov_loaded"), rr.paragraph(L("ov_loaded_text")), t(
            s.sort_values(["tps", "kecamatan_kode"], ascending=[False, True]),
            {"kecamatan": L("col_kecamatan"), "kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"),
             "tps": L("col_tps"), "n_desa": L("ov_col_desa"), "load_vs_provinsi_mean": L("ov_col_vs_mean")}, "sites")),
        rr.section(L("ov_remote"), rr.paragraph(L("ov_remote_text")), t(
            s.sort_values(["distance_max_km", "kecamatan_kode"], ascending=[False, True]),
            {"kecamatan": L("col_kecamatan"), "kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"),
             "distance_median_km": L("col_dist_median"), "distance_max_km": L("col_dist_max"),
             "n_desa_sea_crossing": L("ov_col_sea")}, "sites")),
        rr.section(L("ov_programme"), rr.paragraph(L("ov_programme_text", sites=n(h["programme_sites"]),
                                                     tps=n(h["programme_tps"]))),
                   t(ov_.budget_table(ov), {"provinsi": L("ov_col_provinsi"), "programme_sites": L("ov_col_sites"),
                                            "programme_tps": L("col_tps"), "cost_per_site": L("ov_col_cost"),
                                            "budget": L("ov_budget")}, "budget", max_rows=40)
                   if ov.cost_per_site is not None else rr.paragraph(L("ov_no_cost"))),
        rr.section(L("ov_unplaced"), rr.paragraph(L("ov_unplaced_text")), t(
            prov, {"provinsi": L("ov_col_provinsi"), "tps": L("ov_col_placed"),
                   "desa_unplaced": L("ov_col_desa_unplaced"), "tps_unplaced": L("ov_col_unplaced"),
                   "tps_kpu": L("ov_col_kpu"), "share_tps_placed": L("ov_col_share")}, "provinsi", max_rows=40)),
    ]
    if "map" in files:
        sections.append(rr.section(L("ov_map"), rr.map_link(files["map"], L("ov_map"), L("ov_map_text"))))
    listed = [(files[k], L(f"ov_file_{k}")) for k in ("provinsi", "kabkota", "sites", "sea", "unplaced", "budget")
              if k in files]
    sections.append(rr.section(L("cg_files"), rr.file_list(listed, L("cg_files_text"))))
    return rr.new_spec(name=L("ov_name"), scope=ov.scope["label"], language=lang, lead=ov_.summary(ov), figures=figs,
                       sections=sections, run=run or run_info(lang))
