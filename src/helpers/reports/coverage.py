"""What notebook 02 (coverage gaps) writes: CSV tables, a GeoPackage, charts, the map file, the reader report.

Like every notebook's report module: :func:`figures` (the headline figures), :func:`write` (the
files, with fixed names: :data:`OUTPUT_FILES`), :func:`report_spec` (the reader report,
:mod:`helpers.reports.spec`).  Charts are :class:`matplotlib.figure.Figure` objects rendered with the
Agg canvas (no pyplot, so the caller's backend is left alone); the map is :mod:`helpers.maps.coverage`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
from matplotlib.figure import Figure


from helpers.analysis.coverage.compute import CoverageResult
from helpers.core import text
from helpers.core.figures import plain
from helpers.maps.coverage import coverage_map
from helpers.maps.page import save_map
from helpers.reports import spec as rr

#: The ``last_change`` stamp written into the GeoPackage (election day; see write_outputs).
GPKG_TIMESTAMP = "2024-02-14T00:00:00.000Z"
#: Fixed names of the files written by :func:`write_outputs` (key -> file name).
OUTPUT_FILES = {
    "kota": "coverage-kota.csv", "kecamatan": "coverage-kecamatan.csv", "kelurahan": "coverage-kelurahan.csv",
    "sites": "coverage-sites.csv", "gaps": "coverage-gaps.csv", "sea_crossing": "coverage-sea-crossing.csv",
    "gpkg": "coverage-gaps.gpkg", "map": "map-coverage-gaps.html",
    "chart_load": "chart-load-per-kota.png", "chart_distance": "chart-distance-per-kota.png",
}
_KOTA_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]

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
# files
# ---------------------------------------------------------------------------------------------
def figures(result: CoverageResult) -> dict:
    """The headline figures of a coverage run (JSON-ready; :meth:`CoverageResult.figures`)."""
    return result.figures()


def write(result: CoverageResult, output_dir, *, offline: bool = True, make_map: bool = True,
          basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """Write tables (CSV + GeoPackage), charts and the map into ``output_dir``.

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
        save_map(coverage_map(result, offline=offline, basemap=basemap), paths["map"], offline=offline)
    else:
        paths.pop("map")
    return paths


# ---------------------------------------------------------------------------------------------
# reader report
# ---------------------------------------------------------------------------------------------
#: Order of the gap list in the reader report: what stops the recapitulation first.
GAP_PRIORITY = ("no_site", "no_internet", "far_from_ppk", "overloaded_site", "tps_ceiling", "weak_fallback",
                "no_warehouse_position", "site_position_unverified", "no_ppk_office", "no_pps_office",
                "nearest_not_own")


def warehouse_table(result: CoverageResult) -> pd.DataFrame:
    """Per kota (and the whole area, last): warehouses of known position, the median and largest PPK site
    -> nearest warehouse distance (mainland lines; :func:`helpers.analysis.coverage.compute.warehouse_distances`),
    and the farthest site with its warehouse.

    Examples
    --------
    >>> from helpers.analysis.coverage.thresholds import Thresholds
    >>> kota = pd.DataFrame({"kota_kode": ["82.06", "82.71", "82"], "kota": ["Halmahera Timur", "Ternate",
    ...     "Maluku Utara"], "n_warehouse_positions_known": [1, 0, 1], "warehouse_distance_median_km": [20.0, 250.0,
    ...     30.0], "warehouse_distance_max_km": [40.0, 250.0, 250.0]})
    >>> sites = pd.DataFrame({"kota_kode": ["82.06", "82.06", "82.71"], "site_id": ["A", "B", "C"],
    ...     "kecamatan": ["Maba", "Wasile", "Ternate Utara"], "nearest_warehouse": ["Gudang Maba"] * 3,
    ...     "nearest_warehouse_km": [0.5, 40.0, 250.0], "warehouse_sea_crossing": [False, False, False]})
    >>> r = CoverageResult("Maluku Utara", Thresholds(), kota, None, None, sites, None, None)
    >>> warehouse_table(r)[["kota", "_farthest", "_farthest_km"]].values.tolist()
    [['Halmahera Timur', 'B', 40.0], ['Ternate', 'C', 250.0], ['Maluku Utara', 'C', 250.0]]
    """
    kota = result.kota.copy()
    s = result.sites
    main = s[s["nearest_warehouse_km"].notna() & ~s["warehouse_sea_crossing"].astype(bool)]
    far = []
    for code in kota["kota_kode"].astype(str):
        part = main[main["kota_kode"].astype(str).str.startswith(code)]
        far.append(part.loc[part["nearest_warehouse_km"].idxmax()] if len(part) else None)
    kota["_farthest"] = [r["site_id"] if r is not None else None for r in far]
    kota["_farthest_kec"] = [r["kecamatan"] if r is not None else None for r in far]
    kota["_farthest_km"] = [float(r["nearest_warehouse_km"]) if r is not None else np.nan for r in far]
    kota["_farthest_to"] = [r["nearest_warehouse"] if r is not None else None for r in far]
    sea = s[s["nearest_warehouse_km"].notna() & s["warehouse_sea_crossing"].astype(bool)]
    kota["_sea"] = [int(sea["kota_kode"].astype(str).str.startswith(code).sum()) for code in kota["kota_kode"].astype(str)]
    return kota


