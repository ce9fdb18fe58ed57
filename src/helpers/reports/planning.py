"""What notebook 03 (site planning) writes: CSV tables, the map file, the reader report.

The models are :mod:`helpers.analysis.planning`; the map is :mod:`helpers.maps.planning`.  Like every
notebook's report module: :func:`figures` (the headline figures), :func:`write` (the files:
:data:`TABLES` and the map), :func:`report_spec` (the reader report, :mod:`helpers.reports.spec`).
Labels are in Bahasa Indonesia (``"id"``, default) or English (``"en"``): the ``sp_*`` keys of
:func:`helpers.core.text.label`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.analysis.planning import PlanningInstance, PlanResult
from helpers.core import text
from helpers.core.figures import plain
from helpers.maps.page import save_map
from helpers.maps.planning import planning_map
from helpers.reports import spec as rr

#: The map file written by :func:`write`.
MAP_NAME = "map-site-planning.html"
#: CSV tables written by :func:`write_tables` (key -> file name).
TABLES = {
    "new_points": "planning-new-points.csv", "kelurahan": "planning-kelurahan.csv",
    "backup_points": "planning-backup-points.csv", "unreachable": "planning-backup-unreachable.csv",
    "outage": "planning-outage.csv", "single_site": "planning-single-site-outages.csv",
    "kota": "planning-kota.csv", "excluded": "planning-excluded-candidates.csv",
}



def figures(inst: PlanningInstance, mclp: PlanResult, backup: PlanResult, out: PlanResult,
            single: pd.DataFrame, *, language: str = "id") -> dict:
    """Flat headline figures of one planning run, plus ``gaps`` (kelurahan that cannot reach 2 sites).

    Keys are prefixed ``mclp_``, ``backup_`` and ``outage_`` by model.
    """
    fig = {"scope": inst.kota or inst.area, "language": language,
           "radius_km": inst.radius_km, "candidates": int(len(inst.candidates)),
           "candidates_excluded": int(len(inst.excluded)), "sites_with_internet": int(len(inst.sites))}
    for prefix, res in (("mclp", mclp), ("backup", backup), ("outage", out)):
        for k, v in res.figures.items():
            if k != "radius_km":
                fig[f"{prefix}_{k}"] = plain(v)
    if len(single):
        top = single.iloc[0]
        fig.update(worst_single_site=str(top["site_id"]), worst_single_site_kecamatan=str(top["kecamatan"]),
                   worst_single_site_tps_losing=int(top["tps_losing_coverage"]))
    fig["gaps"] = [{"kelurahan": r["nama"], "kecamatan": r["kecamatan"], "kota": r["kota"],
                    "tps": int(r["tps_total"]), "reason": r["reason"]}
                   for r in backup.unreachable.to_dict("records")]
    return fig


def write(out_dir, inst: PlanningInstance, mclp: PlanResult, backup: PlanResult, out: PlanResult,
          single: pd.DataFrame, *, kelurahan: gpd.GeoDataFrame, kota_gdf: gpd.GeoDataFrame | None = None,
          language: str = "id", offline: bool = True, basemap: str | None = "openstreetmap") -> dict[str, Path]:
    """Write the CSV tables (:data:`TABLES`) and the map (:func:`helpers.maps.planning.planning_map`,
    :data:`MAP_NAME`) into ``out_dir``; return the paths by key (``"map"`` for the map)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kel = mclp.kelurahan.merge(backup.kelurahan[["kode", "candidates_within_radius", "sites_after",
                                                 "meets_target", "unreachable"]], on="kode")
    kel = kel.rename(columns={"sites_after": "sites_within_radius_after_backup_plan",
                              "meets_target": "two_sites_after_backup_plan",
                              "unreachable": "cannot_reach_two_sites"})
    frames = {"new_points": _points_csv(mclp.chosen), "kelurahan": kel,
              "backup_points": _points_csv(backup.chosen), "unreachable": backup.unreachable,
              "outage": out.kelurahan, "single_site": single, "kota": kota_table(mclp, backup, out),
              "excluded": inst.excluded}
    written = {}
    for key, df in frames.items():
        written[key] = out_dir / TABLES[key]
        df.to_csv(written[key], index=False)
    m = planning_map(inst, mclp, backup, out, kelurahan, kota_gdf, language=language, offline=offline,
                     basemap=basemap)
    written["map"] = save_map(m, out_dir / MAP_NAME, offline=offline)
    return written


