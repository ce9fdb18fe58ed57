"""The map of notebook 05: PPK sites coloured by the days their recapitulation needs against the window.

Built from the shared builders of :mod:`helpers.maps` (Leaflet only, inlined offline; every data string escaped).
Each site's popup gives its TPS (flagged when the Pilkada's are estimated), panels, pace, days needed, finishing
date, the window, slack, panels needed and the average and peak Mbps (central, and the low-high range).  Approximate
positions are drawn hollow and dashed and say so.  A DKI-wide map shows Kepulauan Seribu in an inset.  The files and
reader report of the notebook are :mod:`helpers.reports.operations`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.analysis.operations import Operations
from helpers.analysis.operations_tables import fmt_date
from helpers.core import text
from helpers.maps.sources import basis_column, link_popups, record_links
from helpers.maps.inset import add_seribu_inset, in_kepulauan_seribu
from helpers.maps.layers import add_boundaries, add_points
from helpers.maps.page import LeafletMap, add_legend, base_map

__all__ = ["SITE_CLASS", "DAY_CLASSES", "day_class", "operations_map"]

#: Class name of every site marker (plus ``ops-site-<class>``); the browser test counts them.
SITE_CLASS = "ops-site"
#: Classes of days needed against the window: key, colour.  ``early``: 3 or more days to spare; ``tight``: inside
#: the window with 0-2 days to spare; ``late``: 1-7 days beyond it; ``very_late``: more than 7.
DAY_CLASSES = {"early": "#1a9641", "tight": "#a6d96a", "late": "#fdae61", "very_late": "#d7191c"}


def day_class(slack) -> np.ndarray:
    """The class of each site's slack (days of the window left; negative: days beyond it).

    Examples
    --------
    >>> day_class([5, 2, 0, -1, -7, -8]).tolist()
    ['early', 'tight', 'tight', 'late', 'late', 'very_late']
    """
    s = np.asarray(slack)
    return np.select([s >= 3, s >= 0, s >= -7], ["early", "tight", "late"], "very_late")


def _mbps(v, lang, digits=2) -> str:
    return f"{text.fmt_number(v, lang, digits)} Mbps"


def _popup_table(res: Operations, s: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Display columns of the popups, already in words (escaping happens in the page)."""
    lang = res.language
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, lang)  # noqa: E731
    out = s.copy()
    est = L("op_estimated_short")
    out["_tps"] = [f"{n(t)} ({est})" if e else n(t) for t, e in zip(s["tps"], s["tps_estimated"])]
    out["_pace"] = [L("op_pace_value", panels=n(p), pace=text.fmt_number(v, lang, 0 if float(v).is_integer() else 1))
                    for p, v in zip(s["panels"], s["tps_per_panel_day"])]
    out["_window"] = [f"{fmt_date(a, lang)} – {fmt_date(b, lang)} ({n(d)} {L('op_days')})"
                      for a, b, d in zip(s["window_start"], s["window_end"], s["window_days"])]
    out["_finish"] = [fmt_date(f, lang) for f in s["finish_date"]]
    out["_avg"] = [f"{_mbps(c, lang, 3)} ({text.fmt_number(lo, lang, 3)}–{text.fmt_number(hi, lang, 3)})"
                   for c, lo, hi in zip(s["mbps_avg_central"], s["mbps_avg_low"], s["mbps_avg_high"])]
    out["_peak"] = [f"{_mbps(c, lang)} ({text.fmt_number(lo, lang, 2)}–{text.fmt_number(hi, lang, 2)})"
                    for c, lo, hi in zip(s["mbps_peak_central"], s["mbps_peak_low"], s["mbps_peak_high"])]
    notes = []
    for approx, e in zip(s.get("approximate", pd.Series(False, index=s.index)).astype(bool), s["tps_estimated"]):
        parts = ([L("op_map_approx")] if approx else []) + ([L("op_map_estimated")] if e else [])
        notes.append(" ".join(parts))
    out["_note"] = notes
    out["_basis"] = basis_column(s, lang)  # one sentence in the reader's language (issue 22)
    out["_link"] = record_links(s)
    out["_title"] = [L("op_map_site", kecamatan=k) for k in s["kecamatan"]]
    out["_style"] = [f"{c}-approx" if a else c for c, a in zip(day_class(s["slack_days"]), s.get(
        "approximate", pd.Series(False, index=s.index)).astype(bool))]
    return out


