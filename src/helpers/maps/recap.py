"""The map of notebook 01 (issue 3): the 44 PPK recapitulation sites over kota and kecamatan boundaries.

Built from the generic builders of :mod:`helpers.maps`.  Kepulauan Seribu lies about 60 km
north of the mainland: the all-DKI view is fitted to the five mainland kota and shows the
Kepulauan Seribu boundaries and sites in an inset map (bottom left, :mod:`helpers.maps.inset`).
The figures, table and reader report of the notebook are in :mod:`helpers.reports.recap`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from helpers.core import text
from helpers.io.schema import EXTRA_PREFIX
from helpers.core.scope import Scope
from helpers.io.units import layer_area
from helpers.maps.inset import add_seribu_inset, in_kepulauan_seribu
from helpers.maps.layers import add_boundaries, add_points
from helpers.maps.page import LeafletMap, add_legend, add_title
from helpers.maps.sources import (basis_column, facility_sources, internet_column, link_popups, record_links,
                                  venue_column, venue_text)
from helpers.maps.specs import points_spec, shapes_spec

__all__ = ["SITE_CLASS", "INTERNET_COLOR", "NO_INTERNET_COLOR", "RecapSitesMap", "recap_sites_map"]

#: Class name of every recap-site marker path (``recap-site`` plus ``recap-site-known`` or
#: ``recap-site-approximate``); the browser test counts these.
SITE_CLASS = "recap-site"
INTERNET_COLOR, NO_INTERNET_COLOR = "#1a9641", "#d7191c"
_SITE_STYLES = {
    "known-internet": {"radius": 8, "weight": 2, "color": "#1b1b1b", "fillColor": INTERNET_COLOR,
                       "fillOpacity": 0.95, "className": f"{SITE_CLASS}-known"},
    "known-no-internet": {"radius": 8, "weight": 2, "color": "#1b1b1b", "fillColor": NO_INTERNET_COLOR,
                          "fillOpacity": 0.95, "className": f"{SITE_CLASS}-known"},
    "approx-internet": {"radius": 9, "weight": 2.5, "color": INTERNET_COLOR, "dashArray": "4 3",
                        "fillColor": "#ffffff", "fillOpacity": 0.35, "className": f"{SITE_CLASS}-approximate"},
    "approx-no-internet": {"radius": 9, "weight": 2.5, "color": NO_INTERNET_COLOR, "dashArray": "4 3",
                           "fillColor": "#ffffff", "fillOpacity": 0.35, "className": f"{SITE_CLASS}-approximate"},
}
#: facility_type -> (layer key, marker style, shown when the page opens)
_FACILITY_GROUPS = {
    "kantor_camat": "kantor_camat", "ppk_office": "kantor_camat", "kantor_lurah": "kantor_lurah",
    "pps_office": "kantor_lurah", "kantor_walikota": "kantor_walikota", "balai_kota": "kantor_walikota",
    "warehouse": "warehouse", "kpu_secretariat": "secretariat", "bawaslu_secretariat": "secretariat",
}
_FACILITY_STYLE = {
    "kantor_camat": ({"radius": 5, "fillColor": "#2c7bb6", "color": "#ffffff", "weight": 1}, True),
    "kantor_lurah": ({"radius": 3.5, "fillColor": "#74add1", "color": "#ffffff", "weight": 0.8}, False),
    "kantor_walikota": ({"radius": 6.5, "fillColor": "#7b3294", "color": "#ffffff", "weight": 1.2}, True),
    "warehouse": ({"radius": 6, "fillColor": "#a6611a", "color": "#ffffff", "weight": 1.2}, True),
    "secretariat": ({"radius": 5.5, "fillColor": "#018571", "color": "#ffffff", "weight": 1.2}, True),
    "other": ({"radius": 4, "fillColor": "#636363", "color": "#ffffff", "weight": 1}, False),
}
_FORMER = {"former_or_non_office": {"fillColor": "#bdbdbd", "color": "#636363", "dashArray": "2 2",
                                    "fillOpacity": 0.5}}


class RecapSitesMap(LeafletMap):
    """The map of :func:`recap_sites_map`: a :class:`~helpers.maps.page.LeafletMap` that knows its sites.

    Attributes
    ----------
    recap_sites : GeoDataFrame
        The sites shown (those of the kota in view; all of DKI without a kota), for the figures,
        the sites table and the reader report of :mod:`helpers.reports.recap`.
    """

    def __init__(self, bounds, *, sites: gpd.GeoDataFrame, language: str = "id",
                 basemap: str | None = "openstreetmap", offline: bool = True):
        super().__init__(bounds, language=language, basemap=basemap, offline=offline)
        self.recap_sites: gpd.GeoDataFrame = sites


def _in_kota(gdf, code, col="kota_kode"):
    """Rows of ``gdf`` in kota ``code`` (all rows for None)."""
    return gdf if code is None or gdf is None else gdf[gdf[col].astype(str) == code]


def _site_table(sites: gpd.GeoDataFrame, tps, lang: str) -> gpd.GeoDataFrame:
    """Display columns of the site popups (already translated; escaping happens in the page)."""
    s = sites.copy()
    col = lambda c: s[c] if c in s.columns else pd.Series([None] * len(s), index=s.index)  # noqa: E731
    approx = col("approximate").fillna(False).astype(bool)
    internet = col("internet")
    if tps is not None:
        per_kec = tps.groupby("kecamatan_kode")["tps_total"].sum()
        s["_tps"] = s["kecamatan_kode"].map(per_kec)
    else:
        s["_tps"] = None
    s["_title"] = [text.label("map_site_title", lang, kecamatan=k) for k in col("kecamatan")]
    s["_venue_status"] = [None if pd.isna(v) else text.label(f"map_vs_{v}", lang, fallback=v) for v in col("venue_status")]
    from_file = col("location_source").eq("user_file")
    s["_internet"] = [text.label("map_unknown", lang) if pd.isna(v) else
                      text.label(("map_internet_yes_file" if f else "map_internet_yes") if v else "map_internet_no", lang)
                      for v, f in zip(internet, from_file)]
    # one sentence per basis in the reader's language (issue 22); the full records are on the sources page
    s["_basis"] = basis_column(s, lang)
    net = internet_column(s, lang)
    s["_internet"] = [n or i for n, i in zip(net, s["_internet"])]
    s["_note"] = [text.label("map_approx_short", lang) if a else None for a in approx]
    s["_link"] = record_links(s)
    s["_venue_source"] = venue_column(s, lang)
    s["_style"] = [("approx" if a else "known") + ("-internet" if (i is True or i == 1) else "-no-internet")
                   for a, i in zip(approx, internet)]
    s["_venue"] = [venue_text(v, st, lang) for v, st in zip(col("venue"), col("venue_status"))]
    s["_tooltip"] = [f"{t}: {v}" if isinstance(v, str) and v else t for t, v in zip(s["_title"], s["_venue"])]
    return s


def _extra_columns(table: pd.DataFrame) -> dict:
    """The user's own columns (``"asli: <header>"``), shown in popups under their own header."""
    return {c: c[len(EXTRA_PREFIX):] for c in table.columns if str(c).startswith(EXTRA_PREFIX)}


