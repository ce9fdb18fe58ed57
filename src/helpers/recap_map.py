"""The map of issue 3: the 44 PPK recapitulation sites over kota and kecamatan boundaries.

Built from the generic builders of :mod:`helpers.maps`.  Kepulauan Seribu lies about 60 km
north of the mainland: the all-DKI view is fitted to the five mainland kota and shows the
Kepulauan Seribu boundaries and sites in an inset map (bottom left); a button in the inset (or
a click on it) moves the main map there, and the title's "initial view" button comes back.
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from .map_labels import label, label_or
from .maps import (KEPULAUAN_SERIBU, SITE_CLASS, _points_spec, _shapes_spec, add_boundaries, add_inset,
                   add_legend, add_points, add_title, base_map)
from .coverage import venues_confirmed
from .schema import EXTRA_PREFIX
from .scopes import resolve_kota

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


def kota_code(kota_gdf: gpd.GeoDataFrame, kota) -> str | None:
    """Kemendagri code of the kota named ``kota`` (:func:`helpers.scopes.resolve_kota`), None for all of DKI.

    Examples
    --------
    >>> from helpers.loaders import load_boundaries
    >>> kota_code(load_boundaries("kota"), "jakpus"), kota_code(load_boundaries("kota"), "dki")
    ('31.71', None)
    """
    return resolve_kota(kota, kota_gdf)[0]


def _in_kota(gdf, code, col="kota_kode"):
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
    s["_title"] = [label("site_title", lang, kecamatan=k) for k in col("kecamatan")]
    s["_venue_status"] = [None if pd.isna(v) else label_or(f"vs_{v}", v, lang) for v in col("venue_status")]
    from_file = col("location_source").eq("user_file")
    s["_internet"] = [label("unknown", lang) if pd.isna(v) else
                      label(("internet_yes_file" if f else "internet_yes") if v else "internet_no", lang)
                      for v, f in zip(internet, from_file)]
    s["_loc"] = [None if pd.isna(v) else label_or(f"loc_{v}", v, lang) for v in col("location_source")]
    s["_source"] = ["; ".join(str(x) for x in (a, b) if isinstance(x, str) and x.strip()) or None
                    for a, b in zip(col("internet_source"), col("source_note"))]
    s["_note"] = [label("approx_note", lang, basis=b if isinstance(b, str) and b else label("unknown", lang))
                  if a else None for a, b in zip(approx, col("position_basis"))]
    s["_style"] = [("approx" if a else "known") + ("-internet" if (i is True or i == 1) else "-no-internet")
                   for a, i in zip(approx, internet)]
    s["_tooltip"] = [f"{t}: {v}" if isinstance(v, str) and v else t for t, v in zip(s["_title"], col("venue"))]
    return s


def _extra_columns(table: pd.DataFrame) -> dict:
    """The user's own columns (``"asli: <header>"``), shown in popups under their own header."""
    return {c: c[len(EXTRA_PREFIX):] for c in table.columns if str(c).startswith(EXTRA_PREFIX)}


def _site_layer_args(lang: str, extra: dict | None = None) -> dict:
    cols = {"site_id": label("site_id", lang), "venue": label("venue", lang),
            "_venue_status": label("venue_status", lang), "address": label("address", lang),
            "kecamatan": label("kecamatan", lang), "kota": label("kota", lang), "_tps": label("tps", lang),
            "_internet": label("internet", lang), "_loc": label("location_source", lang),
            "position_basis": label("position_basis", lang), "_source": label("data_source", lang),
            "notes": label("notes", lang), **(extra or {})}
    return dict(popup_cols=cols, tooltip_col="_tooltip", style_col="_style", styles=_SITE_STYLES,
                title_col="_title", note_col="_note", default_style={"pane": "markerPane"})


