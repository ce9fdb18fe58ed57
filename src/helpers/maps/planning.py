"""The map of notebook 03: kelurahan by coverage, existing sites, proposed and backup points, outage losses.

Built with the shared builders of :mod:`helpers.maps` (every data string escaped; Leaflet only,
inlined offline).  The other files of a planning run are :mod:`helpers.reports.planning`.
"""

from __future__ import annotations

import geopandas as gpd
import folium
import numpy as np

from helpers.analysis.planning import PlanningInstance, PlanResult
from helpers.core import text
from helpers.core.names import KEPULAUAN_SERIBU
from helpers.maps.inset import add_seribu_inset, in_kepulauan_seribu
from helpers.maps.layers import add_boundaries, add_choropleth, add_points
from helpers.maps.page import add_legend, add_title, base_map
from helpers.maps.sources import basis_column, link_popups, record_links

#: Colours of the kelurahan by coverage status.
STATUS_COLORS = {"covered_before": "#c7e9c0", "newly_covered": "#3182bd", "not_covered": "#fdae6b"}


def _typed(points, lang: str):
    """Candidate points with ``_type``: their facility type by its label ("Kantor lurah (PPS)", not
    ``kantor_lurah``)."""
    if points is None or not len(points) or "facility_type" not in points:
        return points
    return points.assign(_type=[text.label(f"map_ft_{t}", lang, fallback=str(t).replace("_", " "))
                                for t in points["facility_type"]])


