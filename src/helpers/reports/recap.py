"""What notebook 01 (the recap-sites map) writes: the map file, the sites table, the reader report.

The map is :func:`helpers.maps.recap_sites_map`; its ``m.recap_sites`` are the sites shown.  Like every
notebook's report module: :func:`figures` (the headline figures), :func:`write` (the files: the map
and :data:`SITES_CSV`), :func:`report_spec` (the reader report, :mod:`helpers.reports.spec`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.reports import spec as rr
from helpers.core import text
from helpers.analysis.coverage.engine import venues_confirmed
from helpers.core.names import kota_short
from helpers.core.scope import DKI, Scope
from helpers.io.units import layer_area
from helpers.maps.page import save_map
from helpers.maps.recap import RecapSitesMap

__all__ = ["MAP_NAME", "SITES_CSV", "figures", "press_of_scope", "write", "write_sites_table", "report_spec"]

#: The map file and the CSV of the sites shown, written by :func:`write` (the reader report links to both).
MAP_NAME, SITES_CSV = "map-recap-sites.html", "recap-sites.csv"


def figures(sites: gpd.GeoDataFrame, *, scope: Scope | None = None, html_path=None,
                  tps: pd.DataFrame | None = None, offline: bool | None = None) -> dict:
    """Headline figures of the map (flat, JSON-ready).

    Parameters
    ----------
    sites : GeoDataFrame
        The sites shown (``m.recap_sites``).
    scope : Scope, optional
        The scope of the run (None: all of DKI Jakarta).
    html_path : pathlib.Path, optional
        The saved map (its size is a figure).
    tps : DataFrame, optional
        TPS per kelurahan (``kecamatan_kode``, ``tps_total``): gives the TPS recapitulated.
    offline : bool, optional
        Whether the map was saved offline.

    Returns
    -------
    dict
    """
    scope = scope or DKI
    fig = {"kota": scope.kota or scope.label, "n_sites": int(len(sites)),
           "n_sites_approximate": int(sites["approximate"].astype(bool).sum()),
           "n_sites_position_known": int((~sites["approximate"].astype(bool)).sum()),
           "n_venues_confirmed": int(venues_confirmed(sites).sum()),
           "n_sites_internet": int(sites["internet"].astype(bool).sum())}
    if tps is not None:
        fig["n_tps_recapitulated"] = int(tps[tps["kecamatan_kode"].isin(sites["kecamatan_kode"])]["tps_total"].sum())
    if html_path is not None:
        fig["map_html_bytes"] = int(html_path.stat().st_size)
    if offline is not None:
        fig["offline"] = bool(offline)
    return fig


def press_of_scope(press: pd.DataFrame, scope: Scope | None = None) -> pd.DataFrame:
    """The press-reported venues and warehouses of Pemilu 2024 in the scope: those of its kota, or all of them
    for a whole province (entries about the 2024 Pilkada are left out).

    Examples
    --------
    >>> press = pd.DataFrame({"kota": ["Jakarta Pusat", "Kepulauan Seribu", "Jakarta Pusat"],
    ...                       "pemilu_2024": ["True", "True", "False"]})
    >>> len(press_of_scope(press)), len(press_of_scope(press, Scope("31", "DKI Jakarta", "31.01", "Kepulauan Seribu",
    ...                                                              "Kepulauan Seribu", "kepulauan-seribu")))
    (2, 1)
    """
    keep = pd.Series(True, index=press.index)
    if "pemilu_2024" in press.columns:
        keep &= press["pemilu_2024"].astype(str).str.strip().str.lower().isin(["true", "1", "ya", "yes"])
    if scope is not None and scope.kota is not None and "kota" in press.columns:
        keep &= press["kota"].astype(str) == scope.kota
    return press[keep]


def write_sites_table(sites: gpd.GeoDataFrame, out_dir, *, tps: pd.DataFrame | None = None) -> Path:
    """Write the sites shown (``m.recap_sites``) as ``recap-sites.csv`` in ``out_dir``.

    Parameters
    ----------
    sites : GeoDataFrame
        The sites shown.
    out_dir : path-like
        Existing folder.
    tps : DataFrame, optional
        TPS per kelurahan: adds ``tps_recapitulated`` (the TPS of the site's kecamatan).

    Returns
    -------
    pathlib.Path
        The file written: attributes, ``lon``/``lat`` and, with ``tps``, the TPS recapitulated.
    """
    df = pd.DataFrame(sites.drop(columns="geometry", errors="ignore")).copy()
    if "lon" not in df.columns and len(sites) and sites.geometry is not None:
        pts = sites.to_crs("EPSG:4326").geometry
        df["lon"], df["lat"] = pts.x.round(6).to_numpy(), pts.y.round(6).to_numpy()
    if tps is not None:
        df["tps_recapitulated"] = df["kecamatan_kode"].map(tps.groupby("kecamatan_kode")["tps_total"].sum())
    target = Path(out_dir) / SITES_CSV
    df.to_csv(target, index=False, encoding="utf-8")
    return target


def write(m: RecapSitesMap, out_dir, *, tps: pd.DataFrame | None = None, offline: bool = True) -> dict[str, Path]:
    """Save the map (:data:`MAP_NAME`) and the table of the sites it shows (:func:`write_sites_table`)
    into ``out_dir``; ``{"map": path, "sites": path}``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {"map": save_map(m, out / MAP_NAME, offline=offline), "sites": write_sites_table(m.recap_sites, out, tps=tps)}


def report_spec(sites: gpd.GeoDataFrame, figures: dict, files: dict, language: str = "id", *,
                kota_gdf: gpd.GeoDataFrame | None = None, scope: Scope | None = None,
                run: dict | None = None) -> dict:
    """Reader report of the recap-sites map (:mod:`helpers.reports.spec`), in ``language``.

    Parameters
    ----------
    sites : GeoDataFrame
        The sites shown (``m.recap_sites``).
    figures : dict
        :func:`figures` (with ``n_press_facilities_without_position`` when known).
    files : dict
        ``{"map": saved map, "sites": recap-sites.csv}`` (paths; only file names are kept).
    language : {"id", "en"}
    kota_gdf, scope
        Kota boundaries and the scope of the run, for the scope's name.
    run : dict, optional
        :func:`helpers.reports.spec.run_info` of the run.

    Returns
    -------
    dict
        The report spec (:func:`helpers.reports.spec.new_spec`).
    """
    code = scope.kota_kode if kota_gdf is not None and scope is not None else None
    scope_name = layer_area(kota_gdf) if code is None else kota_short(
        str(kota_gdf.loc[kota_gdf["kode"].astype(str) == code, "nama"].iloc[0]))
    L = lambda key, **kw: text.label(key, language, **kw)  # noqa: E731
    n = lambda v: text.fmt_number(v, language)  # noqa: E731
    approx = sites["approximate"].astype(bool) if len(sites) else pd.Series(dtype=bool)
    figs = [rr.figure(L("rs_sites"), n(figures["n_sites"])), rr.figure(L("rs_known"), n(figures["n_sites_position_known"])),
            rr.figure(L("rs_venues_confirmed"), n(figures["n_venues_confirmed"])),
            rr.figure(L("rs_approx"), n(figures["n_sites_approximate"])),
            rr.figure(L("rs_internet"), n(figures["n_sites_internet"]))]
    if "n_tps_recapitulated" in figures:
        figs.append(rr.figure(L("rs_tps"), n(figures["n_tps_recapitulated"])))
    n_press = figures.get("n_press_facilities_without_position")
    if n_press is not None:
        figs.append(rr.figure(L("rs_press"), n(n_press)))
    table = pd.DataFrame(sites.drop(columns="geometry", errors="ignore")).copy()
    for col in ("site_id", "kecamatan", "kota", "venue", "location_source", "internet", "kecamatan_kode"):
        if col not in table.columns:
            table[col] = None
    table["_venue"] = [L("venue_unknown") if not isinstance(v, str) or not v.strip() or v.startswith("(") else v
                       for v in table["venue"]]
    table["_source"] = [None if pd.isna(v) else text.label(f"map_loc_{v}", language, fallback=v) for v in table["location_source"]]
    csv = files["sites"]
    cols = {"kecamatan": L("col_kecamatan"), "kota": L("col_kota"), "_venue": L("col_venue"),
            "_source": L("col_location_source")}
    approx_rows = table[approx.to_numpy()] if len(table) else table
    sections = [
        rr.section(L("rs_map"), rr.map_link(files["map"], L("rs_map_title"), L("rs_map_text"))),
        rr.section(L("rs_approx_heading"), rr.paragraph(L("st_rs_approx_text", n=n(figures["n_sites"]), scope=scope_name)
                                                   if len(approx_rows) else L("rs_no_approx")),
                   rr.table(approx_rows, {"site_id": L("col_site_id"), **cols}, csv=csv, language=language,
                            formats={"site_id": "code"})
                   if len(approx_rows) else None),
        rr.section(L("rs_all_heading"), rr.table(
            table, {**cols, "internet": L("col_internet"), "approximate": L("col_approximate")}, csv=csv,
            language=language, formats={"internet": "bool", "approximate": "bool"})),
    ]
    if n_press:
        sections.append(rr.section(L("rs_press"), rr.paragraph(L("rs_press_text", n=n(n_press)))))
    lead = L("rs_lead", n=n(figures["n_sites"]), scope=scope_name, n_internet=n(figures["n_sites_internet"]),
             n_approx=n(figures["n_sites_approximate"]))
    return rr.new_spec(name=L("rs_name"), scope=scope_name, language=language, lead=lead, figures=figs,
                       sections=sections, run=run)