def warehouse_section(result: CoverageResult, files: dict, lang: str) -> dict:
    """The warehouse answer of the reader report: per kota the median and largest PPK site -> warehouse
    distance, the farthest site, and the kota without a warehouse of their own (``wh_*`` labels)."""
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n_known = 0 if result.warehouses is None else len(result.warehouses)
    has = result.sites["nearest_warehouse_km"].notna() if "nearest_warehouse_km" in result.sites else None
    if has is None or not has.any():
        return rr.section(L("wh_section"), rr.paragraph(L("wh_none")))
    kota = warehouse_table(result)
    parts = kota[kota["kota_kode"].astype(str).str.len() > 2]
    without = parts.loc[parts["n_warehouse_positions_known"].eq(0), "kota"].tolist()
    sea = int((has & result.sites["warehouse_sea_crossing"].astype(bool)).sum())
    kota["_farthest_text"] = [L("wh_farthest", site=a, kecamatan=b) if isinstance(a, str) else None
                              for a, b in zip(kota["_farthest"], kota["_farthest_kec"])]
    table = rr.table(kota, {"kota": L("col_kota"), "n_warehouse_positions_known": L("wh_col_known"),
                            "warehouse_distance_median_km": L("wh_col_median"),
                            "warehouse_distance_max_km": L("wh_col_max"), "_farthest_text": L("wh_col_farthest"),
                            "_farthest_to": L("wh_col_farthest_to"), "_sea": L("wh_col_sea")},
                     csv=files["kota"], language=lang, caption=L("wh_caption"),
                     formats={"n_warehouse_positions_known": "int", "warehouse_distance_median_km": "km",
                              "warehouse_distance_max_km": "km", "_sea": "int"})
    words = [L("wh_text", n=text.fmt_number(n_known, lang)),
             L("wh_no_warehouse", kota=", ".join(without)) if without else L("wh_all_have")]
    approx = 0 if result.warehouses is None or "approximate" not in result.warehouses else int(
        result.warehouses["approximate"].fillna(False).astype(bool).sum())
    if approx:
        words.append(L("wh_approx_text", n=text.fmt_number(approx, lang)))
    if sea:
        words.append(L("wh_sea", n=text.fmt_number(sea, lang)))
    return rr.section(L("wh_section"), *(rr.paragraph(w) for w in words), table)


def report_spec(result: CoverageResult, files: dict, language: str | None = None, *, run: dict | None = None) -> dict:
    """Reader report of a coverage run (:mod:`helpers.reports.spec`) in the result's language
    (that of its gap sentences; ``language``, when given, must be the same).

    ``files`` are the paths written by :func:`write` (only their file names are kept).
    """

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
              ("cg_tps", "tps", n), ("cg_dpt", "dpt", n),
              ("cg_tps_mean", "tps_per_site_mean", lambda v: text.fmt_number(v, lang, 1)),  # as in the lead
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
    sections.append(warehouse_section(result, files, lang))
    if files.get("map"):
        sections.append(rr.section(L("cg_map"), rr.map_link(files["map"], L("cg_map"), L("cg_map_text"))))
    listed = [(files[k], L(f"file_{k}")) for k in ("kota", "kecamatan", "kelurahan", "sites", "gaps", "sea_crossing")]
    sections.append(rr.section(L("cg_files"), rr.file_list(listed + [(files["gpkg"], L("file_gpkg"))],
                                                           L("cg_files_text"))))
    where = lambda r: ", ".join(str(v) for v in (r["kelurahan"], r["kecamatan"], r["kota"]) if isinstance(v, str) and v)  # noqa: E731
    gap_items = [{"where": where(r), "text": r["sentence"]} for r in gaps.to_dict("records")]
    return rr.new_spec(name=L("cg_name"), scope=result.scope, language=lang, lead=result.summary(), figures=figs,
                       sections=sections, run=rr.with_parameters(run, lang, **th.as_dict()), gaps=gap_items)