def planning_map(inst: PlanningInstance, mclp: PlanResult, backup: PlanResult, out: PlanResult,
                 kelurahan: gpd.GeoDataFrame, kota_gdf: gpd.GeoDataFrame | None = None, *,
                 language: str = "id", offline: bool = True, basemap: str | None = "openstreetmap"):
    """Folium map: kelurahan by coverage, existing sites, proposed and backup points, outage losses.

    Parameters
    ----------
    kelurahan, kota_gdf : GeoDataFrame
        Boundaries (:func:`helpers.io.inputs.load_boundaries`); only the planned kelurahan are drawn.
    language : {"id", "en"}
    offline : bool
        Default of :func:`helpers.save_map` for this map.

    Returns
    -------
    folium.Map
    """
    lang = language
    # numbers in the page's language (issue 22: "72,7 % → 87,3 %", "2,5 km" in an Indonesian map)
    r = text.fmt_number(inst.radius_km, lang, 0 if float(inst.radius_km).is_integer() else 1)
    kel = kelurahan[["kode", "geometry"]].merge(mclp.kelurahan, on="kode", how="inner")
    kel = gpd.GeoDataFrame(kel, geometry="geometry", crs=kelurahan.crs)
    mainland = kel[~kel["kode"].str.startswith(KEPULAUAN_SERIBU + ".")]
    focus = mainland if len(mainland) else kel
    f = mclp.figures
    scope = inst.kota or inst.area
    m = base_map(focus, language=lang, basemap=basemap)
    m.recap_offline = offline
    add_title(m, text.label("plan_title", lang, scope=scope),
                   subtitle=text.label("plan_subtitle", lang, p=text.fmt_number(f["points_proposed"], lang), r=r,
                                       before=text.fmt_percent(f["pct_tps_covered_before"] / 100, lang),
                                       after=text.fmt_percent(f["pct_tps_covered_after"] / 100, lang)),
                   reset_label=text.label("plan_reset", lang), bounds=focus)
    tip = {"kecamatan": text.label("plan_kecamatan", lang), "tps_total": text.label("plan_tps", lang),
           "nearest_site_id": text.label("plan_nearest_site", lang), "nearest_site_km": text.label("plan_nearest_km", lang),
           "sites_within_radius": text.label("plan_sites_within", lang), "new_point_id": text.label("plan_new_point", lang),
           "approximate": text.label("plan_approx_demand", lang)}
    status_group = add_choropleth(m, kel, "status", name=text.label("plan_layer_status", lang), legend_title=text.label("plan_status_title", lang, r=r),
                        labels={k: text.label(f"plan_{k}", lang) for k in STATUS_COLORS}, colors=list(STATUS_COLORS.values()),
                        tooltip_cols=tip, legend_position="bottomright")
    if kota_gdf is not None:
        add_boundaries(m, kota_gdf, name=text.label("map_layer_kota", lang), label_col=None,
                            style={"color": "#252525", "weight": 2, "fillOpacity": 0}, interactive=False)
    lost = kel[kel["kode"].isin(out.kelurahan.loc[out.kelurahan["loses_coverage"], "kode"])]
    if len(lost):
        add_boundaries(m, lost, name=text.label("plan_layer_lost", lang, n=text.fmt_number(len(lost), lang)), label_col="nama",
                            style={"color": "#d7191c", "weight": 3, "fillOpacity": 0, "dashArray": "6 4"})
    unreach = kel[kel["kode"].isin(backup.unreachable["kode"])]
    if len(unreach):
        # the reason in the page's words, as the report gives it (labels sp_reason, sp_reason_island)
        why = backup.unreachable.set_index("kode")
        within = text.fmt_km(inst.radius_km, lang, 0 if float(inst.radius_km).is_integer() else 1)
        u = unreach.copy()
        u["reason"] = [text.label("sp_reason", lang, s=text.fmt_number(why.at[k, "sites_within_radius"], lang),
                                  c=text.fmt_number(why.at[k, "candidates_within_radius"], lang), r=within)
                       + (text.label("sp_reason_island", lang, g=why.at[k, "island_group"])
                          if isinstance(why.at[k, "island_group"], str) and why.at[k, "island_group"] else "")
                       for k in u["kode"]]
        add_boundaries(m, u, name=text.label("plan_layer_unreach", lang, n=text.fmt_number(len(u), lang)), label_col="nama", show=False,
                            tooltip_cols={"reason": text.label("plan_reason", lang)},
                            style={"color": "#6a3d9a", "weight": 2, "fillOpacity": 0, "dashArray": "2 3"})
    # existing sites: filled = known position, dashed hollow = approximate; red = offline in the scenario
    sites = inst.sites.to_crs("EPSG:4326")
    down = set(out.chosen["site_id"])
    sites = sites.assign(
        _style=np.where(sites["site_id"].isin(down), "down",
                        np.where(sites["approximate"].astype(bool), "approx", "known")),
        _note=np.where(sites["approximate"].astype(bool), text.label("plan_approx_note", lang), ""),
        _down=sites["site_id"].isin(down), _basis=basis_column(sites, lang))
    site_styles = {"known": {"radius": 7, "fillColor": "#1a9641", "color": "#1b1b1b", "weight": 1.5},
                   "approx": {"radius": 8, "fillColor": "#ffffff", "color": "#1a9641", "weight": 2.5,
                              "dashArray": "4 3", "fillOpacity": 0.35},
                   "down": {"radius": 8, "fillColor": "#d7191c", "color": "#1b1b1b", "weight": 2}}
    site_group = add_points(m, sites, name=text.label("plan_layer_sites", lang, n=text.fmt_number(len(sites), lang)), tooltip_col="site_id",
                    title_col="kecamatan", note_col="_note", style_col="_style", styles=site_styles,
                    class_name="planning-site",
                    popup_cols={"site_id": text.label("plan_site_id", lang), "kota": text.label("plan_kota", lang),
                                "approximate": text.label("plan_approximate", lang), "_basis": text.label("plan_basis", lang),
                                "_down": text.label("plan_down", lang)})
    link_popups(site_group, record_links(sites), lang)
    point_cols = {"candidate_id": "ID", "_type": text.label("plan_type", lang), "kota": text.label("plan_kota", lang)}
    new = _typed(mclp.chosen, lang)
    backup_points = _typed(backup.chosen, lang)
    if len(new):
        add_points(m, new, name=text.label("plan_layer_new", lang, n=text.fmt_number(len(new), lang)), tooltip_col="name", title_col="name",
                        class_name="planning-new",
                        default_style={"radius": 9, "fillColor": "#ff7f00", "color": "#1b1b1b", "weight": 2},
                        popup_cols={**point_cols, "newly_covered_tps": text.label("plan_covers_tps", lang),
                                    "newly_covered_kelurahan": text.label("plan_covers", lang)})
    if len(backup.chosen):
        add_points(m, backup_points, name=text.label("plan_layer_backup", lang, n=text.fmt_number(len(backup.chosen), lang)), tooltip_col="name",
                        title_col="name", class_name="planning-backup", show=False,
                        default_style={"radius": 6, "fillColor": "#984ea3", "color": "#ffffff", "weight": 1.5},
                        popup_cols=point_cols, cluster=len(backup.chosen) > 2000)  # a province: thousands
    items = [({"fill": "#1a9641", "color": "#1b1b1b", "shape": "circle"}, text.label("plan_lg_site", lang)),
             ({"fill": None, "color": "#1a9641", "shape": "circle", "dashed": True}, text.label("plan_lg_site_approx", lang)),
             ({"fill": "#ff7f00", "color": "#1b1b1b", "shape": "circle"}, text.label("plan_lg_new", lang)),
             ({"fill": "#984ea3", "color": "#ffffff", "shape": "circle"}, text.label("plan_lg_backup", lang))]
    if down:
        items += [({"fill": "#d7191c", "color": "#1b1b1b", "shape": "circle"}, text.label("plan_lg_down", lang)),
                  ({"shape": "line", "color": "#d7191c", "dashed": True}, text.label("plan_lg_lost", lang))]
    add_legend(m, text.label("plan_legend", lang), items)
    island = in_kepulauan_seribu(kel["kode"])  # DKI scope: Kepulauan Seribu (~60 km north) in an inset
    add_seribu_inset(m, kel, island, shapes=[status_group.recap_spec.select(island)],
                          points=[site_group.recap_spec.select(sites["island_group"])], position="bottomleft")
    folium.LayerControl(collapsed=False).add_to(m)
    return m
