"""Structured provenance fields of loaded sites (issue 22), for the reader sentences of :mod:`helpers.core.provenance`.

The loaders keep each row's full record (``position_basis``, ``internet_source``: English, with repository,
commit, row and URL) and add the same basis as fields (:data:`helpers.core.provenance.BASIS_FIELDS`,
:data:`~helpers.core.provenance.INTERNET_FIELDS`), taken from the structured columns they already read --
``location_source``, the island positions file (:mod:`helpers.io.islands`: island, office source URL and
date), the press list (source URL and date), the user's file name and row -- never parsed back out of the
free-text record.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

#: The Pemprov DKI internet programme (the record in ``data/processed/recap_sites.csv``, column
#: ``internet_source``): MerahPutih.com, 'Pemprov DKI Bantu Jaringan Internet di 44 Lokasi Rekapitulasi
#: Pemilu 2024', Monday 29 January 2024 -- publisher, date and number of venues as the article gives them.
PROGRAMME = {"internet_kind": "programme", "internet_by": "MerahPutih.com", "internet_detail": "44",
             "internet_date": "2024-01-29"}

#: ``location_source`` of the shipped sites -> (kind, office, sources)
_SHIPPED = {"kantor_camat_point": ("office_point", "kantor_camat", "@rbi"),
            "press_venue_position_unknown": ("press_area_point", "", "")}


def short_source(url: str, date: str = "") -> str:
    """A source's short name: the site of its URL (without ``www.``/``m.``) and the year of its date.

    Examples
    --------
    >>> short_source("https://m.beritajakarta.id/read/64076/x", "2018-11-28")
    'beritajakarta.id 2018'
    >>> short_source("http://kepseribuselatan.blogspot.com/2010/10/pulau-lancang.html", "2010-10")
    'kepseribuselatan.blogspot.com 2010'
    >>> short_source("https://id.wikipedia.org/wiki/Pulau_Pramuka")
    'id.wikipedia.org'
    """
    host = urlsplit(str(url).strip()).hostname or ""
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    year = str(date).strip()[:4]
    return f"{host} {year}" if year.isdigit() else host


def _url_and_date(record: str) -> tuple[str, str]:
    """URL and date of an ``office_source`` cell of the island positions file (``title, URL[, date]``:
    comma-separated fields written by :mod:`helpers.prepare.islands`, the title last to be split off)."""
    parts = [p.strip() for p in str(record).split(", ")]
    url = next((p for p in parts if p.startswith(("http://", "https://"))), "")
    date = parts[-1] if parts and parts[-1][:4].isdigit() else ""
    return url, date


def island_sources(islands: pd.DataFrame) -> pd.Series:
    """``basis_sources`` of each island position: the island gazetteer and the source of the office.

    Examples
    --------
    >>> t = pd.DataFrame({"office_source": ["Kantor X (beritajakarta.id 64076), https://m.beritajakarta.id/read/64076/x, "
    ...                                     "2018-11-28"]}, index=["31.01.01"])
    >>> s = island_sources(t)
    >>> s["31.01.01"]
    '@wilayah; beritajakarta.id 2018'
    """
    return pd.Series(["@wilayah; " + short_source(*_url_and_date(r)) for r in islands["office_source"]],
                     index=islands.index, dtype=object).str.rstrip("; ")


def island_office(role: str) -> str:
    """The office an island position stands for (``pv_office_*``)."""
    return {"ppk": "kantor_kecamatan", "pps": "kantor_kelurahan", "seat": "seat"}.get(str(role), "")


def _empty(n_index) -> dict:
    return {c: pd.Series("", index=n_index, dtype=object) for c in (
        "basis_kind", "basis_office", "basis_place", "basis_row", "basis_row_word", "basis_sources")}


def shipped_site_fields(sites: pd.DataFrame, islands: pd.DataFrame | None = None,
                        press: pd.DataFrame | None = None) -> pd.DataFrame:
    """Basis fields of sites carrying ``location_source`` (the shipped list or a copy of it).

    Parameters
    ----------
    sites : DataFrame
        With ``location_source``, ``approximate``, ``kecamatan_kode``.
    islands : DataFrame, optional
        :func:`helpers.io.islands.load_island_positions` (None: no island positions).
    press : DataFrame, optional
        :func:`helpers.io.input_files.load_press_facilities` (None: no press list).

    Returns
    -------
    DataFrame
        The :data:`~helpers.core.provenance.BASIS_FIELDS` and :data:`~helpers.core.provenance.VENUE_FIELDS`,
        on the index of ``sites``.
    """
    islands = islands if islands is not None else pd.DataFrame(columns=["kode", "role", "island", "office_source"])
    press = press if press is not None else pd.DataFrame(columns=["facility_type", "position_known"])
    ppk = islands[islands["role"].astype(str) == "ppk"].set_index("kode") if len(islands) else islands
    isl_src = island_sources(ppk) if len(ppk) else pd.Series(dtype=object)
    venues = press[~press["position_known"].astype(str).str.lower().eq("true")] if len(press) else press
    venues = venues[venues["facility_type"].astype(str).str.startswith("recap_venue")] if len(venues) else venues
    press_src = {k: short_source(u, d) for k, u, d in zip(venues.get("kecamatan_kode", []), venues.get("source_url", []),
                                                            venues.get("source_date", []))}
    out = pd.DataFrame(_empty(sites.index))
    # the source naming each venue (reported held, planned or agreed): the press list's URL and date
    named = press[press["facility_type"].astype(str).str.startswith("recap_venue")
                  & press.get("pemilu_2024", pd.Series(True, index=press.index)).astype(str).str.lower().isin(
                      ["true", "1"])] if len(press) else press
    by = {k: short_source(u) for k, u in zip(named.get("kecamatan_kode", []), named.get("source_url", []))}
    when = dict(zip(named.get("kecamatan_kode", []), named.get("source_date", [])))
    kec_codes = sites["kecamatan_kode"].astype(str)
    out["venue_by"] = [by.get(k, "") for k in kec_codes]
    out["venue_date"] = [str(when.get(k, "")) for k in kec_codes]
    approx = sites["approximate"].astype(bool)
    for i, src, kec, a in zip(sites.index, sites["location_source"].astype(str), sites["kecamatan_kode"].astype(str),
                              approx):
        if src in _SHIPPED and not (a and src == "kantor_camat_point"):
            kind, office, sources = _SHIPPED[src]
            if kind == "press_area_point":
                sources = press_src.get(kec, "@press")
            out.loc[i, ["basis_kind", "basis_office", "basis_sources"]] = [kind, office, sources]
        elif a and kec in ppk.index:
            out.loc[i, ["basis_kind", "basis_office", "basis_place", "basis_sources"]] = [
                "island", "kantor_kecamatan", str(ppk.at[kec, "island"]), isl_src[kec]]
        elif src == "user_file":
            continue  # filled by the caller (file and row)
        else:
            out.loc[i, "basis_kind"] = "area_point" if a else "unknown"
    return out


def island_fields(islands: pd.DataFrame) -> pd.DataFrame:
    """The basis fields of island positions (:func:`helpers.io.islands.load_island_positions`), same index."""
    out = pd.DataFrame(_empty(islands.index))
    if len(islands):
        out["basis_kind"] = "island"
        out["basis_office"] = [island_office(r) for r in islands["role"]]
        out["basis_place"] = islands["island"].astype(str)
        out["basis_sources"] = island_sources(islands)
    return out


def demand_fields(kode: pd.Series, position_source: pd.Series, offices: pd.DataFrame,
                  islands: pd.DataFrame | None) -> pd.DataFrame:
    """Basis fields of the demand points (one per kelurahan, :func:`helpers.analysis.demand.demand_units`).

    Parameters
    ----------
    kode, position_source : Series
        The kelurahan codes and their ``position_source``.
    offices : DataFrame
        The PPS office points indexed by kelurahan code (``location_source``, ``source_file``, ``source_row``
        where a user's file gave them).
    islands : DataFrame or None
        :func:`helpers.io.islands.island_pps_points` (with its basis fields), indexed by kelurahan code.
    """
    cols = ("basis_kind", "basis_office", "basis_place", "basis_row", "basis_row_word", "basis_sources")
    isl = islands if islands is not None and "basis_kind" in getattr(islands, "columns", []) else None
    isl_rows = {} if isl is None else {k: tuple("" if pd.isna(v) else str(v) for v in r)
                                       for k, r in zip(isl.index, isl[list(cols)].itertuples(index=False))}
    files = offices["source_file"].to_dict() if "source_file" in offices.columns else {}
    rows_in = offices["source_row"].to_dict() if "source_row" in offices.columns else {}
    fixed = {"kantor_lurah_point": ("office_point", "kantor_lurah", "", "", "", "@rbi"),
             "desa_centroid": ("desa_point", "", "", "", "", "")}
    rows = []  # one pass in plain Python: ~80,000 desa for all of Indonesia
    for k, src in zip(kode.astype(str), position_source.astype(str)):
        if src in fixed:
            rows.append(fixed[src])
        elif src == "user_file":
            f, r = files.get(k, ""), rows_in.get(k, "")
            f, r = ("" if pd.isna(f) else str(f)), ("" if pd.isna(r) else str(r))
            rows.append(("user_file", "", f, r, "placemark" if f.lower().endswith((".kml", ".kmz")) else "row", ""))
        elif src == "island_position" and k in isl_rows:
            rows.append(isl_rows[k])
        else:
            rows.append(("area_point", "", "", "", "", ""))
    return pd.DataFrame(rows, columns=list(cols), index=kode.index, dtype=object)


def facility_fields(fac: pd.DataFrame, path, row_word: str, shipped: bool) -> pd.DataFrame:
    """Basis fields of facility points: the shipped office points are BIG RBI points (every row of
    ``data/processed/facilities_offices.geojson``, :mod:`helpers.prepare.dki_facilities`); a user's file
    names its file and row (``source_file``, ``source_row``)."""
    out = pd.DataFrame(_empty(fac.index))
    if not len(fac):
        return out
    approx = fac["approximate"].astype(bool) if "approximate" in fac else pd.Series(False, index=fac.index)
    if shipped:
        out["basis_kind"] = "office_point"
        out["basis_office"] = fac["facility_type"].astype(str)
        out["basis_sources"] = "@rbi"
    else:
        out["basis_kind"] = approx.map({True: "user_file_approx", False: "user_file"})
        out["basis_place"] = getattr(path, "name", str(path))
        out["basis_row"] = fac["source_row"].astype(str) if "source_row" in fac else ""
        out["basis_row_word"] = row_word
    return out
