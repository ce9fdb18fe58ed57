"""Where a facility shown on a map comes from, for its popup: :func:`facility_sources`.

The shipped office points carry their own ``source`` (BIG RBI, ...); a user's facilities file gives
each row its ``source_file`` and ``source_row`` (:func:`helpers.io.input_files.load_facilities`), so
its popup names the file and the row (``gudang.xlsx, row 7``; a KML's placemark) instead of a blank.
Used by the recap map (notebook 01) and the coverage map (notebook 02).
"""

from __future__ import annotations

import pandas as pd

from helpers.core import text


def _given(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and value.strip() not in ("nan", "None")


def facility_sources(table: pd.DataFrame, language: str = "id") -> list[str | None]:
    """The source text of each facility: its ``source``, its file and row, or both; None when unknown.

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["BIG RBI 2020", None], "source_file": [None, "gudang.kml"],
    ...                   "source_row": [None, 3]})
    >>> facility_sources(t, "en")
    ['BIG RBI 2020', 'gudang.kml, placemark 3']
    """
    n = len(table)
    col = lambda c: table[c].tolist() if c in table.columns else [None] * n  # noqa: E731
    out = []
    for source, file, row in zip(col("source"), col("source_file"), col("source_row")):
        where = None
        if _given(file) and row is not None and not pd.isna(row):
            key = "wh_from_kml" if file.lower().endswith((".kml", ".kmz")) else "wh_from_file"
            where = text.label(key, language, file=file, row=int(row))
        parts = [p for p in (source if _given(source) else None, where) if p]
        out.append("; ".join(parts) or None)
    return out