def kota_table(mclp: PlanResult, backup: PlanResult | None = None,
               out: PlanResult | None = None) -> pd.DataFrame:
    """One row per kota (and a total row): coverage before/after the plan, backup, outage."""
    k = mclp.kelurahan
    g = k.assign(cb=k["status"].eq("covered_before"), nc=k["status"].eq("newly_covered"))
    tab = g.groupby("kota", sort=True).agg(
        kelurahan=("kode", "size"), tps=("tps_total", "sum"),
        kelurahan_covered_before=("cb", "sum"),
        tps_covered_before=("tps_total", lambda s: s[g.loc[s.index, "cb"]].sum()),
        kelurahan_newly_covered=("nc", "sum"),
        tps_newly_covered=("tps_total", lambda s: s[g.loc[s.index, "nc"]].sum()))
    tab["new_points"] = mclp.chosen.groupby("kota").size().reindex(tab.index).fillna(0).astype(int)
    if backup is not None:
        tab["backup_points"] = backup.chosen.groupby("kota").size().reindex(tab.index).fillna(0).astype(int)
        b = backup.kelurahan
        tab["kelurahan_below_2_sites_before"] = (b["sites_within_radius"] < 2).groupby(b["kota"]).sum()
        tab["kelurahan_unreachable_for_2"] = b["unreachable"].groupby(b["kota"]).sum()
    if out is not None:
        o = out.kelurahan[out.kelurahan["loses_coverage"]]
        tab["outage_kelurahan_lost"] = o.groupby("kota").size().reindex(tab.index).fillna(0).astype(int)
        tab["outage_tps_lost"] = o.groupby("kota")["tps_total"].sum().reindex(tab.index).fillna(0).astype(int)
    tab = tab.astype(int)
    tab.loc["Total"] = tab.sum()
    return tab.reset_index()


def _points_csv(pts: gpd.GeoDataFrame) -> pd.DataFrame:
    df = pd.DataFrame(pts.drop(columns="geometry"))
    df.insert(2, "lon", pts.geometry.x.round(6))
    df.insert(3, "lat", pts.geometry.y.round(6))
    return df


# ---------------------------------------------------------------------------------------------
# reader report
# ---------------------------------------------------------------------------------------------
def _farthest_fallback(out: PlanResult, language: str) -> str:
    """The farthest fallback of the outage scenario, said to be a line across the sea when it is one
    (Kepulauan Seribu: an island kelurahan falls back to a site on the mainland)."""
    km = text.fmt_km(out.figures["max_fallback_km"], language)
    tab = out.kelurahan
    if len(tab) and "sea_crossing" in tab and tab["fallback_km"].notna().any():
        if bool(tab.loc[tab["fallback_km"].idxmax(), "sea_crossing"]):
            return text.label("st_sp_fallback_sea", language, km=km)
    return km