def _site_layer_args(lang: str, extra: dict | None = None) -> dict:
    cols = {"site_id": text.label("map_site_id", lang), "_venue": text.label("map_venue", lang),
            "_venue_status": text.label("map_venue_status", lang), "_venue_source": text.label("map_venue_source", lang), "address": text.label("map_address", lang),
            "kecamatan": text.label("map_kecamatan", lang), "kota": text.label("map_kota", lang), "_tps": text.label("map_tps", lang),
            "_internet": text.label("map_internet", lang), "_basis": text.label("map_position_basis", lang),
            "notes": text.label("map_notes", lang), **(extra or {})}
    return dict(popup_cols=cols, tooltip_col="_tooltip", style_col="_style", styles=_SITE_STYLES,
                title_col="_title", note_col="_note", default_style={"pane": "markerPane"})


def _facility_table(fac: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    f = fac.copy()
    f["_group"] = f["facility_type"].map(_FACILITY_GROUPS).fillna("other")
    f["_type"] = [text.label(f"map_ft_{t}", lang, fallback=t) for t in f["facility_type"]]
    f["_status"] = [None if pd.isna(v) else text.label(f"map_st_{v}", lang, fallback=v)
                    for v in (f["status"] if "status" in f else [None] * len(f))]
    f["_source"] = facility_sources(f, lang)  # a user's facility: its file and row
    return f


def recap_sites_map(sites: gpd.GeoDataFrame, kota_gdf: gpd.GeoDataFrame, kecamatan_gdf: gpd.GeoDataFrame,
                    facilities: gpd.GeoDataFrame | None = None, tps: gpd.GeoDataFrame | None = None, *,
                    scope: Scope | None = None, language: str = "id", offline: bool = True,
                    basemap: str | None = "openstreetmap", title: str | None = None,
                    simplify_m: float = 20.0) -> RecapSitesMap:
    """Layered map of the PPK recapitulation sites (issue 3).

    Parameters
    ----------
    sites : GeoDataFrame
        From :func:`helpers.io.inputs.load_sites`.  A kota without any site (an incomplete sites
        file) is still drawn: its boundaries, an empty sites layer and "0 sites" in the subtitle.
    kota_gdf, kecamatan_gdf : GeoDataFrame
        From :func:`helpers.io.inputs.load_boundaries`.
    facilities : GeoDataFrame, optional
        From :func:`helpers.io.inputs.load_facilities`; one switchable layer per office type
        (kantor camat = PPK secretariat, kantor lurah = PPS secretariat, walikota/bupati and
        Balai Kota, others).
    tps : GeoDataFrame, optional
        From :func:`helpers.io.inputs.load_tps`; gives "TPS recapitulated" (sum of ``tps_total``
        over the kelurahan of the site's kecamatan).
    scope : Scope, optional
        The scope of the run (:func:`helpers.io.national.resolve_scope`): one kota, or (None or a
        whole province) the whole area of the layers given; all of DKI is fitted to the mainland
        with Kepulauan Seribu in an inset.
    language : {"id", "en"}
    offline : bool
        Default of :func:`helpers.maps.save_map` for this map (``m.recap_offline``).
    basemap : str or None
    title : str, optional
        Replaces the default title.
    simplify_m : float
        Boundary simplification tolerance in metres.

    Returns
    -------
    RecapSitesMap
        With ``m.recap_sites`` (the sites shown) for the figures and the report.
    """
    code = None if scope is None else scope.kota_kode
    shown = _in_kota(sites, code)  # may be empty: the gap is shown, not an error
    kec = _in_kota(kecamatan_gdf, code)
    fac = _in_kota(facilities, code) if facilities is not None and "kota_kode" in facilities else facilities
    if code is not None:
        focus = kota_gdf[kota_gdf["kode"].astype(str) == code]
        kota_name = str(focus["nama"].iloc[0])
    else:
        mainland = kota_gdf[~in_kepulauan_seribu(kota_gdf["kode"])]
        focus = mainland if len(mainland) else kota_gdf
        kota_name = None

    m = RecapSitesMap(focus, sites=shown, language=language, basemap=basemap, offline=offline)
    table = _site_table(shown, tps, language)
    n_approx, n_internet = int(shown["approximate"].astype(bool).sum()), int(shown["internet"].astype(bool).sum())
    add_title(m, title or (text.label("map_title_kota", language, kota=kota_name) if kota_name
                           else text.label("map_title_dki", language, area=layer_area(kota_gdf))),
              subtitle=text.label("map_subtitle", language, n=text.fmt_number(len(shown), language), n_approx=text.fmt_number(n_approx, language),
                                  n_internet=text.fmt_number(n_internet, language)),
              reset_label=text.label("map_reset", language), bounds=focus)

    kec_style = {"color": "#6b6b6b", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.04}
    kota_style = {"color": "#252525", "weight": 2.5, "fillOpacity": 0}
    kec_args = dict(label_col="nama", tooltip_prefix=text.label("map_kecamatan", language), style=kec_style,
                    simplify_m=simplify_m)
    add_boundaries(m, kec, name=text.label("map_layer_kecamatan", language), **kec_args)
    add_boundaries(m, kota_gdf, name=text.label("map_layer_kota", language), label_col=None, style=kota_style,
                   interactive=False, simplify_m=simplify_m)

    legend = []
    if fac is not None and len(fac):
        ft = _facility_table(fac, language)
        for key, (style, show) in _FACILITY_STYLE.items():
            part = ft[ft["_group"] == key]
            if not len(part):
                continue
            add_points(m, part, name=text.label(f"map_layer_fac_{key}", language) + f" ({text.fmt_number(len(part), language)})",
                       popup_cols={"_type": text.label("map_fac_type", language), "_status": text.label("map_fac_status", language),
                                   "address": text.label("map_address", language), "kelurahan": text.label("map_kelurahan", language),
                                   "kecamatan": text.label("map_kecamatan", language), "kota": text.label("map_kota", language),
                                   "_source": text.label("map_fac_source", language), "notes": text.label("map_notes", language),
                                   **_extra_columns(part)},
                       tooltip_col="name", title_col="name", style_col="status" if "status" in part else None,
                       styles=_FORMER, default_style={**style, "fillOpacity": 0.9}, class_name=f"recap-facility-{key}",
                       show=show)
            legend.append(({"fill": style["fillColor"], "color": "#555555", "shape": "circle"},
                           text.label(f"map_layer_fac_{key}", language)))

    layer = add_points(m, table, name=text.label("map_layer_sites", language, n=text.fmt_number(len(shown), language)), class_name=SITE_CLASS,
                       **_site_layer_args(language, _extra_columns(table)))
    link_popups(layer, list(table["_link"]), language)
    present = set(table["_style"])
    site_items = [(("known-internet",), {"fill": INTERNET_COLOR, "color": "#1b1b1b"}, "map_lg_known_internet"),
                  (("known-no-internet",), {"fill": NO_INTERNET_COLOR, "color": "#1b1b1b"}, "map_lg_known_no_internet"),
                  (("approx-internet", "approx-no-internet"), {"fill": None, "color": INTERNET_COLOR, "dashed": True},
                   "map_lg_approx")]
    items = [(sw, text.label(key, language)) for keys, sw, key in site_items if present & set(keys)]
    items += [({"shape": "line", "color": "#252525"}, text.label("map_lg_kota", language)),
              ({"shape": "line", "color": "#6b6b6b"}, text.label("map_lg_kecamatan", language))] + legend
    add_legend(m, text.label("map_legend_title", language), items)

    if code is None:  # all of DKI: the inset also when Kepulauan Seribu has no site (its boundaries show the gap)
        # its kecamatan simplified on their own, as the islands' coverage; inset markers keep their
        # tooltip but open no popup: a click moves the main map there
        kec_seribu = shapes_spec(kec[in_kepulauan_seribu(kec["kota_kode"])], language, **kec_args)
        sites_seribu = points_spec(table[in_kepulauan_seribu(table["kota_kode"])], language,
                                   class_name="recap-site-inset", **_site_layer_args(language, _extra_columns(table)))
        add_seribu_inset(m, kota_gdf, in_kepulauan_seribu(kota_gdf["kode"]), shapes=[kec_seribu],
                         points=[sites_seribu.without_popups()])
    folium.LayerControl(collapsed=False).add_to(m)
    return m
