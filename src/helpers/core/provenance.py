"""Where a position or an internet value comes from, as one short sentence in the reader's language (issue 22).

The loaders of :mod:`helpers.io` keep the full record of each position in ``position_basis`` (English,
technical: repository, commit, row, URL; for machines, the CSV and the sources page) and add the same
basis as structured fields (:data:`BASIS_FIELDS`, :data:`INTERNET_FIELDS`).  This module turns those
fields into one sentence for a popup or a gap list, in Bahasa Indonesia or English, with no hash, path
or code name::

    Perkiraan: pulau tempat kantor kecamatan, Pulau Harapan (sumber: gazetir pulau cahyadsn/wilayah;
    beritajakarta.id 2018)

The words are the ``pv_*`` labels (:mod:`helpers.core.labels.provenance`).  A source is written in the
fields either as ``@key`` (a source with a reader name, label ``pv_src_<key>``) or by its own short
name (a publisher and a year: ``beritajakarta.id 2018``), which reads the same in both languages.

The full records are listed on the data-quality page of the report (:mod:`helpers.reports.quality`),
one anchor per record (:func:`anchor`); a popup links there with :func:`source_href`.  Every notebook
that saves a map writes that page into the same folder (also when run by hand), so the link is
relative: ``data-quality.report.html#pos-ppk-31-01-01``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from helpers.core import text

__all__ = ["BASIS_FIELDS", "BASIS_KINDS", "INTERNET_FIELDS", "INTERNET_KINDS", "SOURCES_PAGE", "VENUE_FIELDS", "anchor",
           "basis_sentence", "fmt_date", "internet_sentence", "row_basis", "row_internet", "row_venue", "source_href",
           "source_names"]

#: Kinds of position basis (``basis_kind``), each with its sentence ``pv_basis_<kind>``.
BASIS_KINDS = ("office_point", "island", "area_point", "press_area_point", "user_file", "user_file_approx",
               "province_point", "desa_point", "national_site", "unknown")
#: The structured basis columns added by the loaders: the kind; the office (``pv_office_<office>``) or
#: area (``pv_area_<area>``); the place (island name or file name); the row in the file (with its word,
#: ``row`` or ``placemark``); the sources (``; ``-separated, ``@key`` or a short name).
BASIS_FIELDS = ("basis_kind", "basis_office", "basis_place", "basis_row", "basis_row_word", "basis_sources")
#: Kinds of internet source (``internet_kind``), each with its sentence ``pv_net_<kind>``.
INTERNET_KINDS = ("programme", "user_file", "assumed_file", "whatif", "unknown")
#: The structured internet columns: the kind; who says so (a publisher or a file name); a detail (the
#: number of venues of a programme, the file's column); the date (ISO) of a publication.
INTERNET_FIELDS = ("internet_kind", "internet_by", "internet_detail", "internet_date")
#: The structured source of a named venue: who reports it (the site of the publication) and when (ISO date).
VENUE_FIELDS = ("venue_by", "venue_date")
#: The page holding the full records, next to every saved map of a report folder.
SOURCES_PAGE = "data-quality.report.html"


def _s(value) -> str:
    """``value`` as stripped text ('' for None/NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def source_names(sources: str, language: str = "id") -> str:
    """The reader names of ``; ``-separated sources (``@key`` by its label, others as written).

    Examples
    --------
    >>> source_names("@wilayah; beritajakarta.id 2018", "id")
    'gazetir pulau cahyadsn/wilayah; beritajakarta.id 2018'
    >>> source_names("@wilayah; beritajakarta.id 2018", "en")
    'cahyadsn/wilayah island gazetteer; beritajakarta.id 2018'
    >>> source_names("", "en")
    ''
    """
    parts = [p.strip() for p in _s(sources).split(";") if p.strip()]
    names = [text.label(f"pv_src_{p[1:]}", language, fallback=p[1:]) if p.startswith("@") else p for p in parts]
    return text.label("pv_sources_sep", language).join(dict.fromkeys(names))


def fmt_date(iso: str, language: str = "id") -> str:
    """An ISO date in words: ``29 Januari 2024`` / ``29 January 2024`` (the text itself if not a date).

    Examples
    --------
    >>> fmt_date("2024-01-29", "id"), fmt_date("2024-01-29", "en"), fmt_date("2018", "en")
    ('29 Januari 2024', '29 January 2024', '2018')
    """
    try:
        d = dt.date.fromisoformat(_s(iso))
    except ValueError:
        return _s(iso)
    return text.fmt_datetime(dt.datetime(d.year, d.month, d.day), language).split(",")[0]


def basis_sentence(kind: str, language: str = "id", *, office: str = "", place: str = "", row="",
                   row_word: str = "row", sources: str = "", area: str = "kecamatan") -> str:
    """One sentence saying where a position comes from.

    Parameters
    ----------
    kind : str
        One of :data:`BASIS_KINDS` (another value gives the "unknown" sentence).
    language : {"id", "en"}
    office : str
        The office of an office point or island position (``kantor_camat``, ``kantor_kecamatan``,
        ``kantor_lurah``, ``kantor_kelurahan``, ``seat``).
    place : str
        The island (kind ``island``) or the user's file name (``user_file*``).
    row, row_word
        The row (or KML placemark: ``row_word="placemark"``) of a user's file.
    sources : str
        ``; ``-separated sources (:func:`source_names`).
    area : {"kecamatan", "kelurahan"}
        The area a point inside it stands for (kinds ``area_point``, ``press_area_point``).

    Examples
    --------
    >>> basis_sentence("island", "id", office="kantor_kecamatan", place="Pulau Harapan",
    ...                sources="@wilayah; beritajakarta.id 2018")
    'Perkiraan: pulau tempat kantor kecamatan, Pulau Harapan (sumber: gazetir pulau cahyadsn/wilayah; beritajakarta.id 2018)'
    >>> basis_sentence("office_point", "id", office="kantor_camat", sources="@rbi")
    'Titik kantor camat (BIG RBI)'
    >>> basis_sentence("user_file", "id", place="lokasi-ppk.xlsx", row=7)
    'Koordinat dari file Anda lokasi-ppk.xlsx, baris 7'
    >>> basis_sentence("user_file_approx", "en", place="ppk.kml", row=3, row_word="placemark")
    'Approximate: position from your file ppk.kml, placemark 3'
    >>> basis_sentence("area_point", "en", area="kelurahan")
    'Approximate: a point inside the kelurahan; its position is in no source'
    >>> basis_sentence("nonsense", "id")
    'Dasar posisi tidak diketahui'
    """
    kind = kind if kind in BASIS_KINDS else "unknown"
    row = _s(row)
    if row.endswith(".0"):
        row = row[:-2]
    values = {"office": text.label(f"pv_office_{office}", language, fallback=office.replace("_", " ")),
              "island": place, "file": place, "sources": source_names(sources, language),
              "row": text.label(f"pv_row_{row_word if row_word in ('row', 'placemark') else 'row'}", language, n=row),
              "area": text.label(f"pv_area_{area}", language, fallback=area)}
    sentence = text.label(f"pv_basis_{kind}", language, **values)
    return sentence.replace(" ()", "").replace(" (sumber: )", "").replace(" (sources: )", "")


def row_basis(row: Mapping, language: str = "id", *, area: str = "kecamatan") -> str:
    """:func:`basis_sentence` of a row carrying :data:`BASIS_FIELDS` (a dict or a pandas row).

    Examples
    --------
    >>> row_basis({"basis_kind": "office_point", "basis_office": "kantor_lurah", "basis_sources": "@rbi"}, "en")
    'Point of the kelurahan office (BIG RBI)'
    """
    get = (lambda k: _s(row.get(k)))  # noqa: E731
    return basis_sentence(get("basis_kind") or "unknown", language, office=get("basis_office"),
                          place=get("basis_place"), row=get("basis_row"), row_word=get("basis_row_word") or "row",
                          sources=get("basis_sources"), area=area)


def _value(value, language: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return text.label("map_unknown", language)
    return text.label("pv_yes" if bool(value) else "pv_no", language)


def internet_sentence(value, kind: str, language: str = "id", *, by: str = "", detail="", date: str = "",
                      prefix: bool = True) -> str:
    """One sentence saying whether a site has internet and who says so.

    Parameters
    ----------
    value : bool or None
    kind : str
        One of :data:`INTERNET_KINDS`.
    by : str
        The publisher (``programme``) or the user's file name (``user_file``, ``assumed_file``).
    detail
        The number of venues of the programme, or the file's column.
    date : str
        ISO date of the publication (``programme``).
    prefix : bool
        Start with "Internet:" (False: for a popup row headed "Internet").

    Examples
    --------
    >>> internet_sentence(True, "programme", "id", by="MerahPutih.com", detail=44, date="2024-01-29")
    'Internet: ada (program Pemprov DKI di 44 tempat rekapitulasi; MerahPutih.com, 29 Januari 2024)'
    >>> internet_sentence(False, "user_file", "en", by="ppk.xlsx", detail="Akses Internet")
    'Internet: no (your file ppk.xlsx, column Akses Internet)'
    >>> internet_sentence(False, "unknown", "id", prefix=False)
    'tidak ada (sumber tidak diketahui)'
    >>> internet_sentence(True, "whatif", "id")
    'Internet: dianggap ada (skenario: program seperti Pemprov DKI di setiap lokasi PPK)'
    """
    kind = kind if kind in INTERNET_KINDS else "unknown"
    n = _s(detail)
    what = text.label(f"pv_net_{kind}", language, value=_value(value, language), n=n.removesuffix(".0"),
                      source=_s(by), file=_s(by), column=n, date=fmt_date(date, language))
    return text.label("pv_net_prefix", language, what=what) if prefix else what


def row_internet(row: Mapping, language: str = "id", *, prefix: bool = True) -> str:
    """:func:`internet_sentence` of a row carrying ``internet`` and :data:`INTERNET_FIELDS`.

    Examples
    --------
    >>> row_internet({"internet": True, "internet_kind": "assumed_file", "internet_by": "ppk.csv"}, "en")
    'Internet: assumed yes (your file ppk.csv gives no internet value)'
    """
    get = (lambda k: _s(row.get(k)))  # noqa: E731
    return internet_sentence(row.get("internet"), get("internet_kind") or "unknown", language, by=get("internet_by"),
                             detail=get("internet_detail"), date=get("internet_date"), prefix=prefix)


def row_venue(row: Mapping, language: str = "id") -> str | None:
    """Who names a site's venue and when (:data:`VENUE_FIELDS`): ``ipol.id, 18 Februari 2024``; None if no
    source names it.

    Examples
    --------
    >>> row_venue({"venue_by": "ipol.id", "venue_date": "2024-02-18"}, "id")
    'ipol.id, 18 Februari 2024'
    >>> row_venue({"venue_by": "barat.jakarta.go.id", "venue_date": "2023-07-19"}, "en")
    'barat.jakarta.go.id, 19 July 2023'
    >>> row_venue({"venue_by": ""}) is None
    True
    """
    by = _s(row.get("venue_by"))
    if not by:
        return None
    return text.label("pv_venue", language, by=by, date=fmt_date(_s(row.get("venue_date")), language)).rstrip(", ")


def anchor(prefix: str, key) -> str:
    """The id of a record on the sources page: ``prefix`` and ``key`` in lower case, other characters ``-``.

    Examples
    --------
    >>> anchor("pos", "PPK-31.01.01"), anchor("net", "programme")
    ('pos-ppk-31-01-01', 'net-programme')
    """
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", _s(key).lower()).strip("-")


def source_href(record_id: str, page: str | None = SOURCES_PAGE) -> str | None:
    """The relative link to a record on the sources page (None without a page).

    Examples
    --------
    >>> source_href("pos-ppk-31-01-01")
    'data-quality.report.html#pos-ppk-31-01-01'
    >>> source_href("pos-x", None) is None
    True
    """
    return None if not page else f"{page}#{record_id}"