def report_spec(inst: PlanningInstance, mclp: PlanResult, backup: PlanResult, out: PlanResult, single: pd.DataFrame,
                files: dict, language: str = "id", *, run: dict | None = None) -> dict:
    """Reader report of a planning run (:mod:`helpers.reports.spec`), in ``language``.

    ``files`` are the paths of :func:`write` (only file names are kept).
    """
    L = lambda key, **kw: text.label(key, language, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, language)  # noqa: E731
    pct = lambda v: text.fmt_percent(v / 100, language)  # noqa: E731
    r = text.fmt_km(inst.radius_km, language, 0 if float(inst.radius_km).is_integer() else 1)
    f, b, o = mclp.figures, backup.figures, out.figures
    scope = inst.kota or inst.area
    down = ", ".join(f"{k} ({s})" for s, k in zip(out.chosen["site_id"], out.chosen["kecamatan"])) or text.DASH
    figs = [rr.figure(L("sp_radius"), r), rr.figure(L("sp_candidates"), n(len(inst.candidates))),
            rr.figure(L("sp_before"), pct(f["pct_tps_covered_before"])),
            rr.figure(L("sp_after"), pct(f["pct_tps_covered_after"])), rr.figure(L("sp_points"), n(f["points_proposed"])),
            rr.figure(L("sp_newly"), n(f["kelurahan_newly_covered"])), rr.figure(L("sp_backup"), n(b["points_needed"])),
            rr.figure(L("sp_unreach"), n(b["kelurahan_unreachable"])), rr.figure(L("sp_down"), down),
            rr.figure(L("sp_lost_kel"), n(o["kelurahan_losing_coverage"])),
            rr.figure(L("sp_lost_tps"), n(o["tps_losing_coverage"])),
            rr.figure(L("sp_fallback_max"), _farthest_fallback(out, language))]
    ft = lambda t: text.label(f"map_ft_{t}", language, fallback=t)  # noqa: E731
    kel = mclp.kelurahan
    missing = kel[kel["status"] == "not_covered"].sort_values("tps_total", ascending=False, kind="stable")
    unreach = backup.unreachable.copy()
    unreach["_reason"] = [L("sp_reason", s=n(s), c=n(c), r=r) + (L("sp_reason_island", g=g) if g else "")
                          for s, c, g in zip(unreach["sites_within_radius"], unreach["candidates_within_radius"],
                                             unreach["island_group"])]
    lost = out.kelurahan[out.kelurahan["loses_coverage"]]
    place = {"kota": L("col_kota"), "kecamatan": L("col_kecamatan")}
    sections = [
        rr.section(L("sp_mclp", n=n(f["points_proposed"]), p=n(f["p"])), rr.paragraph(L("sp_mclp_text")),
                   rr.paragraph(L("sp_no_candidates")) if not len(inst.candidates) else None,
                   rr.table(mclp.chosen, {"name": L("col_name"), "facility_type": L("col_type"), "kota": L("col_kota"),
                                          "newly_covered_kelurahan": L("col_newly_kel"),
                                          "newly_covered_tps": L("col_newly_tps")},
                            csv=files["new_points"], language=language, caption=L("sp_new_points"),
                            formats={"facility_type": ft, "newly_covered_tps": "int"}),
                   rr.table(missing, {"nama": L("col_kelurahan"), **place, "tps_total": L("col_tps"),
                                      "nearest_site_id": L("col_nearest"), "nearest_site_km": L("col_nearest_km")},
                            csv=files["kelurahan"], language=language, caption=L("sp_not_covered"),
                            formats={"tps_total": "int", "nearest_site_km": "km", "nearest_site_id": "code"})
                   if len(missing) else rr.paragraph(L("sp_none_not_covered"))),
        rr.section(L("sp_backup_heading"), rr.paragraph(L("sp_backup_text")),
                   rr.table(backup.chosen, {"name": L("col_name"), "facility_type": L("col_type"), "kota": L("col_kota"),
                                            "kelurahan_helped": L("col_helped")},
                            csv=files["backup_points"], language=language, caption=L("sp_backup_points"),
                            formats={"facility_type": ft, "kelurahan_helped": "int"}),
                   rr.table(unreach, {"nama": L("col_kelurahan"), **place, "tps_total": L("col_tps"),
                                      "_reason": L("col_reason")},
                            csv=files["unreachable"], language=language, caption=L("sp_unreach_heading"),
                            formats={"tps_total": "int"}) if len(unreach) else None),
        rr.section(L("sp_outage_heading"), rr.paragraph(L("sp_single_text")),
                   rr.table(single, {"site_id": L("col_site_id"), **place, "kelurahan_losing_coverage": L("col_lost_kel"),
                                     "tps_losing_coverage": L("col_lost_tps")},
                            csv=files["single_site"], language=language, caption=L("sp_single"), max_rows=10,
                            formats={"site_id": "code", "kelurahan_losing_coverage": "int", "tps_losing_coverage": "int"}),
                   rr.table(lost, {"nama": L("col_kelurahan"), "kecamatan": L("col_kecamatan"), "tps_total": L("col_tps"),
                                   "fallback_site_id": L("col_fallback"), "fallback_km": L("col_fallback_km"),
                                   "sea_crossing": L("col_sea")},
                            csv=files["outage"], language=language, caption=L("sp_scenario", down=down),
                            formats={"tps_total": "int", "fallback_km": "km", "sea_crossing": "bool",
                                     "fallback_site_id": "code"})
                   if len(lost) else rr.paragraph(L("sp_scenario_none"))),
        rr.section(L("sp_kota"), rr.table(
            kota_table(mclp, backup, out).replace({"kota": {"Total": inst.area if inst.kota is None
                                                       else "Total"}}),
            {"kota": L("col_kota"), "kelurahan": L("col_kelurahan_n"), "tps": L("col_tps"),
             "tps_covered_before": L("col_covered_before"), "tps_newly_covered": L("col_newly"),
             "new_points": L("col_new_points"), "backup_points": L("col_backup_points"),
             "kelurahan_unreachable_for_2": L("col_unreach"), "outage_tps_lost": L("col_outage_tps")},
            csv=files["kota"], language=language,
            formats={c: "int" for c in ("kelurahan", "tps", "tps_covered_before", "tps_newly_covered", "new_points",
                                        "backup_points", "kelurahan_unreachable_for_2", "outage_tps_lost")})),
    ]
    if files.get("map"):
        sections.append(rr.section(L("sp_map"), rr.map_link(files["map"], L("sp_map"), L("sp_map_text"))))
    if not b.get("proven_optimal", True):  # a province-wide backup plan stopped at the solver's time limit
        sections.insert(0, rr.section(L("sp_not_proven_title"), rr.paragraph(L(
            "sp_not_proven", n=n(b["points_needed"]), gap=pct(100 * b["mip_gap"])))))
    lead = L("st_sp_lead", r=r, before=pct(f["pct_tps_covered_before"]), p=n(f["points_proposed"]),
             after=pct(f["pct_tps_covered_after"]), backup=n(b["points_needed"]), unreach=n(b["kelurahan_unreachable"]),
             outage=L("sp_lead_outage", down=down, k=n(o["kelurahan_losing_coverage"]), t=n(o["tps_losing_coverage"]))
             if len(out.chosen) else "")
    gaps = [{"where": f"{row['nama']}, {row['kecamatan']}, {row['kota']}",
             "text": L("sp_gap", kel=row["nama"], kec=row["kecamatan"], reason=row["_reason"])}
            for row in unreach.to_dict("records")]
    analysis = {"p": f["p"], "radius_km": inst.radius_km}
    return rr.new_spec(name=L("sp_name"), scope=scope, language=language, lead=lead.strip(), figures=figs,
                       sections=sections, run=rr.with_parameters(run, language, **analysis), gaps=gaps)
