"""Where a facility shown on a map comes from, for its popup: :func:`facility_sources`.

The shipped office points carry their own ``source`` (BIG RBI, ...); a user's facilities file gives
each row its ``source_file`` and ``source_row`` (:func:`helpers.io.input_files.load_facilities`), so
its popup names the file and the row (``gudang.xlsx, row 7``; a KML's placemark) instead of a blank.
Used by the recap map (notebook 01) and the coverage map (notebook 02).
"""

from __future__ import annotations

import pandas as pd

from helpers.core import provenance, text


def _given(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and value.strip() not in ("nan", "None")


def facility_sources(table: pd.DataFrame, language: str = "id") -> list[str | None]:
    """The source text of each facility in the reader's words: from its basis fields (issue 22: "BIG RBI";
    "Koordinat dari file Anda gudang.xlsx, baris 7"), else its ``source``, its file and row, or both; None
    when unknown.

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["BIG RBI 2020", None], "source_file": [None, "gudang.kml"],
    ...                   "source_row": [None, 3]})
    >>> facility_sources(t, "en")
    ['BIG RBI 2020', 'gudang.kml, placemark 3']
    >>> t = pd.DataFrame({"basis_kind": ["office_point", "user_file"], "basis_sources": ["@rbi", ""],
    ...                   "basis_place": ["", "gudang.xlsx"], "basis_row": ["", "7"]})
    >>> facility_sources(t, "id")
    ['BIG RBI', 'Koordinat dari file Anda gudang.xlsx, baris 7']
    """
    n = len(table)
    col = lambda c: table[c].tolist() if c in table.columns else [None] * n  # noqa: E731
    out = []
    for rec in (table.to_dict("records") if "basis_kind" in table.columns else []):
        kind = rec.get("basis_kind")
        if kind == "office_point":  # the shipped points: their source by its reader name
            out.append(provenance.source_names(rec.get("basis_sources"), language) or None)
        elif _given(kind):
            out.append(provenance.row_basis(rec, language))
        else:
            out.append(None)
    if out:
        return out
    for source, file, row in zip(col("source"), col("source_file"), col("source_row")):
        where = None
        if _given(file) and row is not None and not pd.isna(row):
            key = "wh_from_kml" if file.lower().endswith((".kml", ".kmz")) else "wh_from_file"
            where = text.label(key, language, file=file, row=int(row))
        parts = [p for p in (source if _given(source) else None, where) if p]
        out.append("; ".join(parts) or None)
    return out


def basis_column(table: pd.DataFrame, language: str = "id", area: str = "kecamatan") -> list[str | None]:
    """The one-sentence position basis of each row (:func:`helpers.core.provenance.row_basis`), None for a
    row without basis fields (the full record stays in the data's ``position_basis``)."""
    if "basis_kind" not in table.columns:
        return [None] * len(table)
    fields = [c for c in provenance.BASIS_FIELDS if c in table.columns]
    said: dict[tuple, str | None] = {}  # one sentence per distinct basis (a province: thousands of desa, a few kinds)
    out = []
    for values in table[fields].itertuples(index=False, name=None):
        if values not in said:
            r = dict(zip(fields, values))
            said[values] = provenance.row_basis(r, language, area=area) if _given(r.get("basis_kind")) else None
        out.append(said[values])
    return out


def internet_column(table: pd.DataFrame, language: str = "id", prefix: bool = False) -> list[str | None]:
    """The one-sentence internet statement of each row (:func:`helpers.core.provenance.row_internet`)."""
    if "internet_kind" not in table.columns:
        return [None] * len(table)
    return [provenance.row_internet(r, language, prefix=prefix) if _given(r.get("internet_kind")) else None
            for r in table.to_dict("records")]


def venue_column(table: pd.DataFrame, language: str = "id") -> list[str | None]:
    """Who names each site's venue and when (:func:`helpers.core.provenance.row_venue`), None where no source does."""
    if "venue_by" not in table.columns:
        return [None] * len(table)
    return [provenance.row_venue(r, language) for r in table.to_dict("records")]


#: The data's own placeholders for a venue no source names (the shipped list, a user's file without venue, the
#: default sites of a province): shown by the label ``map_venue_unknown``.
VENUE_PLACEHOLDERS = ("(venue unknown)", "(venue not given)")


def venue_text(venue, status, language: str = "id") -> str | None:
    """A site's venue for a reader: its name, or "(tempat tidak diketahui)" where the data holds a placeholder.

    Examples
    --------
    >>> venue_text("(venue unknown)", "unknown", "id"), venue_text("PPK Jailolo (venue unknown)", "unknown", "en")
    ('(tempat tidak diketahui)', '(venue unknown)')
    >>> venue_text("GOR Senen", "held", "id")
    'GOR Senen'
    """
    if not _given(venue):
        return None
    v = str(venue).strip()
    if v in VENUE_PLACEHOLDERS or (str(status) == "unknown" and v.endswith(VENUE_PLACEHOLDERS)):
        return text.label("map_venue_unknown", language)
    return v


def record_links(table: pd.DataFrame, id_col: str = "site_id", prefix: str = "pos",
                 page: str | None = provenance.SOURCES_PAGE) -> list[str | None]:
    """The link of each row to its full record on the sources page (None without an id or a page).

    Examples
    --------
    >>> record_links(pd.DataFrame({"site_id": ["PPK-31.71.01", None]}))
    ['data-quality.report.html#pos-ppk-31-71-01', None]
    """
    if id_col not in table.columns:
        return [None] * len(table)
    return [provenance.source_href(provenance.anchor(prefix, v), page) if _given(v) else None
            for v in table[id_col]]


def link_popups(layer, links: list[str | None], language: str = "id") -> None:
    """Give each drawn popup of a points ``layer`` (:func:`helpers.maps.layers.add_points`) its link to the
    full record (``links``: one per row of the frame the layer was built from; the runtime shows it
    under the popup's rows as "sumber lengkap" / "full source")."""
    spec = layer.recap_spec
    words = text.label("pv_full_source", language)
    for row, i in zip(spec.data["rows"], spec.drawn):
        if row.get("popup") and isinstance(links[i], str) and links[i]:
            row["popup"]["link"] = {"href": links[i], "text": words}