def _facility_table(fac: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    f = fac.copy()
    f["_group"] = f["facility_type"].map(_FACILITY_GROUPS).fillna("other")
    f["_type"] = [label_or(f"ft_{t}", t, lang) for t in f["facility_type"]]
    f["_status"] = [None if pd.isna(v) else label_or(f"st_{v}", v, lang)
                    for v in (f["status"] if "status" in f else [None] * len(f))]
    return f


def recap_sites_map(sites: gpd.GeoDataFrame, kota_gdf: gpd.GeoDataFrame, kecamatan_gdf: gpd.GeoDataFrame,
                    facilities: gpd.GeoDataFrame | None = None, tps: gpd.GeoDataFrame | None = None, *,
                    kota=None, language: str = "id", offline: bool = True,
                    basemap: str | None = "openstreetmap", title: str | None = None,
                    simplify_m: float = 20.0) -> folium.Map:
    """Layered map of the PPK recapitulation sites (issue 3).

    Parameters
    ----------
    sites : GeoDataFrame
        From :func:`helpers.loaders.load_sites`.  A kota without any site (an incomplete sites
        file) is still drawn: its boundaries, an empty sites layer and "0 sites" in the subtitle.
    kota_gdf, kecamatan_gdf : GeoDataFrame
        From :func:`helpers.loaders.load_boundaries`.
    facilities : GeoDataFrame, optional
        From :func:`helpers.loaders.load_facilities`; one switchable layer per office type
        (kantor camat = PPK secretariat, kantor lurah = PPS secretariat, walikota/bupati and
        Balai Kota, others).
    tps : GeoDataFrame, optional
        From :func:`helpers.loaders.load_tps`; gives "TPS recapitulated" (sum of ``tps_total``
        over the kelurahan of the site's kecamatan).
    kota : str, optional
        Kota to show (lenient name, e.g. "Jakarta Pusat" or "jakpus"); None = all of DKI, fitted
        to the mainland with Kepulauan Seribu in an inset.
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
    folium.Map
        With ``m.recap_sites`` (the sites shown) for figures.
    """
    code = kota_code(kota_gdf, kota)
    shown = _in_kota(sites, code)  # may be empty: the gap is shown, not an error
    kec = _in_kota(kecamatan_gdf, code)
    fac = _in_kota(facilities, code) if facilities is not None and "kota_kode" in facilities else facilities
    if code is not None:
        focus = kota_gdf[kota_gdf["kode"].astype(str) == code]
        kota_name = str(focus["nama"].iloc[0])
    else:
        mainland = kota_gdf[kota_gdf["kode"].astype(str) != KEPULAUAN_SERIBU]
        focus = mainland if len(mainland) else kota_gdf
        kota_name = None
    # the inset also when Kepulauan Seribu has no site: its boundaries show the gap
    is_seribu = kota_gdf["kode"].astype(str) == KEPULAUAN_SERIBU
    inset = code is None and bool(is_seribu.any()) and bool((~is_seribu).any())

    m = base_map(focus, language=language, basemap=basemap)
    m.recap_offline, m.recap_sites = offline, shown
    table = _site_table(shown, tps, language)
    n_approx, n_internet = int(shown["approximate"].astype(bool).sum()), int(shown["internet"].astype(bool).sum())
    add_title(m, title or (label("title_kota", language, kota=kota_name) if kota_name
                           else label("title_dki", language)),
              subtitle=label("subtitle", language, n=len(shown), n_approx=n_approx, n_internet=n_internet),
              reset_label=label("reset", language), bounds=focus)

    kec_style = {"color": "#6b6b6b", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.04}
    kota_style = {"color": "#252525", "weight": 2.5, "fillOpacity": 0}
    add_boundaries(m, kec, name=label("layer_kecamatan", language), label_col="nama",
                   tooltip_prefix=label("kecamatan", language), style=kec_style, simplify_m=simplify_m)
    add_boundaries(m, kota_gdf, name=label("layer_kota", language), label_col=None, style=kota_style,
                   interactive=False, simplify_m=simplify_m)

    legend = []
    if fac is not None and len(fac):
        ft = _facility_table(fac, language)
        for key, (style, show) in _FACILITY_STYLE.items():
            part = ft[ft["_group"] == key]
            if not len(part):
                continue
            add_points(m, part, name=label(f"layer_fac_{key}", language) + f" ({len(part)})",
                       popup_cols={"_type": label("fac_type", language), "_status": label("fac_status", language),
                                   "address": label("address", language), "kelurahan": label("kelurahan", language),
                                   "kecamatan": label("kecamatan", language), "kota": label("kota", language),
                                   "source": label("fac_source", language), "notes": label("notes", language),
                                   **_extra_columns(part)},
                       tooltip_col="name", title_col="name", style_col="status" if "status" in part else None,
                       styles=_FORMER, default_style={**style, "fillOpacity": 0.9}, class_name=f"recap-facility-{key}",
                       show=show)
            legend.append(({"fill": style["fillColor"], "color": "#555555", "shape": "circle"},
                           label(f"layer_fac_{key}", language)))

    add_points(m, table, name=label("layer_sites", language, n=len(shown)), class_name=SITE_CLASS,
               **_site_layer_args(language, _extra_columns(table)))
    present = set(table["_style"])
    site_items = [(("known-internet",), {"fill": INTERNET_COLOR, "color": "#1b1b1b"}, "lg_known_internet"),
                  (("known-no-internet",), {"fill": NO_INTERNET_COLOR, "color": "#1b1b1b"}, "lg_known_no_internet"),
                  (("approx-internet", "approx-no-internet"), {"fill": None, "color": INTERNET_COLOR, "dashed": True},
                   "lg_approx")]
    items = [(sw, label(key, language)) for keys, sw, key in site_items if present & set(keys)]
    items += [({"shape": "line", "color": "#252525"}, label("lg_kota", language)),
              ({"shape": "line", "color": "#6b6b6b"}, label("lg_kecamatan", language))] + legend
    add_legend(m, label("legend_title", language), items)

    if inset:
        seribu_kota = kota_gdf[kota_gdf["kode"].astype(str) == KEPULAUAN_SERIBU]
        seribu_kec = kecamatan_gdf[kecamatan_gdf["kota_kode"].astype(str) == KEPULAUAN_SERIBU]
        seribu_sites = table[table["kota_kode"] == KEPULAUAN_SERIBU]
        bounds = seribu_kota if len(seribu_kota) else seribu_sites
        args = _site_layer_args(language, _extra_columns(table))
        add_inset(m, title=label("inset_title", language), bounds=bounds,
                  button=label("inset_button", language),
                  shapes=[_shapes_spec(seribu_kec, language, label_col="nama", style=kec_style,
                                       tooltip_prefix=label("kecamatan", language), simplify_m=simplify_m)],
                  points=[_inset_points(_points_spec(seribu_sites, language, class_name="recap-site-inset",
                                                     **args))])
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _inset_points(spec: dict) -> dict:
    """Inset markers keep their tooltip but open no popup: a click moves the main map there."""
    return {**spec, "rows": [{**r, "popup": None} for r in spec["rows"]]}


def recap_figures(sites: gpd.GeoDataFrame, *, kota=None, html_path=None, tps=None, offline=None) -> dict:
    """Headline figures of the map for ``<notebook>.figures.json`` (flat JSON-ready dict).

    ``sites`` are the sites shown (``m.recap_sites``).
    """
    fig = {"kota": kota or "DKI Jakarta", "n_sites": int(len(sites)),
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


# ---------------------------------------------------------------------------------------------
# reader report
# ---------------------------------------------------------------------------------------------
#: CSV of the sites shown, written by :func:`write_sites_table` (the reader report links to it).
SITES_CSV = "recap-sites.csv"


def write_sites_table(sites: gpd.GeoDataFrame, out_dir, *, tps=None) -> Path:
    """Write the sites shown (``m.recap_sites``) as ``recap-sites.csv`` in ``out_dir``: attributes,
    ``lon``/``lat`` and, with ``tps``, the TPS recapitulated (those of the site's kecamatan)."""
    df = pd.DataFrame(sites.drop(columns="geometry", errors="ignore")).copy()
    if "lon" not in df.columns and len(sites) and sites.geometry is not None:
        pts = sites.to_crs("EPSG:4326").geometry
        df["lon"], df["lat"] = pts.x.round(6).to_numpy(), pts.y.round(6).to_numpy()
    if tps is not None:
        df["tps_recapitulated"] = df["kecamatan_kode"].map(tps.groupby("kecamatan_kode")["tps_total"].sum())
    target = Path(out_dir) / SITES_CSV
    df.to_csv(target, index=False, encoding="utf-8")
    return target


def report_spec(sites: gpd.GeoDataFrame, figures: dict, files: dict, language: str = "id", *,
                kota_gdf=None, kota=None, run: dict | None = None) -> dict:
    """Reader report of the recap-sites map (:mod:`helpers.reader_report`), in ``language``.

    Parameters
    ----------
    sites : GeoDataFrame
        The sites shown (``m.recap_sites``).
    figures : dict
        :func:`recap_figures` (with ``n_press_facilities_without_position`` when known).
    files : dict
        ``{"map": saved map, "sites": recap-sites.csv}`` (paths; only file names are kept).
    kota_gdf, kota
        Kota boundaries and the ``kota`` parameter, for the scope's name.
    """
    from . import reader_report as rr
    from . import text
    from .names import kota_short

    code = kota_code(kota_gdf, kota) if kota_gdf is not None else None
    scope = "DKI Jakarta" if code is None else kota_short(
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
    table["_source"] = [None if pd.isna(v) else label_or(f"loc_{v}", v, language) for v in table["location_source"]]
    csv = files["sites"]
    cols = {"kecamatan": L("col_kecamatan"), "kota": L("col_kota"), "_venue": L("col_venue"),
            "_source": L("col_location_source")}
    approx_rows = table[approx.to_numpy()] if len(table) else table
    sections = [
        rr.section(L("rs_map"), rr.map_link(files["map"], L("rs_map_title"), L("rs_map_text"))),
        rr.section(L("rs_approx_heading"), rr.paragraph(L("rs_approx_text") if len(approx_rows) else L("rs_no_approx")),
                   rr.table(approx_rows, {"site_id": L("col_site_id"), **cols}, csv=csv, language=language,
                            formats={"site_id": "code"})
                   if len(approx_rows) else None),
        rr.section(L("rs_all_heading"), rr.table(
            table, {**cols, "internet": L("col_internet"), "approximate": L("col_approximate")}, csv=csv,
            language=language, formats={"internet": "bool", "approximate": "bool"})),
    ]
    if n_press:
        sections.append(rr.section(L("rs_press"), rr.paragraph(L("rs_press_text", n=n(n_press)))))
    lead = L("rs_lead", n=n(figures["n_sites"]), scope=scope, n_internet=n(figures["n_sites_internet"]),
             n_approx=n(figures["n_sites_approximate"]))
    return rr.new_spec(name=L("rs_name"), scope=scope, language=language, lead=lead, figures=figs,
                       sections=sections, run=run)
