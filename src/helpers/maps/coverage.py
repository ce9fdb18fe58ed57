"""The map of notebook 02: gaps per kecamatan (choropleth), the PPK sites, the PPS offices and the warehouses.

Each site's popup names its nearest logistics warehouse and the straight-line distance; the
warehouses with a known position are a layer of their own, whose popups name their source (a
user's facilities file and row).

Built with the shared builders of :mod:`helpers.maps` (every data string escaped; Leaflet only,
inlined offline).  Approximate positions are drawn hollow and dashed and say so in their popup.
The other files of a coverage run are :mod:`helpers.reports.coverage`.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from helpers.analysis.coverage.compute import CoverageResult
from helpers.core import text
from helpers.maps.inset import add_seribu_inset
from helpers.maps.layers import add_boundaries, add_choropleth, add_points
from helpers.io.schema import EXTRA_PREFIX
from helpers.maps.page import add_legend, base_map
from helpers.maps.sources import basis_column, facility_sources, internet_column, link_popups, record_links

#: Classes of the number of gaps per kecamatan and their colours.
GAP_CLASSES = [(0, 0, "0"), (1, 2, "1–2"), (3, 4, "3–4"), (5, 7, "5–7"), (8, 10**9, "≥ 8")]
GAP_COLORS = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]
#: Above this many kelurahan/desa points a layer's markers are grouped (Leaflet.markercluster,
#: inlined offline): Jawa Timur has 8,494 desa.
CLUSTER_ABOVE = 2000


def gap_class(n: pd.Series) -> pd.Series:
    """Class label of a number of gaps (``"0"``, ``"1–2"``, ``"3–4"``, ``"5–7"``, ``"≥ 8"``)."""
    out = pd.Series("", index=n.index, dtype=object)
    for lo, hi, name in GAP_CLASSES:
        out[(n >= lo) & (n <= hi)] = name
    return out


#: Marker of a logistics warehouse (the brown of the recap map's warehouse layer).
WAREHOUSE_STYLE = {"radius": 7, "fillColor": "#a6611a", "color": "#000000", "weight": 1.5, "fillOpacity": 0.9}
WAREHOUSE_APPROX = {"fillColor": "#ffffff", "fillOpacity": 0.3, "color": "#a6611a", "dashArray": "4 3", "weight": 2.5}


def add_warehouses(m, warehouses, lang: str) -> list:
    """The layer of logistics warehouses (name, type, address, kota, source: a user's file and row);
    approximate positions hollow and dashed.  Returns its legend items (none without a warehouse)."""
    if warehouses is None or not len(warehouses):
        return []
    w = warehouses.copy()
    approx = w["approximate"].fillna(False).astype(bool) if "approximate" in w else pd.Series(False, index=w.index)
    w["_style"] = np.where(approx, "approx", "known")
    w["_note"] = np.where(approx, text.label("wh_approx", lang), "")
    w["_source"] = facility_sources(w, lang)
    w["_type"] = [text.label(f"map_ft_{t}", lang, fallback=t) for t in w["facility_type"]]
    given = {c: c[len(EXTRA_PREFIX):] for c in w.columns if str(c).startswith(EXTRA_PREFIX)}
    add_points(m, w, name=text.label("wh_layer", lang, n=text.fmt_number(len(w), lang)), tooltip_col="name", title_col="name",
               note_col="_note", style_col="_style", class_name="coverage-warehouse",
               styles={"known": {}, "approx": WAREHOUSE_APPROX}, default_style=WAREHOUSE_STYLE,
               popup_cols={"_type": text.label("wh_type", lang), "address": text.label("wh_address", lang),
                           "kota": text.label("wh_kota", lang), "_source": text.label("wh_source", lang), **given})
    return [({"fill": WAREHOUSE_STYLE["fillColor"], "color": "#000", "shape": "circle"}, text.label("wh_legend", lang))]


def coverage_map(result: CoverageResult, *, offline: bool = True, basemap: str | None = "openstreetmap"):
    """Folium choropleth of the number of gaps per kecamatan, with PPK sites and PPS offices.

    Built with :mod:`helpers.maps` (every data string escaped).  Approximate positions are
    drawn hollow and dashed and say so in their popup.
    """
    lang = "en" if result.language == "en" else "id"
    kec = result.kecamatan.copy()
    kec["nama"] = kec["kecamatan"]
    kec["gap_class"] = gap_class(kec["n_gaps"])
    mainland = kec[~kec["island"]]
    m = base_map(mainland if len(mainland) else kec, language=lang, basemap=basemap,
                 title=text.label("cov_title", lang, scope=result.scope), subtitle=text.label("cov_subtitle", lang, n=text.fmt_number(len(result.gaps), lang)))
    m.recap_offline = offline
    cols = {c: text.label(f"cov_{c}", lang) for c in ("n_gaps", "tps", "site_id", "distance_max_km", "load_ratio",
                                "fallback_distance_km", "ppk_office_known")}
    kec_group = add_choropleth(m, kec, "gap_class", name=text.label("cov_layer_kec", lang), legend_title=text.label("cov_legend_kec", lang),
                               labels={name: name for _, _, name in GAP_CLASSES}, colors=GAP_COLORS,
                               tooltip_cols=cols)
    if result.boundaries is not None and len(result.boundaries):
        add_boundaries(m, result.boundaries, name=text.label("cov_layer_kota", lang), label_col=None, interactive=False,
                       style={"color": "#252525", "weight": 2.5, "fillOpacity": 0})
    kel = result.kelurahan.copy()
    far = kel["distance_m"] > result.thresholds.max_distance_km * 1000
    kel["_style"] = np.where(far & ~kel["sea_crossing"], "far", np.where(kel["approximate"], "approx", "ok"))
    kel["distance_km"] = (kel["distance_m"] / 1000).round(2)
    kel["_note"] = np.where(kel["approximate"], text.label("cov_approx", lang), "")
    kel["_basis"] = basis_column(kel, lang, area="kelurahan")  # one sentence, not the code (issue 22)
    styles = {"far": {"radius": 5, "fillColor": "#d7191c", "color": "#000000", "weight": 1},
              "approx": {"radius": 4, "fillColor": "#ffffff", "fillOpacity": 0.3, "color": "#555555",
                         "dashArray": "3 2", "weight": 1.5},
              "ok": {"radius": 3, "fillColor": "#4d4d4d", "color": "#ffffff", "weight": 0.5}}
    # an island position links to its full record on the sources page (the others' basis needs none)
    kel["_link"] = [h if b == "island" else None for h, b in zip(
        record_links(kel, id_col="kode", prefix="isl"), kel.get("basis_kind", pd.Series("", index=kel.index)))]
    kel_group = add_points(m, kel, name=text.label("cov_layer_kel", lang, n=text.fmt_number(len(kel), lang)), tooltip_col="nama", title_col="nama",
               note_col="_note", style_col="_style", styles=styles, class_name="coverage-kelurahan",
               cluster=len(kel) > CLUSTER_ABOVE,  # a large province's thousands of desa: grouped markers
               popup_cols={"kecamatan": text.label("cov_kecamatan", lang), "tps_total": text.label("cov_tps", lang), "site_id": text.label("cov_site_id", lang),
                           "distance_km": text.label("cov_distance_km", lang), "_basis": text.label("cov_position_source", lang)})
    link_popups(kel_group, list(kel["_link"]), lang)
    s = result.sites.copy()
    s["_style"] = np.where(s["approximate"].astype(bool), "approx", "known")
    s["_note"] = np.where(s["approximate"].astype(bool), text.label("cov_approx", lang), "")
    s["fallback_distance_km"] = (s["fallback_distance_m"] / 1000).round(2)
    s["_basis"] = basis_column(s, lang)
    s["_internet"] = [n if n else i for n, i in zip(internet_column(s, lang), s["internet"])]
    # the warehouse answer: each site names its nearest warehouse and the straight-line distance
    s["_warehouse"] = [w if isinstance(w, str) and w else None for w in s.get("nearest_warehouse", [None] * len(s))]
    s["_warehouse_km"] = s["nearest_warehouse_km"].round(2) if "nearest_warehouse_km" in s else np.nan
    s["_warehouse_sea"] = [bool(x) if w else None
                           for x, w in zip(s.get("warehouse_sea_crossing", [False] * len(s)), s["_warehouse"])]
    site_group = add_points(m, s, name=text.label("cov_layer_sites", lang, n=text.fmt_number(len(s), lang)), tooltip_col="kecamatan", title_col="site_id",
               note_col="_note", style_col="_style", class_name="coverage-site",
               styles={"known": {"radius": 7, "fillColor": "#2c7bb6", "color": "#000000", "weight": 1.5},
                       "approx": {"radius": 8, "fillColor": "#ffffff", "fillOpacity": 0.3, "color": "#2c7bb6",
                                  "dashArray": "4 3", "weight": 2.5}},
               popup_cols={"kecamatan": text.label("cov_kecamatan", lang), "tps_load": text.label("cov_tps_load", lang),
                           "load_ratio": text.label("cov_load_ratio", lang), "_internet": text.label("cov_internet", lang), "_basis": text.label("cov_position_source", lang),
                           "fallback_site_id": text.label("cov_fallback_site_id", lang),
                           "fallback_distance_km": text.label("cov_fallback_distance_km", lang),
                           "_warehouse": text.label("wh_site_nearest", lang),
                           "_warehouse_km": text.label("wh_site_km", lang),
                           "_warehouse_sea": text.label("wh_site_sea", lang)})
    link_popups(site_group, record_links(s), lang)
    wh_items = add_warehouses(m, result.warehouses, lang)
    add_legend(m, text.label("cov_lg_points", lang), [({"fill": "#2c7bb6", "color": "#000", "shape": "circle"}, text.label("cov_lg_site", lang)),
                                   ({"fill": None, "color": "#2c7bb6", "shape": "circle", "dashed": True},
                                    text.label("cov_lg_approx", lang)),
                                   ({"fill": "#d7191c", "color": "#000", "shape": "circle"}, text.label("cov_lg_far", lang)),
                                   ({"fill": "#4d4d4d", "color": "#fff", "shape": "circle"}, text.label("cov_lg_ok", lang)),
                                   *wh_items],
               position="bottomleft")
    island = kec["island"].to_numpy(bool)  # DKI scope: Kepulauan Seribu (~60 km north) in an inset
    site_island = s["kecamatan_kode"].isin(kec.loc[island, "kecamatan_kode"]).to_numpy()
    add_seribu_inset(m, kec, island, shapes=[kec_group.recap_spec.select(island)],
                     points=[site_group.recap_spec.select(site_island)], position="topleft")
    folium.LayerControl(collapsed=False).add_to(m)
    return m
