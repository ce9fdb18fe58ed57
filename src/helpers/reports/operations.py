"""What notebook 05 (recapitulation operations) writes: CSV tables, the map file, headline figures, the reader report.

The computation is :mod:`helpers.analysis.operations` (+ :mod:`helpers.analysis.operations_tables`); the map is
:mod:`helpers.maps.operations`.  Like every notebook's report module: :func:`figures` (the headline figures),
:func:`write` (the files), :func:`report_spec` (the reader report, :mod:`helpers.reports.spec`).  Wherever the
Pilkada's TPS are estimated the tables say so (a column ``tps_estimated``, a note in the report and on the map).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.analysis import operations_tables as tables
from helpers.analysis.operations import Operations
from helpers.core import text
from helpers.core.scope import Scope
from helpers.maps.operations import operations_map
from helpers.maps.page import save_map
from helpers.reports import spec as rr

#: The files :func:`write` writes (the map only with boundaries).
FILES = {"sites": "operations-sites.csv", "kota": "operations-kota.csv", "elections": "operations-elections.csv",
         "internet": "operations-internet.csv", "checks": "operations-checks.csv",
         "precedents": "operations-precedents.csv", "parameters": "operations-parameters.csv",
         "map": "map-recap-operations.html"}
#: The columns of the sites file (the geometry goes as lon/lat).
SITE_COLUMNS = ["site_id", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "has_site", "approximate", "election", "tps",
                "tps_estimated", "ballot_types", "panels", "tps_per_panel_day", "hours_per_day", "window_start",
                "window_end", "window_days", "days_needed", "finish_date", "slack_days", "within_window",
                "panels_needed", "panels_short", "volume_gb_low", "volume_gb_central", "volume_gb_high",
                "mbps_avg_low", "mbps_avg_central", "mbps_avg_high", "mbps_peak_low", "mbps_peak_central",
                "mbps_peak_high", "link_mbps", "over_link", "lon", "lat"]


def figures(res: Operations) -> dict:
    """The headline figures (JSON-ready; :func:`helpers.analysis.operations_tables.headline`)."""
    return tables.headline(res)


def _site_frame(s: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(s.drop(columns="geometry", errors="ignore"))
    if "geometry" in s:
        out["lon"], out["lat"] = s.geometry.x.round(6).to_numpy(), s.geometry.y.round(6).to_numpy()
    return out[[c for c in SITE_COLUMNS if c in out]]


def write(res: Operations, out_dir, kecamatan: gpd.GeoDataFrame | None = None, kota: gpd.GeoDataFrame | None = None,
          *, offline: bool = True, basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """The CSV tables and (with ``kecamatan``) the map; ``{kind: path}`` of :data:`FILES`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {k: out / v for k, v in FILES.items()}
    both = pd.concat([_site_frame(res.sites[e]) for e in (res.election, *[e for e in res.sites if e != res.election])],
                     ignore_index=True)
    frames = {"sites": both, "kota": res.kota.assign(election=res.election), "elections": tables.compare(res),
              "internet": tables.scenarios(res).assign(election=res.election), "checks": tables.checks(res),
              "precedents": tables.precedents(res), "parameters": tables.parameters_used(res)}
    for kind, frame in frames.items():
        frame.to_csv(files[kind], index=False, lineterminator="\n")
    if kecamatan is not None and "geometry" in res.main:
        save_map(operations_map(res, kecamatan, kota, basemap=basemap, offline=offline), files["map"], offline=offline)
    else:
        files.pop("map")
    return files


def run_info(language: str = "id", scope: Scope | None = None, **parameters) -> dict:
    """Report header (:func:`helpers.reports.spec.run_info`): the sources of the scope plus the sourced table, and
    the notebook's own parameters under their own labels (``op_param_<name>``)."""
    run = rr.run_info(language, scope, **parameters)
    run["sources"] = [*run["sources"], text.label("op_src_table", language)]
    for row in run["parameters"]:
        key = f"op_param_{row['name']}"
        if key in text.LABELS:
            row["label"] = text.label(key, language)
    return run


