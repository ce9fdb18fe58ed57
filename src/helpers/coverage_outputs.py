"""Files of a coverage run: CSV tables, a GeoPackage, headline figures, charts and the gap map.

Everything goes into one output folder with fixed names (see :data:`OUTPUT_FILES`) so that the
batch report can find it.  Charts are :class:`matplotlib.figure.Figure` objects rendered with the
Agg canvas (no pyplot, so the caller's backend is left alone); the map is built
with the shared builders of :mod:`helpers.maps` and needs no network except for basemap tiles.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
from matplotlib.figure import Figure


from . import text
from .coverage_report import FIGURES_NAME, MAP_NAME, CoverageResult
from .figures import plain

#: The ``last_change`` stamp written into the GeoPackage (election day; see write_outputs).
GPKG_TIMESTAMP = "2024-02-14T00:00:00.000Z"
#: Fixed names of the files written by :func:`write_outputs` (key -> file name).
OUTPUT_FILES = {
    "kota": "coverage-kota.csv", "kecamatan": "coverage-kecamatan.csv", "kelurahan": "coverage-kelurahan.csv",
    "sites": "coverage-sites.csv", "gaps": "coverage-gaps.csv", "sea_crossing": "coverage-sea-crossing.csv",
    "gpkg": "coverage-gaps.gpkg", "figures": FIGURES_NAME, "map": MAP_NAME,
    "chart_load": "chart-load-per-kota.png", "chart_distance": "chart-distance-per-kota.png",
}
_KOTA_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
_GAP_CLASSES = [(0, 0, "0"), (1, 2, "1–2"), (3, 4, "3–4"), (5, 7, "5–7"), (8, 10**9, "≥ 8")]
_GAP_COLORS = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]
#: Above this many kelurahan/desa points a layer's markers are grouped (Leaflet.markercluster,
#: inlined offline): Jawa Timur has 8,494 desa.
CLUSTER_ABOVE = 2000

def _kota_colors(result: CoverageResult) -> dict:
    """The same colour for a kota in every chart (by kota code order)."""
    whole = result.kota["kota_kode"].astype(str).str.len() <= 2  # the whole-area row (DKI Jakarta / the province)
    names = list(result.kota[~whole].sort_values("kota_kode")["kota"])
    return {k: _KOTA_COLORS[i % len(_KOTA_COLORS)] for i, k in enumerate(names)}


# ---------------------------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------------------------
def plot_load(result: CoverageResult, path=None):
    """Bar chart of TPS per PPK site grouped by kota, with each kota's overload threshold."""
    lang = result.language
    s = result.sites.sort_values(["kota_kode", "tps_load"], ascending=[True, False]).reset_index(drop=True)
    fig = Figure(figsize=(max(6.0, 0.22 * len(s) + 2), 4.2), dpi=110)
    ax = fig.subplots()
    kotas = list(dict.fromkeys(s["kota"]))
    colors = _kota_colors(result)
    ax.bar(np.arange(len(s)), s["tps_load"], color=[colors[k] for k in s["kota"]],
           edgecolor=np.where(s["overloaded"], "black", "none"), linewidth=1.2)
    for k in kotas:
        idx = np.flatnonzero(s["kota"].to_numpy() == k)
        line = s.loc[idx, "tps_load"].mean() * result.thresholds.overload_ratio
        ax.hlines(line, idx.min() - 0.4, idx.max() + 0.4, colors="black", linestyles="dashed", linewidth=1)
        ax.text(idx.mean(), -0.06, k, transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=7)
    ax.set_xticks([])
    ax.set_ylabel(text.label("cov_load_y", lang))
    ax.set_title(f"{text.label('cov_load_title', lang)} — {result.scope}", fontsize=10)
    ax.plot([], [], "k--", linewidth=1,
            label=text.label("cov_load_line", lang, r=text.fmt_number(result.thresholds.overload_ratio, lang, 2)))
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path)
    return fig