def _styles() -> dict:
    out = {}
    for key, colour in DAY_CLASSES.items():
        out[key] = {"radius": 8, "weight": 1.5, "color": "#1b1b1b", "fillColor": colour, "fillOpacity": 0.95}
        out[f"{key}-approx"] = {"radius": 9, "weight": 3, "color": colour, "dashArray": "4 3", "fillColor": "#ffffff",
                                "fillOpacity": 0.35}
    return out


def operations_map(res: Operations, kecamatan: gpd.GeoDataFrame, kota: gpd.GeoDataFrame | None = None, *,
                   basemap: str | None = "openstreetmap", offline: bool = True) -> LeafletMap:
    """The map of a run: the scope's kecamatan and kota outlines and its PPK sites coloured by :func:`day_class`.

    Parameters
    ----------
    res : Operations
        :func:`helpers.analysis.operations.compute`; its chosen election is mapped.  Its sites need a geometry
        (the sites of :func:`helpers.io.inputs.load_inputs`).
    kecamatan, kota : GeoDataFrame
        The province's boundaries (:attr:`helpers.io.inputs.Inputs.kecamatan`, ``.kota``); the scope's are drawn.
    """
    lang, s = res.language, res.main
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    code = res.scope.kota_kode
    kec = kecamatan if code is None else kecamatan[kecamatan["kota_kode"] == code]
    island = in_kepulauan_seribu(kec["kode"])
    view = kec[~island] if island.any() and not island.all() else kec
    h_start, h_end = res.windows[res.election]
    m = base_map(view, language=lang, basemap=basemap, offline=offline,
                 title=L("op_map_title", scope=res.scope.title, election=L(f"op_{res.election}")),
                 subtitle=L("op_map_subtitle", start=fmt_date(h_start, lang), end=fmt_date(h_end, lang)))
    kec_layer = add_boundaries(m, kec, name=L("op_layer_kecamatan"), label_col="nama",
                               style={"color": "#666666", "weight": 1, "fillOpacity": 0.03},
                               tooltip_prefix=L("col_kecamatan"))
    if kota is not None and len(kota):
        k = kota if code is None else kota[kota["kode"] == code]
        add_boundaries(m, k, name=L("op_layer_kota"), label_col=None, interactive=False,
                       style={"color": "#252525", "weight": 2.5, "fillOpacity": 0})
    pts = _popup_table(res, s)
    rows = {"kota": L("col_kota"), "_tps": L("col_tps"), "_pace": L("op_col_pace"),
            "days_needed": L("op_col_days"), "_finish": L("op_col_finish"), "_window": L("op_col_window"),
            "slack_days": L("op_col_slack"), "panels_needed": L("op_col_panels_needed"),
            "_avg": L("op_col_mbps_avg"), "_peak": L("op_col_mbps_peak"),
            **({"_basis": L("map_position_basis")} if pts["_basis"].notna().any() else {})}
    sites = add_points(m, pts, name=L("op_layer_sites", n=text.fmt_number(len(pts), lang)), popup_cols=rows, tooltip_col="kecamatan",
                       title_col="_title", note_col="_note", style_col="_style", styles=_styles(),
                       class_name=SITE_CLASS)
    link_popups(sites, list(pts["_link"]), lang)
    w = int(s["window_days"].iloc[0]) if len(s) else 0
    items = [({"fill": colour, "color": "#1b1b1b", "shape": "circle"}, L(f"op_class_{key}", w=w))
             for key, colour in DAY_CLASSES.items()]
    items.append(({"fill": None, "color": "#555555", "shape": "circle", "dashed": True}, L("op_map_approx_legend")))
    add_legend(m, L("op_map_legend"), items)
    site_island = in_kepulauan_seribu(pts["kecamatan_kode"])
    add_seribu_inset(m, kec, island, shapes=[kec_layer.recap_spec.select(island)],
                     points=[sites.recap_spec.select(site_island)], position="topleft")
    folium.LayerControl(collapsed=False).add_to(m)
    return m