def notes_in(res: Operations, notes, lang: str) -> list[str]:
    """The notes of the sourced table (English, as the CSV holds them) in the report's language: each row of
    ``data/raw/recap_operations/parameters.csv`` gives its note in both (``note``, ``note_id``); a note the table
    does not hold (none for a value the user set) is a dash."""
    words = {r.note: r.note_in(lang) for r in res.table.rows if r.note}
    return [words.get(x, x) if isinstance(x, str) and x else text.DASH for x in notes]


def _source_cell(res: Operations, source_id, lang: str):
    """A source for a reader: (outlet and date in words, its web address) -- a link in the report."""
    src = res.table.source(source_id) if isinstance(source_id, str) else None
    if src is None:
        return text.DASH
    return f"{src['outlet']}, {tables.fmt_date(src['date'], lang)}", src["url"]


def _value(row, lang: str) -> str:
    v = row["value"]
    if row["unit"] == "date":
        return tables.fmt_date(v, lang)
    digits = 0 if float(v).is_integer() else 2
    words = text.fmt_number(float(v), lang, digits)
    if row["status"] == "asumsi":
        lo, hi = (text.fmt_number(float(x), lang, 0 if float(x).is_integer() else 2) for x in (row["low"], row["high"]))
        words += f" ({lo}–{hi})"
    return words