def plot_distance(result: CoverageResult, path=None):
    """Box plot per kota of PPS -> PPK distances on the mainland, with the distance threshold."""
    lang = result.language
    kel = result.kelurahan[~result.kelurahan["sea_crossing"] & result.kelurahan["site_id"].ne("")]
    part = result.kota[result.kota["kota_kode"].astype(str).str.len() > 2]
    kotas = [k for k in dict.fromkeys(part["kota"]) if (kel["kota"] == k).any()]
    fig = Figure(figsize=(max(5.0, 1.2 * len(kotas) + 2), 4.2), dpi=110)
    ax = fig.subplots()
    data = [kel.loc[kel["kota"] == k, "distance_m"].to_numpy() / 1000 for k in kotas]
    if data:
        ax.boxplot(data, showfliers=False)
        for i, d in enumerate(data, start=1):
            ax.scatter(np.full(len(d), i) + np.linspace(-0.15, 0.15, len(d)), d, s=8, alpha=0.6,
                       color=_kota_colors(result).get(kotas[i - 1], "#555555"), zorder=3)
        ax.set_xticks(range(1, len(kotas) + 1), kotas, fontsize=8)
    else:
        ax.text(0.5, 0.5, text.label("cov_no_data", lang), ha="center", va="center", transform=ax.transAxes)
    t = result.thresholds.max_distance_km
    ax.axhline(t, color="#d7191c", linestyle="dashed", linewidth=1,
               label=text.label("cov_dist_line", lang, t=text.fmt_number(t, lang, 1)))
    ax.set_ylabel(text.label("cov_dist_y", lang))
    ax.set_title(f"{text.label('cov_dist_title', lang)} — {result.scope}", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path)
    return fig


# ---------------------------------------------------------------------------------------------
# map
# ---------------------------------------------------------------------------------------------
def gap_class(n: pd.Series) -> pd.Series:
    """Class label of a number of gaps (``"0"``, ``"1–2"``, ``"3–4"``, ``"5–7"``, ``"≥ 8"``)."""
    out = pd.Series("", index=n.index, dtype=object)
    for lo, hi, name in _GAP_CLASSES:
        out[(n >= lo) & (n <= hi)] = name
    return out


