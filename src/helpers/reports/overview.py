"""What notebook 04 (the national overview) writes: CSV tables, headline figures, the map file, the reader report.

The computation is :mod:`helpers.analysis.overview`; the map is :mod:`helpers.maps.overview`.  Like
every notebook's report module: :func:`figures` (the headline figures), :func:`write` (the files),
:func:`report_spec` (the reader report, :mod:`helpers.reports.spec`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.analysis import overview as ov_
from helpers.analysis.overview import Overview
from helpers.core import text
from helpers.core.scope import Scope
from helpers.io.national import NationalLayer
from helpers.maps.overview import overview_map
from helpers.maps.page import save_map
from helpers.reports import spec as rr

#: The files :func:`write` writes (the map only with the map layer).
FILES = {"provinsi": "overview-provinsi.csv", "kabkota": "overview-kabkota.csv", "sites": "overview-ppk-sites.csv",
         "sea": "overview-sea-crossing.csv", "unplaced": "overview-unplaced-desa.csv",
         "budget": "overview-budget.csv", "ops_sites": "overview-operations-sites.csv",
         "ops_kabkota": "overview-operations-kabkota.csv", "map": "map-national-overview.html"}


def figures(ov: Overview) -> dict:
    """The headline figures of the scope (JSON-ready; :func:`helpers.analysis.overview.headline`)."""
    return ov_.headline(ov)


def write(ov: Overview, out_dir, layer: NationalLayer | None = None, *, offline: bool = True,
          basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """The CSV tables and (with ``layer``'s map-ready kecamatan) the map; ``{kind: path}`` of :data:`FILES`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {k: out / v for k, v in FILES.items()}
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
    if ov.operations is not None:
        pd.concat(list(ov.operations.values()), ignore_index=True).to_csv(files["ops_sites"], index=False,
                                                                          lineterminator="\n")
        ov.operations_kabkota.to_csv(files["ops_kabkota"], index=False, lineterminator="\n")
    else:
        files.pop("ops_sites"), files.pop("ops_kabkota")
    if layer is not None and layer.kecamatan_map is not None:
        save_map(overview_map(ov, layer.kecamatan_map, basemap=basemap), files["map"], offline=offline)
    else:
        files.pop("map")
    return files


def run_info(language: str = "id", scope: Scope | None = None, **parameters) -> dict:
    """Report header (:func:`helpers.reports.spec.run_info`) naming the national layer's sources; the
    province is listed when the scope is one (or lies in one), not for all of Indonesia."""
    provinsi = None if scope is None or scope.is_national else scope.provinsi
    run = rr.run_info(language, provinsi=provinsi, **parameters)
    run["sources"] = [text.label("src_national_boundaries", language), text.label("src_national_tps", language)]
    return run


def report_spec(ov: Overview, files: dict, *, run: dict | None = None) -> dict:
    """The reader report (:mod:`helpers.reports.spec`) in the run's language."""
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
        if ov.scope.is_national else None,
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
    if ov.operations_kabkota is not None:
        sections.append(_operations_section(ov, h, files, fm))
    if "map" in files:
        sections.append(rr.section(L("ov_map"), rr.map_link(files["map"], L("ov_map"), L("ov_map_text"))))
    listed = [(files[k], L(f"ov_file_{k}")) for k in ("provinsi", "kabkota", "sites", "sea", "unplaced", "budget")
              if k in files]
    listed += [(files[k], L(f"op_nat_file_{k}")) for k in ("ops_sites", "ops_kabkota") if k in files]
    sections.append(rr.section(L("cg_files"), rr.file_list(listed, L("cg_files_text"))))
    return rr.new_spec(name=L("ov_name"), scope=ov.scope.title, language=lang, lead=ov_.summary(ov), figures=figs,
                       sections=sections, run=run or run_info(lang))


def _operations_section(ov: Overview, h: dict, files: dict, fm: dict) -> dict:
    """The recapitulation operations of the scope: the findings, the kab/kota that would need more panels or more
    bandwidth, and the note that the Pilkada's TPS are estimates."""
    lang = ov.language
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, lang)  # noqa: E731
    k = ov.operations_kabkota
    need = k[k["more_panels"] | k["more_bandwidth"]].sort_values(
        ["panels_short_pemilu2024", "panels_short_pilkada2024", "kabkota_kode"], ascending=[False, False, True])
    words = L("op_nat_text", sites=n(h["n_sites"]), miss=n(h["ops_n_sites_miss_pemilu2024"]),
              short=n(h["ops_panels_short_pemilu2024"]), kab=n(h["ops_n_kabkota_more_panels"]),
              days=n(h["ops_days_max_pemilu2024"]), miss_p=n(h["ops_n_sites_miss_pilkada2024"]),
              peak=text.fmt_number(h["ops_mbps_peak_central_max_pemilu2024"], lang, 2),
              bw=n(h["ops_n_kabkota_more_bandwidth"]), link=text.fmt_value(h["ops_link_mbps"], lang),
              high=text.fmt_number(h["ops_mbps_peak_high_max_pemilu2024"], lang, 2),
              bw_high=n(h["ops_n_kabkota_bandwidth_high"]))
    formats = {**fm, **{c: "int" for c in ("tps_pemilu2024", "n_miss_pemilu2024", "panels_short_pemilu2024",
                                           "days_max_pemilu2024", "n_miss_pilkada2024", "panels_short_pilkada2024",
                                           "n_over_link_pemilu2024")}, "mbps_peak_max_pemilu2024": "float2"}
    table = rr.table(need, {"kabkota": L("ov_col_kabkota"), "provinsi": L("ov_col_provinsi"),
                            "n_sites": L("ov_col_sites"), "tps_pemilu2024": L("op_col_tps_pemilu"),
                            "n_miss_pemilu2024": L("op_nat_col_miss_pemilu"),
                            "panels_short_pemilu2024": L("op_nat_col_short_pemilu"),
                            "days_max_pemilu2024": L("op_col_days_pemilu"),
                            "n_miss_pilkada2024": L("op_nat_col_miss_pilkada"),
                            "panels_short_pilkada2024": L("op_nat_col_short_pilkada"),
                            "mbps_peak_max_pemilu2024": L("op_col_peak_pemilu")},
                     csv=files["ops_kabkota"], language=lang, formats=formats, max_rows=40)
    return rr.section(L("op_nat_heading"), rr.paragraph(words), rr.paragraph(L("op_nat_method")),
                      table if len(need) else rr.paragraph(L("op_nat_none")), rr.paragraph(L("op_nat_estimated")))