def report_spec(res: Operations, files: dict, *, run: dict | None = None) -> dict:
    """The reader report (:mod:`helpers.reports.spec`) in the run's language."""
    lang, h = res.language, tables.headline(res)
    L = lambda key, **kw: text.label(key, lang, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, lang)  # noqa: E731
    mb = lambda v: f"{text.fmt_number(v, lang, 2)} Mbps"  # noqa: E731
    est = h["tps_estimated"]
    figs = [rr.figure(L("op_fig_sites"), n(h["n_sites"])),
            rr.figure(L("op_fig_tps_estimated") if est else L("op_fig_tps"), n(h["tps"])),
            rr.figure(L("op_fig_window"), f"{tables.fmt_date(h['window_start'], lang)} – "
                      f"{tables.fmt_date(h['window_end'], lang)} ({n(h['window_days'])} {L('op_days')})"),
            rr.figure(L("op_fig_pace"), L("op_pace_value", panels=n(h["panels_per_ppk"]), pace=n(h["tps_per_panel_day"]))),
            rr.figure(L("op_fig_miss"), n(h["n_sites_miss_window"])),
            rr.figure(L("op_fig_days_max"), f"{n(h['days_max'])} ({h['site_days_max']})"),
            rr.figure(L("op_fig_panels_short"), n(h["panels_short"])),
            rr.figure(L("op_fig_peak"), f"{mb(h['mbps_peak_central_median'])} ({text.fmt_number(h['mbps_peak_low_min'], lang, 2)}"
                      f"–{text.fmt_number(h['mbps_peak_high_max'], lang, 2)})"),
            rr.figure(L("op_fig_avg"), f"{text.fmt_number(h['mbps_avg_central_median'], lang, 2)} Mbps"),
            rr.figure(L("op_fig_over_link", link=n(h["link_mbps"])), n(h["n_over_link"]))]
    fm = {c: "int" for c in ("n_sites", "tps", "n_miss_window", "days_max", "window_days", "panels_short",
                             "panels_needed_max", "n_over_link", "days_needed", "slack_days", "panels", "panels_needed",
                             "tps_per_site", "n_over", "tps_pemilu2024", "tps_pilkada2024",
                             "days_needed_pemilu2024", "days_needed_pilkada2024")}
    fm.update({c: "float2" for c in ("mbps_avg_max", "mbps_peak_max", "mbps_peak_high_max", "mbps_peak_sum",
                                     "mbps_peak_central", "mbps_peak_low", "mbps_peak_high", "volume_gb",
                                     "mbps_peak_median", "mbps_avg_median", "photo_mb", "upload_share",
                                     "mbps_peak_central_pemilu2024", "mbps_peak_central_pilkada2024")},
              tps_estimated="bool", tps_estimated_pilkada2024="bool", kecamatan_kode="code", finish_date=lambda v: tables.fmt_date(v, lang),
              mbps_avg_central=lambda v: text.fmt_number(v, lang, 3), mbps_avg_low=lambda v: text.fmt_number(v, lang, 3),
              mbps_avg_high=lambda v: text.fmt_number(v, lang, 3), _source="link",
              **{c: (lambda v: text.fmt_value(v, lang)) for c in ("sheets_per_form", "burst_minutes",
                                                                  "livestream_mbps", "stated_mbps")})
    t = lambda df, cols, csv, **kw: rr.table(df, cols, csv=files[csv], language=lang, formats=fm, **kw)  # noqa: E731
    s = res.main.sort_values(["days_needed", "kecamatan_kode"], ascending=[False, True])
    kota_cols = {"kota": L("col_kota"), "n_sites": L("col_sites"), "tps": L("col_tps"),
                 "n_miss_window": L("op_col_miss"), "days_max": L("op_col_days_max"),
                 "panels_short": L("op_col_panels_short"), "mbps_avg_max": L("op_col_mbps_avg_max"),
                 "mbps_peak_max": L("op_col_mbps_peak_max"), "mbps_peak_sum": L("op_col_mbps_peak_sum"),
                 "n_over_link": L("op_col_over_link")}
    if est:
        kota_cols["tps_estimated"] = L("op_col_tps_estimated")
    site_cols = {"kecamatan": L("col_kecamatan"), "kota": L("col_kota"), "tps": L("col_tps"),
                 "days_needed": L("op_col_days"), "finish_date": L("op_col_finish"), "slack_days": L("op_col_slack"),
                 "panels_needed": L("op_col_panels_needed"), "mbps_avg_central": L("op_col_mbps_avg"),
                 "mbps_peak_central": L("op_col_mbps_peak")}
    if est:
        site_cols["tps_estimated"] = L("op_col_tps_estimated")
    scen = tables.scenarios(res)
    scen["_scenario"] = [L(f"op_scenario_{x}") for x in scen["scenario"]]
    prec = tables.precedents(res)
    prec["_place"] = [L(f"op_precedent_{r}") for r in prec["region"]]
    prec["_model"] = [f"{text.fmt_number(c, lang, 2)} ({text.fmt_number(lo, lang, 2)}–{text.fmt_number(hi, lang, 2)})"
                      for c, lo, hi in zip(prec["mbps_peak_central"], prec["mbps_peak_low"], prec["mbps_peak_high"])]
    comp = tables.compare(res)
    chk = tables.checks(res)
    chk["_check"] = [L(k, where=w, stated=text.fmt_number(st, lang, 3 if u == "ratio" else 0))
                     for k, w, st, u in zip(chk["check"], chk["where"], chk["stated"], chk["unit"])]
    chk["_model"] = [text.fmt_number(v, lang, 3 if u == "ratio" else 0) for v, u in zip(chk["model"], chk["unit"])]
    params = tables.parameters_used(res)
    params = params[params["election"] == res.election].copy()
    params["_name"] = [L(f"op_param_{x}") for x in params["name"]]
    params["_value"] = [_value(r, lang) for r in params.to_dict("records")]
    params["_status"] = [L(f"op_status_{x}") for x in params["status"]]
    params["_note"] = notes_in(res, params["note"], lang)
    params["_source"] = [_source_cell(res, s, lang) for s in params["source_id"]]
    prec["_source"] = [_source_cell(res, s, lang) for s in prec["source_id"]]
    chk["_source"] = [_source_cell(res, s, lang) for s in chk.get("source_id", pd.Series(dtype=object))]
    sections = [
        rr.section(L("op_method"), rr.paragraph(L("op_method_text")), rr.paragraph(L("op_internet_text")),
                   rr.paragraph(L("op_estimated_text")) if est else None),
        rr.section(L("op_per_kota"), rr.paragraph(L("op_per_kota_text")), t(res.kota, kota_cols, "kota", max_rows=40)),
        rr.section(L("op_sites"), rr.paragraph(L("op_sites_text")), t(s, site_cols, "sites")),
        rr.section(L("op_internet"), rr.paragraph(L("op_scenarios_text")), t(scen, {
            "_scenario": L("op_col_scenario"), "photo_mb": L("op_param_photo_mb"),
            "sheets_per_form": L("op_param_sheets_per_form"), "upload_share": L("op_param_upload_share"),
            "burst_minutes": L("op_param_burst_minutes"), "livestream_mbps": L("op_param_livestream_mbps"),
            "volume_gb": L("op_col_volume"), "mbps_avg_median": L("op_col_avg_median"),
            "mbps_peak_median": L("op_col_peak_median"), "mbps_peak_max": L("op_col_peak_max"),
            "n_over_link": L("op_col_over_link")}, "internet", caption=L("op_file_internet")),
            rr.paragraph(L("op_precedents_text")), t(prec, {
                "_place": L("op_col_place"), "stated_mbps": L("op_col_stated_mbps"),
                "tps_per_site": L("op_col_tps_per_site"), "ballot_types": L("op_param_ballot_types"),
                "_model": L("op_col_model_peak"), "_source": L("op_col_source")}, "precedents",
                caption=L("op_file_precedents"))),
        rr.section(L("op_elections"), rr.paragraph(L("op_elections_text")), t(comp, {
            "kecamatan": L("col_kecamatan"), "tps_pemilu2024": L("op_col_tps_pemilu"),
            "days_needed_pemilu2024": L("op_col_days_pemilu"), "mbps_peak_central_pemilu2024": L("op_col_peak_pemilu"),
            "tps_pilkada2024": L("op_col_tps_pilkada"), "tps_estimated_pilkada2024": L("op_col_tps_estimated"),
            "days_needed_pilkada2024": L("op_col_days_pilkada"),
            "mbps_peak_central_pilkada2024": L("op_col_peak_pilkada")}, "elections"),
            rr.paragraph(L("op_estimated_text")) if res.estimated["pilkada2024"] else None),
        rr.section(L("op_checks"), rr.paragraph(L("op_checks_text")), t(chk, {
            "_check": L("op_col_check"), "_model": L("op_col_model"), "_source": L("op_col_source")}, "checks")
            if len(chk) else rr.paragraph(L("op_checks_none"))),
        rr.section(L("op_parameters"), rr.paragraph(L("op_parameters_text")), t(params, {
            "_name": L("op_col_parameter"), "_value": L("op_col_value"), "_status": L("op_col_status"),
            "_source": L("op_col_source"), "_note": L("op_col_note")}, "parameters", max_rows=40)),
    ]
    if "map" in files:
        sections.append(rr.section(L("op_map"), rr.map_link(files["map"], L("op_map"), L("op_map_text"))))
    listed = [(files[k], L(f"op_file_{k}")) for k in ("sites", "kota", "elections", "internet", "checks", "precedents",
                                                      "parameters")]
    sections.append(rr.section(L("cg_files"), rr.file_list(listed, L("cg_files_text"))))
    gaps = [{"where": f"{r.kecamatan}, {r.kota}", "text": L("op_gap", days=n(r.days_needed), w=n(r.window_days),
                                                             short=n(r.panels_short))}
            for r in s[~s["within_window"]].itertuples()]
    return rr.new_spec(name=L("op_name"), scope=res.scope.title, language=lang, lead=tables.summary(res), figures=figs,
                       sections=sections, run=run or run_info(lang, res.scope), gaps=gaps)