def coverage_map(result: CoverageResult, *, offline: bool = True, basemap: str | None = "openstreetmap"):
    """Folium choropleth of the number of gaps per kecamatan, with PPK sites and PPS offices.

    Built with :mod:`helpers.maps` (every data string escaped).  Approximate positions are
    drawn hollow and dashed and say so in their popup.
    """
    import folium

    from .maps import add_boundaries, add_choropleth, add_legend, add_points, add_seribu_inset, base_map

    lang = "en" if result.language == "en" else "id"
    kec = result.kecamatan.copy()
    kec["nama"] = kec["kecamatan"]
    kec["gap_class"] = gap_class(kec["n_gaps"])
    mainland = kec[~kec["island"]]
    m = base_map(mainland if len(mainland) else kec, language=lang, basemap=basemap,
                 title=text.label("cov_title", lang, scope=result.scope), subtitle=text.label("cov_subtitle", lang, n=len(result.gaps)))
    m.recap_offline = offline
    cols = {c: text.label(f"cov_{c}", lang) for c in ("n_gaps", "tps", "site_id", "distance_max_km", "load_ratio",
                                "fallback_distance_km", "ppk_office_known")}
    kec_group = add_choropleth(m, kec, "gap_class", name=text.label("cov_layer_kec", lang), legend_title=text.label("cov_legend_kec", lang),
                               labels={name: name for _, _, name in _GAP_CLASSES}, colors=_GAP_COLORS,
                               tooltip_cols=cols)
    if result.boundaries is not None and len(result.boundaries):
        add_boundaries(m, result.boundaries, name=text.label("cov_layer_kota", lang), label_col=None, interactive=False,
                       style={"color": "#252525", "weight": 2.5, "fillOpacity": 0})
    kel = result.kelurahan.copy()
    far = kel["distance_m"] > result.thresholds.max_distance_km * 1000
    kel["_style"] = np.where(far & ~kel["sea_crossing"], "far", np.where(kel["approximate"], "approx", "ok"))
    kel["distance_km"] = (kel["distance_m"] / 1000).round(2)
    kel["_note"] = np.where(kel["approximate"], text.label("cov_approx", lang), "")
    styles = {"far": {"radius": 5, "fillColor": "#d7191c", "color": "#000000", "weight": 1},
              "approx": {"radius": 4, "fillColor": "#ffffff", "fillOpacity": 0.3, "color": "#555555",
                         "dashArray": "3 2", "weight": 1.5},
              "ok": {"radius": 3, "fillColor": "#4d4d4d", "color": "#ffffff", "weight": 0.5}}
    add_points(m, kel, name=text.label("cov_layer_kel", lang, n=len(kel)), tooltip_col="nama", title_col="nama",
               note_col="_note", style_col="_style", styles=styles, class_name="coverage-kelurahan",
               cluster=len(kel) > CLUSTER_ABOVE,  # a large province's thousands of desa: grouped markers
               popup_cols={"kecamatan": text.label("cov_kecamatan", lang), "tps_total": text.label("cov_tps", lang), "site_id": text.label("cov_site_id", lang),
                           "distance_km": text.label("cov_distance_km", lang), "position_source": text.label("cov_position_source", lang)})
    s = result.sites.copy()
    s["_style"] = np.where(s["approximate"].astype(bool), "approx", "known")
    s["_note"] = np.where(s["approximate"].astype(bool), text.label("cov_approx", lang), "")
    s["fallback_distance_km"] = (s["fallback_distance_m"] / 1000).round(2)
    site_group = add_points(m, s, name=text.label("cov_layer_sites", lang, n=len(s)), tooltip_col="kecamatan", title_col="site_id",
               note_col="_note", style_col="_style", class_name="coverage-site",
               styles={"known": {"radius": 7, "fillColor": "#2c7bb6", "color": "#000000", "weight": 1.5},
                       "approx": {"radius": 8, "fillColor": "#ffffff", "fillOpacity": 0.3, "color": "#2c7bb6",
                                  "dashArray": "4 3", "weight": 2.5}},
               popup_cols={"kecamatan": text.label("cov_kecamatan", lang), "tps_load": text.label("cov_tps_load", lang),
                           "load_ratio": text.label("cov_load_ratio", lang), "internet": text.label("cov_internet", lang),
                           "fallback_site_id": text.label("cov_fallback_site_id", lang),
                           "fallback_distance_km": text.label("cov_fallback_distance_km", lang)})
    add_legend(m, text.label("cov_lg_points", lang), [({"fill": "#2c7bb6", "color": "#000", "shape": "circle"}, text.label("cov_lg_site", lang)),
                                   ({"fill": None, "color": "#2c7bb6", "shape": "circle", "dashed": True},
                                    text.label("cov_lg_approx", lang)),
                                   ({"fill": "#d7191c", "color": "#000", "shape": "circle"}, text.label("cov_lg_far", lang)),
                                   ({"fill": "#4d4d4d", "color": "#fff", "shape": "circle"}, text.label("cov_lg_ok", lang))],
               position="bottomleft")
    island = kec["island"].to_numpy(bool)  # DKI scope: Kepulauan Seribu (~60 km north) in an inset
    site_island = s["kecamatan_kode"].isin(kec.loc[island, "kecamatan_kode"]).to_numpy()
    add_seribu_inset(m, kec, island, shapes=[kec_group.recap_spec.select(island)],
                     points=[site_group.recap_spec.select(site_island)], position="topleft")
    folium.LayerControl(collapsed=False).add_to(m)
    return m


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------
def write_outputs(result: CoverageResult, output_dir, *, offline: bool = True, make_map: bool = True,
                  basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """Write tables (CSV + GeoPackage), charts, the map and the headline figures into ``output_dir``.

    Returns
    -------
    dict
        Key (see :data:`OUTPUT_FILES`) -> path written.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / v for k, v in OUTPUT_FILES.items()}
    tables = {"kota": result.kota, "kecamatan": result.kecamatan, "kelurahan": result.kelurahan,
              "sites": result.sites, "gaps": result.gaps, "sea_crossing": result.sea_crossing}
    for key, df in tables.items():
        flat = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
        flat.to_csv(paths[key], index=False, encoding="utf-8")
    gpkg = paths["gpkg"]
    gpkg.unlink(missing_ok=True)
    # GeoPackage stamps every table with its write time (gpkg_contents.last_change); a fixed
    # stamp makes two runs on the same inputs write byte-identical files
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_TIMESTAMP})
    for layer in ("kecamatan", "kelurahan", "sites"):
        pyogrio.write_dataframe(tables[layer], gpkg, layer=layer, driver="GPKG")
    pyogrio.write_dataframe(result.gaps, gpkg, layer="gaps", driver="GPKG")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    plot_load(result, paths["chart_load"])
    plot_distance(result, paths["chart_distance"])
    if make_map:
        from .maps import save_map
        save_map(coverage_map(result, offline=offline, basemap=basemap), paths["map"], offline=offline)
    else:
        paths.pop("map")
    figures = result.figures()
    paths["figures"].write_text(json.dumps(figures, ensure_ascii=False, indent=1, allow_nan=False),
                                encoding="utf-8")
    return paths


# ---------------------------------------------------------------------------------------------
# reader report
# ---------------------------------------------------------------------------------------------
#: Order of the gap list in the reader report: what stops the recapitulation first.
GAP_PRIORITY = ("no_site", "no_internet", "far_from_ppk", "overloaded_site", "tps_ceiling", "weak_fallback",
                "no_warehouse_position", "site_position_unverified", "no_ppk_office", "no_pps_office",
                "nearest_not_own")


def report_spec(result: CoverageResult, files: dict, language: str | None = None, *, run: dict | None = None) -> dict:
    """Reader report of a coverage run (:mod:`helpers.reader_report`) in the result's language
    (that of its gap sentences; ``language``, when given, must be the same).

    ``files`` are the paths written by :func:`write_outputs` (only their file names are kept).
    """
    from . import reader_report as rr

    lang = language or result.language
    if lang != result.language:
        raise ValueError(f"the coverage was computed with language={result.language!r}: its gap sentences "
                         f"cannot go into a report in {lang!r}")
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, lang)  # noqa: E731
    th = result.thresholds
    h = {k: plain(v) for k, v in result.headline().items()}
    limit = text.fmt_km(th.max_distance_km, lang, 0 if float(th.max_distance_km).is_integer() else 1)
    km = lambda v: text.fmt_km(v, lang)  # noqa: E731
    wanted = [("cg_kecamatan", "n_kecamatan", n), ("cg_sites", "n_sites", n), ("cg_sites_internet", "n_sites_internet", n),
              ("cg_sites_known", "n_sites_position_known", n),
              ("cg_venues_confirmed", "n_venues_confirmed", n), ("cg_without_site", "n_kecamatan_without_site", n),
              ("cg_tps", "tps", n), ("cg_dpt", "dpt", n), ("cg_tps_mean", "tps_per_site_mean", n),
              ("cg_tps_max", "tps_per_site_max", n), ("cg_dist_median", "distance_median_km", km),
              ("cg_dist_p95", "distance_p95_km", km), ("cg_dist_max", "distance_max_km", km),
              ("cg_beyond", "n_kelurahan_beyond_max", n), ("cg_within", "share_tps_within_max",
                                                            lambda v: text.fmt_percent(v, lang)),
              ("cg_overloaded", "n_sites_overloaded", n), ("cg_weak", "n_sites_weak_fallback", n)]
    figs = [rr.figure(L(key, t=limit), f(h[col])) for key, col, f in wanted if h.get(col) is not None]
    figs.append(rr.figure(L("cg_gaps"), n(len(result.gaps))))

    kota = result.kota.copy()
    kota["n_gaps"] = kota["kota"].map(result.gaps.groupby("kota").size()).fillna(0).astype(int)
    kota.loc[kota["kota_kode"].astype(str).str.len() <= 2, "n_gaps"] = len(result.gaps)
    measures = rr.table(kota, {"kota": L("col_kota"), "n_kecamatan": L("cg_kecamatan"), "n_sites": L("col_sites"),
                               "n_sites_internet": L("col_sites_internet"), "tps": L("col_tps"),
                               "tps_per_site_mean": L("col_tps_mean"), "tps_per_site_max": L("col_tps_max"),
                               "distance_median_km": L("col_dist_median"), "distance_max_km": L("col_dist_max"),
                               "share_tps_within_max": L("col_within"), "n_gaps": L("col_gaps")},
                        csv=files["kota"], language=lang,
                        formats={c: "int" for c in ("n_kecamatan", "n_sites", "n_sites_internet", "tps",
                                                    "tps_per_site_mean", "tps_per_site_max", "n_gaps")}
                        | {"distance_median_km": "km", "distance_max_km": "km", "share_tps_within_max": "pct"})

    gaps = result.gaps.copy()
    order = {k: i for i, k in enumerate(GAP_PRIORITY)}
    gaps["_order"] = gaps["kind"].map(order).fillna(len(order))
    gaps = gaps.sort_values(["_order", "kota", "kecamatan", "kelurahan"], kind="stable")
    gaps["_kind"] = [L(f"gap_{k}") if f"gap_{k}" in text.LABELS else k for k in gaps["kind"]]
    counts = gaps.groupby("_kind", sort=False).size().rename("n").reset_index()
    by_kind = rr.table(counts, {"_kind": L("col_kind"), "n": L("col_count")}, csv=files["gaps"], language=lang,
                       formats={"n": "int"}, caption=L("cg_by_kind"))
    gap_table = rr.table(gaps, {"kota": L("col_kota"), "kecamatan": L("col_kecamatan"), "kelurahan": L("col_kelurahan"),
                                "_kind": L("col_kind"), "sentence": L("col_sentence")},
                         csv=files["gaps"], language=lang, caption=L("cg_gap_list"))
    sections = [
        rr.section(L("cg_measures"), rr.paragraph(L("cg_measures_text")), measures),
        rr.section(L("cg_gap_list"), rr.paragraph(L("cg_gap_text", n=n(len(gaps)))), by_kind if len(gaps) else None,
                   gap_table if len(gaps) else None),
        rr.section(L("cg_charts"), rr.image(files["chart_load"], L("cg_chart_load"), L("cg_chart_load")),
                   rr.image(files["chart_distance"], L("cg_chart_distance"), L("cg_chart_distance"))
                   if h.get("distance_median_km") is not None else None),  # no mainland distance: an empty chart
    ]
    if len(result.sea_crossing):
        sea = result.sea_crossing.copy()
        sea["_kind"] = [L(f"sea_{k}") if f"sea_{k}" in text.LABELS else k for k in sea["kind"]]
        sea["_from"] = [kel if isinstance(kel, str) and kel else f for kel, f in zip(sea["kelurahan"], sea["from_id"])]
        sections.append(rr.section(L("cg_sea"), rr.paragraph(L("cg_sea_text")), rr.table(
            sea, {"_kind": L("col_sea_kind"), "kecamatan": L("col_kecamatan"), "_from": L("col_from"),
                  "to_id": L("col_to"), "straight_line_km": L("col_km")},
            csv=files["sea_crossing"], language=lang, formats={"straight_line_km": "km", "to_id": "code"})))
    if files.get("map"):
        sections.append(rr.section(L("cg_map"), rr.map_link(files["map"], L("cg_map"), L("cg_map_text"))))
    listed = [(files[k], L(f"file_{k}")) for k in ("kota", "kecamatan", "kelurahan", "sites", "gaps", "sea_crossing")]
    sections.append(rr.section(L("cg_files"), rr.file_list(listed + [(files["gpkg"], L("file_gpkg"))],
                                                           L("cg_files_text"))))
    where = lambda r: ", ".join(str(v) for v in (r["kelurahan"], r["kecamatan"], r["kota"]) if isinstance(v, str) and v)  # noqa: E731
    gap_items = [{"where": where(r), "text": r["sentence"]} for r in gaps.to_dict("records")]
    return rr.new_spec(name=L("cg_name"), scope=result.scope, language=lang, lead=result.summary(), figures=figs,
                       sections=sections, run=rr.with_parameters(run, lang, **th.as_dict()), gaps=gap_items)
