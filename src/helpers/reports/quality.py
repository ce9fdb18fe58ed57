"""The data-quality page of every report: how sure each position is, per kota, and what each basis means.

A reader weighs a distance from an office point differently from one that starts at a point chosen
inside a polygon.  :func:`quality_table` counts, per kota (and for the scope), the PPK sites, the
demand points (one per kelurahan) and the facility points by the basis of their position, and the
recap venues by what is known of them; :func:`report_spec` turns it into a reader report
(:mod:`helpers.reports.spec`) with a sentence per basis, in Bahasa Indonesia or English (the
``dq_*`` labels of :func:`helpers.core.text.label`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.reports import spec as rr
from helpers.reports.render import write_spec
from helpers.core import provenance, text
from helpers.analysis.coverage.engine import venues_confirmed
from helpers.core.scope import DKI_LABEL, Scope
from helpers.io.units import layer_area
from helpers.analysis.demand import demand_units

#: File names written next to the reports.
SPEC_NAME = "data-quality.report.json"
CSV_NAME = "data-quality.csv"
SOURCES_CSV = "data-quality-sources.csv"

#: Rows of the quality table: (key, what is counted).
_ROWS = ("sites", "sites_office", "sites_user", "sites_approx", "venue_confirmed", "venue_assumed",
         "venue_unknown", "demand", "demand_office", "demand_user", "demand_island", "demand_rep",
         "fac", "fac_user", "fac_approx")


def _plain(key: str, language: str) -> str:
    """The label ``key`` without its sub-row dash (for key figures and the CSV)."""
    return text.label(key, language).removeprefix("– ")


def _counts(sites: pd.DataFrame, demand: pd.DataFrame, facilities: pd.DataFrame | None) -> dict[str, int]:
    src = sites.get("location_source", pd.Series("", index=sites.index)).astype(str)
    approx = sites["approximate"].astype(bool) if "approximate" in sites else pd.Series(False, index=sites.index)
    status = sites.get("venue_status", pd.Series("", index=sites.index)).astype(str)
    confirmed = venues_confirmed(sites)
    pos = demand["position_source"].astype(str)
    fac = facilities if facilities is not None else pd.DataFrame(columns=["approximate"])
    fac_src = fac.get("location_source", pd.Series("", index=fac.index)).astype(str)
    return {
        "sites": len(sites), "sites_office": int((src.eq("kantor_camat_point") & ~approx).sum()),
        "sites_user": int((src.eq("user_file") & ~approx).sum()), "sites_approx": int(approx.sum()),
        "venue_confirmed": int(confirmed.sum()), "venue_assumed": int((status.eq("assumed") & ~confirmed).sum()),
        "venue_unknown": int((~status.eq("assumed") & ~confirmed).sum()),
        "demand": len(demand), "demand_office": int(pos.eq("kantor_lurah_point").sum()),
        "demand_user": int(pos.eq("user_file").sum()), "demand_island": int(pos.eq("island_position").sum()),
        "demand_rep": int(pos.isin(["representative_point", "desa_centroid"]).sum()),
        "fac": len(fac), "fac_user": int(fac_src.eq("user_file").sum()),
        "fac_approx": int(fac["approximate"].fillna(False).astype(bool).sum()) if "approximate" in fac else 0,
    }


def quality_table(sites: pd.DataFrame, demand: pd.DataFrame, facilities: pd.DataFrame | None, kota: pd.DataFrame,
                  *, scope: Scope | None = None) -> pd.DataFrame:
    """Counts per kota (columns, by kota name, then the scope's total) for each row of :data:`_ROWS`.

    ``kota`` is the kota boundaries (``kode``, ``nama``); ``scope`` the run's (None: the whole area).

    Examples
    --------
    >>> import warnings
    >>> from helpers.io import inputs as loaders
    >>> from helpers.analysis.demand import demand_units
    >>> warnings.simplefilter("ignore")
    >>> d = loaders.load_inputs()
    >>> t = quality_table(d.sites, demand_units(d.kelurahan, d.tps, d.facilities, islands=d.island_pps), d.facilities, d.kota)
    >>> t.loc[["sites", "sites_office", "sites_approx", "venue_confirmed", "venue_assumed"], "DKI Jakarta"].tolist()
    [44, 37, 7, 3, 38]
    >>> t.loc[["demand", "demand_office", "demand_island", "demand_rep"], "DKI Jakarta"].tolist()
    [267, 242, 6, 19]
    """
    code = None if scope is None else scope.kota_kode
    kotas = kota.sort_values("kode")
    if code is not None:
        kotas = kotas[kotas["kode"].astype(str) == code]
    cols = {}
    for r in kotas.itertuples():
        def part(df, code=str(r.kode)):
            return df if df is None or "kota_kode" not in df else df[df["kota_kode"].astype(str) == code]
        cols[str(r.nama)] = _counts(part(sites), part(demand), part(facilities))
    if code is None:
        cols[layer_area(kota)] = _counts(sites, demand, facilities)
    return pd.DataFrame(cols).loc[list(_ROWS)]


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def source_records(sites: pd.DataFrame, islands: pd.DataFrame | None = None, language: str = "id") -> pd.DataFrame:
    """The full record behind each short provenance sentence of the maps and the gap list (issue 22).

    One row per record: ``id`` (the anchor the popups link to, :func:`helpers.core.provenance.anchor`:
    ``pos-<site id>``, ``ven-<site id>``, ``net-<kind>``, ``isl-<kelurahan code>``), ``what`` (in the reader's language),
    ``sentence`` (the short sentence of :mod:`helpers.core.provenance`) and ``record`` (the full record as
    the data gives it: English, technical; repository, commit, row, URL, note).

    Examples
    --------
    >>> import warnings
    >>> from helpers.io import inputs as loaders
    >>> warnings.simplefilter("ignore")
    >>> d = loaders.load_inputs()
    >>> r = source_records(d.sites, d.island_pps).set_index("id")
    >>> len(r), r.at["pos-ppk-31-71-01", "sentence"], r.at["pos-ppk-31-71-01", "record"]
    (56, 'Titik kantor camat (BIG RBI)', 'BIG RBI point RBI-287 (KANTOR CAMAT GAMBIR)')
    >>> r.at["ven-ppk-31-75-02", "sentence"]
    'ipol.id, 18 Februari 2024'
    >>> "b7ad440a" in r.at["pos-ppk-31-01-01", "record"], r.at["isl-31-01-02-1003", "what"]
    (True, 'Kantor PPS Kelurahan Pulau Pari: pulau')
    """
    rows = []
    for r in sites.to_dict("records"):
        rows.append({"id": provenance.anchor("pos", r.get("site_id")),
                     "what": text.label("dq_src_site", language, site=r.get("site_id"), kec=r.get("kecamatan")),
                     "sentence": provenance.row_basis(r, language) if _text(r.get("basis_kind")) else "",
                     "record": _text(r.get("position_basis"))})
    for r in sites.to_dict("records"):  # the source naming a venue, where one does
        venue = provenance.row_venue(r, language)
        if venue and _text(r.get("source_note")):
            rows.append({"id": provenance.anchor("ven", r.get("site_id")),
                         "what": text.label("dq_src_venue", language, site=r.get("site_id"), kec=r.get("kecamatan")),
                         "sentence": venue, "record": _text(r.get("source_note"))})
    seen = set()
    for r in sites.to_dict("records"):
        key = _text(r.get("internet_kind")) or "unknown"
        if key in seen or not _text(r.get("internet_source")):
            continue
        seen.add(key)
        rows.append({"id": provenance.anchor("net", key), "what": text.label("dq_src_internet", language),
                     "sentence": provenance.row_internet(r, language), "record": _text(r.get("internet_source"))})
    if islands is not None and len(islands):
        for kode, r in islands.iterrows():
            rec = r.to_dict()
            rows.append({"id": provenance.anchor("isl", kode),
                         "what": text.label("dq_src_island", language, kel=_kelurahan_name(kode, rec)),
                         "sentence": provenance.row_basis(rec, language, area="kelurahan"),
                         "record": _text(rec.get("position_basis"))})
    return pd.DataFrame(rows, columns=["id", "what", "sentence", "record"])


def _kelurahan_name(kode, rec: dict) -> str:
    return _text(rec.get("unit")) or _text(rec.get("kelurahan")) or str(kode)


def sources_section(records: pd.DataFrame, folder, language: str = "id") -> dict:
    """The section of the sources page: every record in full with its anchor (a ``records`` block: the report
    template gives each entry the id a map's popup links to and marks the record ``lang="en"``), and the same
    records as ``data-quality-sources.csv`` (for machines and scripts)."""
    csv = Path(folder) / SOURCES_CSV
    records.to_csv(csv, index=False, encoding="utf-8")
    block = {"type": "records", "original": text.label("dq_src_record", language), "items": [
        {"id": r.id, "title": r.what, "sentence": r.sentence, "record": r.record, "lang": "en"}
        for r in records.itertuples()]}
    return rr.section(text.label("dq_sources", language), rr.paragraph(text.label("dq_sources_lead", language)),
                      block, rr.file_list([(csv, text.label("dq_src_csv", language))]))


def report_spec(table: pd.DataFrame, folder, language: str = "id", *, scope: str = DKI_LABEL,
                run: dict | None = None, records: pd.DataFrame | None = None) -> dict:
    """The data-quality page as a report spec; writes ``data-quality.csv`` into ``folder`` (and, with
    ``records`` of :func:`source_records`, the sources section and ``data-quality-sources.csv``)."""
    csv = Path(folder) / CSV_NAME
    out = table.copy()
    out.insert(0, "what", [_plain(f"dq_{k}", language) for k in out.index])
    out.to_csv(csv, index_label="key", encoding="utf-8")
    shown = table.copy()
    shown.insert(0, "_what", [text.label(f"dq_{k}", language) for k in shown.index])
    columns = {"_what": text.label("dq_what", language), **{c: c for c in table.columns}}
    formats = {c: "int" for c in table.columns}
    return rr.new_spec(
        name=text.label("dq_title", language), scope=scope, language=language, lead=text.label("dq_lead", language),
        figures=[rr.figure(_plain("dq_sites_approx", language), text.fmt_number(int(table.iloc[:, -1]["sites_approx"]), language)),
                 rr.figure(_plain("dq_venue_confirmed", language),
                           text.fmt_number(int(table.iloc[:, -1]["venue_confirmed"]), language)),
                 rr.figure(_plain("dq_demand_rep", language),
                           text.fmt_number(int(table.iloc[:, -1]["demand_rep"]), language))],
        sections=[rr.section(text.label("dq_table", language),
                             rr.table(shown, columns, csv=csv, language=language, formats=formats, max_rows=len(shown))),
                  rr.section(text.label("dq_bases", language), *(rr.paragraph(text.label(k, language)) for k in
                                                         ("dq_basis_office", "dq_basis_user", "dq_basis_approx",
                                                          "dq_basis_venue"))),
                  sources_section(records, folder, language) if records is not None and len(records) else None],
        run=run)


def write_page(data, folder, language: str = "id", *, scope: Scope | None = None, run: dict | None = None) -> Path:
    """Write the data-quality page of loaded inputs (:func:`helpers.io.inputs.load_inputs`) into
    ``folder``: ``data-quality.report.json`` (rendered by ``pemilu-recap`` with the other reports, and
    next to it as HTML) and ``data-quality.csv``."""

    demand = demand_units(data.kelurahan, data.tps, data.facilities, islands=data.island_pps)
    table = quality_table(data.sites, demand, data.facilities, data.kota, scope=scope)
    code = None if scope is None else scope.kota_kode
    name = layer_area(data.kota) if code is None else str(data.kota.loc[data.kota["kode"].astype(str) == code,
                                                                          "nama"].iloc[0])
    sites = data.sites if code is None else data.sites[data.sites["kota_kode"].astype(str) == code]
    islands = getattr(data, "island_pps", None)
    if islands is not None and code is not None and len(islands):
        islands = islands[[str(k).startswith(code + ".") for k in islands.index]]
    spec = report_spec(table, folder, language, scope=name, run=run,
                       records=source_records(sites, islands, language))
    return write_spec(spec, Path(folder) / SPEC_NAME)
